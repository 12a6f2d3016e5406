"""Lending's pages outside /manager/, mounted at the site root (hokwe/urls.py): the
borrower's loans and emergency fund under /lending/. Shared: each part appends its block of
routes (views in web/<part>*.py)."""

from django.urls import path  # noqa: F401

app_name = "lending"

urlpatterns: list = []

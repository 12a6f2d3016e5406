"""Core's routes at the site root (hokwe/urls.py): the embedded default's private files."""

from django.urls import path

from . import files

app_name = "core"

urlpatterns = [
    path("media/private/<str:token>", files.private_file, name="private-file"),
]

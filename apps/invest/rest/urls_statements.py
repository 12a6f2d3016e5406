"""REST routes of the investor's documents (under /api/v1/, included by rest/urls.py):

    GET invest/statements/{YYYY}-{MM}.pdf   the monthly statement (PDF)
    GET invest/fiscal/{YYYY}                the fiscal summary (JSON)
    GET invest/fiscal/{YYYY}.pdf            the fiscal summary (PDF)

The period is matched loosely and checked by the view: a bad month or a month in the future
is a 400 problem detail, never a 404."""

from django.urls import re_path

from . import views_statements as v

urlpatterns: list = [
    re_path(
        r"^invest/statements/(?P<period>[^/]+)\.pdf$",
        v.StatementPdfView.as_view(),
        name="invest-statement-pdf",
    ),
    re_path(r"^invest/fiscal/(?P<year>[^/.]+)\.pdf$", v.FiscalPdfView.as_view(), name="invest-fiscal-pdf"),
    re_path(r"^invest/fiscal/(?P<year>[^/.]+)$", v.FiscalView.as_view(), name="invest-fiscal"),
]

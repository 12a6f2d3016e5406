"""Public pages, mounted at the site root: the pay link of a due (from the avis
d'échéance SMS) and the verification of a rent receipt (its QR code).

The receipt page lives at /r/q/<code>: /r/<code> is payments' receipt of one payment."""

from django.urls import path

from . import public

app_name = "estate"

urlpatterns = [
    path("pay/rent/<str:token>", public.pay_due, name="pay-due"),
    path("r/q/<str:code>", public.receipt_verify, name="receipt-verify"),
]

"""Public pages, mounted at the site root: the pay link of a due (from the avis
d'échéance SMS), the verification of a rent receipt (its QR code) and the tenant space.

The receipt page lives at /r/q/<code>: /r/<code> is payments' receipt of one payment.
The tenant space is /pay/ and /pay/me/…: payments mounts /pay/<token> (one segment, and
/pay/<token>/start|callback) before estate, so every tenant-space URL but /pay/ itself has
at least two segments and none ends in /start or /callback."""

from django.urls import path

from . import public, tenant

app_name = "estate"

urlpatterns = [
    path("pay/rent/<str:token>", public.pay_due, name="pay-due"),
    path("r/q/<str:code>", public.receipt_verify, name="receipt-verify"),
    # the tenant space
    path("pay/", tenant.home, name="tenant-home"),
    path("pay/me/login", tenant.login_phone, name="tenant-login"),
    path("pay/me/login/code", tenant.login_code, name="tenant-login-code"),
    path("pay/me/logout", tenant.logout_view, name="tenant-logout"),
    path("pay/me/leases/<uuid:lease_id>/", tenant.lease_detail, name="tenant-lease"),
    path("pay/me/leases/<uuid:lease_id>/lease.pdf", tenant.lease_pdf, name="tenant-lease-pdf"),
    path("pay/me/leases/<uuid:lease_id>/signed.pdf", tenant.lease_signed_pdf, name="tenant-lease-signed"),
    path("pay/me/dues/", tenant.dues, name="tenant-dues"),
    path("pay/me/receipts/", tenant.receipts, name="tenant-receipts"),
    path("pay/me/receipts/<uuid:receipt_id>.pdf", tenant.receipt_pdf, name="tenant-receipt-pdf"),
    path("pay/me/tickets/", tenant.tickets, name="tenant-tickets"),
    path("pay/me/tickets/new", tenant.ticket_new, name="tenant-ticket-new"),
    path("pay/me/tickets/<uuid:ticket_id>/", tenant.ticket_detail, name="tenant-ticket"),
    path("pay/me/inspections/<uuid:inspection_id>/", tenant.inspection_detail, name="tenant-inspection"),
]

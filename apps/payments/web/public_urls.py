"""Public pages, mounted at the site root (hokwe/urls.py): /pay/, /checkout/, /r/, /merchant/."""

from django.urls import path

from . import merchant, public

app_name = "payments"

urlpatterns = [
    path("pay/sandbox/<str:reference>", public.sandbox, name="sandbox"),
    path("pay/<str:token>", public.pay, name="pay"),
    path("pay/<str:token>/start", public.pay_start, name="pay-start"),
    path("pay/<str:token>/callback", public.pay_callback, name="pay-callback"),
    # checkout.hokwepay.me's root (HOSTS in conf.py): what the checkout is, for a lost visitor
    path("checkout/", public.checkout_landing, name="checkout-landing"),
    path("checkout/<str:token>", public.pay, {"embedded": True}, name="checkout"),
    path("checkout/<str:token>/start", public.pay_start, {"embedded": True}, name="checkout-start"),
    path("checkout/<str:token>/callback", public.pay_callback, {"embedded": True}, name="checkout-callback"),
    path("r/<str:code>", public.receipt, name="receipt"),
    path("merchant/", merchant.home, name="merchant"),
    path("merchant/payments/<uuid:intent_id>", merchant.detail, name="merchant-detail"),
    path("merchant/payments/<uuid:intent_id>/status", merchant.status, name="merchant-status"),
    path("merchant/cash-report", merchant.cash_report, name="merchant-cash-report"),
]

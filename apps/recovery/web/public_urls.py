"""Recovery's pages outside /manager/, mounted at the site root: the collector's field pages
(logged in) and the debtor portal (public: the case token in the link is the proof)."""

from django.urls import path

from . import field, public

app_name = "recovery"

urlpatterns = [
    # recover.hokwepay.me's root: what the debtor's link is, where to find it (HOSTS in conf.py)
    path("recover/", public.landing, name="landing"),
    path("recover/field/", field.worklist, name="field"),
    path("recover/field/<uuid:case_id>/", field.case_card, name="field-case"),
    path("recover/field/<uuid:case_id>/<str:action>", field.case_action, name="field-action"),
    path("recover/<str:token>/", public.portal, name="portal"),
    path("recover/<str:token>/plan/<uuid:plan_id>", public.plan_confirm, name="portal-plan"),
    path(
        "recover/<str:token>/installment/<uuid:installment_id>/pay",
        public.installment_pay,
        name="portal-installment",
    ),
    path("recover/<str:token>/notice/<str:number>.pdf", public.notice_pdf, name="portal-notice"),
]

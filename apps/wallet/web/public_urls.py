"""The tenant's wallet pages, mounted at the site root under /wallet/ (nothing else uses
that prefix: payments mounts /pay/<token>, estate /pay/… and /r/…, the API /api/…)."""

from django.urls import path

from . import views

app_name = "wallet"

urlpatterns = [
    path("wallet/", views.home, name="home"),
    path("wallet/statement.csv", views.statement_csv, name="statement-csv"),
    path("wallet/statement.pdf", views.statement_pdf, name="statement-pdf"),
    path("wallet/top-up", views.topup, name="topup"),
    path("wallet/send", views.send, name="send"),
    path("wallet/send/confirm", views.send_confirm, name="send-confirm"),
    path("wallet/transfers/<uuid:transfer_id>/", views.transfer, name="transfer"),
    path("wallet/groups/", views.groups, name="groups"),
    path("wallet/groups/<uuid:group_id>/", views.group_detail, name="group"),
    path("wallet/savings/", views.plans, name="plans"),
    path("wallet/savings/<uuid:plan_id>/", views.plan_detail, name="plan"),
]

"""The tenant's wallet pages, mounted at the site root under /wallet/ (nothing else uses
that prefix: payments mounts /pay/<token>, estate /pay/… and /r/…, the API /api/…)."""

from django.urls import path

from . import actions, views

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
    # the money actions (actions.py): confirmation, and the step-up for money out
    path("wallet/withdraw", actions.withdraw, name="withdraw"),
    path("wallet/withdrawals/", actions.withdrawal_list, name="withdrawals"),
    path("wallet/transfers/<uuid:transfer_id>/cancel", actions.transfer_cancel, name="transfer-cancel"),
    path("wallet/rent/", actions.rent_dues, name="rent"),
    path("wallet/rent/<uuid:due_id>/pay", actions.rent_pay, name="rent-pay"),
    path("wallet/groups/<uuid:group_id>/contribute", actions.group_contribute, name="group-contribute"),
    path(
        "wallet/invitations/<uuid:invitation_id>/accept", actions.invitation_accept, name="invitation-accept"
    ),
    path(
        "wallet/invitations/<uuid:invitation_id>/decline",
        actions.invitation_decline,
        name="invitation-decline",
    ),
    path("wallet/savings/new", actions.plan_new, name="plan-new"),
    path("wallet/savings/<uuid:plan_id>/save-now", actions.plan_pay_now, name="plan-pay-now"),
    path("wallet/savings/<uuid:plan_id>/withdraw", actions.plan_withdraw, name="plan-withdraw"),
]

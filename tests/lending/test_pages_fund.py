"""The emergency fund and guarantee pages (French first): open, save, withdraw with the
confirmation, cancel a withdrawal under notice, accept a guarantee with the SMS code."""

import pytest
from django.test import Client

from apps.lending.models import EmergencyFund, Guarantor, WithdrawalNotice
from apps.lending.services import fund as fund_service
from apps.lending.services import guarantors
from tests.identity.factories import UserFactory

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(user)
    return client


def test_anonymous_goes_to_the_login():
    response = Client().get("/lending/fund/")
    assert response.status_code == 302 and "next=" in response["Location"]


def test_open_save_withdraw_with_confirmation(fund_topup):
    user = UserFactory()
    fund_topup(user, 80_000)
    client = _client(user)
    page = client.get("/lending/fund/")
    assert page.status_code == 200 and "Ouvrir mon fonds" in page.content.decode()
    opened = client.post("/lending/fund/", {"goal": 200_000, "withdrawal_rule": "notice", "notice_days": 7})
    assert opened.status_code == 302
    fund = EmergencyFund.objects.get(user=user)
    saved = client.post("/lending/fund/deposit", {"deposit-amount": 30_000, "deposit-key": "k1"})
    assert saved.status_code == 302
    home = client.get("/lending/fund/").content.decode()
    assert "Fonds d'urgence" in home or "fonds d'urgence" in home
    assert "30\u202f000" in home or "30 000" in home
    # the amount, then the confirmation, then done
    first = client.post("/lending/fund/withdraw", {"amount": 10_000, "key": "w1"})
    assert first.status_code == 200 and "confirm_step" in first.content.decode()
    assert WithdrawalNotice.objects.count() == 0
    done = client.post("/lending/fund/withdraw", {"amount": 10_000, "key": "w1", "confirm_step": "confirm"})
    assert done.status_code == 302
    notice = WithdrawalNotice.objects.get(fund=fund)
    assert notice.status == "pending"
    too_much = client.post("/lending/fund/withdraw", {"amount": 20_001, "key": "w2"})
    assert too_much.status_code == 400
    cancelled = client.post(f"/lending/fund/withdrawals/{notice.public_id}/cancel")
    assert cancelled.status_code == 302
    notice.refresh_from_db()
    assert notice.status == "cancelled"
    assert fund_service.available(fund) == 30_000
    # another's withdrawal: the not-found page
    other = _client(UserFactory()).post(f"/lending/fund/withdrawals/{notice.public_id}/cancel")
    assert other.status_code == 404


def test_accept_a_guarantee_with_the_sms_code(fund_saver, fund_loan, fund_sms):
    borrower, _fund = fund_saver
    loan = fund_loan(borrower, requires_guarantor=True)
    friend = UserFactory()
    guarantee = guarantors.invite(actor=borrower, loan=loan, phone=str(friend.phone))
    client = _client(friend)
    listed = client.get("/lending/guarantees/")
    assert listed.status_code == 200 and loan.number in listed.content.decode()
    url = f"/lending/guarantees/{guarantee.public_id}/accept"
    confirm = client.post(url, {"pledge": 0})
    assert confirm.status_code == 200
    code_step = client.post(url, {"pledge": 0, "confirm_step": "confirm", "acknowledge": "on"})
    assert code_step.status_code == 200
    done = client.post(url, {"pledge": 0, "confirm_step": "code", "code": fund_sms.last_code(friend.phone)})
    assert done.status_code == 302
    guarantee.refresh_from_db()
    assert guarantee.status == Guarantor.Status.ACCEPTED
    assert _client(UserFactory()).get(url).status_code == 404


def test_the_tenant_space_panel_shows_the_fund_and_the_requests_waiting(fund_saver, fund_loan):
    from django.template.loader import render_to_string

    from apps.core.panels import registered

    user, _fund = fund_saver
    (panel,) = [p for p in registered()["estate.tenant"] if p.template == "lending/panels/tenant_fund.html"]

    class Request:
        LANGUAGE_CODE = "fr"

    Request.user = user
    context = panel.context(Request())
    assert context["asked"] == 0 and "50" in context["balance"]
    asker = UserFactory()
    guarantors.invite(actor=asker, loan=fund_loan(asker), phone=str(user.phone))
    context = panel.context(Request())
    assert context["asked"] == 1
    html = render_to_string(panel.template, context)
    assert "1 demande de garantie attend votre réponse" in html

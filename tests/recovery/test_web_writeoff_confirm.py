"""Writing a debt off from the case page asks first: the amount and the tenant, then the
step-up code sent by SMS; a wrong or missing code writes nothing off; the confirmed code writes
it off once. « Settled » still closes at once (no money moves)."""

from __future__ import annotations

import html

import pytest
from django.core.cache import cache
from django.urls import reverse

from apps.identity import api as identity
from apps.ledger.models import Transfer
from apps.recovery.contracts import CaseStatus
from tests.identity.conftest import SmsInbox

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode()).replace("\xa0", " ").replace("\u202f", " ")


@pytest.fixture
def sms():
    cache.clear()
    inbox = SmsInbox()
    identity.set_otp_sender(inbox)
    yield inbox
    identity.set_otp_sender(None)


@pytest.fixture
def as_manager(client, manager):
    client.force_login(manager)
    return client


def close_url(case) -> str:
    return reverse("manager:recovery-case-action", args=[case.public_id, "close"])


def state(case):
    case.refresh_from_db()
    return case.status, case.outcome, case.amount_owed, Transfer.objects.count()


WRITE_OFF = {"outcome": "written_off", "reason": "Locataire insolvable"}


def test_write_off_asks_first_with_the_amount_and_the_tenant(as_manager, case, sms):
    before = state(case)
    assert case.amount_owed > 0
    response = as_manager.post(close_url(case), WRITE_OFF)
    body = text(response)
    owed = f"{case.amount_owed:,}".replace(",", " ")
    assert response.status_code == 200 and 'data-testid="confirm"' in body
    assert f"Passer en perte {owed} FCFA dus par {case.tenant_name} ?" in body
    assert "Locataire insolvable" in body
    assert state(case) == before and sms.messages == []


def test_a_missing_or_wrong_code_writes_nothing_off(as_manager, case, sms, manager):
    before = state(case)
    sent = as_manager.post(close_url(case), {**WRITE_OFF, "confirm_step": "confirm"})
    assert "Code reçu par SMS" in text(sent) and len(sms.messages) == 1
    missing = as_manager.post(close_url(case), {**WRITE_OFF, "confirm_step": "code", "code": ""})
    assert "Saisissez le code reçu par SMS." in text(missing)
    code = sms.last_code(manager.phone)
    wrong = as_manager.post(
        close_url(case),
        {**WRITE_OFF, "confirm_step": "code", "code": "000000" if code != "000000" else "111111"},
    )
    assert wrong.status_code == 200 and 'class="field-error"' in wrong.content.decode()
    assert state(case) == before


def test_the_confirmed_code_writes_off_once(
    as_manager, case, sms, manager, django_capture_on_commit_callbacks
):
    as_manager.post(close_url(case), {**WRITE_OFF, "confirm_step": "confirm"})
    code = sms.last_code(manager.phone)
    transfers = Transfer.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        done = as_manager.post(close_url(case), {**WRITE_OFF, "confirm_step": "code", "code": code})
    assert done.status_code == 302
    status, outcome, owed, count = state(case)
    assert (status, outcome, owed) == (CaseStatus.CLOSED, "written_off", 0) and count > transfers
    page = as_manager.get(done["Location"])
    assert "passés en perte" in text(page)
    again = as_manager.post(close_url(case), {**WRITE_OFF, "confirm_step": "code", "code": code})
    assert again.status_code == 200 and state(case) == (status, outcome, owed, count)


def test_settled_still_closes_at_once(as_manager, case, sms):
    transfers = Transfer.objects.count()
    response = as_manager.post(close_url(case), {"outcome": "settled", "reason": "Accord"})
    assert response.status_code == 302 and sms.messages == []
    assert state(case)[:2] == (CaseStatus.CLOSED, "settled") and Transfer.objects.count() == transfers


def test_another_organization_gets_404(client, other_manager, case):
    client.force_login(other_manager)
    assert client.post(close_url(case), WRITE_OFF).status_code == 404

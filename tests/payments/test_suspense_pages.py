"""Finance staff pages (French first): the suspense queue, applying money to a payment from
its pay link, refunding it (confirmation, then the step-up code), four eyes, and the
settlement import (upload, result; the same file again records nothing)."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from apps.payments import api as payments
from apps.payments.models import SandboxTransaction, Settlement, SuspenseDecision
from tests.identity.factories import UserFactory

from .conftest import make_intent
from .test_suspense import arrive

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode()).replace("\xa0", " ").replace("\u202f", " ")


@pytest.fixture
def finance(db):
    return UserFactory(is_staff=True, staff_role="finance", full_name="Awa Finance")


@pytest.fixture
def finance2(db):
    return UserFactory(is_staff=True, staff_role="finance", full_name="Koffi Finance")


@pytest.fixture
def as_finance(client, finance, sms):
    cache.clear()
    client.force_login(finance)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    return client


QUEUE = "manager:payments-finance-suspense"


def item_url(name, item):
    return reverse(name, kwargs={"item_id": item.public_id})


def test_the_queue_lists_money_in_suspense_in_french(as_finance, providers):
    item = arrive(40_000)
    body = text(as_finance.get(reverse(QUEUE)))
    assert "40 000 FCFA" in body and "Transaction inconnue" in body.replace(
        "transaction inconnue", "Transaction inconnue"
    )
    assert item_url("manager:payments-finance-item", item) in body
    page = text(as_finance.get(item_url("manager:payments-finance-item", item)))
    assert 'data-testid="apply"' in page and 'data-testid="refund"' in page


def test_others_are_refused_with_a_page(client, manager, providers):
    client.force_login(manager)
    response = client.get(reverse(QUEUE))
    assert response.status_code == 403
    support = UserFactory(is_staff=True, staff_role="support")
    client.force_login(support)
    assert client.get(reverse("manager:payments-finance-settlements")).status_code == 403


def test_apply_from_the_pay_link_asks_first_then_pays_the_intent(as_finance, org, providers):
    item = arrive(35_000)
    intent = make_intent(org, amount=35_000, description="Loyer avril 2026")
    link = payments.pay_url(intent)
    url = item_url("manager:payments-finance-apply", item)
    asked = as_finance.post(url, {"target": f"https://pay.hokwe.com{link}", "reason": "virement"})
    assert asked.status_code == 200
    assert "Appliquer 35 000 FCFA à « Loyer avril 2026 » ?" in text(asked)
    intent.refresh_from_db()
    assert intent.status == "created"  # nothing done before the confirmation
    done = as_finance.post(
        url, {"target": f"https://pay.hokwe.com{link}", "reason": "virement", "confirm_step": "confirm"}
    )
    assert done.status_code == 302
    intent.refresh_from_db()
    assert intent.status == "succeeded"
    again = as_finance.post(url, {"target": intent.pay_token, "confirm_step": "confirm"}, follow=True)
    assert "plus en attente" in text(again) or "déjà" in text(again)  # refused, said on the page


def test_an_unknown_link_is_said_on_the_page(as_finance, providers):
    item = arrive(1_000)
    response = as_finance.post(
        item_url("manager:payments-finance-apply", item), {"target": "nope"}, follow=True
    )
    assert response.status_code == 200 and "Aucun paiement" in text(response)


def test_refund_asks_then_needs_the_strong_code(as_finance, finance, providers, sms):
    from tests.helpers import enrol_totp, totp_code

    device = enrol_totp(finance)  # money out: the authenticator app, never an SMS code alone
    item = arrive(15_000, at_provider=True)
    url = item_url("manager:payments-finance-refund", item)
    body = {"phone": "", "name": "", "reason": "inconnu"}
    asked = as_finance.post(url, body)
    assert "Renvoyer 15 000 FCFA" in text(asked)
    sent = as_finance.post(url, {**body, "confirm_step": "confirm"})
    assert sent.status_code == 200 and "application d'authentification" in text(sent) and sms.messages == []
    assert not SuspenseDecision.objects.filter(item=item).exists()
    wrong = as_finance.post(url, {**body, "confirm_step": "code", "code": "000000"})
    assert wrong.status_code == 200 and not SuspenseDecision.objects.filter(item=item).exists()
    done = as_finance.post(url, {**body, "confirm_step": "code", "code": totp_code(device)})
    assert done.status_code == 302
    decision = SuspenseDecision.objects.get(item=item)
    assert decision.status == "done"
    assert SandboxTransaction.objects.get(reference=item.provider_reference).status == "REVERTED"


def test_four_eyes_on_the_pages(client, finance, finance2, org, providers, settings, sms):
    settings.PAYMENT_SUSPENSE_FOUR_EYES_ABOVE = 500_000
    cache.clear()
    item = arrive(600_000)
    intent = make_intent(org, amount=600_000)
    client.force_login(finance)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    client.post(
        item_url("manager:payments-finance-apply", item),
        {"target": intent.pay_token, "confirm_step": "confirm"},
    )
    decision = SuspenseDecision.objects.get(item=item)
    assert decision.status == "awaiting_approval"
    body = text(client.get(reverse(QUEUE)))
    assert "un autre membre" in body.lower() and 'data-testid="approve"' not in body
    own = client.post(reverse("manager:payments-finance-approve", kwargs={"decision_id": decision.public_id}))
    assert own.status_code == 302
    decision.refresh_from_db()
    assert decision.status == "awaiting_approval"
    client.force_login(finance2)
    body = text(client.get(reverse(QUEUE)))
    assert 'data-testid="approve"' in body
    approve = reverse("manager:payments-finance-approve", kwargs={"decision_id": decision.public_id})
    assert client.post(approve, {"confirm_step": "confirm"}).status_code == 302
    decision.refresh_from_db()
    intent.refresh_from_db()
    assert decision.status == "done" and decision.approved_by == finance2 and intent.status == "succeeded"


STATEMENT = "Date;Transaction ID;Montant;Frais;Statut;Reversement\n{day};PG-1;10 000;190;SUCCESS;RV-9\n{day};PG-2;5 000;95;SUCCESS;RV-9\n"


def test_settlement_upload_and_result(as_finance, providers):
    day = (timezone.localdate() - timedelta(days=1)).strftime("%d/%m/%Y")
    content = STATEMENT.format(day=day).encode()
    url = reverse("manager:payments-finance-settlements")
    first = as_finance.post(
        url, {"source": "file", "provider": "kkiapay", "file": SimpleUploadedFile("rv-9.csv", content)}
    )
    body = text(first)
    assert first.status_code == 200 and 'data-testid="import-result"' in body
    assert "RV-9" in body and "15 000 FCFA" in body
    second = as_finance.post(
        url, {"source": "file", "provider": "kkiapay", "file": SimpleUploadedFile("rv-9.csv", content)}
    )
    assert "Rien de nouveau" in text(second)
    assert Settlement.objects.filter(reference="RV-9").count() == 1
    bad = as_finance.post(
        url, {"source": "file", "provider": "kkiapay", "file": SimpleUploadedFile("x.csv", b"Nom;Tel\nA;1\n")}
    )
    assert bad.status_code == 200 and "Nom" in text(bad)


def test_the_admin_no_longer_resolves_money_in_suspense_by_a_tick(rf, finance, providers):
    from django.contrib import admin

    from apps.payments.models import ReconciliationItem

    item = arrive(3_000)
    request = rf.get("/admin/")
    request.user = finance
    model_admin = admin.site._registry[ReconciliationItem]
    assert "resolved" in model_admin.get_readonly_fields(request, item)
    mismatch = ReconciliationItem.objects.create(
        provider="kkiapay", kind="settlement_mismatch", provider_reference="X"
    )
    assert "resolved" not in model_admin.get_readonly_fields(
        request, mismatch
    )  # no money held: a tick is fine
    assert {SuspenseDecision, Settlement} <= set(admin.site._registry)


def _page_queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_queue_and_the_settlements_cost_the_same_for_few_or_many_rows(as_finance, providers):
    """The suspense queue and the settlements list: the same queries for 2 or 8 rows, under a
    ceiling (measured 8 and 6 when written)."""
    day = (timezone.localdate() - timedelta(days=1)).strftime("%d/%m/%Y")
    settlements = reverse("manager:payments-finance-settlements")

    def grow(start, stop):
        for n in range(start, stop):
            arrive(10_000 + n)
            statement = f"Date;Transaction ID;Montant;Frais;Statut;Reversement\n{day};PQ-{n};1 000;19;SUCCESS;RQ-{n}\n"
            as_finance.post(
                settlements,
                {
                    "source": "file",
                    "provider": "kkiapay",
                    "file": SimpleUploadedFile(f"rq-{n}.csv", statement.encode()),
                },
            )

    grow(0, 2)
    as_finance.get(reverse(QUEUE))  # the first visit fills per-session caches
    small = (_page_queries(as_finance, reverse(QUEUE)), _page_queries(as_finance, settlements))
    grow(2, 8)
    large = (_page_queries(as_finance, reverse(QUEUE)), _page_queries(as_finance, settlements))
    assert Settlement.objects.filter(reference__startswith="RQ-").count() == 8
    assert large == small, (small, large)
    assert large[0] <= 10 and large[1] <= 8

"""The wallet's money actions in a browser (Playwright, Chromium) at 390 px and 1366 px, in
French: from the tenant space's panel to a withdrawal confirmed with the authenticator app's
code; a HokweSplit plan started, a saving paid now, the savings taken back, then the rent paid
from the wallet; a tontine contribution paid with the drawn order's proof open; an SMS-only
tenant sent to the page where an authenticator app is added. Each page: no horizontal overflow,
no console error, no failed request. Screenshots go to $WALLET_SHOTS (default /tmp/wallet-shots)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from apps.ledger import api as ledger
from apps.wallet.models import SplitPlan, TontineContribution, Withdrawal
from apps.wallet.services import wallets
from tests.fixtures.browser import SignedInTab

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("WALLET_SHOTS", "/tmp/wallet-shots"))


def _fund(user, amount: int) -> None:
    import uuid

    wallet = wallets.wallet_for(user, "XOF")
    clearing = ledger.system_account(code="provider_clearing.sandbox", currency="XOF").public_id
    wallets.move(
        idempotency_key=f"test:browser:{uuid.uuid4()}",
        code="wallet.topup",
        debit=clearing,
        credit=wallet.account,
        amount=amount,
        currency="XOF",
        into=wallet,
    )


def test_withdrawal_from_the_tenant_space_with_the_authenticator_app(browser, live_server, split_world):
    from tests.helpers import enrol_totp, totp_code

    tenant = split_world.tenant
    _fund(tenant, 60_000)
    device = enrol_totp(tenant)
    tab = SignedInTab(browser, live_server.url, tenant, shots=str(SHOTS))
    tab.go("estate:tenant-home")
    assert "60\u202f000" in tab.page.get_by_test_id("wallet-panel").inner_text()
    tab.check("tenant-space-panel")
    tab.click("wallet-panel-link")
    tab.page.get_by_test_id("wallet-balance").wait_for()
    tab.check("wallet-home")

    tab.click("withdraw-link")
    tab.page.get_by_label("Montant à retirer").fill("100")
    tab.click("withdraw-submit")
    assert "retrait" in tab.page.get_by_test_id("field-error").first.inner_text().lower()
    tab.console.clear()  # the form's 400 is the refusal itself
    tab.check("withdraw-refused")

    tab.page.get_by_label("Montant à retirer").fill("25 000")
    tab.click("withdraw-submit")
    assert "25\u202f000" in tab.page.get_by_test_id("confirm-question").inner_text()
    tab.check("withdraw-confirm")
    tab.click("confirm-submit")
    tab.page.locator("input[name=code]").wait_for()
    tab.check("withdraw-code")
    tab.page.locator("input[name=code]").fill(totp_code(device))
    tab.click("confirm-submit")
    tab.page.get_by_test_id("withdrawals").wait_for()
    assert "25\u202f000" in tab.page.get_by_test_id("flash").inner_text()
    tab.check("withdrawals")
    tab.close()
    assert Withdrawal.objects.get().amount == 25_000


def test_a_saving_started_paid_and_taken_back_then_the_rent_paid(browser, live_server, split_world, settings):
    settings.WALLET_RENT_STEP_UP_ABOVE = 500_000
    tenant = split_world.tenant
    _fund(tenant, 200_000)
    tab = SignedInTab(browser, live_server.url, tenant, shots=str(SHOTS))
    tab.go("wallet:plans")
    tab.click("plan-new-link")
    tab.page.get_by_label("chaque jour").check()
    tab.page.get_by_label("possible, avec des frais", exact=False).check()
    tab.check("plan-new")
    tab.click("plan-submit")
    assert "80\u202f000" in tab.page.get_by_test_id("confirm-question").inner_text()
    tab.check("plan-confirm")
    tab.click("confirm-submit")
    tab.page.get_by_test_id("plan").wait_for()
    tab.check("plan-started")

    tab.click("pay-now-link")
    tab.check("plan-save-now-confirm")
    tab.click("confirm-submit")
    tab.page.get_by_test_id("flash").wait_for()
    tab.check("plan-saved")

    tab.click("withdraw-plan-link")
    tab.check("plan-withdraw-confirm")
    tab.page.get_by_test_id("confirm-acknowledge").check()
    tab.click("confirm-submit")
    tab.page.get_by_test_id("flash").wait_for()
    assert "revenu" in tab.page.get_by_test_id("flash").inner_text()
    tab.check("plan-withdrawn")
    assert SplitPlan.objects.get().status == "withdrawn"

    tab.click("wnav-rent")
    tab.check("rent-dues")
    tab.click("rent-pay-link")
    tab.check("rent-confirm")
    tab.click("confirm-submit")
    tab.page.get_by_test_id("flash").wait_for()
    assert "Loyer payé" in tab.page.get_by_test_id("flash").inner_text()
    tab.check("rent-paid")
    tab.close()


def test_a_contribution_paid_with_the_drawn_orders_proof(browser, live_server, tontine_group):
    world = tontine_group(4, order="drawn")
    member = world.users[1]
    tab = SignedInTab(browser, live_server.url, member, shots=str(SHOTS))
    tab.go("wallet:group", world.group.public_id)
    tab.page.get_by_test_id("draw-proof").locator("summary").click()
    assert "Vérifié" in tab.page.get_by_test_id("draw-verdict").inner_text()
    tab.check("group-proof")
    tab.click("contribute-link")
    tab.check("group-contribute-confirm")
    tab.click("confirm-submit")
    tab.page.get_by_test_id("flash").wait_for()
    tab.check("group-contributed")
    tab.close()
    assert TontineContribution.objects.filter(member__user=member, status="paid").count() == 1


def test_an_sms_only_tenant_is_sent_to_add_an_authenticator_app(browser, live_server, split_world):
    tenant = split_world.tenant
    _fund(tenant, 10_000)
    tab = SignedInTab(browser, live_server.url, tenant, shots=str(SHOTS))
    tab.go("wallet:withdraw")
    tab.page.get_by_test_id("need-factor").wait_for()
    tab.check("withdraw-need-factor")
    tab.click("enrol-link")
    tab.page.get_by_test_id("security").wait_for()
    tab.page.wait_for_load_state("networkidle")  # the manager shell's own requests end first
    tab.check("identity-security-for-a-tenant")
    tab.page.goto("about:blank")
    tab.close()

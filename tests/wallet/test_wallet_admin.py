"""Compliance freezes and unfreezes wallets from the admin (a reason is required, audited);
other staff read wallets but cannot freeze."""

import pytest
from django.urls import reverse

from apps.core.models import AuditEntry
from apps.wallet.models import Wallet
from apps.wallet.services import wallets
from tests.identity.test_admin_and_audit import admin_login, staff

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:wallet_wallet_changelist"


def test_compliance_freezes_with_a_reason_from_the_admin(user):
    wallet = wallets.wallet_for(user)
    officer, device = staff("compliance")
    client, _ = admin_login(officer, device)
    listing = client.get(reverse(CHANGELIST))
    assert listing.status_code == 200 and str(wallet.public_id) in listing.content.decode()
    no_reason = client.post(
        reverse(CHANGELIST), {"action": "freeze", "_selected_action": [wallet.pk], "reason": ""}
    )
    assert no_reason.status_code in (200, 302)
    assert Wallet.objects.get(pk=wallet.pk).status == "active"
    client.post(
        reverse(CHANGELIST), {"action": "freeze", "_selected_action": [wallet.pk], "reason": "Alerte LBC 7"}
    )
    wallet.refresh_from_db()
    assert wallet.status == "frozen" and wallet.status_reason == "Alerte LBC 7"
    assert AuditEntry.objects.filter(action="wallet.wallet.frozen", reason="Alerte LBC 7").count() == 1
    client.post(
        reverse(CHANGELIST), {"action": "unfreeze", "_selected_action": [wallet.pk], "reason": "Levée"}
    )
    wallet.refresh_from_db()
    assert wallet.status == "active"


def test_finance_reads_but_cannot_freeze(user):
    wallet = wallets.wallet_for(user)
    person, device = staff("finance")
    client, _ = admin_login(person, device)
    listing = client.get(reverse(CHANGELIST))
    assert listing.status_code == 200 and "freeze" not in listing.content.decode().split("<select")[-1][:2000]
    client.post(
        reverse(CHANGELIST), {"action": "freeze", "_selected_action": [wallet.pk], "reason": "pas moi"}
    )
    assert Wallet.objects.get(pk=wallet.pk).status == "active"

import pytest

from apps.core.management.commands.seed_demo import DemoContext
from apps.identity import demo as identity_demo
from apps.ledger import api, demo, verify

pytestmark = pytest.mark.django_db


def test_demo_money_is_idempotent_and_consistent():
    for _ in range(2):
        ctx = DemoContext()
        identity_demo.seed(ctx)
        demo.seed(ctx)
    tenant = ctx["tenants"][0]
    [wallet] = api.user_accounts(user=tenant.public_id)
    assert api.balance(account=wallet.public_id).posted == 15_000  # 50 000 topped up, 35 000 rent
    agency = ctx["organizations"]["agency"]
    payable = api.organization_account(organization=agency.public_id, code="owners_payable")
    balance = api.balance(account=payable.public_id)
    assert balance.posted == 34_475 * len(ctx["tenants"]) and balance.available == balance.posted - 20_000
    assert verify.run().ok

"""Payments test helpers: organizations and members, the local Kkiapay and FedaPay, a
step-up helper (the real OTP flow through identity), token clients."""

from __future__ import annotations

import pytest

from apps.identity import api as identity
from apps.identity.models import Membership
from apps.identity.services import protection as identity_protection
from apps.ledger import api as ledger
from apps.payments import services
from tests.helpers import bearer_client, enrol_totp, totp_code
from tests.identity.conftest import SmsInbox
from tests.identity.factories import MembershipFactory, OrganizationFactory, UserFactory

from .fakes import fedapay as fedapay_fake
from .fakes import kkiapay as kkiapay_fake


@pytest.fixture(autouse=True)
def _fresh_provider_configuration():
    from apps.payments import config

    config.clear_cache()
    yield
    config.clear_cache()


@pytest.fixture
def sms():
    inbox = SmsInbox()
    identity.set_otp_sender(inbox)
    yield inbox
    identity.set_otp_sender(None)


@pytest.fixture
def step_up(sms):
    """step_up(user, action, target, amount=None, currency=None) -> a single-use token.
    Money actions need the strong factor (identity's register_strong_action): the user gets
    a TOTP device if needed (tests.helpers.enrol_totp) and answers with its current code;
    other actions are answered with the SMS code."""

    def make(user, action, target, amount=None, currency=None):
        device = (
            enrol_totp(user)
            if identity_protection.needs_strong_factor(user, action=action, amount=amount)
            else None
        )
        challenge = identity.step_up_start(
            actor=user, action=action, target=str(target), amount=amount, currency=currency
        )
        code = totp_code(device) if challenge.method == "totp" else sms.last_code(user.phone)
        proof = identity.step_up_verify(actor=user, challenge_id=challenge.challenge_id, code=code)
        return proof.token

    return make


@pytest.fixture
def providers(settings):
    settings.PAYMENT_PROVIDERS = ["sandbox", "kkiapay", "fedapay"]
    settings.PAYMENT_ROUTES = ""
    settings.PAYMENT_PAYOUT_PROVIDER = "sandbox"
    return settings


@pytest.fixture
def kkiapay(httpserver, settings):
    fake = kkiapay_fake.FakeKkiapay()
    fake.install(httpserver)
    settings.PAYMENT_PROVIDERS = ["kkiapay", "sandbox", "fedapay"]
    settings.PAYMENT_ROUTES = "mobile_money:*=kkiapay;card:*=kkiapay"
    settings.KKIAPAY_BASE_URL = httpserver.url_for("").rstrip("/")
    settings.KKIAPAY_PUBLIC_KEY = kkiapay_fake.PUBLIC
    settings.KKIAPAY_PRIVATE_KEY = kkiapay_fake.PRIVATE
    settings.KKIAPAY_SECRET_KEY = kkiapay_fake.SECRET
    settings.KKIAPAY_WEBHOOK_SECRET = kkiapay_fake.WEBHOOK_SECRET
    settings.PAYMENT_HTTP_TIMEOUT_SECONDS = 0.5
    return fake


@pytest.fixture
def fedapay(httpserver, settings):
    fake = fedapay_fake.FakeFedapay()
    fake.install(httpserver)
    settings.PAYMENT_PROVIDERS = ["fedapay", "sandbox", "kkiapay"]
    settings.PAYMENT_ROUTES = "mobile_money:*=fedapay;card:*=fedapay"
    settings.FEDAPAY_BASE_URL = httpserver.url_for("/v1")
    settings.FEDAPAY_SECRET_KEY = fedapay_fake.SECRET
    settings.FEDAPAY_WEBHOOK_SECRET = fedapay_fake.WEBHOOK_SECRET
    settings.PAYMENT_HTTP_TIMEOUT_SECONDS = 0.5
    return fake


@pytest.fixture
def org(db):
    return OrganizationFactory(name="Agence Les Cocotiers")


@pytest.fixture
def other_org(db):
    return OrganizationFactory(name="Agence Autre")


def member(org, role=Membership.Role.MANAGER):
    return MembershipFactory(organization=org, role=role).user


@pytest.fixture
def manager(org):
    return member(org, Membership.Role.MANAGER)


@pytest.fixture
def collector(org):
    return member(org, Membership.Role.COLLECTOR)


@pytest.fixture
def outsider(other_org):
    return member(other_org, Membership.Role.OWNER)


@pytest.fixture
def tenant(db):
    return UserFactory(full_name="Brice Zinsou")


@pytest.fixture
def client_for():
    return bearer_client


def make_intent(org, *, amount=75_000, fee_bp=0, payer=None, currency="XOF", **extra):
    from apps.payments.contracts import FeeRule

    return services.intent_create(
        organization_id=org.pk,
        amount=amount,
        currency=currency,
        purpose_type=extra.pop("purpose_type", "tests.Rent"),
        purpose_id=extra.pop("purpose_id", "due-1"),
        description=extra.pop("description", "Loyer mars 2026"),
        payer_id=payer.pk if payer else None,
        fee_rule=FeeRule(basis_points=fee_bp),
        **extra,
    )


def kyb_approved(org, user=None):
    """Payouts need the organization's business verification (KYB, apps.kyc) approved."""
    from apps.kyc.models import Submission

    user = user or member(org, Membership.Role.OWNER)
    Submission.objects.create(subject="business", user=user, organization=org, status="approved")


def on_commit():
    """Run the after-commit callbacks (webhook processing, payout sending) of a block, in
    tests that run inside a transaction that never commits."""
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


def balance(account) -> int:
    return ledger.balance(account=account).posted


@pytest.fixture
def intent(org, providers):
    return make_intent(org)

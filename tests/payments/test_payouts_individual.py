"""Individual landlords (an owner-kind organization, a person without RCCM) are paid out on
their owner's identity verification (an ID document, kyc tier 1) into a mobile money account
in their own name, checked with the operator's account-holder lookup (MTN MoMo's
basicuserinfo, against a local server speaking that API; the sandbox for demos). Agencies
keep the KYB."""

from __future__ import annotations

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from apps.identity.models import Membership, Organization
from apps.kyc import api as kyc
from apps.kyc.models import KycProfile, Submission
from apps.ledger import api as ledger
from apps.payments import services
from apps.payments.errors import PayoutAccountNotVerified
from apps.payments.models import Payout, PayoutAccount
from apps.payments.providers import mtn
from apps.payments.services import ledgering
from tests.helpers import gql
from tests.identity.factories import MembershipFactory, OrganizationFactory, UserFactory

from .conftest import make_intent, member, on_commit
from .fakes import mtn as mtn_fake

pytestmark = pytest.mark.django_db

PHONE = "+2290196000111"
BASE = "/api/v1/payments"


def identity_verified(user, first="Mathieu", last="Adjovi", tier=1):
    """An approved identity verification (ID document) of `user`, as staff approval leaves it."""
    Submission.objects.create(
        subject="individual",
        user=user,
        target_tier=tier,
        status="approved",
        first_name=first,
        last_name=last,
        decided_at=timezone.now(),
    )
    KycProfile.objects.update_or_create(user=user, defaults={"tier": tier})


def landlord_org(name="Mathieu Adjovi", phone="+2290196000110"):
    """An owner-kind organization (a landlord, a person) and its owner."""
    org = OrganizationFactory(name=name, kind=Organization.Kind.OWNER)
    owner = MembershipFactory(
        organization=org, role=Membership.Role.OWNER, user=UserFactory(full_name=name, phone=phone)
    ).user
    return org, owner


def fund(org, amount):
    """Money on the organization's owners' payable (a cash payment it received)."""
    services.cash_record(
        actor=member(org, Membership.Role.COLLECTOR),
        intent=make_intent(org, amount=amount, purpose_id=f"fund-{amount}"),
    )
    return ledgering.owners_payable(org.public_id, "XOF")


def add_momo(org, owner, step_up, *, phone=PHONE, operator="mtn", holder="Mathieu Adjovi"):
    token = step_up(owner, "payments.payout_account.create", f"{org.public_id}:{phone}")
    return services.payout_account_create(
        actor=owner,
        organization_id=org.pk,
        kind="mobile_money",
        holder_name=holder,
        phone=phone,
        operator=operator,
        step_up_token=token,
    )


def pay_out(org, owner, account, amount, step_up):
    token = step_up(owner, "payments.payout.create", org.public_id, amount=amount, currency="XOF")
    with on_commit():
        payout = services.payout_request(
            actor=owner,
            organization_id=org.pk,
            account=account,
            amount=amount,
            currency="XOF",
            step_up_token=token,
        )
    payout.refresh_from_db()
    return payout


@pytest.fixture(autouse=True)
def _english():
    """The reasons are read in English here (French: test_the_reasons_are_in_french)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def mtn_api(httpserver, settings):
    fake = mtn_fake.FakeMtn()
    fake.install(httpserver)
    settings.MTN_MOMO_BASE_URL = httpserver.url_for("").rstrip("/")
    settings.MTN_MOMO_API_USER = mtn_fake.API_USER
    settings.MTN_MOMO_API_KEY = mtn_fake.API_KEY
    settings.MTN_MOMO_SUBSCRIPTION_KEY = mtn_fake.SUBSCRIPTION_KEY
    settings.MTN_MOMO_TARGET_ENVIRONMENT = mtn_fake.TARGET
    settings.PAYMENT_HTTP_TIMEOUT_SECONDS = 0.5
    mtn.clear_tokens()
    yield fake
    mtn.clear_tokens()


# --- the payout path ---------------------------------------------------------------------------


def test_a_landlord_without_rccm_pays_out_after_identity_verification(providers, mtn_api, step_up):
    org, owner = landlord_org()
    identity_verified(owner, "Mathieu", "Adjovi")
    mtn_api.add(PHONE, "MATHIEU", "ADJOVI")
    account = add_momo(org, owner, step_up)
    assert account.verified_at is not None and account.verified_via == "name_lookup"
    assert account.looked_up_name == "MATHIEU ADJOVI" and "MATHIEU ADJOVI" in account.verification_note
    payable = fund(org, 60_000)
    assert not kyc.organization_verified(org)  # no KYB, no RCCM
    payout = pay_out(org, owner, account, 50_000, step_up)
    assert payout.status == "paid" and payout.destination == "MTN ****0111"
    assert ledger.balance(account=payable).posted == 10_000
    assert ledger.hold_state(hold=payout.hold) == "posted"


def test_a_landlord_without_identity_verification_cannot_pay_out(providers, step_up, settings):
    settings.SANDBOX_ACCOUNT_HOLDERS = {PHONE: "Mathieu Adjovi"}
    org, owner = landlord_org()
    account = add_momo(org, owner, step_up)
    assert account.verified_at is None and "identity is not verified" in account.verification_note
    PayoutAccount.objects.filter(pk=account.pk).update(verified_at=timezone.now())  # staff verified it
    account.refresh_from_db()
    fund(org, 20_000)
    with pytest.raises(kyc.IdentityVerificationRequired) as refused:
        pay_out(org, owner, account, 10_000, step_up)
    assert refused.value.code == "identity_verification_required"
    assert Payout.objects.count() == 0


def test_an_agency_without_kyb_still_cannot_pay_out(org, providers, step_up):
    owner = member(org, Membership.Role.OWNER)
    identity_verified(owner)  # a person's verification does not stand for a company's KYB
    account = add_momo(org, owner, step_up, holder=org.name)
    assert account.verified_via == "step_up"  # an agency's number: the owner's OTP, as before
    fund(org, 20_000)
    with pytest.raises(kyc.OrganizationNotVerified) as refused:
        pay_out(org, owner, account, 10_000, step_up)
    assert refused.value.code == "kyb_required"
    assert not isinstance(refused.value, kyc.IdentityVerificationRequired)


def test_a_name_mismatch_leaves_the_account_for_staff_with_the_reason(providers, mtn_api, step_up):
    org, owner = landlord_org()
    identity_verified(owner, "Mathieu", "Adjovi")
    mtn_api.add(PHONE, "Koffi", "Houngbédji")
    account = add_momo(org, owner, step_up)
    assert account.verified_at is None and account.verified_via == ""
    assert "Koffi Houngbédji" in account.verification_note and "Mathieu Adjovi" in account.verification_note
    fund(org, 20_000)
    with pytest.raises(PayoutAccountNotVerified):
        pay_out(org, owner, account, 10_000, step_up)
    services.payout_account_verify(actor=UserFactory(is_staff=True, staff_role="finance"), account=account)
    account.refresh_from_db()
    assert account.verified_via == "staff"


def test_a_number_unknown_to_mtn_and_a_bank_account_wait_for_staff(providers, mtn_api, step_up):
    org, owner = landlord_org()
    identity_verified(owner)
    unknown = add_momo(org, owner, step_up, phone="+2290196000222")
    assert unknown.verified_at is None and "knows no account" in unknown.verification_note
    number = "BJ06 1010 0100 0000 0000 1234 5"
    token = step_up(owner, "payments.payout_account.create", f"{org.public_id}:{''.join(number.split())}")
    bank = services.payout_account_create(
        actor=owner,
        organization_id=org.pk,
        kind="bank_account",
        holder_name="Mathieu Adjovi",
        bank_name="Ecobank Bénin",
        account_number=number,
        step_up_token=token,
    )
    assert bank.verified_at is None and "staff" in bank.verification_note


def test_an_operator_without_lookup_waits_for_staff(providers, mtn_api, step_up, settings):
    settings.PAYMENT_PAYOUT_PROVIDER = "fedapay"  # no account lookup, and Moov has no MTN API
    org, owner = landlord_org()
    identity_verified(owner)
    account = add_momo(org, owner, step_up, phone="+2290166000111", operator="moov")
    assert account.verified_at is None and "no name check" in account.verification_note
    assert not [c for c in mtn_api.calls if "accountholder" in c[1]]


def test_the_mtn_client_speaks_the_open_api(providers, mtn_api):
    mtn_api.add(PHONE, "Mathieu", "Adjovi")
    client = mtn.MtnMomoProvider()
    holder = client.account_holder(PHONE)
    assert (holder.given_name, holder.family_name, holder.full_name) == (
        "Mathieu",
        "Adjovi",
        "Mathieu Adjovi",
    )
    method, path, headers = mtn_api.calls[-1]
    assert path == "/disbursement/v1_0/accountholder/msisdn/2290196000111/basicuserinfo"
    assert headers["X-Target-Environment"] == "sandbox"
    assert headers["Ocp-Apim-Subscription-Key"] == mtn_fake.SUBSCRIPTION_KEY
    assert headers["Authorization"].startswith("Bearer ")
    assert client.account_holder("+2290196000999") is None  # 404: no such account
    tokens = [c for c in mtn_api.calls if c[1] == "/disbursement/token/"]
    assert len(tokens) == 1  # the token is kept
    mtn_api.expire_tokens()  # MTN forgot it: 401, a new token, once
    assert client.account_holder(PHONE).family_name == "Adjovi"
    assert len([c for c in mtn_api.calls if c[1] == "/disbursement/token/"]) == 2


def test_mtn_down_leaves_the_account_for_staff(providers, mtn_api, step_up):
    org, owner = landlord_org()
    identity_verified(owner)
    mtn_api.down = True
    account = add_momo(org, owner, step_up)
    assert account.verified_at is None and "could not be asked" in account.verification_note


def test_the_sandbox_answers_the_demo_number_as_a_labelled_simulation(providers, step_up):
    org, owner = landlord_org(phone="+2290196000001")
    identity_verified(owner, "Mathieu", "Adjovi")
    account = add_momo(org, owner, step_up, phone="+2290196000001")
    assert account.verified_via == "name_lookup" and account.looked_up_name == "Mathieu Adjovi (sandbox)"
    other = add_momo(org, owner, step_up, phone="+2290196009999")  # the sandbox's mismatch number
    assert other.verified_at is None and "Koffi Simulé" in other.verification_note


# --- comparing names -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "a, b, same",
    [
        ("Mathieu Adjovi", "ADJOVI Mathieu", True),
        ("Mathïeu Adjovi", "mathieu adjovi", True),
        ("Gbèdé Hounkpatin-Agossa", "HOUNKPATIN AGOSSA Gbede", True),
        ("Mathieu Koffi Adjovi", "Mathieu Adjovi", True),  # a middle name on one side
        ("Mathieu Adjovi", "Mathieu Agossou", False),
        ("Adjovi", "Mathieu Adjovi", False),  # one name alone is not enough
        ("", "Mathieu Adjovi", False),
    ],
)
def test_names_are_compared_without_order_accents_or_case(a, b, same):
    assert services.names_match(a, b) is same


NAME = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéèêëïîôöüàç", min_size=2, max_size=10)


@hsettings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.lists(NAME, min_size=2, max_size=4), data=st.data())
def test_a_name_matches_itself_reordered_and_recased(words, data):
    shuffled = data.draw(st.permutations(words))
    assert services.names_match(" ".join(words), " ".join(w.upper() for w in shuffled))


# --- REST and GraphQL show the verification ------------------------------------------------------


def test_rest_and_graphql_show_why_an_account_waits(providers, mtn_api, step_up, client_for):
    org, owner = landlord_org()
    identity_verified(owner)
    mtn_api.add(PHONE, "Mathieu", "Adjovi")
    mtn_api.add("+2290196000333", "Someone", "Else")
    body = {
        "organization": str(org.public_id),
        "kind": "mobile_money",
        "holder_name": "Mathieu Adjovi",
        "phone": PHONE,
        "operator": "mtn",
        "step_up_token": step_up(owner, "payments.payout_account.create", f"{org.public_id}:{PHONE}"),
    }
    created = client_for(owner).post(f"{BASE}/payout-accounts", body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["verified"] is True and created.json()["verified_via"] == "name_lookup"
    token = step_up(owner, "payments.payout_account.create", f"{org.public_id}:+2290196000333")
    result = gql(
        client_for(owner),
        """mutation($org: UUID!, $token: String) { paymentsAddPayoutAccount(organizationId: $org,
            kind: "mobile_money", holderName: "Mathieu Adjovi", phone: "+2290196000333",
            operator: "mtn", stepUpToken: $token) { ok errors { code }
            payoutAccount { verified verifiedVia verificationNote } } }""",
        {"org": str(org.public_id), "token": token},
    )["paymentsAddPayoutAccount"]
    assert result["ok"], result
    assert result["payoutAccount"]["verified"] is False and result["payoutAccount"]["verifiedVia"] == ""
    assert "Someone Else" in result["payoutAccount"]["verificationNote"]
    # another organization's owner sees neither
    _other, stranger = landlord_org(name="Autre Bailleur", phone="+2290196000444")
    listed = client_for(stranger).get(f"{BASE}/payout-accounts").json()["results"]
    assert listed == []


# --- the demo --------------------------------------------------------------------------------------


def test_the_demo_landlord_without_rccm_receives_a_payout_to_his_momo_number(providers, step_up):
    from django.core.management import call_command

    call_command("seed_demo", "--no-progress", "--quiet-logins")
    landlord = Organization.objects.get(memberships__user__phone="+2290196000001", kind="owner")
    owner = landlord.memberships.get(role="owner").user
    assert not kyc.organization_verified(landlord)  # no KYB, no RCCM
    assert kyc.verified_name(owner) == "Mathieu Adjovi"
    account = PayoutAccount.objects.get(organization=landlord, phone="+2290196000001")
    assert account.verified_via == "name_lookup" and account.looked_up_name == "Mathieu Adjovi (sandbox)"
    payable = ledgering.owners_payable(landlord.public_id, "XOF")
    available = ledger.balance(account=payable).available
    assert available >= 50_000
    payout = pay_out(landlord, owner, account, 50_000, step_up)  # the step-up: his TOTP app
    assert payout.status == "paid"
    assert ledger.balance(account=payable).available == available - 50_000
    from apps.identity import api as identity

    challenge = identity.step_up_start(
        actor=owner,
        action="payments.payout.create",
        target=str(landlord.public_id),
        amount=10_000,
        currency="XOF",
    )
    assert challenge.method == "totp"  # a payout asks for the authenticator app, never an SMS code
    call_command("seed_demo", "--no-progress", "--quiet-logins")  # idempotent
    assert PayoutAccount.objects.filter(organization=landlord).count() == 1


def test_the_reasons_are_in_french(providers, mtn_api, step_up):
    from django.utils import translation

    org, owner = landlord_org()
    identity_verified(owner, "Mathieu", "Adjovi")
    mtn_api.add(PHONE, "Koffi", "Houngbédji")
    with translation.override("fr"):
        account = add_momo(org, owner, step_up)
        refused = str(kyc.IdentityVerificationRequired().message)
    assert "n’est pas le nom de votre vérification d’identité" in account.verification_note
    assert "Faites vérifier votre identité" in refused


def test_an_account_added_before_the_identity_is_checked_again_once_it_is_verified(
    providers, step_up, settings
):
    from apps.core.outbox import publish
    from apps.kyc.events import KycTierChanged

    settings.SANDBOX_ACCOUNT_HOLDERS = {PHONE: "Mathieu Adjovi"}
    org, owner = landlord_org()
    account = add_momo(org, owner, step_up)
    assert account.verified_at is None and "identity is not verified" in account.verification_note
    identity_verified(owner, "Mathieu", "Adjovi")  # staff approved his ID card: kyc says so
    with on_commit():
        publish(
            KycTierChanged(user_public_id=str(owner.public_id), old_tier=0, new_tier=1, reason="approved")
        )
    account.refresh_from_db()
    assert account.verified_via == "name_lookup" and account.looked_up_name == "Mathieu Adjovi (sandbox)"


def test_inside_a_callers_transaction_the_operator_is_asked_after_the_commit(providers, mtn_api, step_up):
    from django.db import transaction

    org, owner = landlord_org()
    identity_verified(owner)
    mtn_api.add(PHONE, "Mathieu", "Adjovi")
    with on_commit():
        with transaction.atomic():  # e.g. REST's Idempotency-Key wrapper
            account = add_momo(org, owner, step_up)
            assert account.verified_at is None and "Checking" in account.verification_note
            assert not [c for c in mtn_api.calls if "accountholder" in c[1]]  # nothing asked under the lock
    account.refresh_from_db()
    assert account.verified_via == "name_lookup"
    assert [c for c in mtn_api.calls if "accountholder" in c[1]]

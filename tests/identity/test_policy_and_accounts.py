"""The policy layer, step-up binding, account closure, and the OTP state machine."""

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from apps.core.errors import Forbidden, NotFound
from apps.identity import api
from apps.identity.errors import OtpExpired, OtpInvalid, OtpLocked, StepUpRequired
from apps.identity.models import Membership, SecurityEvent, User
from apps.identity.services import otp
from apps.identity.services.step_up import require_step_up, step_up_start, step_up_verify
from apps.identity.services.tokens import tokens_issue
from apps.identity.services.users import user_close
from tests.helpers import bearer_client
from tests.identity.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


class Lease:  # stands for another module's object that belongs to an organization
    def __init__(self, organization_id):
        self.organization_id = organization_id


def test_other_modules_register_their_rules(org_a, owner_a, collector_a, owner_b):
    api.register_rule(
        "tests.lease.update", api.has_org_role(*api.MANAGE_ROLES, org=lambda lease: lease.organization_id)
    )
    lease = Lease(org_a.pk)
    assert api.can(owner_a, "tests.lease.update", lease)
    assert not api.can(collector_a, "tests.lease.update", lease)
    assert not api.can(owner_b, "tests.lease.update", lease)
    with pytest.raises(Forbidden):
        api.require(collector_a, "tests.lease.update", lease)
    with pytest.raises(NotFound):
        api.require(owner_b, "tests.lease.update", lease, hide=True)


def test_unknown_permissions_fail_loudly(user):
    with pytest.raises(KeyError):
        api.can(user, "identity.organization.updat")
    with pytest.raises(ValueError, match="module.entity.action"):
        api.register_rule("oops", api.is_authenticated)


def test_suspended_and_anonymous_actors_can_nothing(org_a, owner_a):
    from django.contrib.auth.models import AnonymousUser

    assert api.can(owner_a, "identity.organization.update", org_a)
    owner_a.status = User.Status.SUSPENDED
    assert not api.can(owner_a, "identity.organization.update", org_a)
    assert not api.can(AnonymousUser(), "identity.organization.view", org_a)
    assert not api.can(None, "identity.organization.view", org_a)


def test_roles_are_loaded_once_per_actor(org_a, owner_a, django_assert_num_queries):
    orgs = [OrganizationFactory() for _ in range(5)]
    for org in orgs:
        MembershipFactory(organization=org, user=owner_a, role="viewer")
    actor = User.objects.get(pk=owner_a.pk)
    with django_assert_num_queries(1):
        assert all(api.can(actor, "identity.organization.view", org) for org in [org_a, *orgs])
    assert api.organization_ids_of(actor, roles=["owner"]) == {org_a.pk}


def test_drf_permission_adapter_is_usable_without_importing_drf(org_a, owner_a, viewer_a):
    permission = api.drf_permission("identity.organization.update")()

    class Request:
        def __init__(self, user):
            self.user = user

    assert permission.has_permission(Request(viewer_a), None)
    assert permission.has_object_permission(Request(owner_a), None, org_a)
    assert not permission.has_object_permission(Request(viewer_a), None, org_a)


def test_staff_roles_in_the_policy():
    support = UserFactory(is_staff=True, staff_role="support")
    compliance = UserFactory(is_staff=True, staff_role="compliance")
    admin = UserFactory(is_staff=True, staff_role="admin")
    assert api.can(compliance, "identity.audit.view") and not api.can(support, "identity.audit.view")
    assert api.can(admin, "identity.staff.manage") and not api.can(compliance, "identity.staff.manage")


def test_memberships_of_returns_plain_values(org_a, owner_a):
    [info] = api.memberships_of(owner_a)
    assert (info.organization_public_id, info.role) == (org_a.public_id, "owner")
    assert api.get_organization(org_a.public_id).name == org_a.name


# --- step-up -----------------------------------------------------------------------------


def test_step_up_is_bound_to_action_target_and_amount_and_single_use(sms, user):
    from tests.helpers import enrol_totp, totp_code

    op = {"action": "payments.payout.create", "target": "payout-1", "amount": 250_000, "currency": "XOF"}
    device = enrol_totp(user)  # a payout is a strong action: the authenticator app answers (issue 16)
    challenge = step_up_start(actor=user, **op)
    proof = step_up_verify(actor=user, challenge_id=challenge.challenge_id, code=totp_code(device))
    for other in (
        {**op, "amount": 250_001},
        {**op, "target": "payout-2"},
        {**op, "action": "wallet.transfer.create"},
        {**op, "currency": "XAF"},
    ):
        with pytest.raises(StepUpRequired):
            require_step_up(actor=user, token=proof.token, **other)
    with pytest.raises(StepUpRequired):
        require_step_up(actor=UserFactory(), token=proof.token, **op)  # another actor
    require_step_up(actor=user, token=proof.token, **op)
    with pytest.raises(StepUpRequired):
        require_step_up(actor=user, token=proof.token, **op)  # single use


def test_step_up_expires(sms, user, clock):
    op = {"action": "payments.payout_account.change", "target": "acc-1"}
    challenge = step_up_start(actor=user, **op)
    proof = step_up_verify(actor=user, challenge_id=challenge.challenge_id, code=sms.last_code(user.phone))
    clock.shift(5 * 60 + 1)
    with pytest.raises(StepUpRequired):
        require_step_up(actor=user, token=proof.token, **op)


def test_a_step_up_code_only_answers_its_own_challenge(sms, user):
    first = step_up_start(actor=user, action="a.b.c", target="t")
    with pytest.raises(OtpInvalid):
        step_up_verify(actor=user, challenge_id="other-challenge", code=sms.last_code(user.phone))
    assert first.challenge_id
    assert SecurityEvent.objects.filter(kind="step_up_failed", actor=user).exists()


# --- closure -----------------------------------------------------------------------------


def test_closing_an_account_anonymises_and_keeps_the_row(sms, org_a, viewer_a):
    phone = str(viewer_a.phone)
    pair = tokens_issue(user=viewer_a, auth_method="otp")
    client = bearer_client(viewer_a)
    challenge = step_up_start(actor=viewer_a, action="identity.user.close", target=str(viewer_a.public_id))
    proof = step_up_verify(actor=viewer_a, challenge_id=challenge.challenge_id, code=sms.last_code(phone))
    assert (
        client.post("/api/v1/identity/me/close", {"step_up_token": proof.token}, format="json").status_code
        == 204
    )
    closed = User.objects.get(pk=viewer_a.pk)  # the row stays: ledger entries point to it
    assert (closed.phone, closed.full_name, closed.email, closed.status) == (None, "", "", "closed")
    assert not closed.has_usable_password()
    assert not Membership.objects.get(user=closed).is_active
    assert client.get("/api/v1/identity/me").status_code == 401
    assert pair.refresh_token
    assert str(closed) in ("compte fermé", "closed account")
    # the number is free for a new account
    api_client = bearer_client(UserFactory(phone=phone))
    assert api_client.get("/api/v1/identity/me").json()["phone"] == phone


def test_closing_needs_the_step_up(user):
    client = bearer_client(user)
    response = client.post("/api/v1/identity/me/close", {"step_up_token": "nope"}, format="json")
    assert response.status_code == 403
    assert User.objects.get(pk=user.pk).status == "active"


def test_the_last_owner_of_a_team_cannot_close_the_account(org_a, owner_a, viewer_a):
    from apps.identity.errors import LastOwner

    with pytest.raises(LastOwner):
        user_close(actor=owner_a, user=owner_a)


# --- property: the OTP state machine ------------------------------------------------------

steps = st.lists(
    st.sampled_from(["send", "wrong", "right", "wait_cooldown", "wait_expiry", "wait_lock"]),
    min_size=1,
    max_size=12,
)


@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(script=steps)
def test_otp_state_machine(sms, clock, settings, script):
    """Against a model: a code is accepted at most once, never after expiry, never once
    the 5th wrong try has locked the phone; a new code needs the cooldown; a lock lifts."""
    settings.OTP_MAX_SENDS_PER_PHONE_PER_HOUR = 1000
    settings.OTP_MAX_SENDS_PER_IP_PER_HOUR = 1000
    cache.clear()
    phone = "+2290197000777"
    now, code, record, attempts, sent, lock_until = 0, None, False, 0, None, -1
    for step in script:
        if step.startswith("wait"):
            delta = {"wait_cooldown": 61, "wait_expiry": 301, "wait_lock": 901}[step]
            clock.shift(delta)
            now += delta
        elif step == "send":
            if now < lock_until:
                expected = OtpLocked
            elif record and now < sent + 60:
                expected = otp.OtpCooldown
            else:
                expected = None
            if expected:
                with pytest.raises(expected):
                    otp.otp_send(phone=phone, purpose="login")
            else:
                otp.otp_send(phone=phone, purpose="login")
                code, record, attempts, sent = sms.last_code(phone), True, 0, now
        else:
            candidate = code if step == "right" and code else "abcdef"
            if now < lock_until:
                with pytest.raises(OtpLocked):
                    otp.otp_verify(phone=phone, purpose="login", code=candidate)
            elif not record:
                with pytest.raises(OtpInvalid):
                    otp.otp_verify(phone=phone, purpose="login", code=candidate)
            elif now >= sent + 300:
                with pytest.raises(OtpExpired):
                    otp.otp_verify(phone=phone, purpose="login", code=candidate)
                record = False
            else:
                attempts += 1
                if candidate == code:
                    otp.otp_verify(phone=phone, purpose="login", code=candidate)
                    record = False
                elif attempts >= 5:
                    with pytest.raises(OtpLocked):
                        otp.otp_verify(phone=phone, purpose="login", code=candidate)
                    record, lock_until = False, now + 900
                else:
                    with pytest.raises(OtpInvalid):
                        otp.otp_verify(phone=phone, purpose="login", code=candidate)


def test_the_platform_organization_is_never_a_customers_organization_of_the_same_name(db):
    """identity.platform_organization (the wallet's e-money issuer) finds only a memberless
    organization: a merchant who names theirs the same is not given Hokwe's top-ups."""
    from apps.identity import api as identity_api
    from apps.identity.models import Membership
    from tests.identity.factories import MembershipFactory, OrganizationFactory

    squatter = OrganizationFactory(name="Hokwe Monnaie électronique", kind="merchant", country="BJ")
    MembershipFactory(organization=squatter, role=Membership.Role.OWNER)
    issuer = identity_api.platform_organization(name="Hokwe Monnaie électronique")
    assert issuer.public_id != squatter.public_id
    assert identity_api.platform_organization(name="Hokwe Monnaie électronique").public_id == issuer.public_id

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.core.management.commands.seed_demo import DemoContext
from apps.identity import demo
from apps.identity.models import Membership, Organization, User

pytestmark = pytest.mark.django_db


def test_demo_identities_cover_every_role_and_are_idempotent():
    demo.seed(DemoContext())
    counts = (
        User.objects.count(),
        Organization.objects.count(),
        Membership.objects.count(),
        TOTPDevice.objects.count(),
    )
    ctx = DemoContext()
    demo.seed(ctx)
    assert counts == (
        User.objects.count(),
        Organization.objects.count(),
        Membership.objects.count(),
        TOTPDevice.objects.count(),
    )
    assert set(Membership.objects.values_list("role", flat=True)) == {
        "owner",
        "manager",
        "accountant",
        "collector",
        "viewer",
    }
    assert set(User.objects.exclude(staff_role="").values_list("staff_role", flat=True)) == {
        "support",
        "compliance",
        "finance",
        "admin",
    }
    assert all(
        User.objects.get(phone=phone).check_password(password) for _label, phone, password in ctx.logins
    )

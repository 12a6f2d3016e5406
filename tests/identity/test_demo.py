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


def test_the_demo_money_movers_have_the_documented_authenticator_secret():
    import base64

    from django_otp.oath import totp

    ctx = DemoContext()
    demo.seed(ctx)
    for phone in ("+2290196000001", "+2290197000001"):
        device = TOTPDevice.objects.get(user__phone=phone, name="demo", confirmed=True)
        assert base64.b32encode(device.bin_key).decode() == demo.DEMO_MONEY_TOTP_SECRET
        assert totp(device.bin_key) == totp(base64.b32decode(demo.DEMO_MONEY_TOTP_SECRET))
        assert any(p == phone and demo.DEMO_MONEY_TOTP_SECRET in label for label, p, _pw in ctx.logins)
    # a landlord who was not given one has none (the secret only comes from the demo command)
    assert not TOTPDevice.objects.filter(user__phone="+2290196000002").exists()

"""Demo identities: a Cotonou agency, two landlords, a merchant, tenants, staff of every role.

Staff log in to /admin/ with password + TOTP: each demo staff account gets a TOTP device
with a fixed demo key; `manage.py identity_totp <phone>` prints its current code (dev only).

Money movers (issue 16): the demo landlord (+2290196000001) and the agency's owner
(+2290197000001) confirm payouts and refunds with an authenticator app. Their demo device has
the fixed, public demo secret DEMO_MONEY_TOTP_SECRET (printed with the demo logins): add it to
any authenticator app, or run `manage.py identity_totp <phone>`. Only this demo command
creates it; it never exists outside demo data.
"""

from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Membership, Organization, User

DEMO_PASSWORD = "hokwe-demo-2026"

AGENCY = {"name": "Agence Immobilière Les Cocotiers", "city": "Cotonou", "address": "Haie Vive, lot 214"}
LANDLORDS = [
    {"name": "Famille Adjovi", "city": "Cotonou", "address": "Fidjrossè, rue 12.145"},
    {"name": "M. Koffi Houngbédji", "city": "Abomey-Calavi", "address": "Godomey, carré 88"},
]
MERCHANT = {"name": "Boutique Sèmè Paiement", "city": "Cotonou", "address": "Marché Dantokpa, allée C"}

# (label, phone, full name, organization key, role)
MEMBERS = [
    ("agency owner", "+2290197000001", "Rosine Agossou", "agency", Membership.Role.OWNER),
    ("agency manager", "+2290197000002", "Serge Dossou", "agency", Membership.Role.MANAGER),
    ("agency accountant", "+2290197000003", "Aïcha Bello", "agency", Membership.Role.ACCOUNTANT),
    ("agency collector", "+2290197000004", "Gildas Tossou", "agency", Membership.Role.COLLECTOR),
    ("agency viewer", "+2290197000005", "Carine Ahouansou", "agency", Membership.Role.VIEWER),
    ("landlord (Adjovi)", "+2290196000001", "Mathieu Adjovi", "landlord0", Membership.Role.OWNER),
    ("landlord (Houngbédji)", "+2290196000002", "Koffi Houngbédji", "landlord1", Membership.Role.OWNER),
    ("merchant agent", "+2290166000001", "Nafissatou Salami", "merchant", Membership.Role.COLLECTOR),
]
TENANTS = [
    ("tenant", "+2290161000001", "Brice Zinsou"),
    ("tenant", "+2290161000002", "Estelle Kpadonou"),
    ("tenant", "+2290161000003", "Yannick Gbaguidi"),
    ("tenant", "+2290161000004", "Prisca Amoussou"),
]
STAFF = [
    ("staff admin (back-office)", "+2290190000001", "Admin Hokwe", User.StaffRole.ADMIN),
    ("staff support", "+2290190000002", "Support Hokwe", User.StaffRole.SUPPORT),
    ("staff compliance", "+2290190000003", "Conformité Hokwe", User.StaffRole.COMPLIANCE),
    ("staff finance", "+2290190000004", "Finance Hokwe", User.StaffRole.FINANCE),
]


def _user(phone: str, full_name: str, **extra) -> User:
    user = User.objects.filter(phone=phone).first()
    if user is None:
        user = User.objects.create_user(phone, DEMO_PASSWORD, full_name=full_name, **extra)
    return user


def _org(kind: str, data: dict) -> Organization:
    org, _created = Organization.objects.get_or_create(name=data["name"], kind=kind, defaults=data)
    return org


def seed(ctx) -> None:
    orgs = {
        "agency": _org(Organization.Kind.AGENCY, AGENCY),
        "landlord0": _org(Organization.Kind.OWNER, LANDLORDS[0]),
        "landlord1": _org(Organization.Kind.OWNER, LANDLORDS[1]),
        "merchant": _org(Organization.Kind.MERCHANT, MERCHANT),
    }
    for label, phone, name, org_key, role in MEMBERS:
        user = _user(phone, name)
        Membership.objects.get_or_create(organization=orgs[org_key], user=user, defaults={"role": role})
        if phone in MONEY_MOVERS:
            _totp_device(user, key=DEMO_MONEY_TOTP_KEY)
            label = f"{label} + TOTP {DEMO_MONEY_TOTP_SECRET}"
        ctx.logins.append((label, phone, DEMO_PASSWORD))
    tenants = []
    for label, phone, name in TENANTS:
        tenants.append(_user(phone, name))
        ctx.logins.append((label, phone, DEMO_PASSWORD))
    for label, phone, name, role in STAFF:
        staff = _user(phone, name, is_staff=True, staff_role=role, is_superuser=role == User.StaffRole.ADMIN)
        _totp_device(staff)
        ctx.logins.append((f"{label} + TOTP", phone, DEMO_PASSWORD))
    ctx.update(organizations=orgs, tenants=tenants)


# Demo-only TOTP key (hex, 20 bytes): never used outside the demo data.
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"
# The money movers' demo authenticator (issue 16): the key b"hokwe-demo-money-202", in hex for
# django-otp and in base32 for an authenticator app (docs/identity.md, "Demo").
DEMO_MONEY_TOTP_KEY = "686f6b77652d64656d6f2d6d6f6e65792d323032"
DEMO_MONEY_TOTP_SECRET = "NBXWW53FFVSGK3LPFVWW63TFPEWTEMBS"
MONEY_MOVERS = ("+2290196000001", "+2290197000001")  # the landlord Adjovi, the agency's owner


def _totp_device(user: User, key: str = DEMO_TOTP_KEY) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, name="demo").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="demo", key=key, confirmed=True)
    return device

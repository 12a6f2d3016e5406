"""Users are phone-first: most Hokwe users sign in with a phone number and pay by mobile
money; many have no e-mail address.

Tables only: the rules live in services.py, the authorization in policy.py.
"""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from apps.core.models import BaseModel
from apps.core.money import EXPONENTS, currency_of_country


class Language(models.TextChoices):
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")


# Sent after a queryset update of users (`public_ids`: the rows it matched). Row saves and
# deletes have Django's post_save/post_delete; a queryset update has no signal of its own,
# so the bearer snapshots (services/tokens.py, connected in apps.py) would keep the old row
# for up to 30 s. Only `last_login` alone is not worth telling.
users_updated = Signal()

_QUIET_FIELDS = frozenset({"last_login"})


class UserQuerySet(models.QuerySet):
    def update(self, **kwargs):
        if set(kwargs) <= _QUIET_FIELDS:
            return super().update(**kwargs)
        public_ids = list(self.values_list("public_id", flat=True))
        count = super().update(**kwargs)
        if public_ids:
            users_updated.send(sender=self.model, public_ids=public_ids)
        return count

    update.alters_data = True

    def bulk_update(self, objs, fields, batch_size=None):
        count = super().bulk_update(objs, fields, batch_size=batch_size)
        if not set(fields) <= _QUIET_FIELDS:
            users_updated.send(sender=self.model, public_ids=[obj.public_id for obj in objs])
        return count

    bulk_update.alters_data = True


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def create_user(self, phone, password=None, **extra):
        if not phone:
            raise ValueError("A phone number is required")
        user = self.model(phone=phone, **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_superuser(self, phone, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("staff_role", User.StaffRole.ADMIN)
        return self.create_user(phone, password, **extra)


def _is_active(user) -> bool:
    return user.status == user.Status.ACTIVE


def _refuse_is_active(user, value) -> None:
    # Model.full_clean writes back each field's cleaned value: the same value is accepted
    if bool(value) != _is_active(user):
        raise AttributeError("A user's status changes through apps.identity.services, not is_active.")


class StatusActiveFlag(models.BooleanField):
    """`User.is_active`, read from `status` (active, not suspended or closed): a field without a
    column, so no migration and no query on it. It exists because model forms that name
    `is_active` (Wagtail's user forms, built when wagtail.users is imported: docs/cms.md) must
    find a model field of that name; reading it is the old property, assigning it is refused:
    a status changes only through the identity services."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", True)
        super().__init__(*args, **kwargs)

    def get_attname_column(self):
        return self.get_attname(), None  # no column: a virtual field

    def contribute_to_class(self, cls, name, private_only=False):
        super().contribute_to_class(cls, name, private_only=True)
        setattr(cls, name, property(_is_active, _refuse_is_active))

    def save_form_data(self, instance, data):
        if bool(data) != getattr(instance, self.attname):
            raise ValueError("A user's status changes through apps.identity.services, not is_active.")


class User(BaseModel, AbstractBaseUser, PermissionsMixin):
    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        SUSPENDED = "suspended", _("suspended")
        CLOSED = "closed", _("closed")

    class StaffRole(models.TextChoices):
        SUPPORT = "support", _("support")
        COMPLIANCE = "compliance", _("compliance")
        FINANCE = "finance", _("finance")
        ADMIN = "admin", _("admin")

    # Null only once the account is closed (the number is then free for a new account).
    phone = PhoneNumberField(_("phone number"), unique=True, null=True)
    email = models.EmailField(_("e-mail address"), blank=True, default="")
    full_name = models.CharField(_("full name"), max_length=150, blank=True, default="")
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=Language.choices, default=Language.FRENCH
    )
    avatar = models.ImageField(_("avatar"), upload_to="avatars/", blank=True, null=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    is_staff = models.BooleanField(_("Hokwe staff"), default=False)
    staff_role = models.CharField(
        _("staff role"), max_length=12, choices=StaffRole.choices, blank=True, default=""
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Keycloak / OIDC subject this user is linked to (provisioned on first OIDC login).
    oidc_sub = models.CharField(_("OIDC subject"), max_length=255, null=True, blank=True, unique=True)
    # Tokens issued before this instant are refused ("log out all devices", suspension).
    tokens_valid_after = models.DateTimeField(_("tokens valid after"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    USERNAME_FIELD = "phone"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                Lower("email"), condition=~models.Q(email=""), name="user_email_unique_when_set"
            ),
        ]

    def __str__(self):
        if self.status == self.Status.CLOSED:
            return str(_("closed account"))
        return self.full_name or str(self.phone)

    # True while the status is active (read-only: StatusActiveFlag).
    is_active = StatusActiveFlag(_("active"), editable=True)

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else str(self.phone or "")

    def get_username(self) -> str:
        # the phone as text (E.164): Wagtail's editor puts the username in JSON
        return str(self.phone or "")

    @property
    def first_name(self) -> str:
        """Read-only, for Wagtail's editor (apps/cms), which greets a user by `first_name` and
        else by the username (the phone, not a string: the editor's sidebar cannot carry it)."""
        return self.get_short_name()


class Organization(BaseModel):
    """An agency (gestionnaire immobilier), an owner (landlord; an individual owner is a
    one-person organization) or a merchant (a point of sale that collects rent)."""

    class Kind(models.TextChoices):
        AGENCY = "agency", _("agency")
        OWNER = "owner", _("owner")
        MERCHANT = "merchant", _("merchant")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    country = models.CharField(_("country"), max_length=2, default="BJ")
    city = models.CharField(_("city"), max_length=100, blank=True, default="")
    address = models.CharField(_("address"), max_length=300, blank=True, default="")
    phone = PhoneNumberField(_("phone number"), blank=True, default="")
    email = models.EmailField(_("e-mail address"), blank=True, default="")
    is_active = models.BooleanField(_("active"), default=True)
    # ISO 4217 codes the organization takes money in, its own first (its country's by
    # default: XOF for Benin). Staff add another in the admin; payments and estate refuse
    # any other currency.
    currencies = models.JSONField(
        _("currencies"),
        default=list,
        blank=True,
        help_text=_('ISO 4217 codes, the organization\'s own first (e.g. ["XOF"]).'),
    )

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        codes = self.currencies if isinstance(self.currencies, list) else None
        if codes is None or any(not isinstance(c, str) or c.upper() not in EXPONENTS for c in codes):
            raise ValidationError(
                {
                    "currencies": _("A list of currency codes Hokwe handles: %(codes)s.")
                    % {"codes": ", ".join(sorted(EXPONENTS))}
                }
            )
        self.currencies = list(dict.fromkeys(c.upper() for c in codes))

    def save(self, *args, **kwargs):
        if not self.currencies:
            own = currency_of_country(self.country)
            self.currencies = [own] if own else []
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "currencies"}
        super().save(*args, **kwargs)


class Membership(BaseModel):
    class Role(models.TextChoices):
        OWNER = "owner", _("owner")
        MANAGER = "manager", _("manager")
        ACCOUNTANT = "accountant", _("accountant")
        COLLECTOR = "collector", _("collector")
        VIEWER = "viewer", _("viewer")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="membership_once_per_org"),
            models.CheckConstraint(
                condition=models.Q(role__in=["owner", "manager", "accountant", "collector", "viewer"]),
                name="membership_role_known",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.organization} ({self.role})"


class Invitation(BaseModel):
    """An invitation to join an organization, sent by SMS to a phone number. The link
    carries a random token (only its SHA-256 is stored); the invitee accepts after proving
    the phone with an OTP."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        ACCEPTED = "accepted", _("accepted")
        REVOKED = "revoked", _("revoked")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="invitations")
    phone = PhoneNumberField(_("phone number"))
    role = models.CharField(_("role"), max_length=12, choices=Membership.Role.choices)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    invited_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        related_name="invitations_sent",
        verbose_name=_("invited by"),
    )
    expires_at = models.DateTimeField(_("expires at"))
    accepted_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "phone"],
                condition=models.Q(status="pending"),
                name="invitation_one_pending_per_phone",
            ),
        ]

    def __str__(self):
        return f"{self.phone} → {self.organization} ({self.role})"


class RefreshToken(BaseModel):
    """One refresh token of a login session ("family"). Each refresh uses the token once and
    issues its successor in the same family; a token used twice revokes the whole family.
    Only the SHA-256 of the token is stored."""

    # every refresh inserts a row: no index a query does not need (refresh_user_live_idx
    # starts with the user; the hash is unique by the constraint below, without the LIKE
    # pattern index unique=True adds)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="refresh_tokens", db_index=False)
    family = models.UUIDField(_("family"), db_index=True)
    token_hash = models.CharField(_("token hash"), max_length=64, editable=False)
    parent = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    auth_method = models.CharField(_("authentication method"), max_length=20, default="otp")
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(_("revocation reason"), max_length=40, blank=True, default="")
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("refresh token")
        verbose_name_plural = _("refresh tokens")
        indexes = [models.Index(fields=["user", "revoked_at"], name="refresh_user_live_idx")]
        constraints = [
            models.UniqueConstraint(fields=["token_hash"], name="identity_refreshtoken_token_hash_key")
        ]

    def __str__(self):
        return f"{self.user_id} · {self.family}"


class SecurityEvent(models.Model):
    """The audit log of security events. Append-only: the model refuses updates and
    deletes, and on PostgreSQL a trigger refuses them too (migration 0003)."""

    class Kind(models.TextChoices):
        LOGIN = "login", _("login")
        LOGIN_FAILED = "login_failed", _("failed login")
        OTP_SENT = "otp_sent", _("OTP sent")
        OTP_FAILED = "otp_failed", _("failed OTP")
        OTP_LOCKED = "otp_locked", _("OTP locked")
        TOKEN_REFRESHED = "token_refreshed", _("token refreshed")
        TOKEN_FAMILY_REVOKED = "token_family_revoked", _("token family revoked")
        LOGOUT = "logout", _("logout")
        LOGOUT_ALL = "logout_all", _("logout from all devices")
        REGISTERED = "registered", _("registered")
        ROLE_CHANGED = "role_changed", _("role change")
        MEMBER_INVITED = "member_invited", _("member invited")
        MEMBER_JOINED = "member_joined", _("member joined")
        MEMBER_REMOVED = "member_removed", _("member removed")
        STEP_UP_VERIFIED = "step_up_verified", _("step-up verified")
        STEP_UP_FAILED = "step_up_failed", _("step-up failed")
        STAFF_LOGIN = "staff_login", _("staff login")
        STAFF_LOGIN_FAILED = "staff_login_failed", _("failed staff login")
        STAFF_IMPERSONATION = "staff_impersonation", _("staff impersonation")
        USER_SUSPENDED = "user_suspended", _("user suspended")
        USER_REACTIVATED = "user_reactivated", _("user reactivated")
        USER_CLOSED = "user_closed", _("account closed")
        TOKEN_REJECTED = "token_rejected", _("token rejected")
        SECOND_FACTOR_ADDED = "second_factor_added", _("second factor added")
        SECOND_FACTOR_REMOVED = "second_factor_removed", _("second factor removed")
        RECOVERY_CODES_CREATED = "recovery_codes_created", _("recovery codes created")
        PHONE_CHANGED = "phone_changed", _("phone number changed")
        NEW_DEVICE = "new_device", _("login from a new device")
        STRONG_ACTION_HELD = "strong_action_held", _("operation held (SIM-swap protection)")

    id = models.BigAutoField(primary_key=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True, editable=False)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, db_index=True)
    actor = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("actor")
    )
    subject = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("subject")
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Never a full phone number: the log outlives account closure.
    phone_hint = models.CharField(_("phone (masked)"), max_length=32, blank=True, default="", db_index=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=200, blank=True, default="")
    request_id = models.CharField(_("request id"), max_length=128, blank=True, default="", db_index=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The security audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The security audit log is append-only")


class Passkey(BaseModel):
    """A WebAuthn credential (passkey or security key) a user registered as a second factor.
    Only its public key is stored; `sign_count` must grow at every use (a clone is refused)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="passkeys")
    credential_id = models.CharField(_("credential id"), max_length=1024, unique=True)  # base64url
    public_key = models.BinaryField(_("public key (COSE)"))
    sign_count = models.PositiveBigIntegerField(_("signature counter"), default=0)
    transports = models.JSONField(_("transports"), default=list, blank=True)
    name = models.CharField(_("name"), max_length=64)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("passkey")
        verbose_name_plural = _("passkeys")

    def __str__(self):
        return f"{self.user_id} · {self.name}"


class KnownDevice(BaseModel):
    """A device a user has logged in from (the apps' X-Device-Id, a page's signed cookie);
    only an HMAC of the identifier is kept. A login from an unknown one starts the SIM-swap
    hold (except the account's very first device)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="known_devices")
    device_hash = models.CharField(_("device (HMAC)"), max_length=64)
    kind = models.CharField(_("kind"), max_length=8, default="app")  # app | web
    user_agent = models.CharField(_("user agent"), max_length=200, blank=True, default="")
    last_seen_at = models.DateTimeField(_("last seen"), default=timezone.now)

    class Meta:
        verbose_name = _("known device")
        verbose_name_plural = _("known devices")
        constraints = [models.UniqueConstraint(fields=["user", "device_hash"], name="known_device_once")]


class StrongActionHold(BaseModel):
    """The SIM-swap hold: actions registered with hold_after_sim_swap wait until `until`."""

    class Reason(models.TextChoices):
        PHONE_CHANGED = "phone_changed", _("phone number changed")
        NEW_DEVICE = "new_device", _("login from a new device")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="strong_action_holds")
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    until = models.DateTimeField(_("until"), db_index=True)

    class Meta:
        verbose_name = _("SIM-swap hold")
        verbose_name_plural = _("SIM-swap holds")

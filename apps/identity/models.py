"""Users are phone-first: most Hokwe users sign in with a phone number and pay by mobile
money; many have no e-mail address."""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from apps.core.models import BaseModel


class Language(models.TextChoices):
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")


class UserManager(BaseUserManager):
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

    phone = PhoneNumberField(_("phone number"), unique=True)
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
        return self.full_name or str(self.phone)

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else str(self.phone)


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

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self):
        return self.name


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
        ]

    def __str__(self):
        return f"{self.user} · {self.organization} ({self.role})"

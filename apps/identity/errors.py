"""Identity's refusals (DomainError subclasses), re-exported by api.py for other modules."""

import math

from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError, Forbidden


class RetryLater(DomainError):
    """A refusal that lifts by itself: REST answers 429 with Retry-After."""

    status = 429
    code = "rate_limited"
    default_message = _("Too many attempts. Try again later.")

    def __init__(self, message=None, *, retry_after: int, **params):
        super().__init__(message, **params)
        # Rounded up: waiting exactly Retry-After must be enough (never a second short).
        self.retry_after = max(1, math.ceil(retry_after))


class OtpLocked(RetryLater):
    code = "otp_locked"
    default_message = _("Too many wrong codes: this number is locked for a while. Try again later.")


class OtpCooldown(RetryLater):
    code = "otp_cooldown"
    default_message = _("A code was just sent. Wait a moment before asking for a new one.")


class OtpInvalid(DomainError):
    code = "otp_invalid"
    default_message = _("This code is not valid.")

    def __init__(self, message=None, **params):
        super().__init__(message, field="code", **params)


class OtpExpired(OtpInvalid):
    code = "otp_expired"
    default_message = _("This code has expired. Ask for a new one.")


class AccountInactive(DomainError):
    code = "account_inactive"
    status = 403
    default_message = _("This account is suspended or closed.")


class TokenInvalid(DomainError):
    code = "token_invalid"
    status = 401
    default_message = _("The token is invalid or has expired.")


class RefreshTokenReused(TokenInvalid):
    code = "refresh_token_reused"
    default_message = _("This refresh token was already used: all sessions of this login were revoked.")


class StepUpRequired(Forbidden):
    code = "step_up_required"
    default_message = _("This operation needs a confirmation code (step-up OTP).")


class LastOwner(DomainError):
    code = "last_owner"
    status = 409
    default_message = _("An organization needs at least one owner.")


class InvitationInvalid(DomainError):
    code = "invitation_invalid"
    status = 404
    default_message = _("This invitation is invalid, expired or already used.")


class AlreadyMember(DomainError):
    code = "already_member"
    status = 409
    default_message = _("This person is already a member of the organization.")


class InvalidRole(DomainError):
    code = "invalid_role"
    default_message = _("Unknown role.")


class NotAuthenticated(DomainError):
    """No signed-in user where one is needed (a GraphQL query of "my" things)."""

    code = "not_authenticated"
    status = 401
    default_message = _("Authentication required.")


class SecondFactorRequired(StepUpRequired):
    """A money action needs an authenticator app (TOTP) or a passkey, and the user has none:
    an SMS code alone no longer releases money. `enrol_url` says where to enrol."""

    code = "second_factor_required"
    default_message = _(
        "This operation needs an authenticator app or a passkey: an SMS code is not enough. "
        "Add one in your profile, under Security."
    )
    enrol_url = "/manager/identity/security/"

    def __init__(self, message=None, **params):
        super().__init__(message, **params)
        self.extra = {"enrol_url": self.enrol_url}


class StrongActionHeld(Forbidden):
    """The SIM-swap hold: after a phone-number change or a login from a new device, payouts
    and payout-account changes wait IDENTITY_SIM_SWAP_HOLD_HOURS. `until` is when they open."""

    code = "strong_action_held"
    default_message = _("This operation is on hold for your protection.")

    def __init__(self, until, reason: str = "", message=None, **params):
        from django.utils import dateformat, timezone

        local = timezone.localtime(until)
        message = message or _(
            "For your protection, this operation is on hold after a recent change of phone number "
            "or a login from a new device: possible from %(date)s at %(time)s."
        ) % {"date": dateformat.format(local, "j F Y"), "time": dateformat.format(local, "H:i")}
        super().__init__(message, **params)
        self.until = until
        self.reason = reason
        self.extra = {"until": until.isoformat(), "reason": reason}


class SecondFactorNotFound(DomainError):
    code = "not_found"
    status = 404
    default_message = _("This security key or authenticator was not found.")


class PasskeyInvalid(DomainError):
    code = "passkey_invalid"
    default_message = _("This passkey could not be verified. Try again.")

"""A person's side: the inbox, push devices, preferences, and forgetting a closed account."""

from __future__ import annotations

from datetime import time
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.identity import api as identity

from .. import quiet_hours, selectors
from ..contracts import Category, Channel
from ..errors import InvalidChannel, InvalidInput
from ..models import Message, Preference, PushDevice
from .sending import MANDATORY_CATEGORIES


def user_data_erase(*, user_public_id: str) -> int:
    """identity.UserClosed: forget the person (addresses, texts, devices, preferences); keep
    the log rows (statuses, dates, template keys) for the statistics. Returns rows erased."""
    user_id = identity.user_ids([user_public_id]).get(UUID(str(user_public_id)))
    if user_id is None:
        return 0
    PushDevice.objects.filter(user_id=user_id).delete()
    Preference.objects.filter(user_id=user_id).delete()
    return Message.objects.filter(user_id=user_id).update(
        address="", subject="", body="", sealed_body="", action_url="", updated_at=timezone.now()
    )


# --- inbox, devices, preferences ------------------------------------------------------------
def inbox_mark_read(*, user, public_id) -> Message:
    message = selectors.inbox_get(user=user, public_id=public_id)
    if message.read_at is None:
        message.read_at = timezone.now()
        message.save(update_fields=["read_at", "updated_at"])
    return message


def inbox_mark_all_read(*, user) -> int:
    return selectors.inbox_list(user=user, unread_only=True).update(
        read_at=timezone.now(), updated_at=timezone.now()
    )


@transaction.atomic
def device_register(*, user, token: str, platform: str, app: str = "") -> PushDevice:
    """Register (or refresh) this app installation's token. A token moves to whoever signed
    in last on the device."""
    if platform not in PushDevice.Platform.values:
        raise InvalidInput(_("Unknown platform."), field="platform")
    if not token or len(token) > 4096:
        raise InvalidInput(_("Invalid registration token."), field="token")
    device, _created = PushDevice.objects.update_or_create(
        token=token, defaults={"user": user, "platform": platform, "app": app[:40]}
    )
    return device


def device_unregister(*, user, public_id) -> None:
    selectors.device_get(user=user, public_id=public_id).delete()


def preference_update(
    *,
    user,
    disabled: dict[str, list[str]] | None = None,
    marketing_opt_out: bool | None = None,
    quiet_hours_start: time | None | object = ...,
    quiet_hours_end: time | None | object = ...,
    zone: str | None = None,
) -> Preference:
    with transaction.atomic():
        preference, _created = Preference.objects.select_for_update().get_or_create(user=user)
        if disabled is not None:
            clean: dict[str, list[str]] = {}
            for category, channels in disabled.items():
                if category not in {c.value for c in Category} or category in MANDATORY_CATEGORIES:
                    raise InvalidInput(
                        _("Unknown category or one that cannot be turned off: %(c)s.") % {"c": category},
                        field=f"disabled.{category}",
                    )
                if not isinstance(channels, list) or any(
                    c not in {ch.value for ch in Channel} for c in channels
                ):
                    raise InvalidChannel(field=f"disabled.{category}")
                clean[category] = sorted(set(channels))
            preference.disabled = clean
        if marketing_opt_out is not None:
            preference.marketing_opt_out = marketing_opt_out
        if quiet_hours_start is not ...:
            preference.quiet_hours_start = quiet_hours_start
        if quiet_hours_end is not ...:
            preference.quiet_hours_end = quiet_hours_end
        if (preference.quiet_hours_start is None) != (preference.quiet_hours_end is None):
            raise InvalidInput(_("Give both the start and the end of quiet hours."), field="quiet_hours_end")
        if zone is not None:
            if zone and not quiet_hours.valid_zone(zone):
                raise InvalidInput(_("Unknown time zone."), field="timezone")
            preference.timezone = zone
        preference.save()
    return preference

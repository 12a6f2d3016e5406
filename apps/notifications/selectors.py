"""Reads, always scoped to the actor: a user sees only their own inbox, devices and
preferences."""

from __future__ import annotations

from django.db.models import QuerySet

from . import catalog
from .contracts import Channel, Text
from .errors import DeviceNotFound, MessageNotFound
from .models import Message, Preference, PushDevice, Template


def inbox_list(*, user, unread_only: bool = False) -> QuerySet[Message]:
    qs = Message.objects.filter(user=user, channel=Channel.INAPP).exclude(status=Message.Status.SUPPRESSED)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def inbox_get(*, user, public_id) -> Message:
    message = inbox_list(user=user).filter(public_id=public_id).first()
    if message is None:
        raise MessageNotFound()
    return message


def inbox_unread_count(*, user) -> int:
    return inbox_list(user=user, unread_only=True).count()


def device_list(*, user) -> QuerySet[PushDevice]:
    return PushDevice.objects.filter(user=user).order_by("-created_at")


def device_get(*, user, public_id) -> PushDevice:
    device = device_list(user=user).filter(public_id=public_id).first()
    if device is None:
        raise DeviceNotFound()
    return device


def preference_for(*, user) -> Preference:
    """The user's preferences (unsaved defaults when they never changed anything)."""
    return Preference.objects.filter(user=user).first() or Preference(user=user)


def template_overrides(keys) -> dict[tuple[str, str, str], Template]:
    """Active staff versions, by (key, channel, language)."""
    return {
        (t.key, t.channel, t.language): t
        for t in Template.objects.filter(key__in=list(keys), is_active=True).only(
            "id", "key", "channel", "language", "version", "subject", "body"
        )
    }


def template_text(
    key: str, channel: str, language: str, overrides: dict[tuple[str, str, str], Template]
) -> tuple[Text, int] | None:
    """The text to use and its version (0 = the catalogue default). French is the fallback
    language when a text exists only in French."""
    for lang in (language, "fr"):
        override = overrides.get((key, channel, lang))
        if override is not None:
            return Text(body=override.body, subject=override.subject), override.version
        default = catalog.CATALOG[key].defaults.get(channel, {}).get(lang)
        if default is not None:
            return default, 0
    return None


def template_versions(*, key: str, channel: str, language: str) -> QuerySet[Template]:
    return Template.objects.filter(key=key, channel=channel, language=language).order_by("-version")

"""Announcements: a manager writes to every tenant of a property (SMS, push, in-app)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from apps.identity import api as identity
from apps.notifications import api as notifications
from apps.notifications.contracts import SendRequest

from ..contracts import LeaseStatus
from ..errors import InvalidInput
from ..messages import ANNOUNCEMENT
from ..models import Announcement, LeaseTenant, Property
from .common import require

TEMPLATE = ANNOUNCEMENT  # apps/estate/messages.py
CHANNELS = ("sms", "push", "inapp")


@transaction.atomic
def announcement_send(*, actor, property: Property, title: str, message: str, link: str = "") -> Announcement:
    require(actor, "estate.portfolio.manage", property)
    title, message = (title or "").strip(), (message or "").strip()
    if not title or len(title) > 120:
        raise InvalidInput(_("A title of at most 120 characters."), field="title")
    if not message or len(message) > 600:
        raise InvalidInput(_("A message of at most 600 characters."), field="message")
    tenants = list(
        LeaseTenant.objects.filter(lease__unit__property=property, lease__status=LeaseStatus.ACTIVE)
        .values_list("user__public_id", flat=True)
        .distinct()
    )
    announcement = Announcement.objects.create(
        organization_id=property.organization_id,
        property=property,
        title=title,
        message=message,
        sent_by=actor,
        recipients=len(tenants),
    )
    url = link or "https://hokwe.com"
    sender = str(identity.get_organization(id=property.organization_id).public_id)  # its SMS, metered
    notifications.send_many(
        SendRequest(
            recipient=str(user_id),
            template_key=TEMPLATE,
            context={"title": title, "summary": message, "url": url},
            channels=CHANNELS,
            priority=None,
            idempotency_key=f"estate:announcement:{announcement.public_id}",
            language=None,
            organization=sender,
        )
        for user_id in tenants
    )
    return announcement

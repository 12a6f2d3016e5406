"""« Find my pay link » on pay.hokwe.com (cms) asks estate for a phone's open pay links:
registered with cms in EstateConfig.ready (cms sits below estate and never imports it). cms
sends them by SMS to that phone only, never on screen."""

from __future__ import annotations

from django.urls import reverse

from .contracts import OPEN_DUE_STATUSES
from .documents import public_url
from .models import LeaseTenant, RentDue

# At most this many links in one SMS (oldest open due first: the one to pay now).
MAX_LINKS = 3


def open_pay_links(phone_e164: str) -> list[str]:
    """The pay links of the open rent dues (an ended lease's unpaid ones too) of the leases
    whose tenant has this phone, the oldest first."""
    lease_ids = LeaseTenant.objects.filter(user__phone=phone_e164).values("lease_id")
    tokens = (
        RentDue.objects.filter(lease_id__in=lease_ids, status__in=OPEN_DUE_STATUSES)
        .order_by("due_date", "id")
        .values_list("pay_token", flat=True)[:MAX_LINKS]
    )
    return [public_url(reverse("estate:pay-due", args=[token])) for token in tokens]


def register() -> None:
    from apps.cms import api as cms

    cms.register_pay_link_finder(open_pay_links)

"""A market application opens a tenant screening request (docs/scoring.md « Tenant screening »).

market publishes ApplicationSubmitted when a seeker applies to a listing; scoring (above
market) opens the screening request for the applicant's phone with `request_create`, on
behalf of the manager who published the listing (else the organization's first manager),
and hands its id back with market.api.attach_screening. The consent flow is unchanged: the
applicant gets the consent link by SMS and nothing is shared before they consent. A listing
that is not a unit under management (an independent owner's) opens no request."""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.utils.translation import pgettext_lazy

from apps.core.errors import DomainError, NotFound
from apps.identity import api as identity
from apps.identity.contracts import MANAGE_ROLES
from apps.market import api as market

from ..models import ScreeningRequest
from .screening import request_create, state

log = logging.getLogger(__name__)

STATE_LABELS = {
    "pending": ScreeningRequest.Status.PENDING.label,
    "consented": ScreeningRequest.Status.CONSENTED.label,
    "issued": ScreeningRequest.Status.ISSUED.label,
    "withdrawn": ScreeningRequest.Status.WITHDRAWN.label,
    "expired": pgettext_lazy("a screening request", "expired"),
}


def _requester(organization_id: int, published_by: int | None):
    managers = identity.members_of(organization_id=organization_id, roles=MANAGE_ROLES)
    ids = [m.id for m in managers]
    if published_by in ids:
        chosen = published_by
    elif ids:
        chosen = ids[0]
    else:
        return None
    return get_user_model().objects.filter(pk=chosen).first()


def screen_application(application_id: str) -> ScreeningRequest | None:
    """Open the screening request of a market application, once (an application that
    already has one, or without a unit under management, opens nothing)."""
    try:
        facts = market.application_screening_facts(application_id)
    except NotFound:
        return None
    except DomainError as exc:
        if getattr(exc, "status", None) == 404:
            return None
        raise
    if facts.screening or not facts.unit_id or not facts.organization_id or not facts.applicant_phone:
        return None
    actor = _requester(facts.organization_id, facts.listing_created_by)
    if actor is None:
        return None
    try:
        req = request_create(
            actor=actor,
            unit=facts.unit_id,
            phone=facts.applicant_phone,
            applicant_name=facts.applicant_name,
            rent=facts.rent,
            note=facts.listing_title[:300],
        )
    except DomainError as exc:  # a unit no longer under management, a phone refused…: no retry helps
        log.warning("market application %s: no screening request (%s)", application_id, exc.code)
        return None
    market.attach_screening(application_id, req.public_id)
    return req


def screening_states(request_ids) -> dict:
    """{request public id: (state, label)} for market's list of applicants (one query)."""
    rows = ScreeningRequest.objects.filter(public_id__in=list(request_ids))
    out = {}
    for row in rows:
        code = state(row)
        out[row.public_id] = (code, str(STATE_LABELS.get(code, code)))
    return out

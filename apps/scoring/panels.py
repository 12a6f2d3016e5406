"""Scoring's panels on other modules' pages (apps/core/panels.py). Each part appends its
Panel to PANELS."""

from __future__ import annotations

from apps.core.panels import Panel

PANELS: list[Panel] = []


# --- the tenant's own score: on the tenant space's home, and the loyalty tier on the manager's
# lease page (« Locataire fidèle : or — vous pouvez réduire le dépôt au renouvellement ») ---


def _tenant_score(request, **ids):
    """The tenant's score in their space (None: not signed in, or the score cannot be read)."""
    from apps.core.errors import DomainError

    from .services.tenant_view import band_label, loyalty_label, my_score

    if not getattr(request.user, "is_authenticated", False):
        return None
    try:
        info = my_score(request.user)
    except DomainError:
        return None
    return {
        "score": info.score,
        "band_label": band_label(info.band),
        "loyalty": loyalty_label(info.loyalty_tier) if info.loyalty_tier else "",
    }


def _lease_loyalty(request, lease=None, **ids):
    """The loyalty tier of each tenant of the lease (their stored score's tier), for a member
    of the lease's managing or owning organization (another organization's lease: nothing).
    Only the tier is shown, never the score; each read is in the access log
    (why="lease_loyalty")."""
    from django.utils.translation import gettext as _

    from apps.core.errors import DomainError
    from apps.estate import api as estate
    from apps.identity import api as identity

    from .models import Score, ScoreAccess
    from .services.tenant_view import loyalty_label

    user = request.user
    if lease is None or not getattr(user, "is_authenticated", False):
        return None
    try:
        info = estate.lease(lease)
    except DomainError:
        return None
    mine = {m.organization_public_id for m in identity.memberships_of(user)}
    if info.organization not in mine and info.owner not in mine:
        return None
    rewards = {
        "gold": _("you can lower the deposit at renewal"),
        "silver": _("a good tenant to renew on the same terms"),
    }
    rows = (
        Score.objects.filter(user__public_id__in=info.tenants)
        .exclude(loyalty_tier="")
        .values_list("user_id", "user__public_id", "loyalty_tier")
    )
    tenants = []
    for subject, public_id, tier in rows:
        name = identity.get_user(public_id).full_name if len(info.tenants) > 1 else ""
        ScoreAccess.objects.create(
            subject_id=subject,
            viewer=user,
            viewer_label=(user.full_name or str(user.phone or ""))[:150],
            why="lease_loyalty",
        )
        tenants.append(
            {"tier": tier, "label": loyalty_label(tier), "reward": rewards.get(tier, ""), "name": name}
        )
    return {"tenants": tenants} if tenants else None


PANELS += [
    Panel(slot="estate.tenant", template="scoring/score_panel.html", context=_tenant_score, order=60),
    Panel(
        slot="estate.lease", template="scoring/panels/lease_loyalty.html", context=_lease_loyalty, order=60
    ),
]


# --- HokweValuation: each unit's rent estimate and range on the manager's property page ---


def _property_valuations(request, property=None, **ids):
    """Every unit's rent estimate (range 10-90 %) and sale price estimate, for a manager of the
    property's organization (anyone else: nothing; estate's api scopes the units)."""
    from .services.valuation import estimates_for_property

    if property is None or not getattr(request.user, "is_authenticated", False):
        return None
    rows = estimates_for_property(request.user, property)
    if not rows:
        return None
    methods = {v.method for _u, v in rows}
    versions = {v.model_version for _u, v in rows if v.model_version}
    return {
        "rows": [{"unit": u, "valuation": v} for u, v in rows],
        "any_model": "blend" in methods or "model" in methods,
        "model_version": ", ".join(sorted(versions)),
    }


PANELS += [
    Panel(
        slot="estate.property",
        template="scoring/panels/property_valuation.html",
        context=_property_valuations,
        order=50,
    ),
]

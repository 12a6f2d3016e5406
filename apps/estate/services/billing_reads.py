"""What billing reads from estate (registered from EstateConfig.ready() through
`billing.api.register_quantity_source`): the units under management per organization, for
the per-unit price and the plan's unit limit (`estate.units`)."""

from __future__ import annotations

from django.db.models import Count

from ..models import Unit


def units_under_management(org_ids: list[int]) -> dict[int, int]:
    """{organization id: its units}, every status (vacant, occupied, under works); one query
    for the whole list."""
    if not org_ids:
        return {}
    rows = (
        Unit.objects.filter(organization_id__in=list(org_ids))
        .values("organization_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["organization_id"]: row["n"] for row in rows}

"""The daily reconciliation with each partner's positions file (docs/invest.md
« Reconciliation »): every (account, product) of the file against Hokwe's positions of that
partner's products; each disagreement (a quantity that differs, a line only one side has) is
a ReconciliationDifference for finance to resolve in the admin. Re-running a day replaces
its unresolved differences. The partner is called outside any transaction."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from ..models import Partner, PartnerAccount, Position, Reconciliation, ReconciliationDifference
from ..providers import partner_client
from ..providers.base import PartnerUnavailable


def reconcile(partner: Partner, on: date | None = None) -> Reconciliation:
    on = on or timezone.localdate()
    error = ""
    try:
        lines = partner_client(partner).positions(on)
    except PartnerUnavailable as exc:
        lines, error = [], str(exc)[:300]
    theirs: dict[tuple[str, str], int] = {}
    for line in lines:
        key = (line.account, line.product_code)
        theirs[key] = theirs.get(key, 0) + line.quantity
    references = dict(PartnerAccount.objects.filter(partner=partner).values_list("user_id", "reference"))
    ours: dict[tuple[str, str], int] = {}
    for user_id, code, quantity in Position.objects.filter(
        product__partner=partner, quantity__gt=0
    ).values_list("user_id", "product__code", "quantity"):
        ours[(references.get(user_id, f"user:{user_id}"), code)] = quantity
    differences = []
    matched = 0
    if not error:
        for key in sorted(set(theirs) | set(ours)):
            a, b = ours.get(key, 0), theirs.get(key, 0)
            if a == b:
                matched += 1
            else:
                differences.append((key, a, b))
    with transaction.atomic():
        run, _ = Reconciliation.objects.update_or_create(
            partner=partner,
            on=on,
            defaults={
                "lines": len(lines),
                "matched": matched,
                "differences": len(differences),
                "error": error,
            },
        )
        ReconciliationDifference.objects.filter(reconciliation=run, resolved=False).delete()
        ReconciliationDifference.objects.bulk_create(
            ReconciliationDifference(reconciliation=run, account=k[0], product_code=k[1], ours=a, theirs=b)
            for k, a, b in differences
        )
    return run


def reconcile_all(on: date | None = None) -> list[Reconciliation]:
    return [reconcile(p, on) for p in Partner.objects.filter(active=True)]

"""The monitoring rules, evaluated at intake on the transaction just recorded. Each rule is a
couple of indexed queries on MonitoredTransaction (payer phone/user + time, organization
account + time, organization kind + time), bounded by its window; a rule that does not
apply to the transaction (kind, no payer, no threshold for the currency) costs nothing.

Windows end at the transaction's own time: (occurred_at - window, occurred_at].
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Min, Q, Sum
from django.utils.translation import gettext as _

from apps.core.money import format_amount

from .. import monitoring
from ..models import Alert, MonitoredTransaction

ATTACH_LIMIT = 200  # transactions attached per hit (the newest); the counts are exact


@dataclass(frozen=True)
class Hit:
    rule: str
    severity: int
    score: int
    subject_kind: str
    subject_key: str
    summary: str
    transaction_ids: tuple[int, ...]
    subject_phone: str = ""
    subject_user_id: int | None = None
    organization_id: int | None = None
    account: str = ""


def _payer(tx: MonitoredTransaction) -> Q | None:
    q = None
    if tx.payer_user_id:
        q = Q(payer_user_id=tx.payer_user_id)
    if tx.payer_phone:
        q = Q(payer_phone=tx.payer_phone) if q is None else q | Q(payer_phone=tx.payer_phone)
    return q


def _payer_subject(tx: MonitoredTransaction) -> dict:
    key = f"user:{tx.payer_user.public_id}" if tx.payer_user_id else f"phone:{tx.payer_phone}"
    return {
        "subject_kind": Alert.SubjectKind.PAYER,
        "subject_key": key,
        "subject_phone": tx.payer_phone,
        "subject_user_id": tx.payer_user_id,
        "organization_id": tx.organization_id,
    }


def _account_subject(tx: MonitoredTransaction) -> dict:
    return {
        "subject_kind": Alert.SubjectKind.ACCOUNT,
        "subject_key": f"account:{tx.organization.public_id}:{tx.account}",
        "organization_id": tx.organization_id,
        "account": tx.account,
    }


def _organization_subject(tx: MonitoredTransaction) -> dict:
    return {
        "subject_kind": Alert.SubjectKind.ORGANIZATION,
        "subject_key": f"org:{tx.organization.public_id}",
        "organization_id": tx.organization_id,
    }


def _window(tx: MonitoredTransaction, hours: int) -> Q:
    return Q(occurred_at__gt=tx.occurred_at - timedelta(hours=hours), occurred_at__lte=tx.occurred_at)


def _ids(qs) -> tuple[int, ...]:
    return tuple(qs.order_by("-occurred_at", "-id").values_list("id", flat=True)[:ATTACH_LIMIT])


def velocity(tx: MonitoredTransaction, entry: dict) -> Hit | None:
    """More than `max_count` payments by one payer within `window_hours`."""
    payer = _payer(tx)
    if tx.kind != MonitoredTransaction.Kind.COLLECT or payer is None:
        return None
    qs = MonitoredTransaction.objects.filter(payer, _window(tx, entry["window_hours"]), kind=tx.kind)
    count = qs.count()
    if count <= entry["max_count"]:
        return None
    return Hit(
        rule="velocity",
        severity=monitoring.severity(entry),
        score=monitoring.score(count, entry["max_count"] + 1),
        summary=_("%(count)s payments by this payer in %(hours)s h (more than %(max)s).")
        % {"count": count, "hours": entry["window_hours"], "max": entry["max_count"]},
        transaction_ids=_ids(qs),
        **_payer_subject(tx),
    )


def large_amount(tx: MonitoredTransaction, entry: dict) -> Hit | None:
    """One transaction at or above the currency's threshold."""
    threshold = monitoring.for_currency(entry["thresholds"], tx.currency)
    if threshold is None or tx.amount < threshold:
        return None
    if _payer(tx) is not None and tx.kind != MonitoredTransaction.Kind.PAYOUT:
        subject = _payer_subject(tx)
    elif tx.kind == MonitoredTransaction.Kind.COLLECT:
        subject = _account_subject(tx)
    else:
        subject = _organization_subject(tx)
    return Hit(
        rule="large_amount",
        severity=monitoring.severity(entry),
        score=monitoring.score(tx.amount, threshold),
        summary=_("%(kind)s of %(amount)s (threshold %(threshold)s).")
        % {
            "kind": tx.get_kind_display(),
            "amount": format_amount(tx.amount, tx.currency),
            "threshold": format_amount(threshold, tx.currency),
        },
        transaction_ids=(tx.pk,),
        **subject,
    )


def structuring(tx: MonitoredTransaction, entry: dict) -> Hit | None:
    """At least `min_count` payments by one payer within `window_hours`, each under a cap by
    at most `margin_percent` %, together above that cap."""
    payer = _payer(tx)
    caps = monitoring.for_currency(entry["caps"], tx.currency)
    if tx.kind != MonitoredTransaction.Kind.COLLECT or payer is None or caps is None:
        return None
    margin = entry["margin_percent"]
    for cap in sorted(caps if isinstance(caps, list) else [caps]):
        if not monitoring.near_cap(tx.amount, cap, margin):
            continue
        lowest = -(-cap * (100 - margin) // 100)  # ceil: the smallest amount near the cap
        qs = MonitoredTransaction.objects.filter(
            payer,
            _window(tx, entry["window_hours"]),
            kind=tx.kind,
            currency=tx.currency,
            amount__gte=lowest,
            amount__lt=cap,
        )
        totals = qs.aggregate(count=Count("id"), total=Sum("amount"))
        if totals["count"] >= entry["min_count"] and (totals["total"] or 0) > cap:
            return Hit(
                rule="structuring",
                severity=monitoring.severity(entry),
                score=monitoring.score(totals["total"], cap),
                summary=_(
                    "%(count)s payments just under %(cap)s by this payer in %(hours)s h, %(total)s in all."
                )
                % {
                    "count": totals["count"],
                    "cap": format_amount(cap, tx.currency),
                    "hours": entry["window_hours"],
                    "total": format_amount(totals["total"], tx.currency),
                },
                transaction_ids=_ids(qs),
                **_payer_subject(tx),
            )
    return None


def many_payers(tx: MonitoredTransaction, entry: dict) -> Hit | None:
    """More than `max_payers` distinct payer phones into one organization account within
    `window_hours`."""
    if tx.kind != MonitoredTransaction.Kind.COLLECT or not tx.payer_phone or not tx.account:
        return None
    qs = MonitoredTransaction.objects.filter(
        _window(tx, entry["window_hours"]),
        organization_id=tx.organization_id,
        account=tx.account,
        kind=tx.kind,
    ).exclude(payer_phone="")
    payers = qs.values("payer_phone").distinct().count()
    if payers <= entry["max_payers"]:
        return None
    return Hit(
        rule="many_payers",
        severity=monitoring.severity(entry),
        score=monitoring.score(payers, entry["max_payers"] + 1),
        summary=_("%(count)s different payers into this account in %(hours)s h (more than %(max)s).")
        % {"count": payers, "hours": entry["window_hours"], "max": entry["max_payers"]},
        transaction_ids=_ids(qs),
        **_account_subject(tx),
    )


def payout_after_collections(tx: MonitoredTransaction, entry: dict) -> Hit | None:
    """A payout after collections from at least `min_new_payers` payers first seen less than
    `new_payer_days` days before, within `window_hours` before the payout."""
    if tx.kind != MonitoredTransaction.Kind.PAYOUT:
        return None
    collections = MonitoredTransaction.objects.filter(
        _window(tx, entry["window_hours"]), organization_id=tx.organization_id, kind="collect"
    ).exclude(payer_phone="")
    phones = list(collections.values_list("payer_phone", flat=True).distinct()[:10_000])
    if len(phones) < entry["min_new_payers"]:
        return None
    new = list(
        MonitoredTransaction.objects.filter(payer_phone__in=phones)
        .values("payer_phone")
        .annotate(first=Min("occurred_at"))
        .filter(first__gt=tx.occurred_at - timedelta(days=entry["new_payer_days"]))
        .values_list("payer_phone", flat=True)
    )
    if len(new) < entry["min_new_payers"]:
        return None
    return Hit(
        rule="payout_after_collections",
        severity=monitoring.severity(entry),
        score=monitoring.score(len(new), entry["min_new_payers"]),
        summary=_("Payout of %(amount)s after payments from %(count)s new payers in %(hours)s h.")
        % {
            "amount": format_amount(tx.amount, tx.currency),
            "count": len(new),
            "hours": entry["window_hours"],
        },
        transaction_ids=(tx.pk, *_ids(collections.filter(payer_phone__in=new)))[:ATTACH_LIMIT],
        **_organization_subject(tx),
    )


RULES = {
    "velocity": velocity,
    "large_amount": large_amount,
    "structuring": structuring,
    "many_payers": many_payers,
    "payout_after_collections": payout_after_collections,
}


def evaluate(tx: MonitoredTransaction, table: dict | None = None) -> list[Hit]:
    """The hits of every enabled rule on `tx` (recorded already, so it counts itself)."""
    table = settings.KYC_MONITORING_RULES if table is None else table
    hits = []
    for rule, entry in monitoring.enabled_rules(table).items():
        hit = RULES[rule](tx, entry)
        if hit is not None:
            hits.append(hit)
    return hits

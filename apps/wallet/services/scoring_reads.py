"""Set-based reads of users' wallet regularity for scoring (the rent score's features):
Cotis'Hokwe contributions on time, late and defaulted; HokweSplit's best streak; the months
the wallet was used. A few queries (one per source), whatever the number of users."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.db.models import Count, F, Max, Q
from django.db.models.functions import TruncDate, TruncMonth

from ..models import (
    P2pTransfer,
    RentPayment,
    SplitInstalment,
    SplitPlan,
    TontineContribution,
    TopUp,
    Withdrawal,
)


@dataclass(frozen=True)
class WalletRegularity:
    tontine_on_time: int = 0  # contributions paid by their round's due date
    tontine_late: int = 0  # paid after it, or still late
    tontine_defaults: int = 0  # rounds closed without the member's contribution
    split_streak_max: int = 0  # HokweSplit: the best run of instalments on time, any plan
    active_months_6: int = 0  # of the last 6 months (this one included), those with wallet use


def _month_index(day) -> int:
    return day.year * 12 + day.month - 1


def wallet_regularity(user_ids, *, today: date) -> dict[UUID, WalletRegularity]:
    """{user public id: WalletRegularity} for users with any wallet, tontine or HokweSplit use."""
    ids = list({UUID(str(u)) for u in user_ids})
    if not ids:
        return {}
    out: dict[UUID, dict] = defaultdict(dict)
    paid = Q(status=TontineContribution.Status.PAID)
    contributions = (
        TontineContribution.objects.filter(member__user__public_id__in=ids)
        .annotate(paid_day=TruncDate("paid_at"))
        .values(uid=F("member__user__public_id"))
        .annotate(
            tontine_on_time=Count("id", filter=paid & Q(paid_day__lte=F("round__due_date"))),
            tontine_late=Count(
                "id",
                filter=(paid & Q(paid_day__gt=F("round__due_date")))
                | Q(status=TontineContribution.Status.LATE),
            ),
            tontine_defaults=Count("id", filter=Q(status=TontineContribution.Status.DEFAULTED)),
        )
        .order_by()
    )
    for row in contributions:
        out[row.pop("uid")].update(row)
    streaks = (
        SplitPlan.objects.filter(user__public_id__in=ids)
        .values(uid=F("user__public_id"))
        .annotate(split_streak_max=Max("best_streak"))
        .order_by()
    )
    for row in streaks:
        out[row.pop("uid")]["split_streak_max"] = row["split_streak_max"] or 0

    first = _month_index(today) - 5
    since = date(first // 12, first % 12 + 1, 1)
    months: dict[UUID, set[int]] = defaultdict(set)
    sources = [
        TopUp.objects.filter(
            wallet__user__public_id__in=ids, status=TopUp.Status.SUCCEEDED, credited_at__date__gte=since
        ).values_list("wallet__user__public_id", TruncMonth("credited_at")),
        Withdrawal.objects.filter(
            wallet__user__public_id__in=ids, status=Withdrawal.Status.PAID, completed_at__date__gte=since
        ).values_list("wallet__user__public_id", TruncMonth("completed_at")),
        P2pTransfer.objects.filter(
            sender__public_id__in=ids,
            status__in=[P2pTransfer.Status.COMPLETED, P2pTransfer.Status.CLAIMED],
            created_at__date__gte=since,
        ).values_list("sender__public_id", TruncMonth("created_at")),
        RentPayment.objects.filter(actor__public_id__in=ids, created_at__date__gte=since).values_list(
            "actor__public_id", TruncMonth("created_at")
        ),
        TontineContribution.objects.filter(
            member__user__public_id__in=ids, status=TontineContribution.Status.PAID, paid_at__date__gte=since
        ).values_list("member__user__public_id", TruncMonth("paid_at")),
        SplitInstalment.objects.filter(
            plan__user__public_id__in=ids, status=SplitInstalment.Status.PAID, paid_on__gte=since
        ).values_list("plan__user__public_id", TruncMonth("paid_on")),
    ]
    for query in sources:
        for user, month in query.distinct():
            if month is not None:
                months[user].add(_month_index(month))
    for user, seen in months.items():
        out[user]["active_months_6"] = len({m for m in seen if first <= m <= _month_index(today)})
    return {user: WalletRegularity(**values) for user, values in out.items()}

"""Cotis'Hokwe's rounds: collecting contributions, lateness, guarantees, closing a round and
paying its pot; the daily run `close_due_rounds(today)` (docs/wallet.md, "Cotis'Hokwe").

Every transfer has a key built from the round and the member (`wallet:tontine:<round>:<member>`
for a contribution), and the rows that record it change in the same transaction: a rerun of an
interrupted run skips what was done (the rows say so) and the ledger refuses to move twice.

    close_due_rounds(today, batch=200) -> RunResult

1. auto-debit: every unpaid contribution of an open round whose due date has come is taken
   from the member's wallet (retried each day until the round closes); one not paid on its
   due date is late (ContributionLate, the group's penalty is added);
2. close: a round whose close date has come takes its last chances (a member who already
   received: their guarantee is applied; before their turn: what they owe is withheld from
   their own pot; MemberDefaulted either way), then pays the pot: the organiser's
   commission, the bid discount shared among the others, the rest to the beneficiary's
   wallet or their landlord's rent due; the beneficiary's guarantee is then held.

Groups are processed `batch` at a time, each group in its own transaction: a fault stops
the run with every finished group committed, and the next run picks up the rest.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import asdict, dataclass, field
from datetime import date
from types import SimpleNamespace

from django.conf import settings
from django.db import connection, transaction
from django.db.models import CharField, Exists, ExpressionWrapper, OuterRef, Q
from django.utils import timezone

from apps.core.bulk import collector_paused
from apps.core.errors import DomainError
from apps.core.outbox import publish
from apps.ledger import api as ledger
from apps.ledger.contracts import Leg
from apps.notifications import api as notifications

from ..errors import TontineStateConflict, WalletClosed, WalletFrozen
from ..events import ContributionLate, MemberDefaulted, PotPaid
from ..models import TontineContribution, TontineGroup, TontineMember, TontineRound
from . import wallets
from .split_schedule import transfer_passing
from .tontine import publish_paid

logger = logging.getLogger("hokwe.wallet.tontine")

Group = TontineGroup
Member = TontineMember
Round = TontineRound
Contribution = TontineContribution

# what a member's side can refuse (the run goes on and retries tomorrow); anything else is a
# fault of the system and stops the run (the next run resumes)
MEMBER_REFUSALS = (ledger.InsufficientFunds, WalletFrozen, WalletClosed)


def _kyc_refusals() -> tuple:
    from apps.kyc import api as kyc

    return (kyc.KycLimitExceeded,)


@dataclass
class RunResult:
    today: date
    groups: int = 0
    debited: int = 0
    late: int = 0
    refused: int = 0
    defaulted: int = 0
    rounds_paid: int = 0
    completed: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        out = asdict(self)
        out["today"] = self.today.isoformat()
        return out


def contribution_key(row: Contribution) -> str:
    return f"wallet:tontine:{row.round.public_id}:{row.member.public_id}"


def penalty_due(row: Contribution, today: date) -> int:
    """The penalty a contribution carries: the group's late penalty once its due date passed
    unpaid (it is fixed on the row when the contribution turns late)."""
    if row.penalty:
        return row.penalty
    if today > row.round.due_date:
        return row.round.group.late_penalty
    return 0


def _notify(group: Group, users, key: str, context: dict, idem: str) -> None:
    for user in users:
        if user is None:
            continue
        notifications.send(user.public_id, key, context, idempotency_key=f"{idem}:{user.public_id}")


# --- paying one contribution -----------------------------------------------------------------


def mark_paid(
    row: Contribution,
    *,
    method: str,
    transfer,
    penalty: int,
    today: date,
    collector=None,
) -> Contribution:
    """Record a contribution as paid (its money is in the pot) and publish ContributionPaid;
    the member's guarantee shrinks with what they still owe."""
    late = today > row.round.due_date or row.status == Contribution.Status.LATE
    row.status = Contribution.Status.PAID
    row.method = method
    row.penalty = penalty
    row.paid_at = timezone.now()
    row.transfer = transfer
    if collector is not None:
        row.collector = collector
    row.save(update_fields=["status", "method", "penalty", "paid_at", "transfer", "collector", "updated_at"])
    publish_paid(row, today=today, late=late)
    if row.member.guarantee_hold or row.round.beneficiary_id is not None:
        guarantee_refresh(row.member, row.round.group)
    return row


def collect(
    row: Contribution, *, method: str, today: date, collector=None, refusal_counts: bool = False
) -> Contribution:
    """Take one contribution (and its penalty) from the member's wallet — or the collector's,
    for cash — into the pot, now. Idempotent: the key is the round's and the member's."""
    with transaction.atomic():
        row = (
            Contribution.objects.select_for_update(of=("self",))
            .select_related("round", "round__group", "member", "member__user")
            .get(pk=row.pk)
        )
        group = row.round.group
        if row.status == Contribution.Status.PAID:
            return row
        if row.round.status != Round.Status.OPEN:
            raise TontineStateConflict(field="round")
        payer = collector if collector is not None else row.member.user
        wallet = wallets.wallet_for(payer, group.currency)
        penalty = penalty_due(row, today)
        # the member's guarantee is released for the time of the payment (a guarantee
        # never stops its holder from paying), then held again for what is left
        _release_guarantee(row.member)
        result = wallets.move(
            idempotency_key=contribution_key(row),
            code="tontine_contribution",
            debit=wallet.account,
            credit=group.pot_account,
            amount=row.amount + penalty,
            currency=group.currency,
            out_of=wallet,
            kyc_operation="wallet_payment",
            description=f"Cotis'Hokwe {group.name}: round {row.round.number}",
            reference=f"wallet.TontineContribution:{row.public_id}",
        )
        return mark_paid(
            row, method=method, transfer=result.public_id, penalty=penalty, today=today, collector=collector
        )


# --- guarantees ------------------------------------------------------------------------------


def _release_guarantee(member: Member) -> None:
    if member.guarantee_hold:
        ledger.void_hold(hold=member.guarantee_hold)
        member.guarantee_hold = None
        member.guarantee_amount = 0
        Member.objects.filter(pk=member.pk).update(guarantee_hold=None, guarantee_amount=0)


def owed_after(member: Member) -> int:
    """What a member still has to pay in this cycle (unpaid contributions of open rounds)."""
    rows = Contribution.objects.filter(member=member, round__status=Round.Status.OPEN).exclude(
        status=Contribution.Status.PAID
    )
    return sum(r.amount for r in rows)


def guarantee_refresh(member: Member, group: Group) -> int:
    """After their turn, a member's guarantee is a ledger hold on their wallet (toward the
    pot) for what they still owe, as far as their wallet covers it; it shrinks as they pay.
    Returns the amount held."""
    _release_guarantee(member)
    if not group.guarantee_required or member.user_id is None:
        return 0
    if not Round.objects.filter(group=group, beneficiary=member, status=Round.Status.PAID).exists():
        return 0
    owed = owed_after(member)
    if owed <= 0:
        return 0
    wallet = wallets.wallet_for(member.user, group.currency)
    if wallet.status != wallet.Status.ACTIVE:
        return 0
    available = ledger.balance(account=wallet.account).available
    amount = min(owed, max(0, available))
    if amount <= 0:
        return 0
    hold = ledger.hold(
        idempotency_key=f"wallet:tontine:guarantee:{member.public_id}:{uuid.uuid4()}",
        code="tontine_guarantee",
        legs=[
            Leg.debit(wallet.account, amount, group.currency),
            Leg.credit(group.pot_account, amount, group.currency),
        ],
        description=f"Cotis'Hokwe {group.name}: guarantee",
        reference=f"wallet.TontineMember:{member.public_id}",
    )
    member.guarantee_hold = hold.public_id
    member.guarantee_amount = amount
    Member.objects.filter(pk=member.pk).update(guarantee_hold=hold.public_id, guarantee_amount=amount)
    return amount


# --- the daily run ---------------------------------------------------------------------------


def _auto_debit(row: Contribution, today: date, result: RunResult) -> None:
    """One auto-debit attempt; a refusal by the member's side marks the row late (once)."""
    refusals = MEMBER_REFUSALS + _kyc_refusals()
    try:
        with transaction.atomic():
            collect(row, method=Contribution.Method.AUTO, today=today)
        result.debited += 1
        return
    except refusals as exc:
        code = getattr(exc, "code", type(exc).__name__)[:60]
    result.refused += 1
    row = Contribution.objects.select_related("round", "round__group", "member", "member__user").get(
        pk=row.pk
    )
    updates = {"attempts": row.attempts + 1, "last_error": code}
    if row.status == Contribution.Status.DUE:
        group = row.round.group
        updates.update(status=Contribution.Status.LATE, penalty=group.late_penalty)
        row.penalty = group.late_penalty
        result.late += 1
        publish(
            ContributionLate(
                group_id=str(group.public_id),
                round_id=str(row.round.public_id),
                round_number=row.round.number,
                member_id=str(row.member.public_id),
                user_id=str(row.member.user.public_id) if row.member.user_id else None,
                amount=row.amount,
                penalty=row.penalty,
                currency=group.currency,
                due_date=row.round.due_date.isoformat(),
            )
        )
        from ..messages import TONTINE_LATE

        _notify(
            group,
            [row.member.user],
            TONTINE_LATE,
            {
                "group_name": group.name,
                "amount": {"amount": row.amount + row.penalty, "currency": group.currency},
                "penalty": {"amount": row.penalty, "currency": group.currency},
                "close_date": row.round.close_date.isoformat(),
            },
            f"wallet:tontine:late:{row.public_id}",
        )
    Contribution.objects.filter(pk=row.pk).update(**updates)


def _bidding_winner(rnd: Round, group: Group) -> tuple[Member, int]:
    """Highest discount wins, the earliest bid among equals; no bid: the first in the order
    (position) of those who have not received."""
    received = Round.objects.filter(group=group, beneficiary__isnull=False).values("beneficiary")
    eligible = group.members.filter(status=Member.Status.ACTIVE).exclude(pk__in=received)
    best = (
        rnd.bids.filter(member__in=eligible)
        .select_related("member")
        .order_by("-discount", "created_at", "id")
        .first()
    )
    if best is not None and eligible.count() > 1:
        return best.member, best.discount
    return eligible.order_by("position", "id").first(), 0


def _close_round(rnd: Round, group: Group, today: date, result: RunResult) -> None:
    """The last chances of a round's unpaid contributions, then its payout."""
    from ..messages import TONTINE_DEFAULT, TONTINE_POT_PAID

    if group.order_method == Group.Order.BIDDING and rnd.beneficiary_id is None:
        winner, discount = _bidding_winner(rnd, group)
        rnd.beneficiary = winner
        rnd.discount = discount
        rnd.save(update_fields=["beneficiary", "discount", "updated_at"])
    beneficiary = Member.objects.select_related("user").get(pk=rnd.beneficiary_id)
    unpaid = list(
        rnd.contributions.select_related("member", "member__user")
        .exclude(status=Contribution.Status.PAID)
        .order_by("id")
    )
    members_to_tell = []
    for row in unpaid:
        row.round = rnd
        member = row.member
        penalty = row.penalty or (group.late_penalty if row.member_id != beneficiary.pk else 0)
        if member.pk == beneficiary.pk:
            # the beneficiary's own share of their pot: withheld from it, no money moves
            mark_paid(row, method=Contribution.Method.WITHHELD, transfer=None, penalty=0, today=today)
            continue
        applied = 0
        if member.guarantee_hold:
            owed = row.amount + penalty
            applied = min(owed, member.guarantee_amount)
            posted = ledger.post_hold(hold=member.guarantee_hold, amount=applied)
            Member.objects.filter(pk=member.pk).update(guarantee_hold=None, guarantee_amount=0)
            member.guarantee_hold, member.guarantee_amount = None, 0
            if applied >= owed:
                mark_paid(
                    row,
                    method=Contribution.Method.GUARANTEE,
                    transfer=posted.public_id,
                    penalty=penalty,
                    today=today,
                )
            else:  # the guarantee did not cover it all: the part applied is in the pot
                rnd.collected += applied
                row.status = Contribution.Status.DEFAULTED
                row.penalty = penalty
                row.transfer = posted.public_id
                row.method = Contribution.Method.GUARANTEE
                row.save(update_fields=["status", "penalty", "transfer", "method", "updated_at"])
            guarantee_refresh(member, group)
        else:
            row.status = Contribution.Status.DEFAULTED
            row.penalty = penalty
            row.save(update_fields=["status", "penalty", "updated_at"])
        Member.objects.filter(pk=member.pk).update(defaults=member.defaults + 1)
        result.defaulted += 1
        publish(
            MemberDefaulted(
                group_id=str(group.public_id),
                round_id=str(rnd.public_id),
                round_number=rnd.number,
                member_id=str(member.public_id),
                user_id=str(member.user.public_id) if member.user_id else None,
                amount=row.amount + penalty,
                guarantee_applied=applied,
                currency=group.currency,
            )
        )
        members_to_tell.append((row, member, applied))
    _pay_pot(rnd, group, beneficiary, today, result)
    if members_to_tell:
        seats = list(group.members.filter(status=Member.Status.ACTIVE).select_related("user"))
        for row, member, applied in members_to_tell:
            _notify(
                group,
                [s.user for s in seats]
                + ([group.organiser] if group.organiser_id not in {s.user_id for s in seats} else []),
                TONTINE_DEFAULT,
                {
                    "group_name": group.name,
                    "member_phone": member.phone[:4] + "****" + member.phone[-2:],
                    "round_number": rnd.number,
                    "amount": {"amount": row.amount + row.penalty, "currency": group.currency},
                    "guarantee": {"amount": applied, "currency": group.currency},
                },
                f"wallet:tontine:default:{row.public_id}",
            )
    _notify(
        group,
        [beneficiary.user],
        TONTINE_POT_PAID,
        {
            "group_name": group.name,
            "round_number": rnd.number,
            "amount": {"amount": rnd.paid_out, "currency": group.currency},
        },
        f"wallet:tontine:pot:{rnd.public_id}",
    )


def _pay_pot(rnd: Round, group: Group, beneficiary: Member, today: date, result: RunResult) -> None:
    paid_rows = list(rnd.contributions.filter(status=Contribution.Status.PAID).exclude(method="withheld"))
    base = sum(r.amount for r in paid_rows)
    penalties = sum(r.penalty for r in paid_rows)
    partial = rnd.collected  # guarantees that covered part of a default
    collected = base + penalties + partial
    commission = base * group.commission_bps // 10_000
    others = list(
        group.members.filter(status=Member.Status.ACTIVE).exclude(pk=beneficiary.pk).select_related("user")
    )
    share = rnd.discount // len(others) if others and rnd.discount else 0
    discount = share * len(others)
    to_beneficiary = collected - commission - discount
    if to_beneficiary < 0:  # a pot short of its discount: no discount
        share, discount = 0, 0
        to_beneficiary = collected - commission
    key = f"wallet:tontine:payout:{rnd.public_id}"
    pot = group.pot_account
    label = f"Cotis'Hokwe {group.name}: round {rnd.number}"
    ref = f"wallet.TontineRound:{rnd.public_id}"
    if commission:
        organiser_wallet = wallets.wallet_for(group.organiser, group.currency)
        wallets.move(
            idempotency_key=f"{key}:commission",
            code="tontine_commission",
            debit=pot,
            credit=organiser_wallet.account,
            amount=commission,
            currency=group.currency,
            into=organiser_wallet,
            description=label,
            reference=ref,
        )
    if share:
        for seat in others:
            seat_wallet = wallets.wallet_for(seat.user, group.currency)
            wallets.move(
                idempotency_key=f"{key}:share:{seat.public_id}",
                code="tontine_discount_share",
                debit=pot,
                credit=seat_wallet.account,
                amount=share,
                currency=group.currency,
                into=seat_wallet,
                description=label,
                reference=ref,
            )
    wallet = wallets.wallet_for(beneficiary.user, group.currency)
    # straight to the landlord: the beneficiary's rent due is paid from the pot (estate issues
    # the quittance); what is left of the pot goes to their wallet
    paid_to, rent_paid = "wallet", 0
    if beneficiary.payout_to == Member.PayoutTo.RENT and beneficiary.rent_due and to_beneficiary > 0:
        rent_paid = _pay_rent_from_pot(rnd, group, beneficiary, to_beneficiary)
        if rent_paid:
            paid_to = "rent"
    transfer = None
    if to_beneficiary - rent_paid > 0:
        transfer = wallets.move(
            idempotency_key=key,
            code="tontine_pot",
            debit=pot,
            credit=wallet.account,
            amount=to_beneficiary - rent_paid,
            currency=group.currency,
            into=wallet,
            description=label,
            reference=ref,
        ).public_id
    # arrears withheld: what the beneficiary failed to pay earlier goes to those rounds'
    # beneficiaries, out of this pot (now in their wallet)
    left = to_beneficiary - rent_paid
    arrears = (
        Contribution.objects.select_related(
            "round", "round__group", "round__beneficiary__user", "member", "member__user"
        )
        .filter(member=beneficiary, status=Contribution.Status.DEFAULTED, round__status=Round.Status.PAID)
        .order_by("round__number")
    )
    for row in arrears:
        owed = row.amount + row.penalty
        if owed > left or row.round.beneficiary is None or row.transfer:
            continue
        target = wallets.wallet_for(row.round.beneficiary.user, group.currency)
        moved = wallets.move(
            idempotency_key=f"wallet:tontine:withheld:{row.public_id}",
            code="tontine_withheld",
            debit=wallet.account,
            credit=target.account,
            amount=owed,
            currency=group.currency,
            out_of=wallet,
            into=target,
            description=f"Cotis'Hokwe {group.name}: round {row.round.number} (withheld)",
            reference=f"wallet.TontineContribution:{row.public_id}",
        )
        left -= owed
        Round.objects.filter(pk=row.round_id).update(paid_out=row.round.paid_out + owed)
        mark_paid(
            row,
            method=Contribution.Method.WITHHELD,
            transfer=moved.public_id,
            penalty=row.penalty,
            today=today,
        )
    rnd.status = Round.Status.PAID
    rnd.commission = commission
    rnd.discount = discount
    rnd.penalties = penalties
    rnd.collected = collected
    rnd.paid_out = to_beneficiary
    rnd.paid_at = timezone.now()
    rnd.payout_transfer = transfer
    rnd.save()
    result.rounds_paid += 1
    publish(
        PotPaid(
            group_id=str(group.public_id),
            round_id=str(rnd.public_id),
            round_number=rnd.number,
            member_id=str(beneficiary.public_id),
            user_id=str(beneficiary.user.public_id) if beneficiary.user_id else None,
            amount=to_beneficiary,
            commission=commission,
            discount=discount,
            penalties=penalties,
            currency=group.currency,
            paid_to=paid_to,
            rent_due=str(beneficiary.rent_due) if paid_to == "rent" else None,
            ledger_transfer=str(transfer) if transfer else None,
        )
    )
    guarantee_refresh(beneficiary, group)


def _pay_rent_from_pot(rnd: Round, group: Group, beneficiary: Member, budget: int) -> int:
    """Pay the beneficiary's chosen rent due from the pot when the pot covers what is owed on
    it; returns what was paid (0: the whole pot goes to the wallet, the notice says so)."""
    from .rent import own_due, pay_rent_due

    try:
        due = own_due(beneficiary.user, beneficiary.rent_due)
    except DomainError:
        return 0
    if due.currency != group.currency or not 0 < due.outstanding <= budget:
        return 0
    try:
        with transaction.atomic():
            info = pay_rent_due(
                actor=beneficiary.user,
                due=beneficiary.rent_due,
                account=group.pot_account,
                idempotency_key=f"wallet:tontine:rent:{rnd.public_id}",
            )
    except DomainError as exc:
        logger.warning("tontine_rent_payout_failed", extra={"round": str(rnd.public_id), "error": exc.code})
        return 0
    rnd.rent_intent = info.public_id
    return info.amount


def _finish_if_done(group: Group, result: RunResult) -> None:
    if group.rounds.filter(status=Round.Status.OPEN).exists():
        return
    from .tontine import GROUP_STATES

    GROUP_STATES.check(group.status, Group.Status.COMPLETED)
    for seat in group.members.filter(guarantee_hold__isnull=False):
        _release_guarantee(seat)
    group.status = Group.Status.COMPLETED
    group.ended_at = timezone.now()
    group.save(update_fields=["status", "ended_at", "updated_at"])
    result.completed += 1


def run_group(group: Group, today: date, result: RunResult) -> None:
    """One group's day, in one transaction: auto-debits of the open rounds that are due, then
    the close of every round whose close date has come (in order)."""
    with transaction.atomic():
        group = Group.objects.select_for_update().get(pk=group.pk)
        if group.status != Group.Status.ACTIVE:
            return
        due = list(
            Contribution.objects.select_related("round", "round__group", "member", "member__user")
            .filter(round__group=group, round__status=Round.Status.OPEN, round__due_date__lte=today)
            .filter(
                status__in=[Contribution.Status.DUE, Contribution.Status.LATE], member__user__isnull=False
            )
            .order_by("round__number", "id")
        )
        for row in due:
            if row.round.beneficiary_id == row.member_id and row.round.close_date <= today:
                continue  # closing today: withheld from their own pot, no debit needed
            _auto_debit(row, today, result)
        for rnd in group.rounds.filter(status=Round.Status.OPEN, close_date__lte=today).order_by("number"):
            _close_round(rnd, group, today, result)
        _finish_if_done(group, result)
        result.groups += 1


def _batch_auto_debit(group_ids: list[int], today: date, result: RunResult) -> int:
    """The set-based path of the auto-debits of `group_ids` (the daily run's bulk): every due
    contribution of a member without a guarantee hold, from an active wallet, in one
    `ledger.transfer_many` with the rows, the wallets' usage totals and the events in the same
    transaction. A wallet that cannot pay (short: `transfer_passing` finds it; a kyc limit:
    `_within_limits`) leaves its row unpaid here: the per-group path takes that group
    (refusal, lateness, penalty, retries)."""
    from django.db.models import F

    from apps.core.outbox import publish_many
    from apps.ledger.contracts import TransferRequest

    from ..events import ContributionPaid
    from ..models import Wallet, WalletUsage

    try:
        with transaction.atomic():
            rows = list(
                Contribution.objects.select_for_update(of=("self",))
                .select_related("round", "round__group", "member", "member__user")
                .filter(
                    round__group_id__in=group_ids,
                    round__group__status=Group.Status.ACTIVE,
                    round__status=Round.Status.OPEN,
                    round__due_date__lte=today,
                    status__in=[Contribution.Status.DUE, Contribution.Status.LATE],
                    member__user__isnull=False,
                    member__guarantee_hold__isnull=True,
                )
                # what this step reads, no more (thousands of rows and their four joined rows)
                .only(*AUTO_DEBIT_FIELDS)
                # the number as stored (kyc's country), as text: F() alone kept the phone field's
                # converter, which parsed every number (a tenth of the batch's CPU)
                .annotate(user_phone=ExpressionWrapper(F("member__user__phone"), output_field=CharField()))
                .order_by("round__group_id", "round__number", "id")
            )
            rows = [
                r for r in rows if not (r.round.beneficiary_id == r.member_id and r.round.close_date <= today)
            ]
            if not rows:
                return 0
            purses = {
                (w.user_id, w.currency): w
                for w in Wallet.objects.filter(
                    user_id__in={r.member.user_id for r in rows}, status=Wallet.Status.ACTIVE
                )
            }
            rows = [r for r in rows if (r.member.user_id, r.round.group.currency) in purses]
            if not rows:
                return 0
            for row in rows:
                row.penalty = penalty_due(row, today)
            # kyc's limits, set-based: the debits a limit refuses stay unpaid here and take
            # the per-group path (refused there by `move`'s own check: late, retried)
            rows = _within_limits(rows, purses, today)
            if not rows:
                return 0
            requests, outflow = [], {}
            for row in rows:
                group = row.round.group
                wallet = purses[(row.member.user_id, group.currency)]
                amount = row.amount + row.penalty
                requests.append(
                    TransferRequest(
                        idempotency_key=contribution_key(row),
                        code="tontine_contribution",
                        legs=(
                            Leg.debit(wallet.account, amount, group.currency),
                            Leg.credit(group.pot_account, amount, group.currency),
                        ),
                        description=f"Cotis'Hokwe {group.name}: round {row.round.number}",
                        reference=f"wallet.TontineContribution:{row.public_id}",
                    )
                )
            # a member short of money leaves their debit to the per-group path (late, penalty,
            # retried), the others are posted here
            posted = transfer_passing(requests)
            if not posted:
                return 0
            rows = [rows[i] for i in posted]
            for row in rows:
                wallet = purses[(row.member.user_id, row.round.group.currency)]
                outflow[wallet.pk] = outflow.get(wallet.pk, 0) + row.amount + row.penalty
            now = timezone.now()
            for row in rows:
                row.status, row.method, row.paid_at = Contribution.Status.PAID, Contribution.Method.AUTO, now
                row.updated_at = now
            _update_by_value(Contribution, rows, ["status", "method", "penalty", "paid_at", "updated_at"])
            # the wallets' stored usage: today's outflow (rolled over when the row is of another day)
            ids = list(outflow)
            WalletUsage.objects.bulk_create([WalletUsage(wallet_id=i) for i in ids], ignore_conflicts=True)
            for added, chunk in _by_amount(outflow):
                WalletUsage.objects.filter(wallet_id__in=chunk, day=today).update(
                    outflow_today=F("outflow_today") + added
                )
                WalletUsage.objects.filter(wallet_id__in=chunk).exclude(day=today).update(
                    outflow_today=added, day=today
                )
            Wallet.objects.filter(pk__in=ids).update(last_activity_at=now, dormant_since=None, updated_at=now)
            publish_many(
                [
                    ContributionPaid(
                        group_id=str(row.round.group.public_id),
                        round_id=str(row.round.public_id),
                        round_number=row.round.number,
                        member_id=str(row.member.public_id),
                        user_id=str(row.member.user.public_id),
                        amount=row.amount,
                        penalty=row.penalty,
                        currency=row.round.group.currency,
                        method=row.method,
                        due_date=row.round.due_date.isoformat(),
                        paid_on=today.isoformat(),
                        late=today > row.round.due_date,
                        ledger_transfer=None,
                    )
                    for row in rows
                ]
            )
            _guarantees_after_debit(rows)
    except MEMBER_REFUSALS:
        return 0  # one wallet short: the per-group path takes them one by one
    result.debited += len(rows)
    return len(rows)


def _guarantees_after_debit(rows: list[Contribution]) -> None:
    """What `mark_paid` does after a payment, for the batch: a member who already received a
    pot of a group that requires guarantees, and holds none (their last guarantee took all
    they had), has what is left of their wallet held again toward what they still owe. One
    query finds them; each goes through `guarantee_refresh` (rare: a beneficiary's guarantee
    is normally held, and such a member is not in the batch)."""
    candidates = {
        row.member_id: row
        for row in rows
        if row.round.group.guarantee_required and row.round.beneficiary_id is not None
    }
    if not candidates:
        return
    received = set(
        Round.objects.filter(beneficiary_id__in=list(candidates), status=Round.Status.PAID).values_list(
            "beneficiary_id", flat=True
        )
    )
    for member_id in sorted(received):
        row = candidates[member_id]
        guarantee_refresh(Member.objects.select_related("user").get(pk=member_id), row.round.group)


AUTO_DEBIT_FIELDS = (
    "id",
    "public_id",
    "round_id",
    "member_id",
    "amount",
    "penalty",
    "status",
    "round__id",
    "round__public_id",
    "round__number",
    "round__due_date",
    "round__close_date",
    "round__beneficiary_id",
    "round__group_id",
    "round__group__id",
    "round__group__public_id",
    "round__group__name",
    "round__group__currency",
    "round__group__pot_account",
    "round__group__late_penalty",
    "round__group__guarantee_required",
    "member__id",
    "member__public_id",
    "member__user_id",
    "member__guarantee_hold",
    "member__user__id",
    "member__user__public_id",
)


CLOSE_FIELDS = (
    "id",
    "public_id",
    "number",
    "due_date",
    "close_date",
    "status",
    "group_id",
    "beneficiary_id",
    "group__id",
    "group__public_id",
    "group__name",
    "group__currency",
    "group__pot_account",
    "group__commission_bps",
    "group__organiser_id",
    "group__guarantee_required",
    "group__status",
    "beneficiary__id",
    "beneficiary__public_id",
    "beneficiary__user_id",
    "beneficiary__group_id",
    "beneficiary__guarantee_hold",
    "beneficiary__guarantee_amount",
    "beneficiary__payout_to",
    "beneficiary__user__id",
    "beneficiary__user__public_id",
)


def _within_limits(rows: list[Contribution], purses: dict, today: date) -> list[Contribution]:
    """The contributions kyc's limits allow (`wallet_payment`: single transaction, daily
    outflow), checked in order against the wallets' usage rows locked here (as `move` locks
    them: a concurrent movement cannot pass the same limit) with one `kyc.check_many`."""
    from apps.kyc import api as kyc
    from apps.kyc.contracts import Usage

    from ..models import WalletUsage

    wallet_ids = sorted({purses[(r.member.user_id, r.round.group.currency)].pk for r in rows})
    locked = {
        u.wallet_id: u
        for u in WalletUsage.objects.select_for_update()
        .filter(wallet_id__in=wallet_ids)
        .order_by("wallet_id")
    }
    usage = {}
    for row in rows:
        wallet = purses[(row.member.user_id, row.round.group.currency)]
        found = locked.get(wallet.pk)  # rolled over lazily: another day's outflow is zero
        outflow = found.outflow_today if found is not None and found.day == today else 0
        inflow = found.inflow_this_month if found is not None and found.month == today.replace(day=1) else 0
        usage[row.member.user.public_id] = Usage(balance=0, inflow_this_month=inflow, outflow_today=outflow)
    verdicts = kyc.check_many(
        [
            (
                SimpleNamespace(
                    pk=r.member.user_id,
                    public_id=r.member.user.public_id,
                    phone=getattr(r, "user_phone", None) or r.member.user.phone,
                ),
                "wallet_payment",
                r.amount + r.penalty,
                r.round.group.currency,
            )
            for r in rows
        ],
        usage=usage,
    )
    return [r for r, refused in zip(rows, verdicts, strict=True) if refused is None]


def _batch_close(group_ids: list[int], today: date, result: RunResult) -> int:
    """The set-based path of the round closes of `group_ids`: a round that closes today with
    every contribution paid, a known beneficiary (fixed or drawn order) paid to their wallet,
    and no arrears to withhold, is paid out with the others in one `ledger.transfer_many`
    (one transfer per round: the commission and the pot), its row, the wallets' usage, the
    PotPaid events and the notices in the same transaction; each beneficiary's guarantee is
    then held. Any refusal: nothing of this step is written, the per-group path closes them."""
    from django.db.models import F

    from apps.core.outbox import publish_many
    from apps.ledger.contracts import TransferRequest
    from apps.notifications.contracts import SendRequest

    from ..events import ContributionPaid
    from ..messages import TONTINE_POT_PAID
    from ..models import Wallet, WalletUsage

    first_open = (
        Round.objects.filter(group=OuterRef("group"), status=Round.Status.OPEN)
        .order_by("number")
        .values("pk")[:1]
    )
    try:
        with transaction.atomic():
            rounds = list(
                Round.objects.select_for_update(of=("self",))
                .select_related("group", "beneficiary", "beneficiary__user")
                .only(*CLOSE_FIELDS)
                .filter(
                    group_id__in=group_ids,
                    group__status=Group.Status.ACTIVE,
                    status=Round.Status.OPEN,
                    close_date__lte=today,
                    beneficiary__isnull=False,
                    beneficiary__payout_to=Member.PayoutTo.WALLET,
                    pk=first_open,
                    discount=0,
                    collected=0,
                )
                .filter(
                    # a group where someone left mid-cycle (its order closed up, a round
                    # cancelled) is closed by the per-group path
                    ~Exists(Member.objects.filter(group=OuterRef("group"), status=Member.Status.LEFT)),
                    ~Exists(Round.objects.filter(group=OuterRef("group"), status=Round.Status.CANCELLED)),
                    # every other member has paid; the beneficiary's own share, if unpaid, is
                    # withheld from their pot (no money moves), as the per-group close does
                    ~Exists(
                        Contribution.objects.filter(round=OuterRef("pk"))
                        .exclude(status=Contribution.Status.PAID)
                        .exclude(member=OuterRef("beneficiary"))
                    ),
                )
                .order_by("group_id")
            )
            arrears = set(
                Contribution.objects.filter(
                    member_id__in=[r.beneficiary_id for r in rounds], status=Contribution.Status.DEFAULTED
                ).values_list("member_id", flat=True)
            )
            rounds = [r for r in rounds if r.beneficiary_id not in arrears and r.beneficiary.user_id]
            if not rounds:
                return 0
            users = {r.beneficiary.user_id for r in rounds} | {r.group.organiser_id for r in rounds}
            purses = {
                (w.user_id, w.currency): w
                for w in Wallet.objects.filter(user_id__in=users, status=Wallet.Status.ACTIVE)
            }
            rounds = [
                r
                for r in rounds
                if (r.beneficiary.user_id, r.group.currency) in purses
                and (r.group.organiser_id, r.group.currency) in purses
            ]
            if not rounds:
                return 0
            sums = {
                row["round_id"]: row
                for row in Contribution.objects.filter(round__in=rounds, status=Contribution.Status.PAID)
                .exclude(method=Contribution.Method.WITHHELD)
                .values("round_id")
                .annotate(base=models_sum("amount"), penalties=models_sum("penalty"))
            }
            requests, inflow, events, notices, paid_events = [], {}, [], [], []
            now = timezone.now()
            for rnd in rounds:
                group = rnd.group
                totals = sums.get(rnd.pk, {"base": 0, "penalties": 0})
                base, penalties = totals["base"] or 0, totals["penalties"] or 0
                collected = base + penalties
                commission = base * group.commission_bps // 10_000
                to_beneficiary = collected - commission
                wallet = purses[(rnd.beneficiary.user_id, group.currency)]
                organiser = purses[(group.organiser_id, group.currency)]
                credits: dict = {}
                if commission:
                    credits[organiser.pk] = (organiser, commission)
                if to_beneficiary:
                    prev = credits.get(wallet.pk, (wallet, 0))[1]
                    credits[wallet.pk] = (wallet, prev + to_beneficiary)
                if credits:
                    legs = [Leg.debit(group.pot_account, collected, group.currency)]
                    for purse, amount in credits.values():
                        legs.append(Leg.credit(purse.account, amount, group.currency))
                        inflow[purse.pk] = inflow.get(purse.pk, 0) + amount
                    requests.append(
                        TransferRequest(
                            idempotency_key=f"wallet:tontine:payout:{rnd.public_id}",
                            code="tontine_pot",
                            legs=tuple(legs),
                            description=f"Cotis'Hokwe {group.name}: round {rnd.number}",
                            reference=f"wallet.TontineRound:{rnd.public_id}",
                        )
                    )
                rnd.status, rnd.collected, rnd.penalties = Round.Status.PAID, collected, penalties
                rnd.commission, rnd.discount, rnd.paid_out, rnd.paid_at = commission, 0, to_beneficiary, now
                events.append(
                    PotPaid(
                        group_id=str(group.public_id),
                        round_id=str(rnd.public_id),
                        round_number=rnd.number,
                        member_id=str(rnd.beneficiary.public_id),
                        user_id=str(rnd.beneficiary.user.public_id),
                        amount=to_beneficiary,
                        commission=commission,
                        discount=0,
                        penalties=penalties,
                        currency=group.currency,
                        paid_to="wallet",
                        rent_due=None,
                        ledger_transfer=None,
                    )
                )
                notices.append(
                    SendRequest(
                        recipient=str(rnd.beneficiary.user.public_id),
                        template_key=TONTINE_POT_PAID,
                        context={
                            "group_name": group.name,
                            "round_number": rnd.number,
                            "amount": {"amount": to_beneficiary, "currency": group.currency},
                        },
                        idempotency_key=f"wallet:tontine:pot:{rnd.public_id}:{rnd.beneficiary.user.public_id}",
                    )
                )
            # the beneficiaries' own unpaid shares: withheld from their pot (paid, no transfer)
            own = list(
                Contribution.objects.select_for_update(of=("self",))
                .filter(round__in=rounds, member_id=F("round__beneficiary_id"))
                .exclude(status=Contribution.Status.PAID)
            )
            by_round = {r.pk: r for r in rounds}
            for row in own:
                rnd = by_round[row.round_id]
                paid_events.append(
                    ContributionPaid(
                        group_id=str(rnd.group.public_id),
                        round_id=str(rnd.public_id),
                        round_number=rnd.number,
                        member_id=str(rnd.beneficiary.public_id),
                        user_id=str(rnd.beneficiary.user.public_id),
                        amount=row.amount,
                        penalty=0,
                        currency=rnd.group.currency,
                        method=Contribution.Method.WITHHELD,
                        due_date=rnd.due_date.isoformat(),
                        paid_on=today.isoformat(),
                        late=today > rnd.due_date or row.status == Contribution.Status.LATE,
                        ledger_transfer=None,
                    )
                )
                row.status, row.method, row.penalty = (
                    Contribution.Status.PAID,
                    Contribution.Method.WITHHELD,
                    0,
                )
                row.paid_at, row.transfer, row.updated_at = now, None, now
            _update_by_value(
                Contribution, own, ["status", "method", "penalty", "paid_at", "transfer", "updated_at"]
            )
            ledger.transfer_many(requests)
            for rnd in rounds:
                rnd.updated_at = now
            _update_by_value(
                Round,
                rounds,
                [
                    "status",
                    "collected",
                    "penalties",
                    "commission",
                    "discount",
                    "paid_out",
                    "paid_at",
                    "updated_at",
                ],
            )
            this_month = today.replace(day=1)
            WalletUsage.objects.bulk_create([WalletUsage(wallet_id=i) for i in inflow], ignore_conflicts=True)
            for added, chunk in _by_amount(inflow):
                WalletUsage.objects.filter(wallet_id__in=chunk, month=this_month).update(
                    inflow_this_month=F("inflow_this_month") + added
                )
                WalletUsage.objects.filter(wallet_id__in=chunk).exclude(month=this_month).update(
                    inflow_this_month=added, month=this_month
                )
            publish_many(paid_events + events)
            notifications.send_many(notices)
            _guarantees_after_payout(rounds, purses, credited=inflow)
    except MEMBER_REFUSALS:
        return 0
    result.rounds_paid += len(rounds)
    return len(rounds)


def _update_by_value(model, rows: list, fields: list[str]) -> None:
    """Write `fields` of `rows` with one UPDATE per distinct set of values (a daily run's rows
    mostly share them: one or a few statements instead of a CASE per row)."""
    groups: dict[tuple, list[int]] = {}
    for row in rows:
        groups.setdefault(tuple(getattr(row, f) for f in fields), []).append(row.pk)
    for values, ids in groups.items():
        for start in range(0, len(ids), 5_000):
            model.objects.filter(pk__in=ids[start : start + 5_000]).update(
                **dict(zip(fields, values, strict=True))
            )


def _by_amount(amounts: dict[int, int]):
    """(amount, [keys]) for each distinct amount of `amounts` (key -> amount), in chunks."""
    groups: dict[int, list[int]] = {}
    for key, amount in amounts.items():
        groups.setdefault(amount, []).append(key)
    for amount, keys in groups.items():
        for start in range(0, len(keys), 5_000):
            yield amount, keys[start : start + 5_000]


def _guarantees_after_payout(rounds: list[Round], purses: dict, *, credited: dict | None = None) -> None:
    """`guarantee_refresh` of the beneficiaries of rounds just paid, its reads set-based: what
    each still owes in one query; then, per beneficiary, their wallet's available balance and
    the hold (as far as the wallet covers what they owe). A beneficiary who already holds a
    guarantee goes through `guarantee_refresh` itself."""
    from django.db.models import Sum

    todo = []
    for rnd in rounds:
        member, group = rnd.beneficiary, rnd.group
        if member.guarantee_hold:
            guarantee_refresh(member, group)
        elif group.guarantee_required and member.user_id is not None:
            todo.append(rnd)
    if not todo:
        return
    owed = dict(
        Contribution.objects.filter(
            member_id__in=[r.beneficiary_id for r in todo], round__status=Round.Status.OPEN
        )
        .exclude(status=Contribution.Status.PAID)
        .values("member_id")
        .annotate(owed=Sum("amount"))
        .values_list("member_id", "owed")
    )
    from apps.ledger.contracts import TransferRequest

    requests, held, planned = [], [], {}
    for rnd in todo:
        member, group = rnd.beneficiary, rnd.group
        due = owed.get(member.pk) or 0
        wallet = purses.get((member.user_id, group.currency))
        if due <= 0 or wallet is None:
            continue
        # the wallet's available balance is at least what this transaction just credited to
        # it (never below zero before; its ledger account stays locked until the commit), less
        # the holds already planned on it here: no balance read when that covers what is owed
        room = (credited or {}).get(wallet.pk, 0) - planned.get(wallet.pk, 0)
        if due <= room:
            amount = due
        else:
            available = ledger.balance(account=wallet.account).available - planned.get(wallet.pk, 0)
            amount = min(due, max(0, available))
        if amount <= 0:
            continue
        key = f"wallet:tontine:guarantee:{member.public_id}:{uuid.uuid4()}"
        requests.append(
            TransferRequest(
                idempotency_key=key,
                code="tontine_guarantee",
                legs=(
                    Leg.debit(wallet.account, amount, group.currency),
                    Leg.credit(group.pot_account, amount, group.currency),
                ),
                description=f"Cotis'Hokwe {group.name}: guarantee",
                reference=f"wallet.TontineMember:{member.public_id}",
            )
        )
        held.append((member, key, amount))
        planned[wallet.pk] = planned.get(wallet.pk, 0) + amount
    if not held:
        return
    holds = ledger.hold_many(requests)  # one set-based write for the batch's guarantees
    for member, key, amount in held:
        member.guarantee_hold, member.guarantee_amount = holds[key], amount
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Member._meta.db_table} m SET guarantee_hold = v.h, guarantee_amount = v.a "  # noqa: S608
                "FROM unnest(%s::bigint[], %s::uuid[], %s::bigint[]) AS v(id, h, a) WHERE m.id = v.id",
                [
                    [m.pk for m, _k, _a in held],
                    [m.guarantee_hold for m, _k, _a in held],
                    [a for _m, _k, a in held],
                ],
            )
    else:
        for member, _key, amount in held:
            Member.objects.filter(pk=member.pk).update(
                guarantee_hold=member.guarantee_hold, guarantee_amount=amount
            )


def models_sum(field_name: str):
    from django.db.models import Sum

    return Sum(field_name)


def due_groups(today: date):
    """Active groups with something to do today: an open round that is due."""
    open_due = Round.objects.filter(group=OuterRef("pk"), status=Round.Status.OPEN, due_date__lte=today)
    return Group.objects.filter(Q(status=Group.Status.ACTIVE), Exists(open_due)).order_by("id")


def close_due_rounds(today: date, batch: int | None = None) -> RunResult:
    """The daily run over every group with a due round: `batch` groups are loaded at a time
    and each group's day commits on its own. Safe to run again at any moment: a contribution
    paid is a row marked paid with its transfer, in the same transaction; a rerun skips it,
    and the ledger's keys refuse to move the same money twice."""
    batch = batch or settings.WALLET_TONTINE_BATCH
    result = RunResult(today=today)
    last_id = 0
    while True:
        groups = list(due_groups(today).filter(id__gt=last_id)[:batch])
        if not groups:
            break
        run_groups(groups, today, result)
        last_id = groups[-1].id
    return result


def run_groups(groups: list[Group], today: date, result: RunResult) -> None:
    """One batch of the daily run: the set-based steps over `groups` (auto-debits, then the
    common round closes), then group by group (`run_group`) what they left. The same day's
    outcome as `run_group` over each group (tests/wallet/test_tontine_batch_equivalence.py)."""
    ids = [g.id for g in groups]
    with collector_paused():  # the set-based steps: thousands of short-lived objects
        _batch_auto_debit(ids, today, result)
        _batch_close(ids, today, result)
    # what the set-based steps left: unpaid due contributions, rounds to close, a finished
    # cycle to complete — group by group; the others are done for today
    left = (
        set(
            Contribution.objects.filter(
                round__group_id__in=ids, round__status=Round.Status.OPEN, round__due_date__lte=today
            )
            .exclude(status=Contribution.Status.PAID)
            .values_list("round__group_id", flat=True)
        )
        | set(
            Round.objects.filter(
                group_id__in=ids, status=Round.Status.OPEN, close_date__lte=today
            ).values_list("group_id", flat=True)
        )
        | set(
            Group.objects.filter(id__in=ids)
            .exclude(Exists(Round.objects.filter(group=OuterRef("pk"), status=Round.Status.OPEN)))
            .values_list("id", flat=True)
        )
    )
    result.groups += len(ids) - len(left)
    for group in groups:
        if group.id in left:
            run_group(group, today, result)

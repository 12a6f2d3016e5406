"""Cotis'Hokwe: rent tontines (docs/wallet.md, "Cotis'Hokwe").

    group = group_create(actor=organiser, name=…, contribution=10_000, currency="XOF",
                         frequency="monthly", start_date=…, max_members=5, order_method="drawn")
    invite(actor=organiser, group=group, phones=["+22901…", …])        # SMS with the rules
    # the invitee: identity's step-up (action "wallet.tontine.accept", target the seat's id)
    invitation_accept(actor=invitee, member=seat, step_up_token=proof.token)
    group_start(actor=organiser, group=group)                           # reveals the seed
    contribute(actor=member, group=group)                               # from the wallet now
    bid(actor=member, group=group, discount=5_000)                      # bidding order

The daily run (auto-debits, lateness, guarantees, round close and payouts) is in
services/tontine_rounds.py. Every movement of money is a ledger transfer through the wallet's
primitives (services/wallets.py), with keys built from the round and the member.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.errors import NotFound
from apps.core.outbox import publish
from apps.core.statemachine import StateMachine
from apps.identity import api as identity
from apps.ledger import api as ledger
from apps.ledger.contracts import AccountKind, OwnerType
from apps.notifications import api as notifications

from ..errors import TontineInvalid, TontineNotOrganiser, TontineStateConflict
from ..events import ContributionPaid
from ..models import TontineBid, TontineContribution, TontineGroup, TontineMember, TontineRound
from . import wallets

MIN_MEMBERS = 3
MAX_MEMBERS = 50
ACCEPT_ACTION = "wallet.tontine.accept"
POT_PREFIX = "wallet.pot."

Group = TontineGroup
Member = TontineMember
Round = TontineRound
Contribution = TontineContribution

GROUP_STATES = StateMachine(
    {
        Group.Status.FORMING: {Group.Status.ACTIVE, Group.Status.CANCELLED},
        Group.Status.ACTIVE: {Group.Status.COMPLETED, Group.Status.CANCELLED},
        Group.Status.COMPLETED: set(),
        Group.Status.CANCELLED: set(),
    },
    error=TontineStateConflict,
)


# --- the verifiable draw ---------------------------------------------------------------------


def seed_commitment(seed: str) -> str:
    """sha256 of the seed's text (64 hex characters): published at creation, so the organiser
    cannot pick the seed after seeing who joined."""
    return hashlib.sha256(seed.encode("ascii")).hexdigest()


def drawn_order(seed: str, member_ids: list[str]) -> list[str]:
    """The payout order of a drawn group: the members' public ids sorted by
    sha256("<seed>:<member id>") (hex, ascending). Anyone holding the revealed seed and the
    member list recomputes it (docs/wallet.md shows the three lines of Python)."""
    return sorted(
        (str(m) for m in member_ids), key=lambda m: hashlib.sha256(f"{seed}:{m}".encode("ascii")).hexdigest()
    )


def rules_of(group: Group) -> dict:
    """The rules a member accepts with their OTP (their digest is stored on the seat)."""
    return {
        "contribution": group.contribution,
        "currency": group.currency,
        "frequency": group.frequency,
        "start_date": group.start_date.isoformat(),
        "order_method": group.order_method,
        "seed_hash": group.seed_hash,
        "late_penalty": group.late_penalty,
        "grace_days": group.grace_days,
        "commission_bps": group.commission_bps,
        "guarantee_required": group.guarantee_required,
    }


def rules_digest(group: Group) -> str:
    return hashlib.sha256(json.dumps(rules_of(group), sort_keys=True).encode()).hexdigest()


def due_date_of(group: Group, number: int) -> date:
    """Round `number`'s due date (1-based): weekly, or the same day of the month (the last
    day of a shorter month)."""
    start = group.start_date
    if group.frequency == Group.Frequency.WEEKLY:
        return start + timedelta(weeks=number - 1)
    index = start.year * 12 + (start.month - 1) + (number - 1)
    year, month = divmod(index, 12)
    month += 1
    for day in (start.day, 30, 29, 28):
        try:
            return date(year, month, min(start.day, day))
        except ValueError:
            continue
    raise AssertionError("unreachable")


# --- reads with access checks ----------------------------------------------------------------


def groups_for(user):
    """The groups where `user` holds a seat (active or invited by their phone) or organises."""
    if not getattr(user, "is_authenticated", False):
        return Group.objects.none()
    phone = str(getattr(user, "phone", "") or "")
    seats = Q(members__user_id=user.pk, members__status=Member.Status.ACTIVE)
    if phone:
        seats |= Q(members__phone=phone, members__status=Member.Status.INVITED)
    return Group.objects.filter(seats | Q(organiser_id=user.pk)).distinct()


def group_get(user, public_id) -> Group:
    """A group `user` may see; NotFound for anyone else (a non-member never learns it exists)."""
    try:
        group = groups_for(user).filter(public_id=public_id).first()
    except (ValueError, TypeError):
        group = None
    if group is None:
        raise NotFound(field="group")
    return group


def seat_of(user, group: Group) -> Member | None:
    return group.members.filter(user_id=user.pk, status=Member.Status.ACTIVE).first()


def invitation_get(user, public_id) -> Member:
    """An invitation addressed to `user`'s phone (NotFound otherwise)."""
    phone = str(getattr(user, "phone", "") or "")
    row = (
        Member.objects.select_related("group")
        .filter(public_id=public_id, phone=phone, status=Member.Status.INVITED)
        .first()
        if phone
        else None
    )
    if row is None:
        raise NotFound(field="invitation")
    return row


def _organiser(actor, group: Group) -> None:
    if group.organiser_id != actor.pk:
        raise TontineNotOrganiser(field="group")


# --- creating and forming a group ------------------------------------------------------------


def _check_rules(
    *,
    contribution: int,
    currency: str,
    max_members: int,
    late_penalty: int,
    grace_days: int,
    commission_bps: int,
) -> None:
    if isinstance(contribution, bool) or not isinstance(contribution, int) or contribution <= 0:
        raise TontineInvalid(_("The contribution is a whole amount greater than zero."), field="contribution")
    if not (isinstance(currency, str) and len(currency) == 3 and currency.isupper()):
        raise TontineInvalid(_("Give the currency as a three-letter code (XOF)."), field="currency")
    if not MIN_MEMBERS <= max_members <= MAX_MEMBERS:
        raise TontineInvalid(
            _("A group has between %(min)s and %(max)s members.") % {"min": MIN_MEMBERS, "max": MAX_MEMBERS},
            field="max_members",
        )
    if late_penalty < 0 or late_penalty > contribution:
        raise TontineInvalid(
            _("The late penalty is between zero and one contribution."), field="late_penalty"
        )
    if not 0 <= grace_days <= settings.WALLET_TONTINE_MAX_GRACE_DAYS:
        raise TontineInvalid(
            _("A round closes at most %(days)s days after its due date.")
            % {"days": settings.WALLET_TONTINE_MAX_GRACE_DAYS},
            field="grace_days",
        )
    cap = settings.WALLET_TONTINE_MAX_COMMISSION_BPS
    if not 0 <= commission_bps <= cap:
        raise TontineInvalid(
            _("The organiser's commission is at most %(cap)s %% of the pot.") % {"cap": f"{cap / 100:g}"},
            field="commission_bps",
        )


def group_create(
    *,
    actor,
    name: str,
    contribution: int,
    currency: str,
    frequency: str,
    start_date: date,
    max_members: int,
    order_method: str,
    late_penalty: int = 0,
    grace_days: int = 2,
    commission_bps: int = 0,
    guarantee_required: bool = True,
) -> Group:
    """A new group (forming), its pot account and the organiser's own seat. The drawn order's
    seed is chosen now and only its hash is shown until the start."""
    identity.authenticated(actor)
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise TontineInvalid(_("Give the group a name (120 characters at most)."), field="name")
    if frequency not in Group.Frequency.values:
        raise TontineInvalid(_("The frequency is weekly or monthly."), field="frequency")
    if order_method not in Group.Order.values:
        raise TontineInvalid(_("The payout order is fixed, drawn or bidding."), field="order_method")
    if start_date < timezone.localdate():
        raise TontineInvalid(_("The first due date cannot be in the past."), field="start_date")
    _check_rules(
        contribution=contribution,
        currency=currency,
        max_members=max_members,
        late_penalty=late_penalty,
        grace_days=grace_days,
        commission_bps=commission_bps,
    )
    if not actor.phone:
        raise TontineInvalid(_("Add a phone number to your account first."), field="phone")
    seed = secrets.token_hex(32)
    with transaction.atomic():
        group = Group(
            name=name,
            organiser=actor,
            currency=currency,
            contribution=contribution,
            frequency=frequency,
            start_date=start_date,
            max_members=max_members,
            order_method=order_method,
            late_penalty=late_penalty,
            grace_days=grace_days,
            commission_bps=commission_bps,
            guarantee_required=guarantee_required,
            seed=seed,
            seed_hash=seed_commitment(seed),
        )
        pot = ledger.create_account(
            code=f"{POT_PREFIX}{group.public_id}",
            name=f"Cotis'Hokwe pot: {name}"[:200],
            currency=currency,
            kind=AccountKind.LIABILITY,
            owner_type=OwnerType.SYSTEM,
            debits_must_not_exceed_credits=True,
        )
        group.pot_account = pot.public_id
        group.rules_digest = rules_digest(group)
        group.save()
        Member.objects.create(
            group=group,
            user=actor,
            phone=str(actor.phone),
            status=Member.Status.ACTIVE,
            accepted_at=timezone.now(),
            accepted_rules=group.rules_digest,
        )
    return group


def _seats_taken(group: Group) -> int:
    return group.members.filter(status__in=[Member.Status.ACTIVE, Member.Status.INVITED]).count()


def invite(*, actor, group: Group, phones: list[str]) -> list[Member]:
    """Invite people by phone (the organiser, while the group is forming). Each gets an SMS
    with the rules; they accept with an OTP."""
    _organiser(actor, group)
    if group.status != Group.Status.FORMING:
        raise TontineStateConflict(_("Members are invited before the group starts."), field="group")
    numbers = []
    for raw in phones:
        number = identity.normalize_phone(raw, field="phones")
        if number not in numbers:
            numbers.append(number)
    if not numbers:
        raise TontineInvalid(_("Give at least one phone number."), field="phones")
    with transaction.atomic():
        group = Group.objects.select_for_update().get(pk=group.pk)
        if _seats_taken(group) + len(numbers) > group.max_members:
            raise TontineInvalid(
                _("This group is limited to %(n)s members.") % {"n": group.max_members}, field="phones"
            )
        invited = []
        for number in numbers:
            try:
                with transaction.atomic():
                    seat = Member.objects.create(group=group, phone=number, status=Member.Status.INVITED)
            except IntegrityError:
                raise TontineInvalid(
                    _("%(phone)s is already in this group.") % {"phone": number}, field="phones"
                )
            _send_invitation(group, seat, actor)
            invited.append(seat)
    return invited


def _send_invitation(group: Group, seat: Member, actor) -> None:
    from ..messages import TONTINE_INVITATION

    notifications.send(
        seat.phone,
        TONTINE_INVITATION,
        {
            "organiser_name": actor.full_name or str(actor.phone),
            "group_name": group.name,
            "contribution": {"amount": group.contribution, "currency": group.currency},
            "frequency": group.get_frequency_display(),
            "start_date": group.start_date.isoformat(),
        },
        idempotency_key=f"wallet:tontine:invite:{seat.public_id}",
    )


def invitation_accept(
    *, actor, member: Member, step_up_token: str | None, payout_to: str = "wallet"
) -> Member:
    """The invitee accepts the group's rules with the OTP of a step-up (action
    "wallet.tontine.accept", target the seat's public id). A seat that replaces a member takes
    over their place; the newcomer pays the leaver back what the leaver contributed so far."""
    identity.authenticated(actor)
    if payout_to not in Member.PayoutTo.values:
        raise TontineInvalid(_("The pot is paid to your wallet or to your rent."), field="payout_to")
    with transaction.atomic():
        seat = Member.objects.select_for_update(of=("self",)).select_related("group").get(pk=member.pk)
        if seat.status != Member.Status.INVITED or seat.phone != str(actor.phone or ""):
            raise NotFound(field="invitation")
        group = Group.objects.select_for_update().get(pk=seat.group_id)
        if group.status not in (Group.Status.FORMING, Group.Status.ACTIVE) or (
            group.status == Group.Status.ACTIVE and seat.replaces_id is None
        ):
            raise TontineStateConflict(_("This group no longer takes new members."), field="invitation")
        identity.require_step_up(
            actor=actor, action=ACCEPT_ACTION, target=str(seat.public_id), token=step_up_token
        )
        if group.members.filter(user_id=actor.pk, status=Member.Status.ACTIVE).exists():
            raise TontineStateConflict(_("You are already a member of this group."), field="invitation")
        seat.user = actor
        seat.status = Member.Status.ACTIVE
        seat.accepted_at = timezone.now()
        seat.accepted_rules = group.rules_digest
        seat.payout_to = payout_to
        if seat.replaces_id is not None:
            _take_over(group, seat)
        seat.save()
    return seat


def invitation_decline(*, actor, member: Member) -> Member:
    with transaction.atomic():
        seat = Member.objects.select_for_update().get(pk=member.pk)
        if seat.status != Member.Status.INVITED or seat.phone != str(actor.phone or ""):
            raise NotFound(field="invitation")
        seat.status = Member.Status.DECLINED
        seat.save(update_fields=["status", "updated_at"])
    return seat


def set_payout(*, actor, group: Group, payout_to: str, rent_due=None) -> Member:
    """Where my pot goes: my wallet, or my landlord's rent due (estate's due public id)."""
    seat = seat_of(actor, group)
    if seat is None:
        raise NotFound(field="group")
    if payout_to not in Member.PayoutTo.values:
        raise TontineInvalid(_("The pot is paid to your wallet or to your rent."), field="payout_to")
    if payout_to == Member.PayoutTo.RENT and not rent_due:
        raise TontineInvalid(_("Choose the rent due the pot pays."), field="rent_due")
    seat.payout_to = payout_to
    seat.rent_due = rent_due if payout_to == Member.PayoutTo.RENT else None
    seat.save(update_fields=["payout_to", "rent_due", "updated_at"])
    return seat


def group_cancel(*, actor, group: Group) -> Group:
    """The organiser cancels a group that has not started (no money moved yet)."""
    _organiser(actor, group)
    with transaction.atomic():
        group = Group.objects.select_for_update().get(pk=group.pk)
        if group.status != Group.Status.FORMING:
            raise TontineStateConflict(
                _("Only a group that has not started can be cancelled."), field="group"
            )
        GROUP_STATES.check(group.status, Group.Status.CANCELLED)
        group.status = Group.Status.CANCELLED
        group.ended_at = timezone.now()
        group.save(update_fields=["status", "ended_at", "updated_at"])
        group.members.filter(status=Member.Status.INVITED).update(status=Member.Status.CANCELLED)
    return group


# --- starting: order, rounds, contributions --------------------------------------------------


def group_start(*, actor, group: Group, order: list | None = None) -> Group:
    """Start the cycle: at least 3 members who accepted; pending invitations are withdrawn;
    the seed is revealed; one round per member (round k due on the k-th period), one
    contribution per member and round. `order` (fixed order only): the members' public ids
    in payout order (default: the order they joined in)."""
    _organiser(actor, group)
    with transaction.atomic():
        group = Group.objects.select_for_update().get(pk=group.pk)
        GROUP_STATES.check(group.status, Group.Status.ACTIVE, field="group")
        if group.start_date < timezone.localdate():
            raise TontineStateConflict(
                _("The first due date has passed: create the group again with a new date."),
                field="start_date",
            )
        group.members.filter(status=Member.Status.INVITED).update(status=Member.Status.CANCELLED)
        members = list(group.members.filter(status=Member.Status.ACTIVE).order_by("accepted_at", "id"))
        if len(members) < MIN_MEMBERS:
            raise TontineStateConflict(
                _("A group starts with at least %(n)s members who accepted.") % {"n": MIN_MEMBERS},
                field="group",
            )
        ids = [str(m.public_id) for m in members]
        if group.order_method == Group.Order.FIXED and order:
            wanted = [str(x) for x in order]
            if sorted(wanted) != sorted(ids):
                raise TontineInvalid(_("The order lists every member once."), field="order")
            ids = wanted
        elif order:
            raise TontineInvalid(_("Only a fixed order is given by the organiser."), field="order")
        elif group.order_method == Group.Order.DRAWN:
            ids = drawn_order(group.seed, ids)
        by_id = {str(m.public_id): m for m in members}
        for position, member_id in enumerate(ids, start=1):
            seat = by_id[member_id]
            seat.position = position
            seat.save(update_fields=["position", "updated_at"])
        rounds = []
        for number in range(1, len(members) + 1):
            due = due_date_of(group, number)
            beneficiary = None if group.order_method == Group.Order.BIDDING else by_id[ids[number - 1]]
            rounds.append(
                Round(
                    group=group,
                    number=number,
                    due_date=due,
                    close_date=due + timedelta(days=group.grace_days),
                    beneficiary=beneficiary,
                )
            )
        Round.objects.bulk_create(rounds)
        rounds = list(group.rounds.order_by("number"))
        Contribution.objects.bulk_create(
            [Contribution(round=r, member=m, amount=group.contribution) for r in rounds for m in members]
        )
        group.status = Group.Status.ACTIVE
        group.seed_revealed = True
        group.started_at = timezone.now()
        group.save(update_fields=["status", "seed_revealed", "started_at", "updated_at"])
    return group


# --- replacement -----------------------------------------------------------------------------


def member_replace(*, actor, group: Group, member: Member, phone: str) -> Member:
    """Between rounds, the organiser invites someone to take a member's place (a member who
    has not received the pot yet: one who has keeps paying, under their guarantee). Once the
    newcomer accepts, they hold the seat's place in the order and its coming contributions,
    and pay the leaver back what the leaver had contributed (a buy-out: nobody loses, every
    remaining round stays whole)."""
    _organiser(actor, group)
    number = identity.normalize_phone(phone, field="phone")
    with transaction.atomic():
        group = Group.objects.select_for_update().get(pk=group.pk)
        if group.status != Group.Status.ACTIVE:
            raise TontineStateConflict(_("Members are replaced while the cycle runs."), field="group")
        seat = Member.objects.select_for_update().get(pk=member.pk, group=group)
        if seat.status != Member.Status.ACTIVE:
            raise TontineStateConflict(_("This member is no longer in the group."), field="member")
        if Round.objects.filter(group=group, beneficiary=seat, status=Round.Status.PAID).exists():
            raise TontineStateConflict(
                _("This member already received the pot: they keep paying until the end."), field="member"
            )
        if Member.objects.filter(replaces=seat, status=Member.Status.INVITED).exists():
            raise TontineStateConflict(_("A replacement is already invited."), field="member")
        if group.members.filter(
            phone=number, status__in=[Member.Status.ACTIVE, Member.Status.INVITED]
        ).exists():
            raise TontineInvalid(_("%(phone)s is already in this group.") % {"phone": number}, field="phone")
        newcomer = Member.objects.create(
            group=group, phone=number, status=Member.Status.INVITED, replaces=seat, position=seat.position
        )
        _send_invitation(group, newcomer, actor)
    return newcomer


def _take_over(group: Group, seat: Member) -> None:
    """The newcomer `seat` (accepting, locked) takes the place of `seat.replaces`."""
    leaver = Member.objects.select_for_update().get(pk=seat.replaces_id)
    if (
        leaver.status != Member.Status.ACTIVE
        or Round.objects.filter(group=group, beneficiary=leaver, status=Round.Status.PAID).exists()
    ):
        raise TontineStateConflict(_("The member to replace already received the pot."), field="invitation")
    paid = list(
        Contribution.objects.filter(member=leaver, status=Contribution.Status.PAID).values_list(
            "amount", flat=True
        )
    )
    buyout = sum(paid)
    if buyout:
        newcomer_wallet = wallets.wallet_for(seat.user, group.currency)
        leaver_wallet = wallets.wallet_for(leaver.user, group.currency)
        wallets.move(
            idempotency_key=f"wallet:tontine:buyout:{seat.public_id}",
            code="tontine_buyout",
            debit=newcomer_wallet.account,
            credit=leaver_wallet.account,
            amount=buyout,
            currency=group.currency,
            out_of=newcomer_wallet,
            into=leaver_wallet,
            kyc_operation="wallet_payment",
            description=f"Cotis'Hokwe {group.name}: seat bought back",
            reference=f"wallet.TontineMember:{seat.public_id}",
        )
    # the coming contributions (not paid yet) and the seat's round move to the newcomer
    Contribution.objects.filter(member=leaver).exclude(status=Contribution.Status.PAID).update(member=seat)
    TontineBid.objects.filter(member=leaver, round__status=Round.Status.OPEN).delete()
    seat.position = leaver.position
    leaver.status = Member.Status.REPLACED
    leaver.position = None
    leaver.save(update_fields=["status", "position", "updated_at"])
    seat.save()
    Round.objects.filter(group=group, beneficiary=leaver).update(beneficiary=seat)


# --- paying a contribution by hand -----------------------------------------------------------


def next_contribution(group: Group, seat: Member) -> Contribution | None:
    """The seat's earliest unpaid contribution of an open round."""
    return (
        Contribution.objects.select_related("round")
        .filter(member=seat, round__status=Round.Status.OPEN)
        .exclude(status=Contribution.Status.PAID)
        .order_by("round__number")
        .first()
    )


def contribute(*, actor, group: Group) -> Contribution:
    """Pay my next contribution (with its penalty if late) from my wallet, now."""
    from .tontine_rounds import collect

    seat = seat_of(actor, group)
    if seat is None:
        raise NotFound(field="group")
    if group.status != Group.Status.ACTIVE:
        raise TontineStateConflict(_("This group is not collecting contributions."), field="group")
    row = next_contribution(group, seat)
    if row is None:
        raise TontineStateConflict(_("You have nothing to pay in this group now."), field="group")
    return collect(row, method=Contribution.Method.WALLET, today=timezone.localdate())


def record_cash(*, actor, group: Group, member: Member) -> Contribution:
    """The organiser, as the group's collector, received a member's contribution in cash: the
    pot is credited from the collector's wallet (they hold the notes)."""
    from .tontine_rounds import collect

    _organiser(actor, group)
    if group.status != Group.Status.ACTIVE or member.group_id != group.pk:
        raise TontineStateConflict(_("This group is not collecting contributions."), field="group")
    row = next_contribution(group, member)
    if row is None:
        raise TontineStateConflict(_("This member has nothing to pay now."), field="member")
    return collect(row, method=Contribution.Method.CASH, today=timezone.localdate(), collector=actor)


@dataclass(frozen=True)
class PayLink:
    contribution: Contribution
    intent: object  # payments' IntentInfo


def pay_link(*, actor, group: Group) -> PayLink:
    """A payments intent for my next contribution (mobile money, card…), crediting the pot
    directly; when it succeeds (payments.PaymentSucceeded) the contribution is paid."""
    from apps.payments import api as payments
    from apps.payments.contracts import FeeRule, PurposeRef

    seat = seat_of(actor, group)
    if seat is None:
        raise NotFound(field="group")
    row = next_contribution(group, seat)
    if group.status != Group.Status.ACTIVE or row is None:
        raise TontineStateConflict(_("You have nothing to pay in this group now."), field="group")
    from .tontine_rounds import penalty_due

    amount = row.amount + penalty_due(row, timezone.localdate())
    intent = payments.create_intent(
        organization=_issuer(),
        amount=amount,
        currency=group.currency,
        purpose=PurposeRef(PAY_LINK_PURPOSE, str(row.public_id)),
        description=f"Cotis'Hokwe {group.name} — round {row.round.number}",
        credit_account=group.pot_account,
        payer=actor.public_id,
        payer_phone=str(actor.phone or ""),
        fee_rule=FeeRule(basis_points=0, fixed=0),
        idempotency_key=f"wallet:tontine:paylink:{row.public_id}:{amount}",
    )
    Contribution.objects.filter(pk=row.pk).update(intent=intent.public_id)
    row.intent = intent.public_id
    return PayLink(contribution=row, intent=intent)


PAY_LINK_PURPOSE = "wallet.TontineContribution"


def _issuer():
    """The organization that collects e-money payments for Hokwe (top-up issuer)."""
    from . import topups

    return topups.issuer_organization().public_id


def pay_link_settled(*, contribution_id: str, intent_id: str, amount: int, transfer: str) -> None:
    """payments.PaymentSucceeded for a pay link: the money is already in the pot."""
    from .tontine_rounds import mark_paid

    with transaction.atomic():
        row = (
            Contribution.objects.select_for_update(of=("self",))
            .select_related("round", "round__group", "member", "member__user")
            .filter(public_id=contribution_id)
            .first()
        )
        if row is None:
            return
        if row.status == Contribution.Status.PAID or row.round.status != Round.Status.OPEN:
            # paid meanwhile another way (an auto-debit), or the round closed: the money the
            # link brought into the pot goes back to the member's wallet, once
            if row.member.user_id is not None and amount > 0:
                group = row.round.group
                wallet = wallets.wallet_for(row.member.user, group.currency)
                wallets.move(
                    idempotency_key=f"wallet:tontine:paylink-return:{intent_id}",
                    code="tontine_paylink_return",
                    debit=group.pot_account,
                    credit=wallet.account,
                    amount=amount,
                    currency=group.currency,
                    into=wallet,
                    description=f"Cotis'Hokwe {group.name}: paid twice, returned",
                    reference=f"wallet.TontineContribution:{row.public_id}",
                )
            return
        mark_paid(
            row,
            method=Contribution.Method.PAY_LINK,
            transfer=transfer,
            penalty=max(0, amount - row.amount),
            today=timezone.localdate(),
        )


# --- bidding ---------------------------------------------------------------------------------


def bidding_round(group: Group) -> Round | None:
    return group.rounds.filter(status=Round.Status.OPEN, beneficiary__isnull=True).order_by("number").first()


def bid(*, actor, group: Group, discount: int) -> TontineBid:
    """Bid a discount for the next pot (bidding order). When the round closes the highest
    discount wins (the earliest bid among equals); the winner takes the pot minus the
    discount and the discount is shared equally among the other members. A new bid replaces
    mine. Members who already received cannot bid."""
    seat = seat_of(actor, group)
    if seat is None:
        raise NotFound(field="group")
    if group.order_method != Group.Order.BIDDING or group.status != Group.Status.ACTIVE:
        raise TontineStateConflict(_("This group does not take bids."), field="group")
    if isinstance(discount, bool) or not isinstance(discount, int) or discount < 0:
        raise TontineInvalid(_("A bid is a whole amount, zero or more."), field="discount")
    with transaction.atomic():
        rnd = bidding_round(group)
        if rnd is None:
            raise TontineStateConflict(_("No round is open for bids."), field="group")
        rnd = Round.objects.select_for_update().get(pk=rnd.pk)
        if Round.objects.filter(group=group, beneficiary=seat).exists():
            raise TontineStateConflict(_("You already received the pot in this cycle."), field="discount")
        pot = group.contribution * group.members.filter(status=Member.Status.ACTIVE).count()
        cap = pot * settings.WALLET_TONTINE_MAX_DISCOUNT_BPS // 10_000
        if discount > cap:
            raise TontineInvalid(
                _("A bid is at most %(cap)s.") % {"cap": cap},
                field="discount",
            )
        row, created = TontineBid.objects.get_or_create(
            round=rnd, member=seat, defaults={"discount": discount}
        )
        if not created:
            row.discount = discount
            row.save(update_fields=["discount", "updated_at"])
    return row


def publish_paid(row: Contribution, *, today: date, late: bool) -> None:
    rnd = row.round
    publish(
        ContributionPaid(
            group_id=str(rnd.group.public_id),
            round_id=str(rnd.public_id),
            round_number=rnd.number,
            member_id=str(row.member.public_id),
            user_id=str(row.member.user.public_id) if row.member.user_id else None,
            amount=row.amount,
            penalty=row.penalty,
            currency=rnd.group.currency,
            method=row.method,
            due_date=rnd.due_date.isoformat(),
            paid_on=today.isoformat(),
            late=late,
            ledger_transfer=str(row.transfer) if row.transfer else None,
        )
    )


# --- the group's page (REST and GraphQL render the same dict) --------------------------------


def _mask(phone: str) -> str:
    text = str(phone or "")
    return text[:4] + "*" * max(0, len(text) - 6) + text[-2:] if len(text) > 6 else "**"


def draw_proof(group: Group) -> dict:
    """What a member needs to check the drawn order: the hash committed at creation, the seed
    (once revealed at start), the member list in the order they joined, and the order
    recomputed here with `drawn_order` (the same three lines anyone can run)."""
    # the seats that took part in the draw: the members at the start (a replacement came later)
    members = list(
        group.members.filter(
            status__in=[Member.Status.ACTIVE, Member.Status.REPLACED], replaces__isnull=True
        ).order_by("accepted_at", "id")
    )
    ids = [str(m.public_id) for m in members]
    revealed = group.seed_revealed
    return {
        "method": group.order_method,
        "seed_hash": group.seed_hash,
        "seed": group.seed if revealed else None,
        "member_ids": ids if revealed else [],
        "order": drawn_order(group.seed, ids) if revealed and group.order_method == Group.Order.DRAWN else [],
        "recipe": (
            "sha256(seed.encode()).hexdigest() == seed_hash; order = sorted(member_ids, key=lambda m: "
            'sha256(f"{seed}:{m}".encode()).hexdigest())'
        ),
    }


def group_page(group: Group, user) -> dict:
    """The group as its members see it: rules, members, rounds (who paid), who is next, the
    draw's proof, my seat and what I owe next."""
    today = timezone.localdate()
    members = list(group.members.select_related("user").order_by("position", "id"))
    seat = next((m for m in members if m.user_id == user.pk and m.status == Member.Status.ACTIVE), None)
    invitation = next(
        (
            m
            for m in members
            if m.status == Member.Status.INVITED and m.phone == str(getattr(user, "phone", ""))
        ),
        None,
    )
    rounds = list(group.rounds.select_related("beneficiary__user").order_by("number"))
    contributions = {}
    for row in Contribution.objects.filter(round__group=group).select_related("member"):
        contributions.setdefault(row.round_id, []).append(row)
    member_rows = []
    for m in members:
        if m.status in (Member.Status.DECLINED, Member.Status.CANCELLED):
            continue
        member_rows.append(
            {
                "id": m.public_id,
                "name": (m.user.full_name if m.user_id else "") or _mask(m.phone),
                "phone": m.phone if m.user_id == user.pk else _mask(m.phone),
                "status": m.status,
                "position": m.position,
                "is_organiser": m.user_id == group.organiser_id,
                "received": any(r.beneficiary_id == m.pk and r.status == Round.Status.PAID for r in rounds),
                "guarantee": m.guarantee_amount,
                "currency": group.currency,
            }
        )
    round_rows = []
    for r in rounds:
        rows = contributions.get(r.pk, [])
        round_rows.append(
            {
                "id": r.public_id,
                "number": r.number,
                "due_date": r.due_date,
                "close_date": r.close_date,
                "status": r.status,
                "beneficiary": r.beneficiary.public_id if r.beneficiary_id else None,
                "beneficiary_name": (
                    r.beneficiary.user.full_name if r.beneficiary_id and r.beneficiary.user_id else ""
                ),
                "collected": r.collected,
                "commission": r.commission,
                "discount": r.discount,
                "penalties": r.penalties,
                "paid_out": r.paid_out,
                "currency": group.currency,
                "contributions": [
                    {
                        "member": c.member.public_id,
                        "status": c.status,
                        "method": c.method,
                        "amount": c.amount,
                        "penalty": c.penalty,
                        "paid_at": c.paid_at,
                        "currency": group.currency,
                    }
                    for c in sorted(rows, key=lambda c: (c.member.position or 0, c.pk))
                ],
            }
        )
    upcoming = next((r for r in rounds if r.status == Round.Status.OPEN), None)
    mine = next_contribution(group, seat) if seat is not None else None
    return {
        "id": group.public_id,
        "name": group.name,
        "status": group.status,
        "organiser": group.organiser.public_id,
        "is_organiser": group.organiser_id == user.pk,
        "contribution": group.contribution,
        "currency": group.currency,
        "frequency": group.frequency,
        "start_date": group.start_date,
        "max_members": group.max_members,
        "order_method": group.order_method,
        "late_penalty": group.late_penalty,
        "grace_days": group.grace_days,
        "commission_bps": group.commission_bps,
        "guarantee_required": group.guarantee_required,
        "rules_digest": group.rules_digest,
        "pot_account": group.pot_account,
        "draw": draw_proof(group),
        "members": member_rows,
        "rounds": round_rows,
        "next_round": upcoming.number if upcoming else None,
        "next_beneficiary": upcoming.beneficiary.public_id if upcoming and upcoming.beneficiary_id else None,
        "my_seat": seat.public_id if seat else None,
        "my_invitation": invitation.public_id if invitation else None,
        "my_next_due": (
            {
                "round": mine.round.number,
                "due_date": mine.round.due_date,
                "amount": mine.amount,
                "penalty": _penalty(mine, today),
                "currency": group.currency,
            }
            if mine
            else None
        ),
    }


def _penalty(row: Contribution, today: date) -> int:
    from .tontine_rounds import penalty_due

    return penalty_due(row, today)


# --- leaving mid-cycle (without a replacement) -----------------------------------------------


def member_leave(*, actor, group: Group, member: Member) -> Member:
    """A member who has not received the pot leaves between rounds (themself, or the organiser
    for them; the organiser cannot leave). The group goes on with one member and one round
    fewer, and every remaining round stays whole:

    - each member who already took a pot holding the leaver's contribution pays it back to
      the leaver (their pot was one contribution bigger than the smaller group's);
    - what the leaver paid toward open rounds comes back from the pot;
    - the leaver's coming contributions are dropped; the payout order closes up (the members
      after the leaver move one round earlier) and the last open round is cancelled, its
      advance payments returned.

    Refused when the leaver owes arrears, or when a past beneficiary's wallet cannot pay back
    now (then: replace the member instead, `member_replace`)."""
    from .tontine_rounds import guarantee_refresh

    with transaction.atomic():
        group = Group.objects.select_for_update().get(pk=group.pk)
        seat = (
            Member.objects.select_for_update(of=("self",))
            .select_related("user")
            .get(pk=member.pk, group=group)
        )
        if actor.pk not in (seat.user_id, group.organiser_id):
            raise NotFound(field="member")
        if group.status != Group.Status.ACTIVE or seat.status != Member.Status.ACTIVE:
            raise TontineStateConflict(_("Members leave while the cycle runs."), field="member")
        if seat.user_id == group.organiser_id:
            raise TontineStateConflict(_("The organiser cannot leave the group."), field="member")
        if Round.objects.filter(group=group, beneficiary=seat, status=Round.Status.PAID).exists():
            raise TontineStateConflict(
                _("This member already received the pot: they keep paying until the end."), field="member"
            )
        if Contribution.objects.filter(member=seat, status=Contribution.Status.DEFAULTED).exists():
            raise TontineStateConflict(
                _("This member owes missed contributions: invite a replacement instead."), field="member"
            )
        if Member.objects.filter(replaces=seat, status=Member.Status.INVITED).exists():
            raise TontineStateConflict(_("A replacement is already invited."), field="member")
        mine = wallets.wallet_for(seat.user, group.currency)
        label = f"Cotis'Hokwe {group.name}: a member left"
        # 1. the pots already paid that held the leaver's contribution give it back
        for row in Contribution.objects.select_related("round__beneficiary__user").filter(
            member=seat, status=Contribution.Status.PAID, round__status=Round.Status.PAID
        ):
            payer_seat = row.round.beneficiary
            payer = wallets.wallet_for(payer_seat.user, group.currency)
            from .tontine_rounds import _release_guarantee

            _release_guarantee(payer_seat)
            try:
                wallets.move(
                    idempotency_key=f"wallet:tontine:leave:{seat.public_id}:{row.round.public_id}",
                    code="tontine_leave_refund",
                    debit=payer.account,
                    credit=mine.account,
                    amount=row.amount,
                    currency=group.currency,
                    out_of=payer,
                    into=mine,
                    description=label,
                    reference=f"wallet.TontineMember:{seat.public_id}",
                )
            except (ledger.InsufficientFunds, *_wallet_refusals()):
                raise TontineStateConflict(
                    _("A member who already received cannot pay back now: invite a replacement instead."),
                    field="member",
                ) from None
            guarantee_refresh(payer_seat, group)
        # 2. what the leaver paid toward open rounds comes back from the pot; the rest is dropped
        open_rows = Contribution.objects.filter(member=seat, round__status=Round.Status.OPEN)
        _return_from_pot(group, open_rows, label)
        open_rows.delete()
        TontineBid.objects.filter(member=seat).delete()
        # 3. the order closes up; the last open round is cancelled
        open_rounds = list(group.rounds.filter(status=Round.Status.OPEN).order_by("number"))
        last = open_rounds[-1]
        if group.order_method != Group.Order.BIDDING:
            chain = [r.beneficiary_id for r in open_rounds if r.beneficiary_id != seat.pk]
            Round.objects.filter(pk__in=[r.pk for r in open_rounds]).update(beneficiary=None)
            for rnd, beneficiary_id in zip(open_rounds[:-1], chain, strict=True):
                Round.objects.filter(pk=rnd.pk).update(beneficiary_id=beneficiary_id)
        cancelled = Contribution.objects.filter(round=last)
        _return_from_pot(group, cancelled, label)
        cancelled.delete()
        TontineBid.objects.filter(round=last).delete()
        Round.objects.filter(pk=last.pk).update(status=Round.Status.CANCELLED, beneficiary=None)
        later = Member.objects.filter(
            group=group, status=Member.Status.ACTIVE, position__gt=seat.position or 0
        )
        for other in later.order_by("position"):
            Member.objects.filter(pk=other.pk).update(position=other.position - 1)
        seat.status = Member.Status.LEFT
        seat.position = None
        seat.save(update_fields=["status", "position", "updated_at"])
    return seat


def _wallet_refusals() -> tuple:
    from ..errors import WalletClosed, WalletFrozen

    return (WalletFrozen, WalletClosed)


def _return_from_pot(group: Group, rows, label: str) -> None:
    for row in (
        rows.filter(status=Contribution.Status.PAID)
        .exclude(method=Contribution.Method.WITHHELD)
        .select_related("member__user", "collector")
    ):
        # cash came from the collector's wallet: it goes back there
        person = (
            row.collector if row.method == Contribution.Method.CASH and row.collector_id else row.member.user
        )
        wallet = wallets.wallet_for(person, group.currency)
        wallets.move(
            idempotency_key=f"wallet:tontine:return:{row.public_id}",
            code="tontine_return",
            debit=group.pot_account,
            credit=wallet.account,
            amount=row.amount + row.penalty,
            currency=group.currency,
            into=wallet,
            description=label,
            reference=f"wallet.TontineContribution:{row.public_id}",
        )


def turns_of(user) -> list:
    """wallet.api.tontine_turns: one TontineTurn per group where `user` has an active seat."""
    from django.db.models import Count

    from ..contracts import TontineTurn

    seats = list(
        Member.objects.select_related("group").filter(
            user_id=user.pk, status=Member.Status.ACTIVE, group__status=Group.Status.ACTIVE
        )
    )
    if not seats:
        return []
    groups = [seat.group_id for seat in seats]
    active = dict(
        Member.objects.filter(group_id__in=groups, status=Member.Status.ACTIVE)
        .values("group_id")
        .annotate(n=Count("id"))
        .values_list("group_id", "n")
    )
    turns = {
        row.beneficiary_id: row
        for row in TontineRound.objects.filter(beneficiary_id__in=[seat.pk for seat in seats])
    }
    upcoming: dict = {}
    for group_id, day in (
        TontineContribution.objects.filter(
            member_id__in=[seat.pk for seat in seats],
            status__in=[TontineContribution.Status.DUE, TontineContribution.Status.LATE],
        )
        .order_by("round__due_date")
        .values_list("round__group_id", "round__due_date")
    ):
        upcoming.setdefault(group_id, day)
    result = []
    for seat in seats:
        group, turn = seat.group, turns.get(seat.pk)
        result.append(
            TontineTurn(
                group=group.public_id,
                group_name=group.name,
                currency=group.currency,
                contribution=group.contribution,
                pot=group.contribution * active.get(group.pk, 0),
                turn_round=turn.number if turn else None,
                turn_date=turn.due_date if turn else None,
                turn_paid=bool(turn and turn.status == TontineRound.Status.PAID),
                next_contribution_date=upcoming.get(group.pk),
            )
        )
    return result

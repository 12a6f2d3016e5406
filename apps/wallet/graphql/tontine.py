"""GraphQL of Cotis'Hokwe (fields named walletTontine… / wallet<Verb>Tontine…): the same
services as REST (services/tontine.py). A group is visible to its members and invitees only."""

import graphene
from django.utils.translation import gettext_lazy as _

from apps.core.errors import NotFound
from apps.core.graphql.mutations import HokweMutation, current_user, or_none
from apps.core.graphql.types import Amount, MoneyField, PublicIdField, UTCDateTime
from apps.identity.api import authenticated

from ..models import TontineMember
from ..services import tontine

# --- types -----------------------------------------------------------------------------------


class WalletTontineDrawType(graphene.ObjectType):
    class Meta:
        name = "WalletTontineDraw"

    method = graphene.String(required=True)
    seed_hash = graphene.String(required=True, description=_("sha256 of the seed, published at creation."))
    seed = graphene.String(description=_("Revealed when the group starts."))
    member_ids = graphene.List(graphene.NonNull(graphene.String), required=True)
    order = graphene.List(graphene.NonNull(graphene.String), required=True)
    recipe = graphene.String(required=True)


class WalletTontineMemberType(graphene.ObjectType):
    class Meta:
        name = "WalletTontineMember"

    id = graphene.UUID(required=True)
    name = graphene.String(required=True)
    phone = graphene.String(required=True)
    status = graphene.String(required=True)
    position = graphene.Int()
    is_organiser = graphene.Boolean(required=True)
    received = graphene.Boolean(required=True)
    guarantee = MoneyField("guarantee")


class WalletTontineContributionType(graphene.ObjectType):
    class Meta:
        name = "WalletTontineContribution"

    member = graphene.UUID(required=True)
    status = graphene.String(required=True)
    method = graphene.String(required=True)
    amount = MoneyField("amount")
    penalty = MoneyField("penalty")
    paid_at = UTCDateTime()


class WalletTontineRoundType(graphene.ObjectType):
    class Meta:
        name = "WalletTontineRound"

    id = graphene.UUID(required=True)
    number = graphene.Int(required=True)
    due_date = graphene.Date(required=True)
    close_date = graphene.Date(required=True)
    status = graphene.String(required=True)
    beneficiary = graphene.UUID()
    beneficiary_name = graphene.String(required=True)
    collected = MoneyField("collected")
    commission = MoneyField("commission")
    discount = MoneyField("discount")
    penalties = MoneyField("penalties")
    paid_out = MoneyField("paid_out")
    contributions = graphene.List(graphene.NonNull(WalletTontineContributionType), required=True)


class WalletTontineNextDueType(graphene.ObjectType):
    class Meta:
        name = "WalletTontineNextDue"

    round = graphene.Int(required=True)
    due_date = graphene.Date(required=True)
    amount = MoneyField("amount")
    penalty = MoneyField("penalty")


class WalletTontineType(graphene.ObjectType):
    """A group's page: rules, members, rounds (who paid), who is next, the draw's proof."""

    class Meta:
        name = "WalletTontine"

    id = graphene.UUID(required=True)
    name = graphene.String(required=True)
    status = graphene.String(required=True)
    organiser = graphene.UUID(required=True)
    is_organiser = graphene.Boolean(required=True)
    contribution = MoneyField("contribution")
    frequency = graphene.String(required=True)
    start_date = graphene.Date(required=True)
    max_members = graphene.Int(required=True)
    order_method = graphene.String(required=True)
    late_penalty = MoneyField("late_penalty")
    grace_days = graphene.Int(required=True)
    commission_bps = graphene.Int(required=True)
    guarantee_required = graphene.Boolean(required=True)
    rules_digest = graphene.String(required=True)
    pot_account = graphene.UUID(required=True)
    draw = graphene.Field(WalletTontineDrawType, required=True)
    members = graphene.List(graphene.NonNull(WalletTontineMemberType), required=True)
    rounds = graphene.List(graphene.NonNull(WalletTontineRoundType), required=True)
    next_round = graphene.Int()
    next_beneficiary = graphene.UUID()
    my_seat = graphene.UUID()
    my_invitation = graphene.UUID()
    my_next_due = graphene.Field(WalletTontineNextDueType)


class WalletTontineSummaryType(graphene.ObjectType):
    class Meta:
        name = "WalletTontineSummary"

    id = PublicIdField()
    name = graphene.String(required=True)
    status = graphene.String(required=True)
    contribution = MoneyField("contribution")
    frequency = graphene.String(required=True)
    start_date = graphene.Date(required=True)
    order_method = graphene.String(required=True)


class WalletTontineSeatType(graphene.ObjectType):
    class Meta:
        name = "WalletTontineSeat"

    id = PublicIdField()
    group = graphene.UUID(required=True, resolver=lambda row, info: row.group.public_id)
    status = graphene.String(required=True)
    phone = graphene.String(required=True)
    position = graphene.Int()
    payout_to = graphene.String(required=True)


class WalletTontineContributionPaidType(graphene.ObjectType):
    class Meta:
        name = "WalletTontineContributionPaid"

    id = PublicIdField()
    round = graphene.Int(required=True, resolver=lambda row, info: row.round.number)
    status = graphene.String(required=True)
    method = graphene.String(required=True)
    amount = MoneyField("amount", currency="round.group.currency")
    penalty = MoneyField("penalty", currency="round.group.currency")
    transfer = graphene.UUID()


class WalletTontinePayLinkType(graphene.ObjectType):
    class Meta:
        name = "WalletTontinePayLink"

    contribution = graphene.UUID(required=True, resolver=lambda link, info: link.contribution.public_id)
    intent = graphene.UUID(required=True, resolver=lambda link, info: link.intent.public_id)
    amount = MoneyField("intent.amount", currency="intent.currency")
    pay_url = graphene.String(required=True, resolver=lambda link, info: link.intent.pay_url)


class WalletTontineBidType(graphene.ObjectType):
    class Meta:
        name = "WalletTontineBid"

    id = PublicIdField()
    round = graphene.Int(required=True, resolver=lambda row, info: row.round.number)
    discount = MoneyField("discount", currency="round.group.currency")


# --- queries ---------------------------------------------------------------------------------


class TontineQueries(graphene.ObjectType):
    wallet_tontines = graphene.List(
        graphene.NonNull(WalletTontineSummaryType),
        required=True,
        description=_("My Cotis'Hokwe groups (organised, joined, or invited to)."),
    )
    wallet_tontine = graphene.Field(
        WalletTontineType,
        group_id=graphene.UUID(required=True),
        description=_("A group's page (null if I am not in it)."),
    )

    @staticmethod
    def resolve_wallet_tontines(root, info):
        actor = authenticated(current_user(info))
        return list(tontine.groups_for(actor).order_by("-created_at", "-id")[:200])

    @staticmethod
    @or_none
    def resolve_wallet_tontine(root, info, group_id):
        actor = authenticated(current_user(info))
        return tontine.group_page(tontine.group_get(actor, group_id), actor)


# --- mutations -------------------------------------------------------------------------------


def _page(user, group):
    group.refresh_from_db()
    return {"tontine": tontine.group_page(group, user)}


class WalletCreateTontine(HokweMutation):
    """Create a group (forming): I am its organiser and first member."""

    class Arguments:
        name = graphene.String(required=True)
        contribution = Amount(required=True)
        currency = graphene.String(required=True)
        frequency = graphene.String(required=True)
        start_date = graphene.Date(required=True)
        max_members = graphene.Int(required=True)
        order_method = graphene.String(required=True)
        late_penalty = Amount()
        grace_days = graphene.Int()
        commission_bps = graphene.Int()
        guarantee_required = graphene.Boolean()

    tontine = graphene.Field(WalletTontineType)

    @classmethod
    def perform(cls, info, user, **args):
        args = {k: v for k, v in args.items() if v is not None}
        return _page(user, tontine.group_create(actor=user, **args))


class WalletInviteTontineMembers(HokweMutation):
    class Arguments:
        group_id = graphene.UUID(required=True)
        phones = graphene.List(graphene.NonNull(graphene.String), required=True)

    seats = graphene.List(graphene.NonNull(WalletTontineSeatType))

    @classmethod
    def perform(cls, info, user, *, group_id, phones):
        group = tontine.group_get(user, group_id)
        return {"seats": tontine.invite(actor=user, group=group, phones=phones)}


class WalletAcceptTontineInvitation(HokweMutation):
    """Accept the rules with the step-up proof (action "wallet.tontine.accept", target the
    invitation's id)."""

    class Arguments:
        invitation_id = graphene.UUID(required=True)
        step_up_token = graphene.String()
        payout_to = graphene.String()

    seat = graphene.Field(WalletTontineSeatType)

    @classmethod
    def perform(cls, info, user, *, invitation_id, step_up_token=None, payout_to=None):
        seat = tontine.invitation_get(user, invitation_id)
        return {
            "seat": tontine.invitation_accept(
                actor=user, member=seat, step_up_token=step_up_token or None, payout_to=payout_to or "wallet"
            )
        }


class WalletDeclineTontineInvitation(HokweMutation):
    class Arguments:
        invitation_id = graphene.UUID(required=True)

    seat = graphene.Field(WalletTontineSeatType)

    @classmethod
    def perform(cls, info, user, *, invitation_id):
        seat = tontine.invitation_get(user, invitation_id)
        return {"seat": tontine.invitation_decline(actor=user, member=seat)}


class WalletStartTontine(HokweMutation):
    """Start the cycle (organiser): the seed is revealed, the rounds made."""

    class Arguments:
        group_id = graphene.UUID(required=True)
        order = graphene.List(graphene.NonNull(graphene.UUID))

    tontine = graphene.Field(WalletTontineType)

    @classmethod
    def perform(cls, info, user, *, group_id, order=None):
        group = tontine.group_get(user, group_id)
        return _page(user, tontine.group_start(actor=user, group=group, order=order))


class WalletCancelTontine(HokweMutation):
    class Arguments:
        group_id = graphene.UUID(required=True)

    tontine = graphene.Field(WalletTontineType)

    @classmethod
    def perform(cls, info, user, *, group_id):
        group = tontine.group_get(user, group_id)
        return _page(user, tontine.group_cancel(actor=user, group=group))


class WalletPayTontineContribution(HokweMutation):
    """Pay my next contribution (with its penalty if late) from my wallet now."""

    class Arguments:
        group_id = graphene.UUID(required=True)

    contribution = graphene.Field(WalletTontineContributionPaidType)

    @classmethod
    def perform(cls, info, user, *, group_id):
        group = tontine.group_get(user, group_id)
        return {"contribution": tontine.contribute(actor=user, group=group)}


class WalletCreateTontinePayLink(HokweMutation):
    class Arguments:
        group_id = graphene.UUID(required=True)

    pay_link = graphene.Field(WalletTontinePayLinkType)

    @classmethod
    def perform(cls, info, user, *, group_id):
        group = tontine.group_get(user, group_id)
        return {"pay_link": tontine.pay_link(actor=user, group=group)}


class WalletRecordTontineCash(HokweMutation):
    """The organiser (collector) records a member's contribution paid in cash."""

    class Arguments:
        group_id = graphene.UUID(required=True)
        member_id = graphene.UUID(required=True)

    contribution = graphene.Field(WalletTontineContributionPaidType)

    @classmethod
    def perform(cls, info, user, *, group_id, member_id):
        group = tontine.group_get(user, group_id)
        member = TontineMember.objects.filter(group=group, public_id=member_id, status="active").first()
        if member is None:
            raise NotFound(field="memberId")
        return {"contribution": tontine.record_cash(actor=user, group=group, member=member)}


class WalletBidTontine(HokweMutation):
    """Bid a discount for the next pot (bidding order)."""

    class Arguments:
        group_id = graphene.UUID(required=True)
        discount = Amount(required=True)

    bid = graphene.Field(WalletTontineBidType)

    @classmethod
    def perform(cls, info, user, *, group_id, discount):
        group = tontine.group_get(user, group_id)
        return {"bid": tontine.bid(actor=user, group=group, discount=discount)}


class WalletReplaceTontineMember(HokweMutation):
    class Arguments:
        group_id = graphene.UUID(required=True)
        member_id = graphene.UUID(required=True)
        phone = graphene.String(required=True)

    seat = graphene.Field(WalletTontineSeatType)

    @classmethod
    def perform(cls, info, user, *, group_id, member_id, phone):
        group = tontine.group_get(user, group_id)
        member = TontineMember.objects.filter(group=group, public_id=member_id).first()
        if member is None:
            raise NotFound(field="memberId")
        return {"seat": tontine.member_replace(actor=user, group=group, member=member, phone=phone)}


class WalletSetTontinePayout(HokweMutation):
    class Arguments:
        group_id = graphene.UUID(required=True)
        payout_to = graphene.String(required=True)
        rent_due = graphene.UUID()

    seat = graphene.Field(WalletTontineSeatType)

    @classmethod
    def perform(cls, info, user, *, group_id, payout_to, rent_due=None):
        group = tontine.group_get(user, group_id)
        return {"seat": tontine.set_payout(actor=user, group=group, payout_to=payout_to, rent_due=rent_due)}


class WalletLeaveTontine(HokweMutation):
    """A member who has not received leaves mid-cycle (themself, or the organiser for them)."""

    class Arguments:
        group_id = graphene.UUID(required=True)
        member_id = graphene.UUID(required=True)

    seat = graphene.Field(WalletTontineSeatType)

    @classmethod
    def perform(cls, info, user, *, group_id, member_id):
        group = tontine.group_get(user, group_id)
        member = TontineMember.objects.filter(group=group, public_id=member_id).first()
        if member is None:
            raise NotFound(field="memberId")
        return {"seat": tontine.member_leave(actor=user, group=group, member=member)}


class TontineMutations(graphene.ObjectType):
    wallet_create_tontine = WalletCreateTontine.Field()
    wallet_invite_tontine_members = WalletInviteTontineMembers.Field()
    wallet_accept_tontine_invitation = WalletAcceptTontineInvitation.Field()
    wallet_decline_tontine_invitation = WalletDeclineTontineInvitation.Field()
    wallet_start_tontine = WalletStartTontine.Field()
    wallet_cancel_tontine = WalletCancelTontine.Field()
    wallet_pay_tontine_contribution = WalletPayTontineContribution.Field()
    wallet_create_tontine_pay_link = WalletCreateTontinePayLink.Field()
    wallet_record_tontine_cash = WalletRecordTontineCash.Field()
    wallet_bid_tontine = WalletBidTontine.Field()
    wallet_replace_tontine_member = WalletReplaceTontineMember.Field()
    wallet_set_tontine_payout = WalletSetTontinePayout.Field()
    wallet_leave_tontine = WalletLeaveTontine.Field()

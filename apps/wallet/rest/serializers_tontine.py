"""REST shapes of Cotis'Hokwe (components named WalletTontine…)."""

from rest_framework import serializers

from apps.core.rest import AmountField, MoneyField, StrictSerializer, UTCDateTimeField

from ..models import TontineGroup, TontineMember

# --- inputs ----------------------------------------------------------------------------------


class WalletTontineCreateIn(StrictSerializer):
    name = serializers.CharField(max_length=120)
    contribution = AmountField(min_value=1)
    currency = serializers.RegexField(r"^[A-Z]{3}$")
    frequency = serializers.ChoiceField(choices=TontineGroup.Frequency.values)
    start_date = serializers.DateField(help_text="The first round's due date.")
    max_members = serializers.IntegerField(min_value=3, max_value=50)
    order_method = serializers.ChoiceField(choices=TontineGroup.Order.values)
    late_penalty = AmountField(required=False, min_value=0)
    grace_days = serializers.IntegerField(required=False, min_value=0, max_value=31)
    commission_bps = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=10_000,
        help_text="Capped by WALLET_TONTINE_MAX_COMMISSION_BPS.",
    )
    guarantee_required = serializers.BooleanField(required=False)


class WalletTontineInviteIn(StrictSerializer):
    phones = serializers.ListField(child=serializers.CharField(max_length=32), min_length=1, max_length=49)


class WalletTontineAcceptIn(StrictSerializer):
    step_up_token = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text='The proof of POST /api/v1/auth/step-up with action "wallet.tontine.accept" and '
        "target the invitation's id, then /auth/step-up/verify with the SMS code.",
    )
    payout_to = serializers.ChoiceField(choices=TontineMember.PayoutTo.values, required=False)


class WalletTontineStartIn(StrictSerializer):
    order = serializers.ListField(
        child=serializers.UUIDField(),
        required=False,
        help_text="Fixed order only: the members' ids in payout order.",
    )


class WalletTontineBidIn(StrictSerializer):
    discount = AmountField(min_value=0)


class WalletTontineCashIn(StrictSerializer):
    member = serializers.UUIDField(help_text="The member (seat) who paid the collector in cash.")


class WalletTontineReplaceIn(StrictSerializer):
    phone = serializers.CharField(max_length=32)


class WalletTontinePayoutIn(StrictSerializer):
    payout_to = serializers.ChoiceField(choices=TontineMember.PayoutTo.values)
    rent_due = serializers.UUIDField(required=False, allow_null=True)


# --- outputs ---------------------------------------------------------------------------------


class WalletTontineDraw(serializers.Serializer):
    method = serializers.CharField()
    seed_hash = serializers.CharField(help_text="sha256 of the seed, published when the group was created.")
    seed = serializers.CharField(allow_null=True, help_text="Revealed when the group starts.")
    member_ids = serializers.ListField(child=serializers.CharField())
    order = serializers.ListField(
        child=serializers.CharField(), help_text="Drawn order recomputed by the server."
    )
    recipe = serializers.CharField(help_text="How anyone recomputes it (Python).")


class WalletTontineMemberOut(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    phone = serializers.CharField(help_text="Masked, except your own.")
    status = serializers.CharField()
    position = serializers.IntegerField(allow_null=True)
    is_organiser = serializers.BooleanField()
    received = serializers.BooleanField()
    guarantee = MoneyField("guarantee")


class WalletTontineContributionOut(serializers.Serializer):
    member = serializers.UUIDField()
    status = serializers.CharField()
    method = serializers.CharField()
    amount = MoneyField("amount")
    penalty = MoneyField("penalty")
    paid_at = UTCDateTimeField(allow_null=True)


class WalletTontineRoundOut(serializers.Serializer):
    id = serializers.UUIDField()
    number = serializers.IntegerField()
    due_date = serializers.DateField()
    close_date = serializers.DateField()
    status = serializers.CharField()
    beneficiary = serializers.UUIDField(allow_null=True)
    beneficiary_name = serializers.CharField()
    collected = MoneyField("collected")
    commission = MoneyField("commission")
    discount = MoneyField("discount")
    penalties = MoneyField("penalties")
    paid_out = MoneyField("paid_out")
    contributions = WalletTontineContributionOut(many=True)


class WalletTontineNextDue(serializers.Serializer):
    round = serializers.IntegerField()
    due_date = serializers.DateField()
    amount = MoneyField("amount")
    penalty = MoneyField("penalty")


class WalletTontineOut(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    status = serializers.CharField()
    organiser = serializers.UUIDField()
    is_organiser = serializers.BooleanField()
    contribution = MoneyField("contribution")
    frequency = serializers.CharField()
    start_date = serializers.DateField()
    max_members = serializers.IntegerField()
    order_method = serializers.CharField()
    late_penalty = MoneyField("late_penalty")
    grace_days = serializers.IntegerField()
    commission_bps = serializers.IntegerField()
    guarantee_required = serializers.BooleanField()
    rules_digest = serializers.CharField()
    pot_account = serializers.UUIDField()
    draw = WalletTontineDraw()
    members = WalletTontineMemberOut(many=True)
    rounds = WalletTontineRoundOut(many=True)
    next_round = serializers.IntegerField(allow_null=True)
    next_beneficiary = serializers.UUIDField(allow_null=True)
    my_seat = serializers.UUIDField(allow_null=True)
    my_invitation = serializers.UUIDField(allow_null=True)
    my_next_due = WalletTontineNextDue(allow_null=True)


class WalletTontineSummaryOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField()
    status = serializers.CharField()
    contribution = MoneyField("contribution")
    frequency = serializers.CharField()
    start_date = serializers.DateField()
    order_method = serializers.CharField()


class WalletTontineSeatOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    group = serializers.UUIDField(source="group.public_id")
    status = serializers.CharField()
    phone = serializers.CharField()
    position = serializers.IntegerField(allow_null=True)
    payout_to = serializers.CharField()


class WalletTontineContributionPaidOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    round = serializers.IntegerField(source="round.number")
    status = serializers.CharField()
    method = serializers.CharField()
    amount = MoneyField("amount", currency="round.group.currency")
    penalty = MoneyField("penalty", currency="round.group.currency")
    transfer = serializers.UUIDField(allow_null=True)


class WalletTontinePayLinkOut(serializers.Serializer):
    contribution = serializers.UUIDField(source="contribution.public_id")
    intent = serializers.UUIDField(source="intent.public_id")
    amount = MoneyField("intent.amount", currency="intent.currency")
    pay_url = serializers.CharField(source="intent.pay_url")


class WalletTontineBidOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    round = serializers.IntegerField(source="round.number")
    discount = MoneyField("discount", currency="round.group.currency")

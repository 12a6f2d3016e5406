from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.core.rest import MoneyField, StrictSerializer, UTCDateTimeField

from .. import chart
from ..selectors import MAX_PAGE, balance_of


class BalanceOut(serializers.Serializer):
    """A Balance (contracts.py): the amounts in the balance's own currency."""

    posted = MoneyField()
    available = MoneyField(help_text=_("Posted balance less what pending holds reserve"))
    debits_pending = serializers.IntegerField()
    credits_pending = serializers.IntegerField()
    as_of = UTCDateTimeField(allow_null=True)


class AccountOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    code = serializers.CharField()
    name = serializers.SerializerMethodField()
    currency = serializers.CharField()
    kind = serializers.CharField()
    owner_type = serializers.CharField()
    owner_id = serializers.SerializerMethodField()
    debits_must_not_exceed_credits = serializers.BooleanField()
    credits_must_not_exceed_debits = serializers.BooleanField()
    closed = serializers.SerializerMethodField()
    balance = serializers.SerializerMethodField()

    def get_name(self, account) -> str:
        return chart.display_name(account.code, account.name)

    def get_owner_id(self, account) -> str | None:
        owner = account.owner_user or account.owner_organization
        return str(owner.public_id) if owner is not None else None

    def get_closed(self, account) -> bool:
        return account.closed_at is not None

    def get_balance(self, account) -> BalanceOut:
        balance = self.context.get("balances", {}).get(account.public_id) or balance_of(account)
        return BalanceOut(balance).data


class AccountListQuery(StrictSerializer):
    currency = serializers.RegexField(r"^[A-Z]{3}$", required=False)
    owner_type = serializers.ChoiceField(choices=["system", "organization", "user"], required=False)
    cursor = serializers.CharField(required=False)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=200)


class AccountDetailQuery(StrictSerializer):
    as_of = UTCDateTimeField(required=False, help_text=_("Balance at this instant (ISO 8601)"))


class StatementQuery(StrictSerializer):
    start = UTCDateTimeField(required=False, help_text=_("From this instant, included"))
    end = UTCDateTimeField(required=False, help_text=_("Until this instant, excluded"))
    code = serializers.CharField(required=False, max_length=60)
    after = serializers.IntegerField(
        required=False, min_value=0, help_text=_("Sequence of the last line seen")
    )
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=MAX_PAGE, default=100)

    def validate(self, attrs):
        if attrs.get("start") and attrs.get("end") and attrs["start"] >= attrs["end"]:
            raise serializers.ValidationError({"end": [_("The end must come after the start.")]})
        return attrs


class StatementLineOut(serializers.Serializer):
    sequence = serializers.IntegerField()
    transfer = serializers.UUIDField()
    code = serializers.CharField()
    description = serializers.CharField()
    reference = serializers.CharField()
    side = serializers.CharField()
    amount = serializers.IntegerField()
    balance_after = serializers.IntegerField()
    created_at = UTCDateTimeField()


class StatementOut(serializers.Serializer):
    account = serializers.UUIDField()
    currency = serializers.CharField()
    opening_balance = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    results = StatementLineOut(many=True)

"""`check_many`: kyc's limits for many movements at once (the wallet's daily runs: tontine
auto-debits, HokweSplit instalments), with a fixed number of queries whatever their count.

The same rules as `check` (services/limits.py) item by item: the single-transaction maximum
always; for money coming into the wallet (wallet_topup, transfer_in) the monthly inflow and
the maximum balance; for money leaving it (wallet_payment, transfer_out, withdrawal, payout)
the daily outflow. The items are taken in order and what an accepted item uses is added to
its user's usage before the next one: two debits of one user in one batch cannot together
pass a daily limit. A refused item uses nothing. Reads only: the tiers of every user in one
query, the compliance rows of every (country, tier) met in one query, the settings after.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from django.conf import settings
from django.db import connection
from django.db.models.expressions import RawSQL
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from phonenumbers import COUNTRY_CODE_TO_REGION_CODE

from apps.core.money import Money

from .. import selectors
from ..contracts import INFLOW_OPERATIONS, OUTFLOW_OPERATIONS, LimitName, Limits, Operation, Tier, Usage
from ..errors import KycCurrencyNotCovered, KycLimitExceeded
from ..limits import from_table
from ..models import KycProfile, TierLimit
from .limits import how_to_raise, limit_label, usage_source

__all__ = ["check_many"]


@dataclass(frozen=True)
class _Person:
    pk: int
    public_id: uuid.UUID
    phone: str | None


def _person(user) -> _Person:
    """A user object, an identity UserInfo, or any object with `pk` (or `id`), `public_id`
    and `phone` (a daily run's rows read as values)."""
    pk = getattr(user, "pk", None)
    if pk is None:
        pk = getattr(user, "id", None)
    if pk is None or getattr(user, "public_id", None) is None:
        raise TypeError("check_many takes user objects or identity UserInfo (with id, public_id, phone)")
    public_id = user.public_id if isinstance(user.public_id, uuid.UUID) else uuid.UUID(str(user.public_id))
    return _Person(pk=pk, public_id=public_id, phone=getattr(user, "phone", None))


def _ids(ids):
    """`user_id__in` for thousands of ids: one array parameter on PostgreSQL (Django prepares
    a list value by value), the list elsewhere."""
    ids = list(ids)
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [ids])
    return ids


def _country(person: _Person, memo: dict) -> str:
    """`selectors.country_of_user`, without parsing each number: a stored phone "+229…" whose
    calling code belongs to one region only is that region (what phonenumbers answers for
    it); other codes (+1, +44, …) and anything unusual go through the selector."""
    phone = person.phone
    text = phone if isinstance(phone, str) else (phone.as_e164 if hasattr(phone, "as_e164") else None)
    if text and text.startswith("+"):
        for length in (1, 2, 3):
            code = text[1 : 1 + length]
            if code in memo:
                return memo[code] or selectors.country_of_user(person)
            regions = COUNTRY_CODE_TO_REGION_CODE.get(int(code)) if code.isdigit() else None
            if regions is not None:
                memo[code] = regions[0] if len(regions) == 1 and regions[0] != "001" else None
                return memo[code] or selectors.country_of_user(person)
    return selectors.country_of_user(person)


def _limits_table(pairs: set[tuple[str, int]]) -> dict[tuple[str, int], Limits]:
    """Limits per (country, tier): compliance's row for the country, else its "*" row, else
    settings.KYC_LIMITS (as `selectors.limits`, for all the pairs in one query)."""
    countries = {country for country, _tier in pairs} | {"*"}
    tiers = {tier for _country, tier in pairs}
    rows = {
        (row.country, row.tier): row
        for row in TierLimit.objects.filter(tier__in=tiers, country__in=countries)
    }
    out = {}
    for country, tier in pairs:
        row = rows.get((country, tier)) or rows.get(("*", tier))
        if row is None:
            out[(country, tier)] = from_table(settings.KYC_LIMITS, country=country, tier=tier)
            continue
        out[(country, tier)] = Limits(
            tier=tier,
            country=country,
            currency=row.currency,
            max_balance=row.max_balance,
            monthly_inflow=row.monthly_inflow,
            single_transaction=row.single_transaction,
            daily_outflow=row.daily_outflow,
            source="database",
        )
    return out


def _breach(limits: Limits, operation: Operation, amount: int, usage: Usage) -> tuple[str, int, int] | None:
    checks = [(LimitName.SINGLE_TRANSACTION, 0)]
    if operation in INFLOW_OPERATIONS:
        checks += [
            (LimitName.MONTHLY_INFLOW, usage.inflow_this_month),
            (LimitName.MAX_BALANCE, usage.balance),
        ]
    if operation in OUTFLOW_OPERATIONS:
        checks += [(LimitName.DAILY_OUTFLOW, usage.outflow_today)]
    for name, used in checks:
        maximum = limits.value(name)
        if used + amount > maximum:
            return str(name), maximum, max(0, maximum - used)
    return None


def _refusal(amount: int, currency: str, tier: int, breach: tuple[str, int, int]) -> KycLimitExceeded:
    name, maximum, remaining = breach
    language = get_language() or "fr"
    message = _(
        "%(amount)s is above your %(limit)s at verification level %(tier)s (%(maximum)s; "
        "%(remaining)s left). %(how)s"
    ) % {
        "amount": Money(amount, currency).format(language),
        "limit": limit_label(name),
        "tier": tier,
        "maximum": Money(maximum, currency).format(language),
        "remaining": Money(remaining, currency).format(language),
        "how": how_to_raise(tier),
    }
    return KycLimitExceeded(
        message,
        field="amount",
        limit=name,
        tier=tier,
        maximum=maximum,
        remaining=remaining,
        next_tier=min(tier + 1, Tier.FULL) if tier < Tier.FULL else None,
    )


def _used(usage: Usage, operation: Operation, amount: int) -> Usage:
    if operation in OUTFLOW_OPERATIONS:
        return replace(usage, outflow_today=usage.outflow_today + amount)
    if operation in INFLOW_OPERATIONS:
        return replace(
            usage, inflow_this_month=usage.inflow_this_month + amount, balance=usage.balance + amount
        )
    return usage


def check_many(
    checks: Iterable[tuple], *, usage: Mapping | None = None
) -> list[KycLimitExceeded | KycCurrencyNotCovered | None]:
    """For each `(user, operation, amount, currency)` in order: None when allowed, else the
    refusal `check` would raise (not raised: the caller takes the others and leaves these).
    `usage`: what each user already used, keyed by their public id (UUID or str); a user
    missing from it is asked of the registered UsageSource (one call each), else zero."""
    items = [(_person(user), Operation(op), amount, currency) for user, op, amount, currency in checks]
    for _p, _op, amount, _c in items:
        if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
            raise ValueError("amounts are integers ≥ 0 in minor units")
    if not items:
        return []
    people = {p.pk: p for p, *_rest in items}
    tiers = dict(KycProfile.objects.filter(user_id__in=_ids(people)).values_list("user_id", "tier"))
    memo: dict = {}
    place = {pk: (_country(p, memo), int(tiers.get(pk) or 0)) for pk, p in people.items()}
    table = _limits_table(set(place.values()))
    given = {uuid.UUID(str(k)): v for k, v in (usage or {}).items()}
    current: dict[tuple[uuid.UUID, str], Usage] = {}
    source = usage_source()
    out: list = []
    for person, operation, amount, currency in items:
        limits = table[place[person.pk]]
        if currency != limits.currency:
            out.append(KycCurrencyNotCovered(field="amount", currency=currency, tier=limits.tier))
            continue
        if operation not in INFLOW_OPERATIONS and operation not in OUTFLOW_OPERATIONS:
            # the single-transaction maximum only: no usage to read
            breach = _breach(limits, operation, amount, Usage())
            out.append(None if breach is None else _refusal(amount, currency, limits.tier, breach))
            continue
        key = (person.public_id, currency)
        if key not in current:
            if person.public_id in given:
                current[key] = given[person.public_id]
            elif source is not None:
                current[key] = source.usage(user_public_id=str(person.public_id), currency=currency)
            else:
                current[key] = Usage()
        breach = _breach(limits, operation, amount, current[key])
        if breach is not None:
            out.append(_refusal(amount, currency, limits.tier, breach))
            continue
        current[key] = _used(current[key], operation, amount)
        out.append(None)
    return out

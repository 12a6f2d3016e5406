"""The ledger's accounts: chart accounts created on first use, accounts outside the chart,
closing an empty account."""

from __future__ import annotations

from uuid import UUID

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.money import EXPONENTS

from .. import chart
from ..contracts import AccountInfo, AccountKind, OwnerType
from ..errors import AccountNotEmpty, AccountNotFound, InvalidTransfer
from ..models import MAX_CODE, Account, one
from .transfers import _check_text


def _create_account(*, entry: chart.ChartEntry, currency: str, user_id=None, organization_id=None) -> Account:
    if currency not in EXPONENTS:
        raise InvalidTransfer(_("Unknown currency: %(currency)s.") % {"currency": currency}, field="currency")
    lookup = {
        "owner_type": str(entry.owner_type),
        "owner_user_id": user_id,
        "owner_organization_id": organization_id,
        "code": entry.code,
        "currency": currency,
    }
    account = one(Account.objects.filter(**lookup))
    if account is not None:
        return account
    try:
        with transaction.atomic():
            return Account.objects.create(
                **lookup,
                name=entry.name,
                kind=str(entry.kind),
                debits_must_not_exceed_credits=entry.debits_must_not_exceed_credits,
                credits_must_not_exceed_debits=entry.credits_must_not_exceed_debits,
            )
    except IntegrityError:  # created concurrently
        return Account.objects.get(**lookup)


def system_account_get(*, code: str, currency: str) -> Account:
    entry = chart.entry(code, OwnerType.SYSTEM)
    if entry is None:
        raise AccountNotFound(field="code")
    return _create_account(entry=entry, currency=currency)


def organization_account_get(*, organization_id: int, code: str, currency: str) -> Account:
    entry = chart.entry(code, OwnerType.ORGANIZATION)
    if entry is None:
        raise AccountNotFound(field="code")
    return _create_account(entry=entry, currency=currency, organization_id=organization_id)


def user_account_get(*, user_id: int, code: str, currency: str) -> Account:
    entry = chart.entry(code, OwnerType.USER)
    if entry is None:
        raise AccountNotFound(field="code")
    return _create_account(entry=entry, currency=currency, user_id=user_id)


def account_create(
    *,
    code: str,
    name: str,
    currency: str,
    kind: AccountKind,
    owner_type: OwnerType,
    user_id: int | None = None,
    organization_id: int | None = None,
    debits_must_not_exceed_credits: bool = False,
    credits_must_not_exceed_debits: bool = False,
) -> Account:
    """An account outside the chart (a tontine pot, a loan): same rules, own code."""
    _check_text(code, name="code", max_length=MAX_CODE, required=True)
    if debits_must_not_exceed_credits and credits_must_not_exceed_debits:
        raise InvalidTransfer(_("An account has at most one limit."), field="flags")
    entry = chart.ChartEntry(
        code=code,
        name=name,
        kind=AccountKind(kind),
        owner_type=OwnerType(owner_type),
        debits_must_not_exceed_credits=debits_must_not_exceed_credits,
        credits_must_not_exceed_debits=credits_must_not_exceed_debits,
    )
    return _create_account(entry=entry, currency=currency, user_id=user_id, organization_id=organization_id)


def account_close(*, account: UUID) -> AccountInfo:
    from ..selectors import account_info

    with transaction.atomic():
        row = one(Account.objects.select_for_update().filter(public_id=account))
        if row is None:
            raise AccountNotFound(field="account")
        if row.debits_posted != row.credits_posted or row.debits_pending or row.credits_pending:
            raise AccountNotEmpty(field="account")
        if row.closed_at is None:
            row.closed_at = timezone.now()
            row.save(update_fields=["closed_at", "updated_at"])
    return account_info(row)

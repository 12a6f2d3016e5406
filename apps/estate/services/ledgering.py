"""The ledger accounts estate uses and the postings of each flow (docs/estate.md, "Ledger").

All accounts belong to the managing organization M (an agency, or an owner managing alone):

    rent_receivable          (chart, asset)   what M's tenants owe; a credit balance is tenant credit
    estate.owner_payable.<O> (liability)      rent billed for owner O, not yet paid over
    estate.commission        (revenue)        M's commission on the rent billed
    estate.deposits_held     (liability)      deposits (cautions) held for tenants
    estate.offline_collections (asset)        money M received outside Hokwe (bank, history)
    owners_payable           (chart)          an organization's money at Hokwe (payouts)

due issued      D rent_receivable T; C owner_payable[O] T-c; C commission c
                 (kind rent or opening; an agency fee due has c = T: all of it is the agency's,
                 the owner gets nothing)
deposit due     D rent_receivable T; C deposits_held T (never owner money)
deposit due written off / cancelled / discounted: the mirror, D deposits_held; C rent_receivable
deposit settled with a due-paid deposit refunded through payments: payments debits the
                 intent's credit account (rent_receivable), so D deposits_held R; C rent_receivable R
old deposit flow (purpose estate.Deposit) C deposits_held through payments, or
                 D offline_collections; C deposits_held when received outside Hokwe
payment         (payments) D provider clearing / cash; C rent_receivable P - fee
                 + fee > 0: D commission fee; C rent_receivable fee (M bears Hokwe's fee)
offline payment D offline_collections P; C rent_receivable P
adjustment      like a due for a charge or late fee; the mirror image for a discount or write-off
statement close D owner_payable[O] S; D commission cc; C O.owners_payable net; C M.owners_payable rest
"""

from __future__ import annotations

from collections import defaultdict
from uuid import UUID

from apps.ledger import api as ledger
from apps.ledger.contracts import AccountKind, Leg, OwnerType, Side, TransferRequest


class Accounts:
    """Ledger account ids, looked up once per operation (a month-end batch asks for a
    handful of accounts, not one per lease)."""

    def __init__(self):
        self._cache: dict[tuple, UUID] = {}

    def _get(self, key: tuple, factory) -> UUID:
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = factory()
        return found

    def receivable(self, org: UUID, currency: str) -> UUID:
        return self._get(
            ("receivable", org, currency),
            lambda: (
                ledger.organization_account(
                    organization=org, code="rent_receivable", currency=currency
                ).public_id
            ),
        )

    def owners_payable(self, org: UUID, currency: str) -> UUID:
        return self._get(
            ("owners_payable", org, currency),
            lambda: (
                ledger.organization_account(
                    organization=org, code="owners_payable", currency=currency
                ).public_id
            ),
        )

    def _own(self, org: UUID, code: str, name: str, kind: AccountKind, currency: str) -> UUID:
        return self._get(
            (code, org, currency),
            lambda: (
                ledger.create_account(
                    code=code,
                    name=name,
                    currency=currency,
                    kind=kind,
                    owner_type=OwnerType.ORGANIZATION,
                    owner=org,
                ).public_id
            ),
        )

    def owner_payable(self, org: UUID, owner: UUID, currency: str) -> UUID:
        return self._own(
            org, f"estate.owner_payable.{owner}", "Owner payable (estate)", AccountKind.LIABILITY, currency
        )

    def commission(self, org: UUID, currency: str) -> UUID:
        return self._own(
            org, "estate.commission", "Management commission (estate)", AccountKind.REVENUE, currency
        )

    def deposits_held(self, org: UUID, currency: str) -> UUID:
        return self._own(
            org, "estate.deposits_held", "Deposits held (estate)", AccountKind.LIABILITY, currency
        )

    def offline(self, org: UUID, currency: str) -> UUID:
        return self._own(
            org, "estate.offline_collections", "Collected outside Hokwe (estate)", AccountKind.ASSET, currency
        )


def merged(legs: list[Leg]) -> tuple[Leg, ...]:
    """Net the legs per account (drops zero lines): an owner managing alone is both the
    owner and the manager, so two legs may name one account."""
    net: dict[tuple[UUID, str], int] = defaultdict(int)
    order: list[tuple[UUID, str]] = []
    for leg in legs:
        key = (leg.account, leg.currency)
        if key not in net:
            order.append(key)
        net[key] += leg.amount if leg.side == Side.DEBIT else -leg.amount
    out = []
    for account, currency in order:
        value = net[(account, currency)]
        if value > 0:
            out.append(Leg.debit(account, value, currency))
        elif value < 0:
            out.append(Leg.credit(account, -value, currency))
    return tuple(out)


def accrual_legs(
    accounts: Accounts, *, org: UUID, owner: UUID, amount: int, commission: int, currency: str
) -> tuple[Leg, ...]:
    """Rent billed (amount > 0) or taken back (amount < 0: a discount, a write-off)."""
    sign = 1 if amount >= 0 else -1
    amount, commission = abs(amount), abs(commission)
    receivable = accounts.receivable(org, currency)
    payable = accounts.owner_payable(org, owner, currency)
    revenue = accounts.commission(org, currency)
    if sign > 0 and commission <= amount and len({receivable, payable, revenue}) == 3:
        # the month-end's case, once per lease: three distinct accounts, nothing to net;
        # the same legs `merged` would give, built directly (zero lines dropped)
        fast = [Leg(receivable, Side.DEBIT, amount, currency)] if amount else []
        if amount - commission:
            fast.append(Leg(payable, Side.CREDIT, amount - commission, currency))
        if commission:
            fast.append(Leg(revenue, Side.CREDIT, commission, currency))
        return tuple(fast)
    legs = [
        Leg(receivable, Side.DEBIT if sign > 0 else Side.CREDIT, amount, currency),
        Leg(payable, Side.CREDIT if sign > 0 else Side.DEBIT, amount - commission, currency),
        Leg(revenue, Side.CREDIT if sign > 0 else Side.DEBIT, commission, currency),
    ]
    return merged(legs)


def accrual_request(
    accounts: Accounts,
    *,
    key: str,
    code: str,
    org: UUID,
    owner: UUID,
    amount: int,
    commission: int,
    currency: str,
    reference: str,
    description: str = "",
) -> TransferRequest | None:
    legs = accrual_legs(
        accounts, org=org, owner=owner, amount=amount, commission=commission, currency=currency
    )
    if not legs:
        return None
    return TransferRequest(
        idempotency_key=key, code=code, legs=legs, reference=reference, description=description[:200]
    )


def due_accrual_request(
    accounts: Accounts,
    *,
    kind: str,
    key: str,
    code: str,
    org: UUID,
    owner: UUID,
    amount: int,
    commission: int,
    currency: str,
    reference: str,
    description: str = "",
) -> TransferRequest | None:
    """A due's accrual (amount > 0) or its reversal (amount < 0), by the due's kind: a
    deposit is held for the tenant (deposits_held), anything else is the owner's less the
    commission (an agency fee due's commission is all of it)."""
    if kind != "deposit":
        return accrual_request(
            accounts,
            key=key,
            code=code,
            org=org,
            owner=owner,
            amount=amount,
            commission=commission,
            currency=currency,
            reference=reference,
            description=description,
        )
    receivable, held = accounts.receivable(org, currency), accounts.deposits_held(org, currency)
    if amount >= 0:
        legs = [Leg.debit(receivable, amount, currency), Leg.credit(held, amount, currency)]
    else:
        legs = [Leg.debit(held, -amount, currency), Leg.credit(receivable, -amount, currency)]
    legs = merged(legs)
    if not legs:
        return None
    return TransferRequest(
        idempotency_key=key, code=code, legs=legs, reference=reference, description=description[:200]
    )


def post(request: TransferRequest | None) -> UUID | None:
    if request is None:
        return None
    return ledger.transfer(
        idempotency_key=request.idempotency_key,
        code=request.code,
        legs=request.legs,
        description=request.description,
        reference=request.reference,
    ).public_id


def post_legs(*, key: str, code: str, legs: list[Leg], reference: str, description: str = "") -> UUID | None:
    legs = merged(legs)
    if not legs:
        return None
    return ledger.transfer(
        idempotency_key=key, code=code, legs=legs, reference=reference, description=description[:200]
    ).public_id

"""FedaPay's side of settlements (https://docs.fedapay.com/api-reference): what FedaPay
holds for us and what it transferred to our account.

- `GET /v1/balances` → {"v1/balances": [{"id", "amount", "mode", "account_id", "created_at",
  "updated_at"}]}: the balance held per mode (informative: shown with the import);
- `GET /v1/transactions?page=&per_page=` → {"v1/transactions": [...], "meta": {"last_page"}}:
  a transaction whose status is `transferred` was paid out to the merchant's account;
  its `amount` is the gross, `amount_transferred` what reached us (else `amount` minus
  `commission`, `fees` and `fixed_commission`), `transferred_at` when.

FedaPay documents no settlement object: a settlement is the transactions transferred on
one day, in one currency (services/settlements.py gives it the reference
`transferred-<day>-<currency>`). Reads only, through providers/http.py (never inside a
transaction)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from . import http
from .fedapay import FedapayProvider, _time


@dataclass(frozen=True)
class ProviderBalance:
    reference: str
    amount: int
    mode: str
    updated_at: datetime | None


@dataclass(frozen=True)
class SettledTransaction:
    reference: str  # the provider's transaction id
    amount: int  # gross, minor units
    fees: int  # what the provider kept
    currency: str  # "" when FedaPay did not say (the matching payment's currency is used)
    settled_at: datetime


def _int(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


class FedapaySettlements:
    def __init__(self, provider: FedapayProvider):
        self.provider = provider

    def balances(self) -> list[ProviderBalance]:
        with self.provider._http() as client:
            data = http.json_of(http.request(client, "GET", "/balances", retry=True))
        rows = data.get("v1/balances") or []
        return [
            ProviderBalance(
                reference=str(row.get("id")),
                amount=_int(row.get("amount")) or 0,
                mode=str(row.get("mode") or ""),
                updated_at=_time(row.get("updated_at")),
            )
            for row in rows
            if isinstance(row, dict)
        ]

    def transferred(self, *, start: datetime, end: datetime) -> Iterator[SettledTransaction]:
        """Transactions transferred to us in [start, end)."""
        page = 1
        with self.provider._http() as client:
            while True:
                data = http.json_of(
                    http.request(
                        client, "GET", "/transactions", params={"page": page, "per_page": 100}, retry=True
                    )
                )
                for row in data.get("v1/transactions") or []:
                    if not isinstance(row, dict) or str(row.get("status")) != "transferred":
                        continue
                    settled = _time(row.get("transferred_at"))
                    amount = _int(row.get("amount"))
                    if settled is None or amount is None or not (start <= settled < end):
                        continue
                    transferred = _int(row.get("amount_transferred"))
                    if transferred is not None:
                        fees = amount - transferred
                    else:
                        fees = sum(_int(row.get(k)) or 0 for k in ("commission", "fees", "fixed_commission"))
                    currency = row.get("currency")
                    yield SettledTransaction(
                        reference=str(row.get("id")),
                        amount=amount,
                        fees=max(0, min(fees, amount)),
                        currency=str(currency.get("iso") or "") if isinstance(currency, dict) else "",
                        settled_at=settled,
                    )
                meta = data.get("meta") or {}
                if page >= int(meta.get("last_page") or 1):
                    break
                page += 1

"""The chart of accounts (drawn in docs/ledger.md).

System accounts exist once per currency (and per payment provider for clearing); migration
0003 creates them and `services.system_account_get` recreates one if it is missing.
Organization and user accounts are created on first use by `api.organization_account` /
`api.user_wallet`.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .contracts import AccountCode, AccountKind, OwnerType

CURRENCIES = ("XOF", "XAF")
PROVIDERS = ("sandbox", "kkiapay")


@dataclass(frozen=True)
class ChartEntry:
    code: str
    name: str
    kind: AccountKind
    owner_type: OwnerType
    debits_must_not_exceed_credits: bool = False
    credits_must_not_exceed_debits: bool = False


def provider_clearing_code(provider: str) -> str:
    return f"{AccountCode.PROVIDER_CLEARING}.{provider}"


SYSTEM = [
    *[
        ChartEntry(provider_clearing_code(p), f"Provider clearing ({p})", AccountKind.ASSET, OwnerType.SYSTEM)
        for p in PROVIDERS
    ],
    ChartEntry(AccountCode.FEES_REVENUE, "Fees revenue", AccountKind.REVENUE, OwnerType.SYSTEM),
    ChartEntry(AccountCode.SUSPENSE, "Suspense", AccountKind.LIABILITY, OwnerType.SYSTEM),
]

ORGANIZATION = [
    ChartEntry(
        AccountCode.RENT_RECEIVABLE, "Tenants' rent receivable", AccountKind.ASSET, OwnerType.ORGANIZATION
    ),
    ChartEntry(AccountCode.RENT_BILLED, "Rent billed", AccountKind.EQUITY, OwnerType.ORGANIZATION),
    ChartEntry(
        AccountCode.OWNERS_PAYABLE,
        "Owners' payable",
        AccountKind.LIABILITY,
        OwnerType.ORGANIZATION,
        debits_must_not_exceed_credits=True,
    ),
]

USER = [
    ChartEntry(
        AccountCode.WALLET,
        "Wallet",
        AccountKind.LIABILITY,
        OwnerType.USER,
        debits_must_not_exceed_credits=True,
    ),
]

# Translated names shown to people (the stored name is the English one).
DISPLAY_NAMES = {
    AccountCode.FEES_REVENUE: _("Fees revenue"),
    AccountCode.SUSPENSE: _("Suspense"),
    AccountCode.RENT_RECEIVABLE: _("Tenants' rent receivable"),
    AccountCode.RENT_BILLED: _("Rent billed"),
    AccountCode.OWNERS_PAYABLE: _("Owners' payable"),
    AccountCode.WALLET: _("Wallet"),
}


def entry(code: str, owner_type: OwnerType) -> ChartEntry | None:
    table = {OwnerType.SYSTEM: SYSTEM, OwnerType.ORGANIZATION: ORGANIZATION, OwnerType.USER: USER}[owner_type]
    return next((e for e in table if e.code == code), None)


def display_name(code: str, stored: str) -> str:
    if code.startswith(AccountCode.PROVIDER_CLEARING + "."):
        return str(_("Provider clearing (%(provider)s)") % {"provider": code.split(".", 1)[1]})
    name = DISPLAY_NAMES.get(code)
    return str(name) if name is not None else stored

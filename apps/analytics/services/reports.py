"""The seven standard reports (docs/analytics.md, « Reports »), one definition each, read by the
manager pages, the exports, REST, GraphQL and the scheduled e-mails alike.

Every report takes the same filters (period from/to, property, owner) for one organization,
the caller's: `report_organization` checks the actor may read it (`analytics.report.view`),
and every read below filters on that organization first. Row-level data (the rent roll, the
delinquency, the collectors) comes from estate's and recovery's `api`; the figures over time
(occupancy, payment methods, cash flow, income) from the rollups (`selectors`), never from the
source tables at request time. Rollup-based reports cover whole months.

A report's rows are an iterator, walked once: `run` keeps the first `limit` rows for a page and
adds every row to the totals; an export streams them all (services/exports.py)."""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from uuid import UUID

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.dbrouter import replica_reads
from apps.core.errors import NotFound
from apps.estate import api as estate
from apps.identity import api as identity
from apps.recovery import api as recovery

from .. import selectors
from ..chart import Series, chart
from ..errors import InvalidReportFilter
from ..models import Rollup
from .monitoring import split_outcome_key

MAX_DAYS = 366 * 10  # a period of ten years at most


# --- filters and the organization ----------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    organization: UUID  # the organization's public id (checked by report_organization)
    start: date
    end: date
    property: UUID | None = None
    owner: UUID | None = None

    def query(self) -> dict[str, str]:
        """The same filters as URL parameters (a page's export links, an e-mail's link)."""
        out = {"start": self.start.isoformat(), "end": self.end.isoformat(), "org": str(self.organization)}
        if self.property:
            out["property"] = str(self.property)
        if self.owner:
            out["owner"] = str(self.owner)
        return out


@dataclass(frozen=True)
class ReportOrganization:
    id: int
    public_id: UUID
    name: str


def report_organizations(actor) -> list[ReportOrganization]:
    """The organizations whose reports the actor may read, by name."""
    from ..rules import REPORT_ROLES

    ids = sorted(identity.organization_ids_of(actor, REPORT_ROLES)) if actor.is_authenticated else []
    found = []
    for i in ids:
        info = identity.get_organization(id=i)
        found.append(ReportOrganization(id=i, public_id=info.public_id, name=info.name))
    return sorted(found, key=lambda o: (o.name, o.id))


def report_organization(actor, wanted=None) -> ReportOrganization:
    """The organization a report is for: `wanted` (a public id) when the actor may read its
    reports, else the actor's first; NotFound otherwise (another organization is never
    told apart from one that does not exist)."""
    orgs = report_organizations(actor)
    if not orgs:
        raise NotFound()
    chosen = orgs[0]
    if wanted not in (None, ""):
        try:
            public_id = wanted if isinstance(wanted, UUID) else UUID(str(wanted))
        except ValueError:
            raise NotFound() from None
        chosen = next((o for o in orgs if o.public_id == public_id), None)
        if chosen is None:
            raise NotFound()
    identity.require(actor, "analytics.report.view", chosen.id, hide=True)
    return chosen


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _add_months(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month + 1, 1)


def default_period(today: date | None = None) -> tuple[date, date]:
    """The last twelve months, this one included."""
    today = today or timezone.localdate()
    return _add_months(_month_start(today), -11), today


def _uuid_or_none(value, field_name: str) -> UUID | None:
    if value in (None, ""):
        return None
    try:
        return value if isinstance(value, UUID) else UUID(str(value))
    except ValueError:
        raise InvalidReportFilter(field=field_name) from None


def _date_or(value, default: date, field_name: str) -> date:
    if value in (None, ""):
        return default
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InvalidReportFilter(field=field_name) from None


def parse_filters(data: Mapping, *, organization: UUID, today: date | None = None) -> Filters:
    """Filters from a query string or a form (`start`, `end` as YYYY-MM-DD, `property`,
    `owner`): the last twelve months by default; a translated field error otherwise."""
    default_start, default_end = default_period(today)
    start = _date_or(data.get("start"), default_start, "start")
    end = _date_or(data.get("end"), default_end, "end")
    if end < start:
        raise InvalidReportFilter(_("The period ends before it starts."), field="end")
    if (end - start).days > MAX_DAYS:
        raise InvalidReportFilter(_("A report covers ten years at most."), field="start")
    return Filters(
        organization=organization,
        start=start,
        end=end,
        property=_uuid_or_none(data.get("property"), "property"),
        owner=_uuid_or_none(data.get("owner"), "owner"),
    )


def filter_choices(filters: Filters) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(properties, owners) of the organization, for the filter form. One query."""
    props = estate.report_properties(filters.organization)
    owners = sorted({(str(p.owner), p.owner_name) for p in props}, key=lambda o: (o[1], o[0]))
    return [(str(p.public_id), p.name) for p in props], owners


# --- what a report is made of -------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "text"  # text, money, int, date, percent (basis points), month, currency
    screen: bool = True  # shown on the page and in the PDF (the currency column is for files)


CURRENCY = Column("currency", _("Currency"), "currency", screen=False)


@dataclass
class Chart:
    labels: list[str]
    series: list[Series]
    kind: str = "money"  # how the values read: money, percent, int
    currency: str = ""
    title: str = ""


@dataclass
class Report:
    key: str
    title: str
    description: str
    columns: list[Column]
    rows: Callable[[], Iterator[dict]]  # a fresh iterator of every row, each time
    chart: Callable[[dict], Chart]  # from what `fold` gathered over the rows
    fold: Callable[[dict, dict], None] | None = None
    complete_total: Callable[[dict], None] | None = None  # percentages of the totals
    notes: list[str] = field(default_factory=list)
    from_rollups: bool = False
    start: date | None = None  # the period the figures cover (whole months for rollups)
    end: date | None = None


@dataclass
class Result:
    report: Report
    rows: list[dict]
    count: int
    totals: list[dict]
    chart: Chart
    drifts: int = 0

    @property
    def truncated(self) -> bool:
        return self.count > len(self.rows)


class Totals:
    """Sums of the numeric columns per currency (rows marked `_subtotal` are not added)."""

    def __init__(self, report: Report):
        self.report = report
        self.keys = [c.key for c in report.columns if c.kind in ("money", "int")]
        self.by_currency: dict[str, dict] = {}

    def add(self, row: dict) -> None:
        if row.get("_subtotal"):
            return
        total = self.by_currency.setdefault(row.get("currency", ""), {k: 0 for k in self.keys})
        for k in self.keys:
            total[k] += row.get(k) or 0

    def rows(self) -> list[dict]:
        out = []
        for currency in sorted(self.by_currency):
            total = {**self.by_currency[currency], "currency": currency}
            if self.report.complete_total:
                self.report.complete_total(total)
            out.append(total)
        return out


def run(report: Report, *, limit: int = 200, organization: UUID | None = None) -> Result:
    """Walk the rows once: the first `limit` kept, every one counted, totalled and folded into
    the chart's figures."""
    kept: list[dict] = []
    totals = Totals(report)
    acc: dict = {}
    count = 0
    for row in report.rows():
        count += 1
        if len(kept) < limit:
            kept.append(row)
        totals.add(row)
        if report.fold:
            report.fold(acc, row)
    drifts = 0
    if report.from_rollups and organization is not None:
        drifts = len(selectors.drifts(organization=organization))
    return Result(
        report=report, rows=kept, count=count, totals=totals.rows(), chart=report.chart(acc), drifts=drifts
    )


def _bps(part: int, whole: int) -> int | None:
    """Basis points of `part` in `whole` (display only), None when there is no whole."""
    return (part * 10_000 + whole // 2) // whole if whole else None


def _main_currency(values: Mapping[str, int]) -> str:
    return max(values.items(), key=lambda kv: (kv[1], kv[0]))[0] if values else ""


MONTHS = {
    "fr": ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."],
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}


def month_label(day: date, language: str = "fr") -> str:
    names = MONTHS["en" if str(language).startswith("en") else "fr"]
    return f"{names[day.month - 1]} {day.year % 100:02d}"


def _months(start: date, end: date) -> list[date]:
    out, m = [], _month_start(start)
    while m <= end:
        out.append(m)
        m = _add_months(m, 1)
    return out


def _scope(filters: Filters) -> tuple[str, UUID | None]:
    """The rollups' scope of the filters: a property's, an owner's, else the organization's."""
    if filters.property:
        return "property", filters.property
    if filters.owner:
        return "owner", filters.owner
    return "org", None


def _whole_months(filters: Filters) -> tuple[date, date]:
    return _month_start(filters.start), _month_end(filters.end)


def _scope_note(filters: Filters) -> list[str]:
    if filters.property and filters.owner:
        return [_("Both a property and an owner are chosen: the figures are the property's.")]
    return []


def _months_note(start: date, end: date) -> str:
    return _("Figures by whole month, from %(start)s to %(end)s.") % {
        "start": start.isoformat(),
        "end": end.isoformat(),
    }


def _monthly(filters: Filters, metrics: list[str]) -> dict[tuple[date, str], dict[str, int]]:
    """{(month, currency): {metric: value, metric + "#": count}} of the filters' scope, summed over
    dimensions. One query per metric."""
    start, end = _whole_months(filters)
    scope, scope_id = _scope(filters)
    out: dict[tuple[date, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for metric in metrics:
        figures = selectors.series(
            filters.organization, metric, start=start, end=end, grain="m", scope=scope, scope_id=scope_id
        )
        for (period, _dim, currency), (value, count) in figures.items():
            out[(period, currency)][metric] += value
            out[(period, currency)][metric + "#"] += count
    return out


def _by_scope(
    organization: UUID, scope: str, scope_ids, metrics: list[str], start: date, end: date
) -> dict[tuple[UUID, str, str], int]:
    """{(scope id, metric, currency): value} for many properties or owners at once (whole
    months): one grouped query over the organization's month rollups."""
    rows = (
        Rollup.objects.filter(
            organization=organization,
            scope=scope,
            scope_id__in=list(scope_ids),
            grain="m",
            metric__in=metrics,
            period__gte=start,
            period__lte=end,
        )
        .values("scope_id", "metric", "currency")
        .order_by()
    )
    from django.db.models import Sum

    return {
        (r["scope_id"], r["metric"], r["currency"]): int(r["v"] or 0) for r in rows.annotate(v=Sum("value"))
    }


# --- 1. the rent roll ---------------------------------------------------------------------------


def _rent_roll(filters: Filters, language: str) -> Report:
    on = filters.end

    def rows():
        for r in estate.report_rent_roll(
            filters.organization, on=on, property=filters.property, owner=filters.owner
        ):
            yield {
                "property": r.property_name,
                "unit": r.unit_label,
                "lease": r.reference,
                "tenant": r.tenant_name,
                "phone": r.tenant_phone,
                "start": r.start_date,
                "end": r.end_date,
                "rent": r.rent,
                "charges": r.charges,
                "deposit": r.deposit_held,
                "balance": r.balance,
                "paid_up_to": r.paid_up_to,
                "currency": r.currency,
            }

    def fold(acc, row):
        per = acc.setdefault(row["currency"], {})
        rent, balance = per.get(row["property"], (0, 0))
        per[row["property"]] = (rent + row["rent"] + row["charges"], balance + row["balance"])

    def chart_of(acc) -> Chart:
        currency = _main_currency({c: sum(v[0] for v in per.values()) for c, per in acc.items()})
        top = sorted(acc.get(currency, {}).items(), key=lambda kv: -kv[1][0])[:12]
        return Chart(
            labels=[name for name, _v in top],
            series=[
                Series(str(_("Rent and charges")), [v[0] for _n, v in top]),
                Series(str(_("Balance owed")), [v[1] for _n, v in top], color="#b42318"),
            ],
            currency=currency,
            title=str(_("Monthly rent and balance owed, by property")),
        )

    return Report(
        key="rent-roll",
        title=str(_("Rent roll")),
        description=str(
            _(
                "Each lease in force on %(day)s: unit, tenant, rent, charges, deposit held, balance owed and the date the rent is paid up to."
            )
            % {"day": on.isoformat()}
        ),
        columns=[
            Column("property", _("Property")),
            Column("unit", _("Unit")),
            Column("lease", _("Lease")),
            Column("tenant", _("Tenant")),
            Column("phone", _("Phone"), screen=False),
            Column("start", _("Start"), "date"),
            Column("end", _("End"), "date"),
            Column("rent", _("Rent"), "money"),
            Column("charges", _("Charges"), "money"),
            Column("deposit", _("Deposit held"), "money"),
            Column("balance", _("Balance owed"), "money"),
            Column("paid_up_to", _("Paid up to"), "date"),
            CURRENCY,
        ],
        rows=rows,
        fold=fold,
        chart=chart_of,
        start=filters.start,
        end=on,
    )


# --- 2. delinquency -----------------------------------------------------------------------------

BUCKETS = ("d1_30", "d31_60", "d61_90", "d90_plus")


def bucket_labels() -> dict[str, str]:
    return {
        "d1_30": str(_("1–30 days")),
        "d31_60": str(_("31–60 days")),
        "d61_90": str(_("61–90 days")),
        "d90_plus": str(_("over 90 days")),
    }


def _delinquency(filters: Filters, language: str) -> Report:
    on = filters.end

    def rows():
        # estate's aging (estate.api.arrears, the same one recovery reads), the leases with
        # rent past due on the end date, the largest debt first
        late = [
            r
            for r in estate.arrears(today=on, organizations=[filters.organization])
            if r.overdue > 0
            and (filters.property is None or r.property == filters.property)
            and (filters.owner is None or r.owner == filters.owner)
        ]
        late.sort(key=lambda r: (-r.overdue, r.lease_reference))
        for r in late:
            yield {
                "property": r.property_name,
                "unit": r.unit_label,
                "lease": r.lease_reference,
                "tenant": r.tenant_name,
                "phone": r.tenant_phone,
                "d1_30": r.d1_30,
                "d31_60": r.d31_60,
                "d61_90": r.d61_90,
                "d90_plus": r.d90_plus,
                "overdue": r.overdue,
                "oldest": r.oldest_overdue,
                "deposit": r.deposit_held,
                "currency": r.currency,
            }

    def fold(acc, row):
        per = acc.setdefault(row["currency"], dict.fromkeys(BUCKETS, 0))
        for b in BUCKETS:
            per[b] += row[b]

    def chart_of(acc) -> Chart:
        currency = _main_currency({c: sum(per.values()) for c, per in acc.items()})
        per = acc.get(currency, dict.fromkeys(BUCKETS, 0))
        labels = bucket_labels()
        return Chart(
            labels=[labels[b] for b in BUCKETS],
            series=[Series(str(_("Overdue")), [per[b] for b in BUCKETS], color="#b42318")],
            currency=currency,
            title=str(_("Arrears by age")),
        )

    labels = bucket_labels()
    return Report(
        key="delinquency",
        title=str(_("Delinquency")),
        description=str(
            _("Each lease with rent past due on %(day)s, the largest debt first, by age of the debt.")
            % {"day": on.isoformat()}
        ),
        columns=[
            Column("property", _("Property")),
            Column("unit", _("Unit")),
            Column("lease", _("Lease")),
            Column("tenant", _("Tenant")),
            Column("phone", _("Phone")),
            *[Column(b, labels[b], "money") for b in BUCKETS],
            Column("overdue", _("Total overdue"), "money"),
            Column("oldest", _("Oldest due date"), "date"),
            Column("deposit", _("Deposit held"), "money"),
            CURRENCY,
        ],
        rows=rows,
        fold=fold,
        chart=chart_of,
        start=filters.start,
        end=on,
    )


# --- 3. income statement per property and owner -------------------------------------------------


def _income(filters: Filters, language: str) -> Report:
    start, end = _whole_months(filters)
    props = estate.report_properties(filters.organization, owner=filters.owner)
    if filters.property:
        props = [p for p in props if p.public_id == filters.property]
    metrics = ["rent.collected", "rent.commission"]
    figures = _by_scope(filters.organization, "property", [p.public_id for p in props], metrics, start, end)
    owners = {p.owner: p.owner_name for p in props}
    payouts = _by_scope(filters.organization, "owner", list(owners), ["payouts.paid"], start, end)
    expenses: dict[tuple[UUID, str], int] = {}
    for e in estate.report_expenses(
        filters.organization, start=start, end=end, property=filters.property, owner=filters.owner
    ):
        expenses[(e.property, e.currency)] = e.amount

    def rows():
        ordered = sorted(props, key=lambda p: (p.owner_name, str(p.owner), p.name))
        for owner in sorted(owners, key=lambda o: (owners[o], str(o))):
            subtotal: dict[str, dict] = {}
            for p in (p for p in ordered if p.owner == owner):
                currencies = {c for (pid, _m, c) in figures if pid == p.public_id} | {
                    c for (pid, c) in expenses if pid == p.public_id
                }
                for currency in sorted(currencies):
                    collected = figures.get((p.public_id, "rent.collected", currency), 0)
                    commission = figures.get((p.public_id, "rent.commission", currency), 0)
                    spent = expenses.get((p.public_id, currency), 0)
                    row = {
                        "owner": owners[owner],
                        "property": p.name,
                        "collected": collected,
                        "commission": commission,
                        "expenses": spent,
                        "net": collected - commission - spent,
                        "payouts": None,
                        "currency": currency,
                    }
                    s = subtotal.setdefault(
                        currency, {"collected": 0, "commission": 0, "expenses": 0, "net": 0}
                    )
                    for k in s:
                        s[k] += row[k]
                    yield row
            paid = {c: v for (oid, _m, c), v in payouts.items() if oid == owner}
            for currency in sorted(set(subtotal) | set(paid)):
                s = subtotal.get(currency, {"collected": 0, "commission": 0, "expenses": 0, "net": 0})
                yield {
                    "owner": owners[owner],
                    "property": str(_("Total for the owner")),
                    **s,
                    "payouts": paid.get(currency, 0),
                    "currency": currency,
                    "_subtotal": True,
                }

    def chart_of(acc) -> Chart:
        monthly = _monthly(filters, metrics)
        currency = _main_currency(
            {c: sum(v["rent.collected"] for (m, cc), v in monthly.items() if cc == c) for (_m, c) in monthly}
        )
        months = _months(start, end)
        return Chart(
            labels=[month_label(m, language) for m in months],
            series=[
                Series(
                    str(_("Collected")),
                    [monthly.get((m, currency), {}).get("rent.collected", 0) for m in months],
                ),
                Series(
                    str(_("Commission")),
                    [monthly.get((m, currency), {}).get("rent.commission", 0) for m in months],
                    color="#d99a21",
                ),
            ],
            currency=currency,
            title=str(_("Rent collected and commission, by month")),
        )

    def complete(total):
        total["payouts"] = sum(v for (_o, _m, c), v in payouts.items() if c == total["currency"])

    return Report(
        key="income",
        title=str(_("Income statement")),
        description=str(
            _(
                "Per property and owner: rent collected, management commission, expenses and the net to the owner; the payouts made to each owner."
            )
        ),
        columns=[
            Column("owner", _("Owner")),
            Column("property", _("Property")),
            Column("collected", _("Rent collected"), "money"),
            Column("commission", _("Commission"), "money"),
            Column("expenses", _("Expenses"), "money"),
            Column("net", _("Net to the owner"), "money"),
            Column("payouts", _("Paid to the owner"), "money"),
            CURRENCY,
        ],
        rows=rows,
        chart=chart_of,
        complete_total=complete,
        notes=[_months_note(start, end)],
        from_rollups=True,
        start=start,
        end=end,
    )


# --- 4. occupancy -------------------------------------------------------------------------------


def _occupancy(filters: Filters, language: str) -> Report:
    start, end = _whole_months(filters)
    metrics = ["units.total_days", "units.occupied_days", "leases.signed", "leases.ended"]

    def monthly_rows():
        monthly = _monthly(filters, metrics)
        for m in _months(start, end):
            f = {}
            for (period, _c), values in monthly.items():
                if period == m:
                    for k, v in values.items():
                        f[k] = f.get(k, 0) + v
            total, occupied = f.get("units.total_days", 0), f.get("units.occupied_days", 0)
            yield {
                "month": m,
                "unit_days": total,
                "occupied_days": occupied,
                "vacant_days": total - occupied,
                "rate": _bps(occupied, total),
                "signed": f.get("leases.signed#", 0) or f.get("leases.signed", 0),
                "ended": f.get("leases.ended#", 0) or f.get("leases.ended", 0),
            }

    def fold(acc, row):
        acc.setdefault("months", []).append(row)

    def chart_of(acc) -> Chart:
        months = acc.get("months", [])
        return Chart(
            labels=[month_label(r["month"], language) for r in months],
            series=[Series(str(_("Occupancy")), [r["rate"] or 0 for r in months], kind="line")],
            kind="percent",
            title=str(_("Occupancy rate, by month")),
        )

    def complete(total):
        total["rate"] = _bps(total["occupied_days"], total["unit_days"])

    return Report(
        key="occupancy",
        title=str(_("Occupancy")),
        description=str(
            _("Unit-days let and vacant each month, the occupancy rate, leases signed and ended.")
        ),
        columns=[
            Column("month", _("Month"), "month"),
            Column("unit_days", _("Unit-days"), "int"),
            Column("occupied_days", _("Days let"), "int"),
            Column("vacant_days", _("Vacant days"), "int"),
            Column("rate", _("Occupancy"), "percent"),
            Column("signed", _("Leases signed"), "int"),
            Column("ended", _("Leases ended"), "int"),
        ],
        rows=monthly_rows,
        fold=fold,
        chart=chart_of,
        complete_total=complete,
        notes=[_months_note(start, end), *_scope_note(filters)],
        from_rollups=True,
        start=start,
        end=end,
    )


# --- 5. payment methods -------------------------------------------------------------------------


def method_labels() -> dict[str, str]:
    return {
        "mobile_money": str(_("Mobile money")),
        "momo_direct": str(_("Mobile money (own number)")),
        "card": str(_("Card")),
        "wallet": str(_("Hokwe wallet")),
        "cash": str(_("Cash")),
        "bank_transfer": str(_("Bank transfer")),
        "import": str(_("Before Hokwe (import)")),
        "deposit": str(_("From the deposit")),
        "": str(_("Not stated")),
    }


def _payment_methods(filters: Filters, language: str) -> Report:
    start, end = _whole_months(filters)
    scope, scope_id = _scope(filters)
    labels = method_labels()
    collected = selectors.totals(
        filters.organization, ["rent.collected"], start=start, end=end, scope=scope, scope_id=scope_id
    )
    providers = (
        selectors.totals(
            filters.organization, ["payments.succeeded", "payments.failed"], start=start, end=end
        )
        if scope == "org"
        else {}
    )

    def rows():
        per_currency: dict[str, int] = defaultdict(int)
        for (_m, _d, currency), (value, _c) in collected.items():
            per_currency[currency] += value
        for (_m, method, currency), (value, count) in sorted(
            collected.items(), key=lambda kv: (kv[0][2], -kv[1][0], kv[0][1])
        ):
            yield {
                "group": str(pgettext_lazy("payment report", "Method")),
                "name": labels.get(method, method),
                "payments": count,
                "failed": None,
                "success": None,
                "amount": value,
                "share": _bps(value, per_currency[currency]),
                "currency": currency,
            }
        by_provider: dict[str, dict[str, int]] = defaultdict(lambda: {"ok": 0, "ko": 0})
        for (metric, outcome_key, _cur), (value, count) in providers.items():
            provider = split_outcome_key(outcome_key)[0]
            by_provider[provider]["ok" if metric == "payments.succeeded" else "ko"] += count or value
        for provider in sorted(by_provider, key=lambda p: (-by_provider[p]["ok"], p)):
            f = by_provider[provider]
            yield {
                "group": str(pgettext_lazy("payment report", "Provider")),
                "name": provider or str(_("Not stated")),
                "payments": f["ok"],
                "failed": f["ko"],
                "success": _bps(f["ok"], f["ok"] + f["ko"]),
                "amount": None,
                "share": None,
                "currency": "",
                "_subtotal": True,  # counts of attempts: not added to the money totals
            }

    def chart_of(acc) -> Chart:
        monthly = selectors.series(
            filters.organization, "rent.collected", start=start, end=end, scope=scope, scope_id=scope_id
        )
        currency = _main_currency({c: v for (_m, _d, c), (v, _n) in collected.items()})
        totals: dict[str, int] = defaultdict(int)
        for (_p, method, c), (value, _n) in monthly.items():
            if c == currency:
                totals[method] += value
        top = sorted(totals, key=lambda m: -totals[m])[:5]
        months = _months(start, end)
        return Chart(
            labels=[month_label(m, language) for m in months],
            series=[
                Series(
                    labels.get(method, method),
                    [monthly.get((m, method, currency), (0, 0))[0] for m in months],
                )
                for method in top
            ],
            currency=currency,
            title=str(_("Rent collected by payment method, by month")),
        )

    notes = [_months_note(start, end)]
    if scope != "org":
        notes.append(
            str(
                _(
                    "The providers' success rates are the organization's: they are not kept per property or owner."
                )
            )
        )
    return Report(
        key="payment-methods",
        title=str(_("Payment methods")),
        description=str(_("Rent collected by payment method, and each provider's payment success rate.")),
        columns=[
            Column("group", _("Kind")),
            Column("name", _("Method or provider")),
            Column("payments", _("Payments"), "int"),
            Column("failed", _("Failed"), "int"),
            Column("success", _("Success rate"), "percent"),
            Column("amount", _("Amount"), "money"),
            Column("share", _("Share"), "percent"),
            CURRENCY,
        ],
        rows=rows,
        chart=chart_of,
        complete_total=lambda total: total.update(share=10_000 if total.get("amount") else None),
        notes=notes,
        from_rollups=True,
        start=start,
        end=end,
    )


# --- 6. collector performance -------------------------------------------------------------------


def _collectors(filters: Filters, language: str) -> Report:
    def rows():
        for p in recovery.collector_performance(
            filters.organization,
            start=filters.start,
            end=filters.end,
            property=filters.property,
            owner=filters.owner,
        ):
            yield {
                "collector": p.name,
                "cases": p.cases,
                "opened": p.opened,
                "closed": p.closed,
                "owed": p.owed,
                "recovered": p.recovered,
                "rate": _bps(p.recovered, p.recovered + p.owed),
                "calls": p.calls,
                "visits": p.visits,
                "promises_kept": p.promises_kept,
                "promises_broken": p.promises_broken,
                "currency": p.currency,
            }

    def fold(acc, row):
        acc.setdefault(row["currency"], []).append((row["collector"], row["recovered"], row["owed"]))

    def chart_of(acc) -> Chart:
        currency = _main_currency({c: sum(r[1] for r in v) for c, v in acc.items()})
        top = sorted(acc.get(currency, []), key=lambda r: -r[1])[:12]
        return Chart(
            labels=[r[0] for r in top],
            series=[
                Series(str(_("Recovered")), [r[1] for r in top]),
                Series(str(_("Still owed")), [r[2] for r in top], color="#b42318"),
            ],
            currency=currency,
            title=str(_("Recovered and still owed, by collector")),
        )

    return Report(
        key="collectors",
        title=str(_("Collector performance")),
        description=str(
            _(
                "Per collector: the cases in hand, opened and closed over the period, what was recovered and what is still owed, calls, visits and promises."
            )
        ),
        columns=[
            Column("collector", _("Collector")),
            Column("cases", _("Cases"), "int"),
            Column("opened", pgettext_lazy("cases", "Opened"), "int"),
            Column("closed", pgettext_lazy("cases", "Closed"), "int"),
            Column("owed", _("Still owed"), "money"),
            Column("recovered", _("Recovered"), "money"),
            Column("rate", _("Recovery rate"), "percent"),
            Column("calls", _("Calls"), "int"),
            Column("visits", _("Visits"), "int"),
            Column("promises_kept", _("Promises kept"), "int"),
            Column("promises_broken", _("Promises broken"), "int"),
            CURRENCY,
        ],
        rows=rows,
        fold=fold,
        chart=chart_of,
        complete_total=lambda t: t.update(rate=_bps(t["recovered"], t["recovered"] + t["owed"])),
        start=filters.start,
        end=filters.end,
    )


# --- 7. cash flow -------------------------------------------------------------------------------


def _cash_flow(filters: Filters, language: str) -> Report:
    start, end = _whole_months(filters)
    metrics = ["rent.collected", "rent.commission", "payouts.paid"]

    def rows():
        monthly = _monthly(filters, metrics)
        currencies = sorted({c for (_m, c) in monthly}) or [""]
        for m in _months(start, end):
            for currency in currencies:
                f = monthly.get((m, currency), {})
                collected, paid = f.get("rent.collected", 0), f.get("payouts.paid", 0)
                if not currency and not f:
                    continue
                yield {
                    "month": m,
                    "collected": collected,
                    "commission": f.get("rent.commission", 0),
                    "payouts": paid,
                    "net": collected - paid,
                    "currency": currency,
                }

    def fold(acc, row):
        acc.setdefault(row["currency"], []).append(row)

    def chart_of(acc) -> Chart:
        currency = _main_currency({c: sum(r["collected"] for r in v) for c, v in acc.items()})
        months = acc.get(currency, [])
        return Chart(
            labels=[month_label(r["month"], language) for r in months],
            series=[
                Series(str(_("Collected")), [r["collected"] for r in months]),
                Series(str(_("Paid to owners")), [r["payouts"] for r in months], color="#d99a21"),
                Series(str(_("Net")), [r["net"] for r in months], kind="line", color="#1d4ed8"),
            ],
            currency=currency,
            title=str(_("Money in and out, by month")),
        )

    return Report(
        key="cash-flow",
        title=str(_("Cash flow")),
        description=str(
            _(
                "Each month: rent collected, the management commission kept, the payouts to owners and the net flow."
            )
        ),
        columns=[
            Column("month", _("Month"), "month"),
            Column("collected", _("Rent collected"), "money"),
            Column("commission", _("Commission"), "money"),
            Column("payouts", _("Paid to owners"), "money"),
            Column("net", _("Net"), "money"),
            CURRENCY,
        ],
        rows=rows,
        fold=fold,
        chart=chart_of,
        notes=[_months_note(start, end), *_scope_note(filters)],
        from_rollups=True,
        start=start,
        end=end,
    )


# --- the catalogue ------------------------------------------------------------------------------

BUILDERS: dict[str, Callable[[Filters, str], Report]] = {
    "rent-roll": _rent_roll,
    "delinquency": _delinquency,
    "income": _income,
    "occupancy": _occupancy,
    "payment-methods": _payment_methods,
    "collectors": _collectors,
    "cash-flow": _cash_flow,
}
REPORT_KEYS = tuple(BUILDERS)


def report_titles() -> dict[str, str]:
    return {
        "rent-roll": str(_("Rent roll")),
        "delinquency": str(_("Delinquency")),
        "income": str(_("Income statement")),
        "occupancy": str(_("Occupancy")),
        "payment-methods": str(_("Payment methods")),
        "collectors": str(_("Collector performance")),
        "cash-flow": str(_("Cash flow")),
    }


def build(key: str, filters: Filters, *, language: str = "fr") -> Report:
    """The report `key` for these filters (NotFound for an unknown key). Nothing is read before
    its rows are walked, except the small lookups a rollup report needs."""
    builder = BUILDERS.get(key)
    if builder is None:
        raise NotFound()
    return builder(filters, language)


def report_run(
    *, actor, key: str, data: Mapping, language: str = "fr", limit: int = 200, today: date | None = None
) -> tuple[ReportOrganization, Filters, Result]:
    """The one entry point of the transports: the organization checked (`data["org"]` or
    `data["organization"]`), the filters parsed, the report walked."""
    org = report_organization(actor, data.get("org") or data.get("organization"))
    if key not in BUILDERS:
        raise NotFound()
    filters = parse_filters(data, organization=org.public_id, today=today)
    report = build(key, filters, language=language)
    with replica_reads():  # the figures on the replica when there is one; the check above is not
        return org, filters, run(report, limit=limit, organization=org.public_id)


def _plain(row: dict) -> dict:
    out = {}
    for k, v in row.items():
        if k == "_subtotal":
            out["subtotal"] = bool(v)
        else:
            out[k] = v.isoformat() if isinstance(v, date) else v
    return out


def report_json(org, filters, result) -> dict:
    """A report as plain JSON values (REST and GraphQL)."""
    report = result.report
    return {
        "key": report.key,
        "title": report.title,
        "description": report.description,
        "organization": org.public_id,
        "start": report.start or filters.start,
        "end": report.end or filters.end,
        "columns": [{"key": c.key, "label": str(c.label), "kind": c.kind} for c in report.columns],
        "rows": [_plain(r) for r in result.rows],
        "count": result.count,
        "truncated": result.truncated,
        "totals": [_plain(t) for t in result.totals],
        "chart": {
            "title": result.chart.title,
            "kind": result.chart.kind,
            "currency": result.chart.currency,
            "labels": [str(label) for label in result.chart.labels],
            "series": [
                {"label": s.label, "kind": s.kind, "values": list(s.values)} for s in result.chart.series
            ],
        },
        "notes": [str(n) for n in report.notes],
        "drifts": result.drifts,
    }


def chart_svg(result_chart: Chart, *, language: str = "fr") -> str:
    """The SVG of a report's chart, its values read as money of its currency, percentages or
    counts."""
    from apps.core.money import format_amount

    if result_chart.kind == "money" and result_chart.currency:

        def fmt(v: int) -> str:
            return format_amount(v, result_chart.currency, language)

    elif result_chart.kind == "percent":

        def fmt(v: int) -> str:
            return f"{v / 100:.0f} %"

    else:
        fmt = str
    return chart(
        labels=result_chart.labels, series=result_chart.series, format_value=fmt, title=result_chart.title
    )


def period_for(frequency: str, today: date) -> tuple[date, date]:
    """The last complete period of a scheduled report: last week (Monday to Sunday) or last
    month."""
    if frequency == "weekly":
        monday = today - timedelta(days=today.weekday() + 7)
        return monday, monday + timedelta(days=6)
    last_month_end = _month_start(today) - timedelta(days=1)
    return _month_start(last_month_end), last_month_end

"""Onboarding import: properties, units, tenants, leases and past payments from the
agency's spreadsheet (CSV or XLSX, docs/samples/estate-import.csv).

One sheet of leases (one row per lease: the property and the unit are created when they do
not exist yet, the tenant's account by phone), and payments (sheet "paiements", or a CSV
with a `date_paiement` column). The whole file is applied in one transaction through the
same services as the pages: a dry run shows every lease to be created with its computed
balance (flagged when over six months of rent) and every row's errors in French; any error
and nothing is imported.

No fake arrears: a lease row's `paye_jusqu_au` (paid up to) date says which months were paid
before Hokwe — every month that begins on or before it gets no due at all (no reminder, no
effect on past collection rates) — and `solde_ouverture` (the arrears owed at import)
becomes one due, kind "opening", posted on the ledger like any due. An applied import can
be undone as a whole within 24 hours (`import_undo`) while no payment was recorded on its
leases.
"""

from __future__ import annotations

import calendar
import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Count, F, ProtectedError, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.errors import DomainError
from apps.identity import api as identity
from apps.ledger.contracts import Leg

from .. import domain
from ..contracts import DueStatus, LeaseStatus, PaymentMethod, UnitKind, UnitStatus
from ..errors import ImportRefused, InvalidInput
from ..models import (
    CreditMovement,
    DepositSettlement,
    DueAdjustment,
    ImportBatch,
    Inspection,
    Lease,
    LeaseTenant,
    Mandate,
    PaymentAllocation,
    Property,
    Quittance,
    RentDue,
    RentPayment,
    Ticket,
    Unit,
)
from . import ledgering
from .collections import _record_offline, payment_record
from .common import require
from .dues import LEASE_VALUES, _accrual_request, _build_due, period_label, refresh_statuses
from .leases import TenantInput, deposit_record_offline, lease_create
from .portfolio import property_create, unit_create

LEASE_COLUMNS = (
    "propriete",
    "adresse",
    "quartier",
    "ville",
    "proprietaire",
    "logement",
    "type_logement",
    "loyer",
    "charges",
    "locataire_nom",
    "locataire_telephone",
    "debut_bail",
    "fin_bail",
    "jour_echeance",
    "caution_mois",
    "avance_mois",
    "caution_versee",
    "paye_jusqu_au",
    "solde_ouverture",
)
REQUIRED_LEASE = (
    "propriete",
    "ville",
    "logement",
    "type_logement",
    "loyer",
    "locataire_telephone",
    "debut_bail",
)
PAYMENT_COLUMNS = (
    "locataire_telephone",
    "propriete",
    "logement",
    "date_paiement",
    "montant",
    "mode",
    "reference",
)
REQUIRED_PAYMENT = ("locataire_telephone", "logement", "date_paiement", "montant")
KINDS = {
    "entrer-coucher": UnitKind.ENTRER_COUCHER,
    "entrer_coucher": UnitKind.ENTRER_COUCHER,
    "chambre salon": UnitKind.ROOM_LIVING,
    "chambre-salon": UnitKind.ROOM_LIVING,
    "studio": UnitKind.STUDIO,
    "appartement": UnitKind.APARTMENT,
    "villa": UnitKind.VILLA,
    "boutique": UnitKind.SHOP,
    "magasin": UnitKind.SHOP,
    "bureau": UnitKind.OFFICE,
    **{k.value: k for k in UnitKind},
}
METHODS = {
    "especes": PaymentMethod.CASH,
    "espèces": PaymentMethod.CASH,
    "virement": PaymentMethod.BANK_TRANSFER,
    "import": PaymentMethod.IMPORT,
    "": PaymentMethod.IMPORT,
}
MAX_ROWS = 5000
SUSPICIOUS_MONTHS = 6  # a computed balance over this many months of rent is flagged
UNDO_WINDOW = timedelta(hours=24)
OPENING = "opening"


@dataclass
class ImportResult:
    batch: ImportBatch | None
    applied: bool
    counts: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)  # [{"sheet", "row", "field", "message"}]
    preview: list = field(default_factory=list)  # the first rows, as understood
    # every lease to be created: {"row", "reference", "property", "unit", "tenant", "rent",
    # "currency", "paid_up_to", "first_billed", "dues", "opening", "balance", "suspicious"}
    rows: list = field(default_factory=list)
    warnings: list = field(default_factory=list)  # [{"row", "message"}]: imported, but look


class RowError(Exception):
    def __init__(self, field: str | None, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def _norm(header) -> str:
    text = str(header or "").strip().lower().replace(" ", "_").replace("'", "_")
    for a, b in (("é", "e"), ("è", "e"), ("ê", "e"), ("à", "a"), ("ç", "c")):
        text = text.replace(a, b)
    return text


def read_table(filename: str, content: bytes) -> dict[str, list[dict]]:
    """{"baux": [row, …], "paiements": [row, …]} from a CSV or an XLSX file."""
    name = (filename or "").lower()
    sheets: dict[str, list[list]] = {}
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception:  # noqa: BLE001 -- any unreadable upload is the same answer
            raise InvalidInput(_("This is not a readable XLSX file."), field="file")
        for sheet in book.worksheets:
            rows = [list(r) for r in sheet.iter_rows(values_only=True) if any(c not in (None, "") for c in r)]
            sheets[_norm(sheet.title)] = rows
    elif name.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = content.decode("latin-1")
        dialect = csv.excel
        try:
            dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
        except csv.Error:
            pass
        rows = [r for r in csv.reader(io.StringIO(text), dialect) if any(c.strip() for c in r)]
        kind = "paiements" if rows and "date_paiement" in {_norm(h) for h in rows[0]} else "baux"
        sheets[kind] = rows
    else:
        raise InvalidInput(_("Send a .csv or .xlsx file."), field="file")
    out: dict[str, list[dict]] = {"baux": [], "paiements": []}
    for sheet_name, rows in sheets.items():
        if not rows:
            continue
        kind = (
            "paiements"
            if "paiement" in sheet_name or "date_paiement" in {_norm(h) for h in rows[0]}
            else "baux"
        )
        headers = [_norm(h) for h in rows[0]]
        for values in rows[1:]:
            out[kind].append(
                {h: ("" if v is None else v) for h, v in zip(headers, values, strict=False) if h}
            )
    if len(out["baux"]) + len(out["paiements"]) > MAX_ROWS:
        raise InvalidInput(_("At most %(n)s rows per file.") % {"n": MAX_ROWS}, field="file")
    return out


def _text(row: dict, name: str) -> str:
    value = row.get(name, "")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _phone(row: dict, name: str) -> str:
    """A phone number typed in a spreadsheet: Excel drops the leading 0 of "0161…"."""
    text = _text(row, name)
    if text.isdigit() and len(text) == 9:
        text = "0" + text
    return text


def _amount(row: dict, name: str, *, required: bool = True) -> int:
    raw = row.get(name, "")
    if raw in ("", None):
        if required:
            raise RowError(name, _("This column is required."))
        return 0
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        if float(raw) != int(raw):
            raise RowError(name, _("Amounts are whole numbers of francs."))
        value = int(raw)
    else:
        cleaned = str(raw).replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("FCFA", "")
        if not cleaned.lstrip("-").isdigit():
            raise RowError(name, _("“%(value)s” is not an amount.") % {"value": raw})
        value = int(cleaned)
    if value < 0:
        raise RowError(name, _("The amount must not be negative."))
    return value


def _date(row: dict, name: str, *, required: bool = True) -> date | None:
    raw = row.get(name, "")
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = str(raw).strip()
    if not text:
        if required:
            raise RowError(name, _("This column is required."))
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise RowError(name, _("“%(value)s” is not a date (DD/MM/YYYY).") % {"value": text})


def _owner_id(actor, organization_id: int, name: str) -> int:
    if not name:
        return organization_id
    org = identity.get_organization(id=organization_id)
    if name.lower() == org.name.lower():
        return organization_id
    for mandate in Mandate.objects.filter(agency_id=organization_id).select_related("owner"):
        if mandate.owner.name.lower() == name.lower():
            return mandate.owner_id
    raise RowError(
        "proprietaire", _("Unknown owner “%(name)s”: create the management mandate first.") % {"name": name}
    )


def _paid_up_to(row: dict, today: date) -> date | None:
    """`paye_jusqu_au`: a date (JJ/MM/AAAA, AAAA-MM-JJ) or a month (MM/AAAA, its last day).
    Never in the future: a tenant who paid ahead is imported with a payment."""
    raw = row.get("paye_jusqu_au", "")
    text = raw.strip() if isinstance(raw, str) else ""
    month = re.fullmatch(r"(\d{1,2})[/-](\d{4})", text)
    if month and 1 <= int(month.group(1)) <= 12:
        year, number = int(month.group(2)), int(month.group(1))
        value = date(year, number, calendar.monthrange(year, number)[1])
    else:
        value = _date(row, "paye_jusqu_au", required=False)
    if value is not None and (domain.month_start(value) if month else value) > today:
        raise RowError(
            "paye_jusqu_au",
            _("The paid-up date %(date)s is in the future: record an advance as a payment.")
            % {"date": value.strftime("%d/%m/%Y")},
        )
    return value


def _opening_amount(row: dict) -> int:
    raw = row.get("solde_ouverture", "")
    if str(raw).strip().startswith("-") or (isinstance(raw, (int, float)) and raw < 0):
        raise RowError(
            "solde_ouverture",
            _("The opening balance cannot be negative: record what the tenant paid ahead as a payment."),
        )
    return _amount(row, "solde_ouverture", required=False)


def _lease_key(row: dict) -> tuple:
    digits = "".join(c for c in _phone(row, "locataire_telephone") if c.isdigit())[-8:]
    return (_text(row, "propriete").lower(), _text(row, "logement").lower(), digits)


def _issue_opening(lease: Lease, amount: int, today: date) -> RentDue:
    """The arrears owed at import: one due on the last month paid before Hokwe (a month that
    has no rent due), owed now, posted on the ledger like any due."""
    period = domain.month_start(lease.paid_up_to)
    values = Lease.objects.filter(pk=lease.pk).values(*LEASE_VALUES).get()
    due = _build_due(values, period, (amount, 0))
    due.due_date = due.grace_until = min(domain.due_date_of(period, lease.due_day), today)
    due.kind = OPENING
    due.reference = f"SOLDE-{lease.pk:06d}"
    due.save()
    ledgering.post(_accrual_request(ledgering.Accounts(), due, values))
    refresh_statuses([due], today)
    return due


def _lease_row(actor, organization_id: int, row: dict, cache: dict, *, today: date, batch) -> dict:
    for name in REQUIRED_LEASE:
        if not _text(row, name):
            raise RowError(name, _("This column is required."))
    paid_up_to = _paid_up_to(row, today)
    opening = _opening_amount(row)
    if opening and paid_up_to is None:
        raise RowError(
            "solde_ouverture", _("An opening balance needs the paid-up date (column paye_jusqu_au).")
        )
    owner_id = _owner_id(actor, organization_id, _text(row, "proprietaire"))
    prop_name = _text(row, "propriete")
    prop = cache.get(("property", prop_name.lower()))
    if prop is None:
        prop = Property.objects.filter(organization_id=organization_id, name__iexact=prop_name).first()
    if prop is None:
        prop = property_create(
            actor=actor,
            organization_id=organization_id,
            owner_id=owner_id,
            name=prop_name,
            city=_text(row, "ville"),
            address=_text(row, "adresse"),
            neighbourhood=_text(row, "quartier"),
        )
        cache["created"]["properties"].append(prop.pk)
    elif prop.owner_id != owner_id:
        raise RowError("proprietaire", _("This property belongs to another owner."))
    cache[("property", prop_name.lower())] = prop
    kind = KINDS.get(_text(row, "type_logement").lower())
    if kind is None:
        raise RowError(
            "type_logement", _("Unknown unit kind “%(kind)s”.") % {"kind": _text(row, "type_logement")}
        )
    rent = _amount(row, "loyer")
    label = _text(row, "logement")
    unit = Unit.objects.filter(property=prop, label=label).first()
    if unit is None:
        unit = unit_create(actor=actor, property=prop, label=label, kind=kind, market_rent=rent)
        cache["created"]["units"].append(unit.pk)
    lease = lease_create(
        actor=actor,
        unit=unit,
        tenants=[
            TenantInput(phone=_phone(row, "locataire_telephone"), full_name=_text(row, "locataire_nom"))
        ],
        start_date=_date(row, "debut_bail"),
        end_date=_date(row, "fin_bail", required=False),
        rent=rent,
        charges=_amount(row, "charges", required=False),
        due_day=_amount(row, "jour_echeance", required=False) or 5,
        deposit_months=_amount(row, "caution_mois", required=False),
        advance_months=_amount(row, "avance_mois", required=False),
        today=today,
        paid_up_to=paid_up_to,
        move_in=False,  # a running lease: its deposit is `caution_versee`, its fee long paid
    )
    if batch is not None:
        Lease.objects.filter(pk=lease.pk).update(import_batch=batch)
    if opening:
        _issue_opening(lease, opening, today)
    deposit = _amount(row, "caution_versee", required=False)
    if deposit:
        deposit_record_offline(actor=actor, lease=lease, amount=deposit, reference="import")
    return {
        "lease": lease,
        "reference": lease.reference,
        "property": prop.name,
        "unit": unit.label,
        "tenant": _text(row, "locataire_nom") or _phone(row, "locataire_telephone"),
        "rent": lease.rent,
        "currency": lease.currency,
        "paid_up_to": paid_up_to,
        "first_billed": period_label(
            max(domain.month_start(lease.start_date), domain.add_months(domain.month_start(paid_up_to), 1))
            if paid_up_to
            else domain.month_start(lease.start_date)
        ),
        "opening": opening,
    }


def _payment_row(actor, organization_id: int, row: dict) -> str:
    for name in REQUIRED_PAYMENT:
        if not _text(row, name):
            raise RowError(name, _("This column is required."))
    from .leases import tenant_user_for_phone

    try:
        user = tenant_user_for_phone(phone=_phone(row, "locataire_telephone"))
    except DomainError as exc:
        raise RowError("locataire_telephone", str(exc.message))
    leases = Lease.objects.filter(
        organization_id=organization_id,
        unit__label=_text(row, "logement"),
        id__in=LeaseTenant.objects.filter(user=user).values("lease_id"),
    )
    if _text(row, "propriete"):
        leases = leases.filter(unit__property__name__iexact=_text(row, "propriete"))
    lease = leases.order_by("-start_date").first()
    if lease is None:
        raise RowError("logement", _("No lease of this tenant for this unit (import the lease first)."))
    method = METHODS.get(_text(row, "mode").lower())
    if method is None:
        raise RowError(
            "mode", _("Unknown method “%(m)s” (especes, virement or import).") % {"m": _text(row, "mode")}
        )
    amount = _amount(row, "montant")
    if amount <= 0:
        raise RowError("montant", _("The amount must be positive."))
    received_on = _date(row, "date_paiement")
    if method == PaymentMethod.CASH:
        # history: the cash was collected before Hokwe, it is not in anyone's till now
        method = PaymentMethod.IMPORT
    if method == PaymentMethod.IMPORT:
        require(actor, "estate.finance.manage", lease)
        payment = _record_offline(
            actor=actor,
            lease=lease,
            amount=amount,
            method=method,
            received_on=received_on,
            due=None,
            reference=_text(row, "reference"),
            idempotency_key=None,
        )
    else:
        payment = payment_record(
            actor=actor,
            lease=lease,
            amount=amount,
            method=method,
            received_on=received_on,
            reference=_text(row, "reference"),
        )
    return f"{lease.reference} {payment.amount}"


def _balances(rows: list[dict]) -> None:
    """Each lease row's computed balance once every sheet ran: what its open dues still owe
    (opening balance included) minus the tenant's credit. Two queries for the file."""
    ids = [r["lease"].pk for r in rows]
    owed = dict(
        RentDue.objects.filter(lease_id__in=ids)
        .exclude(status=DueStatus.WRITTEN_OFF)
        .values("lease_id")
        .annotate(left=Sum(F("total") - F("paid")))
        .values_list("lease_id", "left")
    )
    counts = dict(
        RentDue.objects.filter(lease_id__in=ids, kind="rent")
        .values("lease_id")
        .annotate(n=Count("id"))
        .values_list("lease_id", "n")
    )
    credit = dict(Lease.objects.filter(id__in=ids).values_list("id", "credit"))
    for r in rows:
        lease_id = r.pop("lease").pk
        r["dues"] = counts.get(lease_id, 0)
        r["balance"] = (owed.get(lease_id) or 0) - credit.get(lease_id, 0)
        r["suspicious"] = r["balance"] > SUSPICIOUS_MONTHS * r["rent"]


def import_run(
    *,
    actor,
    organization_id: int,
    filename: str,
    content: bytes,
    dry_run: bool = True,
    batch: ImportBatch | None = None,
) -> ImportResult:
    """Check (dry run) or apply a spreadsheet. All or nothing: one transaction. Applying
    stores the batch (the previewed one when given) and links its leases to it, so that
    `import_undo` can take the whole import back."""
    require(actor, "estate.portfolio.manage", organization_id)
    tables = read_table(filename, content)
    today = timezone.localdate()
    errors: list[dict] = []
    warnings: list[dict] = []
    preview: list[dict] = []
    rows: list[dict] = []
    counts = {"leases": 0, "payments": 0, "properties": 0, "units": 0}
    with transaction.atomic():
        target = None
        if not dry_run:
            target = batch or ImportBatch(
                organization_id=organization_id, filename=filename[:200], content=content, created_by=actor
            )
            target.status = ImportBatch.Status.APPLIED
            target.applied_at = timezone.now()
            target.save()
        before = {
            "properties": Property.objects.filter(organization_id=organization_id).count(),
            "units": Unit.objects.filter(organization_id=organization_id).count(),
        }
        cache: dict = {"created": {"properties": [], "units": []}}
        seen: dict[tuple, int] = {}
        for sheet in ("baux", "paiements"):
            for index, row in enumerate(tables[sheet], start=2):
                try:
                    with transaction.atomic():
                        if sheet == "baux":
                            key = _lease_key(row)
                            if key in seen:
                                raise RowError(
                                    "logement",
                                    _("The same lease (property, unit, tenant) is already on line %(line)s.")
                                    % {"line": seen[key]},
                                )
                            seen[key] = index
                            info = _lease_row(actor, organization_id, row, cache, today=today, batch=target)
                            label = info["reference"]
                            counts["leases"] += 1
                            rows.append({"row": index, **info})
                            if info["paid_up_to"] is None:
                                warnings.append(
                                    {
                                        "row": index,
                                        "message": _(
                                            "No paid-up date (column paye_jusqu_au): every month "
                                            "since %(month)s will be billed as unpaid."
                                        )
                                        % {"month": info["first_billed"]},
                                    }
                                )
                        else:
                            label = _payment_row(actor, organization_id, row)
                            counts["payments"] += 1
                    if len(preview) < 50:
                        preview.append({"sheet": sheet, "row": index, "result": label})
                except RowError as exc:
                    errors.append({"sheet": sheet, "row": index, "field": exc.field, "message": exc.message})
                    cache.pop(("property", _text(row, "propriete").lower()), None)
                except DomainError as exc:
                    errors.append(
                        {"sheet": sheet, "row": index, "field": exc.field, "message": str(exc.message)}
                    )
                    cache.pop(("property", _text(row, "propriete").lower()), None)
        counts["properties"] = (
            Property.objects.filter(organization_id=organization_id).count() - before["properties"]
        )
        counts["units"] = Unit.objects.filter(organization_id=organization_id).count() - before["units"]
        _balances(rows)
        if target is not None and not errors:
            # a property or unit created by a row that failed later was rolled back with it
            created = {
                "properties": list(
                    Property.objects.filter(pk__in=cache["created"]["properties"]).values_list(
                        "pk", flat=True
                    )
                ),
                "units": list(
                    Unit.objects.filter(pk__in=cache["created"]["units"]).values_list("pk", flat=True)
                ),
            }
            ImportBatch.objects.filter(pk=target.pk).update(
                summary=counts, errors=[], created_objects=created
            )
        if errors or dry_run:
            transaction.set_rollback(True)
    if target is not None and not errors:
        target.refresh_from_db()
        result_batch = target
    else:
        result_batch = ImportBatch.objects.create(
            organization_id=organization_id,
            filename=filename[:200],
            content=content,
            status=ImportBatch.Status.REFUSED if errors else ImportBatch.Status.PREVIEWED,
            summary=counts,
            errors=errors,
            created_by=actor,
        )
    return ImportResult(
        batch=result_batch,
        applied=result_batch.status == ImportBatch.Status.APPLIED,
        counts=counts,
        errors=errors,
        preview=preview,
        rows=rows,
        warnings=warnings,
    )


def import_apply(*, actor, batch: ImportBatch) -> ImportResult:
    """Apply a previewed file (the content stored at preview time)."""
    require(actor, "estate.portfolio.manage", batch)
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != ImportBatch.Status.PREVIEWED:
            raise ImportRefused(_("Only a previewed file without errors can be imported."))
        return import_run(
            actor=actor,
            organization_id=batch.organization_id,
            filename=batch.filename,
            content=bytes(batch.content),
            dry_run=False,
            batch=batch,
        )


def import_undoable(batch: ImportBatch, now: datetime | None = None) -> bool:
    """Whether the page offers « Annuler l'import » (import_undo checks everything again)."""
    now = now or timezone.now()
    return (
        batch.status == ImportBatch.Status.APPLIED
        and batch.applied_at is not None
        and now - batch.applied_at <= UNDO_WINDOW
    )


@transaction.atomic
def import_undo(*, actor, batch: ImportBatch) -> dict:
    """Take an applied import back as a whole, within 24 hours and while no payment was
    recorded on its leases: every due's accrual and every deposit received is reversed on
    the ledger (mirror postings: the ledger keeps both), then its dues, leases, and the
    units and properties it created are removed; units it occupied are vacant again. The
    tenants' accounts stay (identity's), and the lease numbers it used are not reused."""
    require(actor, "estate.portfolio.manage", batch)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportBatch.Status.APPLIED:
        raise ImportRefused(_("Only an applied import can be undone."))
    if not import_undoable(batch):
        raise ImportRefused(_("An import can only be undone within 24 hours of applying it."))
    leases = list(
        Lease.objects.select_for_update()
        .filter(import_batch=batch)
        .select_related("organization", "unit__property__owner")
        .order_by("id")
    )
    ids = [lease.pk for lease in leases]
    if (
        RentPayment.objects.filter(lease_id__in=ids).exists()
        or PaymentAllocation.objects.filter(due__lease_id__in=ids).exists()
        or CreditMovement.objects.filter(lease_id__in=ids).exists()
    ):
        raise ImportRefused(
            _("A payment was recorded on a lease of this import: the import can no longer be undone.")
        )
    if (
        Ticket.objects.filter(lease_id__in=ids).exists()
        or Inspection.objects.filter(lease_id__in=ids).exists()
        or DepositSettlement.objects.filter(lease_id__in=ids).exists()
        or Lease.objects.filter(renewed_from_id__in=ids).exists()
    ):
        raise ImportRefused(
            _(
                "The leases of this import were used since (ticket, inspection, deposit or renewal): "
                "the import can no longer be undone."
            )
        )
    accounts = ledgering.Accounts()
    by_id = {lease.pk: lease for lease in leases}
    dues = list(RentDue.objects.select_for_update().filter(lease_id__in=ids).order_by("id"))
    for due in dues:
        lease = by_id[due.lease_id]
        if due.status == DueStatus.WRITTEN_OFF or not due.total:
            continue  # a write-off already reversed what was owed (nothing was paid)
        ledgering.post(
            ledgering.accrual_request(
                accounts,
                key=f"estate:import-undo:{due.public_id}",
                code="rent_import_undo",
                org=lease.organization.public_id,
                owner=lease.unit.property.owner.public_id,
                amount=-due.total,
                commission=-domain.commission_of(due.total, due.commission_bps),
                currency=due.currency,
                reference=f"estate.RentDue:{due.public_id}",
                description=_("Import undone"),
            )
        )
    for lease in leases:
        if lease.deposit_paid:
            org, cur = lease.organization.public_id, lease.currency
            ledgering.post_legs(
                key=f"estate:import-undo:deposit:{lease.public_id}",
                code="estate_deposit_import_undo",
                legs=[
                    Leg.debit(accounts.deposits_held(org, cur), lease.deposit_paid, cur),
                    Leg.credit(accounts.offline(org, cur), lease.deposit_paid, cur),
                ],
                reference=f"estate.Lease:{lease.public_id}",
                description=_("Import undone"),
            )
    Quittance.objects.filter(due__lease_id__in=ids).delete()
    DueAdjustment.objects.filter(due__lease_id__in=ids).delete()
    RentDue.objects.filter(lease_id__in=ids).delete()
    unit_ids = {lease.unit_id for lease in leases}
    Lease.objects.filter(pk__in=ids).delete()  # its tenants' links and terms go with it
    Unit.objects.filter(pk__in=unit_ids, status=UnitStatus.OCCUPIED).exclude(
        pk__in=Lease.objects.filter(status=LeaseStatus.ACTIVE, unit_id__in=unit_ids).values("unit_id")
    ).update(status=UnitStatus.VACANT, updated_at=timezone.now())
    removed = {"leases": len(ids), "dues": len(dues), "units": 0, "properties": 0}
    created = batch.created_objects or {}
    for model, name in ((Unit, "units"), (Property, "properties")):
        for obj in model.objects.filter(pk__in=created.get(name, [])):
            try:
                with transaction.atomic():
                    obj.delete()
                removed[name] += 1
            except ProtectedError:
                pass  # used since (another lease, an expense, a ticket): kept
    batch.status = ImportBatch.Status.UNDONE
    batch.undone_at = timezone.now()
    batch.save(update_fields=["status", "undone_at", "updated_at"])
    return removed

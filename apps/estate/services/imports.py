"""Onboarding import: properties, units, tenants, leases and past payments from the
agency's spreadsheet (CSV or XLSX, docs/samples/estate-import.csv).

One sheet of leases (one row per lease: the property and the unit are created when they do
not exist yet, the tenant's account by phone), and payments (sheet "paiements", or a CSV
with a `date_paiement` column). The whole file is applied in one transaction through the
same services as the pages: a dry run shows what would happen and every row's errors in
French; any error and nothing is imported.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.errors import DomainError
from apps.identity import api as identity

from ..contracts import PaymentMethod, UnitKind
from ..errors import ImportRefused, InvalidInput
from ..models import ImportBatch, Lease, LeaseTenant, Mandate, Property, Unit
from .collections import _record_offline, payment_record
from .common import require
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


@dataclass
class ImportResult:
    batch: ImportBatch | None
    applied: bool
    counts: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)  # [{"sheet", "row", "field", "message"}]
    preview: list = field(default_factory=list)  # the first rows, as understood


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


def _lease_row(actor, organization_id: int, row: dict, cache: dict) -> str:
    for name in REQUIRED_LEASE:
        if not _text(row, name):
            raise RowError(name, _("This column is required."))
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
    unit = Unit.objects.filter(property=prop, label=label).first() or unit_create(
        actor=actor, property=prop, label=label, kind=kind, market_rent=rent
    )
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
    )
    deposit = _amount(row, "caution_versee", required=False)
    if deposit:
        deposit_record_offline(actor=actor, lease=lease, amount=deposit, reference="import")
    return lease.reference


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


def import_run(
    *, actor, organization_id: int, filename: str, content: bytes, dry_run: bool = True
) -> ImportResult:
    """Check (dry run) or apply a spreadsheet. All or nothing."""
    require(actor, "estate.portfolio.manage", organization_id)
    tables = read_table(filename, content)
    errors: list[dict] = []
    preview: list[dict] = []
    counts = {"leases": 0, "payments": 0, "properties": 0, "units": 0}
    with transaction.atomic():
        before = {
            "properties": Property.objects.filter(organization_id=organization_id).count(),
            "units": Unit.objects.filter(organization_id=organization_id).count(),
        }
        cache: dict = {}
        for sheet, handler in (("baux", _lease_row), ("paiements", _payment_row)):
            for index, row in enumerate(tables[sheet], start=2):
                try:
                    with transaction.atomic():
                        if sheet == "baux":
                            label = handler(actor, organization_id, row, cache)
                            counts["leases"] += 1
                        else:
                            label = handler(actor, organization_id, row)
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
        if errors or dry_run:
            transaction.set_rollback(True)
    status = (
        ImportBatch.Status.APPLIED
        if not errors and not dry_run
        else (ImportBatch.Status.REFUSED if errors else ImportBatch.Status.PREVIEWED)
    )
    batch = ImportBatch.objects.create(
        organization_id=organization_id,
        filename=filename[:200],
        content=content,
        status=status,
        summary=counts,
        errors=errors,
        created_by=actor,
    )
    return ImportResult(
        batch=batch,
        applied=status == ImportBatch.Status.APPLIED,
        counts=counts,
        errors=errors,
        preview=preview,
    )


def import_apply(*, actor, batch: ImportBatch) -> ImportResult:
    """Apply a previewed file (the content stored at preview time)."""
    require(actor, "estate.portfolio.manage", batch)
    if batch.status != ImportBatch.Status.PREVIEWED:
        raise ImportRefused(_("Only a previewed file without errors can be imported."))
    result = import_run(
        actor=actor,
        organization_id=batch.organization_id,
        filename=batch.filename,
        content=bytes(batch.content),
        dry_run=False,
    )
    if result.applied:
        ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.APPLIED)
    return result

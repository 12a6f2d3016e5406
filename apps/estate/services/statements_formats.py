"""Reading the agency's statements: MoMo merchant exports (MTN MoMo, Moov Money) and bank
statements (CSV, ISO 20022 camt.053 XML) into credit lines in minor units.

Each CSV format is a column mapping (`COLUMNS`): the headers the exports use, in French
first, compared without accents, case or punctuation. camt.053 is read with defusedxml
(a DTD or an entity is refused: no entity expansion, no external fetch). Amounts become
integers in the statement currency's minor unit (XOF has none: « 75 000 » or « 75000,00 »
is 75000, « 75000,50 » is refused). Only credits are lines: debits, fees and failed
transactions are skipped and counted.

Any bad line refuses the whole file (`StatementFileError`, line-numbered, translated):
nothing is imported from a file with an error.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from apps.core.money import UnknownCurrency, exponent

MTN_MOMO = "mtn_momo"
MOOV_MONEY = "moov_money"
BANK_CSV = "bank_csv"
CAMT053 = "camt053"
FORMATS = (MTN_MOMO, MOOV_MONEY, BANK_CSV, CAMT053)
# the source of a line's fingerprint: a transaction id is unique within its operator
SOURCES = {MTN_MOMO: "mtn_momo", MOOV_MONEY: "moov_money", BANK_CSV: "bank", CAMT053: "bank"}
MAX_LINES = 200_000

# field -> the headers that name it (normalized: lower case, no accents, words separated by one
# space). The first header of the file that matches a field wins.
COLUMNS = {
    MTN_MOMO: {
        "date": ("date", "date de transaction", "date transaction", "date et heure", "horodatage"),
        "transaction_id": (
            "id",
            "id transaction",
            "id de transaction",
            "identifiant de transaction",
            "id financier",
            "financial transaction id",
            "transaction id",
        ),
        "phone": (
            "de",
            "numero de l expediteur",
            "numero expediteur",
            "expediteur",
            "telephone payeur",
            "numero payeur",
            "from",
        ),
        "name": ("nom", "nom de l expediteur", "nom expediteur", "de nom", "nom du payeur", "from name"),
        "amount": ("montant", "montant xof", "montant recu", "amount"),
        "reference": ("message", "reference", "note", "motif", "message du payeur"),
        "currency": ("devise", "monnaie", "currency"),
        "status": ("statut", "etat", "status"),
        "kind": ("type", "type de transaction", "type transaction"),
    },
    MOOV_MONEY: {
        "date": ("date operation", "date de l operation", "date", "date transaction"),
        "transaction_id": (
            "reference transaction",
            "ref transaction",
            "id transaction",
            "numero de transaction",
            "transaction",
        ),
        "phone": ("numero client", "numero de l emetteur", "emetteur", "msisdn", "telephone", "numero"),
        "name": ("nom client", "nom de l emetteur", "nom", "client"),
        "amount": ("montant", "montant fcfa", "montant xof"),
        "reference": ("commentaire", "libelle", "motif", "reference", "message"),
        "currency": ("devise", "monnaie"),
        "status": ("statut", "etat"),
        "kind": ("type", "type operation", "operation"),
    },
    BANK_CSV: {
        "date": ("date operation", "date comptable", "date", "date valeur", "date de valeur"),
        "label": ("libelle", "libelle operation", "description", "designation"),
        "amount": ("montant", "montant xof"),
        "credit": ("credit", "credit xof", "montant credit"),
        "debit": ("debit", "debit xof", "montant debit"),
        "reference": ("reference", "ref", "reference operation", "numero de piece", "piece"),
        "transaction_id": ("id", "identifiant", "numero d operation", "id operation"),
        "currency": ("devise", "monnaie"),
    },
}
REQUIRED = {
    MTN_MOMO: ("date", "amount"),
    MOOV_MONEY: ("date", "amount"),
    BANK_CSV: ("date",),
}
FIELD_LABELS = {
    "date": "date",
    "transaction_id": "transaction id",
    "phone": "phone",
    "amount": "amount",
    "currency": "currency",
    "reference": "reference",
}
SUCCESS = {
    "",
    "reussi",
    "reussie",
    "succes",
    "successful",
    "success",
    "complete",
    "completed",
    "valide",
    "ok",
}
DEBIT_KINDS = {"debit", "retrait", "transfert sortant", "transfert envoye", "cash out", "withdrawal", "frais"}


class StatementFileError(ValueError):
    """The file cannot be read: `errors` lists {"line", "field", "message"} (translated)."""

    def __init__(self, errors: list[dict]):
        self.errors = errors
        super().__init__(errors[0]["message"] if errors else "")


@dataclass
class ParsedLine:
    line: int  # the line of the file (CSV, header = 1), or the entry's rank (camt.053)
    booked_on: date
    amount: int  # minor units, > 0 (a credit)
    currency: str
    transaction_id: str = ""
    phone_raw: str = ""
    payer_name: str = ""
    reference: str = ""
    label: str = ""


@dataclass
class ParsedFile:
    format: str
    currency: str
    lines: list[ParsedLine] = field(default_factory=list)
    skipped: int = 0  # debits, failed transactions, empty rows


def normalize_header(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def _error(line: int, field_name: str, message: str) -> dict:
    return {"line": line, "field": field_name, "message": message}


def parse_amount(text: str, currency: str) -> int:
    """« 75 000 », « 75.000 », « 75,000.00 », « 75000,00 », « +75 000 FCFA » -> minor units.
    ValueError (translated) for what is not an amount in that currency."""
    raw = str(text or "").strip()
    cleaned = re.sub(r"(?i)(fcfa|cfa|xof|xaf|eur|usd|ghs|ngn|f)\s*$", "", raw).strip()
    cleaned = cleaned.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("'", "")
    sign = 1
    if cleaned.startswith(("-", "+")):
        sign = -1 if cleaned[0] == "-" else 1
        cleaned = cleaned[1:]
    if not cleaned or not re.fullmatch(r"[0-9.,]+", cleaned):
        raise ValueError(_("« %(value)s » is not an amount.") % {"value": raw[:40]})
    digits = exponent(currency)
    if "," in cleaned and "." in cleaned:
        decimal_mark = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
    elif cleaned.count(",") + cleaned.count(".") == 0:
        decimal_mark = ""
    else:
        mark = "," if "," in cleaned else "."
        tail = cleaned.rsplit(mark, 1)[1]
        # « 75.000 » or « 1,250,000 »: thousands; « 75000,00 »: decimals
        grouped = cleaned.count(mark) > 1 or (len(tail) == 3 and digits != 3)
        decimal_mark = "" if grouped else mark
    if decimal_mark:
        thousands = "." if decimal_mark == "," else ","
        number = cleaned.replace(thousands, "").replace(decimal_mark, ".")
    else:
        number = cleaned.replace(",", "").replace(".", "")
    try:
        value = Decimal(number)
    except InvalidOperation:
        raise ValueError(_("« %(value)s » is not an amount.") % {"value": raw[:40]}) from None
    minor = value.scaleb(digits)
    if minor != minor.to_integral_value():
        raise ValueError(
            _("« %(value)s » has more decimals than %(currency)s allows.")
            % {"value": raw[:40], "currency": currency}
        )
    return sign * int(minor)


DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y", "%Y/%m/%d")


def parse_date(text: str) -> date:
    raw = str(text or "").strip()
    head = re.split(r"[ T]", raw, maxsplit=1)[0]
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(head, fmt).date()
        except ValueError:
            continue
    raise ValueError(_("« %(value)s » is not a date (DD/MM/YYYY or YYYY-MM-DD).") % {"value": raw[:40]})


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return content.decode("latin-1")


def _check_currency(code: str, line: int, errors: list) -> str | None:
    code = (code or "").strip().upper()
    if code in ("FCFA", "CFA", "F CFA"):
        code = "XOF"
    try:
        exponent(code)
    except UnknownCurrency:
        errors.append(_error(line, "currency", _("Unknown currency « %(code)s ».") % {"code": code[:10]}))
        return None
    return code


def parse_csv(content: bytes, fmt: str, currency: str) -> ParsedFile:
    """A MoMo merchant export or a bank CSV: the header row is found (the first row naming the
    format's required columns), columns are mapped by `COLUMNS[fmt]`."""
    text = _decode(content)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ";" if text[:4096].count(";") >= text[:4096].count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    mapping = COLUMNS[fmt]
    header_at, columns = None, {}
    for position, row in enumerate(rows[:30]):
        found = {}
        names = [normalize_header(cell) for cell in row]
        for field_name, aliases in mapping.items():
            for alias in aliases:
                if alias in names and names.index(alias) not in found.values():
                    found[field_name] = names.index(alias)
                    break
        if all(f in found for f in REQUIRED[fmt]) and ("amount" in found or "credit" in found):
            header_at, columns = position, found
            break
    if header_at is None:
        wanted = ", ".join(mapping[f][0] for f in ("date", "amount") if f in mapping)
        if fmt == BANK_CSV:
            wanted = "date, libellé, montant (ou crédit/débit), référence"
        raise StatementFileError(
            [
                _error(
                    1,
                    "file",
                    _("No header row found: the file needs the columns %(columns)s.") % {"columns": wanted},
                )
            ]
        )
    parsed = ParsedFile(format=fmt, currency=currency)
    errors: list[dict] = []

    def cell(row, name):
        index = columns.get(name)
        return row[index].strip() if index is not None and index < len(row) else ""

    for offset, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        if not any(c.strip() for c in row):
            parsed.skipped += 1
            continue
        if len(parsed.lines) >= MAX_LINES:
            errors.append(_error(offset, "file", _("Too many lines: at most %(n)s.") % {"n": MAX_LINES}))
            break
        status = normalize_header(cell(row, "status"))
        kind = normalize_header(cell(row, "kind"))
        if status not in SUCCESS or kind in DEBIT_KINDS:
            parsed.skipped += 1
            continue
        line_currency = currency
        if cell(row, "currency"):
            line_currency = _check_currency(cell(row, "currency"), offset, errors)
            if line_currency is None:
                continue
            if line_currency != currency:
                errors.append(
                    _error(
                        offset,
                        "currency",
                        _("This line is in %(line)s, the statement in %(statement)s.")
                        % {"line": line_currency, "statement": currency},
                    )
                )
                continue
        try:
            booked_on = parse_date(cell(row, "date"))
        except ValueError as exc:
            errors.append(_error(offset, "date", str(exc)))
            continue
        try:
            if "amount" in columns and cell(row, "amount"):
                amount = parse_amount(cell(row, "amount"), currency)
            else:
                credit = cell(row, "credit")
                debit = cell(row, "debit")
                amount = parse_amount(credit, currency) if credit else -parse_amount(debit or "0", currency)
        except ValueError as exc:
            errors.append(_error(offset, "amount", str(exc)))
            continue
        if amount <= 0:
            parsed.skipped += 1
            continue
        parsed.lines.append(
            ParsedLine(
                line=offset,
                booked_on=booked_on,
                amount=amount,
                currency=currency,
                transaction_id=cell(row, "transaction_id")[:80],
                phone_raw=cell(row, "phone")[:32],
                payer_name=cell(row, "name")[:150],
                reference=cell(row, "reference")[:300],
                label=cell(row, "label")[:300],
            )
        )
    if errors:
        raise StatementFileError(errors)
    return parsed


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(element, *path):
    """The first descendant along local names (namespace-agnostic)."""
    current = element
    for name in path:
        if current is None:
            return None
        current = next((c for c in current if _local(c.tag) == name), None)
    return current


def _text(element, *path) -> str:
    found = _child(element, *path)
    return (found.text or "").strip() if found is not None and found.text else ""


def _all(element, name: str):
    return [e for e in element.iter() if _local(e.tag) == name]


def parse_camt053(content: bytes, currency: str | None = None) -> ParsedFile:
    """An ISO 20022 camt.053 bank-to-customer statement: every booked credit entry (Ntry with
    CdtDbtInd CRDT) of every Stmt, in the currency of its Amt (all the same)."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    try:
        root = fromstring(content, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise StatementFileError(
            [_error(1, "file", _("The XML file declares a DTD or entities: refused for safety."))]
        ) from None
    except ParseError as exc:
        line = getattr(exc, "position", (1, 0))[0]
        raise StatementFileError([_error(line, "file", _("This is not a well-formed XML file."))]) from None
    if _local(root.tag) != "Document" or not _all(root, "Stmt"):
        raise StatementFileError(
            [
                _error(
                    1,
                    "file",
                    _("This XML file is not a camt.053 statement (no Document/BkToCstmrStmt/Stmt)."),
                )
            ]
        )
    errors: list[dict] = []
    parsed = ParsedFile(format=CAMT053, currency=currency or "")
    rank = 0
    for statement in _all(root, "Stmt"):
        for entry in [c for c in statement if _local(c.tag) == "Ntry"]:
            rank += 1
            indicator = _text(entry, "CdtDbtInd")
            status = _text(entry, "Sts") or _text(entry, "Sts", "Cd")
            if indicator != "CRDT" or (status and status not in ("BOOK", "BOOKED")):
                parsed.skipped += 1
                continue
            amount_element = _child(entry, "Amt")
            if amount_element is None:
                errors.append(_error(rank, "amount", _("Entry without an amount (Amt).")))
                continue
            code = _check_currency(amount_element.get("Ccy", ""), rank, errors)
            if code is None:
                continue
            if not parsed.currency:
                parsed.currency = code
            if code != parsed.currency:
                errors.append(
                    _error(
                        rank,
                        "currency",
                        _("This entry is in %(line)s, the statement in %(statement)s.")
                        % {"line": code, "statement": parsed.currency},
                    )
                )
                continue
            try:
                amount = parse_amount(amount_element.text or "", code)
            except ValueError as exc:
                errors.append(_error(rank, "amount", str(exc)))
                continue
            booked = (
                _text(entry, "BookgDt", "Dt")
                or _text(entry, "BookgDt", "DtTm")
                or _text(entry, "ValDt", "Dt")
            )
            try:
                booked_on = parse_date(booked)
            except ValueError as exc:
                errors.append(_error(rank, "date", str(exc)))
                continue
            if amount <= 0:
                parsed.skipped += 1
                continue
            details = _child(entry, "NtryDtls", "TxDtls")
            ustrd = " ".join((e.text or "").strip() for e in _all(entry, "Ustrd") if e.text)
            debtor = ""
            if details is not None:
                debtor = _text(details, "RltdPties", "Dbtr", "Nm") or _text(
                    details, "RltdPties", "Dbtr", "Pty", "Nm"
                )
            reference = (
                _text(entry, "AcctSvcrRef")
                or _text(entry, "NtryRef")
                or (_text(details, "Refs", "AcctSvcrRef") if details is not None else "")
                or (_text(details, "Refs", "EndToEndId") if details is not None else "")
            )
            label = _text(entry, "AddtlNtryInf")
            parsed.lines.append(
                ParsedLine(
                    line=rank,
                    booked_on=booked_on,
                    amount=amount,
                    currency=code,
                    transaction_id=reference[:80],
                    payer_name=debtor[:150],
                    reference=ustrd[:300],
                    label=label[:300],
                )
            )
            if len(parsed.lines) > MAX_LINES:
                errors.append(_error(rank, "file", _("Too many lines: at most %(n)s.") % {"n": MAX_LINES}))
                break
    if errors:
        raise StatementFileError(errors)
    return parsed


def parse(content: bytes, fmt: str, currency: str) -> ParsedFile:
    if fmt == CAMT053:  # the file names its currency (Amt Ccy)
        return parse_camt053(content)
    return parse_csv(content, fmt, currency)

"""The key facts statement (fiche d'information) shown before acceptance and kept with the
loan (docs/lending.md, "Loan products"): the amount and what is paid out, the term and the
instalments, the total cost, the TEG and the usury ceiling, the fees, the late fees, the
prepayment rule and the product's disclosures, in French and English.

`statement(...)` is a dict of plain values (JSON: the loan keeps it as accepted);
`notices(facts, language)` the sentences that explain it; `pdf(loan, language=)` the statement
as a PDF (WeasyPrint): as accepted when the loan was, else as offered.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from apps.core.money import format_amount

from ..contracts import Frequency, Schedule
from .teg import ceiling_bps

__all__ = ["notices", "pdf", "statement"]

LANGUAGES = ("fr", "en")


def _percent(bps: int | None) -> str:
    """« 24,00 % » in French, « 24.00 % » in English (the active language)."""
    if bps is None:
        return "-"
    text = f"{bps / 100:.2f} %"
    return text if translation.get_language() == "en" else text.replace(".", ",")


def notices(facts: dict, language: str = "fr") -> list[str]:
    """The explanations of a statement, in `language` (French unless "en")."""
    language = "en" if language == "en" else "fr"
    currency = facts["currency"]

    def money(amount: int) -> str:
        return format_amount(amount, currency, language=language)

    with translation.override(language):
        per = _("a week") if facts.get("frequency") == Frequency.WEEKLY else _("a month")
        lines = [
            _(
                "You borrow %(principal)s; %(paid_out)s is paid out once the upfront fee of "
                "%(fee)s is deducted."
            )
            % {
                "principal": money(facts["principal"]),
                "paid_out": money(facts["paid_out"]),
                "fee": money(facts["upfront_fee"]),
            },
            _("You repay %(total)s in %(term)s instalments, one %(per)s.")
            % {"total": money(facts["total_repaid"]), "term": facts["term"], "per": per},
            _("The credit costs %(cost)s in all: %(interest)s of interest and %(fees)s of fees.")
            % {
                "cost": money(facts["total_cost"]),
                "interest": money(facts["total_interest"]),
                "fees": money(facts["total_fees"]),
            },
            _(
                "Effective annual rate (TEG), every fee included: %(teg)s (nominal rate "
                "%(rate)s). The legal ceiling (usury rate) is %(ceiling)s."
            )
            % {
                "teg": _percent(facts.get("teg_bps")),
                "rate": _percent(facts.get("annual_rate_bps")),
                "ceiling": _percent(facts.get("ceiling_bps")),
            },
        ]
        late_bps, late_fixed = facts.get("late_fee_bps") or 0, facts.get("late_fee_fixed") or 0
        if late_bps or late_fixed:
            lines.append(
                _(
                    "An instalment unpaid %(days)s days after its date costs a late fee of "
                    "%(bps)s of the instalment plus %(fixed)s."
                )
                % {
                    "days": facts.get("late_fee_after_days", 0),
                    "bps": _percent(late_bps),
                    "fixed": money(late_fixed),
                }
            )
        else:
            lines.append(_("No late fee is charged on this loan."))
        if facts.get("prepayment_allowed", True):
            lines.append(
                _(
                    "You may repay early at any time, in part or in full, at no charge: the "
                    "interest is due only up to the day you repay."
                )
            )
        else:
            lines.append(_("This loan cannot be repaid before its dates."))
    return lines


def statement(
    product,
    *,
    schedule: Schedule,
    frequency: str,
    teg_bps: int,
    start: date,
    language: str | None = None,
) -> dict:
    """The key facts of a loan of `product` on `schedule`, disbursed on `start` (JSON)."""
    facts = {
        "product": product.code,
        "name": {"fr": product.name, "en": product.name_en or product.name},
        "currency": schedule.currency,
        "principal": schedule.principal,
        "upfront_fee": schedule.upfront_fee,
        "paid_out": schedule.principal - schedule.upfront_fee,
        "term": len(schedule.lines),
        "frequency": str(frequency),
        "annual_rate_bps": product.annual_rate_bps,
        "teg_bps": teg_bps,
        "ceiling_bps": ceiling_bps(product.country),
        "total_interest": schedule.total_interest,
        "total_fees": schedule.total_fees,
        "total_cost": schedule.total_cost,
        "total_repaid": schedule.total_repaid,
        "late_fee_bps": product.late_fee_bps,
        "late_fee_fixed": product.late_fee_fixed,
        "late_fee_after_days": product.late_fee_after_days,
        "prepayment_allowed": product.prepayment_allowed,
        "disbursed_on": start.isoformat(),
        "first_due_date": schedule.lines[0].due_date.isoformat(),
        "schedule": [
            {
                "number": line.number,
                "due_date": line.due_date.isoformat(),
                "principal": line.principal,
                "interest": line.interest,
                "fee": line.fee,
                "total": line.total,
            }
            for line in schedule.lines
        ],
        "disclosures": {"fr": product.disclosures, "en": product.disclosures_en or product.disclosures},
    }
    facts["notices"] = {language_code: notices(facts, language_code) for language_code in LANGUAGES}
    facts["language"] = "en" if language == "en" else "fr"
    return facts


def pdf(loan, *, language: str = "fr") -> bytes:
    """The loan's key facts statement as a PDF (as accepted, else as offered now)."""
    from weasyprint import HTML

    from .acceptance import key_facts_of

    language = "en" if language == "en" else "fr"
    facts = dict(loan.key_facts or key_facts_of(loan))
    facts.setdefault("ceiling_bps", ceiling_bps(loan.product.country))
    facts.setdefault("late_fee_after_days", loan.product.late_fee_after_days)
    currency = facts["currency"]

    def money(amount: int) -> str:
        return format_amount(amount, currency, language=language)

    rows = [
        {
            "number": line["number"],
            "due_date": date.fromisoformat(line["due_date"]),
            "principal": money(line["principal"]),
            "interest": money(line["interest"]),
            "fee": money(line["fee"]),
            "total": money(line["total"]),
        }
        for line in facts["schedule"]
    ]
    context = {
        "facts": facts,
        "number": facts.get("number") or loan.number,
        "name": facts["name"].get(language) or facts["name"].get("fr"),
        "principal": money(facts["principal"]),
        "upfront_fee": money(facts["upfront_fee"]),
        "paid_out": money(facts["paid_out"]),
        "total_interest": money(facts["total_interest"]),
        "total_fees": money(facts["total_fees"]),
        "total_cost": money(facts["total_cost"]),
        "total_repaid": money(facts["total_repaid"]),
        "teg": _percent(facts.get("teg_bps")),
        "rate": _percent(facts.get("annual_rate_bps")),
        "ceiling": _percent(facts.get("ceiling_bps")),
        "rows": rows,
        "notices": notices(facts, language),
        "disclosures": (facts.get("disclosures") or {}).get(language) or "",
        "accepted": bool(loan.key_facts),
        "LANGUAGE": language,
    }
    with translation.override(language):
        html = render_to_string("lending/pdf/key_facts.html", context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()

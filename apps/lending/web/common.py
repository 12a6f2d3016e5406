"""What the borrower's and the landlord's pages share."""

from django.utils.translation import gettext as _


def offer_facts(facts: dict) -> list[tuple[str, str]]:
    """The key facts an acceptance's confirmation page repeats (`facts`: the offer's key facts
    statement, amounts already formatted)."""
    return [
        (_("Amount borrowed"), facts.get("principal", "")),
        (_("Paid out"), facts.get("paid_out", "")),
        (_("Total cost of the credit"), facts.get("total_cost", "")),
        (_("Effective annual rate (TEG)"), facts.get("teg", "")),
        (_("Total to repay"), facts.get("total_repaid", "")),
    ]

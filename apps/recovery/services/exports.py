"""The cases as CSV (French headers, semicolons, UTF-8 with a BOM for Excel; amounts in
minor units with their currency): one export for the REST API and the manager pages."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date

from django.utils import timezone

from ..models import Case

HEADERS = (
    "Dossier",
    "Référence du bail",
    "Locataire",
    "Téléphone",
    "Bien",
    "Logement",
    "Quartier",
    "Ville",
    "Statut",
    "Issue",
    "Dû à l'ouverture",
    "Montant dû",
    "Récupéré",
    "Devise",
    "Plus ancienne échéance impayée",
    "Jours de retard",
    "Recouvreur",
    "Prochaine action",
    "Ouvert le",
    "Clôturé le",
)


def cases_csv(cases: Iterable[Case], *, today: date | None = None) -> str:
    """`cases` (a scoped queryset, in the order wanted) as CSV text, BOM included."""
    today = today or timezone.localdate()
    if hasattr(cases, "iterator"):
        cases = cases.iterator(chunk_size=1000)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    writer.writerow(HEADERS)
    for c in cases:
        writer.writerow(
            [
                c.public_id,
                c.reference,  # the lease's, or the loan's number
                c.tenant_name,
                c.tenant_phone,
                c.property_name,
                c.unit_label,
                c.neighbourhood,
                c.city,
                c.get_status_display(),
                c.get_outcome_display() if c.outcome else "",
                c.amount_at_open,
                c.amount_owed,
                c.recovered,
                c.currency,
                c.oldest_due_date.isoformat() if c.oldest_due_date else "",
                (today - c.oldest_due_date).days if c.oldest_due_date else "",
                c.collector.full_name if c.collector_id else "",
                c.next_action_on.isoformat() if c.next_action_on else "",
                c.opened_on.isoformat(),
                timezone.localtime(c.closed_at).date().isoformat() if c.closed_at else "",
            ]
        )
    return out.getvalue()

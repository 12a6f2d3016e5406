"""Scoring's documents in HokweDoc (cms's vault): each screening report is filed, by
reference, in the vault of the organization that asked for it when it is issued
(services.screening.report_issue). The vault opens it through `open_report` only while the
report may be read (the applicant's consent stands, 30 days): else None, and the vault
answers 410. Registered from ScoringConfig.ready()."""

from __future__ import annotations

from apps.cms import api as cms
from apps.cms.contracts import DocumentKind, OpenedDocument

REPORT_SOURCE = "scoring.screening_report"


def file_report(report, req) -> None:
    """File an issued screening report (inside the transaction that issued it)."""
    cms.file_generated_document(
        kind=DocumentKind.SCREENING_REPORT,
        title=f"Rapport de sélection {report.number}",
        source=REPORT_SOURCE,
        source_id=str(report.public_id),
        organization_id=req.organization_id,
        metadata={
            "number": report.number,
            "request": req.number,
            "recommendation": str(report.recommendation),
            "expires_at": report.expires_at.isoformat(),
        },
    )


def open_report(source_id: str) -> OpenedDocument | None:
    from apps.core.errors import DomainError

    from .models import ScreeningReport
    from .services.screening import check_readable, report_pdf

    report = ScreeningReport.objects.filter(public_id=source_id).select_related("request").first()
    if report is None:
        return None
    try:
        check_readable(report.request, report)
    except DomainError:
        return None
    return OpenedDocument(report_pdf(report), "application/pdf", f"{report.number}.pdf")


def register() -> None:
    cms.register_document_source(REPORT_SOURCE, open_report)

"""Scoring's reads, scoped to what the caller may see. Each part appends its block."""


# --- tenant screening: an organization's requests, seen by its owners and managers only ---


def screening_requests_for(actor, *, state: str = "", q: str = ""):
    """The screening requests of the organizations where `actor` is an owner or a manager,
    newest first (another organization's are never in it)."""
    from apps.identity import api as identity

    from .models import ScreeningRequest

    orgs = identity.organization_ids_of(actor, roles=identity.MANAGE_ROLES)
    rows = ScreeningRequest.objects.select_related("organization", "report").filter(organization_id__in=orgs)
    if state in ("pending", "consented", "issued", "withdrawn"):
        rows = rows.filter(status=state)
    if q:
        rows = rows.filter(applicant_phone__contains=q.strip()) | rows.filter(
            applicant_name__icontains=q.strip()
        )
    return rows.order_by("-created_at", "-id")


def screening_request_get(actor, request_id, *, field: str = "requestId"):
    """One of the actor's organizations' requests; NotFound otherwise (never a 403: another
    organization's request does not exist for them)."""
    import uuid

    from apps.core.errors import NotFound

    try:
        wanted = uuid.UUID(str(request_id))
    except ValueError:
        raise NotFound(field=field) from None
    found = screening_requests_for(actor).filter(public_id=wanted).first()
    if found is None:
        raise NotFound(field=field)
    return found

"""Maintenance tickets (inspections, états des lieux, are in services/inspections.py)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.errors import NotFound
from apps.core.statemachine import StateMachine
from apps.identity import api as identity
from apps.notifications import api as notifications

from ..contracts import LeaseStatus
from ..errors import InvalidInput, InvalidState, NegativeAmount
from ..messages import TICKET_UPDATE
from ..models import Expense, Lease, LeaseTenant, Property, Ticket, TicketPhoto
from .common import require
from .inspections import inspection_create, inspection_sign  # noqa: F401  (services re-exports them)

OPEN_TICKET = (Ticket.Status.OPEN, Ticket.Status.ASSIGNED, Ticket.Status.IN_PROGRESS)
# Which ticket status may follow which (closed and canceled are terminal).
TICKET_STATES = StateMachine(
    {
        Ticket.Status.OPEN: {
            Ticket.Status.ASSIGNED,
            Ticket.Status.IN_PROGRESS,
            Ticket.Status.RESOLVED,
            Ticket.Status.CANCELED,
        },
        Ticket.Status.ASSIGNED: {
            Ticket.Status.IN_PROGRESS,
            Ticket.Status.RESOLVED,
            Ticket.Status.CANCELED,
            Ticket.Status.OPEN,
        },
        Ticket.Status.IN_PROGRESS: {Ticket.Status.RESOLVED, Ticket.Status.CANCELED, Ticket.Status.ASSIGNED},
        Ticket.Status.RESOLVED: {Ticket.Status.CLOSED, Ticket.Status.IN_PROGRESS},
        Ticket.Status.CLOSED: set(),
        Ticket.Status.CANCELED: set(),
    }
)


def _title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise InvalidInput(_("Give the problem a short title."), field="title")
    if len(title) > 150:
        raise InvalidInput(_("At most %(n)s characters.") % {"n": 150}, field="title")
    return title


@transaction.atomic
def ticket_open(
    *,
    actor,
    title: str,
    description: str = "",
    lease: Lease | None = None,
    property: Property | None = None,
    priority: str = Ticket.Priority.NORMAL,
    photos=(),
) -> Ticket:
    """A tenant reports a problem on their lease, or a manager on a property."""
    if lease is not None:
        if not (
            identity.can(actor, "estate.tenant.view", lease)
            or identity.can(actor, "estate.portfolio.manage", lease)
        ):
            raise NotFound()
        lease = Lease.objects.select_related("unit__property").get(pk=lease.pk)  # its status now
        if lease.status != LeaseStatus.ACTIVE and not identity.can(actor, "estate.portfolio.manage", lease):
            # a former tenant no longer reports on the unit (it may have a new tenant by now)
            raise InvalidState(
                _("This lease is no longer active: a ticket cannot be opened on it."), field="lease"
            )
        property = lease.unit.property
        unit = lease.unit
    elif property is not None:
        require(actor, "estate.ticket.manage", property)
        unit = None
    else:
        raise InvalidInput(_("Name the lease or the property."), field="lease")
    if priority not in Ticket.Priority.values:
        raise InvalidInput(_("Unknown priority."), field="priority")
    ticket = Ticket.objects.create(
        organization_id=property.organization_id,
        property=property,
        unit=unit,
        lease=lease,
        reported_by=actor,
        title=_title(title),
        description=(description or "").strip()[:4000],
        priority=priority,
    )
    for image in photos or ():
        TicketPhoto.objects.create(ticket=ticket, image=image)
    return ticket


@transaction.atomic
def ticket_update(
    *,
    actor,
    ticket: Ticket,
    status: str | None = None,
    vendor_name: str | None = None,
    vendor_phone: str | None = None,
    cost: int | None = None,
    priority: str | None = None,
) -> Ticket:
    """Assign a vendor, move the status, record the cost. A resolved ticket with a cost
    charges the owner (an expense on the next statement)."""
    require(actor, "estate.ticket.manage", ticket)
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    before = ticket.status
    if vendor_name is not None:
        ticket.vendor_name = vendor_name.strip()[:150]
        if ticket.vendor_name and ticket.status == Ticket.Status.OPEN and status is None:
            status = Ticket.Status.ASSIGNED
    if vendor_phone is not None:
        ticket.vendor_phone = vendor_phone.strip()[:20]
    if priority is not None:
        if priority not in Ticket.Priority.values:
            raise InvalidInput(_("Unknown priority."), field="priority")
        ticket.priority = priority
    if cost is not None:
        if isinstance(cost, bool) or not isinstance(cost, int) or cost < 0:
            raise NegativeAmount(field="cost")
        if ticket.expense_id:
            raise InvalidState(_("The cost is already charged to the owner."), field="cost")
        ticket.cost = cost
    if status is not None and status != ticket.status:
        if status not in Ticket.Status.values:
            raise InvalidInput(_("Unknown status."), field="status")
        if not TICKET_STATES.can(ticket.status, status):
            # estate's own refusal (code invalid_state), as before the table moved to core's helper
            raise InvalidState(_("A ticket cannot go from this status to that one."), field="status")
        ticket.status = status
        if status == Ticket.Status.RESOLVED:
            ticket.resolved_at = timezone.now()
    if (
        ticket.status in (Ticket.Status.RESOLVED, Ticket.Status.CLOSED)
        and ticket.cost
        and not ticket.expense_id
    ):
        ticket.expense = Expense.objects.create(
            organization_id=ticket.organization_id,
            property_id=ticket.property_id,
            unit_id=ticket.unit_id,
            label=_("Repair: %(title)s") % {"title": ticket.title},
            amount=ticket.cost,
            incurred_on=timezone.localdate(),
        )
    ticket.save()
    if ticket.status != before:
        _tell_tenants(ticket)
    return ticket


def _tell_tenants(ticket: Ticket) -> None:
    """The lease's tenants hear of their ticket's new status (SMS, push, in-app), once per
    ticket and status, in the caller's transaction (a refused move sends nothing)."""
    if ticket.lease_id is None:
        return  # a property ticket: the managers' business
    tenants = LeaseTenant.objects.filter(lease_id=ticket.lease_id).values_list("user__public_id", flat=True)
    place = ticket.property.name if ticket.unit is None else f"{ticket.property.name}, {ticket.unit.label}"
    sender = str(identity.get_organization(id=ticket.property.organization_id).public_id)  # its SMS, metered
    for user_id in tenants:
        notifications.send(
            user_id,
            TICKET_UPDATE,
            {"title": ticket.title, "status": ticket.status, "property_name": place[:200]},
            idempotency_key=f"estate:ticket:{ticket.public_id}:{ticket.status}",
            organization=sender,
        )

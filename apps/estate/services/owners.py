"""Owner statements (relevés de gérance): rent collected − commission − expenses = net to
the owner, per owner and month; closing one moves the money on the ledger."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.identity import api as identity
from apps.ledger.contracts import Leg

from .. import domain
from ..errors import InvalidState
from ..models import Expense, OwnerStatement
from ..selectors import statement_as_of_now, statement_figures  # noqa: F401 (services re-exports it)
from . import ledgering
from .common import require


def statement_get_or_refresh(*, actor, organization_id: int, owner_id: int, period: date) -> OwnerStatement:
    """Prepare the statement of `period`: a WRITE (a POST, a mutation, the page's "prepare"
    button, closing): the draft is stored with its figures as of now. Reads never call
    this: they compute a draft in memory (selectors.statement_read / statement_previews)."""
    require(actor, "estate.portfolio.view", organization_id)
    period = domain.month_start(period)
    with transaction.atomic():
        statement, _created = OwnerStatement.objects.select_for_update().get_or_create(
            organization_id=organization_id, owner_id=owner_id, period=period
        )
        if statement.status == OwnerStatement.Status.DRAFT:
            statement = statement_as_of_now(statement)
            statement.save()
    return statement


@transaction.atomic
def statement_close(*, actor, statement: OwnerStatement) -> OwnerStatement:
    """Close the month: the owner's share collected leaves the accrual account; the net goes
    to the owner's balance (payouts), the expenses and the commission to the manager's."""
    require(actor, "estate.finance.manage", statement)
    statement = statement_get_or_refresh(
        actor=actor,
        organization_id=statement.organization_id,
        owner_id=statement.owner_id,
        period=statement.period,
    )
    statement = OwnerStatement.objects.select_for_update().get(pk=statement.pk)
    if statement.status != OwnerStatement.Status.DRAFT:
        raise InvalidState(_("This statement is already closed."))
    if statement.period > domain.month_start(timezone.localdate()):
        raise InvalidState(_("A month can be closed once it has started."))
    org = identity.get_organization(id=statement.organization_id).public_id
    owner = identity.get_organization(id=statement.owner_id).public_id
    cur = statement.currency
    accounts = ledgering.Accounts()
    share = statement.collected - statement.commission
    legs = []
    if share:
        legs.append(Leg.debit(accounts.owner_payable(org, owner, cur), share, cur))
    if statement.commission:
        legs.append(Leg.debit(accounts.commission(org, cur), statement.commission, cur))
    if statement.net:
        legs.append(Leg.credit(accounts.owners_payable(owner, cur), statement.net, cur))
    rest = share + statement.commission - statement.net
    if rest:
        legs.append(Leg.credit(accounts.owners_payable(org, cur), rest, cur))
    statement.ledger_transfer = ledgering.post_legs(
        key=f"estate:statement:{statement.public_id}",
        code="estate_owner_statement",
        legs=legs,
        reference=f"estate.OwnerStatement:{statement.public_id}",
        description=f"Relevé de gérance {statement.period:%m/%Y}",
    )
    ids = [e["id"] for e in (statement.lines or {}).get("expenses", [])]
    Expense.objects.filter(id__in=ids, statement__isnull=True).update(statement=statement)
    statement.status = OwnerStatement.Status.CLOSED
    statement.closed_at = timezone.now()
    statement.closed_by = actor
    statement.save()
    from ..vault import file_statement

    file_statement(statement)
    return statement

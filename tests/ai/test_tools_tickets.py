"""The assistant opens a maintenance ticket on the caller's own active lease (estate's
tenant_ticket_open), never on someone else's; with no active lease it says so."""

import pytest

from apps.ai.services.assistant import ask
from apps.ai.services.tools import call_tool
from apps.estate.models import Ticket
from tests.ai import tool_world

pytestmark = pytest.mark.django_db


def test_a_tenant_reports_a_leak_and_the_manager_gets_the_ticket():
    world = tool_world.tenant_world()
    from apps.estate.models import Lease

    Lease.objects.filter(pk=world.lease.pk).update(status="active")
    reply = ask(actor=world.tenant, text="le robinet de la cuisine fuit depuis hier")
    assert reply.tool_calls == ["open_maintenance_ticket"], reply.message.text
    ticket = Ticket.objects.get(reported_by=world.tenant)
    assert ticket.lease_id == world.lease.pk and "robinet" in ticket.description
    assert "Résidence Assistant" in reply.message.text


def test_no_active_lease_no_ticket():
    someone = tool_world.someone()
    result = call_tool(someone, "open_maintenance_ticket", {"description": "la porte est cassée"})
    assert result.facts.get("refused") == "not_found"
    assert not Ticket.objects.filter(reported_by=someone).exists()

"""Maintenance tickets: opened by a tenant on their lease or by a manager on a property;
the manager assigns a vendor and moves the status (open → assigned → in progress →
resolved → closed, or canceled); a refused move is a translated error that writes nothing;
the cost of a resolved ticket becomes an expense charged to the owner; another
organization sees none of it."""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from apps.core.errors import NotFound
from apps.estate import selectors, services
from apps.estate.errors import InvalidInput, InvalidState, NegativeAmount
from apps.estate.models import Expense, LeaseTenant, Ticket
from apps.notifications.models import Message
from tests.identity.factories import UserFactory

from .conftest import make_lease
from .factories import UnitFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 11, 0, tzinfo=UTC)  # the `clock` fixture's instant

OPEN, ASSIGNED, IN_PROGRESS, RESOLVED, CLOSED, CANCELED = (
    "open",
    "assigned",
    "in_progress",
    "resolved",
    "closed",
    "canceled",
)
STATUSES = (OPEN, ASSIGNED, IN_PROGRESS, RESOLVED, CLOSED, CANCELED)
# The board's moves, written out here (not imported): a change to them must change this test.
ALLOWED = {
    OPEN: {ASSIGNED, IN_PROGRESS, RESOLVED, CANCELED},
    ASSIGNED: {OPEN, IN_PROGRESS, RESOLVED, CANCELED},
    IN_PROGRESS: {ASSIGNED, RESOLVED, CANCELED},
    RESOLVED: {IN_PROGRESS, CLOSED},
    CLOSED: set(),
    CANCELED: set(),
}
# the shortest way from `open` to each status
PATHS = {
    OPEN: [],
    ASSIGNED: [ASSIGNED],
    IN_PROGRESS: [IN_PROGRESS],
    RESOLVED: [RESOLVED],
    CLOSED: [RESOLVED, CLOSED],
    CANCELED: [CANCELED],
}


def api(user):
    from apps.identity.services.tokens import tokens_issue

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens_issue(user=user, auth_method='otp').access_token}")
    return client


def url(name, **kwargs):
    return reverse(name, kwargs={"version": "v1", **kwargs})


def leak(actor, lease, **overrides):
    values = dict(actor=actor, lease=lease, title="Fuite sous l'évier", description="Ça coule depuis hier.")
    values.update(overrides)
    return services.ticket_open(**values)


def moved_to(manager, ticket, status):
    for step in PATHS[status]:
        ticket = services.ticket_update(actor=manager, ticket=ticket, status=step)
    return ticket


def snapshot(ticket):
    return Ticket.objects.filter(pk=ticket.pk).values().get()


# --- opening --------------------------------------------------------------------------------------


def test_a_tenant_opens_a_ticket_on_their_lease(lease, tenant):
    ticket = leak(tenant, lease, title="  Fuite sous l'évier  ", description="  Ça coule depuis hier.  ")
    assert ticket.status == OPEN and ticket.priority == "normal"
    assert ticket.title == "Fuite sous l'évier" and ticket.description == "Ça coule depuis hier."
    assert (ticket.lease_id, ticket.unit_id, ticket.property_id) == (
        lease.pk,
        lease.unit_id,
        lease.unit.property_id,
    )
    assert ticket.organization_id == lease.organization_id and ticket.reported_by_id == tenant.pk
    assert ticket.vendor_name == "" and ticket.cost is None and ticket.expense_id is None


def test_a_manager_opens_a_ticket_on_a_property_or_a_lease(lease, manager, prop):
    on_property = services.ticket_open(actor=manager, property=prop, title="Portail cassé", priority="urgent")
    assert on_property.property_id == prop.pk and on_property.unit_id is None and on_property.lease_id is None
    assert on_property.priority == "urgent" and on_property.reported_by_id == manager.pk
    on_lease = leak(manager, lease)
    assert on_lease.unit_id == lease.unit_id and on_lease.reported_by_id == manager.pk


@pytest.mark.parametrize(
    "overrides, error, field",
    [
        ({"title": ""}, InvalidInput, "title"),
        ({"title": "   "}, InvalidInput, "title"),
        ({"title": "x" * 151}, InvalidInput, "title"),
        ({"priority": "critical"}, InvalidInput, "priority"),
        ({"lease": None}, InvalidInput, "lease"),
    ],
)
def test_bad_ticket_input_is_a_field_error(lease, tenant, overrides, error, field):
    with pytest.raises(error) as refused:
        services.ticket_open(**{"actor": tenant, "lease": lease, "title": "Fuite", **overrides})
    assert refused.value.field == field
    assert not Ticket.objects.exists()


def test_blank_title_message_is_french(lease, tenant):
    with pytest.raises(InvalidInput) as refused:
        leak(tenant, lease, title="")
    assert str(refused.value.message) == "Donnez un titre court au problème."


def test_only_the_lease_tenants_and_its_managers_open_tickets(lease, manager, tenant, other_manager, prop):
    stranger = UserFactory(full_name="Voisin")
    for actor in (stranger, other_manager):
        with pytest.raises(NotFound):
            leak(actor, lease)
    for actor in (tenant, other_manager):  # a property ticket is the managers' business
        with pytest.raises(NotFound):
            services.ticket_open(actor=actor, property=prop, title="Portail cassé")
    assert not Ticket.objects.exists()


def test_a_former_tenant_cannot_open_a_ticket_on_the_lease_they_left(lease, manager, tenant):
    services.lease_end(actor=manager, lease=lease, end_date=date(2026, 2, 28))
    with pytest.raises(InvalidState):
        leak(tenant, lease)


# --- status moves -----------------------------------------------------------------------------------


def test_the_board_path_open_assigned_in_progress_resolved_closed(lease, manager, tenant):
    ticket = leak(tenant, lease)
    seen = []
    for status in (ASSIGNED, IN_PROGRESS, RESOLVED, CLOSED):
        ticket = services.ticket_update(actor=manager, ticket=ticket, status=status)
        seen.append(Ticket.objects.get(pk=ticket.pk).status)
    assert seen == [ASSIGNED, IN_PROGRESS, RESOLVED, CLOSED]
    assert Ticket.objects.get(pk=ticket.pk).resolved_at == NOW
    assert not Expense.objects.exists()  # no cost, no expense


REFUSED = [(start, to) for start in STATUSES for to in STATUSES if to != start and to not in ALLOWED[start]]


@pytest.mark.parametrize("start, to", REFUSED, ids=[f"{a}->{b}" for a, b in REFUSED])
def test_a_refused_move_is_a_clear_error_and_writes_nothing(lease, manager, tenant, start, to):
    ticket = moved_to(manager, leak(tenant, lease), start)
    before = snapshot(ticket)
    with pytest.raises(InvalidState) as refused:
        # with other changes in the same call: none of them may be kept
        services.ticket_update(
            actor=manager,
            ticket=ticket,
            status=to,
            vendor_name="Plomberie Akpakpa",
            vendor_phone="+229 01 61 00 00 01",
            cost=15_000,
            priority="urgent",
        )
    assert refused.value.field == "status" and refused.value.code == "invalid_state"
    assert str(refused.value.message) == "Un ticket ne peut pas passer de ce statut à celui-ci."
    assert snapshot(ticket) == before
    assert not Expense.objects.exists()


def test_an_unknown_status_is_refused(lease, manager, tenant):
    ticket = leak(tenant, lease)
    with pytest.raises(InvalidInput) as refused:
        services.ticket_update(actor=manager, ticket=ticket, status="done")
    assert refused.value.field == "status"
    assert Ticket.objects.get(pk=ticket.pk).status == OPEN


def test_the_same_status_again_is_no_move(lease, manager, tenant):
    ticket = moved_to(manager, leak(tenant, lease), CLOSED)
    again = services.ticket_update(actor=manager, ticket=ticket, status=CLOSED)
    assert again.status == CLOSED


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    moves=st.lists(
        st.tuples(
            st.sampled_from(STATUSES), st.one_of(st.none(), st.integers(min_value=0, max_value=50_000))
        ),
        max_size=8,
    )
)
def test_ticket_status_state_machine(lease, manager, moves):
    """Random moves (each with or without a cost): the status follows ALLOWED, a refused
    move changes nothing, closed and canceled are final, and the owner is charged the cost
    once, only when the ticket is resolved or closed with a cost."""
    ticket = services.ticket_open(actor=manager, lease=lease, title="Climatiseur en panne")
    status, cost, charged, resolved = OPEN, None, False, False
    for to, new_cost in moves:
        before = snapshot(ticket)
        refuse_cost = new_cost is not None and charged
        refuse_move = to != status and to not in ALLOWED[status]
        try:
            ticket = services.ticket_update(actor=manager, ticket=ticket, status=to, cost=new_cost)
        except InvalidState:
            assert refuse_cost or refuse_move
            assert snapshot(ticket) == before
            continue
        assert not (refuse_cost or refuse_move)
        status = to
        cost = new_cost if new_cost is not None else cost
        resolved = resolved or to == RESOLVED
        if status in (RESOLVED, CLOSED) and cost:
            charged = True
        stored = Ticket.objects.get(pk=ticket.pk)
        assert stored.status == status and stored.cost == cost
        assert (stored.resolved_at is not None) == resolved
        assert (stored.expense_id is not None) == charged
        if charged:
            assert stored.expense.amount == cost
    assert Expense.objects.filter(ticket__pk=ticket.pk).count() == int(charged)
    if status in (CLOSED, CANCELED):
        for to in STATUSES:
            if to != status:
                with pytest.raises(InvalidState):
                    services.ticket_update(actor=manager, ticket=ticket, status=to)


# --- assignment, priority, cost ------------------------------------------------------------------


def test_naming_a_vendor_assigns_an_open_ticket(lease, manager, tenant):
    ticket = leak(tenant, lease)
    ticket = services.ticket_update(
        actor=manager, ticket=ticket, vendor_name="  Plomberie Akpakpa ", vendor_phone=" +22901610001 "
    )
    stored = Ticket.objects.get(pk=ticket.pk)
    assert stored.status == ASSIGNED
    assert (stored.vendor_name, stored.vendor_phone) == ("Plomberie Akpakpa", "+22901610001")


def test_a_vendor_with_an_explicit_status_or_on_a_later_status_does_not_reassign(lease, manager, tenant):
    ticket = services.ticket_update(
        actor=manager, ticket=leak(tenant, lease), vendor_name="Plomberie Akpakpa", status=IN_PROGRESS
    )
    assert Ticket.objects.get(pk=ticket.pk).status == IN_PROGRESS
    ticket = services.ticket_update(actor=manager, ticket=ticket, vendor_name="Électricité Cadjèhoun")
    stored = Ticket.objects.get(pk=ticket.pk)
    assert stored.status == IN_PROGRESS and stored.vendor_name == "Électricité Cadjèhoun"


def test_priority_changes_and_an_unknown_one_is_refused(lease, manager, tenant):
    ticket = services.ticket_update(actor=manager, ticket=leak(tenant, lease), priority="urgent")
    assert Ticket.objects.get(pk=ticket.pk).priority == "urgent"
    with pytest.raises(InvalidInput) as refused:
        services.ticket_update(actor=manager, ticket=ticket, priority="asap", vendor_name="X")
    assert refused.value.field == "priority"
    stored = Ticket.objects.get(pk=ticket.pk)
    assert stored.priority == "urgent" and stored.vendor_name == ""


@pytest.mark.parametrize("cost", [-1, True, 12.5, "15000"])
def test_a_cost_is_a_whole_positive_amount(lease, manager, tenant, cost):
    ticket = leak(tenant, lease)
    with pytest.raises(NegativeAmount) as refused:
        services.ticket_update(actor=manager, ticket=ticket, cost=cost, status=ASSIGNED)
    assert refused.value.field == "cost"
    assert snapshot(ticket)["status"] == OPEN and snapshot(ticket)["cost"] is None


def test_the_cost_of_a_resolved_ticket_is_charged_to_the_owner_once(lease, manager, tenant, prop):
    ticket = leak(tenant, lease)
    ticket = services.ticket_update(actor=manager, ticket=ticket, cost=15_000, vendor_name="Plomberie")
    assert Ticket.objects.get(pk=ticket.pk).expense_id is None  # not before it is resolved
    ticket = services.ticket_update(actor=manager, ticket=ticket, status=RESOLVED)
    expense = Expense.objects.get()
    assert ticket.expense_id == expense.pk
    assert (expense.amount, expense.property_id, expense.unit_id) == (15_000, prop.pk, lease.unit_id)
    assert expense.organization_id == lease.organization_id and expense.incurred_on == date(2026, 3, 10)
    assert expense.label == "Réparation : Fuite sous l'évier"
    with pytest.raises(InvalidState) as refused:
        services.ticket_update(actor=manager, ticket=ticket, cost=20_000)
    assert refused.value.field == "cost"
    services.ticket_update(actor=manager, ticket=ticket, status=CLOSED)
    assert Expense.objects.count() == 1 and Ticket.objects.get(pk=ticket.pk).cost == 15_000


def test_a_canceled_ticket_charges_nothing(lease, manager, tenant):
    ticket = services.ticket_update(actor=manager, ticket=leak(tenant, lease), cost=9_000, status=CANCELED)
    stored = Ticket.objects.get(pk=ticket.pk)
    assert stored.status == CANCELED and stored.cost == 9_000 and stored.expense_id is None
    assert not Expense.objects.exists()


def test_the_owner_statement_carries_the_repair(lease, manager, tenant, prop):
    ticket = leak(tenant, lease)
    services.ticket_update(actor=manager, ticket=ticket, cost=15_000, status=RESOLVED)
    statement = services.statement_get_or_refresh(
        actor=manager, organization_id=prop.organization_id, owner_id=prop.owner_id, period=date(2026, 3, 1)
    )
    assert statement.expenses == 15_000


# --- who may update ----------------------------------------------------------------------------------


def test_only_the_managers_move_a_ticket(lease, tenant, other_manager):
    ticket = leak(tenant, lease)
    before = snapshot(ticket)
    for actor in (tenant, other_manager, UserFactory()):
        with pytest.raises(NotFound):
            services.ticket_update(actor=actor, ticket=ticket, status=CANCELED, vendor_name="Moi")
    assert snapshot(ticket) == before


def test_selectors_scope_tickets_to_the_organization_and_to_the_tenant(
    lease, manager, tenant, prop, other_manager
):
    mine = leak(tenant, lease)
    on_property = services.ticket_open(actor=manager, property=prop, title="Portail cassé")
    neighbour = UserFactory(full_name="Voisine Adjovi")
    other_lease = make_lease(manager, UnitFactory(property=prop, label="B3"), neighbour)
    theirs = leak(neighbour, other_lease, title="Prise électrique")
    assert set(selectors.tickets_for(manager)) == {mine, on_property, theirs}
    assert list(selectors.tickets_for(other_manager)) == []
    assert list(selectors.tenant_tickets(tenant)) == [mine]
    assert list(selectors.tenant_tickets(neighbour)) == [theirs]
    with pytest.raises(NotFound):
        selectors.ticket_get(other_manager, mine.public_id)
    with pytest.raises(NotFound):
        selectors.ticket_get(tenant, mine.public_id)  # the manager's view of a ticket


# --- REST --------------------------------------------------------------------------------------------


def test_rest_tenant_opens_and_lists_their_tickets(lease, tenant, manager):
    client = api(tenant)
    created = client.post(
        url("estate-my-tickets"),
        {"lease": str(lease.public_id), "title": "Coupure de courant", "priority": "urgent"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="ticket-1",
    )
    assert created.status_code == 201
    body = created.json()
    assert (body["title"], body["status"], body["priority"], body["unit_label"]) == (
        "Coupure de courant",
        OPEN,
        "urgent",
        "B2",
    )
    replay = client.post(
        url("estate-my-tickets"),
        {"lease": str(lease.public_id), "title": "Coupure de courant", "priority": "urgent"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="ticket-1",
    )
    assert replay.json()["id"] == body["id"] and Ticket.objects.count() == 1
    assert [t["id"] for t in client.get(url("estate-my-tickets")).json()["results"]] == [body["id"]]
    assert [t["id"] for t in api(manager).get(url("estate-tickets")).json()["results"]] == [body["id"]]


def test_rest_a_tenant_cannot_open_on_someone_elses_lease(lease, manager, prop):
    neighbour = UserFactory(full_name="Voisine Adjovi")
    response = api(neighbour).post(
        url("estate-my-tickets"), {"lease": str(lease.public_id), "title": "Intrus"}, format="json"
    )
    assert response.status_code == 404
    assert not Ticket.objects.exists()


def test_rest_manager_opens_moves_and_gets_a_problem_for_a_refused_move(lease, manager, prop):
    client = api(manager)
    created = client.post(
        url("estate-tickets"), {"property": str(prop.public_id), "title": "Portail cassé"}, format="json"
    )
    assert created.status_code == 201 and created.json()["unit_label"] is None
    ticket_url = url("estate-ticket", ticket_id=created.json()["id"])
    moved = client.patch(
        ticket_url, {"vendor_name": "Soudure Godomey", "vendor_phone": "+22901610002"}, format="json"
    )
    assert moved.status_code == 200
    assert (moved.json()["status"], moved.json()["vendor_name"]) == (ASSIGNED, "Soudure Godomey")
    refused = client.patch(ticket_url, {"status": CLOSED, "cost": 5_000}, format="json")
    assert refused.status_code == 409
    problem = refused.json()
    assert refused["Content-Type"] == "application/problem+json" and problem["code"] == "invalid_state"
    assert problem["errors"][0]["field"] == "status"
    assert problem["errors"][0]["message"] == "Un ticket ne peut pas passer de ce statut à celui-ci."
    after = client.get(ticket_url).json()
    assert (after["status"], after["cost"]) == (ASSIGNED, None)
    typo = client.patch(ticket_url, {"statut": RESOLVED}, format="json")
    assert typo.status_code == 400 and typo.json()["errors"][0]["code"] == "unknown_field"
    bad = client.patch(ticket_url, {"status": "done"}, format="json")
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "status"


def test_rest_another_agency_and_the_tenant_get_404_on_the_ticket(lease, tenant, other_manager, prop):
    ticket = leak(tenant, lease)
    ticket_url = url("estate-ticket", ticket_id=ticket.public_id)
    for actor in (other_manager, tenant):
        client = api(actor)
        assert client.get(ticket_url).status_code == 404
        assert client.patch(ticket_url, {"status": CANCELED}, format="json").status_code == 404
    assert api(other_manager).get(url("estate-tickets")).json()["results"] == []
    foreign = api(other_manager).post(
        url("estate-tickets"), {"property": str(prop.public_id), "title": "Intrus"}, format="json"
    )
    assert foreign.status_code == 404
    assert snapshot(ticket)["status"] == OPEN and Ticket.objects.count() == 1


# --- notifications -----------------------------------------------------------------------------------


def test_the_tenant_is_told_when_their_ticket_moves(
    lease, manager, tenant, django_capture_on_commit_callbacks
):
    ticket = leak(tenant, lease)
    with django_capture_on_commit_callbacks(execute=True):  # outbox events are delivered after commit
        services.ticket_update(actor=manager, ticket=ticket, vendor_name="Plomberie Akpakpa")
        services.ticket_update(actor=manager, ticket=ticket, status=RESOLVED)
    assert Message.objects.filter(user=tenant).exists()


def _told(user) -> list[tuple[str, str]]:
    return list(
        Message.objects.filter(user=user, template_key="estate.ticket_update")
        .order_by("id")
        .values_list("channel", "body")
    )


def test_the_tenants_get_the_new_status_in_french_once_per_status(lease, manager, tenant, unit):
    co_tenant = UserFactory(full_name="Awa Zinsou")
    LeaseTenant.objects.create(lease=lease, user=co_tenant, is_primary=False)
    ticket = leak(tenant, lease)
    assert _told(tenant) == []  # opening is not a move
    services.ticket_update(actor=manager, ticket=ticket, vendor_name="Plomberie Akpakpa")  # → assigned
    sms = [body for channel, body in _told(tenant) if channel == "sms"]
    assert sms == [
        'Hokwe: votre demande "Fuite sous l\'évier" (Résidence Fidjrossè, B2) est confiée à un artisan.'
    ]
    assert {"sms", "inapp"} <= {channel for channel, _b in _told(tenant)}  # push: with a device
    assert [b for c, b in _told(co_tenant) if c == "sms"] == sms  # every tenant of the lease

    services.ticket_update(actor=manager, ticket=ticket, status=IN_PROGRESS)
    services.ticket_update(actor=manager, ticket=ticket, status=ASSIGNED)  # back: already told
    services.ticket_update(actor=manager, ticket=ticket, cost=5_000)  # no move: nothing
    services.ticket_update(actor=manager, ticket=ticket, status=RESOLVED)
    sms = [body for channel, body in _told(tenant) if channel == "sms"]
    assert [body.rsplit(" est ", 1)[1] for body in sms] == [
        "confiée à un artisan.",
        "en cours de traitement.",
        "résolue.",
    ]
    with pytest.raises(InvalidState):  # a refused move tells no one
        services.ticket_update(actor=manager, ticket=ticket, status=CANCELED)
    assert len([c for c, _b in _told(tenant) if c in ("sms", "inapp")]) == 6


def test_a_property_ticket_tells_no_tenant(lease, manager, tenant, prop):
    ticket = services.ticket_open(actor=manager, property=prop, title="Portail cassé")
    services.ticket_update(actor=manager, ticket=ticket, status=RESOLVED)
    assert not Message.objects.filter(template_key="estate.ticket_update").exists()


def test_a_former_tenant_gets_a_french_error_and_the_manager_may_still_open_one(lease, manager, tenant):
    services.lease_end(actor=manager, lease=lease, end_date=date(2026, 2, 28))
    with pytest.raises(InvalidState) as refused:
        leak(tenant, lease)
    assert refused.value.field == "lease"
    assert str(refused.value.message) == "Ce bail n'est plus actif : aucun ticket ne peut y être ouvert."
    response = api(tenant).post(
        url("estate-my-tickets"), {"lease": str(lease.public_id), "title": "Encore"}, format="json"
    )
    assert response.status_code == 409 and response.json()["errors"][0]["field"] == "lease"
    assert not Ticket.objects.exists()
    # damage found at the move-out: the manager records it on the lease
    found = leak(manager, lease, title="Carreaux cassés")
    assert found.lease_id == lease.pk

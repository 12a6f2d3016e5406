"""The mutations added for REST/GraphQL parity (issue 14): estateUpdateProperty,
estateUpdateUnit, estateCreateMandate, estateGiveLeaseNotice, estateSettleDeposit,
estateWriteOffDue and estatePrepareStatement. Each runs the REST view's service with the
same checks: it succeeds, a refusal is a typed error that writes nothing, and another
agency's user gets `not_found`. Reading a statement (REST GET, `estateStatement`) writes
nothing; preparing it is the write."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.estate import services
from apps.estate.models import DepositSettlement, Lease, Mandate, OwnerStatement, Property, RentDue, Unit
from apps.ledger import api as ledger
from tests.helpers import bearer_client, gql, graphql_post
from tests.identity.factories import MembershipFactory

from .factories import OwnerOrgFactory

pytestmark = pytest.mark.django_db

NOT_FOUND = [{"field": None, "code": "not_found"}]


def errors(payload) -> list[dict]:
    return [{"field": e["field"], "code": e["code"]} for e in payload["errors"]]


def row(model, obj) -> dict:
    return model.objects.filter(pk=obj.pk).values().get()


# --- estateUpdateProperty ---------------------------------------------------------------------------

UPDATE_PROPERTY = """mutation($id: UUID!, $name: String, $city: String, $latitude: Float, $longitude: Float,
  $isActive: Boolean) {
  estateUpdateProperty(propertyId: $id, name: $name, city: $city, latitude: $latitude,
    longitude: $longitude, isActive: $isActive) {
    ok errors { field code message } property { id name city latitude longitude } } }"""


def test_update_property(clock, prop, manager, other_manager):
    client = bearer_client(manager)
    done = gql(
        client,
        UPDATE_PROPERTY,
        {
            "id": str(prop.public_id),
            "name": "  Résidence Cadjèhoun ",
            "latitude": 6.3654,
            "longitude": 2.4183,
        },
    )["estateUpdateProperty"]
    assert done["ok"] and done["errors"] == []
    assert done["property"] == {
        "id": str(prop.public_id),
        "name": "Résidence Cadjèhoun",
        "city": "Cotonou",  # not given: unchanged
        "latitude": 6.3654,
        "longitude": 2.4183,
    }
    before = row(Property, prop)
    refused = gql(client, UPDATE_PROPERTY, {"id": str(prop.public_id), "name": "X", "latitude": 91.0})
    assert errors(refused["estateUpdateProperty"]) == [{"field": "latitude", "code": "invalid"}]
    assert (
        refused["estateUpdateProperty"]["errors"][0]["message"] == "La latitude est comprise entre -90 et 90."
    )
    blank = gql(client, UPDATE_PROPERTY, {"id": str(prop.public_id), "city": "  "})["estateUpdateProperty"]
    assert errors(blank) == [{"field": "city", "code": "invalid"}]
    assert row(Property, prop) == before
    foreign = gql(bearer_client(other_manager), UPDATE_PROPERTY, {"id": str(prop.public_id), "name": "Pris"})
    assert errors(foreign["estateUpdateProperty"]) == NOT_FOUND
    assert row(Property, prop) == before


# --- estateUpdateUnit --------------------------------------------------------------------------------

UPDATE_UNIT = """mutation($id: UUID!, $label: String, $marketRent: Amount, $status: String, $surfaceM2: Int) {
  estateUpdateUnit(unitId: $id, label: $label, marketRent: $marketRent, status: $status, surfaceM2: $surfaceM2) {
    ok errors { field code } unit { id label status surfaceM2 marketRent { amount currency } } } }"""


def test_update_unit(clock, prop, unit, manager, other_manager):
    from .factories import UnitFactory

    UnitFactory(property=prop, label="C4")
    client = bearer_client(manager)
    done = gql(
        client,
        UPDATE_UNIT,
        {"id": str(unit.public_id), "label": "B2 bis", "marketRent": 80_000, "surfaceM2": 42},
    )["estateUpdateUnit"]
    assert done["ok"]
    assert done["unit"] == {
        "id": str(unit.public_id),
        "label": "B2 bis",
        "status": "vacant",
        "surfaceM2": 42,
        "marketRent": {"amount": 80_000, "currency": "XOF"},
    }
    cleared = gql(client, UPDATE_UNIT, {"id": str(unit.public_id), "surfaceM2": None})["estateUpdateUnit"]
    assert cleared["ok"] and cleared["unit"]["surfaceM2"] is None
    before = row(Unit, unit)
    for variables, field, code in (
        ({"label": "C4"}, "label", "invalid"),  # another unit of the property has it
        ({"status": "demolished"}, "status", "invalid"),
    ):
        refused = gql(client, UPDATE_UNIT, {"id": str(unit.public_id), **variables})["estateUpdateUnit"]
        assert errors(refused) == [{"field": field, "code": code}], variables
    # A negative amount never reaches the service: the Amount scalar refuses it.
    negative = graphql_post(
        client, {"query": UPDATE_UNIT, "variables": {"id": str(unit.public_id), "marketRent": -1}}
    )
    assert negative.status_code == 400
    assert [e["extensions"]["code"] for e in negative.json()["errors"]] == ["invalid_amount"]
    assert row(Unit, unit) == before
    foreign = gql(bearer_client(other_manager), UPDATE_UNIT, {"id": str(unit.public_id), "label": "Z"})
    assert errors(foreign["estateUpdateUnit"]) == NOT_FOUND
    assert row(Unit, unit) == before


# --- estateCreateMandate -----------------------------------------------------------------------------

CREATE_MANDATE = """mutation($agency: UUID!, $owner: UUID!, $bps: Int!, $start: Date!, $end: Date,
  $frequency: String) {
  estateCreateMandate(agencyId: $agency, ownerId: $owner, commissionBps: $bps, startDate: $start,
    endDate: $end, payoutFrequency: $frequency) {
    ok errors { field code } mandate { id commissionBps startDate endDate payoutFrequency
      agency { id } owner { id name } } } }"""


def test_create_mandate(clock, agency, manager, other_agency, other_manager):
    owner = OwnerOrgFactory(name="Famille Houngbédji")
    MembershipFactory(organization=owner, user=manager, role="viewer")  # the owner invited the manager
    client = bearer_client(manager)
    variables = {
        "agency": str(agency.public_id),
        "owner": str(owner.public_id),
        "bps": 800,
        "start": "2026-04-01",
        "frequency": "quarterly",
    }
    done = gql(client, CREATE_MANDATE, variables)["estateCreateMandate"]
    assert done["ok"] and done["errors"] == []
    mandate = Mandate.objects.get(public_id=done["mandate"]["id"])
    assert (mandate.agency_id, mandate.owner_id, mandate.commission_bps) == (agency.pk, owner.pk, 800)
    assert done["mandate"]["payoutFrequency"] == "quarterly"
    assert done["mandate"]["owner"] == {"id": str(owner.public_id), "name": "Famille Houngbédji"}
    for changes, field, code in (
        ({"bps": 5001}, "commission_bps", "commission_over_legal_cap"),
        ({"end": "2026-03-31"}, "end_date", "end_before_start"),
        ({"frequency": "weekly"}, "payout_frequency", "invalid"),
    ):
        refused = gql(client, CREATE_MANDATE, {**variables, **changes})["estateCreateMandate"]
        assert errors(refused) == [{"field": field, "code": code}], changes
    assert Mandate.objects.filter(owner=owner).count() == 1
    # another agency: neither in A's name, nor with an owner that never invited it
    as_a = gql(bearer_client(other_manager), CREATE_MANDATE, variables)["estateCreateMandate"]
    assert errors(as_a) == [{"field": "agencyId", "code": "not_found"}]
    uninvited = gql(
        bearer_client(other_manager), CREATE_MANDATE, {**variables, "agency": str(other_agency.public_id)}
    )["estateCreateMandate"]
    assert errors(uninvited) == [{"field": "owner", "code": "not_found"}]
    assert Mandate.objects.filter(owner=owner).count() == 1


# --- estateGiveLeaseNotice ----------------------------------------------------------------------------

NOTICE = """mutation($id: UUID!, $givenOn: Date!, $endDate: Date!, $by: String) {
  estateGiveLeaseNotice(leaseId: $id, givenOn: $givenOn, endDate: $endDate, by: $by) {
    ok errors { field code message } lease { id status endDate } } }"""


def test_give_lease_notice(lease, manager, other_manager):
    client = bearer_client(manager)
    lease_id = str(lease.public_id)
    done = gql(
        client, NOTICE, {"id": lease_id, "givenOn": "2026-03-10", "endDate": "2026-06-30", "by": "landlord"}
    )
    assert done["estateGiveLeaseNotice"]["lease"] == {
        "id": lease_id,
        "status": "active",
        "endDate": "2026-06-30",
    }
    assert (row(Lease, lease)["notice_by"], row(Lease, lease)["notice_given_on"]) == (
        "landlord",
        date(2026, 3, 10),
    )
    past = gql(client, NOTICE, {"id": lease_id, "givenOn": "2026-02-01", "endDate": "2026-03-01"})
    assert past["estateGiveLeaseNotice"]["ok"] is False
    assert past["estateGiveLeaseNotice"]["errors"] == [
        {
            "field": "end_date",
            "code": "end_before_start",
            "message": "La date de fin prévue est déjà passée : enregistrez plutôt le départ du locataire.",
        }
    ]
    assert row(Lease, lease)["end_date"] == date(2026, 6, 30)
    foreign = gql(
        bearer_client(other_manager),
        NOTICE,
        {"id": lease_id, "givenOn": "2026-03-10", "endDate": "2026-12-31"},
    )
    assert errors(foreign["estateGiveLeaseNotice"]) == NOT_FOUND
    assert row(Lease, lease)["end_date"] == date(2026, 6, 30)


# --- estateSettleDeposit -------------------------------------------------------------------------------

SETTLE = """mutation($id: UUID!, $deductions: [EstateDeductionInput!], $key: String) {
  estateSettleDeposit(leaseId: $id, deductions: $deductions, idempotencyKey: $key) {
    ok errors { field code }
    settlement { id held { amount currency } deducted { amount } refund { amount formatted }
      refundReference deductions { label kind amount { amount currency } } } } }"""


def test_settle_deposit(lease, manager, other_manager):
    services.deposit_record_offline(actor=manager, lease=lease, amount=150_000)
    client = bearer_client(manager)
    lease_id = str(lease.public_id)
    deductions = [{"label": "Peinture", "amount": 20_000, "kind": "damage"}]
    early = gql(client, SETTLE, {"id": lease_id, "deductions": deductions, "key": "settle-1"})
    assert errors(early["estateSettleDeposit"]) == [{"field": None, "code": "invalid_state"}]
    services.lease_end(actor=manager, lease=lease, end_date=date(2026, 3, 31))
    too_much = gql(client, SETTLE, {"id": lease_id, "deductions": [{"label": "Tout", "amount": 150_001}]})
    assert errors(too_much["estateSettleDeposit"]) == [{"field": "deductions", "code": "invalid"}]
    foreign = gql(bearer_client(other_manager), SETTLE, {"id": lease_id, "deductions": deductions})
    assert errors(foreign["estateSettleDeposit"]) == NOT_FOUND
    assert not DepositSettlement.objects.exists() and row(Lease, lease)["deposit_paid"] == 150_000

    # the key refused above (nothing stored) can be used again
    done = gql(client, SETTLE, {"id": lease_id, "deductions": deductions, "key": "settle-1"})[
        "estateSettleDeposit"
    ]
    assert done["ok"]
    assert done["settlement"]["held"] == {"amount": 150_000, "currency": "XOF"}
    assert (done["settlement"]["deducted"]["amount"], done["settlement"]["refund"]["amount"]) == (
        20_000,
        130_000,
    )
    assert done["settlement"]["refundReference"] == "offline"
    assert done["settlement"]["deductions"] == [
        {"label": "Peinture", "kind": "damage", "amount": {"amount": 20_000, "currency": "XOF"}}
    ]
    # a retry with the key returns the first settlement; without it, a second one is refused
    again = gql(client, SETTLE, {"id": lease_id, "deductions": deductions, "key": "settle-1"})[
        "estateSettleDeposit"
    ]
    assert again["ok"] and again["settlement"]["id"] == done["settlement"]["id"]
    other = gql(client, SETTLE, {"id": lease_id, "deductions": [], "key": "settle-1"})["estateSettleDeposit"]
    assert errors(other) == [{"field": "Idempotency-Key", "code": "idempotency_key_reused"}]
    twice = gql(client, SETTLE, {"id": lease_id, "deductions": deductions})["estateSettleDeposit"]
    assert errors(twice) == [{"field": None, "code": "invalid_state"}]
    assert DepositSettlement.objects.count() == 1


# --- estateWriteOffDue ----------------------------------------------------------------------------------

WRITE_OFF = """mutation($id: UUID!, $reason: String, $key: String) {
  estateWriteOffDue(dueId: $id, reason: $reason, idempotencyKey: $key) {
    ok errors { field code } due { id status outstanding { amount } } } }"""


def receivable(org) -> int:
    account = ledger.organization_account(organization=org.public_id, code="rent_receivable")
    return ledger.balance(account=account.public_id).posted


def test_write_off_due(lease, manager, other_manager):
    january = RentDue.objects.get(lease=lease, period=date(2026, 1, 1))
    client = bearer_client(manager)
    foreign = gql(bearer_client(other_manager), WRITE_OFF, {"id": str(january.public_id), "key": "w-1"})
    assert errors(foreign["estateWriteOffDue"]) == NOT_FOUND
    assert RentDue.objects.get(pk=january.pk).status == "overdue"
    owed = receivable(lease.organization)

    done = gql(client, WRITE_OFF, {"id": str(january.public_id), "reason": "Geste commercial", "key": "w-1"})
    assert done["estateWriteOffDue"]["ok"]
    assert done["estateWriteOffDue"]["due"]["status"] == "written_off"
    assert receivable(lease.organization) == owed - 80_000  # the accrual is reversed
    again = gql(client, WRITE_OFF, {"id": str(january.public_id), "reason": "Geste commercial", "key": "w-1"})
    assert again["estateWriteOffDue"]["ok"] and again["estateWriteOffDue"]["due"]["status"] == "written_off"
    refused = gql(client, WRITE_OFF, {"id": str(january.public_id)})  # no key: a second write-off
    assert errors(refused["estateWriteOffDue"]) == [{"field": None, "code": "invalid_state"}]
    assert receivable(lease.organization) == owed - 80_000


# --- statements: a read writes nothing, preparing is the write ------------------------------------------

WRITES = ("INSERT", "UPDATE", "DELETE")
STATEMENT = """query($owner: UUID!, $period: Date!) {
  estateStatement(ownerId: $owner, period: $period) {
    id status collected { amount currency } expenses { amount } net { amount } } }"""
PREPARE = """mutation($owner: UUID!, $period: Date!) {
  estatePrepareStatement(ownerId: $owner, period: $period) {
    ok errors { field code } statement { id status collected { amount } expenses { amount } } } }"""


def _writes(ctx) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)]


@pytest.fixture
def month(lease, manager, prop):
    """March 2026: 80 000 collected (10 % commission), a 12 000 repair."""
    services.payment_record(actor=manager, lease=lease, amount=80_000, method="bank_transfer")
    services.expense_create(
        actor=manager, property=prop, label="Peinture", amount=12_000, incurred_on=date(2026, 3, 2)
    )
    return {"owner": str(prop.owner.public_id), "period": "2026-03-01"}


def test_reading_a_statement_writes_nothing_on_rest_and_graphql(month, manager):
    client = bearer_client(manager)
    with CaptureQueriesContext(connection) as ctx:
        rest = client.get(reverse("estate-statement", kwargs={"version": "v1"}), month)
        graphql = gql(client, STATEMENT, month)["estateStatement"]
    assert rest.status_code == 200
    assert _writes(ctx) == [] and not OwnerStatement.objects.exists()
    body = rest.json()
    assert body["id"] is None and body["status"] == "draft"  # computed, not stored
    assert (body["collected"]["amount"], body["expenses"]["amount"], body["net"]["amount"]) == (
        80_000,
        12_000,
        60_000,
    )
    assert body["collected"]["currency"] == "XOF"
    assert graphql == {
        "id": None,
        "status": "draft",
        "collected": {"amount": 80_000, "currency": "XOF"},
        "expenses": {"amount": 12_000},
        "net": {"amount": 60_000},
    }


def test_preparing_a_statement_is_the_write_then_reads_show_it_as_of_now(month, manager, prop, other_manager):
    client = bearer_client(manager)
    url = reverse("estate-statement", kwargs={"version": "v1"})
    prepared = client.post(url, month, format="json")
    assert prepared.status_code == 201
    statement = OwnerStatement.objects.get()
    assert prepared.json()["id"] == str(statement.public_id)
    assert (statement.collected, statement.expenses, statement.net) == (80_000, 12_000, 60_000)

    # a later expense shows on the read, without changing the stored draft
    services.expense_create(
        actor=manager, property=prop, label="Serrure", amount=3_000, incurred_on=date(2026, 3, 5)
    )
    with CaptureQueriesContext(connection) as ctx:
        read = gql(client, STATEMENT, month)["estateStatement"]
    assert _writes(ctx) == []
    assert read["id"] == str(statement.public_id) and read["expenses"] == {"amount": 15_000}
    assert row(OwnerStatement, statement)["expenses"] == 12_000

    # the mutation prepares (refreshes) the same draft
    done = gql(client, PREPARE, month)["estatePrepareStatement"]
    assert done["ok"] and done["statement"]["id"] == str(statement.public_id)
    assert row(OwnerStatement, statement)["expenses"] == 15_000 and OwnerStatement.objects.count() == 1

    # refusals: another agency gets not_found, on both transports, and nothing is written
    foreign = bearer_client(other_manager)
    assert errors(gql(foreign, PREPARE, month)["estatePrepareStatement"]) == [
        {"field": "owner", "code": "not_found"}
    ]
    assert foreign.post(url, month, format="json").status_code == 404
    assert gql(foreign, STATEMENT, month)["estateStatement"] is None
    assert foreign.get(url, month).status_code == 404
    bad = gql(client, PREPARE, {**month, "owner": str(other_manager.public_id)})["estatePrepareStatement"]
    assert errors(bad) == [{"field": "owner", "code": "not_found"}]
    assert OwnerStatement.objects.count() == 1

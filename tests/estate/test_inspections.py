"""Inspections (états des lieux): a room-by-room checklist per lease (one move-in, one
move-out), signed by the tenant and by the manager (typed name + time), printable as PDF,
and seen only by the lease's organization and tenants."""

import io
from datetime import UTC, date, datetime

import pytest
from django.urls import reverse
from pypdf import PdfReader

from apps.core.errors import Forbidden, NotFound
from apps.estate import documents, selectors, services
from apps.estate.errors import InvalidInput, InvalidState
from apps.estate.models import DepositSettlement, Inspection, InspectionItem
from tests.identity.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 11, 0, tzinfo=UTC)  # the `clock` fixture's instant

MOVE_IN_ITEMS = [
    {"room": "Séjour", "element": "Murs", "condition": "good", "comment": "Peinture neuve"},
    {"room": "Séjour", "element": "Sol", "condition": "fair"},
    {"room": "Chambre", "element": "Fenêtre", "condition": "good", "comment": ""},
    {"room": "Douche", "element": "Robinetterie", "condition": "poor", "comment": "Fuite légère"},
]


def move_in(manager, lease, items=None, **overrides):
    values = dict(
        actor=manager,
        lease=lease,
        kind="move_in",
        inspected_on=date(2026, 1, 1),
        items=MOVE_IN_ITEMS if items is None else items,
        notes="Clés remises : 2",
    )
    values.update(overrides)
    return services.inspection_create(**values)


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def viewer(agency):
    """A member of the agency who may look but not manage."""
    return MembershipFactory(organization=agency, role="viewer").user


# --- creating an inspection --------------------------------------------------------------------


def test_a_move_in_inspection_keeps_every_room_element_in_the_order_given(lease, manager):
    inspection = move_in(manager, lease)
    assert inspection.kind == "move_in" and inspection.inspected_on == date(2026, 1, 1)
    assert inspection.organization_id == lease.organization_id
    assert inspection.notes == "Clés remises : 2"
    rows = list(inspection.items.values_list("room", "element", "condition", "comment", "position"))
    assert rows == [
        ("Séjour", "Murs", "good", "Peinture neuve", 0),
        ("Séjour", "Sol", "fair", "", 1),
        ("Chambre", "Fenêtre", "good", "", 2),
        ("Douche", "Robinetterie", "poor", "Fuite légère", 3),
    ]
    assert not inspection.is_signed
    assert inspection.tenant_signed_at is None and inspection.manager_signed_at is None


def test_room_and_element_are_trimmed_and_long_values_cut_to_the_columns(lease, manager):
    inspection = move_in(
        manager,
        lease,
        items=[{"room": "  Cuisine  ", "element": " Évier ", "condition": "damaged", "comment": "x" * 500}],
        notes="n" * 5000,
    )
    item = inspection.items.get()
    assert (item.room, item.element, item.condition) == ("Cuisine", "Évier", "damaged")
    assert len(item.comment) == 300
    inspection.refresh_from_db()
    assert len(inspection.notes) == 4000
    long = move_in(
        manager,
        lease,
        kind="move_out",
        items=[{"room": "R" * 100, "element": "E" * 100, "condition": "missing"}],
    )
    item = long.items.get()
    assert (len(item.room), len(item.element)) == (60, 80)


def test_a_lease_has_at_most_one_move_in_and_one_move_out_inspection(lease, manager):
    move_in(manager, lease)
    with pytest.raises(InvalidState) as refused:
        move_in(manager, lease, inspected_on=date(2026, 1, 2))
    assert refused.value.field == "kind"
    assert str(refused.value.message) == "Ce bail a déjà cet état des lieux."
    move_out = move_in(manager, lease, kind="move_out", inspected_on=date(2026, 3, 31))
    assert move_out.kind == "move_out"
    assert sorted(Inspection.objects.filter(lease=lease).values_list("kind", flat=True)) == [
        "move_in",
        "move_out",
    ]
    assert InspectionItem.objects.filter(inspection__lease=lease).count() == 2 * len(MOVE_IN_ITEMS)


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"kind": "mid_term"}, "kind"),
        ({"items": []}, "items"),
        ({"items": [{"room": "Séjour", "element": "", "condition": "good"}]}, "items.0.room"),
        ({"items": [{"element": "Murs", "condition": "good"}]}, "items.0.room"),
        ({"items": [{"room": "Séjour", "element": "Murs", "condition": "excellent"}]}, "items.0.condition"),
        # the inspection row is written before the lines: the second line's error rolls it back
        (
            {
                "items": [
                    {"room": "Séjour", "element": "Murs", "condition": "good"},
                    {"room": "Séjour", "element": "Sol", "condition": None},
                ]
            },
            "items.1.condition",
        ),
    ],
)
def test_bad_input_is_a_field_error_and_nothing_is_written(lease, manager, overrides, field):
    with pytest.raises(InvalidInput) as refused:
        move_in(manager, lease, **overrides)
    assert refused.value.field == field
    assert not Inspection.objects.exists() and not InspectionItem.objects.exists()


def test_only_the_managers_of_the_lease_write_an_inspection(lease, manager, viewer, tenant, other_manager):
    with pytest.raises(NotFound):
        move_in(other_manager, lease)
    with pytest.raises(NotFound):  # a tenant does not draw up the inspection
        move_in(tenant, lease)
    with pytest.raises(Forbidden):  # a viewer of the agency sees the lease but may not act
        move_in(viewer, lease)
    assert not Inspection.objects.exists()


# --- signatures -----------------------------------------------------------------------------------


def test_tenant_and_manager_each_sign_their_own_side_and_both_make_it_final(lease, manager, tenant):
    inspection = move_in(manager, lease)
    signed = services.inspection_sign(actor=tenant, inspection=inspection, name="  Brice Zinsou ")
    assert (signed.tenant_signed_name, signed.tenant_signed_at) == ("Brice Zinsou", NOW)
    assert signed.manager_signed_name == "" and signed.manager_signed_at is None
    assert not signed.is_signed
    signed = services.inspection_sign(actor=manager, inspection=inspection, name="Awa Dossou, gestionnaire")
    assert (signed.manager_signed_name, signed.manager_signed_at) == ("Awa Dossou, gestionnaire", NOW)
    stored = Inspection.objects.get(pk=inspection.pk)
    assert stored.is_signed and stored.tenant_signed_name == "Brice Zinsou"


def test_a_side_signs_once(lease, manager, tenant):
    inspection = move_in(manager, lease)
    services.inspection_sign(actor=manager, inspection=inspection, name="Awa Dossou")
    with pytest.raises(InvalidState) as refused:
        services.inspection_sign(actor=manager, inspection=inspection, name="Quelqu'un d'autre")
    assert str(refused.value.message) == "Déjà signé."
    services.inspection_sign(actor=tenant, inspection=inspection, name="Brice Zinsou")
    with pytest.raises(InvalidState):
        services.inspection_sign(actor=tenant, inspection=inspection, name="Brice Z.")
    stored = Inspection.objects.get(pk=inspection.pk)
    assert (stored.manager_signed_name, stored.tenant_signed_name) == ("Awa Dossou", "Brice Zinsou")


def test_a_blank_signature_is_refused(lease, manager, tenant):
    inspection = move_in(manager, lease)
    for name in ("", "   ", None):
        with pytest.raises(InvalidInput) as refused:
            services.inspection_sign(actor=tenant, inspection=inspection, name=name)
        assert refused.value.field == "name"
    stored = Inspection.objects.get(pk=inspection.pk)
    assert stored.tenant_signed_at is None and stored.tenant_signed_name == ""


def test_strangers_cannot_sign(lease, manager, other_manager, viewer):
    inspection = move_in(manager, lease)
    outsider = UserFactory(full_name="Locataire d'un autre bail")
    for actor in (other_manager, outsider, viewer):
        with pytest.raises(NotFound):
            services.inspection_sign(actor=actor, inspection=inspection, name="Faux Nom")
    stored = Inspection.objects.get(pk=inspection.pk)
    assert stored.tenant_signed_at is None and stored.manager_signed_at is None


def test_a_signed_move_in_still_refuses_a_second_move_in_but_allows_the_move_out(lease, manager, tenant):
    inspection = move_in(manager, lease)
    services.inspection_sign(actor=tenant, inspection=inspection, name="Brice Zinsou")
    services.inspection_sign(actor=manager, inspection=inspection, name="Awa Dossou")
    with pytest.raises(InvalidState):
        move_in(manager, lease, items=[{"room": "Séjour", "element": "Murs", "condition": "damaged"}])
    assert list(inspection.items.values_list("condition", flat=True)) == ["good", "fair", "good", "poor"]
    move_out = move_in(manager, lease, kind="move_out", inspected_on=date(2026, 3, 31))
    assert not move_out.is_signed


def test_move_out_after_the_lease_ended_then_the_deposit_settled_with_the_damage(lease, manager, tenant):
    """The move-out path as estate has it: the inspection records the damage, the manager
    lists the deduction on the deposit settlement (estate does not compare the two
    inspections nor compute the deduction: the manager types it)."""
    move_in(manager, lease)
    services.deposit_record_offline(actor=manager, lease=lease, amount=150_000)
    services.payment_record(actor=manager, lease=lease, amount=240_000, method="bank_transfer")
    services.lease_end(actor=manager, lease=lease, end_date=date(2026, 3, 31))
    move_out = move_in(
        manager,
        lease,
        kind="move_out",
        inspected_on=date(2026, 3, 31),
        items=[
            {"room": "Séjour", "element": "Murs", "condition": "damaged", "comment": "Trous au mur"},
            {"room": "Douche", "element": "Robinetterie", "condition": "poor"},
        ],
    )
    # the tenant of an ended lease still signs its move-out inspection
    services.inspection_sign(actor=tenant, inspection=move_out, name="Brice Zinsou")
    services.inspection_sign(actor=manager, inspection=move_out, name="Awa Dossou")
    move_out.refresh_from_db()
    assert move_out.is_signed
    settlement = services.deposit_settle(
        actor=manager,
        lease=lease,
        deductions=[{"label": "Séjour : murs endommagés", "amount": 25_000, "kind": "damage"}],
    )
    assert (settlement.held, settlement.deducted, settlement.refund) == (150_000, 25_000, 125_000)
    assert settlement.refund_reference == "offline"
    assert DepositSettlement.objects.get(lease=lease).deductions == [
        {"label": "Séjour : murs endommagés", "amount": 25_000, "kind": "damage"}
    ]


# --- reading: scoping and the PDF --------------------------------------------------------------------


def test_the_lease_organization_and_its_tenants_read_the_inspection_nobody_else(
    lease, manager, tenant, other_manager, viewer
):
    inspection = move_in(manager, lease)
    for actor in (manager, viewer, tenant):
        found = selectors.inspection_get(actor, inspection.public_id)
        assert found.pk == inspection.pk
        assert [i.element for i in found.items.all()] == ["Murs", "Sol", "Fenêtre", "Robinetterie"]
    assert list(selectors.inspections_for(manager)) == [inspection]
    assert list(selectors.inspections_for(other_manager)) == []
    for actor in (other_manager, UserFactory()):
        with pytest.raises(NotFound):
            selectors.inspection_get(actor, inspection.public_id)
    for bad in ("00000000-0000-0000-0000-000000000000", "pas-un-uuid", None):
        with pytest.raises(NotFound):
            selectors.inspection_get(manager, bad)


def test_the_pdf_lists_rooms_conditions_and_signatures_in_french(lease, manager, tenant):
    inspection = move_in(manager, lease)
    services.inspection_sign(actor=tenant, inspection=inspection, name="Brice Zinsou")
    text = pdf_text(documents.inspection_pdf(inspection))
    for expected in (
        "État des lieux",
        "entrée",
        "Résidence Fidjrossè",
        "B2",
        lease.reference,
        "Brice Zinsou",
        "Séjour",
        "Robinetterie",
        "Fuite légère",
        "bon",
        "usé",
        "Clés remises : 2",
        "Le locataire",
        "Le gestionnaire",
    ):
        assert expected in text, expected
    english = pdf_text(documents.inspection_pdf(inspection, language="en"))
    assert "Inspection report" in english and "move-in" in english


def test_the_pdf_page_is_a_404_for_another_agency(client, lease, manager, other_manager):
    inspection = move_in(manager, lease)
    url = reverse("manager:estate-inspection", args=[inspection.public_id])
    client.force_login(manager)
    response = client.get(url, {"pdf": "1"})
    assert response.status_code == 200 and "Séjour" in pdf_text(response.content)
    client.force_login(other_manager)
    assert client.get(url, {"pdf": "1"}).status_code == 404
    assert client.post(url, {"name": "Faux Nom"}).status_code == 404
    inspection.refresh_from_db()
    assert inspection.manager_signed_at is None


def test_signing_on_the_page(client, lease, manager):
    inspection = move_in(manager, lease)
    client.force_login(manager)
    url = reverse("manager:estate-inspection", args=[inspection.public_id])
    response = client.post(url, {"name": "Awa Dossou"})
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.manager_signed_name == "Awa Dossou" and inspection.manager_signed_at == NOW
    again = client.post(url, {"name": "Awa Dossou"})
    assert again.status_code == 200 and "Déjà signé." in again.content.decode()

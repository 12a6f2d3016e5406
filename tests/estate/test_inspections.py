"""Inspections (états des lieux) as people do them: rooms from the unit's kind, items with a
state in French, photos per item, meters and keys; signed by SMS code by the tenant and the
agent, then locked and printed; a move-out drawn from the move-in proposes deductions that
the deposit settlement uses. Seen only by the lease's organization and tenants."""

import html
import io
from datetime import UTC, date, datetime

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Sum
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from apps.core.errors import Forbidden, NotFound
from apps.estate import documents, selectors, services
from apps.estate.errors import InvalidInput, InvalidState
from apps.estate.models import DepositSettlement, Inspection, InspectionItem, InspectionPhoto, InspectionRoom
from apps.estate.services import inspections as insp
from apps.identity import api as identity
from apps.ledger.models import Posting
from tests.identity.conftest import SmsInbox
from tests.identity.factories import MembershipFactory, UserFactory

from .factories import UnitFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 11, 0, tzinfo=UTC)  # the `clock` fixture's instant

MOVE_IN_ITEMS = [
    {"room": "Séjour", "element": "Murs", "condition": "good", "comment": "Peinture neuve"},
    {"room": "Séjour", "element": "Sol", "condition": "worn"},
    {"room": "Chambre", "element": "Fenêtre", "condition": "new", "comment": ""},
    {"room": "Douche", "element": "Robinetterie", "condition": "poor", "comment": "Fuite légère"},
]


@pytest.fixture
def sms():
    inbox = SmsInbox()
    identity.set_otp_sender(inbox)
    cache.clear()
    yield inbox
    identity.set_otp_sender(None)


@pytest.fixture
def viewer(agency):
    return MembershipFactory(organization=agency, role="viewer").user


def move_in(manager, lease, items=MOVE_IN_ITEMS, **overrides):
    values = dict(
        actor=manager, lease=lease, kind="move_in", inspected_on=date(2026, 1, 1), items=items, notes="RAS"
    )
    values.update(overrides)
    return services.inspection_create(**values)


def sign(sms, actor, inspection, code=None):
    challenge = insp.inspection_sign_start(actor=actor, inspection=inspection)
    return insp.inspection_sign(
        actor=actor,
        inspection=inspection,
        challenge_id=challenge.challenge_id,
        code=code or sms.last_code(actor.phone),
    )


def wrong(sms, phone) -> str:
    return "000000" if sms.last_code(phone) != "000000" else "111111"


def png(name="mur.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


# --- the old checklist becomes rooms and items ---------------------------------------------------


def test_the_migration_turns_the_old_checklist_into_rooms_and_items_with_french_states(lease):
    """Before 0008 an item carried its room as text (one line « room; element; condition;
    comment » of the text box) and an English condition; 0008 makes the rooms, maps the states
    and moves the item's photo to its photos."""
    before = [("estate", "0007_move_in_invoice")]
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    OldInspection = old.get_model("estate", "Inspection")
    OldItem = old.get_model("estate", "InspectionItem")
    inspection = OldInspection.objects.create(
        organization_id=lease.organization_id,
        lease_id=lease.pk,
        kind="move_in",
        inspected_on=date(2026, 1, 1),
    )
    for position, (room, element, condition, comment, photo) in enumerate(
        [
            ("Séjour", "Murs", "good", "Peinture neuve", ""),
            ("Chambre", "Fenêtre", "fair", "", "estate/inspections/2026/01/f.jpg"),
            ("séjour", "Sol", "poor", "", ""),
            ("Douche", "Robinetterie", "damaged", "Fuite", ""),
            ("Douche", "Miroir", "missing", "", ""),
        ]
    ):
        OldItem.objects.create(
            inspection=inspection,
            room=room,
            element=element,
            condition=condition,
            comment=comment,
            position=position,
            photo=photo,
        )
    public_id = inspection.public_id
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    migrated = Inspection.objects.get(public_id=public_id)  # the public id (and its URL) is kept
    assert [r.name for r in migrated.rooms.all()] == ["Séjour", "Chambre", "Douche"]
    rows = [(i.room.name, i.element, i.condition, i.comment) for i in migrated.items.all()]
    assert rows == [
        ("Séjour", "Murs", "good", "Peinture neuve"),
        ("Séjour", "Sol", "poor", ""),
        ("Chambre", "Fenêtre", "worn", ""),
        ("Douche", "Robinetterie", "broken", "Fuite"),
        ("Douche", "Miroir", "broken", ""),
    ]
    photo = InspectionPhoto.objects.get()
    assert photo.item.element == "Fenêtre" and photo.image.name == "estate/inspections/2026/01/f.jpg"
    assert [i.get_condition_display() for i in migrated.items.all()][:3] == [
        "bon état",
        "mauvais état",
        "état d'usage",
    ]


# --- rooms from the unit's kind ------------------------------------------------------------------


def test_rooms_are_proposed_from_the_unit_kind():
    assert insp.rooms_for_unit("studio") == ["Pièce principale", "Coin cuisine", "Salle d'eau"]
    assert insp.rooms_for_unit("apartment", 3) == [
        "Séjour",
        "Chambre 1",
        "Chambre 2",
        "Cuisine",
        "Salle de bain",
        "WC",
    ]
    assert insp.rooms_for_unit("shop")[:2] == ["Espace de vente", "Réserve"]


def test_a_new_move_in_gets_the_rooms_and_items_of_the_unit_then_the_agent_edits_them(lease, manager):
    unit = lease.unit
    unit.kind, unit.rooms, unit.electricity_meter = "apartment", 2, "SBEE-4471"
    unit.save()
    inspection = services.inspection_create(
        actor=manager, lease=lease, kind="move_in", inspected_on=date(2026, 1, 1)
    )
    assert [r.name for r in inspection.rooms.all()] == [
        "Séjour",
        "Chambre 1",
        "Cuisine",
        "Salle de bain",
        "WC",
    ]
    sejour = inspection.rooms.get(name="Séjour")
    assert ["Murs", "Sol", "Plafond", "Portes", "Fenêtres", "Prises et interrupteurs"] == [
        i.element for i in sejour.items.all()
    ][:6]
    assert "Plomberie" in [i.element for i in inspection.rooms.get(name="Salle de bain").items.all()]
    assert {m.kind: m.number for m in inspection.meters.all()} == {"electricity": "SBEE-4471", "water": ""}
    # editable: a room added (its items proposed), one removed, an element added, a room renamed
    balcon = insp.inspection_room_add(actor=manager, inspection=inspection, name="Balcon")
    insp.inspection_room_remove(actor=manager, room=inspection.rooms.get(name="WC"))
    insp.inspection_item_add(actor=manager, room=balcon, element="Garde-corps")
    insp.inspection_room_update(actor=manager, room=sejour, name="Salon", items={})
    assert [r.name for r in inspection.rooms.all()] == [
        "Salon",
        "Chambre 1",
        "Cuisine",
        "Salle de bain",
        "Balcon",
    ]
    assert balcon.items.last().element == "Garde-corps"


def test_a_studio_and_a_shop(manager, prop, tenant, clock):
    from .conftest import make_lease

    for kind, first in (("studio", "Pièce principale"), ("shop", "Espace de vente")):
        unit = UnitFactory(property=prop, kind=kind)
        lease = make_lease(manager, unit, tenant)
        inspection = services.inspection_create(
            actor=manager, lease=lease, kind="move_in", inspected_on=date(2026, 1, 1)
        )
        assert inspection.rooms.first().name == first


def test_bad_input_is_a_field_error_and_nothing_is_written(lease, manager):
    for items, field in (
        ([], "items"),
        ([{"room": "Séjour", "element": "", "condition": "good"}], "items.0.room"),
        ([{"room": "Séjour", "element": "Murs", "condition": "excellent"}], "items.0.condition"),
        (
            [
                {"room": "Séjour", "element": "Murs", "condition": "good"},
                {"room": "Séjour", "element": "Sol"},
            ],
            "items.1.condition",
        ),
    ):
        with pytest.raises(InvalidInput) as refused:
            move_in(manager, lease, items=items)
        assert refused.value.field == field
    assert not Inspection.objects.exists() and not InspectionItem.objects.exists()
    with pytest.raises(InvalidInput):
        move_in(manager, lease, kind="mid_term")


def test_only_the_managers_of_the_lease_write_an_inspection(lease, manager, viewer, tenant, other_manager):
    with pytest.raises(NotFound):
        move_in(other_manager, lease)
    with pytest.raises(NotFound):
        move_in(tenant, lease)
    with pytest.raises(Forbidden):
        move_in(viewer, lease)
    inspection = move_in(manager, lease)
    with pytest.raises(NotFound):
        insp.inspection_room_add(actor=other_manager, inspection=inspection, name="Cave")
    assert inspection.rooms.count() == 3


# --- a room filled on the page, states in French -----------------------------------------------------


def test_the_agent_fills_a_room_on_the_page_and_the_states_read_in_french(client, lease, manager):
    inspection = move_in(manager, lease)
    client.force_login(manager)
    url = reverse("manager:estate-inspection", args=[inspection.public_id])
    page = html.unescape(client.get(url).content.decode())
    for label in ("neuf", "bon état", "état d'usage", "mauvais état", "hors service"):
        assert label in page
    assert "<details" in page and "onclick" not in page and "<script>" not in page
    sejour = inspection.rooms.get(name="Séjour")
    murs, sol = sejour.items.all()
    response = client.post(
        url,
        {
            "action": "room",
            "room": str(sejour.public_id),
            "name": "Séjour",
            f"c-{murs.public_id}": "new",
            f"m-{murs.public_id}": "Repeint en février",
            f"c-{sol.public_id}": "broken",
            f"m-{sol.public_id}": "Carreau fendu",
        },
    )
    assert response.status_code == 302 and f"room-{sejour.public_id}" in response["Location"]
    murs.refresh_from_db()
    sol.refresh_from_db()
    assert (murs.condition, murs.comment, sol.condition) == ("new", "Repeint en février", "broken")
    again = client.get(response["Location"]).content.decode()
    assert "Repeint en février" in again
    refused = client.post(
        url, {"action": "room", "room": str(sejour.public_id), f"c-{murs.public_id}": "good-ish"}
    )
    assert refused.status_code == 400 and "État inconnu." in refused.content.decode()


def test_a_photo_per_item_is_stored_and_a_file_that_is_not_an_image_is_refused(client, lease, manager):
    inspection = move_in(manager, lease)
    item = inspection.items.get(element="Murs")
    client.force_login(manager)
    url = reverse("manager:estate-inspection", args=[inspection.public_id])
    ok = client.post(url, {"action": "photo", "item": str(item.public_id), "photo": png()})
    assert ok.status_code == 302
    photo = item.photos.get()
    assert photo.image.name.startswith("estate/inspections/") and photo.image.size > 0
    fake = SimpleUploadedFile("mur.png", b"#!/bin/sh\necho not a photo\n", content_type="image/png")
    refused = client.post(url, {"action": "photo", "item": str(item.public_id), "photo": fake})
    assert refused.status_code == 400
    assert "photo" in refused.content.decode().lower()
    assert item.photos.count() == 1
    with pytest.raises(InvalidInput) as too_big:
        big = png()
        big.size = 9 * 1024 * 1024
        insp.inspection_photo_add(actor=manager, item=item, image=big)
    assert too_big.value.field == "photo"


def test_meters_and_keys(client, lease, manager):
    inspection = move_in(manager, lease)
    client.force_login(manager)
    url = reverse("manager:estate-inspection", args=[inspection.public_id])
    assert (
        client.post(
            url, {"action": "meter", "kind": "electricity", "index": "12 345", "photo": png("c.png")}
        ).status_code
        == 302
    )
    assert client.post(url, {"action": "meter", "kind": "water", "index": "88"}).status_code == 302
    meters = {m.kind: m for m in inspection.meters.all()}
    assert meters["electricity"].index == 12345 and meters["electricity"].photo
    assert meters["water"].index == 88
    response = client.post(
        url,
        {
            "action": "keys",
            "key_rows": "3",
            "key-0-kind": "Porte d'entrée",
            "key-0-count": "2",
            "key-1-kind": "Portail",
            "key-1-count": "1",
            "key-2-kind": "",
            "key-2-count": "",
        },
    )
    assert response.status_code == 302
    assert [(k.kind, k.count) for k in inspection.keys.all()] == [("Porte d'entrée", 2), ("Portail", 1)]


# --- signatures by SMS code ----------------------------------------------------------------------


def test_both_sign_by_code_a_wrong_code_is_refused_then_it_is_locked_and_the_pdf_stored(
    sms, lease, manager, tenant
):
    inspection = move_in(manager, lease)
    challenge = insp.inspection_sign_start(actor=tenant, inspection=inspection)
    with pytest.raises(identity.OtpInvalid):
        insp.inspection_sign(
            actor=tenant,
            inspection=inspection,
            challenge_id=challenge.challenge_id,
            code=wrong(sms, tenant.phone),
        )
    inspection.refresh_from_db()
    assert inspection.tenant_signed_at is None
    signed = insp.inspection_sign(  # the same challenge, the right code
        actor=tenant,
        inspection=inspection,
        challenge_id=challenge.challenge_id,
        code=sms.last_code(tenant.phone),
    )
    assert (signed.tenant_signed_name, signed.tenant_signed_at) == ("Brice Zinsou", NOW)
    assert not signed.is_signed and signed.locked_at is None
    # once a side signed, nothing changes any more
    with pytest.raises(InvalidState):
        insp.inspection_room_add(actor=manager, inspection=signed, name="Cave")
    with pytest.raises(InvalidState):
        insp.inspection_photo_add(actor=manager, item=signed.items.first(), image=png())
    with pytest.raises(InvalidState):
        sign(sms, tenant, signed)  # a side signs once
    signed = sign(sms, manager, signed)
    stored = Inspection.objects.get(pk=inspection.pk)
    assert stored.is_signed and stored.locked_at == NOW
    first = documents.inspection_document(stored)  # locked: generated once and stored
    stored.refresh_from_db()
    assert stored.document.name.endswith(".pdf") and documents.inspection_document(stored) == first
    text = pdf_text(stored.document.read())
    assert "Brice Zinsou" in text and "signé par code SMS" in text
    room = stored.rooms.first()
    with pytest.raises(InvalidState):
        insp.inspection_room_update(
            actor=manager, room=room, items={str(room.items.first().public_id): {"condition": "broken"}}
        )
    with pytest.raises(InvalidState):
        insp.inspection_keys_set(actor=manager, inspection=stored, keys=[])


def test_strangers_cannot_sign(sms, lease, manager, other_manager, viewer):
    inspection = move_in(manager, lease)
    for actor in (other_manager, UserFactory(), viewer):
        with pytest.raises(NotFound):
            insp.inspection_sign_start(actor=actor, inspection=inspection)
    assert not sms.messages


def test_the_tenant_reads_and_signs_on_the_tenant_space(sms, client, lease, manager, tenant):
    inspection = move_in(manager, lease)
    client.force_login(tenant)
    url = reverse("estate:tenant-inspection", args=[inspection.public_id])
    page = client.get(url).content.decode()
    assert "Robinetterie" in page and "mauvais état" in page and "Fuite légère" in page
    assert 'name="c-' not in page  # read-only for the tenant
    asked = client.post(url, {"action": "sign"})
    assert asked.status_code == 200 and "confirm_step" in asked.content.decode()
    sent = client.post(url, {"action": "sign", "confirm_step": "confirm"})
    assert sent.status_code == 200 and sms.last_code(tenant.phone)
    bad = client.post(url, {"action": "sign", "confirm_step": "code", "code": wrong(sms, tenant.phone)})
    assert bad.status_code == 200
    inspection.refresh_from_db()
    assert inspection.tenant_signed_at is None
    done = client.post(url, {"action": "sign", "confirm_step": "code", "code": sms.last_code(tenant.phone)})
    assert done.status_code == 302
    inspection.refresh_from_db()
    assert inspection.tenant_signed_at == NOW and inspection.manager_signed_at is None
    assert "sign-submit" not in client.get(url).content.decode()


def test_the_pdf_lists_rooms_states_meters_and_keys_in_french(lease, manager):
    inspection = move_in(manager, lease)
    insp.inspection_meter_set(actor=manager, inspection=inspection, kind="electricity", index=4521)
    insp.inspection_photo_add(actor=manager, item=inspection.items.get(element="Murs"), image=png())
    content = documents.inspection_pdf(inspection)
    assert len(PdfReader(io.BytesIO(content)).pages[0].images) == 1  # the item's photo is printed
    text = pdf_text(content)
    for expected in (
        "État des lieux",
        "entrée",
        "Résidence Fidjrossè",
        lease.reference,
        "Séjour",
        "Robinetterie",
        "Fuite légère",
        "bon état",
        "état d'usage",
        "neuf",
        "mauvais état",
        "4521",
        "SBEE",
        "Porte d'entrée",
        "Le locataire",
    ):
        assert expected in text, expected


# --- move-out: comparison and deposit ----------------------------------------------------------------


def test_the_move_out_compares_item_by_item_and_its_deductions_settle_the_deposit(
    sms, client, lease, manager, tenant, time_machine
):
    entry = move_in(manager, lease)
    sign(sms, tenant, entry)
    sign(sms, manager, entry)
    services.deposit_record_offline(actor=manager, lease=lease, amount=150_000)
    services.payment_record(actor=manager, lease=lease, amount=240_000, method="bank_transfer")
    services.lease_end(actor=manager, lease=lease, end_date=date(2026, 3, 31))
    exit_ = services.inspection_create(
        actor=manager, lease=lease, kind="move_out", inspected_on=date(2026, 3, 31)
    )
    assert exit_.move_in_id == entry.pk
    assert [(i.room.name, i.element, i.condition) for i in exit_.items.all()] == [
        (i.room.name, i.element, i.condition) for i in entry.items.all()
    ]
    murs = exit_.items.get(element="Murs")
    sol = exit_.items.get(element="Sol")
    client.force_login(manager)
    url = reverse("manager:estate-inspection", args=[exit_.public_id])
    response = client.post(
        url,
        {
            "action": "room",
            "room": str(murs.room.public_id),
            f"c-{murs.public_id}": "broken",
            f"m-{murs.public_id}": "Trous au mur",
            f"d-{murs.public_id}": "25 000",
            f"c-{sol.public_id}": "worn",  # unchanged: no deduction possible
            f"d-{sol.public_id}": "",
        },
    )
    assert response.status_code == 302
    # a deduction on an item that did not get worse is refused
    with pytest.raises(InvalidInput):
        insp.inspection_room_update(
            actor=manager, room=sol.room, items={str(sol.public_id): {"deduction": 5_000}}
        )
    rows = insp.inspection_comparison(exit_)
    assert [(r["element"], r["before"], r["after"], r["worse"]) for r in rows if r["worse"]] == [
        ("Murs", "bon état", "hors service", True)
    ]
    page = client.get(url).content.decode()
    assert "Trous au mur" in page and "25\u202f000\xa0FCFA" in page
    assert insp.inspection_deductions(exit_) == [
        {"label": "Séjour : Murs (bon état → hors service)", "amount": 25_000, "kind": "damage"}
    ]
    with pytest.raises(InvalidState):  # not signed yet
        insp.inspection_settle_deposit(actor=manager, inspection=exit_)
    time_machine.shift(600)  # past the SMS cooldown of the move-in's codes
    sign(sms, tenant, exit_)
    sign(sms, manager, exit_)
    exit_.refresh_from_db()
    settlement = insp.inspection_settle_deposit(actor=manager, inspection=exit_)
    assert (settlement.held, settlement.deducted, settlement.refund) == (150_000, 25_000, 125_000)
    assert DepositSettlement.objects.get(lease=lease).deductions == insp.inspection_deductions(exit_)
    debits = Posting.objects.filter(is_debit=True).aggregate(s=Sum("amount"))["s"]
    credits = Posting.objects.filter(is_debit=False).aggregate(s=Sum("amount"))["s"]
    assert debits == credits and debits > 0


# --- isolation ---------------------------------------------------------------------------------------


def test_another_agency_gets_a_404_on_every_inspection_page(sms, client, lease, manager, other_manager):
    inspection = move_in(manager, lease)
    url = reverse("manager:estate-inspection", args=[inspection.public_id])
    client.force_login(other_manager)
    assert client.get(url).status_code == 404
    assert client.get(url, {"pdf": "1"}).status_code == 404
    room = inspection.rooms.first()
    assert client.post(url, {"action": "room_remove", "room": str(room.public_id)}).status_code == 404
    assert client.post(url, {"action": "sign", "confirm_step": "confirm"}).status_code == 404
    assert client.get(reverse("estate:tenant-inspection", args=[inspection.public_id])).status_code == 404
    assert InspectionRoom.objects.filter(pk=room.pk).exists() and not sms.messages
    for actor in (other_manager, UserFactory()):
        with pytest.raises(NotFound):
            selectors.inspection_get(actor, inspection.public_id)


def test_the_agent_signs_last_on_the_page_and_the_pdf_is_stored_then_the_page_is_read_only(
    sms, client, lease, manager, tenant
):
    inspection = move_in(manager, lease)
    sign(sms, tenant, inspection)
    client.force_login(manager)
    url = reverse("manager:estate-inspection", args=[inspection.public_id])
    asked = client.post(url, {"action": "sign"})
    question = html.unescape(asked.content.decode())
    assert (
        asked.status_code == 200
        and "Signer l'état des lieux (entrée) de Résidence Fidjrossè, B2 ?" in question
    )
    assert client.post(url, {"action": "sign", "confirm_step": "confirm"}).status_code == 200
    done = client.post(url, {"action": "sign", "confirm_step": "code", "code": sms.last_code(manager.phone)})
    assert done.status_code == 302
    inspection.refresh_from_db()
    assert inspection.locked_at == NOW and inspection.document.name.endswith(".pdf")
    page = client.get(url).content.decode()
    assert 'name="c-' not in page and 'data-testid="sign"' not in page
    pdf = client.get(url, {"pdf": "1"})
    assert pdf.status_code == 200 and "signé par code SMS" in pdf_text(pdf.content)
    room = inspection.rooms.first()
    refused = client.post(url, {"action": "room_add", "name": "Cave"})
    assert refused.status_code == 400 and "ne peut plus être modifié" in html.unescape(
        refused.content.decode()
    )
    assert inspection.rooms.count() == 3 and room.items.exists()


def test_the_move_out_page_settles_the_deposit_with_its_deductions_after_a_confirmation(
    sms, client, lease, manager, tenant
):
    entry = move_in(manager, lease)
    services.deposit_record_offline(actor=manager, lease=lease, amount=150_000)
    services.payment_record(actor=manager, lease=lease, amount=240_000, method="bank_transfer")
    services.lease_end(actor=manager, lease=lease, end_date=date(2026, 3, 31))
    exit_ = services.inspection_create(
        actor=manager, lease=lease, kind="move_out", inspected_on=date(2026, 3, 31)
    )
    sol = exit_.items.get(element="Sol")
    insp.inspection_room_update(
        actor=manager, room=sol.room, items={str(sol.public_id): {"condition": "broken", "deduction": 40_000}}
    )
    client.force_login(manager)
    url = reverse("manager:estate-inspection", args=[exit_.public_id])
    assert 'data-testid="settle"' not in client.get(url).content.decode()  # not signed yet
    sign(sms, tenant, exit_)
    sign(sms, manager, exit_)
    assert entry.pk == exit_.move_in_id
    page = client.get(url).content.decode()
    assert 'data-testid="settle"' in page
    asked = html.unescape(client.post(url, {"action": "settle"}).content.decode())
    assert "Rembourser 110\u202f000\xa0FCFA à Brice Zinsou ?" in asked
    assert "Séjour : Sol (état d'usage → hors service)" in asked
    assert not DepositSettlement.objects.filter(lease=lease).exists()  # asking does nothing
    done = client.post(url, {"action": "settle", "confirm_step": "confirm"})
    assert done.status_code == 302
    settlement = DepositSettlement.objects.get(lease=lease)
    assert (settlement.deducted, settlement.refund) == (40_000, 110_000)
    assert 'data-testid="settlement"' in client.get(url).content.decode()
    debits = Posting.objects.filter(is_debit=True).aggregate(s=Sum("amount"))["s"]
    credits = Posting.objects.filter(is_debit=False).aggregate(s=Sum("amount"))["s"]
    assert debits == credits

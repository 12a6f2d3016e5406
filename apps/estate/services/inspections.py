"""Inspections (états des lieux) as people do them: rooms proposed from the unit's kind,
items per room with a state in French and photos, meter readings (SBEE, SONEB) and keys
handed over. The tenant and the agent each sign with a code sent by SMS (identity's
step-up OTP); signed by both, the inspection is locked and its PDF is stored. A move-out
is drawn from the move-in (same rooms and items), compares item by item and proposes,
for each item that got worse, a deduction typed by the agent, which the existing deposit
settlement (services.leases.deposit_settle) uses."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.errors import NotFound
from apps.identity import api as identity

from ..contracts import UnitKind
from ..errors import InvalidInput, InvalidState, NegativeAmount
from ..models import (
    Inspection,
    InspectionItem,
    InspectionKey,
    InspectionMeter,
    InspectionPhoto,
    InspectionRoom,
    Lease,
)
from .common import require

SIGN_ACTION = "estate.inspection.sign"
MAX_PHOTO_BYTES = 8 * 1024 * 1024
PHOTO_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
# worse = a higher rank; a move-out item ranked above its move-in item "got worse"
RANK = {"new": 0, "good": 1, "worn": 2, "poor": 3, "broken": 4}
# the English states of the old checklist (« good, fair, poor, damaged, missing ») still read
LEGACY_CONDITIONS = {"fair": "worn", "damaged": "broken", "missing": "broken"}

# Rooms and items are proposed in French: they are the words written on the paper.
ITEMS = {
    "default": ["Murs", "Sol", "Plafond", "Portes", "Fenêtres", "Prises et interrupteurs", "Éclairage"],
    "wet": [
        "Murs",
        "Sol",
        "Plafond",
        "Porte",
        "Plomberie",
        "Robinetterie",
        "Évacuation",
        "Prises et interrupteurs",
    ],
    "kitchen": ["Murs", "Sol", "Plafond", "Évier", "Plomberie", "Plan de travail", "Prises et interrupteurs"],
    "shop": [
        "Murs",
        "Sol",
        "Plafond",
        "Rideau métallique",
        "Vitrine",
        "Prises et interrupteurs",
        "Éclairage",
    ],
}
WET = ("salle", "douche", "wc", "toilettes")
DEFAULT_KEYS = ["Porte d'entrée"]


def _items_for(room: str, unit_kind: str) -> list[str]:
    name = room.casefold()
    if "cuisine" in name:
        return ITEMS["kitchen"]
    if any(w in name for w in WET):
        return ITEMS["wet"]
    if unit_kind in (UnitKind.SHOP, UnitKind.OFFICE):
        return ITEMS["shop"] if unit_kind == UnitKind.SHOP else ITEMS["default"]
    return ITEMS["default"]


def rooms_for_unit(kind: str, rooms: int = 1) -> list[str]:
    """The rooms a unit of this kind usually has (the agent edits them afterwards)."""
    rooms = max(1, min(int(rooms or 1), 10))
    if kind == UnitKind.ENTRER_COUCHER:
        return ["Pièce principale", "Douche"]
    if kind == UnitKind.ROOM_LIVING:
        return ["Salon", "Chambre", "Douche"]
    if kind == UnitKind.STUDIO:
        return ["Pièce principale", "Coin cuisine", "Salle d'eau"]
    if kind in (UnitKind.APARTMENT, UnitKind.VILLA):
        bedrooms = max(1, rooms - 1)
        names = ["Séjour"] + [f"Chambre {n}" for n in range(1, bedrooms + 1)]
        names += ["Cuisine", "Salle de bain", "WC"]
        if kind == UnitKind.VILLA:
            names += ["Cour", "Garage"]
        return names
    if kind == UnitKind.SHOP:
        return ["Espace de vente", "Réserve", "Toilettes"]
    if kind == UnitKind.OFFICE:
        return ["Bureau", "Accueil", "Toilettes"]
    return ["Pièce principale"]


def proposed_checklist(unit) -> list[dict]:
    return [
        {"room": room, "element": element, "condition": "good"}
        for room in rooms_for_unit(unit.kind, unit.rooms)
        for element in _items_for(room, unit.kind)
    ]


def _editable(inspection: Inspection) -> Inspection:
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if not inspection.is_editable:
        raise InvalidState(_("This inspection is signed: it can no longer be changed."))
    return inspection


def _write_items(inspection: Inspection, items: list[dict]) -> None:
    rooms: dict[str, InspectionRoom] = {}
    rows = []
    for index, item in enumerate(items):
        room, element = str(item.get("room") or "").strip(), str(item.get("element") or "").strip()
        condition = LEGACY_CONDITIONS.get(item.get("condition"), item.get("condition"))
        if not room or not element:
            raise InvalidInput(_("Each line names a room and an element."), field=f"items.{index}.room")
        if condition not in InspectionItem.Condition.values:
            raise InvalidInput(_("Unknown condition."), field=f"items.{index}.condition")
        key = room[:60].casefold()
        if key not in rooms:
            rooms[key] = InspectionRoom.objects.create(
                inspection=inspection, name=room[:60], position=len(rooms)
            )
        rows.append(
            InspectionItem(
                inspection=inspection,
                room=rooms[key],
                element=element[:80],
                condition=condition,
                comment=str(item.get("comment") or "")[:300],
                position=index,
                move_in_item_id=item.get("move_in_item_id"),
            )
        )
    InspectionItem.objects.bulk_create(rows)


@transaction.atomic
def inspection_create(
    *, actor, lease: Lease, kind: str, inspected_on: date, items: list[dict] | None = None, notes: str = ""
) -> Inspection:
    """An état des lieux. Without `items`, a move-in gets the rooms and items of the unit's
    kind and a move-out those of the move-in (same rooms, same items, the move-in state as a
    starting point); `items` ({room, element, condition, comment}) lists them explicitly."""
    require(actor, "estate.portfolio.manage", lease)
    if kind not in Inspection.Kind.values:
        raise InvalidInput(_("Unknown inspection kind."), field="kind")
    if Inspection.objects.filter(lease=lease, kind=kind).exists():
        raise InvalidState(_("This lease already has this inspection."), field="kind")
    if items is not None and not items:
        raise InvalidInput(_("List at least one room element."), field="items")
    unit = lease.unit
    source = None
    if kind == Inspection.Kind.MOVE_OUT:
        source = Inspection.objects.filter(lease=lease, kind=Inspection.Kind.MOVE_IN).first()
    inspection = Inspection.objects.create(
        organization_id=lease.organization_id,
        lease=lease,
        kind=kind,
        inspected_on=inspected_on,
        notes=(notes or "")[:4000],
        move_in=source,
    )
    if items is None:
        if source is not None:
            items = [
                {
                    "room": it.room.name,
                    "element": it.element,
                    "condition": it.condition,
                    "move_in_item_id": it.pk,
                }
                for it in source.items.select_related("room")
            ]
        else:
            items = proposed_checklist(unit)
    elif source is not None:  # explicit lines: pair them with the move-in's by room and element
        before = {
            (it.room.name.casefold(), it.element.casefold()): it.pk
            for it in source.items.select_related("room")
        }
        items = [
            {
                **it,
                "move_in_item_id": before.get(
                    (
                        str(it.get("room") or "").strip().casefold(),
                        str(it.get("element") or "").strip().casefold(),
                    )
                ),
            }
            for it in items
        ]
    _write_items(inspection, items)
    InspectionMeter.objects.bulk_create(
        [
            InspectionMeter(inspection=inspection, kind="electricity", number=unit.electricity_meter),
            InspectionMeter(inspection=inspection, kind="water", number=unit.water_meter),
        ]
    )
    keys = source.keys.all() if source is not None else [InspectionKey(kind=k, count=2) for k in DEFAULT_KEYS]
    InspectionKey.objects.bulk_create(
        [InspectionKey(inspection=inspection, kind=k.kind, count=k.count) for k in keys]
    )
    return inspection


@transaction.atomic
def inspection_room_add(
    *, actor, inspection: Inspection, name: str, elements: list[str] | None = None
) -> InspectionRoom:
    require(actor, "estate.portfolio.manage", inspection)
    inspection = _editable(inspection)
    name = (name or "").strip()[:60]
    if not name:
        raise InvalidInput(_("Name the room."), field="name")
    last = inspection.rooms.order_by("-position").first()
    room = InspectionRoom.objects.create(
        inspection=inspection, name=name, position=(last.position + 1) if last else 0
    )
    for index, element in enumerate(
        elements if elements is not None else _items_for(name, inspection.lease.unit.kind)
    ):
        InspectionItem.objects.create(
            inspection=inspection, room=room, element=element[:80], condition="good", position=index
        )
    return room


@transaction.atomic
def inspection_room_remove(*, actor, room: InspectionRoom) -> None:
    require(actor, "estate.portfolio.manage", room.inspection)
    _editable(room.inspection)
    room.delete()


@transaction.atomic
def inspection_item_add(*, actor, room: InspectionRoom, element: str) -> InspectionItem:
    require(actor, "estate.portfolio.manage", room.inspection)
    inspection = _editable(room.inspection)
    element = (element or "").strip()[:80]
    if not element:
        raise InvalidInput(_("Name the element."), field="element")
    last = room.items.order_by("-position").first()
    return InspectionItem.objects.create(
        inspection=inspection,
        room=room,
        element=element,
        condition="good",
        position=(last.position + 1) if last else 0,
    )


@transaction.atomic
def inspection_room_update(
    *, actor, room: InspectionRoom, name: str | None = None, items: dict
) -> InspectionRoom:
    """One room as filled on the phone: per item (by public id) its condition, comment and,
    on a move-out, the deduction for an item that got worse (in the lease's currency)."""
    require(actor, "estate.portfolio.manage", room.inspection)
    inspection = _editable(room.inspection)
    if name is not None:
        name = name.strip()[:60]
        if not name:
            raise InvalidInput(_("Name the room."), field="name")
        room.name = name
        room.save(update_fields=["name", "updated_at"])
    by_id = {str(it.public_id): it for it in room.items.select_related("move_in_item")}
    for key, values in (items or {}).items():
        item = by_id.get(str(key))
        if item is None:
            raise NotFound()
        condition = values.get("condition", item.condition)
        if condition not in InspectionItem.Condition.values:
            raise InvalidInput(_("Unknown condition."), field=f"items.{key}.condition")
        item.condition = condition
        item.comment = str(values.get("comment", item.comment) or "")[:300]
        deduction = values.get("deduction", item.deduction) or 0
        if isinstance(deduction, bool) or not isinstance(deduction, int) or deduction < 0:
            raise NegativeAmount(field=f"items.{key}.deduction")
        if deduction and not (inspection.kind == Inspection.Kind.MOVE_OUT and got_worse(item)):
            raise InvalidInput(
                _("A deduction is only for an item in a worse state than at move-in."),
                field=f"items.{key}.deduction",
            )
        item.deduction = deduction
        item.save(update_fields=["condition", "comment", "deduction", "updated_at"])
    return room


def _check_image(image) -> None:
    from PIL import Image, UnidentifiedImageError

    if image is None:
        raise InvalidInput(_("Choose a photo."), field="photo")
    if image.size is not None and image.size > MAX_PHOTO_BYTES:
        raise InvalidInput(_("Each photo is at most 8 MB."), field="photo")
    try:
        image.seek(0)
        with Image.open(image) as img:
            fmt = img.format
            img.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise InvalidInput(_("This file is not a photo (JPEG, PNG or WebP)."), field="photo") from None
    if fmt not in PHOTO_TYPES:
        raise InvalidInput(_("This file is not a photo (JPEG, PNG or WebP)."), field="photo")
    image.seek(0)


@transaction.atomic
def inspection_photo_add(*, actor, item: InspectionItem, image) -> InspectionPhoto:
    require(actor, "estate.portfolio.manage", item.inspection)
    _editable(item.inspection)
    _check_image(image)
    if item.photos.count() >= 6:
        raise InvalidInput(_("At most %(n)s photos.") % {"n": 6}, field="photo")
    return InspectionPhoto.objects.create(item=item, image=image)


@transaction.atomic
def inspection_meter_set(
    *, actor, inspection: Inspection, kind: str, index: int | None, photo=None
) -> InspectionMeter:
    require(actor, "estate.portfolio.manage", inspection)
    inspection = _editable(inspection)
    if kind not in InspectionMeter.Kind.values:
        raise InvalidInput(_("Unknown meter."), field="kind")
    if index is not None and (isinstance(index, bool) or not isinstance(index, int) or index < 0):
        raise InvalidInput(_("The index is a whole number read on the meter."), field="index")
    meter, _created = InspectionMeter.objects.get_or_create(inspection=inspection, kind=kind)
    meter.index = index
    if photo:
        _check_image(photo)
        meter.photo = photo
    meter.save()
    return meter


@transaction.atomic
def inspection_keys_set(*, actor, inspection: Inspection, keys: list[dict]) -> list[InspectionKey]:
    """The keys handed over ({kind, count}); lines without a kind or with 0 are dropped."""
    require(actor, "estate.portfolio.manage", inspection)
    inspection = _editable(inspection)
    rows = []
    for index, key in enumerate(keys or []):
        kind = str(key.get("kind") or "").strip()[:60]
        count = key.get("count") or 0
        if isinstance(count, bool) or not isinstance(count, int) or count < 0 or count > 99:
            raise InvalidInput(_("Count the keys (0 to 99)."), field=f"keys.{index}.count")
        if kind and count:
            rows.append(InspectionKey(inspection=inspection, kind=kind, count=count))
    inspection.keys.all().delete()
    return InspectionKey.objects.bulk_create(rows)


# --- signatures ----------------------------------------------------------------------------------


def _side(actor, inspection: Inspection) -> str:
    if identity.can(actor, "estate.tenant.view", inspection.lease):
        return "tenant"
    if identity.can(actor, "estate.portfolio.manage", inspection):
        return "manager"
    raise NotFound()


def inspection_sign_start(*, actor, inspection: Inspection):
    """Send the signer a code by SMS for this inspection (identity's step-up challenge)."""
    side = _side(actor, inspection)
    if getattr(inspection, f"{side}_signed_at"):
        raise InvalidState(_("Already signed."))
    return identity.step_up_start(actor=actor, action=SIGN_ACTION, target=str(inspection.public_id))


def inspection_sign(
    *, actor, inspection: Inspection, challenge_id: str = "", code: str = "", name: str = ""
) -> Inspection:
    """The tenant signs as the tenant, an agent as the agency, each with the code of
    `inspection_sign_start`. Signed by both, it is locked (its PDF is then stored by
    documents.inspection_document, which the pages call right after signing)."""
    side = _side(actor, inspection)
    proof = identity.step_up_verify(actor=actor, challenge_id=challenge_id, code=(code or "").strip())
    with transaction.atomic():
        inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
        identity.require_step_up(
            actor=actor, action=SIGN_ACTION, target=str(inspection.public_id), token=proof.token
        )
        if getattr(inspection, f"{side}_signed_at"):
            raise InvalidState(_("Already signed."))
        name = ((name or "").strip() or actor.full_name or str(actor.phone or ""))[:150]
        now = timezone.now()
        setattr(inspection, f"{side}_signed_name", name)
        setattr(inspection, f"{side}_signed_at", now)
        if inspection.tenant_signed_at and inspection.manager_signed_at:
            inspection.locked_at = now
        inspection.save()
    return inspection


# --- move-out: comparison and deductions -----------------------------------------------------------


def got_worse(item: InspectionItem) -> bool:
    before = item.move_in_item
    return before is not None and RANK.get(item.condition, 0) > RANK.get(before.condition, 0)


def inspection_comparison(inspection: Inspection) -> list[dict]:
    """A move-out, item by item against the move-in: {item, room, element, before, after,
    worse, deduction}."""
    rows = []
    for item in inspection.items.select_related("room", "move_in_item"):
        before = item.move_in_item
        rows.append(
            {
                "item": item,
                "room": item.room.name,
                "element": item.element,
                "before": before.get_condition_display() if before else None,
                "after": item.get_condition_display(),
                "worse": got_worse(item),
                "deduction": item.deduction,
            }
        )
    return rows


def inspection_deductions(inspection: Inspection) -> list[dict]:
    """The deductions the move-out proposes, in the shape deposit_settle takes."""
    return [
        {
            "label": f"{row['room']} : {row['element']} ({row['before']} → {row['after']})"[:200],
            "amount": row["deduction"],
            "kind": "damage",
        }
        for row in inspection_comparison(inspection)
        if row["worse"] and row["deduction"] > 0
    ]


def inspection_settle_deposit(*, actor, inspection: Inspection, step_up_token: str | None = None):
    """Settle the lease's deposit with the move-out's deductions (the existing settlement)."""
    from .leases import deposit_settle

    require(actor, "estate.finance.manage", inspection)
    if inspection.kind != Inspection.Kind.MOVE_OUT:
        raise InvalidState(_("Only a move-out inspection proposes deductions."))
    if not inspection.is_signed:
        raise InvalidState(_("Both sides sign the move-out inspection before the deposit is settled."))
    return deposit_settle(
        actor=actor,
        lease=inspection.lease,
        deductions=inspection_deductions(inspection),
        step_up_token=step_up_token,
    )

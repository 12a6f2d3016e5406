"""The état des lieux pages of the agency: drawn up on a phone room by room (one
`<details>` per room), photos per item, meters and keys, signed by SMS code; a move-out
compares with the move-in and carries the deductions from the deposit."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.core.errors import DomainError, NotFound
from apps.core.money import format_amount
from apps.core.web.confirm import Confirmation, confirm_flow
from apps.identity import api as identity

from ... import documents, selectors, services
from ...contracts import LeaseStatus
from ...models import DepositSettlement, Inspection, InspectionItem
from ...services import inspections as svc
from .. import forms as f
from .common import _error, _lang, _pdf, page


def _int(value, field: str):
    value = (value or "").replace(" ", "").replace("\u202f", "").replace("\xa0", "").strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        from ...errors import InvalidInput

        raise InvalidInput(_("Type a whole number."), field=field) from None


@page
@require_http_methods(["GET", "POST"])
def inspection_new(request, lease_id):
    lease = selectors.lease_get(request.user, lease_id)
    has_move_in = lease.inspections.filter(kind="move_in").exists()
    form = f.InspectionForm(request.POST or None, initial={"kind": "move_out" if has_move_in else "move_in"})
    if request.method == "POST" and form.is_valid():
        try:
            inspection = services.inspection_create(
                actor=request.user,
                lease=lease,
                kind=form.cleaned_data["kind"],
                inspected_on=form.cleaned_data["inspected_on"],
                notes=form.cleaned_data["notes"],
            )
            messages.success(request, _("Inspection started: fill it room by room, then both sides sign."))
            return redirect("manager:estate-inspection", inspection.public_id)
        except DomainError as exc:
            _error(form, exc)
    return render(
        request,
        "estate/form.html",
        {"form": form, "title": _("Inspection of %(ref)s") % {"ref": lease.reference}},
    )


def _post(request, inspection: Inspection) -> str:
    """One edit of the page; returns the anchor to come back to."""
    action = request.POST.get("action", "")
    user = request.user
    if action == "room":
        room = inspection.rooms.filter(public_id=request.POST.get("room")).first()
        if room is None:
            raise NotFound()
        items = {}
        for item in room.items.all():
            key = str(item.public_id)
            if f"c-{key}" not in request.POST:
                continue
            values = {"condition": request.POST.get(f"c-{key}"), "comment": request.POST.get(f"m-{key}", "")}
            if f"d-{key}" in request.POST:
                values["deduction"] = _int(request.POST.get(f"d-{key}"), f"items.{key}.deduction") or 0
            items[key] = values
        svc.inspection_room_update(actor=user, room=room, name=request.POST.get("name"), items=items)
        messages.success(request, _("Room saved."))
        return f"room-{room.public_id}"
    if action == "photo":
        item = InspectionItem.objects.filter(
            inspection=inspection, public_id=request.POST.get("item")
        ).first()
        if item is None:
            raise NotFound()
        svc.inspection_photo_add(actor=user, item=item, image=request.FILES.get("photo"))
        messages.success(request, _("Photo added."))
        return f"room-{item.room.public_id}"
    if action == "item_add":
        room = inspection.rooms.filter(public_id=request.POST.get("room")).first()
        if room is None:
            raise NotFound()
        svc.inspection_item_add(actor=user, room=room, element=request.POST.get("element", ""))
        return f"room-{room.public_id}"
    if action == "room_add":
        room = svc.inspection_room_add(actor=user, inspection=inspection, name=request.POST.get("name", ""))
        return f"room-{room.public_id}"
    if action == "room_remove":
        room = inspection.rooms.filter(public_id=request.POST.get("room")).first()
        if room is None:
            raise NotFound()
        svc.inspection_room_remove(actor=user, room=room)
        return "rooms"
    if action == "meter":
        svc.inspection_meter_set(
            actor=user,
            inspection=inspection,
            kind=request.POST.get("kind", ""),
            index=_int(request.POST.get("index"), "index"),
            photo=request.FILES.get("photo"),
        )
        messages.success(request, _("Meter reading saved."))
        return "meters"
    if action == "keys":
        keys = []
        for n in range(int(request.POST.get("key_rows", "0") or 0)):
            keys.append(
                {
                    "kind": request.POST.get(f"key-{n}-kind", ""),
                    "count": _int(request.POST.get(f"key-{n}-count"), f"keys.{n}.count") or 0,
                }
            )
        svc.inspection_keys_set(actor=user, inspection=inspection, keys=keys)
        messages.success(request, _("Keys saved."))
        return "keys"
    raise NotFound()


def _context(inspection: Inspection, open_: str = "") -> dict:
    rooms = list(inspection.rooms.prefetch_related("items__photos", "items__move_in_item"))
    for index, room in enumerate(rooms):
        anchor = f"room-{room.public_id}"
        room.is_open = open_ == anchor or (not open_ and index == 0 and inspection.is_editable)
    meters = list(inspection.meters.all())
    keys = list(inspection.keys.all())
    total = sum(i.deduction for r in rooms for i in r.items.all())
    return {
        "inspection": inspection,
        "rooms": rooms,
        "meters": meters,
        "keys": keys,
        "key_rows": keys + [None, None],
        "conditions": InspectionItem.Condition.choices,
        "is_move_out": inspection.kind == Inspection.Kind.MOVE_OUT,
        "worse": [row for row in svc.inspection_comparison(inspection) if row["worse"]]
        if inspection.kind == Inspection.Kind.MOVE_OUT
        else [],
        "deductions_total": format_amount(total, inspection.lease.currency) if total else "",
    }


@page
@require_http_methods(["GET", "POST"])
def inspection_detail(request, inspection_id):
    inspection = selectors.inspection_get(request.user, inspection_id)
    if request.GET.get("pdf"):
        return _pdf(
            documents.inspection_document(inspection, language=_lang(request)),
            f"etat-des-lieux-{inspection.lease.reference}.pdf",
        )
    error = ""
    if request.method == "POST":
        if request.POST.get("action") == "sign":
            return inspection_sign_page(
                request, inspection, back=reverse("manager:estate-inspection", args=[inspection_id])
            )
        if request.POST.get("action") == "settle":
            return _settle_page(request, inspection)
        try:
            anchor = _post(request, inspection)
            return redirect(
                reverse("manager:estate-inspection", args=[inspection_id]) + f"?open={anchor}#{anchor}"
            )
        except DomainError as exc:
            if isinstance(exc, NotFound):
                raise
            error = str(exc.message)
    context = _context(
        inspection, request.POST.get("room") and f"room-{request.POST['room']}" or request.GET.get("open", "")
    )
    context["error"] = error
    context["open"] = request.GET.get("open", "")
    context["can_sign"] = not inspection.manager_signed_at
    lease = inspection.lease
    context["can_settle"] = (
        inspection.kind == Inspection.Kind.MOVE_OUT
        and inspection.is_signed
        and lease.status == LeaseStatus.ENDED
        and not DepositSettlement.objects.filter(lease=lease).exists()
        and identity.can(request.user, "estate.finance.manage", lease)
    )
    context["settlement"] = DepositSettlement.objects.filter(lease=lease).first()
    return render(request, "estate/inspection.html", context, status=400 if error else 200)


def _settle_page(request, inspection: Inspection):
    """Settle the deposit with the move-out's deductions: a confirmation stating the refund;
    a deposit paid through Hokwe is refunded through payments, so the code by SMS is asked."""
    lease = inspection.lease
    deductions = svc.inspection_deductions(inspection)
    deducted = sum(d["amount"] for d in deductions)
    refund = max(lease.deposit_paid - deducted, 0)
    cur = lease.currency
    back = reverse("manager:estate-inspection", args=[inspection.public_id])
    tenants = ", ".join(t.user.full_name or str(t.user.phone) for t in lease.lease_tenants.all())
    confirmation = Confirmation(
        title=_("Settle the deposit"),
        question=_("Refund %(amount)s to %(tenant)s?")
        % {"amount": format_amount(refund, cur), "tenant": tenants},
        facts=[(_("Deposit held"), format_amount(lease.deposit_paid, cur))]
        + [(d["label"], "− " + format_amount(d["amount"], cur)) for d in deductions]
        + [(_("Refund"), format_amount(refund, cur))],
        warning=_("The settlement is final."),
        action_url=request.path,
        cancel_url=back,
        button=_("Settle the deposit"),
        hidden={"action": "settle"},
        step_up=bool(lease.deposit_intent and refund),
        strong=bool(lease.deposit_intent and refund)
        and identity.needs_strong_factor(request.user, action="payments.intent.refund", amount=refund),
        base_template="estate/_page.html",
    )

    def send_code():
        challenge = identity.step_up_start(
            actor=request.user,
            action="payments.intent.refund",
            target=str(lease.deposit_intent),
            amount=refund,
            currency=cur,
        )
        return challenge.challenge_id, challenge.phone_hint

    def perform(challenge, code):
        token = None
        if challenge:
            token = identity.step_up_verify(actor=request.user, challenge_id=challenge, code=code).token
        svc.inspection_settle_deposit(actor=request.user, inspection=inspection, step_up_token=token)
        messages.success(request, _("Deposit settled."))
        return redirect(back)

    return confirm_flow(
        request,
        confirmation,
        key=f"estate.inspection.settle:{inspection.public_id}",
        send_code=send_code,
        perform=perform,
    )


def inspection_sign_page(
    request, inspection: Inspection, *, back: str, base_template: str = "estate/_page.html", extra=None
):
    """Sign with a code received by SMS (the tenant's and the agent's pages)."""
    kind = inspection.get_kind_display()
    confirmation = Confirmation(
        title=_("Sign the inspection"),
        question=_("Sign the %(kind)s inspection of %(unit)s?")
        % {"kind": kind, "unit": f"{inspection.lease.unit.property.name}, {inspection.lease.unit.label}"},
        facts=[
            (_("Lease"), inspection.lease.reference),
            (_("Rooms"), str(inspection.rooms.count())),
            (_("Elements"), str(inspection.items.count())),
        ],
        warning=_("Your signature cannot be taken back: once both sides signed, the inspection is locked."),
        action_url=request.path,
        cancel_url=back,
        button=_("Send me a code by SMS"),
        hidden={"action": "sign"},
        step_up=True,
        base_template=base_template,
    )

    def send_code():
        challenge = svc.inspection_sign_start(actor=request.user, inspection=inspection)
        return challenge.challenge_id, challenge.phone_hint

    def perform(challenge, code):
        signed = svc.inspection_sign(
            actor=request.user, inspection=inspection, challenge_id=challenge, code=code
        )
        if signed.locked_at:  # signed by both: the PDF is generated and stored now
            documents.inspection_document(signed, language=_lang(request))
        messages.success(request, _("Signed."))
        return redirect(back)

    response = confirm_flow(
        request,
        confirmation,
        key=f"estate.inspection.sign:{inspection.public_id}",
        send_code=send_code,
        perform=perform,
    )
    return response


__all__ = ["inspection_detail", "inspection_new", "inspection_sign_page"]

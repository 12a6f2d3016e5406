"""The assistant's tools over market's visits, recovery's promises and plans and the wallet's
P2P (apps/ai/services/tools.py): book_visit lists a listing's open slots or books one for the
caller, idempotent per thread and slot; propose_promise makes the caller's promise on their
own open case; send_money and accept_recovery_plan only prepare, bound to the module's own
step-up. Another user's case or plan is never found; every refusal is a clear message."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from apps.ai.models import PreparedAction, ToolCall
from apps.ai.services.actions import step_up_binding
from apps.ai.services.assistant import thread_for
from apps.ai.services.tools import call_tool
from apps.market.models import VisitBooking
from apps.notifications.models import Message
from apps.recovery.models import PaymentPlan, Promise
from tests.ai import tool_world as w

pytestmark = pytest.mark.django_db


# --- book_visit ----------------------------------------------------------------------------------


def test_book_visit_without_a_slot_lists_the_next_open_slots_and_books_nothing():
    found = w.listings()
    slots = w.visit_slots(found.cheap, days=(3, 2, 4))
    result = call_tool(w.someone(), "book_visit", {"listing_id": str(found.cheap.public_id)})
    assert result.status == "ok" and result.facts["booked"] is False
    assert result.facts["listing"]["title"] == "Studio Gbégamey"
    listed = [s["slot_id"] for s in result.facts["slots"]]
    assert listed == [str(s.public_id) for s in sorted(slots, key=lambda s: s.starts_at)]
    assert not VisitBooking.objects.exists()
    assert ToolCall.objects.get(name="book_visit").refs == {"listing": str(found.cheap.public_id)}


def test_book_visit_of_the_listing_just_found_books_it_once_for_the_caller(
    django_capture_on_commit_callbacks,
):
    found = w.listings()
    w.visit_slots(found.dear, days=(2,))
    [slot] = w.visit_slots(found.cheap, days=(2,))
    seeker = w.someone(name="Awa Visiteuse")
    thread = thread_for(seeker, None)
    searched = call_tool(seeker, "search_listings", {"city": "Cotonou"}, thread=thread)
    assert [h["title"] for h in searched.facts["listings"]][:2] == ["Studio Gbégamey", "Villa Haie Vive"]
    day = timezone.localtime(slot.starts_at).date().isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        first = call_tool(seeker, "book_visit", {"choice": 1, "date": day}, thread=thread)
    assert first.facts["booked"] is True, first.facts
    assert str(seeker.phone) not in first.facts["sms_to"]
    # asked again: by the day (their own visit is said), by the slot (the same booking)
    with django_capture_on_commit_callbacks(execute=True):
        again = call_tool(seeker, "book_visit", {"date": day}, thread=thread)
        replay = call_tool(
            seeker,
            "book_visit",
            {"listing_id": str(found.cheap.public_id), "slot_id": str(slot.public_id)},
            thread=thread,
        )
    assert again.facts["already"] is True
    booking = VisitBooking.objects.get()
    assert (booking.slot_id, booking.seeker_id, booking.seeker_name) == (slot.pk, seeker.pk, "Awa Visiteuse")
    assert booking.seeker_phone == str(seeker.phone)
    assert booking.idempotency_key == f"ai:visit:{thread.public_id}:{slot.public_id}"
    for result in (first, again, replay):
        assert result.facts["visit"]["code"] == booking.code
    assert Message.objects.filter(template_key="market.visit_booked", channel="sms").count() == 1


def test_book_visit_refusals_are_clear():
    found = w.listings()
    [other_slot] = w.visit_slots(found.dear, days=(2,))
    w.visit_slots(found.cheap, days=(2,))
    seeker = w.someone()
    # no listing named and nothing found in the thread
    assert call_tool(seeker, "book_visit", {}).facts["refused"] == "ai_no_listing_chosen"
    refused = call_tool(seeker, "book_visit", {}, thread=thread_for(seeker, None)).facts
    assert refused["refused"] == "ai_no_listing_chosen" and refused["message"]
    # an unknown listing, another listing's slot
    unknown = call_tool(seeker, "book_visit", {"listing_id": "0b3c2f1e-1234-4567-89ab-0123456789ab"}).facts
    assert unknown["refused"] == "market_listing_not_found"
    wrong = call_tool(
        seeker, "book_visit", {"listing_id": str(found.cheap.public_id), "slot_id": str(other_slot.public_id)}
    ).facts
    assert wrong["refused"] == "market_slot_not_found"
    # a day without a slot: the next open slots instead, nothing booked
    empty_day = (timezone.localdate() + timedelta(days=9)).isoformat()
    result = call_tool(seeker, "book_visit", {"listing_id": str(found.cheap.public_id), "date": empty_day})
    assert result.facts["no_slot_on"] == empty_day and len(result.facts["slots"]) == 1
    assert not VisitBooking.objects.exists()


def test_a_slot_someone_else_booked_is_taken():
    found = w.listings()
    [slot] = w.visit_slots(found.cheap, days=(2,))
    args = {"listing_id": str(found.cheap.public_id), "slot_id": str(slot.public_id)}
    assert call_tool(w.someone(name="Premier Arrivé"), "book_visit", args).facts["booked"] is True
    taken = call_tool(w.someone(name="Second Venu"), "book_visit", args).facts
    assert taken["refused"] == "market_slot_taken"
    assert VisitBooking.objects.count() == 1


# --- propose_promise -----------------------------------------------------------------------------


def test_propose_promise_is_made_on_the_callers_own_case(estate_overdue_lease):
    world = estate_overdue_lease
    w.recovery_case(world, today=date.today())
    case = w.open_case(world.tenant)
    on = (date.today() + timedelta(days=10)).isoformat()
    result = call_tool(world.tenant, "propose_promise", {"amount": 50_000, "date": on})
    assert result.facts["promised"] is True
    promise = Promise.objects.get()
    assert (promise.case_id, promise.amount, promise.promised_on.isoformat()) == (case.pk, 50_000, on)
    assert (promise.channel, promise.made_by_id) == ("portal", world.tenant.pk)
    case.refresh_from_db()
    assert case.status == "promised"


def test_propose_promise_refusals(estate_overdue_lease):
    world = estate_overdue_lease
    w.recovery_case(world, today=date.today())
    owed = w.open_case(world.tenant).amount_owed
    today = date.today()

    def refused(args):
        return call_tool(world.tenant, "propose_promise", args).facts

    past = refused({"amount": 10_000, "date": (today - timedelta(days=1)).isoformat()})
    assert past["refused"] == "promise_in_past"
    far = refused({"amount": 10_000, "date": (today + timedelta(days=120)).isoformat()})
    assert far["refused"] == "invalid" and "90" in far["message"]
    too_much = refused({"amount": owed + 1, "date": (today + timedelta(days=5)).isoformat()})
    assert too_much["refused"] == "promise_amount_invalid"
    assert not Promise.objects.exists()
    # without a date: asked for, nothing written
    asked = call_tool(world.tenant, "propose_promise", {"amount": 10_000}).facts
    assert asked["missing"] == ["date"] and asked["owed"]["amount"] > 0
    # someone with no case (the tenant's neighbour): not found, the tenant's case untouched
    other = call_tool(w.someone(), "propose_promise", {"amount": 1_000, "date": today.isoformat()}).facts
    assert other["refused"] == "recovery_no_open_case"
    assert not Promise.objects.exists()


# --- send_money (prepared) -----------------------------------------------------------------------


def test_send_money_prepares_with_the_wallets_binding_and_expires_with_the_preview(settings):
    sender = w.someone(funds=50_000, name="Awa Envoyeuse")
    receiver = w.someone(name="Koffi Adjovi")
    result = call_tool(sender, "send_money", {"phone": str(receiver.phone), "amount": 5_000})
    action = result.action
    assert (action.kind, action.amount, action.currency, action.status) == (
        "send_money",
        5_000,
        "XOF",
        "pending",
    )
    assert result.facts["receiver_name"] == "Ko*** A." and "Koffi" not in action.summary
    assert set(action.params) == {"preview_token", "preview_id", "step_up_action", "step_up_target"}
    assert step_up_binding(action) == {
        "action": "wallet.transfer.send",
        "target": action.params["preview_id"],
        "amount": 5_000,
        "currency": "XOF",
    }
    preview_ends = timezone.now() + timedelta(seconds=settings.WALLET_P2P_PREVIEW_TTL_SECONDS)
    assert action.expires_at < preview_ends - timedelta(seconds=1)
    assert w.balance(sender) == 50_000 and w.balance(receiver) == 0


def test_send_money_refusals_come_from_the_wallet():
    sender = w.someone(funds=5_000)
    to_self = call_tool(sender, "send_money", {"phone": str(sender.phone), "amount": 1_000}).facts
    assert to_self["refused"] == "p2p_to_self" and to_self["message"]
    too_much = call_tool(sender, "send_money", {"phone": "+2290197998877", "amount": 9_000}).facts
    assert too_much["refused"] == "insufficient_balance"
    assert not PreparedAction.objects.exists()


# --- accept_recovery_plan (prepared) -------------------------------------------------------------


def test_accept_recovery_plan_prepares_with_recoverys_binding(estate_overdue_lease):
    world = estate_overdue_lease
    w.recovery_case(world, today=date.today())
    assert call_tool(world.tenant, "accept_recovery_plan", {}).facts["refused"] == "ai_no_plan_proposed"
    plan = w.proposed_plan(world, today=date.today())
    result = call_tool(world.tenant, "accept_recovery_plan", {})
    action = result.action
    assert (action.kind, action.amount, action.currency) == (
        "accept_recovery_plan",
        plan.total,
        plan.currency,
    )
    assert step_up_binding(action) == {
        "action": "recovery.plan.accept",
        "target": str(plan.public_id),
        "amount": plan.total,
        "currency": plan.currency,
    }
    assert result.facts["plan"]["count"] == 2
    plan.refresh_from_db()
    assert plan.status == "proposed"
    # someone else asking: no case of theirs, the tenant's plan is never found
    assert call_tool(w.someone(), "accept_recovery_plan", {}).facts["refused"] == "recovery_no_open_case"
    assert PaymentPlan.objects.get().status == "proposed"


# --- the offline assistant, end to end -------------------------------------------------------------


def test_offline_visit_the_second_one_the_thread_found(settings):
    from apps.ai.services import assistant

    settings.AI_LLM_BASE_URL = ""
    found = w.listings()
    w.visit_slots(found.dear, days=(2, 3))
    seeker = w.someone()
    thread = thread_for(seeker, None)
    call_tool(seeker, "search_listings", {"city": "Cotonou"}, thread=thread, engine="llm")
    second = assistant.ask(actor=seeker, thread=thread, text="je veux visiter le deuxieme")
    assert second.message.intent == "book_visit" and second.tool_calls == ["book_visit"]
    assert "Villa Haie Vive" in second.message.text and not VisitBooking.objects.exists()


def test_offline_accept_the_plan_prepares_it_in_french(estate_overdue_lease, settings):
    from apps.ai.services import assistant

    settings.AI_LLM_BASE_URL = ""
    world = estate_overdue_lease
    w.recovery_case(world, today=date.today())
    w.proposed_plan(world, today=date.today())
    reply = assistant.ask(actor=world.tenant, text="ok j'accepte l'echeancier de l'agence")
    assert reply.message.intent == "accept_plan" and reply.action is not None
    assert reply.action.kind == "accept_recovery_plan" and "Accepter l'échéancier" in reply.message.text
    assert PaymentPlan.objects.get().status == "proposed"

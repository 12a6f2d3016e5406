"""The assistant's tools (apps/ai/services/tools.py): each read returns the caller's own facts,
never another user's whatever the arguments; schema violations and unknown tools are refused
and audited; money tools prepare and move nothing; the audit masks phone numbers."""

from __future__ import annotations

from datetime import date

import pytest

from apps.ai.models import PreparedAction, ToolCall
from apps.ai.services.masking import mask
from apps.ai.services.tools import REGISTRY, call_tool, tool_specs, validate
from apps.estate import api as estate
from tests.ai import tool_world as w
from tests.fixtures.market import search_listing

pytestmark = pytest.mark.django_db


def last_call() -> ToolCall:
    return ToolCall.objects.order_by("-id").first()


# --- reads ----------------------------------------------------------------------------------


def test_my_balance_is_the_callers_wallet():
    world = w.tenant_world(funds=120_000)
    w.someone(funds=5_000)
    result = call_tool(world.tenant, "my_balance", {}, engine="llm")
    assert result.facts["balance"] == {"amount": 120_000, "currency": "XOF"}
    assert result.facts["available"] == {"amount": 120_000, "currency": "XOF"}
    call = last_call()
    assert (call.user, call.name, call.status, call.engine) == (world.tenant, "my_balance", "ok", "llm")


def test_my_dues_total_next_due_and_per_lease():
    world = w.tenant_world()
    facts = call_tool(world.tenant, "my_dues", {}).facts
    owed = sum(d.outstanding for d in estate.tenant_open_dues(world.tenant.public_id))
    assert facts["total_owed"] == {"amount": owed, "currency": "XOF"}
    assert facts["next_due"]["amount"] == {"amount": w.RENT_DUE, "currency": "XOF"}
    assert facts["next_due"]["due_date"] == world.due.due_date.isoformat()
    assert facts["next_due"]["due_id"] == str(world.due.public_id)
    [lease] = facts["leases"]
    assert lease["lease_id"] == str(world.lease.public_id)
    assert lease["reference"] == world.lease.reference


def test_my_dues_of_someone_without_a_lease_is_empty_not_the_neighbours():
    w.tenant_world()
    other = w.someone()
    facts = call_tool(other, "my_dues", {}).facts
    assert facts == {"total_owed": None, "totals": [], "next_due": None, "leases": []}


def test_my_receipts_lists_the_callers_paid_month(estate_paid_due):
    world = estate_paid_due
    facts = call_tool(world.tenant, "my_receipts", {"limit": 3}).facts
    paid = world.paid_due
    assert facts["payments"][0]["paid"] == {"amount": paid.outstanding, "currency": "XOF"}
    assert facts["payments"][0]["month"] == paid.period.strftime("%Y-%m")
    assert call_tool(w.someone(), "my_receipts", {}).facts["payments"] == []


def test_my_score_is_read_as_self():
    from apps.scoring.models import ScoreAccess

    world = w.tenant_world()
    facts = call_tool(world.tenant, "my_score", {}).facts
    assert facts["band"] in {"excellent", "good", "fair", "weak", "poor", "thin_file"}
    assert set(facts) == {"score", "band", "loyalty_tier", "computed_at", "reasons"}
    access = ScoreAccess.objects.order_by("-id").first()
    assert (access.subject_id, access.viewer_id, access.why) == (world.tenant.pk, world.tenant.pk, "self")


def test_my_recovery_case_is_the_callers_open_case(estate_overdue_lease):
    world = estate_overdue_lease
    w.recovery_case(world, today=date.today())
    from apps.recovery import api as recovery

    [case] = [c for c in recovery.cases_of_tenant(world.tenant.public_id) if c.status != "closed"]
    facts = call_tool(world.tenant, "my_recovery_case", {}).facts
    assert facts["case"]["case_id"] == str(case.public_id)
    assert facts["case"]["amount_owed"] == {"amount": case.amount_owed, "currency": case.currency}
    assert call_tool(w.someone(), "my_recovery_case", {}).facts["case"] is None


def test_search_listings_by_city_rooms_and_budget():
    found = w.listings()
    facts = call_tool(
        w.someone(), "search_listings", {"city": "Cotonou", "rooms": 2, "max_budget": 100_000}
    ).facts
    assert [h["listing_id"] for h in facts["listings"]] == [str(found.cheap.public_id)]
    assert facts["listings"][0]["price"] == {"amount": 60_000, "currency": "XOF"}
    assert facts["total"] == 1 and facts["total_exact"] is True


def test_search_listings_counts_more_than_its_five():
    for i in range(8):
        search_listing(title=f"Studio {i}", kind="studio", city="Parakou", price=50_000 + i)
    facts = call_tool(w.someone(), "search_listings", {"city": "Parakou", "text": "studio"}).facts
    # five shown; the page read six, the facets counted the eight
    assert len(facts["listings"]) == 5 and facts["total"] == 8 and facts["total_exact"] is True


def test_help_articles_finds_the_help_centres_answer():
    w.help_centre()
    facts = call_tool(w.someone(), "help_articles", {"question": "payer loyer momo"}).facts
    assert "Comment payer mon loyer par MoMo ?" in [a["title"] for a in facts["articles"]]


# --- the caller's own data only -------------------------------------------------------------


def test_another_tenants_due_is_never_found():
    mine = w.tenant_world(funds=200_000)
    theirs = w.tenant_world(name="Brice Autre")
    for tool in ("send_pay_link", "pay_due_from_wallet"):
        result = call_tool(mine.tenant, tool, {"due_id": str(theirs.due.public_id)})
        assert result.facts["refused"] == "not_found"
        assert "pay_url" not in result.facts
    assert not PreparedAction.objects.exists()


def test_a_user_id_in_the_arguments_is_refused_not_followed():
    mine = w.tenant_world(funds=50_000)
    theirs = w.tenant_world(funds=999_000, name="Brice Autre")
    result = call_tool(mine.tenant, "my_balance", {"user_id": str(theirs.tenant.public_id)})
    assert result.facts["refused"] == "ai_invalid_arguments"
    assert "balance" not in result.facts
    assert last_call().status == "refused"


# --- refusals are audited -------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,arguments",
    [
        ("my_receipts", {"limit": 500}),
        ("my_receipts", {"limit": "3"}),
        ("help_articles", {}),
        ("send_money", {"phone": "0197000001", "amount": True}),
        ("send_pay_link", {"due_id": "pas-un-id"}),
        ("my_balance", "not json"),
    ],
)
def test_arguments_off_the_schema_are_refused_and_audited(name, arguments):
    user = w.someone()
    result = call_tool(user, name, arguments)
    assert result.facts["refused"] == "ai_invalid_arguments"
    call = last_call()
    assert (call.name, call.status, call.user) == (name, "refused", user)


def test_an_unknown_tool_is_refused_and_audited():
    user = w.someone()
    result = call_tool(user, "drop_tables", {})
    assert result.facts["refused"] == "ai_unknown_tool"
    assert last_call().status == "refused"


def test_specs_are_openai_tools_with_closed_schemas():
    specs = tool_specs()
    assert {s["function"]["name"] for s in specs} == set(REGISTRY)
    for spec in specs:
        assert spec["type"] == "function"
        assert spec["function"]["parameters"]["additionalProperties"] is False
        assert spec["function"]["description"]
    assert {t.kind for t in REGISTRY.values()} == {"read", "action", "money"}


def test_validator_subset():
    schema = REGISTRY["send_money"].parameters
    assert validate({"phone": "0197000001", "amount": 5_000}, schema) == []
    assert validate({"phone": "0197000001"}, schema) == ["amount: required"]
    assert validate({"phone": "0197000001", "amount": 0, "x": 1}, schema) == ["amount: below 1", "x: unknown"]


# --- actions and money ----------------------------------------------------------------------


def test_send_pay_link_sends_the_callers_pay_link_by_sms():
    from apps.notifications.models import Message

    world = w.tenant_world()
    result = call_tool(world.tenant, "send_pay_link", {})
    assert result.facts["sent"] is True
    assert result.facts["amount"] == {"amount": w.RENT_DUE, "currency": "XOF"}
    assert "/pay/" in result.facts["pay_url"]
    sms = Message.objects.get(template_key="estate.rent_notice", recipient_key=str(world.tenant.public_id))
    assert sms.channel == "sms"
    assert str(world.tenant.phone) not in result.facts["to"]


def test_pay_due_from_wallet_prepares_and_moves_no_money():
    world = w.tenant_world(funds=100_000)
    result = call_tool(world.tenant, "pay_due_from_wallet", {})
    action = result.action
    assert action is not None and action.status == "pending" and action.user == world.tenant
    assert (action.kind, action.amount, action.currency) == ("pay_due_from_wallet", w.RENT_DUE, "XOF")
    assert action.params["due"] == str(world.due.public_id)
    assert "80" in action.summary and action.expires_at > action.created_at
    assert result.facts["prepared"]["id"] == str(action.public_id)
    assert w.balance(world.tenant) == 100_000
    assert estate.rent_due(world.due.public_id).paid == 0
    assert last_call().status == "prepared"


def test_pay_due_from_wallet_above_the_balance_prepares_nothing():
    world = w.tenant_world(funds=10_000)
    result = call_tool(world.tenant, "pay_due_from_wallet", {})
    assert result.facts["refused"] == "ai_wallet_balance_too_low"
    assert result.action is None and not PreparedAction.objects.exists()


def test_send_money_moves_nothing_and_the_audit_masks_the_phone():
    user = w.someone(funds=50_000)
    receiver = w.someone(name="Ami Receveur")
    phone = str(receiver.phone)
    result = call_tool(user, "send_money", {"phone": phone, "amount": 5_000})
    assert result.action is not None and result.facts["receiver_name"] == "Am*** R."
    assert w.balance(user) == 50_000 and w.balance(receiver) == 0
    call = last_call()
    assert call.status == "prepared" and call.arguments["amount"] == 5_000
    assert phone not in str(call.arguments)
    assert call.arguments["phone"].endswith(f"{phone[-4:-2]} {phone[-2:]}")
    assert call.arguments["phone"].startswith("+229 ••")


def test_accept_recovery_plan_without_a_case_is_not_found():
    result = call_tool(w.someone(), "accept_recovery_plan", {})
    assert result.facts["refused"] == "recovery_no_open_case"


# --- masking ----------------------------------------------------------------------------------


def test_mask_phones_emails_accounts_and_names():
    masked = mask(
        {
            "full_name": "Koffi Adjovi",
            "note": "appelez le +229 01 97 00 12 34 ou 0197005678, écrivez à awa.d@exemple.bj",
            "iban": "BJ66BJ0610100100144390000769",
            "text": "compte BJ66 BJ06 1010 0100 1443 9000 0769, réf 12345678901234",
            "items": [{"phone": "+2290197001234"}],
            "amount": 75_000,
            "due_date": "2026-03-05",
            "due_id": "0b3c2f1e-1234-4567-89ab-0123456789ab",
        }
    )
    assert masked["full_name"] == "K••• A."
    assert "97 00 12 34" not in masked["note"] and "+229 •• •• 12 34" in masked["note"]
    assert "•• •• 56 78" in masked["note"] and "a•••@exemple.bj" in masked["note"]
    assert masked["iban"] == "•••"
    assert "0769" in masked["text"] and "1443" not in masked["text"] and "•••• 1234" in masked["text"]
    assert masked["items"] == [{"phone": "+229 •• •• 12 34"}]
    assert (masked["amount"], masked["due_date"], masked["due_id"]) == (
        75_000,
        "2026-03-05",
        "0b3c2f1e-1234-4567-89ab-0123456789ab",
    )

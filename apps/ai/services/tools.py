"""The assistant's tools (docs/ai.md, « Tools »): each a thin wrapper over a module's api.py,
run with the caller's own rights. The caller is `actor` (a User row): every read is scoped to
them; no tool takes a user id, a phone of the caller or an organization, so no argument can
reach another user's data (a due or a case given by id must be one of the caller's own).

    result = call_tool(actor, "my_dues", {}, thread=thread, engine="llm")
    result.facts      # what the reply is built from (amounts {"amount", "currency"}, ISO dates)
    tool_specs()      # the OpenAI « tools » list the LLM is given

Kinds: « read » (nothing written), « action » (a harmless act for the caller: an SMS to their
own phone), « money »: never acts — it checks and prepares a PreparedAction that the user
confirms in the app with the step-up code bound to it (services/actions.py).

Every call is audited as a ToolCall (arguments masked, status, duration).
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from apps.cms import api as cms
from apps.core.errors import DomainError, NotFound
from apps.core.money import format_amount
from apps.estate import api as estate
from apps.identity import api as identity
from apps.market import api as market
from apps.notifications import api as notifications
from apps.recovery import api as recovery
from apps.scoring import api as scoring
from apps.wallet import api as wallet

from ..errors import (
    InvalidArguments,
    NoListingChosen,
    NoOpenDue,
    NoPlanProposed,
    ToolUnavailable,
    UnknownTool,
    WalletBalanceTooLow,
    WalletNotUsable,
)
from ..models import PreparedAction, ToolCall
from .masking import mask, mask_phone

logger = logging.getLogger("hokwe.ai.tools")

__all__ = [
    "REGISTRY",
    "InvalidArguments",
    "Tool",
    "ToolResult",
    "ToolUnavailable",
    "UnknownTool",
    "call_tool",
    "tool_specs",
    "validate",
]

# the kinds of PreparedAction the money tools prepare (services/actions.py executes them)
PAY_DUE_FROM_WALLET = "pay_due_from_wallet"
SEND_MONEY = "send_money"
ACCEPT_RECOVERY_PLAN = "accept_recovery_plan"

# estate's SMS with a due's pay link (its monthly « avis d'échéance »: apps/estate/messages.py)
RENT_NOTICE_TEMPLATE = "estate.rent_notice"


# --- refusals -------------------------------------------------------------------------------


# --- the tool and its result ----------------------------------------------------------------


@dataclass
class ToolResult:
    facts: dict
    summary: str  # short, for the audit: no personal data
    action: PreparedAction | None = None
    status: str = ToolCall.Status.OK
    refs: dict = field(default_factory=dict)  # public ids a later tool of the thread may use


@dataclass(frozen=True)
class Tool:
    name: str
    description: str  # French: what the LLM reads
    parameters: dict  # a JSON Schema object, additionalProperties false
    kind: str  # "read" | "action" | "money"
    run: Callable[..., ToolResult] = field(repr=False)
    uses_thread: bool = False  # run(actor, args, thread=…): it reads what the thread found before

    def spec(self) -> dict:
        return {
            "type": "function",
            "function": {"name": self.name, "description": self.description, "parameters": self.parameters},
        }


# --- a small JSON Schema validator (the subset the tools use) -------------------------------

_UUID = re.compile(r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$")
_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "array": lambda v: isinstance(v, list),
}


def validate(value, schema: dict, path: str = "") -> list[str]:
    """The errors of `value` against `schema` (type, properties, required, additionalProperties,
    enum, minimum/maximum, minLength/maxLength, pattern, format uuid, items, maxItems), each
    « path: what »; [] when valid."""
    where = path or "arguments"
    kind = schema.get("type")
    if kind and not _TYPES[kind](value):
        return [f"{where}: expected {kind}"]
    errors: list[str] = []
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{where}: not one of {schema['enum']}")
    if kind in ("integer", "number"):
        if "minimum" in schema and value < schema["minimum"]:
            errors.append(f"{where}: below {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            errors.append(f"{where}: above {schema['maximum']}")
    if kind == "string":
        if len(value) < schema.get("minLength", 0):
            errors.append(f"{where}: too short")
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            errors.append(f"{where}: too long")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            errors.append(f"{where}: wrong format")
        if schema.get("format") == "uuid" and not _UUID.match(value):
            errors.append(f"{where}: not an id")
    if kind == "array":
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            errors.append(f"{where}: too many items")
        for i, item in enumerate(value):
            errors.extend(validate(item, schema.get("items", {}), f"{where}[{i}]"))
    if kind == "object":
        props = schema.get("properties", {})
        for name in schema.get("required", ()):
            if name not in value:
                errors.append(f"{path + '.' if path else ''}{name}: required")
        for name, item in value.items():
            sub = f"{path + '.' if path else ''}{name}"
            if name in props:
                errors.extend(validate(item, props[name], sub))
            elif schema.get("additionalProperties", True) is False:
                errors.append(f"{sub}: unknown")
    return errors


def _object(properties: dict | None = None, required: tuple = ()) -> dict:
    return {
        "type": "object",
        "properties": properties or {},
        "required": list(required),
        "additionalProperties": False,
    }


_DUE_ID = {"type": "string", "format": "uuid", "description": "L'identifiant d'une échéance (facultatif)."}
_DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}


# --- helpers --------------------------------------------------------------------------------


def money(amount: int, currency: str) -> dict:
    return {"amount": int(amount), "currency": currency}


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _language() -> str:
    lang = (translation.get_language() or settings.LANGUAGE_CODE or "fr")[:2]
    return lang if lang in ("fr", "en") else "fr"


def month_label(day: date, language: str | None = None) -> str:
    """« décembre 2025 » (the rent's month, in the language of the reply)."""
    from babel.dates import format_date

    return format_date(day, "MMMM y", locale=language or _language())


def _own_open_dues(actor) -> list:
    return estate.tenant_open_dues(actor.public_id)


def _own_due(actor, due_id: str | None):
    """One of the caller's open dues (the oldest when `due_id` is not given): another tenant's
    due is never found."""
    dues = _own_open_dues(actor)
    if not dues:
        raise NoOpenDue()
    if not due_id:
        return dues[0]
    for due in dues:
        if str(due.public_id) == str(UUID(due_id)):
            return due
    raise NotFound(field="due_id")


def _usable_wallet(actor, currency: str):
    info = wallet.wallet_info(actor, currency)
    if str(info.status) != "active":
        raise WalletNotUsable()
    return info


def _new_action(
    actor, *, kind: str, params: dict, summary: str, amount: int | None, currency: str, not_after=None
):
    """A PreparedAction waiting AI_ACTION_TTL_MINUTES, or less when what it confirms expires
    sooner (`not_after`: a P2P preview's token)."""
    expires_at = timezone.now() + timedelta(minutes=settings.AI_ACTION_TTL_MINUTES)
    if not_after is not None:
        expires_at = min(expires_at, not_after)
    return PreparedAction.objects.create(
        user=actor,
        kind=kind,
        params=params,
        summary=summary[:300],
        amount=amount,
        currency=currency or "",
        expires_at=expires_at,
    )


def _day(value: str, field_name: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidArguments(field=field_name) from None


def _long_date(day: date, language: str | None = None) -> str:
    """« 5 janvier 2027 »."""
    from babel.dates import format_date

    return format_date(day, "long", locale=language or _language())


def _when(value, language: str | None = None) -> str:
    """« samedi 12 décembre 2026 à 10:00 » (a visit's local start, in the reply's language)."""
    from babel.dates import format_datetime

    local = timezone.localtime(value)
    return format_datetime(local, "EEEE d MMMM y HH:mm", locale=language or _language())


def action_facts(action: PreparedAction) -> dict:
    """What the reply says about a prepared action (the app shows it with its confirm button)."""
    return {
        "id": str(action.public_id),
        "kind": action.kind,
        "summary": action.summary,
        "amount": money(action.amount, action.currency) if action.amount is not None else None,
        "expires_at": _iso(action.expires_at),
        "needs_confirmation": True,
    }


# --- read tools -----------------------------------------------------------------------------


def my_balance(actor, args: dict) -> ToolResult:
    info = wallet.wallet_info(actor, args.get("currency", "XOF"))
    return ToolResult(
        facts={
            "balance": money(info.balance, info.currency),
            "available": money(info.available, info.currency),
            "status": str(info.status),
        },
        summary="wallet balance read",
    )


def my_dues(actor, args: dict) -> ToolResult:
    dues = _own_open_dues(actor)
    today = timezone.localdate()
    by_lease: dict = {}
    for due in dues:
        by_lease.setdefault(due.lease, []).append(due)
    leases = []
    for lease_id, rows in by_lease.items():
        info = estate.lease(lease_id)
        leases.append(
            {
                "lease_id": str(lease_id),
                "reference": info.reference,
                "owed": money(sum(d.outstanding for d in rows), rows[0].currency),
                "open_dues": len(rows),
                "overdue": sum(1 for d in rows if d.due_date < today),
                "next_due_date": rows[0].due_date.isoformat(),
            }
        )
    totals: dict[str, int] = {}
    for due in dues:
        totals[due.currency] = totals.get(due.currency, 0) + due.outstanding
    nxt = dues[0] if dues else None
    return ToolResult(
        facts={
            "total_owed": [money(a, c) for c, a in totals.items()][0] if len(totals) == 1 else None,
            "totals": [money(a, c) for c, a in totals.items()],
            "next_due": {
                "due_id": str(nxt.public_id),
                "due_date": nxt.due_date.isoformat(),
                "period": nxt.period.isoformat(),
                "amount": money(nxt.outstanding, nxt.currency),
                "status": str(nxt.status),
            }
            if nxt
            else None,
            "leases": leases,
        },
        summary=f"{len(dues)} open dues on {len(leases)} leases",
    )


def my_receipts(actor, args: dict) -> ToolResult:
    limit = args.get("limit", 6)
    lines = estate.tenant_rent_lines([actor.public_id], today=timezone.localdate(), months=24)
    paid = [line for line in lines.get(actor.public_id, []) if line.paid > 0]
    paid.sort(key=lambda line: (line.paid_on or line.due_date, line.period), reverse=True)
    return ToolResult(
        facts={
            "payments": [
                {
                    "month": line.period.strftime("%Y-%m"),
                    "due_date": line.due_date.isoformat(),
                    "rent": money(line.amount, line.currency),
                    "paid": money(line.paid, line.currency),
                    "paid_on": _iso(line.paid_on),
                    "how": str(line.code),
                }
                for line in paid[:limit]
            ],
            "receipts_in_app": True,
        },
        summary=f"{min(len(paid), limit)} paid months read",
    )


def my_score(actor, args: dict) -> ToolResult:
    info = scoring.get_score(actor.public_id, viewer=actor, why="self", language=_language())
    return ToolResult(
        facts={
            "score": info.score,
            "band": str(info.band),
            "loyalty_tier": info.loyalty_tier,
            "computed_at": info.computed_at or None,
            "reasons": [{"code": r.code, "direction": r.direction, "text": r.text} for r in info.reasons],
        },
        summary="own score read",
    )


def my_recovery_case(actor, args: dict) -> ToolResult:
    cases = [c for c in recovery.cases_of_tenant(actor.public_id) if str(c.status) != "closed"]
    case = cases[0] if cases else None
    facts: dict = {"case": None, "plan": None}
    if case is not None:
        facts["case"] = {
            "case_id": str(case.public_id),
            "kind": str(case.kind),
            "status": str(case.status),
            "amount_owed": money(case.amount_owed, case.currency),
            "recovered": money(case.recovered, case.currency),
            "remaining": money(max(case.amount_owed - case.recovered, 0), case.currency),
            "opened_on": _iso(case.opened_on),
            "oldest_due_date": _iso(case.oldest_due_date),
            "broken_promises": case.broken_promises,
        }
    return ToolResult(facts=facts, summary="open recovery case read" if case else "no open recovery case")


def search_listings(actor, args: dict) -> ToolResult:
    criteria: dict = {"purpose": args.get("purpose", "rent"), "limit": 5}
    for name, key in (("city", "city"), ("neighbourhood", "neighbourhood"), ("text", "text")):
        if args.get(name):
            criteria[key] = args[name]
    if args.get("rooms") is not None:
        criteria["rooms_min"] = args["rooms"]
    if args.get("max_budget") is not None:
        criteria["price_max"] = args["max_budget"]
    if args.get("furnished") is not None:
        criteria["furnished"] = args["furnished"]
    page = market.search_listings(criteria)
    hits = page.hits[:5]
    # a page counts its matches only when it read them all; else the facets count them
    # (over a sample when they are many: `total_exact` says so)
    total, total_exact = page.total, True
    if total is None:
        facets = market.search_facets(criteria)
        total, total_exact = facets.total, facets.exact
    return ToolResult(
        facts={
            "listings": [
                {
                    "listing_id": h.public_id,
                    "title": h.title,
                    "purpose": h.purpose,
                    "kind": h.kind,
                    "price": money(h.price, h.currency),
                    "charges": money(h.charges, h.currency),
                    "rooms": h.rooms,
                    "furnished": h.furnished,
                    "city": h.city,
                    "neighbourhood": h.neighbourhood,
                    "verified": h.verified,
                }
                for h in hits
            ],
            "total": total,
            "total_exact": total_exact,
        },
        summary=f"{len(hits)} listings found",
        refs={"listings": [str(h.public_id) for h in hits]},
    )


def help_articles(actor, args: dict) -> ToolResult:
    hits = cms.help_search(args["question"], locale=_language(), limit=3)
    return ToolResult(
        facts={
            "articles": [
                {"title": h.title, "summary": h.summary, "url": h.url, "category": h.category} for h in hits
            ]
        },
        summary=f"{len(hits)} help articles found",
    )


def _absolute(url: str) -> str:
    """payments' pay links are paths (/pay/…): an SMS needs the public address."""
    if url.startswith(("http://", "https://")):
        return url
    return (settings.PAYMENT_PUBLIC_BASE_URL or "https://hokwe.com").rstrip("/") + url


def my_tontine_turn(actor, args: dict) -> ToolResult:
    turns = wallet.tontine_turns(actor)
    return ToolResult(
        facts={
            "tontines": [
                {
                    "tontine": t.group_name,
                    "pot": money(t.pot, t.currency),
                    "contribution": money(t.contribution, t.currency),
                    "turn_round": t.turn_round,
                    "turn_date": _iso(t.turn_date),
                    "turn_paid": t.turn_paid,
                    "next_contribution_date": _iso(t.next_contribution_date),
                }
                for t in turns
            ]
        },
        summary=f"{len(turns)} tontine seats read",
    )


# --- action tools ---------------------------------------------------------------------------


def send_pay_link(actor, args: dict) -> ToolResult:
    """The pay link of the caller's oldest open due (or the one named) by SMS to their own
    phone, with estate's « avis d'échéance » text."""
    due = _own_due(actor, args.get("due_id"))
    intent = estate.due_payment_intent(due.public_id, payer=actor.public_id)
    pay_url = _absolute(intent.pay_url)
    lease = estate.lease(due.lease)
    try:
        unit = estate.unit_listing_facts(lease.unit)
        place = f"{unit.property_name}, {unit.label}"
    except NotFound:
        place = lease.reference
    language = actor.preferred_language or _language()
    notifications.send(
        actor.public_id,
        RENT_NOTICE_TEMPLATE,
        {
            "tenant_name": actor.full_name or "-",
            "amount": money(intent.amount, intent.currency),
            "period": month_label(due.period, language),
            "due_date": due.due_date.isoformat(),
            "property_name": place,
            "reference": lease.reference,
            "pay_url": pay_url,
        },
        channels=("sms",),
        # one SMS a day per pay link, however often it is asked for
        idempotency_key=f"ai:pay-link:{intent.public_id}:{timezone.localdate().isoformat()}",
    )
    return ToolResult(
        facts={
            "sent": True,
            "channel": "sms",
            "to": mask_phone(actor.phone),
            "due_id": str(due.public_id),
            "due_date": due.due_date.isoformat(),
            "amount": money(intent.amount, intent.currency),
            "pay_url": pay_url,
        },
        summary="pay link sent by SMS",
    )


def open_maintenance_ticket(actor, args: dict) -> ToolResult:
    """A maintenance ticket on the caller's active lease, with their own words."""
    description = args["description"].strip()
    title = (args.get("title") or description).strip()[:80]
    ticket, title, place = estate.tenant_ticket_open(actor=actor, title=title, description=description)
    return ToolResult(
        facts={"ticket": str(ticket), "title": title, "property": place, "opened": True},
        summary="maintenance ticket opened",
    )


def _thread_listing(actor, thread, choice: int) -> str:
    """The listing the user means without naming it: the one whose visit slots the thread
    showed last, or the `choice`-th (1 = the first) of the thread's last search."""
    if thread is None:
        raise NoListingChosen()
    last = (
        ToolCall.objects.filter(
            thread=thread, user=actor, name__in=("search_listings", "book_visit"), status=ToolCall.Status.OK
        )
        .exclude(refs={})
        .order_by("-id")
        .first()
    )
    if last is None:
        raise NoListingChosen()
    if last.name == "book_visit" and choice == 1:
        return last.refs["listing"]
    found = last.refs.get("listings") or ([last.refs["listing"]] if last.refs.get("listing") else [])
    if not found:
        raise NoListingChosen()
    if choice > len(found):
        raise NotFound(field="choice")
    return found[choice - 1]


def _slot_facts(slot, language: str) -> dict:
    return {
        "slot_id": slot.public_id,
        "starts_at": _iso(slot.starts_at),
        "when": _when(slot.starts_at, language),
        "place": slot.place,
    }


def _visit_facts(visit, language: str) -> dict:
    return {
        "visit_id": visit.public_id,
        "starts_at": _iso(visit.starts_at),
        "when": _when(visit.starts_at, language),
        "place": visit.place,
        "code": visit.code,
        "manage_url": visit.manage_url,
    }


def book_visit(actor, args: dict, *, thread=None) -> ToolResult:
    """A visit of a listing online (its id, else the one the thread just found): without a
    slot, its next open slots (nothing written); with a slot (its id, or a day: the first
    open slot that day), booked for the caller under their own name and phone — market sends
    the SMS confirmation. Idempotent per thread and slot."""
    language = _language()
    listing_id = args.get("listing_id") or _thread_listing(actor, thread, args.get("choice", 1))
    listing = market.listing_facts(listing_id)
    refs = {"listing": str(listing.public_id)}
    facts: dict = {
        "listing": {
            "listing_id": str(listing.public_id),
            "title": listing.title,
            "city": listing.city,
            "neighbourhood": listing.neighbourhood,
            "price": money(listing.price, listing.currency),
        },
        "booked": False,
    }
    slot_id = args.get("slot_id")
    day = _day(args["date"], "date") if args.get("date") else None
    if not slot_id:
        # the caller's own visit of this listing still to come (that day, if one is named):
        # asked again, it is said, not booked twice
        mine = next(
            (
                v
                for v in market.seeker_visits(actor)
                if v.listing == str(listing.public_id)
                and v.status == "booked"
                and v.starts_at > timezone.now()
                and (day is None or timezone.localtime(v.starts_at).date() == day)
            ),
            None,
        )
        if mine is not None:
            facts.update(booked=True, already=True, visit=_visit_facts(mine, language))
            return ToolResult(facts=facts, summary="own visit read", refs=refs)
        slots = market.listing_visit_slots(listing.public_id, limit=50)
        if day is not None:
            same_day = [s for s in slots if timezone.localtime(s.starts_at).date() == day]
            if same_day:
                slot_id = same_day[0].public_id
            else:
                facts["no_slot_on"] = day.isoformat()
        if not slot_id:
            facts["slots"] = [_slot_facts(slot, language) for slot in slots[:5]]
            return ToolResult(facts=facts, summary=f"{min(len(slots), 5)} visit slots read", refs=refs)
    scope = thread.public_id if thread is not None else actor.public_id
    visit = market.book_listing_visit(
        actor=actor,
        listing_id=listing.public_id,
        slot_id=slot_id,
        idempotency_key=f"ai:visit:{scope}:{slot_id}",
    )
    facts.update(booked=True, visit=_visit_facts(visit, language), sms_to=mask_phone(actor.phone))
    return ToolResult(facts=facts, summary="visit booked", refs=refs)


def propose_promise(actor, args: dict) -> ToolResult:
    """A promise to pay `amount` by `date` on the caller's own open recovery case, made as on
    the debtor portal (recovery's rules: today or later, 90 days at most, at most what is
    owed). Without the amount or the date, it asks (nothing written)."""
    missing = [name for name in ("amount", "date") if args.get(name) in (None, "")]
    if missing:
        cases = [c for c in recovery.cases_of_tenant(actor.public_id) if str(c.status) != "closed"]
        if not cases:
            raise recovery.NoOpenCase()
        case = cases[0]
        return ToolResult(
            facts={
                "missing": missing,
                "amount": money(args["amount"], case.currency) if args.get("amount") else None,
                "date": args.get("date"),
                "owed": money(max(case.amount_owed - case.recovered, 0), case.currency),
            },
            summary="promise details asked",
        )
    promise = recovery.tenant_promise(
        actor=actor, amount=args["amount"], promised_on=_day(args["date"], "date")
    )
    return ToolResult(
        facts={
            "promised": True,
            "promise_id": str(promise.public_id),
            "amount": money(promise.amount, promise.currency),
            "date": promise.promised_on.isoformat(),
        },
        summary="promise to pay made",
    )


# --- money tools: checked and prepared, never done -------------------------------------------


def pay_due_from_wallet(actor, args: dict) -> ToolResult:
    due = _own_due(actor, args.get("due_id"))
    amount = due.outstanding
    if amount <= 0:
        raise NoOpenDue()
    info = _usable_wallet(actor, due.currency)
    if info.available < amount:
        raise WalletBalanceTooLow()
    summary = gettext("Pay %(amount)s of rent for %(month)s from your wallet") % {
        "amount": format_amount(amount, due.currency, _language()),
        "month": month_label(due.period),
    }
    action = _new_action(
        actor,
        kind=PAY_DUE_FROM_WALLET,
        params={"due": str(due.public_id), "lease": str(due.lease), "period": due.period.isoformat()},
        summary=summary,
        amount=amount,
        currency=due.currency,
    )
    return ToolResult(
        facts={
            "prepared": action_facts(action),
            "balance_after": money(info.available - amount, due.currency),
        },
        summary="wallet rent payment prepared",
        action=action,
        status=ToolCall.Status.PREPARED,
    )


def send_money(actor, args: dict) -> ToolResult:
    """P2P by phone: the wallet's preview (the receiver's masked name, every refusal known
    now), then a PreparedAction holding the preview's token; nothing moves until the user
    confirms with the step-up of the wallet's own binding (services/actions.py). It waits no
    longer than the preview's token (whose timestamp is in whole seconds: 2 s kept aside)."""
    preview = wallet.p2p_preview(
        actor=actor,
        phone=args["phone"],
        amount=args["amount"],
        currency=args.get("currency", "XOF"),
        note=args.get("note", ""),
    )
    who = preview.receiver_name or mask_phone(preview.receiver_phone)
    summary = gettext("Send %(amount)s to %(name)s (%(phone)s) from your wallet") % {
        "amount": format_amount(preview.total, preview.currency, _language()),
        "name": who,
        "phone": mask_phone(preview.receiver_phone),
    }
    action = _new_action(
        actor,
        kind=SEND_MONEY,
        params={
            "preview_token": preview.token,
            "preview_id": str(preview.preview_id),
            "step_up_action": preview.step_up_action,
            "step_up_target": preview.step_up_target,
        },
        summary=summary,
        amount=preview.amount,
        currency=preview.currency,
        not_after=preview.expires_at - timedelta(seconds=2),
    )
    return ToolResult(
        facts={
            "prepared": action_facts(action),
            "receiver_name": preview.receiver_name,
            "receiver_phone": mask_phone(preview.receiver_phone),
            "receiver_has_account": preview.receiver_has_account,
            "amount": money(preview.amount, preview.currency),
            "fee": money(preview.fee, preview.currency),
            "total": money(preview.total, preview.currency),
            "claim_days": preview.claim_days if not preview.receiver_has_account else None,
        },
        summary="P2P transfer prepared",
        action=action,
        status=ToolCall.Status.PREPARED,
    )


def _plan_facts(plan) -> dict:
    rows = [
        {"seq": i.seq, "due_on": i.due_on.isoformat(), "amount": money(i.amount, plan.currency)}
        for i in plan.installments
    ]
    return {
        "plan_id": str(plan.public_id),
        "total": money(plan.total, plan.currency),
        "installments": rows,
        "count": len(rows),
        "first": rows[0] if rows else None,
    }


def accept_recovery_plan(actor, args: dict) -> ToolResult:
    """The payment plan proposed on the caller's own open case, prepared for acceptance: the
    user confirms with the step-up of recovery's own binding of that plan (its id and total),
    which recovery consumes when it accepts it (services/actions.py)."""
    plan = recovery.tenant_proposed_plan(actor)
    if plan is None:
        raise NoPlanProposed()
    facts = _plan_facts(plan)
    summary = gettext(
        "Accept the payment plan of %(total)s in %(count)s instalments (first: %(first)s on %(date)s)"
    ) % {
        "total": format_amount(plan.total, plan.currency, _language()),
        "count": facts["count"],
        "first": format_amount(plan.installments[0].amount, plan.currency, _language()),
        "date": _long_date(plan.installments[0].due_on),
    }
    action = _new_action(
        actor,
        kind=ACCEPT_RECOVERY_PLAN,
        params={
            "plan": str(plan.public_id),
            "case": str(plan.case),
            "step_up_action": plan.step_up_action,
            "step_up_target": plan.step_up_target,
        },
        summary=summary,
        amount=plan.total,
        currency=plan.currency,
    )
    return ToolResult(
        facts={"prepared": action_facts(action), "plan": facts},
        summary="payment plan acceptance prepared",
        action=action,
        status=ToolCall.Status.PREPARED,
    )


# --- the registry ---------------------------------------------------------------------------

REGISTRY: dict[str, Tool] = {
    t.name: t
    for t in (
        Tool(
            "my_balance",
            "Solde du portefeuille Hokwe de l'utilisateur (solde et montant disponible).",
            _object(
                {
                    "currency": {
                        "type": "string",
                        "enum": ["XOF", "XAF"],
                        "description": "Devise (XOF par défaut).",
                    }
                }
            ),
            "read",
            my_balance,
        ),
        Tool(
            "my_dues",
            "Loyers dus par l'utilisateur : total à payer, prochaine échéance (date et montant), détail par bail.",
            _object(),
            "read",
            my_dues,
        ),
        Tool(
            "my_receipts",
            "Derniers loyers payés par l'utilisateur (mois, montant payé, date du paiement). "
            "Les quittances elles-mêmes sont dans l'application, rubrique Reçus.",
            _object(
                {
                    "limit": {
                        "type": "integer",
                        "minimum": 1,
                        "maximum": 12,
                        "description": "Nombre de mois (6 par défaut).",
                    }
                }
            ),
            "read",
            my_receipts,
        ),
        Tool(
            "my_score",
            "Score locatif de l'utilisateur (note, niveau) et les raisons qui l'expliquent.",
            _object(),
            "read",
            my_score,
        ),
        Tool(
            "my_recovery_case",
            "Dossier de recouvrement ouvert de l'utilisateur, s'il en a un : montant dû, déjà payé, reste à payer.",
            _object(),
            "read",
            my_recovery_case,
        ),
        Tool(
            "search_listings",
            "Cherche des logements en ligne sur Hokwe (5 au plus) : ville, quartier, nombre de pièces minimum, "
            "budget mensuel maximum en FCFA.",
            _object(
                {
                    "city": {"type": "string", "maxLength": 100},
                    "neighbourhood": {"type": "string", "maxLength": 100},
                    "rooms": {"type": "integer", "minimum": 0, "maximum": 20},
                    "max_budget": {"type": "integer", "minimum": 0, "maximum": 1_000_000_000},
                    "furnished": {"type": "boolean"},
                    "purpose": {"type": "string", "enum": ["rent", "sale"]},
                    "text": {"type": "string", "maxLength": 200},
                }
            ),
            "read",
            search_listings,
        ),
        Tool(
            "help_articles",
            "Cherche dans le centre d'aide Hokwe les articles qui répondent à une question.",
            _object({"question": {"type": "string", "minLength": 2, "maxLength": 300}}, ("question",)),
            "read",
            help_articles,
        ),
        Tool(
            "my_tontine_turn",
            "Tontines Cotis'Hokwe de l'utilisateur : son tour (numéro et date du tour où il reçoit le pot, "
            "s'il est déjà fixé), le montant du pot, la date de sa prochaine cotisation.",
            _object(),
            "read",
            my_tontine_turn,
        ),
        Tool(
            "open_maintenance_ticket",
            "Ouvre un ticket de maintenance sur le logement que l'utilisateur loue (fuite, électricité, "
            "serrure…) avec sa description ; le gestionnaire est prévenu.",
            _object(
                {
                    "description": {"type": "string", "minLength": 3, "maxLength": 2000},
                    "title": {"type": "string", "maxLength": 80},
                },
                ("description",),
            ),
            "action",
            open_maintenance_ticket,
        ),
        Tool(
            "send_pay_link",
            "Envoie par SMS à l'utilisateur le lien de paiement de son loyer (la plus ancienne échéance ouverte, "
            "ou celle indiquée).",
            _object({"due_id": _DUE_ID}),
            "action",
            send_pay_link,
        ),
        Tool(
            "pay_due_from_wallet",
            "Prépare le paiement d'un loyer depuis le portefeuille (la plus ancienne échéance ouverte, ou celle "
            "indiquée). Rien n'est payé : l'utilisateur confirme dans l'application avec un code.",
            _object({"due_id": _DUE_ID}),
            "money",
            pay_due_from_wallet,
        ),
        Tool(
            "book_visit",
            "Visite d'un logement en ligne : sans créneau, donne les prochains créneaux libres ; avec un créneau "
            "(son identifiant, ou un jour : le premier créneau libre ce jour-là), réserve la visite au nom et au "
            "numéro de l'utilisateur (confirmation par SMS). Le logement : son identifiant, sinon celui que "
            "l'utilisateur vient de trouver (choice : le rang dans la dernière recherche, 1 par défaut).",
            _object(
                {
                    "listing_id": {"type": "string", "format": "uuid"},
                    "choice": {"type": "integer", "minimum": 1, "maximum": 5},
                    "slot_id": {"type": "string", "format": "uuid"},
                    "date": {**_DATE, "description": "Le jour souhaité, AAAA-MM-JJ."},
                }
            ),
            "action",
            book_visit,
            uses_thread=True,
        ),
        Tool(
            "propose_promise",
            "Enregistre une promesse de payer un montant à une date sur le dossier de recouvrement ouvert de "
            "l'utilisateur (au plus tard dans 90 jours, au plus ce qu'il doit) ; sans montant ou sans date, "
            "demande ce qui manque.",
            _object(
                {
                    "amount": {"type": "integer", "minimum": 1, "maximum": 1_000_000_000},
                    "date": {**_DATE, "description": "La date promise, AAAA-MM-JJ."},
                }
            ),
            "action",
            propose_promise,
        ),
        Tool(
            "send_money",
            "Prépare un envoi d'argent du portefeuille vers un numéro de téléphone (le nom masqué du "
            "destinataire est montré). Rien n'est envoyé sans la confirmation de l'utilisateur avec un code.",
            _object(
                {
                    "phone": {"type": "string", "minLength": 8, "maxLength": 32},
                    "amount": {"type": "integer", "minimum": 1, "maximum": 100_000_000},
                    "currency": {"type": "string", "enum": ["XOF", "XAF"]},
                    "note": {"type": "string", "maxLength": 140},
                },
                ("phone", "amount"),
            ),
            "money",
            send_money,
        ),
        Tool(
            "accept_recovery_plan",
            "Prépare l'acceptation de l'échéancier proposé dans le dossier de recouvrement de l'utilisateur ; "
            "il l'accepte dans l'application avec un code.",
            _object(),
            "money",
            accept_recovery_plan,
        ),
    )
}


def tool_specs(names=None) -> list[dict]:
    """The tools in OpenAI's format ({"type": "function", "function": {name, description,
    parameters}}), all of them or those named."""
    return [t.spec() for name, t in REGISTRY.items() if names is None or name in names]


# --- calling a tool -------------------------------------------------------------------------


def _refusal(code: str, message, **extra) -> ToolResult:
    facts = {"refused": code, "message": str(message)}
    facts.update(extra)
    return ToolResult(facts=facts, summary=f"refused: {code}", status=ToolCall.Status.REFUSED)


def _parse(arguments) -> dict | None:
    if arguments is None or arguments == "":
        return {}
    if isinstance(arguments, str):
        try:
            arguments = json.loads(arguments)
        except ValueError:
            return None
    return arguments if isinstance(arguments, dict) else None


def call_tool(actor, name: str, arguments, *, thread=None, engine: str = "") -> ToolResult:
    """Run tool `name` for `actor` with `arguments` (a dict, or the LLM's JSON text). An
    unknown tool, arguments off the schema or a module's refusal (DomainError) give a refusal
    ToolResult (facts {"refused": code, "message": translated}); anything else an error
    result. Every call is audited (ToolCall: masked arguments, status, duration)."""
    started = time.monotonic()
    identity.authenticated(actor)
    language = (thread.language if thread is not None else "") or actor.preferred_language or _language()
    parsed = _parse(arguments)
    tool = REGISTRY.get(name)
    with translation.override(language):
        if tool is None:
            result = _refusal(UnknownTool.code, UnknownTool.default_message)
        elif parsed is None or (errors := validate(parsed, tool.parameters)):
            result = _refusal(
                InvalidArguments.code,
                InvalidArguments.default_message,
                errors=["arguments: expected object"] if parsed is None else errors,
            )
        else:
            try:
                with transaction.atomic():  # a refusal half-way leaves nothing written
                    if tool.uses_thread:
                        result = tool.run(actor, parsed, thread=thread)
                    else:
                        result = tool.run(actor, parsed)
                    if result.action is not None and thread is not None:
                        result.action.thread = thread
                        result.action.save(update_fields=["thread", "updated_at"])
            except DomainError as refused:
                extra = {"field": refused.field} if refused.field else {}
                result = _refusal(refused.code, refused.message, **extra)
            except Exception:
                logger.exception("ai_tool_failed", extra={"tool": name})
                result = ToolResult(
                    facts={"error": "internal", "message": gettext("The assistant could not do this.")},
                    summary="error",
                    status=ToolCall.Status.ERROR,
                )
    audited = parsed if parsed is not None else {"raw": str(arguments)[:500]}
    ToolCall.objects.create(
        thread=thread,
        user=actor,
        name=str(name or "")[:60],
        arguments=mask(audited),
        status=result.status,
        summary=result.summary[:300],
        duration_ms=int((time.monotonic() - started) * 1000),
        engine=engine or "",
        refs=result.refs if result.status == ToolCall.Status.OK else {},
    )
    return result

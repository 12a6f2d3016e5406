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
from django.utils.translation import gettext_lazy as _

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
    NoOpenDue,
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


@dataclass(frozen=True)
class Tool:
    name: str
    description: str  # French: what the LLM reads
    parameters: dict  # a JSON Schema object, additionalProperties false
    kind: str  # "read" | "action" | "money"
    run: Callable[..., ToolResult] = field(repr=False)

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


def _new_action(actor, *, kind: str, params: dict, summary: str, amount: int | None, currency: str):
    return PreparedAction.objects.create(
        user=actor,
        kind=kind,
        params=params,
        summary=summary[:300],
        amount=amount,
        currency=currency or "",
        expires_at=timezone.now() + timedelta(minutes=settings.AI_ACTION_TTL_MINUTES),
    )


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
            "total": page.total,
        },
        summary=f"{len(hits)} listings found",
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
    """P2P by phone: checked (a valid number that is not the caller's, a balance that covers
    it), then refused: wallet.api has no P2P send yet (services/actions.py)."""
    phone = identity.normalize_phone(args["phone"], field="phone")
    if phone == str(actor.phone or ""):
        raise InvalidArguments(_("You cannot send money to yourself."), field="phone")
    info = _usable_wallet(actor, args.get("currency", "XOF"))
    if info.available < args["amount"]:
        raise WalletBalanceTooLow()
    raise ToolUnavailable(_("Sending money is done from the « Send » screen of your wallet."))


def accept_recovery_plan(actor, args: dict) -> ToolResult:
    """A payment plan is accepted with the code of its own SMS (recovery's debtor portal):
    recovery.api has no acceptance yet; the caller's open case is checked first."""
    if not any(str(c.status) != "closed" for c in recovery.cases_of_tenant(actor.public_id)):
        raise NotFound(_("You have no open recovery case."))
    raise ToolUnavailable(_("A payment plan is accepted from the link in the SMS your agency sent you."))


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
            "send_money",
            "Prépare un envoi d'argent du portefeuille vers un numéro de téléphone. Rien n'est envoyé sans "
            "la confirmation de l'utilisateur.",
            _object(
                {
                    "phone": {"type": "string", "minLength": 8, "maxLength": 32},
                    "amount": {"type": "integer", "minimum": 1, "maximum": 100_000_000},
                    "currency": {"type": "string", "enum": ["XOF", "XAF"]},
                },
                ("phone", "amount"),
            ),
            "money",
            send_money,
        ),
        Tool(
            "accept_recovery_plan",
            "Prépare l'acceptation de l'échéancier proposé dans le dossier de recouvrement de l'utilisateur.",
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
    )
    return result

"""The offline assistant's answers: one template per intent (and per case: nothing due, no
receipt…), filled from the facts a tool returned, in French or English.

Facts are plain values: amounts as `amount` (int, minor units) with `currency`; dates as
`datetime.date` or ISO strings; lists as lists of dicts. A missing fact picks the template
that does without it (or the question that asks for it), never an error.
"""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from apps.core.money import format_amount

__all__ = ["offline_notice", "reply", "suggestions"]

_BANDS = {
    "excellent": _("excellent"),
    "good": _("good"),
    "fair": _("fair"),
    "weak": _("weak"),
    "poor": _("poor"),
}
_ISSUES = {
    "plumbing": _("plumbing"),
    "electricity": _("electricity"),
    "lock": _("lock"),
    "other": _("other"),
}
_SUGGESTIONS = (
    _("How much do I owe?"),
    _("Send me my payment link"),
    _("What is my rent score?"),
    _("When is my turn in the tontine?"),
    _("Find a flat in Cotonou under 80,000"),
)


def _money(value, language: str, currency: str | None = None) -> str:
    """An amount as the tools give it ({"amount", "currency"}) or as an int with `currency`."""
    if isinstance(value, dict):
        return format_amount(int(value["amount"]), value.get("currency") or "XOF", language)
    return format_amount(int(value), currency or "XOF", language)


def _has_money(value) -> bool:
    if isinstance(value, dict):
        return bool(value.get("amount"))
    return bool(value) and not isinstance(value, bool)


def _as_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    return value


def _day(value, language: str, *, weekday: bool = False) -> str:
    return format_date(_as_date(value), "full" if weekday else "long", locale=language)


def _period(value, language: str) -> str:
    """A rent's month: « décembre 2025 » from "2025-12-01" or "2025-12"; other text as is."""
    text = str(value or "")
    if len(text) in (7, 10) and text[:4].isdigit() and text[4] == "-":
        return format_date(date.fromisoformat(f"{text[:7]}-01"), "MMMM y", locale=language)
    return text


def _lines(items) -> str:
    return "\n".join(f"• {item}" for item in items)


def suggestions(*, language: str) -> list[str]:
    """What the user can ask, as examples (for « I did not understand » and the first screen)."""
    with translation.override(language):
        return [str(text) for text in _SUGGESTIONS]


def offline_notice(*, language: str) -> str:
    with translation.override(language):
        return str(_("The language model is unavailable right now; the offline assistant answers."))


def reply(intent: str, facts: dict | None = None, *, language: str, offline: bool = False) -> str:
    """The answer to `intent` in `language` ("fr" or "en"), filled from `facts` (what a tool
    returned; a tool's refusal {"refused"|"error", "message"} is said as is); prefixed with
    the offline notice when `offline`. `reply("fallback", …)` is the notice alone."""
    language = language if language in ("fr", "en") else "fr"
    facts = dict(facts or {})
    with translation.override(language):
        if intent == "fallback":
            return offline_notice(language=language)
        if (facts.get("refused") or facts.get("error")) and facts.get("message"):
            text = str(facts["message"])
        else:
            text = _RENDERERS.get(intent, _unknown)(facts, language)
        if offline:
            text = f"{offline_notice(language=language)}\n\n{text}"
    return text


# --- one renderer per intent ---------------------------------------------------------------------
# Each reads the facts of the tool the assistant calls for the intent (apps/ai/services/tools.py)
# and, for the tools still to come, the plain keys named in the templates.
def _balance(facts, language):
    value = facts.get("available") or facts.get("balance") or facts.get("amount")
    if value is None:
        return str(_("You do not have a Hokwe wallet yet: open one from the Wallet tab."))
    return str(_("Your wallet balance is %(amount)s.")) % {
        "amount": _money(value, language, facts.get("currency"))
    }


def _dues(facts, language):
    following = facts.get("next_due") or {}
    owed = facts.get("total_owed") or facts.get("amount") or following.get("amount")
    if not _has_money(owed):
        return str(_("You are up to date: no rent is due."))
    due_date = following.get("due_date") or facts.get("due_date")
    overdue = facts.get("overdue") or any(row.get("overdue") for row in facts.get("leases") or [])
    values = {
        "amount": _money(owed, language, facts.get("currency")),
        "period": _period(following.get("period") or facts.get("period", ""), language),
    }
    if due_date:
        values["date"] = _day(due_date, language)
        if overdue:
            return str(_("You owe %(amount)s for %(period)s, overdue since %(date)s.")) % values
        return str(_("You owe %(amount)s for %(period)s, due %(date)s.")) % values
    return str(_("You owe %(amount)s for %(period)s.")) % values


def _pay_link(facts, language):
    url = facts.get("pay_url") or facts.get("url")
    if not url:
        return str(_("You have nothing to pay right now, so there is no payment link."))
    if facts.get("sent") and facts.get("to") and _has_money(facts.get("amount")):
        return str(_("I have sent your payment link for %(amount)s by SMS to %(to)s: %(url)s")) % {
            "amount": _money(facts["amount"], language, facts.get("currency")),
            "to": facts["to"],
            "url": url,
        }
    if _has_money(facts.get("amount")):
        return str(_("Here is your payment link for %(amount)s (mobile money or card): %(url)s")) % {
            "amount": _money(facts["amount"], language, facts.get("currency")),
            "url": url,
        }
    return str(_("Here is your payment link: %(url)s")) % {"url": url}


def _receipts(facts, language):
    rows = facts.get("receipts") or facts.get("payments") or []
    rows = [row for row in rows if _has_money(row.get("paid", row.get("amount")))]
    if not rows:
        return str(_("You have no receipts yet: one is issued after each rent payment."))
    lines = []
    for row in rows:
        values = {
            "period": _period(row.get("period") or row.get("month", ""), language),
            "amount": _money(row.get("paid", row.get("amount")), language, row.get("currency")),
        }
        if row.get("url"):
            lines.append(str(_("%(period)s: %(amount)s — %(url)s")) % {**values, "url": row["url"]})
        else:
            lines.append(str(_("%(period)s: %(amount)s paid")) % values)
    text = str(_("Your latest receipts:")) + "\n" + _lines(lines)
    if facts.get("receipts_in_app"):
        text += "\n" + str(_("Each receipt (PDF) is in the app, under Payments."))
    return text


def _reason_texts(facts) -> list[str]:
    return [str(r.get("text", "")) if isinstance(r, dict) else str(r) for r in facts.get("reasons") or []]


def _score(facts, language):
    if facts.get("score") is None:
        return str(
            _("You do not have a rent score yet: it appears after a few months of rent paid through Hokwe.")
        )
    band = _BANDS.get(str(facts.get("band", "")), "")
    return str(_("Your rent score is %(score)s out of 850 (%(band)s).")) % {
        "score": facts["score"],
        "band": str(band) or facts.get("band", ""),
    }


def _score_why(facts, language):
    if facts.get("score") is None:
        return _score(facts, language)
    reasons = _reason_texts(facts)
    if facts.get("previous") is not None and facts["previous"] != facts["score"]:
        head = str(_("Your score went from %(previous)s to %(score)s.")) % {
            "previous": facts["previous"],
            "score": facts["score"],
        }
    else:
        head = str(_("Your score is %(score)s.")) % {"score": facts["score"]}
    if not reasons:
        return head
    return head + " " + str(_("What weighs most:")) + "\n" + _lines(reasons)


def _recovery_case(facts, language):
    case = facts.get("case") if isinstance(facts.get("case"), dict) else facts
    owed = case.get("remaining") or case.get("amount_owed") or case.get("amount")
    if not _has_money(owed):
        return str(_("You have no open debt case."))
    text = str(_("You have an open debt case: %(amount)s left to pay.")) % {
        "amount": _money(owed, language, case.get("currency")),
    }
    plan = facts.get("plan") if isinstance(facts.get("plan"), dict) else facts
    if _has_money(plan.get("next_amount")) and plan.get("next_date"):
        text += " " + str(_("Next instalment of your plan: %(next_amount)s on %(next_date)s.")) % {
            "next_amount": _money(
                plan["next_amount"], language, plan.get("currency") or case.get("currency")
            ),
            "next_date": _day(plan["next_date"], language),
        }
    return text


def _promise_to_pay(facts, language):
    if not facts.get("date"):
        text = str(
            _("On what date can you pay? For example: « on the 15th » or « at the end of the month ».")
        )
        if _has_money(facts.get("owed")):
            text = (
                str(_("You still owe %(owed)s on your debt case."))
                % {"owed": _money(facts["owed"], language)}
                + " "
                + text
            )
        return text
    if not _has_money(facts.get("amount")):
        return str(_("How much can you pay on %(date)s?")) % {"date": _day(facts["date"], language)}
    return str(
        _(
            "Your promise to pay %(amount)s by %(date)s is recorded on your debt case: the reminders wait until "
            "then."
        )
    ) % {
        "amount": _money(facts["amount"], language, facts.get("currency")),
        "date": _day(facts["date"], language),
    }


def _accept_plan(facts, language):
    prepared = facts.get("prepared")
    plan = facts.get("plan") if isinstance(facts.get("plan"), dict) else {}
    if not (isinstance(prepared, dict) and prepared.get("summary")):
        return str(_("No payment plan is waiting for your acceptance: ask your agency to propose one."))
    text = str(_("%(summary)s: confirm with your code.")) % {"summary": prepared["summary"]}
    rows = [
        str(_("%(date)s: %(amount)s"))
        % {"date": _day(row["due_on"], language), "amount": _money(row["amount"], language)}
        for row in plan.get("installments") or []
    ]
    if rows:
        text += "\n" + _lines(rows)
    return text


def _tontine_turn(facts, language):
    rows = facts.get("tontines")
    if rows is not None:  # the tool's shape: one row per group
        if not rows:
            return str(_("You are not in a Cotis'Hokwe tontine yet."))
        row = next((r for r in rows if r.get("turn_date") and not r.get("turn_paid")), None) or rows[0]
        if not row.get("turn_date"):
            return str(
                _("Your turn in « %(tontine)s » is not set yet: it comes with the draw or the bids.")
            ) % {"tontine": row.get("tontine", "")}
        return str(_("Your turn in « %(tontine)s » is on %(date)s: you will receive %(amount)s.")) % {
            "tontine": row.get("tontine", ""),
            "date": _day(row["turn_date"], language),
            "amount": _money(row["pot"], language),
        }
    if not facts.get("date"):
        return str(_("You are not in a Cotis'Hokwe tontine yet."))
    return str(_("Your turn in « %(tontine)s » is on %(date)s: you will receive %(amount)s.")) % {
        "tontine": facts.get("tontine", ""),
        "date": _day(facts["date"], language),
        "amount": _money(facts.get("amount") or 0, language, facts.get("currency")),
    }


def _search_listings(facts, language):
    listings = facts.get("listings") or []
    if not listings:
        return str(_("No listing matches yet. Try a higher budget or a nearby neighbourhood."))
    lines = []
    for row in listings:
        place = row.get("place") or ", ".join(p for p in (row.get("neighbourhood"), row.get("city")) if p)
        lines.append(
            str(_("%(title)s, %(place)s: %(price)s a month"))
            % {
                "title": row.get("title", ""),
                "place": place,
                "price": _money(row["price"], language, row.get("currency")),
            }
        )
    count = facts.get("total") or facts.get("count") or len(listings)
    if facts.get("total_exact") is False:  # counted over a sample of many matches
        return str(_("I found about %(count)s listings:")) % {"count": count} + "\n" + _lines(lines)
    return str(_("I found %(count)s listings:")) % {"count": count} + "\n" + _lines(lines)


def _book_visit(facts, language):
    listing = facts.get("listing")
    if isinstance(listing, dict):  # the tool's shape
        title = listing.get("title", "")
        if facts.get("booked") and isinstance(facts.get("visit"), dict):
            visit = facts["visit"]
            if facts.get("already"):
                return str(
                    _(
                        "You already have a visit of « %(listing)s » on %(when)s (%(place)s). Booking code: %(code)s."
                    )
                ) % {
                    "listing": title,
                    "when": visit.get("when", ""),
                    "place": visit.get("place", ""),
                    "code": visit.get("code", ""),
                }
            return str(
                _(
                    "Your visit of « %(listing)s » is booked for %(when)s (%(place)s). Booking code: %(code)s; "
                    "an SMS confirms it."
                )
            ) % {
                "listing": title,
                "when": visit.get("when", ""),
                "place": visit.get("place", ""),
                "code": visit.get("code", ""),
            }
        slots = facts.get("slots") or []
        head = ""
        if facts.get("no_slot_on"):
            head = (
                str(_("No visit slot is open on %(date)s.")) % {"date": _day(facts["no_slot_on"], language)}
                + " "
            )
        if not slots:
            return head + str(_("« %(listing)s » has no open visit slot yet: ask again in a few days.")) % {
                "listing": title
            }
        lines = [
            f"{row.get('when', '')} — {row.get('place', '')}" if row.get("place") else row.get("when", "")
            for row in slots
        ]
        return (
            head
            + str(_("Open visit slots for « %(listing)s »:")) % {"listing": title}
            + "\n"
            + _lines(lines)
            + "\n"
            + str(_("Tell me the day you prefer and I will book it."))
        )
    if not facts.get("date"):
        return str(_("Which day would you like to visit?"))
    return str(_("Visit of « %(listing)s » requested for %(date)s. The owner will confirm it.")) % {
        "listing": listing or "",
        "date": _day(facts["date"], language, weekday=True),
    }


def _maintenance_ticket(facts, language):
    if facts.get("opened"):  # the tool's shape
        return str(_("Your ticket « %(title)s » is open for %(property)s. Your manager has been told.")) % {
            "title": facts.get("title", ""),
            "property": facts.get("property", ""),
        }
    if not facts.get("number"):
        return str(_("Tell me what is broken and where (for example: « the kitchen tap leaks »)."))
    return str(_("Ticket %(number)s is open (%(kind)s). Your manager has been told.")) % {
        "number": facts["number"],
        "kind": str(_ISSUES.get(facts.get("kind", "other"), _ISSUES["other"])),
    }


def _pay_from_wallet(facts, language):
    prepared = facts.get("prepared")
    if isinstance(prepared, dict) and prepared.get("summary"):
        text = str(_("%(summary)s: confirm with your code.")) % {"summary": prepared["summary"]}
        if facts.get("balance_after"):
            text += " " + str(_("Your balance afterwards: %(balance)s.")) % {
                "balance": _money(facts["balance_after"], language)
            }
        return text
    if not _has_money(facts.get("amount")):
        return _dues({}, language)
    if facts.get("insufficient"):
        return str(_("Your wallet holds %(balance)s, not enough to pay %(amount)s. Top it up first.")) % {
            "balance": _money(facts.get("balance") or 0, language, facts.get("currency")),
            "amount": _money(facts["amount"], language, facts.get("currency")),
        }
    return str(_("Pay %(amount)s for %(period)s from your wallet? Confirm with your code.")) % {
        "amount": _money(facts["amount"], language, facts.get("currency")),
        "period": _period(facts.get("period", ""), language),
    }


def _send_money(facts, language):
    prepared = facts.get("prepared")
    if isinstance(prepared, dict) and prepared.get("summary"):  # the tool's shape
        text = str(_("%(summary)s: confirm with your code. Nothing leaves your wallet until you do.")) % {
            "summary": prepared["summary"]
        }
        if facts.get("claim_days"):
            text += " " + str(
                _(
                    "This number has no Hokwe account yet: the money waits %(days)s days for it to sign up, "
                    "then comes back to you."
                )
            ) % {"days": facts["claim_days"]}
        return text
    if not _has_money(facts.get("amount")):
        return str(_("How much do you want to send?"))
    if not facts.get("recipient"):
        return str(_("To which phone number?"))
    return str(_("Send %(amount)s to %(recipient)s? Confirm with your code.")) % {
        "amount": _money(facts["amount"], language, facts.get("currency")),
        "recipient": facts["recipient"],
    }


def _help(facts, language):
    articles = facts.get("articles") or []
    if not articles:
        return str(_("The help centre answers most questions: %(url)s")) % {"url": facts.get("url", "/help/")}
    lines = [f"{row.get('title', '')}: {row.get('url', '')}" for row in articles]
    return str(_("These help articles should answer you:")) + "\n" + _lines(lines)


def _human(facts, language):
    return str(_("I have asked an agent to take over: they will answer here as soon as they can."))


def _greeting(facts, language):
    if facts.get("name"):
        hello = str(_("Hello %(name)s!")) % {"name": facts["name"]}
    else:
        hello = str(_("Hello!"))
    return (
        hello
        + " "
        + str(
            _(
                "I can tell you what you owe, send your payment link, show your receipts and score, or find a flat."
            )
        )
    )


def _thanks(facts, language):
    return str(_("You are welcome! Anything else?"))


def _advice(facts, language):
    return str(
        _(
            "I cannot give legal or financial advice. Ask to talk to an agent, or read the help centre: %(url)s"
        )
    ) % {"url": facts.get("url", "/help/")}


def _other_user(facts, language):
    return str(_("I can only talk about your own account."))


def _injection(facts, language):
    return str(_("I cannot do that. I can help with your rent, your wallet, your score and listings."))


def _unknown(facts, language):
    text = (
        str(_("I did not understand. You can ask, for example:"))
        + "\n"
        + _lines(suggestions(language=language))
    )
    if facts.get("articles"):
        text = _help(facts, language) + "\n\n" + text
    return text


_RENDERERS = {
    "balance": _balance,
    "dues": _dues,
    "pay_link": _pay_link,
    "receipts": _receipts,
    "score": _score,
    "score_why": _score_why,
    "recovery_case": _recovery_case,
    "promise_to_pay": _promise_to_pay,
    "tontine_turn": _tontine_turn,
    "search_listings": _search_listings,
    "book_visit": _book_visit,
    "maintenance_ticket": _maintenance_ticket,
    "pay_from_wallet": _pay_from_wallet,
    "send_money": _send_money,
    "accept_plan": _accept_plan,
    "help": _help,
    "human": _human,
    "greeting": _greeting,
    "thanks": _thanks,
    "advice": _advice,
    "other_user": _other_user,
    "injection": _injection,
    "unknown": _unknown,
}

"""The agency's global search (/manager/search/?q=): one box in the app shell, answers from
every module that registers a provider.

Each module that has something to find writes an `apps/<module>/search.py` (found by
`discovery`, core never names a module) with

    def search(user, q: str, limit: int) -> list[Result]: ...

returning at most `limit` results among the rows of the user's own organizations, in a
bounded number of queries (a few per kind). `phone_variants(q)` turns the local ways of
writing a number (« 97 00 00 01 », « 01 97 00 00 01 », « +229 01 97 00 00 01 », « 00229… »)
into digit strings to look for inside stored E.164 numbers.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import cache

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..discovery import import_parts

logger = logging.getLogger(__name__)

LIMIT_PER_PROVIDER = 20
MAX_QUERY_LENGTH = 100
MIN_QUERY_LENGTH = 2


@dataclass(frozen=True)
class Result:
    kind: str  # stable key ("tenant", "unit", "lease", "receipt", "payment"): data-kind attribute
    kind_label: str  # what a person reads (« Locataire »)
    title: str
    url: str
    detail: str = ""


@cache
def providers() -> list[tuple[str, object]]:
    """[(module label, its `search` function)] from every apps/<m>/search.py."""
    return [
        (label, module.search)
        for label, module in import_parts("search")
        if callable(getattr(module, "search", None))
    ]


_NOT_A_PHONE = re.compile(r"[^\d\s+().\-/]")
_BENIN_OLD = re.compile(r"^229(\d{8})$")  # +229 97 00 00 01, before the 01 prefix (2024)


def phone_variants(q: str) -> list[str]:
    """Digit strings to find inside stored E.164 numbers (« +2290197000001 »), or [] when `q`
    is not a phone number (letters, or fewer than 4 digits)."""
    text = (q or "").strip()
    if not text or _NOT_A_PHONE.search(text):
        return []
    digits = re.sub(r"\D", "", text)
    if digits.startswith("00"):
        digits = digits[2:]
    if len(digits) < 4:
        return []
    variants = [digits]
    old = _BENIN_OLD.match(digits)
    if old:
        variants.append(old.group(1))
    return variants


def search(user, q: str, limit: int = LIMIT_PER_PROVIDER) -> list[tuple[str, list[Result]]]:
    """[(module label, its results)] for the non-empty answers, each at most `limit` long."""
    q = (q or "").strip()[:MAX_QUERY_LENGTH]
    if len(q) < MIN_QUERY_LENGTH:
        return []
    answers = []
    for label, provider in providers():
        found = list(provider(user, q, limit))[:limit]
        if found:
            answers.append((label, found))
    return answers


@login_required
@require_GET
def search_page(request):
    q = (request.GET.get("q") or "").strip()[:MAX_QUERY_LENGTH]
    answers = search(request.user, q)
    results = [result for _label, found in answers for result in found]
    return render(
        request,
        "manager/search.html",
        {
            "q": q,
            "results": results,
            "too_short": bool(q) and len(q) < MIN_QUERY_LENGTH,
            "limit": LIMIT_PER_PROVIDER,
        },
    )

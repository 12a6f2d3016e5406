"""The app shell's navigation: one menu for every page, made of what each module registers.

Each module that has pages writes an `apps/<module>/nav.py` (found by `discovery`, core never
names a module) with:
- `ENTRIES`: a list of `Entry` — a label, a URL name, the roles that see it, a short label
  for the phone's bottom bar, an order, and optionally a home priority: the module says
  its page is the landing page of those roles;
- `roles(user) -> set[str]` (optional): the roles the module knows the user has.

Roles are plain strings. Identity gives `<organization kind>.<membership role>`
(`agency.manager`, `agency.collector`, `merchant.collector`, `owner.owner`); other modules
add their own (`landlord`, `tenant` from estate); core adds `staff` and `user` (any
signed-in user). An entry's `roles` are patterns matched with fnmatch (`*.owner`,
`agency.*`, `*`). The menu of a request is computed once and kept on the request.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from functools import cache

from django.db import DatabaseError
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .discovery import import_parts

logger = logging.getLogger(__name__)

# Main entries beyond this count move into the « More » menu on a laptop; the phone's
# bottom bar holds this many entries and « More » (the rest), or all of them when they fit.
TOP_BAR_MAX = 9
BOTTOM_BAR_SIZE = 4


@dataclass(frozen=True)
class Entry:
    key: str  # unique, stable (tests and data-nav attributes use it)
    label: str  # gettext_lazy
    url: str  # a URL name: "manager:estate-leases", "payments:merchant"
    roles: tuple[str, ...]  # fnmatch patterns over the user's roles; any match shows it
    short_label: str | None = None  # the phone's bottom bar (the label when None)
    order: int = 100  # smaller first
    group: str = "main"  # "main": in the top bar; "more": behind « More » (account, admin)
    phone: int | None = None  # rank in the phone's bottom bar (smaller first; None: by order)
    home: int | None = None  # a landing page: the highest priority among the user's wins
    home_roles: tuple[str, ...] | None = None  # who lands here (the entry's roles when None)
    parent: str | None = None  # a page inside another entry's area: a tab under the bar there


@dataclass(frozen=True)
class Item:
    key: str
    label: str
    short_label: str
    href: str
    current: bool
    primary: bool  # shown in the laptop's top bar (else in « More »)
    bottom: bool  # shown in the phone's bottom bar (else in « More »)


@dataclass
class Menu:
    roles: frozenset[str]
    items: list[Item] = field(default_factory=list)
    tabs: list[Item] = field(default_factory=list)  # the current area's own pages
    home: str | None = None  # the URL of the user's landing page

    def has_role(self, patterns) -> bool:
        if isinstance(patterns, str):
            patterns = patterns.replace(",", " ").split()
        return _matches(self.roles, patterns)

    @property
    def keys(self) -> list[str]:
        return [item.key for item in self.items]

    @property
    def has_secondary(self) -> bool:
        return any(not item.primary for item in self.items)

    @property
    def has_overflow(self) -> bool:
        return any(not item.bottom for item in self.items)

    @property
    def current_in_more(self) -> str:
        """Where the current entry hides behind « More »: "wide" (the laptop's), "phone", both."""
        current = next((item for item in self.items if item.current), None)
        if current is None:
            return ""
        return " ".join(
            w for w, hidden in (("wide", not current.primary), ("phone", not current.bottom)) if hidden
        )


HOME = Entry(key="home", label=_("Home"), url="manager:home", roles=())

# core's own: the back-office for Hokwe staff
CORE_ENTRIES = [
    Entry(
        key="admin",
        label=_("Back-office"),
        short_label=_("Admin"),
        url="admin:index",
        roles=("staff",),
        order=1000,
        group="more",
        home=20,
    ),
    # the agency office's calendar and global search (apps/core/web/calendar.py, search.py):
    # pages of core fed by every module's providers
    Entry(
        key="calendar",
        label=_("Calendar"),
        url="manager:calendar",
        roles=("agency.owner", "agency.manager", "agency.accountant", "agency.viewer"),
        order=880,
    ),
    Entry(
        key="search",
        label=_("Search"),
        url="manager:search",
        roles=("agency.owner", "agency.manager", "agency.accountant", "agency.viewer"),
        order=885,
        group="more",
    ),
]


@cache
def registry() -> tuple[list[Entry], list]:
    """(every entry, every module's `roles` function), read once from the modules' nav.py."""
    entries = list(CORE_ENTRIES)
    resolvers = []
    seen = {entry.key for entry in entries}
    for label, module in import_parts("nav"):
        for entry in getattr(module, "ENTRIES", []):
            if entry.key in seen:
                raise ValueError(f"{label}.nav: the entry {entry.key!r} is already registered")
            seen.add(entry.key)
            entries.append(entry)
        if callable(getattr(module, "roles", None)):
            resolvers.append(module.roles)
    entries.sort(key=lambda e: (e.order, e.key))
    return entries, resolvers


def _matches(roles, patterns) -> bool:
    return any(fnmatchcase(role, pattern) for pattern in patterns for role in roles)


def user_roles(user) -> frozenset[str]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    roles = {"user"}
    if user.is_staff:
        roles.add("staff")
    for resolver in registry()[1]:
        roles |= set(resolver(user))
    return frozenset(roles)


def _href(entry: Entry) -> str | None:
    try:
        return reverse(entry.url)
    except NoReverseMatch:  # a page not mounted in this deployment
        return None


def build(user, path: str = "") -> Menu:
    roles = user_roles(user)
    menu = Menu(roles=roles)
    if not roles:
        return menu
    shown = [(e, href) for e in registry()[0] if _matches(roles, e.roles) and (href := _href(e))]
    visible = [(e, href) for e, href in shown if e.parent is None]
    homes = [
        (e.home, -e.order, href)
        for e, href in visible
        if e.home is not None and _matches(roles, e.home_roles or e.roles)
    ]
    menu.home = max(homes)[2] if homes else None
    if menu.home and path == _href(HOME):  # /manager/ shows the home in place
        path = menu.home
    # the current page: the longest URL that starts the path (/manager/estate/leases/… → leases)
    here = max(shown, key=lambda pair: len(pair[1]) if path.startswith(pair[1]) else -1, default=None)
    if here is not None and not path.startswith(here[1]):
        here = None
    area = (here[0].parent or here[0].key) if here else None
    few = len(visible) <= BOTTOM_BAR_SIZE  # all fit the bar: no « More »
    by_phone = sorted(visible, key=lambda pair: (pair[0].phone is None, pair[0].phone or 0, pair[0].order))
    bottom = {e.key for e, _h in (by_phone if few else by_phone[:BOTTOM_BAR_SIZE])}
    main = [e.key for e, _h in visible if e.group == "main"][:TOP_BAR_MAX]
    menu.items = [
        Item(
            key=e.key,
            label=e.label,
            short_label=e.short_label or e.label,
            href=href,
            current=e.key == area,
            primary=len(visible) <= BOTTOM_BAR_SIZE + 1 or e.key in main,
            bottom=e.key in bottom,
        )
        for e, href in visible
    ]
    parent = next(((e, href) for e, href in visible if e.key == area), None)
    children = [(e, href) for e, href in shown if area and e.parent == area]
    if parent and children:
        menu.tabs = [
            Item(
                key=e.key,
                label=e.label,
                short_label=e.short_label or e.label,
                href=href,
                current=here is not None and e.key == here[0].key,
                primary=True,
                bottom=False,
            )
            for e, href in [parent, *children]
        ]
    return menu


def for_request(request) -> Menu:
    """The menu of the signed-in user of `request`, computed once per request. The database
    out of reach (the 500 page of a broken transaction): no menu rather than a second error."""
    menu = getattr(request, "_hokwe_menu", None)
    if menu is None:
        try:
            menu = build(getattr(request, "user", None), request.path)
        except DatabaseError:
            logger.warning("navigation.unavailable", exc_info=True)
            menu = Menu(roles=frozenset())
        request._hokwe_menu = menu
    return menu

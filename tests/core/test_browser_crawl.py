"""The crawler (issue 18): for each demo role, log in, follow every link of its navigation, then
the links found on those pages (bounded), in headless Chromium at 390 px and 1366 px, and fail
on what a user would meet:
- a 4xx or 5xx;
- a horizontal overflow (`scrollWidth > innerWidth`);
- a console error (a CSP violation included) or an uncaught script error;
- a raw enum value (`mobile_money`) or a known English word on a French page;
- a form field without a label;
- a dead end (a page without navigation).
Bounded: at most MAX_PAGES pages per role. One test crawls every role on one seeding of the demo
(seeding is the expensive part: once, not once per role).
The market's pages get a crawl of their own, from the agency's listings and from /market/.
Downloads (PDF, CSV, XLSX), logout, the admin and other hosts are not followed."""

import re
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command

from tests.fixtures.browser import session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAX_PAGES = 18
WIDTHS = (390, 1366)
FOLLOWED = ("/manager/", "/merchant/", "/pay/me", "/pay/", "/wallet/", "/scoring/", "/lending/", "/market/")
SKIPPED = re.compile(r"logout|/admin/|\.pdf$|\.csv$|\.xlsx$|/export|/download|[?&]format=|/pdf/?$|/sandbox")
# snake_case words shown to people are enum values that missed their label
RAW_ENUM = re.compile(r"\b[a-z]+_[a-z]+(?:_[a-z]+)*\b")
ENGLISH = re.compile(
    r"\b(Save|Submit|Delete|Amount|Tenant|Tenants|Lease|Leases|Search|Previous|Next page|None|"
    r"Dashboard|Properties|Receipts|Dues|Statements|Tickets|Log out|Status|Unit|Units|pending|"
    r"succeeded|failed|active|ended|canceled|overdue|owner|manager|viewer|collector|cash|"
    r"Yes|No|Back|Close|Open|Paid|Unpaid|Due date|Period|Settings|Profile|Team)\b"
)

ROLES = {
    "agency owner": "+2290197000001",
    "agency viewer": "+2290197000005",
    "agency collector": "+2290197000004",
    "landlord": "+2290196000001",
    "merchant agent": "+2290166000001",
    "tenant": "+2290161000001",
}

MARKET_STARTS = {"agency owner": "/manager/market/listings/", "tenant": "/market/"}

PAGE_CHECKS = """() => {
  const main = document.querySelector('main') || document.body;
  const text = main.innerText;
  const unlabeled = [];
  for (const field of document.querySelectorAll('input, select, textarea')) {
    const type = (field.getAttribute('type') || '').toLowerCase();
    if (['hidden', 'submit', 'button', 'reset', 'image'].includes(type)) continue;
    if (field.closest('[hidden]')) continue;
    const labelled = field.labels && field.labels.length
      || field.getAttribute('aria-label') || field.getAttribute('aria-labelledby') || field.getAttribute('title');
    if (!labelled) unlabeled.push(field.name || field.id || field.outerHTML.slice(0, 60));
  }
  return {
    lang: document.documentElement.lang,
    text,
    unlabeled,
    hasNav: !!document.querySelector('nav a, header a'),
    links: Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href')),
  };
}"""
OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"
# A visible menu entry or button of the top bar must not be covered by another (a menu too long
# for the bar slides under the search box and cannot be clicked).
COVERED = """() => Array.from(document.querySelectorAll('header a, header summary, header button, header input'))
  .filter(el => el.offsetParent !== null && el.getClientRects().length)
  .filter(el => el.tagName === 'SUMMARY' || !el.closest('details:not([open])'))
  .filter(el => { const r = el.getBoundingClientRect(); if (r.width < 2 || r.height < 2) return false;
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return hit && !el.contains(hit) && !hit.contains(el); })
  .map(el => (el.innerText || el.getAttribute('placeholder') || el.outerHTML).trim().slice(0, 40))"""


def _without_code(text: str) -> str:
    """Receipt numbers, references and e-mails may contain underscores or English-looking
    tokens legitimately; they are not prose."""
    return re.sub(r"\S+@\S+|https?://\S+|\b[A-Z]{1,3}-?\d[\w/-]*", " ", text)


def _followable(base: str, href: str) -> str | None:
    if not href or href.startswith(("#", "mailto:", "tel:", "sms:", "geo:", "javascript:", "whatsapp:")):
        return None
    url = urljoin(base + "/", href)
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != base:
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if SKIPPED.search(path) or not parts.path.startswith(FOLLOWED):
        return None
    return path


def test_every_page_each_role_reaches_is_clean(browser, live_server, settings):
    from apps.identity.models import User

    # the market's map tiles from this server (no internet here): a real image on every tile
    settings.MARKET_TILE_URL = live_server.url + "/static/vendor/leaflet/images/layers.png?{z}/{x}/{y}"

    call_command("seed_demo", "--no-progress", "--quiet-logins")
    report = []
    for role in sorted(ROLES):
        visited, problems = _crawl(browser, live_server.url, User.objects.get(phone=ROLES[role]), role)
        assert len(visited) >= 3, (role, visited)
        if problems:
            report.append(
                f"{role}: {len(problems)} problems on {len(visited)} pages:\n" + "\n".join(problems)
            )
    # the market's own pages, which the menus' first pages do not reach within the bound
    for role, start in MARKET_STARTS.items():
        user = User.objects.get(phone=ROLES[role])
        visited, problems = _crawl(browser, live_server.url, user, role, start=start)
        assert any(path.startswith(start) for path in visited), (role, visited)
        if problems:
            report.append(f"{role} from {start}: {len(problems)} problems:\n" + "\n".join(problems))
    assert not report, "\n\n".join(report)


def _crawl(browser, base: str, user, role: str, start: str = "") -> tuple[list[str], list[str]]:
    context = browser.new_context(viewport={"width": WIDTHS[0], "height": 844}, locale="fr-FR")
    context.add_cookies([session_cookie(user, base)])
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console.append(str(e)))
    page.on("response", lambda r: console.append(f"HTTP {r.status} {r.url}") if r.status >= 400 else None)

    start = start or ("/pay/" if role == "tenant" else "/manager/")
    queue, seen, problems, visited = [start], {start}, [], []
    while queue and len(visited) < MAX_PAGES:
        path = queue.pop(0)
        console.clear()
        page.set_viewport_size({"width": WIDTHS[0], "height": 844})
        try:
            response = page.goto(base + path, wait_until="load")
        except Exception as exc:  # a download (an attachment answer) is not a page
            if "Download is starting" in str(exc):
                continue
            raise
        visited.append(path)
        if response is None or response.status >= 400:
            problems.append(f"{path}: HTTP {response.status if response else '?'}")
            continue
        if "text/html" not in (response.headers.get("content-type") or ""):
            continue
        here = urlsplit(page.url).path
        facts = page.evaluate(PAGE_CHECKS)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 844 if width < 600 else 768})
            overflow = page.evaluate(OVERFLOW)
            if overflow > 0:
                problems.append(f"{here} @{width}px: {overflow} px of horizontal overflow")
            covered = page.evaluate(COVERED)
            if covered:
                problems.append(f"{here} @{width}px: top-bar controls covered by others {covered[:4]}")
        if console:
            problems.append(f"{here}: console errors {console[:3]}")
        if facts["lang"].startswith("fr"):
            prose = _without_code(facts["text"])
            raw = sorted({prose[max(0, m.start() - 20) : m.end() + 20] for m in RAW_ENUM.finditer(prose)})
            if raw:
                problems.append(f"{here}: raw values {raw[:6]}")
            english = [prose[max(0, m.start() - 25) : m.end() + 25] for m in ENGLISH.finditer(prose)]
            if english:
                problems.append(f"{here}: English words {sorted(set(english))[:4]}")
        if facts["unlabeled"]:
            problems.append(f"{here}: fields without a label {facts['unlabeled'][:4]}")
        if not facts["hasNav"]:
            problems.append(f"{here}: no navigation (a dead end)")
        for href in facts["links"]:
            target = _followable(base, urljoin(base + here, href) if not href.startswith("/") else href)
            if target and target not in seen:
                seen.add(target)
                queue.append(target)
    context.close()
    return visited, problems

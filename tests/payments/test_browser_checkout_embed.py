"""The checkout embedded in a partner's page, in a real Chromium (issue 18): the partner page
is served by a small local HTTP server on another loopback origin and frames the checkout with
static/payments/checkout.js; the payer pays with the sandbox provider inside the frame (the
provider step is framed by the partner's origin only) and the partner page hears « paid »."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from apps.payments import api
from apps.payments.contracts import IntentStatus, PurposeRef
from tests.identity.factories import OrganizationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PARTNER_PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Résidence Les Palmiers</title></head>
<body><h1>Payer mon loyer</h1><div id="pay-here"></div><p id="status">Paiement en attente.</p>
<script src="{hokwe}/static/payments/checkout.js" data-token="{token}" data-target="#pay-here"></script>
<script>
  document.getElementById("pay-here").addEventListener("hokwe:checkout", function (event) {{
    if (event.detail.status === "paid") {{
      document.getElementById("status").textContent = "Loyer payé, reçu n° " + event.detail.receiptNumber;
    }}
  }});
</script></body></html>"""


@pytest.fixture
def partner_site():
    """A partner's web site on another origin (127.0.0.1, another port): serves one page."""
    pages: dict[str, str] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = pages.get(self.path, "").encode()
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.pages = pages
    server.origin = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()


def _intent():
    agency = OrganizationFactory(name="Agence Les Palmiers")
    tenant = UserFactory(full_name="Brice Zinsou")
    return api.create_intent(
        organization=agency.public_id,
        amount=75_000,
        purpose=PurposeRef("payments.PayLink", "embed-test"),
        description="Loyer décembre 2026",
        payer=tenant.public_id,
        idempotency_key="embed-test",
    )


def _partner_page(browser, live_server, partner_site, intent):
    token = intent.pay_url.rstrip("/").rsplit("/", 1)[1]
    partner_site.pages["/loyer"] = PARTNER_PAGE.format(hokwe=live_server.url, token=token)
    page = browser.new_page(locale="fr-FR", viewport={"width": 390, "height": 844})
    page.set_default_timeout(20_000)
    page.errors = []
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    return page, f"{partner_site.origin}/loyer"


def test_a_payer_pays_in_the_checkout_embedded_in_a_partner_page(
    browser, live_server, partner_site, settings
):
    settings.CHECKOUT_EMBED_ORIGINS = [partner_site.origin]
    intent = _intent()
    page, url = _partner_page(browser, live_server, partner_site, intent)
    page.goto(url)
    checkout = page.frame_locator("#pay-here iframe")
    checkout.get_by_test_id("pay-mobile_money").click()
    # the provider step loads inside the partner's frame (not refused by X-Frame-Options),
    # and the frame grows to show both answers
    checkout.get_by_test_id("sandbox-approve").wait_for()
    frame = page.locator("#pay-here iframe")
    page.wait_for_function("f => f.getBoundingClientRect().height > 420", arg=frame.element_handle())
    decline, box = checkout.get_by_test_id("sandbox-decline").bounding_box(), frame.bounding_box()
    assert decline["y"] + decline["height"] <= box["y"] + box["height"]
    checkout.get_by_test_id("sandbox-approve").click()
    page.wait_for_selector("#status:has-text('Loyer payé')")
    paid = api.get_intent(intent.public_id)
    assert paid.status == IntentStatus.SUCCEEDED and paid.receipt_number
    assert paid.receipt_number in page.locator("#status").inner_text()
    assert not [e for e in page.errors if "frame" in e.lower() or "Content Security Policy" in e]


def test_a_site_not_configured_cannot_frame_the_checkout(browser, live_server, partner_site, settings):
    settings.CHECKOUT_EMBED_ORIGINS = ["https://another-partner.example"]
    intent = _intent()
    page, url = _partner_page(browser, live_server, partner_site, intent)
    with page.expect_console_message(lambda m: "frame-ancestors" in m.text):
        page.goto(url)
    assert page.frame_locator("#pay-here iframe").get_by_test_id("pay-mobile_money").count() == 0

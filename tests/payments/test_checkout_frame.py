"""The embedded checkout's provider step (the sandbox page) can be framed by the checkout's
partner hosts (CHECKOUT_EMBED_ORIGINS) and only by them; reached from a pay link, or any other
page, it keeps `X-Frame-Options: DENY` and `frame-ancestors 'none'` (issue 18)."""

import pytest

from apps.identity.models import Membership

from .conftest import make_intent, member, on_commit

pytestmark = pytest.mark.django_db

PARTNER = "https://residence-palmiers.example"


@pytest.fixture
def partner(settings, providers):
    settings.CHECKOUT_EMBED_ORIGINS = [PARTNER]
    return PARTNER


def _start(client, intent, base: str) -> str:
    start = client.post(f"/{base}/{intent.pay_token}/start", {"method": "mobile_money"})
    assert start.status_code == 302 and "/pay/sandbox/" in start["Location"]
    return start["Location"]


def test_the_checkouts_sandbox_step_is_framed_by_the_partner_only(org, client, partner):
    intent = make_intent(org)
    sandbox_url = _start(client, intent, "checkout")
    assert f"next=/checkout/{intent.pay_token}/callback" in sandbox_url
    page = client.get(sandbox_url)
    assert page.status_code == 200 and b'data-testid="sandbox-approve"' in page.content
    assert f"frame-ancestors 'self' {PARTNER}" in page["Content-Security-Policy"]
    assert "X-Frame-Options" not in page
    # the answer goes back into the frame, on the checkout
    reference = sandbox_url.split("/pay/sandbox/")[1].split("?")[0]
    with on_commit():
        approved = client.post(
            f"/pay/sandbox/{reference}",
            {"decision": "approve", "next": f"/checkout/{intent.pay_token}/callback"},
        )
    assert approved["Location"].startswith(f"/checkout/{intent.pay_token}/callback")
    back = client.get(client.get(approved["Location"])["Location"])
    assert b'data-testid="status-paid"' in back.content
    assert f"frame-ancestors 'self' {PARTNER}" in back["Content-Security-Policy"]


def test_the_sandbox_step_of_a_pay_link_cannot_be_framed(org, client, partner):
    intent = make_intent(org)
    page = client.get(_start(client, intent, "pay"))
    assert page.status_code == 200
    assert page["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]
    assert PARTNER not in page["Content-Security-Policy"]


def test_a_foreign_next_does_not_make_the_sandbox_frameable(org, client, partner):
    intent = make_intent(org)
    sandbox_url = _start(client, intent, "pay").split("?")[0]
    page = client.get(sandbox_url, {"next": "//evil.example/checkout/x"})
    assert page["X-Frame-Options"] == "DENY" and "frame-ancestors 'none'" in page["Content-Security-Policy"]


def test_every_other_page_keeps_deny(org, client, partner):
    intent = make_intent(org)
    client.force_login(member(org, Membership.Role.COLLECTOR))
    for url in (f"/pay/{intent.pay_token}", "/merchant/", "/manager/login/"):
        response = client.get(url)
        assert response["X-Frame-Options"] == "DENY", url
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"], url


def test_without_partner_hosts_only_hokwe_itself_frames_the_checkout(org, client, settings, providers):
    settings.CHECKOUT_EMBED_ORIGINS = []
    intent = make_intent(org)
    page = client.get(_start(client, intent, "checkout"))
    assert "frame-ancestors 'self';" in page["Content-Security-Policy"] + ";"
    assert "X-Frame-Options" not in page

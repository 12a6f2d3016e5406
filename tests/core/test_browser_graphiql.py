"""GraphiQL at /graphql in a real Chromium (issue 18): React and GraphiQL come from our own
static files (npm), its init script is a static file, and it runs under the same
Content-Security-Policy as every page (no CDN, no exemption). The docs explorer lists the
schema's queries; a query run from a cookie session carries the CSRF token."""

import json
from urllib.parse import quote

import pytest

from tests.identity.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def graphiql_on(settings):
    settings.GRAPHIQL_ENABLED = True
    return settings


@pytest.fixture
def page(browser):
    page = browser.new_page(locale="fr-FR", viewport={"width": 1366, "height": 768})
    page.set_default_timeout(20_000)
    page.problems = []
    page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    page.external = []
    page.on(
        "request",
        lambda r: r.url.startswith("http") and "://localhost" not in r.url and page.external.append(r.url),
    )
    return page


def test_graphiql_renders_the_schema_under_the_csp(page, live_server, graphiql_on):
    response = page.goto(f"{live_server.url}/graphql")
    policy = response.headers["content-security-policy"]
    assert (
        "script-src 'self' 'nonce-" in policy
        and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    )
    page.locator(".graphiql-container").wait_for()
    page.get_by_role("button", name="Show Documentation Explorer").click()
    page.locator(".graphiql-doc-explorer a.graphiql-doc-explorer-type-name", has_text="Query").first.click()
    page.locator(".graphiql-doc-explorer-field-name", has_text="estateProperties").first.wait_for()
    assert page.problems == [] and page.external == []


def test_a_query_from_a_cookie_session_sends_the_csrf_token(page, live_server, graphiql_on):
    user = MembershipFactory(organization=OrganizationFactory(), role="owner", user=UserFactory()).user
    page.goto(f"{live_server.url}/manager/login/")
    page.fill("input[name=username]", str(user.phone))
    page.fill("input[name=password]", "secret-pass-123")
    with page.expect_navigation():
        page.click("main button[type=submit]")

    def ours(response):
        request = response.request
        return request.method == "POST" and "__schema" not in (request.post_data or "")

    page.problems.clear()  # the login page's own favicon is not GraphiQL's business
    # the schema's introspection is a signed-in POST too: refused without the token
    with page.expect_response(lambda r: r.url.endswith("/graphql") and r.request.method == "POST") as schema:
        page.goto(f"{live_server.url}/graphql#query={quote('{ __typename }')}")
    assert schema.value.status == 200 and "__schema" in schema.value.text()
    page.locator(".graphiql-container").wait_for()
    with page.expect_response(lambda r: r.url.endswith("/graphql") and ours(r)) as posted:
        page.locator(".graphiql-execute-button").click()
    answer = posted.value
    assert answer.request.headers.get("x-csrftoken"), "the fetcher sends the CSRF token"
    assert answer.status == 200 and json.loads(answer.text()) == {"data": {"__typename": "Query"}}
    page.locator(".graphiql-response", has_text='"__typename": "Query"').wait_for()
    assert page.problems == [] and page.external == []


def test_graphiql_is_not_served_when_switched_off(client, settings):
    settings.GRAPHIQL_ENABLED = False
    response = client.get("/graphql", HTTP_ACCEPT="text/html")
    assert b"graphiql" not in response.content.lower()

"""REST and GraphQL reads: scoped (another organization's user gets 404), problem details,
query-count ceilings that do not grow with the data."""

import csv
import io

import pytest
from rest_framework.test import APIClient

from apps.ledger import api
from apps.ledger.contracts import Leg
from tests.helpers import gql, gql_response

from .conftest import fund, key

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def ids(response) -> set[str]:
    return {a["id"] for a in response.json()["results"]}


def assert_problem(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith(PROBLEM)
    body = response.json()
    assert {"type", "title", "status", "detail"} <= set(body)
    assert body["status"] == status and body["code"] == code
    return body


# --- who sees what ------------------------------------------------------------------------


def test_a_user_sees_their_own_wallet_with_its_balance(tenant, wallet):
    fund(wallet.public_id, 25_000)
    response = client_for(tenant).get("/api/v1/ledger/accounts")
    assert response.status_code == 200
    [account] = response.json()["results"]
    assert account["id"] == str(wallet.public_id)
    posted = account["balance"]["posted"]
    assert (posted["amount"], posted["currency"]) == (25_000, "XOF")
    assert posted["formatted"].replace("\u202f", " ").replace("\u00a0", " ") == "25 000 FCFA"
    assert account["name"] == "Portefeuille"  # French by default


def test_members_see_their_organization_accounts_not_others(member, payable, outsider, wallet, finance):
    assert ids(client_for(member).get("/api/v1/ledger/accounts")) == {str(payable.public_id)}
    assert ids(client_for(outsider).get("/api/v1/ledger/accounts")) == set()
    seen_by_finance = ids(client_for(finance).get("/api/v1/ledger/accounts?owner_type=system&page_size=200"))
    assert str(api.system_account(code="fees_revenue", currency="XOF").public_id) in seen_by_finance
    assert str(payable.public_id) not in seen_by_finance and str(wallet.public_id) not in seen_by_finance


def test_support_staff_do_not_see_system_accounts(db):
    from tests.identity.factories import UserFactory

    support = UserFactory(is_staff=True, staff_role="support")
    assert ids(client_for(support).get("/api/v1/ledger/accounts")) == set()


@pytest.mark.parametrize("suffix", ["", "/statement", "/statement.csv"])
def test_another_organizations_user_gets_404(suffix, member, payable, outsider, wallet, finance):
    url = f"/api/v1/ledger/accounts/{payable.public_id}{suffix}"
    assert client_for(member).get(url).status_code == 200
    assert_problem(client_for(outsider).get(url), 404, "account_not_found")
    assert_problem(client_for(finance).get(url), 404, "account_not_found")  # finance: system accounts only
    assert_problem(
        client_for(member).get(f"/api/v1/ledger/accounts/{wallet.public_id}{suffix}"),
        404,
        "account_not_found",
    )


@pytest.mark.parametrize("suffix", ["", "/statement", "/statement.csv"])
def test_finance_staff_see_system_accounts_and_others_do_not(suffix, finance, member):
    fees = api.system_account(code="fees_revenue", currency="XOF")
    url = f"/api/v1/ledger/accounts/{fees.public_id}{suffix}"
    assert client_for(finance).get(url).status_code == 200
    assert_problem(client_for(member).get(url), 404, "account_not_found")


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/ledger/accounts",
        "/api/v1/ledger/accounts/00000000-0000-0000-0000-000000000000",
        "/api/v1/ledger/accounts/00000000-0000-0000-0000-000000000000/statement",
        "/api/v1/ledger/accounts/00000000-0000-0000-0000-000000000000/statement.csv",
    ],
)
def test_anonymous_is_refused(url):
    response = APIClient().get(url)
    assert response.status_code in (401, 403)
    assert response["Content-Type"].startswith(PROBLEM)


# --- statement, filters, CSV --------------------------------------------------------------


def _history(wallet, clearing):
    fund(wallet.public_id, 10_000)
    fund(wallet.public_id, 5_000)
    api.transfer(
        idempotency_key=key(),
        code="payout",
        legs=[Leg.debit(wallet.public_id, 2_000, "XOF"), Leg.credit(clearing.public_id, 2_000, "XOF")],
    )


def test_statement_pages_and_filters(tenant, wallet, clearing):
    _history(wallet, clearing)
    client = client_for(tenant)
    url = f"/api/v1/ledger/accounts/{wallet.public_id}/statement"
    first = client.get(url, {"page_size": 2}).json()
    assert [line["balance_after"] for line in first["results"]] == [10_000, 15_000]
    assert first["opening_balance"] == 0 and first["next"]
    second = client.get(first["next"]).json()
    assert [(line["amount"], line["balance_after"]) for line in second["results"]] == [(2_000, 13_000)]
    assert second["next"] is None and second["opening_balance"] == 15_000
    payouts = client.get(url, {"code": "payout"}).json()["results"]
    assert [line["side"] for line in payouts] == ["debit"]
    empty = client.get(url, {"start": "2000-01-01", "end": "2000-02-01"}).json()
    assert empty["results"] == [] and empty["opening_balance"] == 0


def test_statement_refuses_bad_filters_with_field_errors(tenant, wallet):
    url = f"/api/v1/ledger/accounts/{wallet.public_id}/statement"
    client = client_for(tenant)
    body = assert_problem(client.get(url, {"colour": "red"}), 400, "validation_error")
    assert [e["field"] for e in body["errors"]] == ["colour"]
    body = assert_problem(client.get(url, {"start": "yesterday", "page_size": "0"}), 400, "validation_error")
    assert {e["field"] for e in body["errors"]} == {"start", "page_size"}
    body = assert_problem(
        client.get(url, {"start": "2026-02-01", "end": "2026-01-01"}), 400, "validation_error"
    )
    assert body["errors"][0]["field"] == "end"


def test_errors_are_in_english_on_request(outsider, payable):
    response = client_for(outsider).get(
        f"/api/v1/ledger/accounts/{payable.public_id}", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.json()["detail"] == "This ledger account does not exist."
    response = client_for(outsider).get(f"/api/v1/ledger/accounts/{payable.public_id}")
    assert response.json()["detail"] == "Ce compte du grand livre n'existe pas."


def test_balance_as_of(tenant, wallet, clearing):
    from django.utils import timezone

    fund(wallet.public_id, 1_000)
    moment = timezone.now()
    fund(wallet.public_id, 1_000)
    response = client_for(tenant).get(
        f"/api/v1/ledger/accounts/{wallet.public_id}", {"as_of": moment.isoformat()}
    )
    assert response.json()["balance"]["posted"]["amount"] == 1_000


def test_csv_export(tenant, wallet, clearing):
    _history(wallet, clearing)
    response = client_for(tenant).get(
        f"/api/v1/ledger/accounts/{wallet.public_id}/statement.csv", HTTP_ACCEPT="text/csv"
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][0] == "séquence"
    assert [(r[6], r[7], r[8]) for r in rows[1:]] == [
        ("", "10000", "10000"),
        ("", "5000", "15000"),
        ("2000", "", "13000"),
    ]


# --- query-count ceilings -----------------------------------------------------------------


def test_account_list_query_count_does_not_grow(member, organization, django_assert_max_num_queries):
    for code in ("owners_payable", "rent_receivable", "rent_billed"):
        for currency in ("XOF", "XAF"):
            api.organization_account(organization=organization.public_id, code=code, currency=currency)
    client = client_for(member)
    with django_assert_max_num_queries(4):
        response = client.get("/api/v1/ledger/accounts")
    assert len(response.json()["results"]) == 6


def test_statement_query_count_does_not_grow(tenant, wallet, clearing, django_assert_max_num_queries):
    for _ in range(30):
        fund(wallet.public_id, 100)
    client = client_for(tenant)
    for path in ("statement", "statement.csv"):
        with django_assert_max_num_queries(7):
            response = client.get(
                f"/api/v1/ledger/accounts/{wallet.public_id}/{path}",
                {"start": "2000-01-01", "end": "2100-01-01"},
            )
            if path.endswith("csv"):
                assert len(b"".join(response.streaming_content).splitlines()) == 31
            else:
                assert len(response.json()["results"]) == 30


# --- GraphQL ------------------------------------------------------------------------------

ACCOUNTS = "{ ledgerAccounts { id code name currency balance { posted { amount formatted } available { amount } } } }"
ACCOUNT = "query($id: UUID!) { ledgerAccount(id: $id) { id code balance { posted { amount } } } }"
STATEMENT = """query($id: UUID!, $after: Int) {
  ledgerStatement(accountId: $id, first: 2, after: $after) {
    openingBalance nextAfter lines { sequence amount side balanceAfter code }
  }
}"""


def test_graphql_accounts_are_scoped(tenant, wallet, member, payable, outsider, finance):
    fund(wallet.public_id, 3_000)
    data = gql(client_for(tenant), ACCOUNTS)["ledgerAccounts"]
    assert [(a["id"], a["balance"]["posted"]["amount"]) for a in data] == [(str(wallet.public_id), 3_000)]
    assert [a["id"] for a in gql(client_for(member), ACCOUNTS)["ledgerAccounts"]] == [str(payable.public_id)]
    assert gql(client_for(outsider), ACCOUNTS)["ledgerAccounts"] == []
    assert {a["code"] for a in gql(client_for(finance), ACCOUNTS)["ledgerAccounts"]} >= {
        "fees_revenue",
        "suspense",
    }


@pytest.mark.parametrize("query", [ACCOUNT, STATEMENT])
def test_graphql_other_organization_gets_not_found(query, member, payable, outsider):
    assert not gql_response(client_for(member), query, {"id": str(payable.public_id)}).get("errors")
    result = gql_response(client_for(outsider), query, {"id": str(payable.public_id)})
    assert result["errors"][0]["extensions"]["code"] == "account_not_found"
    assert "data" not in result or not any((result.get("data") or {}).values())


@pytest.mark.parametrize("query", [ACCOUNTS, ACCOUNT, STATEMENT])
def test_graphql_anonymous_is_refused(query, payable):
    result = gql_response(client_for(None), query, {"id": str(payable.public_id)} if "$id" in query else None)
    assert result["errors"][0]["extensions"]["code"] == "unauthenticated"


def test_graphql_statement_pages(tenant, wallet, clearing):
    _history(wallet, clearing)
    page = gql(client_for(tenant), STATEMENT, {"id": str(wallet.public_id)})["ledgerStatement"]
    assert [line["balanceAfter"] for line in page["lines"]] == [10_000, 15_000] and page["nextAfter"] == 2
    rest = gql(client_for(tenant), STATEMENT, {"id": str(wallet.public_id), "after": 2})["ledgerStatement"]
    assert rest["openingBalance"] == 15_000 and rest["nextAfter"] is None


def test_graphql_list_query_count_does_not_grow(member, organization, django_assert_max_num_queries):
    for code in ("owners_payable", "rent_receivable", "rent_billed"):
        for currency in ("XOF", "XAF"):
            api.organization_account(organization=organization.public_id, code=code, currency=currency)
    client = client_for(member)
    with django_assert_max_num_queries(4):
        data = gql(client, ACCOUNTS)["ledgerAccounts"]
    assert len(data) == 6


# --- admin --------------------------------------------------------------------------------


def test_admin_is_read_only_and_searchable(wallet, clearing):
    from django.contrib import admin
    from django.test import RequestFactory

    from apps.ledger.models import Account, Posting, Transfer
    from tests.identity.factories import UserFactory

    result = fund(wallet.public_id, 100)
    request = RequestFactory().get("/admin/ledger/transfer/", {"q": result.idempotency_key})
    request.user = UserFactory(is_staff=True, is_superuser=True, staff_role="admin")
    request.user.is_verified = lambda: True  # the admin site asks for a second factor (django-otp)
    for model in (Account, Transfer, Posting):
        model_admin = admin.site._registry[model]
        assert model_admin.has_view_permission(request)
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_delete_permission(request)
    transfers = admin.site._registry[Transfer]
    found, _ = transfers.get_search_results(request, Transfer.objects.all(), result.idempotency_key)
    assert [t.public_id for t in found] == [result.public_id]
    postings = admin.site._registry[Posting]
    found, _ = postings.get_search_results(request, Posting.objects.all(), result.idempotency_key)
    assert found.count() == 2
    response = transfers.changelist_view(request)
    response.render()
    assert response.status_code == 200 and result.idempotency_key in response.content.decode()

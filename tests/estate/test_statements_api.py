"""Statement import and matching on REST (/api/v1/estate/statements/…) and GraphQL
(estateImportStatement, estateStatementLines, …): the same services, finance roles only."""

from __future__ import annotations

import base64

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.estate.models import RentPayment, StatementImport, StatementLine, StatementRule
from tests.helpers import bearer_client, gql
from tests.identity.factories import MembershipFactory, UserFactory

from .conftest import make_lease
from .test_statements import RELATIVE_PHONE, TENANT_PHONE, data, momo_csv


@pytest.fixture
def lease_p(clock, manager, unit):
    return make_lease(manager, unit, UserFactory(full_name="Brice Zinsou", phone=TENANT_PHONE))


def url(name, **kwargs):
    return reverse(name, kwargs={"version": "v1", **kwargs})


def upload(client, content: bytes, fmt="mtn_momo", key=None, **fields):
    extra = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(
        url("estate-statement-imports"),
        {"format": fmt, "file": SimpleUploadedFile("releve.csv", content, content_type="text/csv"), **fields},
        format="multipart",
        **extra,
    )


def test_rest_upload_with_an_idempotency_key_imports_once(lease_p, manager):
    client = bearer_client(manager)
    first = upload(client, data("statement_mtn_momo.csv"), key="stmt-1")
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["counts"]["auto"] == 1 and body["statement"]["matched"] == 1
    assert body["auto_amount"] == {
        "amount": 80_000,
        "currency": "XOF",
        "formatted": body["auto_amount"]["formatted"],
    }
    replay = upload(client, data("statement_mtn_momo.csv"), key="stmt-1")
    assert replay.status_code == 201 and replay["Idempotent-Replayed"] == "true"
    again = upload(client, data("statement_mtn_momo.csv"), key="stmt-2")  # another key, same file
    assert again.status_code == 200 and again.json()["already_imported"] is True
    assert StatementImport.objects.count() == 1 and RentPayment.objects.count() == 1


def test_rest_dry_run_writes_nothing(lease_p, manager):
    response = upload(bearer_client(manager), data("statement_mtn_momo.csv"), dry_run="true")
    assert response.status_code == 200
    assert response.json()["lines"][0]["outcome"] == "auto"
    assert StatementImport.objects.count() == 0


def test_rest_a_bad_file_is_a_translated_problem(lease_p, manager):
    bad = momo_csv(("03/03/2026", "T1", TENANT_PHONE, "B", "abc", ""))
    response = upload(bearer_client(manager), bad)
    assert response.status_code == 400
    problem = response.json()
    assert problem["code"] == "statement_refused" and "Ligne 2" in problem["detail"]


def test_rest_review_confirm_ignore_and_rules(lease_p, manager, django_assert_max_num_queries):
    client = bearer_client(manager)
    rows = [
        (f"0{day}/03/2026", f"R{day}", RELATIVE_PHONE, "Rose", f"{day}0 000", "pour BAIL-2026-000001")
        for day in range(1, 7)
    ]
    assert upload(client, momo_csv(*rows)).status_code == 201
    with django_assert_max_num_queries(12):
        queue = client.get(url("estate-statement-lines"))
    assert queue.status_code == 200
    lines = queue.json()["results"]
    assert len(lines) == 6 and {line["status"] for line in lines} == {"review"}
    assert lines[0]["suggested_lease_reference"] == "BAIL-2026-000001"
    with django_assert_max_num_queries(12):
        assert client.get(url("estate-statement-imports")).status_code == 200
    first, second = lines[0]["id"], lines[1]["id"]
    confirmed = client.post(url("estate-statement-line-confirm", statement_line_id=first), {}, format="json")
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["status"] == "confirmed" and len(confirmed.json()["parts"]) == 1
    twice = client.post(url("estate-statement-line-confirm", statement_line_id=first), {}, format="json")
    assert twice.status_code == 409
    assert RentPayment.objects.count() == 1
    ignored = client.post(url("estate-statement-line-ignore", statement_line_id=second))
    assert ignored.status_code == 200 and ignored.json()["status"] == "ignored"
    with django_assert_max_num_queries(12):
        rules = client.get(url("estate-statement-rules"))
    rule = rules.json()["results"][0]
    assert (rule["phone"], rule["lease_reference"]) == (RELATIVE_PHONE, "BAIL-2026-000001")
    assert client.delete(url("estate-statement-rule", statement_rule_id=rule["id"])).status_code == 204
    assert not StatementRule.objects.exists()


def test_rest_list_ceiling_does_not_grow_with_the_lines(lease_p, manager, django_assert_max_num_queries):
    client = bearer_client(manager)
    rows = [
        (f"{1 + n % 9:02d}/03/2026", f"N{n}", RELATIVE_PHONE, "Rose", f"{n + 1}5 000", "BAIL-2026-000001")
        for n in range(30)
    ]
    upload(client, momo_csv(*rows))
    with django_assert_max_num_queries(12):
        response = client.get(url("estate-statement-lines"), {"status": "review"})
    assert len(response.json()["results"]) > 20


def test_rest_another_agency_sees_nothing(lease_p, manager, other_manager):
    upload(
        bearer_client(manager),
        momo_csv(("04/03/2026", "R1", RELATIVE_PHONE, "Rose", "50 000", "BAIL-2026-000001")),
    )
    line = StatementLine.objects.get()
    other = bearer_client(other_manager)
    assert other.get(url("estate-statement-lines")).json()["results"] == []
    assert other.get(url("estate-statement-imports")).json()["results"] == []
    assert (
        other.post(
            url("estate-statement-line-confirm", statement_line_id=line.public_id), {}, format="json"
        ).status_code
        == 404
    )
    assert (
        other.get(url("estate-statement-import", statement_import_id=line.statement.public_id)).status_code
        == 404
    )


def test_rest_a_collector_cannot_import(lease_p, agency):
    collector = MembershipFactory(organization=agency, role="collector").user
    response = upload(bearer_client(collector), data("statement_mtn_momo.csv"))
    assert response.status_code in (403, 404)
    assert StatementImport.objects.count() == 0


IMPORT = """mutation($f: String!, $c: String!, $d: Boolean) {
  estateImportStatement(format: $f, filename: "releve.csv", contentBase64: $c, dryRun: $d) {
    ok errors { code message field }
    result { dryRun alreadyImported newLines auto review unmatched autoAmount { amount currency }
             statement { id matched } lines { line outcome leaseReference amount { amount } } }
  }
}"""


def test_graphql_import_review_and_confirm(lease_p, manager):
    client = bearer_client(manager)
    content = base64.b64encode(
        momo_csv(
            ("03/03/2026", "G1", TENANT_PHONE, "Brice", "80 000", "BAIL-2026-000001"),
            ("04/03/2026", "G2", RELATIVE_PHONE, "Rose", "50 000", "BAIL-2026-000001"),
        )
    ).decode()
    dry = gql(client, IMPORT, {"f": "mtn_momo", "c": content, "d": True})["estateImportStatement"]
    assert dry["ok"] and dry["result"]["dryRun"] and dry["result"]["auto"] == 1
    assert StatementImport.objects.count() == 0
    done = gql(client, IMPORT, {"f": "mtn_momo", "c": content})["estateImportStatement"]
    assert done["ok"] and done["result"]["statement"]["matched"] == 1 and done["result"]["review"] == 1
    again = gql(client, IMPORT, {"f": "mtn_momo", "c": content})["estateImportStatement"]
    assert again["result"]["alreadyImported"] and again["result"]["newLines"] == 0
    queue = gql(client, "{ estateStatementLines { id status suggestedLeaseReference amount { amount } } }")
    (line,) = queue["estateStatementLines"]
    assert line["status"] == "review" and line["suggestedLeaseReference"] == "BAIL-2026-000001"
    confirm = """mutation($id: UUID!, $k: String) { estateConfirmStatementLine(lineId: $id, idempotencyKey: $k) {
        ok errors { code } line { status applied { amount } } } }"""
    first = gql(client, confirm, {"id": line["id"], "k": "c-1"})["estateConfirmStatementLine"]
    assert first["ok"] and first["line"]["status"] == "confirmed"
    retry = gql(client, confirm, {"id": line["id"], "k": "c-1"})["estateConfirmStatementLine"]
    assert retry["ok"]  # the same key: the first result
    other = gql(client, confirm, {"id": line["id"], "k": "c-2"})["estateConfirmStatementLine"]
    assert not other["ok"] and other["errors"][0]["code"] == "invalid_state"
    assert RentPayment.objects.count() == 2
    rules = gql(client, "{ estateStatementRules { id phone leaseReference } }")["estateStatementRules"]
    assert rules[0]["phone"] == RELATIVE_PHONE
    deleted = gql(
        client,
        "mutation($id: UUID!) { estateDeleteStatementRule(ruleId: $id) { ok errors { code } } }",
        {"id": rules[0]["id"]},
    )["estateDeleteStatementRule"]
    assert deleted["ok"] and not StatementRule.objects.exists()
    imports = gql(client, "{ estateStatementImports { id linesNew total { amount } } }")[
        "estateStatementImports"
    ]
    assert imports[0]["linesNew"] == 2


def test_graphql_refusals_are_typed(lease_p, manager, other_manager):
    client = bearer_client(manager)
    bad = base64.b64encode(momo_csv(("03/03/2026", "T", TENANT_PHONE, "B", "zéro", ""))).decode()
    refused = gql(client, IMPORT, {"f": "mtn_momo", "c": bad})["estateImportStatement"]
    assert not refused["ok"] and refused["errors"][0]["code"] == "statement_refused"
    assert "Ligne 2" in refused["errors"][0]["message"]
    not_b64 = gql(client, IMPORT, {"f": "mtn_momo", "c": "%%%"})["estateImportStatement"]
    assert not not_b64["ok"] and not_b64["errors"][0]["field"] == "contentBase64"
    assert gql(bearer_client(other_manager), "{ estateStatementLines { id } }")["estateStatementLines"] == []

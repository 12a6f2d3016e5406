import json

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.urls_for_tests")]

ECHO = "/api/v1/test/echo/"


def post(client, data, **extra):
    body = data if isinstance(data, str) else json.dumps(data)
    return client.post(ECHO, body, content_type="application/json", **extra)


def assert_problem(response, status):
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert body["type"].startswith("https://")
    assert body["title"] and body["detail"]
    assert body["request_id"] == response["X-Request-ID"]
    return body


def test_field_errors_are_problem_details_in_french_by_default(client):
    body = assert_problem(post(client, {"amount": 0}), 400)
    assert body["title"] == "Requête invalide"
    fields = {e["field"]: e for e in body["errors"]}
    assert fields["amount"]["code"] == "min_value"
    assert fields["amount"]["message"] == "Assurez-vous que cette valeur est supérieure ou égale à\xa01."
    assert fields["phone"]["code"] == "required"
    assert fields["phone"]["message"] == "Ce champ est obligatoire."


def test_field_errors_in_english_on_accept_language(client):
    body = assert_problem(post(client, {"amount": 0}, HTTP_ACCEPT_LANGUAGE="en"), 400)
    assert body["title"] == "Invalid request"
    assert {e["field"]: e["message"] for e in body["errors"]}["phone"] == "This field is required."


def test_unknown_fields_are_refused_not_ignored(client):
    body = assert_problem(post(client, {"amount": 5, "phone": "x", "amuont": 7}), 400)
    assert body["errors"] == [{"field": "amuont", "code": "unknown_field", "message": "Champ inconnu."}]


def test_malformed_json_is_400(client):
    body = assert_problem(post(client, '{"amount": 5,'), 400)
    assert body["code"] == "parse_error"
    assert body["detail"] == "Le corps de la requête n'est pas un JSON valide."


def test_oversized_body_is_413(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = assert_problem(post(client, {"amount": 5, "phone": "x" * 2000}), 413)
    assert body["code"] == "body_too_large"


def test_domain_errors_keep_their_status_and_code(client):
    body = assert_problem(post(client, {"amount": 409, "phone": "x"}), 409)
    assert body["code"] == "conflict"
    assert body["errors"][0]["field"] == "amount"


def test_unexpected_errors_are_500_without_internals(client):
    response = post(client, {"amount": 500, "phone": "x"})
    body = assert_problem(response, 500)
    assert "secret internals" not in response.content.decode()
    assert "Traceback" not in response.content.decode()
    assert body["code"] == "server_error"


def test_unknown_api_route_is_json_404(client):
    body = assert_problem(client.get("/api/v1/no-such-thing/"), 404)
    assert body["instance"] == "/api/v1/no-such-thing/"
    assert_problem(client.get("/api/v2/test/echo/"), 404)


def test_unknown_page_is_an_html_404_in_french(client):
    response = client.get("/manager/no-such-page/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_wrong_method_is_405_problem(client):
    assert_problem(client.get(ECHO), 405)


def test_request_id_is_taken_from_the_caller_when_well_formed(client):
    response = post(client, {"amount": 0}, HTTP_X_REQUEST_ID="abcdef123456")
    assert response["X-Request-ID"] == "abcdef123456"
    assert response.json()["request_id"] == "abcdef123456"
    forged = post(client, {"amount": 0}, HTTP_X_REQUEST_ID="bad id\nwith newline")
    assert forged["X-Request-ID"] != "bad id\nwith newline"
    assert len(forged["X-Request-ID"]) == 32


def test_cursor_pagination_walks_a_large_list_without_offsets(client):
    from apps.core.models import OutboxEvent

    OutboxEvent.objects.bulk_create([OutboxEvent(name=f"e{i}", payload={}) for i in range(120)])
    seen, url = [], "/api/v1/test/events/?page_size=50"
    while url:
        page = client.get(url).json()
        seen += [item["name"] for item in page["results"]]
        url = page["next"]
        assert "offset" not in (url or "")
    assert len(seen) == 120 and len(set(seen)) == 120


def test_idempotency_key_header_on_a_rest_endpoint(client):
    url = "/api/v1/test/things/"
    body = {"amount": 25000, "phone": "+2290161000001"}
    first = client.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="pay-1")
    again = client.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="pay-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again["Idempotent-Replayed"] == "true"
    other = client.post(
        url, {**body, "amount": 1}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="pay-1"
    )
    problem = assert_problem(other, 409)
    assert problem["code"] == "idempotency_key_reused"
    invalid = client.post(url, {"amount": 0}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="pay-2")
    assert invalid.status_code == 400
    fixed = client.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="pay-2")
    assert fixed.status_code == 201  # a refused request does not burn its key

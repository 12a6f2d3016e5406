import threading

import pytest
from django.db import connection

from apps.core.errors import IdempotencyConflict
from apps.core.idempotency import InvalidIdempotencyKey, fingerprint_of, run_idempotent
from apps.core.models import IdempotencyRecord, OutboxEvent


def create_event(tag):
    def operation():
        row = OutboxEvent.objects.create(name="tests.Created", payload={"tag": tag})
        return 201, {"id": str(row.event_id)}

    return operation


@pytest.mark.django_db
def test_a_retry_gets_the_first_response_and_creates_nothing():
    fp = fingerprint_of("POST", "/x", {"amount": 5})
    first = run_idempotent(scope="user:1", key="k-1", fingerprint=fp, operation=create_event("a"))
    again = run_idempotent(scope="user:1", key="k-1", fingerprint=fp, operation=create_event("a"))
    assert first[2] is False and again[2] is True
    assert first[:2] == again[:2]
    assert OutboxEvent.objects.count() == 1


@pytest.mark.django_db
def test_same_key_with_another_request_is_a_conflict_and_keys_are_per_scope():
    run_idempotent(scope="user:1", key="k", fingerprint="a" * 64, operation=create_event("a"))
    with pytest.raises(IdempotencyConflict):
        run_idempotent(scope="user:1", key="k", fingerprint="b" * 64, operation=create_event("b"))
    run_idempotent(scope="user:2", key="k", fingerprint="b" * 64, operation=create_event("b"))
    assert OutboxEvent.objects.count() == 2


@pytest.mark.django_db
def test_a_failed_operation_stores_nothing_so_the_key_can_be_retried():
    def failing():
        OutboxEvent.objects.create(name="tests.Half", payload={})
        raise RuntimeError("provider down")

    with pytest.raises(RuntimeError):
        run_idempotent(scope="user:1", key="k", fingerprint="a" * 64, operation=failing)
    assert not IdempotencyRecord.objects.exists()
    assert not OutboxEvent.objects.exists()  # nothing half-written
    status, _body, replayed = run_idempotent(
        scope="user:1", key="k", fingerprint="a" * 64, operation=create_event("a")
    )
    assert (status, replayed) == (201, False)


@pytest.mark.parametrize("key", ["", " ", "x" * 256, "bad\nkey"])
def test_malformed_keys_are_refused(key):
    with pytest.raises(InvalidIdempotencyKey):
        run_idempotent(scope="s", key=key, fingerprint="f", operation=lambda: (200, {}))


@pytest.mark.django_db(transaction=True)
def test_thirty_concurrent_double_clicks_create_one_thing():
    barrier = threading.Barrier(30)
    results, errors = [], []

    def click():
        try:
            barrier.wait(timeout=10)
            results.append(
                run_idempotent(
                    scope="user:9", key="double-click", fingerprint="f" * 64, operation=create_event("x")
                )
            )
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert OutboxEvent.objects.filter(name="tests.Created").count() == 1
    assert len({body["id"] for _status, body, _replayed in results}) == 1
    assert sum(1 for *_rest, replayed in results if not replayed) == 1


def test_an_uploaded_file_counts_by_its_content_not_its_name():
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.http import QueryDict

    from apps.core.idempotency import fingerprint_of

    def body(content: bytes):
        data = QueryDict("kind=id_card&kind=selfie", mutable=True)
        data["file"] = SimpleUploadedFile("id.jpg", content, content_type="image/jpeg")
        return data

    first, same, other = body(b"\xff\xd8 one"), body(b"\xff\xd8 one"), body(b"\xff\xd8 two")
    assert fingerprint_of("POST", "/api/v1/kyc/documents", first) == fingerprint_of(
        "POST", "/api/v1/kyc/documents", same
    )
    assert fingerprint_of("POST", "/api/v1/kyc/documents", first) != fingerprint_of(
        "POST", "/api/v1/kyc/documents", other
    )
    assert first["file"].read() == b"\xff\xd8 one"  # read back from the start by the view
    # every value of a repeated field counts, not only the last one
    assert fingerprint_of(QueryDict("kind=a&kind=b")) != fingerprint_of(QueryDict("kind=b"))

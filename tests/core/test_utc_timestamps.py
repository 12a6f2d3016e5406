"""Timestamps on the REST wire are ISO 8601 in UTC with `Z` (docs/api.md), whatever the
server's display time zone (Africa/Porto-Novo, UTC+1): one rule, UTCDateTimeField, for
every serializer of every module (issue 17)."""

import inspect
from datetime import UTC, datetime, timedelta, timezone

import pytest
from rest_framework import serializers

from apps.core.discovery import import_parts
from apps.core.rest import UTCDateTimeField
from tests.helpers import bearer_client


def _fields(serializer, path=""):
    for name, field in serializer.fields.items():
        here = f"{path}.{name}" if path else name
        if isinstance(field, serializers.ListSerializer):
            field = field.child
        if isinstance(field, serializers.BaseSerializer):
            yield from _fields(field, here)
        else:
            yield here, field


def test_every_rest_timestamp_is_utc():
    offenders, seen = [], 0
    for label, module in import_parts("rest.serializers"):
        for name, cls in vars(module).items():
            if not (inspect.isclass(cls) and issubclass(cls, serializers.Serializer)):
                continue
            if cls.__module__ != module.__name__:
                continue
            try:
                instance = cls()
                fields = list(_fields(instance))
            except Exception:  # a serializer needing a context to build its fields
                continue
            for path, field in fields:
                if isinstance(field, serializers.DateTimeField):
                    seen += 1
                    if not isinstance(field, UTCDateTimeField):
                        offenders.append(f"{label}: {name}.{path}")
    assert seen > 30  # the walk really found the modules' timestamps
    assert offenders == []


def test_a_timestamp_leaves_in_utc_with_z_and_comes_back_the_same():
    field = UTCDateTimeField()
    moment = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
    assert field.to_representation(moment) == "2026-11-24T09:30:00Z"
    assert field.to_internal_value("2026-11-24T10:30:00+01:00") == moment
    assert field.to_internal_value("2026-11-24T09:30:00") == moment  # no offset: UTC


@pytest.mark.django_db
def test_an_endpoint_answers_utc(user):
    body = bearer_client(user).get("/api/v1/identity/me").json()
    stamps = [value for key, value in body.items() if key.endswith("_at") and value]
    assert stamps, body
    assert all(stamp.endswith("Z") for stamp in stamps), stamps


def test_graphql_timestamps_are_utc_with_z_too():
    """One rule on both transports: the schema's DateTime is apps.core's UTCDateTime."""
    from hokwe.schema import schema

    date_time = schema.graphql_schema.get_type("DateTime")
    moment = datetime(2026, 11, 24, 10, 30, tzinfo=timezone(timedelta(hours=1)))
    assert date_time.serialize(moment) == "2026-11-24T09:30:00Z"
    assert date_time.parse_value("2026-11-24T09:30:00Z") == datetime(2026, 11, 24, 9, 30, tzinfo=UTC)

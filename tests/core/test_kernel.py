"""The shared kernel every module builds on: numbering, state machines, Money on every
transport, the GraphQL mutation base, the outbound HTTP client, settings assembly."""

from __future__ import annotations

import threading
from pathlib import Path

import graphene
import httpx
import pytest
from django.db import connection, transaction
from django.template import Context, Template
from django.utils import translation
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from rest_framework import serializers

from apps.core import conf
from apps.core.context import bind_request
from apps.core.errors import NotFound
from apps.core.graphql.mutations import HokweMutation, clamp_first
from apps.core.graphql.types import MoneyField as GraphQLMoneyField
from apps.core.http import http_client
from apps.core.models import NumberSequence
from apps.core.numbering import NumberingOutsideTransaction, next_number
from apps.core.rest import MoneyField
from apps.core.statemachine import InvalidTransition, StateMachine

# --- numbering ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_numbers_follow_each_other_per_series_scope_and_year():
    with transaction.atomic():
        first = next_number(series="tests.receipt", scope=1, year=2026, template="R{year}-{n:06d}")
        second = next_number(series="tests.receipt", scope=1, year=2026, template="R{year}-{n:06d}")
        other_scope = next_number(series="tests.receipt", scope=2, year=2026, template="R{year}-{n:06d}")
        next_year = next_number(series="tests.receipt", scope=1, year=2027, template="R{year}-{n:06d}")
    assert (first, second, other_scope, next_year) == (
        "R2026-000001",
        "R2026-000002",
        "R2026-000001",
        "R2027-000001",
    )


@pytest.mark.django_db
def test_a_rolled_back_document_gives_its_number_back():
    with transaction.atomic():
        next_number(series="tests.notice", scope=7, year=2026)
    try:
        with transaction.atomic():
            assert next_number(series="tests.notice", scope=7, year=2026) == "2026-000002"
            raise RuntimeError("the document failed")
    except RuntimeError:
        pass
    with transaction.atomic():
        assert next_number(series="tests.notice", scope=7, year=2026) == "2026-000002"


@pytest.mark.django_db(transaction=True)
def test_numbering_refuses_to_run_outside_a_transaction():
    with pytest.raises(NumberingOutsideTransaction):
        next_number(series="tests.x", scope=1, year=2026)


@pytest.mark.django_db(transaction=True)
def test_concurrent_documents_get_consecutive_numbers_without_duplicates():
    numbers, errors = [], []
    start = threading.Barrier(6)

    def take():
        try:
            start.wait(timeout=30)
            with transaction.atomic():
                numbers.append(next_number(series="tests.race", scope=1, year=2026, template="{n}"))
        except Exception as exc:  # pragma: no cover -- reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=take) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert sorted(int(n) for n in numbers) == [1, 2, 3, 4, 5, 6]
    assert NumberSequence.objects.get(series="tests.race").last == 6


# --- state machines ----------------------------------------------------------------------------

STATES = ["draft", "open", "paid", "void"]


@hsettings(max_examples=40, deadline=None)
@given(
    table=st.fixed_dictionaries({s: st.sets(st.sampled_from(STATES)) for s in STATES}),
    current=st.sampled_from(STATES),
    target=st.sampled_from(STATES),
)
def test_a_transition_is_allowed_exactly_when_the_table_says_so(table, current, target):
    machine = StateMachine(table)
    assert machine.can(current, target) == (target in table[current])
    if target in table[current]:
        machine.check(current, target)
    else:
        with pytest.raises(InvalidTransition) as refused:
            machine.check(current, target, field="status")
        assert refused.value.status == 409 and refused.value.field == "status"
    assert machine.terminal(current) == (not table[current])


def test_a_table_naming_a_state_without_its_own_entry_is_refused():
    with pytest.raises(ValueError, match="paid"):
        StateMachine({"open": {"paid"}})


# --- Money on every transport --------------------------------------------------------------------


class _Lease:
    rent = 150000
    deposit_paid = None
    currency = "XOF"

    class owner:
        currency = "EUR"


class _LeaseOut(serializers.Serializer):
    rent = MoneyField()
    deposit = MoneyField("deposit_paid", allow_null=True)
    fee = MoneyField("rent", currency="owner.currency")


def test_rest_money_reads_the_rows_own_currency():
    with translation.override("fr"):
        data = _LeaseOut(_Lease()).data
    assert data["rent"] == {"amount": 150000, "currency": "XOF", "formatted": "150\u202f000\u00a0FCFA"}
    assert data["deposit"] is None
    assert data["fee"]["currency"] == "EUR" and data["fee"]["amount"] == 150000


def test_rest_money_without_a_currency_is_a_programming_error():
    class NoCurrency:
        rent = 5

    with pytest.raises(ValueError, match="no currency"):
        _LeaseOut(NoCurrency()).data  # noqa: B018


def test_the_money_template_filter_formats_in_the_page_language():
    template = Template("{% load money %}{{ amount|money:currency }}")
    with translation.override("fr"):
        assert template.render(Context({"amount": 25000, "currency": "XOF"})) == "25\u202f000\u00a0FCFA"
    with translation.override("en"):
        assert template.render(Context({"amount": 25000, "currency": "XOF"})) == "25,000\u00a0FCFA"


# --- the GraphQL mutation base -----------------------------------------------------------------


class _Thing(graphene.ObjectType):
    rent = GraphQLMoneyField()


class _Take(HokweMutation):
    class Arguments:
        fail = graphene.Boolean(required=True)

    thing = graphene.Field(_Thing)

    @classmethod
    def perform(cls, info, user, *, fail):
        next_number(series="tests.graphql", scope=user.pk, year=2026)  # a write
        if fail:
            raise NotFound(field="fail")
        return {"thing": {"rent": 5000, "currency": "XOF"}}


class _Mutations(graphene.ObjectType):
    take = _Take.Field()


class _Queries(graphene.ObjectType):
    ok = graphene.Boolean()


_SCHEMA = graphene.Schema(query=_Queries, mutation=_Mutations)
_TAKE = "mutation($fail: Boolean!) { take(fail: $fail) { ok errors { field code } thing { rent { amount currency } } } }"


class _Context:
    def __init__(self, user):
        self.user = user


@pytest.mark.django_db
def test_a_mutation_refused_by_a_business_rule_rolls_back_its_writes(user):
    refused = _SCHEMA.execute(_TAKE, variable_values={"fail": True}, context_value=_Context(user))
    assert refused.errors is None
    assert refused.data["take"] == {
        "ok": False,
        "errors": [{"field": "fail", "code": "not_found"}],
        "thing": None,
    }
    assert not NumberSequence.objects.filter(series="tests.graphql").exists()
    done = _SCHEMA.execute(_TAKE, variable_values={"fail": False}, context_value=_Context(user))
    assert done.data["take"]["thing"]["rent"] == {"amount": 5000, "currency": "XOF"}
    assert NumberSequence.objects.get(series="tests.graphql").last == 1


def test_an_anonymous_caller_gets_the_typed_not_authenticated_error():
    from django.contrib.auth.models import AnonymousUser

    result = _SCHEMA.execute(_TAKE, variable_values={"fail": False}, context_value=_Context(AnonymousUser()))
    assert result.data["take"]["ok"] is False
    assert result.data["take"]["errors"] == [{"field": None, "code": "not_authenticated"}]


def test_list_sizes_are_clamped():
    assert (clamp_first(None), clamp_first(0), clamp_first(10), clamp_first(10_000)) == (50, 50, 10, 200)


# --- the outbound HTTP client -----------------------------------------------------------------


def test_outbound_calls_carry_the_request_id_and_follow_no_redirect(httpserver):
    httpserver.expect_request("/status").respond_with_json({"ok": True})
    httpserver.expect_request("/moved").respond_with_data(
        "", status=302, headers={"Location": "https://elsewhere"}
    )
    bind_request("req-kernel-0001")
    with http_client(service="tests", timeout=2.0, base_url=httpserver.url_for("")) as http:
        assert http.get("/status").json() == {"ok": True}
        assert http.get("/moved").status_code == 302  # not followed
        assert http.timeout.connect == 2.0 and http.timeout.read == 2.0
    request, _response = httpserver.log[0]
    assert request.headers["X-Request-ID"] == "req-kernel-0001"
    assert request.headers["User-Agent"].startswith("Hokwe/") and "(tests)" in request.headers["User-Agent"]


def test_a_provider_slower_than_the_timeout_raises_instead_of_waiting():
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)  # accepts the connection, never answers
    try:
        with http_client(
            service="tests", timeout=0.2, base_url=f"http://127.0.0.1:{listener.getsockname()[1]}"
        ) as http:
            with pytest.raises(httpx.ReadTimeout):
                http.get("/")
    finally:
        listener.close()


# --- settings assembly -------------------------------------------------------------------------


def _module(tmp_path: Path, name: str, body: str) -> str:
    package = tmp_path / "fakeapps" / name
    package.mkdir(parents=True)
    (tmp_path / "fakeapps" / "__init__.py").touch()
    (package / "__init__.py").touch()
    (package / "conf.py").write_text(body)
    return f"fakeapps.{name}"


def test_settings_assembly_merges_and_refuses_a_duplicate(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    one = _module(tmp_path, "one", 'ONE_TIMEOUT = 5\nBEAT_SCHEDULE = {"one.tick": {"task": "one.tick"}}\n')
    two = _module(tmp_path, "two", 'BEAT_SCHEDULE = {"one.tick": {"task": "two.tick"}}\n')
    three = _module(tmp_path, "three", "ONE_TIMEOUT = 6\n")
    namespace = {"CELERY_BEAT_SCHEDULE": {}, "HOKWE_MONITORED_QUEUES": [], "HOKWE_THROTTLE_RULES": []}
    conf.assemble(namespace, [one])
    assert namespace["ONE_TIMEOUT"] == 5 and "one.tick" in namespace["CELERY_BEAT_SCHEDULE"]
    with pytest.raises(conf.ConfigurationError, match=r"BEAT_SCHEDULE\['one.tick'\] is already defined"):
        conf.assemble(dict(namespace, CELERY_BEAT_SCHEDULE=dict(namespace["CELERY_BEAT_SCHEDULE"])), [two])
    with pytest.raises(conf.ConfigurationError, match="ONE_TIMEOUT is already defined"):
        conf.assemble(dict(namespace), [three])


def test_a_module_without_a_layer_stops_the_start_up(tmp_path):
    (tmp_path / "apps" / "orphan").mkdir(parents=True)
    (tmp_path / "apps" / "orphan" / "apps.py").touch()
    (tmp_path / ".importlinter").write_text(
        "[importlinter:contract:app-layers]\nlayers =\n    (apps.wallet)\n    apps.core\n"
    )
    (tmp_path / "apps" / "core").mkdir()
    (tmp_path / "apps" / "core" / "apps.py").touch()
    with pytest.raises(conf.ConfigurationError, match="apps.orphan has no layer"):
        conf.hokwe_apps(tmp_path)
    (tmp_path / ".importlinter").write_text(
        "[importlinter:contract:app-layers]\nlayers =\n    apps.orphan | (apps.wallet)\n    apps.core\n"
    )
    assert conf.hokwe_apps(tmp_path) == ["apps.core", "apps.orphan"]

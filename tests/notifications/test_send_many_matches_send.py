"""send_many (a chunk at a time: COPY on PostgreSQL above 200 messages, the ORM below and
elsewhere) writes exactly what send() writes one call at a time: the same texts byte for
byte, statuses, deferrals, outcomes, organizations and MessageSent events, and a second
run with the same idempotency keys creates nothing."""

from dataclasses import dataclass
from datetime import UTC, datetime, time

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.core.models import OutboxEvent
from apps.notifications import api
from apps.notifications.contracts import Outcome, SendRequest
from apps.notifications.models import AddressOptOut, Message, Preference
from tests.notifications.conftest import TEST_NEWS

from .conftest import RECEIPT, RENT

pytestmark = pytest.mark.django_db

FIELDS = (
    "user_id",
    "recipient_key",
    "channel",
    "address",
    "template_key",
    "template_version",
    "language",
    "category",
    "priority",
    "subject",
    "body",
    "action_url",
    "status",
    "failure_reason",
    "provider",
    "attempts",
    "not_before",
    "idempotency_key",
    "segments",
    "organization",
    "encoding",
    "sent_at",
    "delivered_at",
    "created_at",
)
CURRENCIES = ("XOF", "XAF", "EUR", "USD", "GNF", "NGN")
ORGANIZATIONS = (None, "7f1c2b8e-4d0a-4c59-9a63-1b2f3e4d5c6b", "0a4e3f1d-9b2c-4e7f-8a15-6c3d2b1a0f9e")


@dataclass(frozen=True)
class Person:
    language: str
    phone: bool
    email: bool
    closed: bool
    preference: str  # none | rent_sms_off | payments_inapp_off | quiet | zone | marketing


@dataclass(frozen=True)
class Spec:
    recipient: int  # index into users + raw phones
    template: str
    amount: int
    currency: str
    day: str
    moment: str
    language: str | None
    channels: tuple[str, ...] | None
    key: str  # "" = no idempotency key
    repeat_key: bool  # the same key on every repetition (duplicates inside the chunk)
    organization: str | None


people = st.builds(
    Person,
    language=st.sampled_from(["fr", "en"]),
    phone=st.booleans(),
    email=st.booleans(),
    closed=st.booleans(),
    preference=st.sampled_from(
        ["none", "none", "rent_sms_off", "payments_inapp_off", "quiet", "zone", "marketing"]
    ),
)
specs = st.builds(
    Spec,
    recipient=st.integers(0, 7),
    template=st.sampled_from([RENT, RENT, RECEIPT, TEST_NEWS]),
    amount=st.integers(0, 10**10),
    currency=st.sampled_from(CURRENCIES),
    day=st.dates(min_value=datetime(2020, 1, 1).date(), max_value=datetime(2030, 12, 31).date()).map(str),
    moment=st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 12, 31)).map(
        lambda d: d.replace(microsecond=0, tzinfo=UTC).isoformat()
    ),
    language=st.sampled_from([None, None, "fr", "en"]),
    channels=st.sampled_from([None, ("sms", "inapp"), ("sms", "inapp"), ("inapp", "sms"), ("sms",)]),
    key=st.sampled_from(["", "k1", "k2", "k3"]),
    repeat_key=st.booleans(),
    organization=st.sampled_from(ORGANIZATIONS),
)


def _context(spec: Spec, n: int) -> dict:
    money = {"amount": spec.amount, "currency": spec.currency}
    if spec.template == RENT:
        return {
            "tenant_name": f"Locataire {n} ’é",
            "amount": money,
            "period": "avril 2026",
            "due_date": spec.day,
            "property_name": f"Résidence Les Cocotiers, apt {n}",
            "reference": f"LOY-{n:06d}",
            "pay_url": f"https://hokwe.com/pay/{n:06d}",
        }
    if spec.template == RECEIPT:
        return {
            "payer_name": f"Payeur {n}",
            "amount": money,
            "purpose": "Loyer « mars » 2026 – solde…",
            "reference": f"REC-{n}",
            "paid_at": spec.moment,
            "receipt_url": f"https://hokwe.com/r/{n}",
        }
    return {"title": f"Nouvelles {n}", "summary": "Payez par Moov Money.", "url": "https://hokwe.com/news/1"}


def _setup(persons: list[Person], opted_out_phone: bool) -> list[str]:
    User = get_user_model()
    users = User.objects.bulk_create(
        [
            User(
                phone=f"+22901{61_000_000 + i}" if p.phone else None,
                email=f"p{i}@example.com" if p.email else "",
                full_name=f"Personne {i}",
                password="!",
                preferred_language=p.language,
                status="closed" if p.closed else "active",
            )
            for i, p in enumerate(persons)
        ]
    )
    for user, p in zip(users, persons, strict=True):
        if p.preference == "rent_sms_off":
            Preference.objects.create(user=user, disabled={"rent": ["sms"]})
        elif p.preference == "payments_inapp_off":
            Preference.objects.create(user=user, disabled={"payments": ["inapp"], "marketing": ["inapp"]})
        elif p.preference == "quiet":
            Preference.objects.create(
                user=user,
                quiet_hours_start=time(8, 0),
                quiet_hours_end=time(19, 30),
                timezone="Africa/Abidjan",
            )
        elif p.preference == "zone":
            Preference.objects.create(user=user, timezone="America/Sao_Paulo")
        elif p.preference == "marketing":
            Preference.objects.create(user=user, marketing_opt_out=True)
    phones = ["+2290197112244", "+2250707123456"]
    if opted_out_phone:
        AddressOptOut.objects.create(address=phones[0])
    return [str(u.public_id) for u in users] + phones


def _requests(recipients: list[str], spec_list: list[Spec], repeat: int) -> list[SendRequest]:
    out = []
    for k in range(repeat):
        for i, spec in enumerate(spec_list):
            key = spec.key and (spec.key if spec.repeat_key else f"{spec.key}:{k}")
            out.append(
                SendRequest(
                    recipient=recipients[spec.recipient % len(recipients)],
                    template_key=spec.template,
                    context=_context(spec, k * 100 + i),
                    channels=spec.channels,
                    priority="bulk" if spec.template == RENT else None,
                    idempotency_key=key,
                    language=spec.language,
                    organization=spec.organization,
                )
            )
    return out


def _written(results) -> tuple[list, list]:
    """What a run produced: per request its outcomes with their messages' columns, and the
    MessageSent events (with the message they name, not its random id)."""
    rows = {
        str(m["public_id"]): tuple(m[f] for f in FIELDS)
        for m in Message.objects.values("public_id", *FIELDS, "sealed_body")
    }
    seen = [
        (
            r.template_key,
            r.recipient,
            tuple(
                (o.channel, o.outcome, o.deferred_until, rows.get(o.message_id) if o.message_id else None)
                for o in r.outcomes
            ),
        )
        for r in results
    ]
    events = sorted(
        [
            (e["channel"], e["segments"], e["template_key"], e["organization"], rows[e["message"]])
            for e in OutboxEvent.objects.filter(name="notifications.MessageSent").values_list(
                "payload", flat=True
            )
        ],
        key=repr,
    )
    return seen, events


class Rollback(Exception):
    pass


def _run(func):
    try:
        with transaction.atomic():
            out = func()
            raise Rollback(out)
    except Rollback as done:
        return done.args[0]


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    persons=st.lists(people, min_size=1, max_size=6),
    opted_out_phone=st.booleans(),
    spec_list=st.lists(specs, min_size=1, max_size=8),
    repeat=st.sampled_from([1, 2, 40]),
    moment=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 31)),
    quiet=st.sampled_from(["off", "21:00-07:00", "06:00-22:00"]),
)
def test_send_many_writes_what_send_writes_one_by_one(
    django_settings, persons, opted_out_phone, spec_list, repeat, moment, quiet
):
    django_settings.NOTIFICATIONS_QUIET_HOURS = quiet

    def example():
        recipients = _setup(persons, opted_out_phone)
        requests = _requests(recipients, spec_list, repeat)

        def bulk():
            results = api.send_many(requests, chunk_size=500)
            written = _written(results)
            count = Message.objects.count()
            again = api.send_many([r for r in requests if r.idempotency_key], chunk_size=500)
            assert Message.objects.count() == count  # the same keys again create nothing
            assert {o.outcome for r in again for o in r.outcomes} <= {Outcome.DUPLICATE, Outcome.UNAVAILABLE}
            return written

        def one_by_one():
            results = [
                api.send(
                    r.recipient,
                    r.template_key,
                    r.context,
                    channels=r.channels,
                    priority=r.priority,
                    idempotency_key=r.idempotency_key,
                    language=r.language,
                    organization=r.organization,
                )
                for r in requests
            ]
            return _written(results)

        with time_machine.travel(moment.replace(tzinfo=UTC), tick=False):
            assert _run(bulk) == _run(one_by_one)

    _run(example)


@pytest.fixture
def django_settings(settings):
    return settings


def test_a_large_chunk_takes_the_bulk_path_and_matches(django_settings):
    """A fixed case above the COPY threshold: 300 tenants, French and English, with and
    without a phone, one with SMS turned off; every text compared."""
    persons = [
        Person(
            language="en" if i % 3 == 0 else "fr",
            phone=i % 7 != 0,
            email=False,
            closed=False,
            preference="rent_sms_off" if i == 5 else "none",
        )
        for i in range(6)
    ]
    spec_list = [
        Spec(
            recipient=i,
            template=RENT,
            amount=50_000 + 5_000 * i,
            currency="XOF",
            day="2026-04-05",
            moment="2026-04-01T10:00:00+00:00",
            language=None,
            channels=("sms", "inapp"),
            key="rent",
            repeat_key=False,
            organization=ORGANIZATIONS[1],
        )
        for i in range(6)
    ]

    def example():
        recipients = _setup(persons, False)
        requests = _requests(recipients, spec_list, 50)
        bulk = _run(lambda: _written(api.send_many(requests)))
        one = _run(
            lambda: _written(
                [
                    api.send(
                        r.recipient,
                        r.template_key,
                        r.context,
                        channels=r.channels,
                        priority=r.priority,
                        idempotency_key=r.idempotency_key,
                        organization=r.organization,
                    )
                    for r in requests
                ]
            )
        )
        assert bulk == one
        assert sum(len(r[2]) for r in bulk[0]) == 600
        assert len(bulk[1]) == 300  # an in-app MessageSent per notice, the organization named

    with time_machine.travel(datetime(2026, 4, 1, 10, tzinfo=UTC), tick=False):
        _run(example)

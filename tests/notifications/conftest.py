import pytest

from apps.estate.messages import RENT_NOTICE
from apps.notifications.api import register_templates
from apps.notifications.contracts import STR, URL, Category, Channel, Priority, TemplateDef, Text, Var
from apps.payments.messages import PAYMENT_RECEIPT
from tests.identity.factories import UserFactory

# A marketing message, as a module above would declare one (users may opt out of these).
TEST_NEWS = "tests.news"
register_templates(
    TemplateDef(
        key=TEST_NEWS,
        description="News (test template): marketing, users can opt out.",
        category=Category.MARKETING,
        priority=Priority.BULK,
        channels=(Channel.EMAIL, Channel.PUSH, Channel.INAPP),
        action_url="url",
        variables={
            "title": Var(STR, "Headline", "Moov Money"),
            "summary": Var(STR, "One or two sentences", "Payez par Moov Money."),
            "url": Var(URL, "Link to the article", "https://hokwe.com/news/1"),
        },
        defaults={
            Channel.SMS: {
                "fr": Text("Hokwe: {{ title }}. {{ url }}"),
                "en": Text("Hokwe: {{ title }}. {{ url }}"),
            },
            Channel.EMAIL: {
                "fr": Text("{{ summary }}\n\nLire la suite : {{ url }}", subject="{{ title }}"),
                "en": Text("{{ summary }}\n\nRead more: {{ url }}", subject="{{ title }}"),
            },
            Channel.PUSH: {
                "fr": Text("{{ summary }}", subject="{{ title }}"),
                "en": Text("{{ summary }}", subject="{{ title }}"),
            },
            Channel.INAPP: {
                "fr": Text("{{ summary }}", subject="{{ title }}"),
                "en": Text("{{ summary }}", subject="{{ title }}"),
            },
        },
    )
)


@pytest.fixture(autouse=True)
def _notification_settings(settings):
    """Deterministic defaults: no quiet hours, console SMS, short provider timeouts."""
    settings.NOTIFICATIONS_QUIET_HOURS = "off"
    settings.SMS_BACKEND = "console"
    settings.SMS_ROUTES = ""
    settings.SMS_CONSOLE_FILE = ""
    settings.SMS_TIMEOUT_SECONDS = 0.5
    settings.SMS_PROVIDER_TRIES = 2
    settings.PUSH_BACKEND = "console"
    settings.NOTIFICATIONS_PUBLIC_BASE_URL = ""
    yield


@pytest.fixture
def send_now(django_capture_on_commit_callbacks):
    """Run what send() queued after commit (eager mode delivers in-process)."""

    def run(func, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return func(*args, **kwargs)

    return run


@pytest.fixture
def tenant(db):
    return UserFactory(phone="+2290197112233", email="tenant@example.com", preferred_language="fr")


def rent_context(**overrides) -> dict:
    context = {
        "tenant_name": "Brice Zinsou",
        "amount": {"amount": 75000, "currency": "XOF"},
        "period": "mars 2026",
        "due_date": "2026-03-05",
        "property_name": "Résidence Fidjrossè, apt 3",
        "reference": "LOY-2026-03-0042",
        "pay_url": "https://hokwe.com/pay/K7Q2M",
    }
    context.update(overrides)
    return context


def receipt_context(**overrides) -> dict:
    context = {
        "payer_name": "Brice Zinsou",
        "amount": {"amount": 75000, "currency": "XOF"},
        "purpose": "Loyer mars 2026",
        "reference": "REC-8F3K2",
        "paid_at": "2026-03-03T14:12:00+01:00",
        "receipt_url": "https://hokwe.com/r/8F3K2",
    }
    context.update(overrides)
    return context


RENT = RENT_NOTICE
RECEIPT = PAYMENT_RECEIPT

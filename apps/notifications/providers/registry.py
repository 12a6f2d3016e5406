"""Which provider sends what: SMS failover chains chosen by the number's country prefix.

    SMS_BACKEND=africastalking,twilio                     the default chain, in order
    SMS_ROUTES=+229:orange,africastalking;+225:orange     per prefix (longest prefix wins)

A provider that errors or times out hands the message to the next one in its chain.
"""

from __future__ import annotations

from django.conf import settings

from .africastalking import AfricasTalkingSms
from .console import ConsolePush, ConsoleSms, FileSms
from .email import DjangoEmail
from .fcm import FcmPush
from .orange import OrangeSms
from .twilio import TwilioSms

SMS_PROVIDERS = {
    "console": ConsoleSms,
    "file": FileSms,
    "africastalking": AfricasTalkingSms,
    "twilio": TwilioSms,
    "orange": OrangeSms,
}
PUSH_PROVIDERS = {"console": ConsolePush, "fcm": FcmPush}

# Settings a provider instance depends on: a change (tests, reload) builds a fresh client.
_CONFIG_SETTINGS = (
    "SMS_TIMEOUT_SECONDS",
    "AFRICASTALKING_BASE_URL",
    "AFRICASTALKING_USERNAME",
    "AFRICASTALKING_API_KEY",
    "AFRICASTALKING_SENDER_ID",
    "TWILIO_BASE_URL",
    "TWILIO_ACCOUNT_SID",
    "TWILIO_AUTH_TOKEN",
    "TWILIO_FROM",
    "ORANGE_SMS_BASE_URL",
    "ORANGE_SMS_CLIENT_ID",
    "ORANGE_SMS_CLIENT_SECRET",
    "ORANGE_SMS_SENDER",
    "ORANGE_SMS_SENDER_NAME",
    "FCM_BASE_URL",
    "FCM_PROJECT_ID",
    "FCM_SERVICE_ACCOUNT_JSON",
    "FCM_SERVICE_ACCOUNT_FILE",
    "SMS_CONSOLE_FILE",
)
_instances: dict[tuple, object] = {}


def parse_chain(value: str) -> list[str]:
    return [name.strip() for name in value.split(",") if name.strip()]


def parse_routes(value: str) -> list[tuple[str, list[str]]]:
    """'+229:orange,africastalking;+225:orange' -> [('+229', ['orange', 'africastalking']), …],
    longest prefix first."""
    routes = []
    for part in value.split(";"):
        if ":" not in part:
            continue
        prefix, chain = part.split(":", 1)
        prefix = "+" + prefix.strip().lstrip("+")
        routes.append((prefix, parse_chain(chain)))
    return sorted(routes, key=lambda route: -len(route[0]))


def sms_chain(phone: str) -> list[str]:
    for prefix, chain in parse_routes(settings.SMS_ROUTES):
        if phone.startswith(prefix) and chain:
            return chain
    return parse_chain(settings.SMS_BACKEND) or ["console"]


def _instance(kind: str, name: str, factory):
    key = (kind, name, *(str(getattr(settings, s, "")) for s in _CONFIG_SETTINGS))
    if key not in _instances:
        _instances[key] = factory()
    return _instances[key]


def sms_provider(name: str):
    if name not in SMS_PROVIDERS:
        raise KeyError(f"Unknown SMS provider {name!r} (SMS_BACKEND / SMS_ROUTES)")
    return _instance("sms", name, SMS_PROVIDERS[name])


def push_provider():
    name = settings.PUSH_BACKEND
    if name not in PUSH_PROVIDERS:
        raise KeyError(f"Unknown push provider {name!r} (PUSH_BACKEND)")
    return _instance("push", name, PUSH_PROVIDERS[name])


def email_provider() -> DjangoEmail:
    return DjangoEmail()


def known_sms_providers() -> set[str]:
    return set(SMS_PROVIDERS)

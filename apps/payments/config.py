"""Which provider, with which keys: per-organization configuration and routing.

Keys come from a ProviderConfig row (the organization's own, then the platform's), whose
secrets are encrypted with Fernet under PAYMENT_CONFIG_KEY (derived from SECRET_KEY when
unset), or else from the environment (KKIAPAY_*, FEDAPAY_*). An online provider is usable
only when listed in PAYMENT_PROVIDERS (prod settings refuse "sandbox" there).

Routing (method, country) → provider: the organization's ProviderRoute rows, then the
platform's, then PAYMENT_ROUTES ("mobile_money:BJ=kkiapay;card:*=kkiapay"), then the first
online provider of PAYMENT_PROVIDERS. Offline methods map to themselves.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db.models import Q

from . import providers
from .errors import ProviderNotAvailable
from .models import ProviderConfig, ProviderRoute
from .providers.base import BaseProvider, Credentials

OFFLINE_METHODS = {"cash": "cash", "bank_transfer": "bank_transfer", "wallet": "wallet"}
SECRET_FIELDS = ("private_key", "secret_key", "webhook_secret")


def _fernet() -> Fernet:
    material = settings.PAYMENT_CONFIG_KEY or f"hokwe-payments-config:{settings.SECRET_KEY}"
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(material.encode()).digest()))


def encrypt_secrets(values: dict) -> str:
    return _fernet().encrypt(json.dumps(values).encode()).decode()


def decrypt_secrets(token: str) -> dict:
    if not token:
        return {}
    try:
        return json.loads(_fernet().decrypt(token.encode()))
    except (InvalidToken, ValueError):
        return {}


def set_config_secrets(config: ProviderConfig, **values: str) -> None:
    current = decrypt_secrets(config.secrets_encrypted)
    current.update({k: v for k, v in values.items() if k in SECRET_FIELDS and v})
    config.secrets_encrypted = encrypt_secrets(current)


def _env_credentials(name: str) -> Credentials:
    if name == "kkiapay":
        return Credentials(
            public_key=settings.KKIAPAY_PUBLIC_KEY,
            private_key=settings.KKIAPAY_PRIVATE_KEY,
            secret_key=settings.KKIAPAY_SECRET_KEY,
            webhook_secret=settings.KKIAPAY_WEBHOOK_SECRET,
            live=not settings.KKIAPAY_SANDBOX,
        )
    if name == "fedapay":
        return Credentials(
            secret_key=settings.FEDAPAY_SECRET_KEY,
            webhook_secret=settings.FEDAPAY_WEBHOOK_SECRET,
            live="live-api" in settings.FEDAPAY_BASE_URL,
        )
    return Credentials()


def _from_row(row: ProviderConfig) -> Credentials:
    secrets = decrypt_secrets(row.secrets_encrypted)
    return Credentials(
        public_key=row.public_key,
        private_key=secrets.get("private_key", ""),
        secret_key=secrets.get("secret_key", ""),
        webhook_secret=secrets.get("webhook_secret", ""),
        live=row.live,
        config_id=str(row.public_id),
    )


def enabled(name: str) -> bool:
    return name in providers.OFFLINE or name in settings.PAYMENT_PROVIDERS


# Which ProviderConfig row applies, remembered for a short while per process: a webhook
# burst must not read the configuration table on every call. Changes in the admin apply
# at once in the process that saved them (clear_cache) and within CACHE_SECONDS elsewhere.
CACHE_SECONDS = 30.0
_rows: dict[tuple, tuple[float, ProviderConfig | None]] = {}


def clear_cache() -> None:
    _rows.clear()


def _row(name: str, organization_id: int | None, config_id) -> ProviderConfig | None:
    key = (name, organization_id, str(config_id) if config_id else None)
    cached = _rows.get(key)
    now = time.monotonic()
    if cached is not None and now - cached[0] < CACHE_SECONDS:
        return cached[1]
    rows = ProviderConfig.objects.filter(provider=name, is_enabled=True)
    if config_id is not None:
        row = rows.filter(public_id=config_id).first()
    else:
        row = rows.filter(organization_id=organization_id).first() if organization_id is not None else None
        if row is None:
            row = rows.filter(organization__isnull=True).first()
    _rows[key] = (now, row)
    return row


def provider_for(name: str, *, organization_id: int | None = None, config_id=None) -> BaseProvider:
    """The provider `name` with the keys that apply to the organization (or to the given
    configuration, for webhooks that arrive on a configuration's own URL)."""
    if not providers.known(name) or not enabled(name):
        raise ProviderNotAvailable(field="provider")
    if name in providers.OFFLINE:
        return providers.get(name)
    row = _row(name, organization_id, config_id)
    if config_id is not None and row is None:
        raise ProviderNotAvailable(field="provider")
    return providers.get(name, _from_row(row) if row else _env_credentials(name))


def online_providers() -> list[str]:
    return [p for p in settings.PAYMENT_PROVIDERS if providers.known(p) and p not in providers.OFFLINE]


def _env_routes() -> list[tuple[str, str, str]]:
    routes = []
    for item in (settings.PAYMENT_ROUTES or "").split(";"):
        left, _sep, provider = item.strip().partition("=")
        method, _sep2, country = left.partition(":")
        if method and provider:
            routes.append((method.strip(), (country or "*").strip().upper(), provider.strip()))
    return routes


def routes(*, methods, country: str, organization_id: int | None = None) -> dict[str, str]:
    """The provider serving each of `methods` in `country` for this organization (a method no
    provider serves is left out), with one read of the routing table for all of them: the
    organization's routes, then the platform's (each by priority, the country's before "*"),
    then PAYMENT_ROUTES, then the first online provider offering the method."""
    found = {m: OFFLINE_METHODS[m] for m in methods if m in OFFLINE_METHODS}
    online = [m for m in methods if m not in found]
    if not online:
        return found
    country = (country or "*").upper()
    scope = Q(organization__isnull=True)
    if organization_id:
        scope |= Q(organization_id=organization_id)
    rows = list(
        ProviderRoute.objects.filter(method__in=online)
        .filter(Q(country=country) | Q(country="*"))
        .filter(scope)
        .values_list("method", "organization_id", "priority", "country", "provider")
    )
    rows.sort(key=lambda r: r[3], reverse=True)  # the country's own routes before "*"
    rows.sort(key=lambda r: (r[1] is None, r[2]))  # stable: the organization's first, by priority
    for method, _org, _priority, _country, provider in rows:
        if method not in found and enabled(provider):
            found[method] = provider
    for method in online:
        if method in found:
            continue
        for route_method, route_country, provider in _env_routes():
            if route_method == method and route_country in (country, "*") and enabled(provider):
                found[method] = provider
                break
        else:
            for provider in online_providers():
                if method in providers.REGISTRY[provider].methods:
                    found[method] = provider
                    break
    return found


def route(*, method: str, country: str, organization_id: int | None = None) -> str:
    """The provider name that serves `method` in `country` for this organization."""
    found = routes(methods=(method,), country=country, organization_id=organization_id)
    if method not in found:
        raise ProviderNotAvailable(field="method")
    return found[method]

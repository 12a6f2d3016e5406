"""Prod-like settings for bench/load.py: the real prod profile (refusals, DEBUG off,
whitenoise, persistent connections, SSL settings behind a proxy) with placeholder values for
what a laptop does not have (object storage, SMS and mail providers are never reached by the
scenario). Only the bench uses this module."""

import os

_defaults = {
    "SECRET_KEY": "bench-k3Jf9x2LmQp7vT0bN4wR8sY1zC6hD5gE9aU2iO3pKj7LmNq0rSt4uVw8xYz1aBc",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "AWS_STORAGE_BUCKET_NAME": "hokwe-bench",
    "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9",
    "EMAIL_URL": "smtp://127.0.0.1:9",
    "SMS_BACKEND": "africastalking",
    "PAYMENT_PROVIDERS": "kkiapay",
    "PUSH_BACKEND": "none",
    "TRUSTED_PROXY_CIDRS": "127.0.0.0/8",  # the load generator plays the gateway (one IP per tenant)
    "LOG_LEVEL": "WARNING",
    # Every simulated person has their own IP and tokens, but at capacity (no think time) each
    # sends far more than a person would: raise the per-IP/per-user budgets so that the bench
    # measures the endpoints. The limiters still run (same Redis round trips per request).
    "THROTTLE_ANON": "100000/min",
    "THROTTLE_USER": "100000/min",
    "THROTTLE_TOKEN": "100000/min",
    "CLAMD_URL": "tcp://127.0.0.1:9",  # prod requires one; the scenario uploads nothing
    "KYC_MASTER_KEYS": "bench1:YmVuY2gtb25seS1reWMtbWFzdGVyLWtleS0zMmJ5dGU=",  # 32 bytes, bench only
    # bench-only seller identity and partner settings (prod refuses placeholders)
    "BILLING_SELLER_BJ_IFU": "3202612345678",
    "BILLING_SELLER_BJ_RCCM": "RB/COT/26 B 12345",
    "BILLING_SELLER_CI_NCC": "2612345 A",
    "BILLING_SELLER_CI_RCCM": "CI-ABJ-2026-B-12345",
    "PARTNERS_API_KEY_PEPPER": "bench-pepper-9f8e7d6c5b4a39281706f5e4d3c2b1a0",
    "PARTNERS_KEY_ENVIRONMENT": "live",
    "PARTNERS_WEBHOOK_REQUIRE_HTTPS": "true",
    # modules whose sandboxes prod refuses; the scenario reaches none of them
    "INVEST_ALLOW_SANDBOX": "false",
    "INVEST_MARKET_DATA": "http",
    "INVEST_MARKET_DATA_URL": "http://127.0.0.1:9",
    "ADS_SOCIAL_NETWORK": "none",
}
for _name, _value in _defaults.items():
    os.environ.setdefault(_name, _value)

from hokwe.settings.prod import *  # noqa: E402, F403

"""Locust scenario of the month-end rent peak (run by bench/load.py, not by hand).

LOAD_PHASE=baseline: every user hits /healthz (Django's WSGI stack, one middleware) — the
ceiling of this server on this machine. LOAD_PHASE=capacity: tenants and collectors (below)
without think time; LOAD_PHASE=mix: the same people with think time.
"""

import itertools
import json
import os
import random
import uuid

from locust import HttpUser, between, task

DATA = json.load(open(os.environ["LOAD_DATA"]))
PHASE = os.environ.get("LOAD_PHASE", "mix")
# "capacity": the same mix with no think time (saturates the server, comparable with the
# baseline); "mix": people with think time (latency at a realistic concurrency).
THINK = PHASE != "capacity"
# One identity per simulated person: two users sharing a refresh token would trip identity's
# reuse detection (the whole token family is revoked), as it should.
# Each phase starts at its own offset: tokens refreshed in one phase are stale in the next.
_NEXT_TENANT = itertools.count(int(os.environ.get("LOAD_TENANT_OFFSET", "0")))


def _headers(token=None, ip=None):
    headers = {"X-Forwarded-Proto": "https", "Accept-Language": "fr"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if ip:
        headers["X-Forwarded-For"] = ip
    return headers


class Baseline(HttpUser):
    weight = 1 if PHASE == "baseline" else 0
    wait_time = between(0, 0)

    @task
    def healthz(self):
        self.client.get("/healthz", headers=_headers(), name="baseline /healthz")


class Tenant(HttpUser):
    """A tenant opening the pay app at month end: logs in (refresh token), looks at what is
    due (wallet, statement, inbox), sometimes again."""

    weight = 7 if PHASE in ("mix", "capacity") else 0
    wait_time = between(0.2, 1.0) if THINK else between(0, 0)

    def on_start(self):
        self.me = DATA["tenants"][next(_NEXT_TENANT) % len(DATA["tenants"])]
        self.ip = self.me["ip"]
        self.refresh = self.me["refresh"]
        self.token = self.me["access"]
        self.login()

    def login(self):
        with self.client.post(
            "/api/v1/auth/token/refresh",
            json={"refresh_token": self.refresh},
            headers=_headers(ip=self.ip),
            name="login (token refresh)",
            catch_response=True,
        ) as response:
            if response.status_code == 200:
                body = response.json()
                self.token, self.refresh = body["access_token"], body["refresh_token"]
            else:
                response.failure(f"refresh {response.status_code}")

    @task(3)
    def dues(self):
        h = _headers(self.token, self.ip)
        self.client.get("/api/v1/identity/me", headers=h, name="identity/me")
        self.client.get("/api/v1/ledger/accounts", headers=h, name="ledger/accounts")
        self.client.get(
            f"/api/v1/ledger/accounts/{self.me['wallet']}/statement", headers=h, name="ledger/statement"
        )

    @task(2)
    def inbox(self):
        h = _headers(self.token, self.ip)
        self.client.get(
            "/api/v1/notifications/inbox/unread-count", headers=h, name="notifications/unread-count"
        )
        self.client.get("/api/v1/notifications/inbox", headers=h, name="notifications/inbox")

    @task(1)
    def relogin(self):
        self.login()


class Collector(HttpUser):
    """An agency's collector at month end: creates payment intents (pay links for tenants)
    and lists them."""

    weight = 3 if PHASE in ("mix", "capacity") else 0
    # A person at a counter (THROTTLE_PAYMENT_CREATE is 20/min per user, also at capacity).
    wait_time = between(2, 5) if THINK else between(3, 3)

    def on_start(self):
        self.me = random.choice(DATA["collectors"])

    @task(2)
    def create_intent(self):
        self.client.post(
            "/api/v1/payments/intents",
            json={
                "organization": self.me["organization"],
                "amount": random.choice([25_000, 50_000, 75_000, 120_000]),
                "description": "Loyer du mois",
                "payer_phone": "+22997" + str(random.randint(100000, 999999)),
            },
            headers={**_headers(self.me["access"], self.me["ip"]), "Idempotency-Key": uuid.uuid4().hex},
            name="payments/intents (create)",
        )

    @task(1)
    def list_intents(self):
        self.client.get(
            "/api/v1/payments/intents",
            headers=_headers(self.me["access"], self.me["ip"]),
            name="payments/intents",
        )

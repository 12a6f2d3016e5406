"""Helpers every module's tests share (one `gql`, one `bearer_client`)."""

from __future__ import annotations

import json

from rest_framework.test import APIClient


def bearer_client(user) -> APIClient:
    """An API client holding a fresh access token of `user` (as the mobile apps do);
    anonymous for None."""
    from apps.identity.services.tokens import tokens_issue

    client = APIClient()
    if user is None:
        return client
    pair = tokens_issue(user=user, auth_method="otp")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {pair.access_token}")
    client.pair = pair
    return client


def graphql_post(client, body: dict | str, **extra):
    """POST a raw GraphQL body (a dict, or a string to send as is); the HTTP response, for
    tests of status codes, headers and the view's protections."""
    payload = body if isinstance(body, str) else json.dumps(body)
    return client.post("/graphql", payload, content_type="application/json", **extra)


def gql_response(client, query: str, variables: dict | None = None, **extra) -> dict:
    """POST a GraphQL operation; the whole body (`data`, and `errors` if any)."""
    response = client.post("/graphql", {"query": query, "variables": variables or {}}, format="json", **extra)
    assert response.status_code == 200, response.content
    return response.json()


def gql(client, query: str, variables: dict | None = None, **extra) -> dict:
    """POST a GraphQL operation that must not fail at the GraphQL level; its `data`.
    (Business refusals come back as typed `errors` inside the payload, not here.)"""
    body = gql_response(client, query, variables, **extra)
    assert "errors" not in body, body
    return body["data"]


def totp_code(device) -> str:
    """The code `device` (a django-otp TOTPDevice) shows now, as an authenticator app computes
    it from the device's key (django_otp.oath.totp). If this step's code was already accepted
    (replays are refused), the next step's code, which the device's tolerance of one step
    accepts — as an app a few seconds ahead would show. None left: AssertionError."""
    import time

    from django_otp.oath import TOTP, totp

    device.refresh_from_db()
    now = time.time()
    now_t = int((now - device.t0) // device.step)
    if now_t > device.last_t:
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    elif now_t + 1 > device.last_t:
        ahead = TOTP(device.bin_key, device.step, device.t0, device.digits)
        ahead.time = now + device.step
        code = ahead.token()
    else:
        raise AssertionError("this device's codes for now were all used: enrol another (enrol_totp)")
    return f"{code:0{device.digits}d}"


def _has_fresh_code(device) -> bool:
    import time

    now_t = int((time.time() - device.t0) // device.step)
    return device.last_t < now_t + 1


def enrol_totp(user, *, name: str = "Authenticator app (test)"):
    """A confirmed TOTP device of `user` with an unused code for now: an existing one, else a
    new one enrolled as a person does it (start, then confirm with the app's first code)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from apps.identity.services import second_factor

    for device in TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).order_by("-pk"):
        if _has_fresh_code(device):
            return device
    enrolment = second_factor.totp_start(actor=user, name=name)
    device = TOTPDevice.objects.get(pk=int(enrolment.device_id.split(":")[1]))
    second_factor.totp_confirm(actor=user, device_id=enrolment.device_id, code=totp_code(device))
    device.refresh_from_db()
    return device


def run_concurrently(funcs) -> list:
    """Run each callable in its own thread (its own database connection), all released at
    once by a barrier; returns each one's result, or the exception it raised, in order."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    barrier = threading.Barrier(len(funcs))

    def worker(func):
        try:
            barrier.wait()
            return func()
        except Exception as exc:
            return exc
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(funcs)) as pool:
        return list(pool.map(worker, funcs))


def django_shell(script: str, env: dict, *, timeout: int = 180):
    """Run `script` in another process of the app (`manage.py shell -c`, the test settings
    unless `env` says otherwise) with exactly `env` as its environment; returns the finished
    process (stdout, stderr, returncode) for the test to read."""
    import subprocess
    import sys
    from pathlib import Path

    return subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
        cwd=Path(__file__).resolve().parents[1],
        env={"DJANGO_SETTINGS_MODULE": "hokwe.settings.test", **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )

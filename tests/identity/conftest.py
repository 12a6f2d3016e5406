"""Identity test helpers: an SMS inbox (a registered OtpSender / InvitationSender, exactly
as apps.notifications registers its real ones), token clients, a movable clock, and the
real OpenID Provider (devtools/oidc, panva/oidc-provider on Node) for the OIDC tests."""

from __future__ import annotations

import json
import os
import re
import select
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.utils import timezone

from apps.identity import api as identity_api
from apps.identity.models import Membership
from tests.helpers import bearer_client
from tests.identity.factories import MembershipFactory

ROOT = Path(__file__).resolve().parents[2]
OIDC_DIR = ROOT / "devtools" / "oidc"


@dataclass
class Sms:
    phone: str
    kind: str
    code: str = ""
    link: str = ""
    purpose: str = ""
    language: str = ""


@dataclass
class SmsInbox:
    messages: list[Sms] = field(default_factory=list)

    def send_otp(self, *, phone, code, purpose, language):
        self.messages.append(Sms(phone=phone, kind="otp", code=code, purpose=purpose, language=language))

    def send_invitation(self, *, phone, link, organization_name, inviter_name, role, language):
        self.messages.append(Sms(phone=phone, kind="invitation", link=link, language=language))

    def last_code(self, phone=None) -> str:
        for sms in reversed(self.messages):
            if sms.kind == "otp" and (phone is None or sms.phone == str(phone)):
                return sms.code
        raise AssertionError(f"no code sent to {phone}")

    def last_link(self) -> str:
        return next(s.link for s in reversed(self.messages) if s.kind == "invitation")


@pytest.fixture
def sms():
    inbox = SmsInbox()
    identity_api.set_otp_sender(inbox)
    identity_api.set_invitation_sender(inbox)
    yield inbox
    identity_api.set_otp_sender(None)
    identity_api.set_invitation_sender(None)


@pytest.fixture
def clock(time_machine):
    """The wall clock, frozen-ish (ticking) at now; `clock.shift(seconds)` moves it."""
    time_machine.move_to(timezone.now(), tick=True)
    return time_machine


@pytest.fixture
def client_for():
    """`client_for(user)`: an API client holding a fresh access token of `user`."""
    return bearer_client


@pytest.fixture
def owner_a(org_a):
    return MembershipFactory(organization=org_a, role=Membership.Role.OWNER).user


@pytest.fixture
def collector_a(org_a):
    return MembershipFactory(organization=org_a, role=Membership.Role.COLLECTOR).user


@pytest.fixture
def viewer_a(org_a):
    return MembershipFactory(organization=org_a, role=Membership.Role.VIEWER).user


@pytest.fixture
def owner_b(org_b):
    return MembershipFactory(organization=org_b, role=Membership.Role.OWNER).user


# --- the real OpenID Provider -------------------------------------------------------------


@dataclass
class OidcProvider:
    issuer: str
    process: subprocess.Popen

    @property
    def discovery(self) -> dict:
        import httpx

        return httpx.get(f"{self.issuer}/.well-known/openid-configuration", timeout=5).json()

    def rotate_keys(self) -> str:
        import httpx

        return httpx.post(f"{self.issuer}/__test__/rotate", timeout=5).json()["kid"]


def _start_provider():
    """Start the provider; (process, the READY match or None, node's output if it failed)."""
    errors = tempfile.TemporaryFile(mode="w+")
    process = subprocess.Popen(
        ["node", "provider.mjs", "--port", "0"],
        cwd=OIDC_DIR,
        stdout=subprocess.PIPE,
        stderr=errors,
        text=True,
        env={**os.environ, "NODE_ENV": "test"},
    )
    deadline = time.monotonic() + 60  # node's cold start on a loaded 2-core machine
    line = ""
    while time.monotonic() < deadline:
        ready, _w, _x = select.select([process.stdout], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            break
        line = process.stdout.readline()
        if line.startswith("READY ") or not line:
            break
    match = re.match(r"READY (.*)", line)
    if match:
        errors.close()
        return process, match, ""
    process.kill()
    process.wait(timeout=10)
    errors.seek(0)
    said = f"stdout {line!r}, exit {process.returncode}, stderr {errors.read()}"
    errors.close()
    return process, None, said


@pytest.fixture(scope="session")
def oidc_provider():
    if not (OIDC_DIR / "node_modules" / "oidc-provider").is_dir():
        pytest.fail(
            "The test OpenID Provider is not installed: run `bash scripts/test.sh` "
            "(scripts/setup.d/50-oidc-provider.sh) or `npm ci` in devtools/oidc."
        )
    # Node exited once at start-up with nothing on stdout (a fresh-clone run, 2026-12-05): its
    # stderr is kept, and a provider that dies before it is READY is started once more; a
    # second failure fails the tests with what node said.
    said = ""
    for _attempt in range(2):
        process, match, said = _start_provider()
        if match:
            break
    else:
        pytest.fail(f"the OpenID Provider did not start; node said: {said[-2000:]!r}")
    provider = OidcProvider(issuer=json.loads(match.group(1))["issuer"], process=process)
    yield provider
    process.terminate()
    process.wait(timeout=10)

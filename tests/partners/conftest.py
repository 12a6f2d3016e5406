"""Partners' test helpers: an agency with its owner and manager, the SMS inbox for step-up
codes, keys made through the service, and a real local HTTP receiver (http.server in a
thread) that fails on purpose."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from apps.identity import api as identity
from apps.identity.models import Membership
from apps.partners import services
from tests.identity.conftest import SmsInbox
from tests.identity.factories import MembershipFactory, OrganizationFactory, UserFactory


@pytest.fixture
def sms():
    inbox = SmsInbox()
    identity.set_otp_sender(inbox)
    yield inbox
    identity.set_otp_sender(None)


@pytest.fixture
def org(db):
    return OrganizationFactory(name="Agence Les Palmiers", currencies=["XOF"])


@pytest.fixture
def other_org(db):
    return OrganizationFactory(name="Agence Concurrente", currencies=["XOF"])


def member(org, role=Membership.Role.MANAGER, **fields):
    return MembershipFactory(organization=org, role=role, user=UserFactory(**fields)).user


@pytest.fixture
def owner(org):
    return member(org, Membership.Role.OWNER, email="proprietaire@palmiers.example", preferred_language="fr")


@pytest.fixture
def manager(org):
    return member(org, Membership.Role.MANAGER)


@pytest.fixture
def step_up(sms):
    """step_up(user, org) -> a single-use token for partners.key.create on org."""

    def make(user, organization):
        challenge = identity.step_up_start(
            actor=user, action="partners.key.create", target=str(organization.public_id)
        )
        proof = identity.step_up_verify(
            actor=user, challenge_id=challenge.challenge_id, code=sms.last_code(user.phone)
        )
        return proof.token

    return make


@pytest.fixture
def make_key(step_up):
    """make_key(user, org, scopes, **kw) -> CreatedKey (the real service, with a step-up)."""

    def make(user, organization, scopes, **kwargs):
        return services.key_create(
            actor=user,
            organization_id=organization.pk,
            name=kwargs.pop("name", "ERP"),
            scopes=scopes,
            step_up_token=step_up(user, organization),
            **kwargs,
        )

    return make


def key_client(secret: str):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes

    @property
    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    """A partner's server: answers `fail_times` requests with 500, then 200 (or hangs for
    `hang_seconds` when set, longer than our timeout)."""

    fail_times: int = 0
    hang_seconds: float = 0.0
    received: list[Received] = field(default_factory=list)
    url: str = ""
    release: threading.Event = field(default_factory=threading.Event)

    def handle(self, request: BaseHTTPRequestHandler) -> tuple[int, bytes]:
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length)
        self.received.append(Received(path=request.path, headers=dict(request.headers), body=body))
        if self.hang_seconds:
            self.release.wait(self.hang_seconds)
            return 200, b'{"ok": true}'
        if len(self.received) <= self.fail_times:
            return 500, b"boom: database down on the partner side"
        return 200, b'{"received": true}'


@pytest.fixture
def receiver():
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            status, body = state.handle(self)
            try:
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except OSError:  # we hung up first (timeout)
                pass

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hokwe/webhooks"
    yield state
    state.release.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def endpoint(owner, org, receiver):
    return services.endpoint_create(
        actor=owner,
        organization_id=org.pk,
        url=receiver.url,
        events=["payment.succeeded", "payment.failed", "refund.succeeded", "due.paid"],
    )

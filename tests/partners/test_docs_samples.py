"""The signature checks docs/checkout.md gives partners (Python and Node) accept a real
delivery of Hokwe and refuse a tampered one: the documentation is run, not just read."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from apps.partners import services
from apps.partners.models import Delivery

from .test_webhooks import emit, succeeded

pytestmark = pytest.mark.django_db

DOC = Path(__file__).resolve().parents[2] / "docs" / "checkout.md"


def _block(language: str) -> str:
    blocks = re.findall(rf"```{language}\n(.*?)```", DOC.read_text(), re.S)
    return next(b for b in blocks if "ignature" in b)


@pytest.fixture
def delivered(endpoint, org, receiver, django_capture_on_commit_callbacks):
    emit(succeeded(org), django_capture_on_commit_callbacks)
    services.deliver_due(now=Delivery.objects.get().next_attempt_at)
    (request,) = receiver.received
    return endpoint.secret, request.headers["Hokwe-Signature"], request.body


def test_the_python_sample_verifies_a_real_delivery(delivered, monkeypatch):
    secret, header, body = delivered
    namespace: dict = {}
    exec(compile(_block("python"), str(DOC), "exec"), namespace)
    check = namespace["hokwe_signature_ok"]
    stamp = int(header.split(",")[0][2:])
    monkeypatch.setattr(namespace["time"], "time", lambda: stamp + 10)
    assert check(secret, header, body)
    assert not check(secret, header, body.replace(b"75000", b"75001"))
    assert not check("whsec_wrong", header, body)


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_node_sample_verifies_a_real_delivery(delivered, tmp_path):
    secret, header, body = delivered
    code = _block("js").split("app.post(")[0]
    stamp = int(header.split(",")[0][2:])
    script = tmp_path / "check.js"
    script.write_text(
        code
        + f"\nDate.now = () => {stamp * 1000 + 10_000};\n"
        + "const [secret, header, body, tampered] = JSON.parse(process.argv[2]);\n"
        + "console.log(JSON.stringify([hokweSignatureOk(secret, header, Buffer.from(body)),"
        + " hokweSignatureOk(secret, header, Buffer.from(tampered))]));\n"
    )
    args = json.dumps([secret, header, body.decode(), body.decode().replace("75000", "75001")])
    out = subprocess.run(["node", str(script), args], capture_output=True, text=True, timeout=30, check=True)
    assert json.loads(out.stdout) == [True, False]

"""The schema is usable by the apps' teams (issue 17): openapi-typescript generates the types
from the published OpenAPI, and a small program written against them
(clients/typescript/src/tenant-app.ts: login by SMS code, dues, paying a lease's balance with
an Idempotency-Key, typed problem details, and calls that must NOT compile, marked
`@ts-expect-error`) is type-checked by tsc. Node and the packages are installed by
scripts/setup.d/47-typescript-client.sh."""

import pathlib
import subprocess

import pytest
from django.core.management import call_command

CLIENT = pathlib.Path(__file__).resolve().parents[2] / "clients" / "typescript"
BIN = CLIENT / "node_modules" / ".bin"


def _run(*args):
    return subprocess.run(args, cwd=CLIENT, capture_output=True, text=True, timeout=300, check=False)


@pytest.mark.django_db
def test_generated_client_compiles(tmp_path):
    assert (BIN / "tsc").exists(), (
        "run scripts/test.sh (scripts/setup.d/47-typescript-client.sh installs the client tools)"
    )
    schema = tmp_path / "schema.yaml"
    call_command("spectacular", file=str(schema))
    generated = CLIENT / "generated" / "api.d.ts"
    # Defaults do not make request fields required (a field with a default may be left out).
    result = _run(
        str(BIN / "openapi-typescript"), str(schema), "-o", str(generated), "--default-non-nullable=false"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    types = generated.read_text()
    assert '"application/problem+json": components["schemas"]["Problem"]' in types
    assert '"Idempotency-Key"?: string' in types
    compiled = _run(str(BIN / "tsc"), "-p", ".")
    assert compiled.returncode == 0, compiled.stdout + compiled.stderr

import io

import pytest
import yaml
from django.core.management import call_command


@pytest.mark.django_db
def test_openapi_schema_generates_without_warnings_and_validates(tmp_path):
    target = tmp_path / "schema.yaml"
    stderr = io.StringIO()
    # --fail-on-warn turns any warning or error of drf-spectacular into a failure.
    call_command("spectacular", file=str(target), validate=True, fail_on_warn=True, stderr=stderr)
    schema = yaml.safe_load(target.read_text())
    assert schema["openapi"].startswith("3.")
    assert all(path.startswith("/api/v1/") for path in schema["paths"])
    assert "bearerAuth" in schema["components"]["securitySchemes"]
    operation_ids = [
        op["operationId"]
        for item in schema["paths"].values()
        for op in item.values()
        if isinstance(op, dict) and "operationId" in op
    ]
    assert len(operation_ids) == len(set(operation_ids))

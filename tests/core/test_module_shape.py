"""Every module has the standard shape, and the checks really refuse a broken one.

A module made by the scaffold command passes every check (the layer contracts, the
dynamic-import lint, the shape) and mounts with no other file edited; the same module,
deliberately broken, is refused by each check in turn."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
LINT = Path(sys.executable).with_name("lint-imports")


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        args,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=180,
        env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"},
    )


@pytest.fixture(scope="module")
def scaffolded(tmp_path_factory) -> Path:
    """A copy of the tree with a new module `atelier` made by the scaffold, above estate."""
    repo = tmp_path_factory.mktemp("shape") / "repo"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "locale", "node_modules", "static", "templates")
    for name in ("apps", "hokwe", "devtools", "docs"):
        shutil.copytree(ROOT / name, repo / name, ignore=ignore)
    for name in (".importlinter", "manage.py"):
        shutil.copy(ROOT / name, repo / name)
    result = run([PYTHON, "devtools/scaffold.py", "atelier", "--above", "estate"], repo)
    assert result.returncode == 0, result.stderr
    return repo


def test_the_modules_have_the_standard_shape():
    result = run([PYTHON, "devtools/module_shape.py"], ROOT)
    assert result.returncode == 0, result.stdout


def test_no_module_reaches_another_through_get_model_or_import_module():
    result = run([PYTHON, "devtools/lint_dynamic_imports.py"], ROOT)
    assert result.returncode == 0, result.stdout


def test_a_scaffolded_module_passes_every_check_and_mounts(scaffolded):
    shape = run([PYTHON, "devtools/module_shape.py", ".", "--only=atelier"], scaffolded)
    assert shape.returncode == 0, shape.stdout
    dynamic = run([PYTHON, "devtools/lint_dynamic_imports.py", ".", "--only=atelier"], scaffolded)
    assert dynamic.returncode == 0, dynamic.stdout
    lint = run([str(LINT), "--no-cache"], scaffolded)
    assert lint.returncode == 0, lint.stdout
    mounted = subprocess.run(
        [
            PYTHON,
            "-c",
            "import django; django.setup(); from django.conf import settings; from hokwe.schema import schema; "
            "from hokwe import urls; print(settings.HOKWE_APPS.index('apps.atelier') > settings.HOKWE_APPS.index('apps.estate'))",
        ],
        cwd=scaffolded,
        capture_output=True,
        text=True,
        timeout=120,
        env={
            "PYTHONPATH": str(scaffolded),
            "DJANGO_SETTINGS_MODULE": "hokwe.settings.dev",
            "PATH": "/usr/bin:/bin",
        },
    )
    assert mounted.returncode == 0, mounted.stderr
    assert mounted.stdout.strip() == "True"


def _break(repo: Path, relative: str, change) -> Path:
    broken = repo.parent / f"broken-{relative.replace('/', '-')}"
    shutil.copytree(repo, broken)
    change(broken / "apps" / "atelier", broken)
    return broken


def test_a_module_without_the_standard_files_is_refused(scaffolded):
    def change(app, _root):
        shutil.rmtree(app / "services")
        (app / "graphql" / "types.py").unlink()
        (app / "api.py").write_text('__all__ = ["invest_balance"]\n\ndef invest_balance():\n    return 0\n')

    result = run(
        [PYTHON, "devtools/module_shape.py", ".", "--only=atelier"], _break(scaffolded, "shape", change)
    )
    assert result.returncode == 1
    assert "apps/atelier: no services/ package" in result.stdout
    assert "apps/atelier: no graphql/types.py" in result.stdout
    assert "does not name `invest_balance`" in result.stdout


def test_get_model_and_import_module_across_modules_are_refused(scaffolded):
    def change(app, _root):
        (app / "selectors.py").write_text(
            "from importlib import import_module\n\nfrom django.apps import apps\n\n"
            "def members():\n    return apps.get_model('identity', 'Membership').objects.all()\n\n"
            "def kyc():\n    return import_module('apps.kyc.services')\n"
        )

    result = run(
        [PYTHON, "devtools/lint_dynamic_imports.py", ".", "--only=atelier"],
        _break(scaffolded, "dynamic", change),
    )
    assert result.returncode == 1
    assert "apps/atelier/selectors.py:6: get_model reaches identity's tables" in result.stdout
    assert (
        "apps/atelier/selectors.py:9: import_module('apps.kyc.services') bypasses the boundaries"
        in result.stdout
    )


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("selectors.py", "from apps.recovery import api", "Apps are layered"),  # recovery is above
        ("models.py", "from . import services", "Inside an app"),  # a model reaching up
        ("messages.py", "from . import selectors", "Inside an app"),  # a one-off file out of place
        ("services/__init__.py", "from apps.estate import models", "api.py, contracts.py and events.py"),
    ],
)
def test_a_scaffolded_module_breaking_a_contract_is_refused(scaffolded, module, line, contract):
    def change(app, _root):
        path = app / module
        path.write_text(path.read_text() + f"\n{line}  # deliberate violation\n")

    result = run([str(LINT), "--no-cache"], _break(scaffolded, f"contract-{module}-{line}", change))
    assert result.returncode == 1
    assert contract in result.stdout

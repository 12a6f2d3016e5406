"""The import-linter contracts hold, and a deliberate forbidden import breaks them."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT = Path(sys.executable).with_name("lint-imports")


def copy_tree(tmp_path: Path) -> Path:
    target = tmp_path / "repo"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "locale", "migrations", "node_modules")
    for name in ("apps", "hokwe", "devtools"):
        shutil.copytree(ROOT / name, target / name, ignore=ignore)
    shutil.copy(ROOT / ".importlinter", target / ".importlinter")
    return target


def lint(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT), "--no-cache"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(cwd)},
    )


@pytest.fixture(scope="module")
def clean_copy(tmp_path_factory):
    return copy_tree(tmp_path_factory.mktemp("boundaries"))


def test_contracts_are_kept(clean_copy):
    result = lint(clean_copy)
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        # core (lowest layer) importing a module above it
        ("apps/core/money.py", "import apps.identity.models", "Apps are layered"),
        # domain code importing a transport
        ("apps/identity/models.py", "import rest_framework", "transport-free"),
        # an app reaching into another app's private module
        ("apps/identity/api.py", "import apps.core.models", None),
    ],
)
def test_a_forbidden_import_breaks_a_contract(tmp_path, module, line, broken):
    repo = copy_tree(tmp_path)
    path = repo / module
    if not path.exists():
        path.write_text("")
    path.write_text(path.read_text() + f"\n{line}  # deliberate violation\n")
    result = lint(repo)
    if broken is None:  # the kernel is a library every app may use: still kept
        assert result.returncode == 0, result.stdout
    else:
        assert result.returncode != 0
        assert broken in result.stdout
        assert "BROKEN" in result.stdout


def test_private_modules_of_an_app_are_protected(tmp_path):
    repo = copy_tree(tmp_path)
    (repo / "apps" / "shop").mkdir()
    (repo / "apps" / "shop" / "__init__.py").write_text("")
    (repo / "apps" / "shop" / "api.py").write_text("")
    (repo / "apps" / "shop" / "services.py").write_text("import apps.identity.models\n")
    result = lint(repo)
    assert result.returncode != 0
    assert "apps.shop.services -> apps.identity.models" in result.stdout
    (repo / "apps" / "shop" / "services.py").write_text("import apps.identity.api\n")
    (repo / "apps" / "identity" / "api.py").touch()
    assert lint(repo).returncode == 0

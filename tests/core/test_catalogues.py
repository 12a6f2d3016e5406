"""Every string has its French: no empty or fuzzy msgstr in a French catalogue, and every
string of a module's code and templates (what `makemessages` extracts) is translated in that
module's catalogue (hokwe/ and templates/: in the project's or any module's catalogue, which
Django merges at run time). Third-party strings a person reads (the admin's TOTP login)
are French through the project catalogue (LOCALE_PATHS), which takes precedence."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
MODULES = sorted(p.name for p in (ROOT / "apps").iterdir() if (p / "locale" / "fr").is_dir())
PROJECT = ROOT / "locale/fr/LC_MESSAGES/django.po"


def _po(module: str | None) -> Path:
    return PROJECT if module is None else ROOT / f"apps/{module}/locale/fr/LC_MESSAGES/django.po"


def _catalogue(path: Path):
    with path.open("rb") as handle:
        return read_po(handle, locale="fr")


def _key(message) -> tuple[str, str | None]:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    return msgid, message.context


def _translated(message) -> bool:
    value = message.string
    filled = all(value) if isinstance(value, list | tuple) else bool(value)
    return filled and not message.fuzzy


def _untranslated(catalogue) -> list[str]:
    return [repr(_key(m)[0]) for m in catalogue if m.id and not _translated(m)]


@pytest.mark.parametrize("module", [*MODULES, None], ids=[*MODULES, "project"])
def test_no_empty_or_fuzzy_french_string(module):
    bad = _untranslated(_catalogue(_po(module)))
    assert not bad, f"{_po(module).relative_to(ROOT)}: no French (empty or fuzzy) for {', '.join(bad)}"


def _extract(sources: list[Path], tmp_path: Path):
    """What makemessages finds in these folders (a copy, so the tree is never written)."""
    work = tmp_path / "src"
    work.mkdir()
    for source in sources:
        shutil.copytree(
            source,
            work / source.name,
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "locale", "static"),
        )
    (work / "locale").mkdir()
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "fr", "--no-location", "--no-wrap"],
        cwd=work,
        check=True,
        capture_output=True,
        # without settings, as docs/contributing.md runs it: it writes into ./locale
        env={k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
    )
    return _catalogue(work / "locale/fr/LC_MESSAGES/django.po")


needs_gettext = pytest.mark.skipif(
    shutil.which("xgettext") is None, reason="makemessages needs GNU gettext (apt-get install gettext)"
)


@needs_gettext
@pytest.mark.parametrize("module", [*MODULES, None], ids=[*MODULES, "project"])
def test_every_source_string_has_french(module, tmp_path):
    if module is None:
        extracted = _extract([ROOT / "hokwe", ROOT / "templates"], tmp_path)
        known = {}
        for path in [PROJECT, *(_po(m) for m in MODULES)]:
            known.update({_key(m): m for m in _catalogue(path) if m.id and _translated(m)})
    else:
        extracted = _extract([ROOT / "apps" / module], tmp_path)
        known = {_key(m): m for m in _catalogue(_po(module)) if m.id and _translated(m)}
    missing = [repr(_key(m)[0]) for m in extracted if m.id and _key(m) not in known]
    assert not missing, (
        f"{_po(module).relative_to(ROOT)} lacks French for {', '.join(missing)} "
        "(docs/contributing.md: translations of a module)"
    )


def test_the_admin_totp_login_errors_are_french():
    from django_otp.forms import OTPAuthenticationFormMixin

    errors = OTPAuthenticationFormMixin.otp_error_messages
    with translation.override("fr"):
        device = str(errors["device_required"])
        token = str(errors["token_required"])
        invalid = str(errors["invalid_token"])
    assert device != "Please select a device." and "appareil" in device
    assert token != "Please enter your OTP token."
    assert invalid.startswith("Code incorrect")


def test_compiled_catalogues_carry_the_french():
    """The .mo files are compiled from the .po files (devtools/compile_translations.py)."""
    with translation.override("fr"):
        assert translation.gettext("Addressed to") == "À l'attention de"
        assert translation.gettext("credit from an earlier payment") == "avoir d'un paiement antérieur"

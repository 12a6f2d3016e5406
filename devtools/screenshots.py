"""Screenshots of each role's home and of the key pages, at 390 px (a mid-range Android phone)
and 1366 px (a laptop), into docs/img/ (issue 18). One command, on the embedded default:

    .venv/bin/python devtools/screenshots.py [--out docs/img]

Builds a throwaway SQLite database with the demo data, serves it with `runserver` on a free
loopback port, logs each demo role in (a session made for it, no password typed) and drives
Debian's Chromium (/usr/bin/chromium) with Playwright. Needs the dev requirements and the
front-end assets (scripts/test.sh or scripts/run.sh install them).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# (file name, phone of the demo user or None for anonymous, path)
SHOTS = [
    ("agency-home", "+2290197000001", "/manager/"),
    ("agency-dues", "+2290197000001", "/manager/estate/dues/"),
    ("agency-leases", "+2290197000001", "/manager/estate/leases/"),
    ("agency-statements", "+2290197000001", "/manager/estate/statements/"),
    ("agency-recovery", "+2290197000001", "/manager/recovery/"),
    ("agency-calendar", "+2290197000001", "/manager/calendar/"),
    ("agency-billing", "+2290197000001", "/manager/billing/"),
    ("collector-home", "+2290197000004", "/manager/"),
    ("merchant-home", "+2290166000001", "/manager/"),
    ("landlord-home", "+2290196000001", "/manager/"),
    ("landlord-billing", "+2290196000001", "/manager/billing/"),
    ("tenant-home", "+2290161000001", "/pay/"),
    ("tenant-dues", "+2290161000001", "/pay/me/dues/"),
    ("login", None, "/manager/login/"),
]
WIDTHS = {"phone": (390, 844), "laptop": (1366, 768)}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _manage(env, *args, **kwargs):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, **kwargs)


def _sessions(env, phones) -> dict[str, str]:
    """A logged-in session key per demo phone, made in the demo database."""
    code = (
        "import json,sys\n"
        "from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY\n"
        "from django.contrib.sessions.backends.db import SessionStore\n"
        "from apps.identity.models import User\n"
        "out={}\n"
        "for phone in json.loads(sys.argv[1]):\n"
        "    user=User.objects.get(phone=phone); s=SessionStore()\n"
        "    s[SESSION_KEY]=str(user.pk); s[HASH_SESSION_KEY]=user.get_session_auth_hash()\n"
        "    s[BACKEND_SESSION_KEY]='django.contrib.auth.backends.ModelBackend'; s.create(); out[phone]=s.session_key\n"
        "print(json.dumps(out))\n"
    )
    import json

    result = _manage(
        env,
        "shell",
        "-c",
        code.replace("sys.argv[1]", repr(json.dumps(sorted(phones)))),
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "img"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    workdir = Path(tempfile.mkdtemp(prefix="hokwe-shots-"))
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hokwe.settings.dev",
        "DATABASE_URL": f"sqlite:///{workdir / 'demo.sqlite3'}",
        "PAYMENT_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
    }
    env.pop("REDIS_URL", None)
    _manage(env, "migrate", "--no-input", "-v0")
    _manage(env, "seed_demo", "--no-progress", "--quiet-logins", stdout=subprocess.DEVNULL)
    sessions = _sessions(env, {phone for _n, phone, _p in SHOTS if phone})
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):  # up to 20 s for the server to answer
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            chromium = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            for name, phone, path in SHOTS:
                for label, (width, height) in WIDTHS.items():
                    context = chromium.new_context(
                        viewport={"width": width, "height": height}, locale="fr-FR"
                    )
                    if phone:
                        context.add_cookies([{"name": "sessionid", "value": sessions[phone], "url": base}])
                    page = context.new_page()
                    page.goto(base + path, wait_until="networkidle")
                    target = out / f"{name}-{label}.png"
                    page.screenshot(path=str(target), full_page=label == "phone")
                    print(target.relative_to(ROOT) if target.is_relative_to(ROOT) else target)
                    context.close()
            chromium.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()

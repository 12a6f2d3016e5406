"""Settings assembly: the list of modules, and each module's own settings.

`hokwe/settings/base.py` holds the platform (Django, DRF, Celery, security). Each module
keeps what is its own in `apps/<module>/conf.py`, a plain Python file read before Django
starts (no models, no Django settings access):
- UPPERCASE names are settings (`ESTATE_MONTH_END_BATCH_SIZE = env.int(...)`); a name
  defined twice, by the platform or by two modules, stops the start-up;
- `BEAT_SCHEDULE` (Celery beat entries), `TASK_ROUTES` (task -> queue),
  `THROTTLE_RATES` (DRF scopes), `OPENAPI_ENUMS` (drf-spectacular enum names) and
  `MONITORED_QUEUES` and `THROTTLE_RULES` (the gateway's rate limits on pages) are merged into the platform's settings, with the same duplicate check;
- `HOSTS` (public host name -> the URL prefix of the module's product there, e.g.
  `{"recover.hokwepay.me": "/recover/"}`) is merged into `HOKWE_HOSTS`, read by
  `apps.core.hosts.HostRouterMiddleware` and by the deploy files' test; a host claimed twice
  stops the start-up;
- `DJANGO_APPS`: third-party Django apps the module brings (cms: Wagtail's), appended to
  INSTALLED_APPS after the modules;
- `production_problems(settings) -> list[str]` says what the prod profile must refuse
  (a dev default, a sandbox provider).

The modules themselves, lowest layer first, are read from the `app-layers` contract of
`.importlinter`: the layer order written once, where the linter enforces it. A package
under apps/ with an apps.py but no layer stops the start-up with a clear message.
"""

from __future__ import annotations

import configparser
import re
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path

import environ

env = environ.Env()

# Collections a module contributes to: its name in conf.py -> (setting, key inside it).
MERGED = {
    "BEAT_SCHEDULE": ("CELERY_BEAT_SCHEDULE", None),
    "TASK_ROUTES": ("CELERY_TASK_ROUTES", None),
    "THROTTLE_RATES": ("REST_FRAMEWORK", "DEFAULT_THROTTLE_RATES"),
    "OPENAPI_ENUMS": ("SPECTACULAR_SETTINGS", "ENUM_NAME_OVERRIDES"),
    "HOSTS": ("HOKWE_HOSTS", None),
}
# DJANGO_APPS: the third-party Django apps a module brings (cms: Wagtail's), after the modules.
# EARLY_RESPONDERS: functions answering a request before the session and URL resolution
# (apps.core.middleware.EarlyResponseMiddleware; cms: its cached anonymous pages).
LISTS = {
    "MONITORED_QUEUES": "HOKWE_MONITORED_QUEUES",
    "THROTTLE_RULES": "HOKWE_THROTTLE_RULES",
    "DJANGO_APPS": "INSTALLED_APPS",
    "EARLY_RESPONDERS": "HOKWE_EARLY_RESPONDERS",
}


class ConfigurationError(Exception):
    """The modules' configuration is inconsistent (raised before Django starts)."""


def layer_order(base_dir: Path) -> list[str]:
    """apps.<m> names from .importlinter's app-layers contract, lowest layer first."""
    parser = configparser.ConfigParser()
    parser.read(base_dir / ".importlinter")
    lines = [
        line for line in parser["importlinter:contract:app-layers"]["layers"].splitlines() if line.strip()
    ]
    order = []
    for line in reversed(lines):
        order.extend(re.findall(r"apps\.[a-z_]+", line))
    return order


def hokwe_apps(base_dir: Path) -> list[str]:
    """Every module under apps/ (a package with an apps.py), lowest layer first."""
    present = {path.parent.name for path in (base_dir / "apps").glob("*/apps.py")}
    order = layer_order(base_dir)
    missing = sorted(f"apps.{name}" for name in present if f"apps.{name}" not in order)
    if missing:
        raise ConfigurationError(
            f"{', '.join(missing)} has no layer: add it to the app-layers contract of .importlinter "
            "(docs/contributing.md, 'Adding a module')."
        )
    return [app for app in order if app.removeprefix("apps.") in present]


def module_confs(apps: list[str]) -> list:
    found = []
    for app in apps:
        if find_spec(f"{app}.conf") is not None and app != __name__.rsplit(".", 1)[0]:
            found.append(import_module(f"{app}.conf"))
    return found


def assemble(namespace: dict, apps: list[str]) -> None:
    """Add each module's settings to the settings module's `namespace`."""
    owner = {name: "hokwe.settings" for name in namespace if name.isupper()}
    checks = []
    for conf in module_confs(apps):
        module = conf.__name__.rsplit(".", 1)[0]
        for name, value in vars(conf).items():
            if not name.isupper() or name.startswith("_"):
                continue
            if name in MERGED:
                setting, key = MERGED[name]
                target = namespace[setting] if key is None else namespace[setting].setdefault(key, {})
                for entry, item in value.items():
                    if entry in target:
                        raise ConfigurationError(f"{module}.conf: {name}[{entry!r}] is already defined")
                    target[entry] = item
            elif name in LISTS:
                namespace[LISTS[name]] = [*namespace[LISTS[name]], *value]
            else:
                if name in owner:
                    raise ConfigurationError(f"{module}.conf: {name} is already defined by {owner[name]}")
                owner[name] = f"{module}.conf"
                namespace[name] = value
        if callable(getattr(conf, "production_problems", None)):
            checks.append(conf.production_problems)
    namespace["HOKWE_PRODUCTION_CHECKS"] = checks

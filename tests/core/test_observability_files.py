"""Dashboards and alerts as code (deploy/grafana, deploy/prometheus): the rule files are valid
(promtool when installed, else a structural parser), the alerts fire on the series they are
meant for (promtool test rules), and every metric they reference exists: registered by the
app in the prometheus_client registry, or a documented exporter metric listed below."""

import json
import re
import shutil
import subprocess
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path

import pytest
import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "deploy" / "prometheus" / "alerts.yml"
RULE_TESTS = ROOT / "deploy" / "prometheus" / "alerts.test.yml"
DASHBOARDS = sorted((ROOT / "deploy" / "grafana" / "dashboards").glob("*.json"))

# Metrics that come from outside the app (documented exporters / Prometheus itself).
EXTERNAL_METRICS = {
    "up": "Prometheus: 1 when a scrape target answers",
    "pg_up": "postgres_exporter (prometheus-community): 1 when PostgreSQL answers",
    "redis_up": "redis_exporter (oliver006): 1 when Redis answers",
}
PROMQL_WORDS = {
    "and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right", "offset",
    "bool", "inf", "nan", "le",
}  # fmt: skip


def registered_metric_names() -> set[str]:
    """Every sample name the app can expose (after loading each module's metrics)."""
    from django_prometheus.middleware import Metrics
    from prometheus_client import REGISTRY

    Metrics.get_instance()  # django-prometheus registers its HTTP series with the middleware
    for app in settings.HOKWE_APPS:
        for module in ("metrics", "tasks", "verify"):
            name = f"{app}.{module}"
            try:
                if find_spec(name) is not None:
                    import_module(name)
            except ModuleNotFoundError:
                continue
    names = set()
    for collector, collector_names in list(REGISTRY._collector_to_names.items()):
        names |= set(collector_names)
        describe = getattr(collector, "describe", None)
        for family in describe() if callable(describe) else []:
            names.add(family.name)
    return names


def metric_names(expr: str) -> set[str]:
    """The metric names a PromQL expression selects (no functions, labels or keywords)."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)  # strings
    text = re.sub(r"\{[^}]*\}", " ", text)  # label matchers
    text = re.sub(r"\[[^\]]*\]", " ", text)  # ranges
    text = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", text)
    text = re.sub(r"\$\w+|\$\{\w+\}", " ", text)  # Grafana variables
    names = set()
    for match in re.finditer(r"[A-Za-z_:][A-Za-z0-9_:]*", text):
        word = match.group(0)
        following = text[match.end() :].lstrip()[:1]
        if following == "(" or word in PROMQL_WORDS or re.fullmatch(r"\d+\w*", word):
            continue
        if re.fullmatch(r"[0-9.e+-]+", word):
            continue
        names.add(word)
    return names


def rule_expressions() -> list[tuple[str, str]]:
    doc = yaml.safe_load(RULES.read_text())
    return [(rule["alert"], rule["expr"]) for group in doc["groups"] for rule in group["rules"]]


def dashboard_expressions() -> list[tuple[str, str]]:
    out = []
    for path in DASHBOARDS:
        for panel in json.loads(path.read_text())["panels"]:
            out += [(f"{path.name}: {panel['title']}", t["expr"]) for t in panel["targets"]]
    return out


def _balanced(expr: str) -> bool:
    pairs, stack = {")": "(", "]": "[", "}": "{"}, []
    for char in re.sub(r'"(?:[^"\\]|\\.)*"', "", expr):
        if char in "([{":
            stack.append(char)
        elif char in pairs:
            if not stack or stack.pop() != pairs[char]:
                return False
    return not stack


def test_rule_files_are_valid():
    doc = yaml.safe_load(RULES.read_text())
    names = set()
    for group in doc["groups"]:
        assert group["name"] and group["rules"]
        for rule in group["rules"]:
            assert set(rule) <= {"alert", "expr", "for", "labels", "annotations"}, rule
            assert rule["alert"] not in names, f"duplicate alert {rule['alert']}"
            names.add(rule["alert"])
            assert _balanced(rule["expr"]), rule["alert"]
            assert re.fullmatch(r"\d+[smhd]", str(rule.get("for", "0s"))), rule["alert"]
            assert rule["labels"]["severity"] in ("page", "ticket"), rule["alert"]
            assert rule["annotations"]["summary"], rule["alert"]
    required = {
        "HokweHighErrorRate",
        "HokwePaymentSuccessRateDrop",
        "HokweWebhookLag",
        "HokweQueueBacklog",
        "HokwePostgresDown",
        "HokweRedisDown",
        "HokweLedgerVerifyDifference",
    }
    assert required <= names, required - names


@pytest.mark.skipif(shutil.which("promtool") is None, reason="promtool not installed (scripts/setup.d)")
def test_promtool_accepts_the_rules_and_their_unit_tests():
    checked = subprocess.run(["promtool", "check", "rules", str(RULES)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    tested = subprocess.run(
        ["promtool", "test", "rules", str(RULE_TESTS)], capture_output=True, text=True, cwd=RULE_TESTS.parent
    )
    assert tested.returncode == 0, tested.stdout + tested.stderr


def test_dashboards_are_valid_grafana_json():
    assert {p.stem for p in DASHBOARDS} >= {"performance", "errors", "payments"}
    uids = set()
    for path in DASHBOARDS:
        board = json.loads(path.read_text())
        assert board["uid"] not in uids
        uids.add(board["uid"])
        ids = [panel["id"] for panel in board["panels"]]
        assert len(ids) == len(set(ids)), path.name
        for panel in board["panels"]:
            assert panel["datasource"]["uid"] == "${datasource}"
            assert panel["targets"] and all(_balanced(t["expr"]) for t in panel["targets"]), panel["title"]


def test_every_referenced_metric_exists():
    known = registered_metric_names() | set(EXTERNAL_METRICS)
    missing = sorted(
        f"{where}: {name}"
        for where, expr in rule_expressions() + dashboard_expressions()
        for name in metric_names(expr)
        if name not in known
    )
    assert not missing, "metrics referenced but registered nowhere:\n" + "\n".join(missing)


def test_the_metric_extractor_reads_promql():
    expr = 'sum by (le, provider) (rate(hokwe_webhook_lag_seconds_bucket{provider!="x"}[10m])) > 120 and up'
    assert metric_names(expr) == {"hokwe_webhook_lag_seconds_bucket", "up"}

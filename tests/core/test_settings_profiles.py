"""The prod profile refuses to start without its settings or with dev defaults; with them,
`check --deploy` is clean. Run in subprocesses: settings load once per process."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROD_ENV = {
    "DATABASE_URL": "postgres://hokwe:pw@127.0.0.1:5432/hokwe",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "SECRET_KEY": "k3Jf9-x2LmQp7vT0bN4wR8sY1zC6hD5gE9aU2iO3pKj7LmNq0rSt4uVw8xYz1aBc",
    "ALLOWED_HOSTS": "manager.hokwe.com",
    "AWS_STORAGE_BUCKET_NAME": "hokwe-private",
    "AWS_S3_ENDPOINT_URL": "https://s3.example.com",
    "EMAIL_URL": "smtp+tls://u:p@smtp.example.com:587",
    "SMS_BACKEND": "africastalking",
    "PAYMENT_PROVIDERS": "kkiapay",
    "ADS_SOCIAL_NETWORK": "graph",
    "ADS_FACEBOOK_APP_ID": "987654321012345",
    "ADS_FACEBOOK_APP_SECRET": "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6",
    "KYC_MASTER_KEYS": "kyc-2026-01:c2VjcmV0LXByb2Qta3ljLW1hc3Rlci1rZXktMzJCISE=",
    "CLAMD_URL": "tcp://clamav:3310",
    "PARTNERS_API_KEY_PEPPER": "q8Zt1-pepper-for-the-prod-profile-test-4hV",
    "PARTNERS_KEY_ENVIRONMENT": "live",
    "PARTNERS_WEBHOOK_REQUIRE_HTTPS": "true",
    "BILLING_SELLER_BJ_IFU": "3202612345678",
    "BILLING_SELLER_BJ_RCCM": "RB/COT/26 B 12345",
    "BILLING_SELLER_CI_NCC": "2612345 K",
    "BILLING_SELLER_CI_RCCM": "CI-ABJ-2026-B-12345",
    "INVEST_ALLOW_SANDBOX": "false",
    "INVEST_MARKET_DATA": "http",
    "INVEST_MARKET_DATA_URL": "https://quotes.partner.example",
}


def run_manage(args, env_extra, settings="hokwe.settings.prod"):
    env = {k: v for k, v in os.environ.items() if k not in PROD_ENV and not k.startswith(("DJANGO", "OIDC"))}
    env.update(env_extra, DJANGO_SETTINGS_MODULE=settings)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_prod_without_settings_exits_naming_what_is_missing():
    result = run_manage(["check"], {})
    assert result.returncode != 0
    for name in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS", "AWS_STORAGE_BUCKET_NAME"):
        assert name in result.stderr
    assert "Missing environment variables" in result.stderr


def test_prod_refuses_dev_defaults():
    env = dict(
        PROD_ENV,
        SECRET_KEY="dev-insecure-secret-key-change-me",
        PAYMENT_PROVIDERS="sandbox,kkiapay",
        GRAPHIQL_ENABLED="true",
    )
    env.pop("SMS_BACKEND")
    env.pop("BILLING_SELLER_BJ_IFU")  # the invoices' seller keeps the placeholder IFU
    result = run_manage(["check"], env)
    assert result.returncode != 0
    assert "SECRET_KEY is a dev default" in result.stderr
    assert "sandbox" in result.stderr
    assert "SMS_BACKEND" in result.stderr
    assert "GRAPHIQL_ENABLED must be off" in result.stderr
    assert "BILLING_SELLER_BJ_IFU is a placeholder" in result.stderr


def test_prod_check_deploy_passes_with_no_warnings():
    result = run_manage(["check", "--deploy", "--fail-level", "WARNING"], PROD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_test_profile_requires_postgres_and_redis():
    result = run_manage(["check"], {"DATABASE_URL": "", "REDIS_URL": ""}, settings="hokwe.settings.test")
    assert result.returncode != 0
    assert "The test profile needs DATABASE_URL" in result.stderr


def test_dev_profile_needs_no_environment(tmp_path):
    result = run_manage(["check"], {}, settings="hokwe.settings.dev")
    assert result.returncode == 0, result.stderr


def _compose_env(values: dict[str, str]) -> dict[str, str]:
    """The web service's environment as docker compose resolves it from `values` (.env)."""
    import re

    import yaml

    compose = yaml.safe_load((ROOT / "deploy" / "docker-compose.yml").read_text())
    raw = compose["services"]["web"]["environment"]

    def resolve(text: str) -> str:
        def one(match):
            name, op, arg = match.group(1), match.group(2), match.group(3) or ""
            if op == ":?":
                assert values.get(name), f"compose requires {name}: {arg}"
                return values[name]
            if op == ":-":
                return values.get(name) or arg
            return values.get(name, "")

        return re.sub(r"\$\{([A-Z0-9_]+)(?:(:\?|:-)([^}]*))?\}", one, str(text))

    return {name: resolve(value) for name, value in raw.items()}


def test_the_compose_stack_boots_prod_settings():
    """Everything prod requires is set by deploy/docker-compose.yml (given a filled .env)."""
    dot_env = dict(
        line.split("=", 1)
        for line in (ROOT / "deploy" / "env.example").read_text().splitlines()
        if line and not line.startswith("#")
    )
    for name in ("KYC_MASTER_KEYS", *(k for k in PROD_ENV if k.startswith("BILLING_SELLER_"))):
        dot_env[name] = PROD_ENV[name]  # the example holds placeholders prod refuses
    env = _compose_env(dot_env)
    assert env["DJANGO_SETTINGS_MODULE"] == "hokwe.settings.prod"
    result = run_manage(["check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stderr[-2000:]


def test_the_examples_seller_identity_is_refused_in_prod():
    """deploy/env.example's seller IFU and RCCM are placeholders: copied unchanged, prod
    refuses them rather than print made-up registrations on legal invoices."""
    from apps.billing.conf import production_problems

    example = dict(
        line.split("=", 1)
        for line in (ROOT / "deploy" / "env.example").read_text().splitlines()
        if line.startswith("BILLING_SELLER_")
    )
    sellers = {
        "BJ": {"tax_id": example["BILLING_SELLER_BJ_IFU"], "rccm": example["BILLING_SELLER_BJ_RCCM"]},
        "CI": {"tax_id": example["BILLING_SELLER_CI_NCC"], "rccm": example["BILLING_SELLER_CI_RCCM"]},
    }
    problems = production_problems({"BILLING_SELLER": sellers})
    assert len(problems) == 4 and all("placeholder" in p for p in problems)
    real = {c: {"tax_id": "3202612345678", "rccm": "RB/COT/26 B 12345"} for c in sellers}
    assert production_problems({"BILLING_SELLER": real}) == []


def test_the_load_bench_runs_on_the_prod_profile():
    """bench/load.py serves the prod profile with placeholder values (bench/load_settings.py):
    a module adding a prod refusal must give the bench a value too, or the bench cannot start."""
    env = {"DATABASE_URL": PROD_ENV["DATABASE_URL"], "REDIS_URL": PROD_ENV["REDIS_URL"]}
    result = run_manage(["check", "--deploy", "--fail-level", "WARNING"], env, settings="bench.load_settings")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_ledger_bench_loads_with_the_ledger_and_what_it_stands_on():
    """bench/ledger.py runs with core, identity and the ledger only (no module above them):
    what another module registers for itself (wagtail for cms, partners' API keys) must not
    be left behind without its module."""
    result = run_manage(
        ["check"], {"DATABASE_URL": PROD_ENV["DATABASE_URL"]}, settings="bench.ledger_bench_settings"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "apps.cms" not in result.stderr


PRINT_DATABASES = [
    "shell",
    "--no-imports",
    "-c",
    "from django.conf import settings as s; d = s.DATABASES; "
    "print(sorted(d), d['default'].get('DISABLE_SERVER_SIDE_CURSORS', False), "
    "d.get('replica', {}).get('HOST'), d.get('replica', {}).get('CONN_MAX_AGE'), s.DATABASE_ROUTERS)",
]


def test_behind_pgbouncer_server_side_cursors_are_off_and_a_replica_is_an_alias():
    """DB_POOLER=pgbouncer turns off Django's named cursors (they outlive a transaction, which
    a transaction-mode pooler does not allow); DATABASE_REPLICA_URL adds the `replica` alias
    the router sends opted-in reports to (apps/core/dbrouter.py); an unknown pooler is refused."""
    env = dict(PROD_ENV, DB_POOLER="pgbouncer", DATABASE_REPLICA_URL="postgres://ro:pw@10.0.0.9:5432/hokwe")
    result = run_manage(PRINT_DATABASES, env)
    assert result.returncode == 0, result.stderr
    assert (
        result.stdout.strip()
        == "['default', 'replica'] True 10.0.0.9 60 ['apps.core.dbrouter.ReplicaRouter']"
    )
    result = run_manage(PRINT_DATABASES, PROD_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['default'] False None None ['apps.core.dbrouter.ReplicaRouter']"
    result = run_manage(["check"], dict(PROD_ENV, DB_POOLER="odyssey"))
    assert result.returncode != 0 and "DB_POOLER must be empty or pgbouncer" in result.stderr

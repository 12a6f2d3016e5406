"""Prod refuses the dev master key; a malformed limits table stops start-up; demo data."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from apps.kyc.checks import kyc_settings
from apps.kyc.models import Submission

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
}


def run_check(extra):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO", "KYC", "HOKWE_MASTER", "SMILE", "ONFIDO"))
    }
    env.update(PROD_ENV, **extra, DJANGO_SETTINGS_MODULE="hokwe.settings.prod")
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_prod_refuses_the_dev_master_key_and_half_configured_providers():
    result = run_check({"KYC_PROVIDER": "smile_id"})  # KYC_MASTER_KEYS unset: the dev default
    assert result.returncode != 0
    assert "KYC_MASTER_KEYS must hold real master keys" in result.stderr
    assert "KYC_PROVIDER=smile_id needs" in result.stderr
    renamed = run_check({"KYC_MASTER_KEYS": "prod:ZGV2LW9ubHkta3ljLW1hc3Rlci1rZXktMzItYnl0ZSE="})
    assert "KYC_MASTER_KEYS must hold real master keys" in renamed.stderr


def test_system_checks_catch_a_malformed_limits_table(settings):
    assert kyc_settings(None) == []
    settings.KYC_LIMITS = {"BJ": {"currency": "XOF"}}
    settings.HOKWE_MASTER_KEYS = "k:short"
    settings.KYC_PROVIDER = "acme"
    assert {e.id for e in kyc_settings(None)} == {"kyc.E001", "kyc.E002", "kyc.E003"}


@pytest.mark.django_db
def test_demo_is_idempotent_and_fills_the_queue():
    call_command("seed_demo", "--no-progress", "--quiet-logins")
    first = sorted(Submission.objects.values_list("public_id", "status"))
    call_command("seed_demo", "--no-progress", "--quiet-logins")
    assert sorted(Submission.objects.values_list("public_id", "status")) == first
    statuses = {status for _id, status in first}
    assert {"approved", "submitted"} <= statuses
    from apps.kyc.models import KycProfile

    assert {0, 1, 2} <= set(KycProfile.objects.values_list("tier", flat=True)) | {0}
    assert KycProfile.objects.filter(tier=2).exists() and KycProfile.objects.filter(tier=1).exists()

"""Credit bureau reporting: the tenant's consent, the month's positive records, the file
adapter (a documented CSV, Ed25519-signed, stored encrypted with the KYC document
encryption), the HTTP adapter against a local server, one export per month, the beat."""

from __future__ import annotations

import base64
import csv
import io
import json

import pytest
from django.core.files.storage import storages

from apps.core.models import AuditEntry
from apps.scoring.errors import BureauAlreadyReported, BureauProviderUnknown
from apps.scoring.models import BureauConsent, BureauExport
from apps.scoring.services import bureau, bureau_file, bureau_http, disputes
from tests.identity.factories import UserFactory
from tests.scoring.conftest import build_rent_history

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tmp_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }


def _month(history, i: int) -> str:
    return history.dues[i].period.strftime("%Y-%m")


def test_consent_is_off_until_given_and_each_change_is_audited(rent_history):
    tenant = rent_history.tenant
    assert bureau.consent_of(tenant) is None
    consent = bureau.give_consent(actor=tenant)
    assert consent.given and consent.given_at and consent.text_version
    assert bureau.give_consent(actor=tenant).given_at == consent.given_at  # giving twice changes nothing
    consent = bureau.withdraw_consent(actor=tenant)
    assert not consent.given and consent.withdrawn_at
    actions = list(
        AuditEntry.objects.filter(target_public_id=str(consent.public_id)).values_list("action", flat=True)
    )
    assert sorted(actions) == ["scoring.bureau_consent.given", "scoring.bureau_consent.withdrawn"]


def test_records_are_positive_lines_of_consenting_tenants_only(rent_history):
    history = rent_history
    other = build_rent_history(agency=history.agency)  # a second tenant, who never consents
    bureau.give_consent(actor=history.tenant)

    on_time = bureau.records_for(_month(history, 0))
    assert [(r.subject, r.status, r.days_late) for r in on_time] == [(history.tenant.public_id, "on_time", 0)]
    record = on_time[0]
    assert record.lease == history.lease.public_id and record.landlord == history.agency.public_id
    assert record.amount_paid == record.amount_due == history.dues[0].total and record.currency == "XOF"
    assert record.phone == str(history.tenant.phone) and record.full_name == "Locataire Score"
    assert not record.identity_verified

    late = bureau.records_for(_month(history, 9))
    assert [(r.status, r.days_late) for r in late] == [("late_1_29", 10)]
    assert bureau.records_for(_month(history, 11)) == []  # half paid: never reported
    assert bureau.records_for(_month(history, 12)) == []  # unpaid: never reported
    assert other.tenant.public_id not in {r.subject for r in on_time}

    # a contested line is left out while contested
    disputes.open_dispute(
        actor=history.tenant, lease=history.lease.public_id, month=_month(history, 0), reason="other"
    )
    assert bureau.records_for(_month(history, 0)) == []
    # withdrawn: nothing more
    bureau.withdraw_consent(actor=history.tenant)
    assert bureau.records_for(_month(history, 9)) == []


def test_the_file_export_is_signed_encrypted_and_documented(rent_history, settings):
    settings.SCORING_BUREAU_MEMBER_CODE = "HOKWE"
    bureau.give_consent(actor=rent_history.tenant)
    period = _month(rent_history, 0)
    export = bureau.report_month(period, "file")
    assert export.status == "built" and export.records == 1 and export.subjects == 1
    assert export.file_name == f"HOKWE_RENT_{period.replace('-', '')}.csv"

    with storages["default"].open(export.storage_name, "rb") as handle:
        stored = handle.read()
    assert stored.startswith(b"HKE1") and b"Locataire Score" not in stored  # encrypted at rest

    content = bureau_file.read(export)
    assert bureau_file.verify(content, export.signature)
    assert not bureau_file.verify(content.replace(b"on_time", b"unpaid "), export.signature)
    rows = list(csv.reader(io.StringIO(content.decode())))
    assert rows[0] == bureau_file.HEADER
    assert rows[1][:3] == ["D", "HOKWE", period] and rows[1][3] == str(rent_history.tenant.public_id)
    assert rows[1][9:] == [
        "RENT",
        rent_history.dues[0].due_date.isoformat(),
        str(rent_history.dues[0].total),
        str(rent_history.dues[0].total),
        "XOF",
        "0",
        "on_time",
    ]
    assert rows[-1][:5] == ["T", "HOKWE", period, "1", str(rent_history.dues[0].total)]
    assert len(rows[-1]) == len(bureau_file.HEADER)

    # moving the file to another export's row fails authentication
    twin = BureauExport.objects.create(
        provider="file",
        period="1999-01",
        storage_name=export.storage_name,
        key_id=export.key_id,
        wrapped_key=export.wrapped_key,
        sha256=export.sha256,
    )
    with pytest.raises(ValueError):
        bureau_file.read(twin)

    with pytest.raises(BureauAlreadyReported):
        bureau.report_month(period, "file")
    with pytest.raises(BureauProviderUnknown):
        bureau.report_month(period, "carrier-pigeon")


def test_the_public_key_verifies_with_cryptography_alone(rent_history):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    content = bureau_file.render("2026-11", [])
    signature = bureau_file.signing_key().sign(content)
    Ed25519PublicKey.from_public_bytes(base64.b64decode(bureau_file.public_key_b64())).verify(
        signature, content
    )
    assert content.decode().splitlines()[-1].startswith("T,")


@pytest.fixture
def bureau_api(httpserver, settings):
    settings.SCORING_BUREAU_API_URL = httpserver.url_for("/").rstrip("/")
    settings.SCORING_BUREAU_API_KEY = "test-key"
    settings.SCORING_BUREAU_MEMBER_CODE = "HOKWE"
    return httpserver


def test_the_http_adapter_posts_the_documented_batch(rent_history, bureau_api):
    from werkzeug import Response

    received = []

    def handler(request):
        received.append(request)
        body = request.get_json()
        return Response(
            json.dumps(
                {
                    "submission_reference": "CI-2026-0001",
                    "accepted": len(body["records"]) - 1,
                    "rejected": [{"index": 0, "code": "E12", "message": "phone not matched"}],
                }
            ),
            status=202,
            content_type="application/json",
        )

    bureau_api.expect_oneshot_request("/v1/submissions", method="POST").respond_with_handler(handler)
    bureau.give_consent(actor=rent_history.tenant)
    period = _month(rent_history, 9)
    export = bureau.report_month(period, "http")
    assert export.status == "sent" and export.remote_reference == "CI-2026-0001" and export.sent_at
    assert export.rejected == [{"index": 0, "code": "E12", "message": "phone not matched"}]
    (request,) = received
    assert request.headers["Authorization"] == "Bearer test-key"
    assert request.headers["Idempotency-Key"] == str(export.public_id)
    body = request.get_json()
    assert body["submission_id"] == str(export.public_id) and body["period"] == period
    assert body["provider_code"] == "HOKWE"
    (item,) = body["records"]
    assert item["subject"]["reference"] == str(rent_history.tenant.public_id)
    assert item["contract"] == {
        "reference": str(rent_history.lease.public_id),
        "creditor_reference": str(rent_history.agency.public_id),
        "type": "RENT",
        "currency": "XOF",
    }
    assert item["instalment"]["status"] == "late_1_29" and item["instalment"]["days_past_due"] == 10
    signature = base64.b64decode(body["signature"])
    bureau_file.signing_key().public_key().verify(signature, bureau_http.canonical(body["records"]))


def test_the_http_adapter_fails_then_the_month_is_retried(rent_history, bureau_api):
    bureau.give_consent(actor=rent_history.tenant)
    period = _month(rent_history, 0)
    bureau_api.expect_oneshot_request("/v1/submissions", method="POST").respond_with_json(
        {"error": "down"}, status=503
    )
    export = bureau.report_month(period, "http")
    assert export.status == "failed" and "503" in export.error and export.sent_at is None

    # the bureau had already received it (409): sent, with its reference
    bureau_api.expect_oneshot_request("/v1/submissions", method="POST").respond_with_json(
        {"submission_reference": "CI-DUP"}, status=409
    )
    export = bureau.report_month(period, "http")
    assert export.status == "sent" and export.remote_reference == "CI-DUP" and export.error == ""
    assert BureauExport.objects.filter(period=period, provider="http").count() == 1
    with pytest.raises(BureauAlreadyReported):
        bureau.report_month(period, "http")


def test_the_monthly_beat_reports_the_month_before_to_each_provider(rent_history, settings):
    from datetime import date

    from django.utils import timezone

    from apps.scoring import conf, tasks

    assert conf.BEAT_SCHEDULE["scoring.bureau_monthly"]["task"] == "scoring.bureau_monthly"
    settings.SCORING_BUREAU_PROVIDERS = ["file"]
    bureau.give_consent(actor=rent_history.tenant)
    assert bureau.previous_month(date(2027, 1, 5)) == "2026-12"
    assert bureau.previous_month(date(2026, 7, 5)) == "2026-06"
    done = tasks.bureau_monthly()
    expected = bureau.previous_month(timezone.localdate())
    assert done and done[0].startswith(f"file {expected}")
    assert tasks.bureau_monthly() == []  # the month is already reported: skipped


def test_production_refuses_the_dev_signing_key():
    from apps.scoring import conf

    problems = conf.production_problems(
        {
            "SCORING_BUREAU_PROVIDERS": ["file", "http"],
            "SCORING_BUREAU_SIGNING_KEY": conf.SCORING_BUREAU_DEV_SIGNING_KEY,
        }
    )
    assert any("SIGNING_KEY" in p for p in problems) and any("API_URL" in p for p in problems)
    fine = conf.production_problems({"SCORING_BUREAU_PROVIDERS": ["file"], "SCORING_BUREAU_SIGNING_KEY": "x"})
    assert not [p for p in fine if "BUREAU" in p]


def test_no_consent_no_report(rent_history):
    UserFactory()
    export = bureau.report_month(_month(rent_history, 0), "file")
    assert export.records == 0 and not BureauConsent.objects.filter(given=True).exists()


def test_the_management_command(rent_history, capsys):
    from django.core.management import CommandError, call_command

    call_command("scoring_bureau", "--public-key")
    assert capsys.readouterr().out.strip() == bureau_file.public_key_b64()
    bureau.give_consent(actor=rent_history.tenant)
    period = _month(rent_history, 0)
    call_command("scoring_bureau", "--report", period, "--provider", "file")
    assert capsys.readouterr().out.strip() == f"file {period}: built, 1 tenants, 1 lines"
    with pytest.raises(CommandError, match="déjà|already"):
        call_command("scoring_bureau", "--report", period, "--provider", "file")


def test_compliance_downloads_the_plain_file_from_the_admin(rent_history):
    from django.urls import reverse

    from tests.identity.test_admin_and_audit import admin_login, staff

    bureau.give_consent(actor=rent_history.tenant)
    export = bureau.report_month(_month(rent_history, 0), "file")
    user, device = staff("compliance")
    client, _ = admin_login(user, device)
    listing = client.get(reverse("admin:scoring_bureauexport_changelist"))
    assert listing.status_code == 200 and export.file_name in listing.content.decode()
    response = client.get(reverse("admin:scoring_bureauexport_download", args=[export.pk]))
    assert response.status_code == 200 and response["X-Hokwe-Signature"] == export.signature
    assert bureau_file.verify(response.content, response["X-Hokwe-Signature"])
    assert b"Locataire Score" in response.content
    assert AuditEntry.objects.filter(
        action="scoring.bureau_export.downloaded", actor_public_id=user.public_id
    ).exists()
    # support staff do not see the exports
    support, support_device = staff("support")
    other, _ = admin_login(support, support_device)
    assert other.get(reverse("admin:scoring_bureauexport_download", args=[export.pk])).status_code == 403

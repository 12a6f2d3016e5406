"""Retention after account closure; the staff review in the admin (queue, side-by-side,
four-eyes, every document view audited); the KYB manager page."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.core.models import AuditEntry
from apps.core.outbox import dispatch
from apps.identity.events import UserClosed
from apps.kyc import api
from apps.kyc.models import Document, KycProfile, Submission
from apps.kyc.tasks import purge_closed_accounts
from tests.identity.factories import MembershipFactory

from .helpers import approve, jpeg_bytes, pdf_bytes, ready_submission, staff

pytestmark = pytest.mark.django_db


def test_closed_accounts_lose_their_documents_after_the_retention_period(
    person, compliance, kyc_storage, settings, time_machine
):
    settings.KYC_RETENTION_DAYS = 30
    time_machine.move_to("2026-01-10 10:00:00+00:00", tick=False)
    approved = approve(ready_submission(person, tier=2), compliance, staff("compliance"))
    open_one = ready_submission(person, tier=2, submit=False)  # a newer draft, open at closure
    files = list(kyc_storage.rglob("*.bin"))
    assert len(files) == 6 and api.tier_of(person) == 2

    from apps.core.outbox import publish

    with __import__("django").db.transaction.atomic():
        row = publish(UserClosed(user_public_id=str(person.public_id)))
    dispatch(row.id)  # identity's event reaches kyc's handler
    assert KycProfile.objects.get(user=person).closed_at is not None
    assert api.tier_of(person) == 0 and Submission.objects.get(pk=open_one.pk).status == "cancelled"

    time_machine.move_to("2026-02-08 10:00:00+00:00", tick=False)
    assert purge_closed_accounts() == 0 and all(f.exists() for f in files)
    time_machine.move_to("2026-02-10 10:00:01+00:00", tick=False)
    assert purge_closed_accounts() == 6 and purge_closed_accounts() == 0
    assert not any(f.exists() for f in files)
    assert not Document.objects.filter(purged_at=None).exists()
    assert all(bytes(d.wrapped_key) == b"" for d in Document.objects.all())
    record = Submission.objects.get(pk=approved.pk)
    assert (
        record.status == "approved" and record.decided_at and record.approvals.count() == 2
    )  # the decision stays
    assert record.id_number == "" and record.first_name == "" and record.personal_data_purged_at
    assert AuditEntry.objects.filter(action="kyc.documents.purged").count() == 1


# --- admin ---------------------------------------------------------------------------------------


def admin_client(user) -> Client:
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    client = Client()
    response = client.post(
        "/admin/login/?next=/admin/",
        {
            "username": str(user.phone),
            "password": "secret-pass-123",
            "otp_device": device.persistent_id,
            "otp_token": f"{totp.token():06d}",
        },
    )
    assert response.status_code == 302, response.content[:500]
    return client


def test_review_queue_side_by_side_and_audited_views(person, django_assert_max_num_queries):
    reviewer, second = staff("compliance"), staff("compliance")
    submission = ready_submission(person, tier=2)
    for _ in range(3):
        ready_submission(staff("finance"), tier=1)
    client = admin_client(reviewer)
    with django_assert_max_num_queries(16):
        queue = client.get("/admin/kyc/submission/?queue=waiting")
    assert queue.status_code == 200 and submission.public_id.hex[:8] in queue.content.decode()

    page = client.get(f"/admin/kyc/submission/{submission.pk}/change/")
    html = page.content.decode()
    assert page.status_code == 200 and "BJ-1234567" in html and "Brice" in html
    links = re.findall(r'src="(/api/v1/kyc/files/[^"]+)"', html)
    assert len(links) == 2  # the ID card and the selfie; the PDF is a download link
    assert re.search(r'href="(/api/v1/kyc/files/[^"]+)">[^<]*PDF', html)
    image = client.get(links[0])
    assert image.status_code == 200 and image.content.startswith(b"\xff\xd8")
    assert (
        AuditEntry.objects.filter(action="kyc.document.viewed", actor_public_id=reviewer.public_id).count()
        == 1
    )
    assert AuditEntry.objects.filter(action="kyc.submission.viewed").count() == 1
    assert admin_client(second).get(links[0]).status_code == 404  # the link is the first reviewer's

    client.post(f"/admin/kyc/submission/{submission.pk}/approve/", {"note": "ok"})
    assert Submission.objects.get(pk=submission.pk).status == "in_review"
    again = client.post(f"/admin/kyc/submission/{submission.pk}/approve/", follow=True)
    assert "différent" in again.content.decode() or "different" in again.content.decode()
    admin_client(second).post(f"/admin/kyc/submission/{submission.pk}/approve/")
    assert Submission.objects.get(pk=submission.pk).status == "approved" and api.tier_of(person) == 2


def test_reject_from_the_admin(person):
    submission = ready_submission(person, tier=1)
    client = admin_client(staff("compliance"))
    client.post(f"/admin/kyc/submission/{submission.pk}/reject/", {"reason": ""})
    assert Submission.objects.get(pk=submission.pk).status == "submitted"
    client.post(
        f"/admin/kyc/submission/{submission.pk}/reject/",
        {"reason": "selfie_mismatch", "message": "Refaites le selfie"},
    )
    rejected = Submission.objects.get(pk=submission.pk)
    assert rejected.status == "rejected" and rejected.rejection_reason == "selfie_mismatch"


def test_only_compliance_reaches_the_queue_and_password_sessions_see_no_document(person):
    submission = ready_submission(person, tier=1)
    support = admin_client(staff("support"))
    assert support.get("/admin/kyc/submission/").status_code == 403
    assert support.get(f"/admin/kyc/submission/{submission.pk}/change/").status_code == 403
    reviewer = staff("compliance")
    link = re.findall(
        r'src="(/api/v1/kyc/files/[^"]+)"',
        admin_client(reviewer).get(f"/admin/kyc/submission/{submission.pk}/change/").content.decode(),
    )[0]
    password_only = Client()
    password_only.force_login(reviewer)  # no TOTP: not a back-office session
    assert password_only.get(link).status_code == 404


def test_limits_table_is_edited_by_compliance_with_an_audit_entry():
    client = admin_client(staff("compliance"))
    response = client.post(
        "/admin/kyc/tierlimit/add/",
        {
            "country": "BJ",
            "tier": 0,
            "currency": "XOF",
            "max_balance": 300000,
            "monthly_inflow": 600000,
            "single_transaction": 150000,
            "daily_outflow": 150000,
        },
    )
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="admin.kyc.tierlimit.added").exists()
    assert admin_client(staff("support")).get("/admin/kyc/tierlimit/add/").status_code == 403


# --- manager page (KYB) ----------------------------------------------------------------------


def test_kyb_page_flow_and_isolation(org_a, manager_a, manager_b):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = Client()
    client.force_login(manager_a)
    url = f"/manager/kyc/organizations/{org_a.public_id}/"
    assert "Vérification de l'entreprise" in client.get("/manager/kyc/").content.decode()
    assert client.get(url).status_code == 200
    client.post(
        url,
        {
            "action": "save",
            "legal_name": "A SARL",
            "rccm_number": "RB/COT/1",
            "ifu_number": "3201",
            "registered_address": "Cotonou",
        },
    )
    client.post(url, {"action": "add_director", "full_name": "Rosine Agossou"})
    director = Submission.objects.get(organization=org_a).directors.get()
    for kind, data, name in (("rccm", pdf_bytes(), "rccm.pdf"), ("ifu", pdf_bytes(), "ifu.pdf")):
        client.post(
            url,
            {
                "action": "upload",
                "kind": kind,
                "file": SimpleUploadedFile(name, data, content_type="application/pdf"),
            },
        )
    bad = client.post(
        url,
        {
            "action": "upload",
            "kind": "id_card",
            "director": str(director.public_id),
            "file": SimpleUploadedFile("cni.jpg", pdf_bytes()),
        },
        follow=True,
    )
    assert "ne correspond pas" in bad.content.decode()
    client.post(
        url,
        {
            "action": "upload",
            "kind": "id_card",
            "director": str(director.public_id),
            "file": SimpleUploadedFile("cni.jpg", jpeg_bytes(), content_type="image/jpeg"),
        },
    )
    done = client.post(url, {"action": "submit"}, follow=True)
    assert Submission.objects.get(organization=org_a).status == "submitted", done.content.decode()[:2000]

    other = Client()
    other.force_login(manager_b)
    assert other.get(url).status_code == 404
    assert other.post(url, {"action": "submit"}).status_code == 404
    viewer = MembershipFactory(organization=org_a, role="viewer").user
    as_viewer = Client()
    as_viewer.force_login(viewer)
    assert (
        as_viewer.get(url).status_code == 200 and as_viewer.post(url, {"action": "submit"}).status_code == 403
    )
    assert Client().get(url).status_code == 302


def test_expired_signed_link_for_staff(person, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    submission = ready_submission(person, tier=1)
    client = admin_client(staff("compliance"))
    link = re.findall(
        r'src="(/api/v1/kyc/files/[^"]+)"',
        client.get(f"/admin/kyc/submission/{submission.pk}/change/").content.decode(),
    )[0]
    time_machine.shift(timedelta(seconds=301))
    assert client.get(link).status_code == 404

"""The sensitive-action audit log: who, what, when, from where, before/after; append-only
in the model and in PostgreSQL (a trigger), readable in the back-office, never writable."""

import pytest
from django.contrib import admin
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.test import RequestFactory

from apps.core.audit import (
    AuditCategory,
    AuditContextMiddleware,
    AuditedAdminMixin,
    audit_record,
    mask,
    snapshot,
)
from apps.core.models import AuditEntry
from tests.identity.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_records_who_what_where_and_before_after(rf):
    actor = UserFactory(full_name="Awa Finance", is_staff=True)
    org = OrganizationFactory()
    request = rf.post(
        "/api/v1/payments/payout-accounts", REMOTE_ADDR="197.234.1.2", HTTP_USER_AGENT="HokweApp/2.1"
    )

    def view(_request):
        return audit_record(
            action="payments.payout_account.changed",
            category=AuditCategory.PAYOUT_ACCOUNT,
            actor=actor,
            organization=org,
            target=org,
            before={"number": mask("+22997123456"), "api_token": "s3cret"},
            after={"number": mask("+22996000111")},
            reason="step-up verified",
        )

    entry = AuditContextMiddleware(view)(request)
    entry.refresh_from_db()
    assert (
        entry.actor_public_id == actor.public_id
        and entry.actor_label == "Awa Finance"
        and entry.actor_is_staff
    )
    assert entry.organization_public_id == org.public_id
    assert entry.target_type == "identity.Organization" and entry.target_public_id == str(org.public_id)
    assert entry.before == {"number": "*********456", "api_token": "[filtered]"}
    assert entry.after == {"number": "*********111"}
    assert (entry.ip, entry.user_agent) == ("197.234.1.2", "HokweApp/2.1")
    assert entry.created_at is not None


def test_unknown_categories_are_refused():
    with pytest.raises(ValueError):
        audit_record(action="x", category="gossip")


def test_entries_cannot_be_changed_or_deleted():
    entry = audit_record(action="ledger.transfer.reversed", category=AuditCategory.MONEY, before={"a": 1})
    entry.reason = "edited"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.get(pk=entry.pk).delete()


def test_the_database_refuses_updates_and_deletes_too():
    entry = audit_record(action="ledger.transfer.reversed", category=AuditCategory.MONEY)
    for sql in (
        "UPDATE core_auditentry SET action = 'forged' WHERE id = %s",
        "DELETE FROM core_auditentry WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).action == "ledger.transfer.reversed"


def test_staff_changes_in_the_back_office_are_recorded():
    from apps.identity.models import Organization

    class OrganizationAdmin(AuditedAdminMixin, admin.ModelAdmin):
        pass

    staff = UserFactory(is_staff=True, is_superuser=True)
    org = OrganizationFactory(name="Avant")
    model_admin = OrganizationAdmin(Organization, admin.site)
    request = RequestFactory().post("/admin/")
    request.user = staff
    org.name = "Après"
    model_admin.save_model(request, org, form=None, change=True)
    entry = AuditEntry.objects.get(action="admin.identity.organization.changed")
    assert entry.before["name"] == "Avant" and entry.after["name"] == "Après"
    assert entry.category == AuditCategory.STAFF and entry.actor_public_id == staff.public_id
    model_admin.delete_model(request, org)
    assert AuditEntry.objects.filter(action="admin.identity.organization.deleted").exists()


def test_snapshot_uses_public_ids_and_skips_secrets():
    user = UserFactory()
    data = snapshot(user)
    assert "password" not in data and data["phone"] == str(user.phone)


def test_the_admin_shows_the_log_read_only(rf):
    from apps.core.admin import AuditEntryAdmin

    staff = UserFactory(is_staff=True, is_superuser=True)
    entry = audit_record(action="kyc.document.approved", category=AuditCategory.KYC, actor=staff)
    model_admin = AuditEntryAdmin(AuditEntry, admin.site)
    request = rf.get("/admin/core/auditentry/")
    request.user = staff
    assert list(model_admin.get_queryset(request)) == [entry]
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, entry)
    assert not model_admin.has_delete_permission(request, entry)

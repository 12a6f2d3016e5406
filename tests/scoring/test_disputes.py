"""« Contester une ligne »: a tenant disputes one of their own rent lines; staff decide
once, audited; an upheld line leaves the score's lines (excluded_lines) and bureau reports."""

from __future__ import annotations

import uuid

import pytest
from django.core.exceptions import ValidationError  # noqa: F401
from django.urls import reverse

from apps.core.errors import Forbidden, NotFound
from apps.core.models import AuditEntry
from apps.scoring.errors import DisputeAlreadyDecided, DisputeAlreadyOpen, RentLineNotFound
from apps.scoring.models import RentLineDispute
from apps.scoring.services import disputes
from tests.identity.factories import UserFactory

pytestmark = pytest.mark.django_db


def _month(history, i: int) -> str:
    return history.dues[i].period.strftime("%Y-%m")


def test_a_tenant_opens_a_dispute_on_their_own_line(rent_history, settings):
    settings.SCORING_DISPUTE_DAYS = 30
    month = _month(rent_history, 9)  # paid 10 days late
    dispute = disputes.open_dispute(
        actor=rent_history.tenant,
        lease=rent_history.lease.public_id,
        month=month,
        reason="paid_on_time",
        details="Reçu MoMo 123",
    )
    assert dispute.status == "open"
    assert dispute.organization == rent_history.agency.public_id
    assert dispute.line["code"] == "late_1_29" and dispute.line["days_late"] == 10
    assert (dispute.respond_by - dispute.created_at.date()).days in (29, 30, 31)
    with pytest.raises(DisputeAlreadyOpen):
        disputes.open_dispute(
            actor=rent_history.tenant, lease=rent_history.lease.public_id, month=month, reason="other"
        )


def test_another_tenant_cannot_dispute_a_line_that_is_not_theirs(rent_history):
    stranger = UserFactory()
    with pytest.raises(RentLineNotFound):
        disputes.open_dispute(
            actor=stranger, lease=rent_history.lease.public_id, month=_month(rent_history, 9), reason="other"
        )
    with pytest.raises(RentLineNotFound):  # a month the tenant has no line for
        disputes.open_dispute(
            actor=rent_history.tenant, lease=rent_history.lease.public_id, month="1999-01", reason="other"
        )
    with pytest.raises(RentLineNotFound):  # another lease id
        disputes.open_dispute(
            actor=rent_history.tenant, lease=uuid.uuid4(), month=_month(rent_history, 9), reason="other"
        )
    assert not RentLineDispute.objects.exists()


def test_staff_decide_once_audited_and_upheld_lines_are_excluded(
    rent_history, django_capture_on_commit_callbacks
):
    tenant = rent_history.tenant
    month = _month(rent_history, 10)
    dispute = disputes.open_dispute(
        actor=tenant, lease=rent_history.lease.public_id, month=month, reason="paid_on_time"
    )
    assert disputes.excluded_lines([tenant.public_id]) == {}

    with pytest.raises(Forbidden):
        disputes.decide(actor=tenant, dispute=dispute, decision="upheld")

    staff = UserFactory(is_staff=True, staff_role="compliance", full_name="Agent Conformité")
    with django_capture_on_commit_callbacks(execute=True):
        decided = disputes.decide(actor=staff, dispute=dispute, decision="upheld", note="Reçu vérifié")
    assert decided.status == "upheld" and decided.decided_by == staff and decided.decided_at
    entry = AuditEntry.objects.get(action="scoring.dispute.upheld")
    assert entry.before["status"] == "open" and entry.after["status"] == "upheld"
    assert entry.actor_public_id == staff.public_id
    assert entry.target_public_id == str(dispute.public_id)
    assert disputes.excluded_lines([tenant.public_id]) == {
        tenant.public_id: {(rent_history.lease.public_id, month)}
    }

    from apps.notifications.models import Message

    notice = Message.objects.get(user=tenant, template_key="scoring.dispute_upheld")
    assert notice.channel == "sms" and "est acceptée" in notice.body and str(dispute.public_id) in notice.body

    with pytest.raises(DisputeAlreadyDecided):
        disputes.decide(actor=staff, dispute=dispute, decision="rejected")
    # a decided line cannot be contested again
    with pytest.raises(DisputeAlreadyDecided):
        disputes.open_dispute(actor=tenant, lease=rent_history.lease.public_id, month=month, reason="other")


def test_a_rejected_dispute_leaves_the_line(rent_history):
    tenant = rent_history.tenant
    dispute = disputes.open_dispute(
        actor=tenant, lease=rent_history.lease.public_id, month=_month(rent_history, 9), reason="other"
    )
    disputes.decide(
        actor=UserFactory(is_staff=True, staff_role="support"),
        dispute=dispute,
        decision="rejected",
        note="Payé le 15",
    )
    assert disputes.excluded_lines([tenant.public_id]) == {}
    assert AuditEntry.objects.filter(action="scoring.dispute.rejected").count() == 1


def test_dispute_of_is_scoped_to_its_owner(rent_history):
    dispute = disputes.open_dispute(
        actor=rent_history.tenant,
        lease=rent_history.lease.public_id,
        month=_month(rent_history, 9),
        reason="other",
    )
    assert disputes.dispute_of(rent_history.tenant, dispute.public_id) == dispute
    with pytest.raises(NotFound):
        disputes.dispute_of(UserFactory(), dispute.public_id)


def test_staff_decide_in_the_admin_and_see_overdue_disputes(rent_history):
    from datetime import timedelta

    from tests.identity.test_admin_and_audit import admin_login, staff

    dispute = disputes.open_dispute(
        actor=rent_history.tenant,
        lease=rent_history.lease.public_id,
        month=_month(rent_history, 9),
        reason="other",
    )
    RentLineDispute.objects.filter(pk=dispute.pk).update(respond_by=dispute.respond_by - timedelta(days=40))
    assert list(disputes.overdue()) == [dispute]
    user, device = staff("compliance")
    client, _ = admin_login(user, device)
    listing = client.get(reverse("admin:scoring_rentlinedispute_changelist") + "?overdue=yes")
    assert listing.status_code == 200 and str(dispute.public_id)[:8] in listing.content.decode()
    page = reverse("admin:scoring_rentlinedispute_decide", args=[dispute.pk])
    assert client.get(page).status_code == 200
    response = client.post(page, {"decision": "upheld", "note": "Reçu MoMo vérifié"})
    assert response.status_code == 302
    dispute.refresh_from_db()
    assert dispute.status == "upheld" and dispute.decision_note == "Reçu MoMo vérifié"
    assert AuditEntry.objects.filter(action="scoring.dispute.upheld", actor_public_id=user.public_id).exists()

    # finance staff may not decide
    finance, finance_device = staff("finance")
    other = disputes.open_dispute(
        actor=rent_history.tenant,
        lease=rent_history.lease.public_id,
        month=_month(rent_history, 10),
        reason="other",
    )
    finance_client, _ = admin_login(finance, finance_device)
    refused = finance_client.post(
        reverse("admin:scoring_rentlinedispute_decide", args=[other.pk]), {"decision": "upheld", "note": "x"}
    )
    assert refused.status_code == 403
    other.refresh_from_db()
    assert other.status == "open"


def test_an_upheld_dispute_takes_the_line_out_of_the_features(rent_history):
    from apps.scoring import api as scoring

    tenant = rent_history.tenant.public_id
    before = scoring.features_for([tenant], today=rent_history.as_of)[tenant]
    dispute = disputes.open_dispute(
        actor=rent_history.tenant,
        lease=rent_history.lease.public_id,
        month=_month(rent_history, 12),
        reason="paid_on_time",
    )
    assert scoring.features_for([tenant], today=rent_history.as_of)[tenant] == before  # open: still counts
    disputes.decide(
        actor=UserFactory(is_staff=True, staff_role="compliance"), dispute=dispute, decision="upheld"
    )
    after = scoring.features_for([tenant], today=rent_history.as_of)[tenant]
    assert before.unpaid_12 == 1 and after.unpaid_12 == 0

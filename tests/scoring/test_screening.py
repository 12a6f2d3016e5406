"""HokweTenantScreening's services: a manager's request, the applicant's consent by the code
sent to their phone, the report (snapshot, recommendation by the organization's thresholds,
30 days), the decision and the adverse-action SMS, the billable event; the refusals."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.core.errors import NotFound
from apps.core.models import OutboxEvent
from apps.notifications.models import Message
from apps.scoring import errors, selectors
from apps.scoring.models import ScreeningPolicy, ScreeningReport, ScreeningRequest
from apps.scoring.services import screening

pytestmark = pytest.mark.django_db


def _consented(world, codes, *, income=300_000):
    req = screening.request_create(
        actor=world.manager, unit=world.unit.public_id, phone=str(world.applicant.phone)
    )
    challenge = screening.consent_start(actor=world.applicant, req=req)
    code = codes.last(world.applicant.phone)
    return screening.consent_confirm(
        actor=world.applicant, req=req, challenge_id=challenge.challenge_id, code=code, declared_income=income
    )


def test_a_request_sends_the_applicant_the_consent_link(screening_world):
    w = screening_world
    req = screening.request_create(actor=w.manager, unit=w.unit.public_id, phone="+229 01 97 12 34 56")
    assert req.status == ScreeningRequest.Status.PENDING
    assert req.applicant_phone == "+2290197123456"
    assert req.rent == 90_000 and req.currency == "XOF" and req.deposit_cap_months == 3
    sms = Message.objects.get(template_key="scoring.screening_consent_request")
    assert sms.address == "+2290197123456"
    assert req.consent_token in sms.body and "Agence Soleil" in sms.body
    assert screening.state(req) == "pending"


def test_another_organizations_unit_is_not_found(screening_world):
    w = screening_world
    with pytest.raises(NotFound):
        screening.request_create(actor=w.other_manager, unit=w.unit.public_id, phone="+2290197123456")
    assert not ScreeningRequest.objects.exists()


def test_no_report_without_consent(screening_world):
    w = screening_world
    req = screening.request_create(actor=w.manager, unit=w.unit.public_id, phone=str(w.applicant.phone))
    with pytest.raises(errors.ScreeningConsentMissing):
        screening.report_issue(actor=w.manager, req=req)
    with pytest.raises(errors.ScreeningConsentMissing):
        screening.report_get(actor=w.manager, req=req)
    assert not ScreeningReport.objects.exists()


def test_consent_by_code_then_a_thin_file_report_asks_a_guarantor(screening_world, screening_codes):
    w = screening_world
    req = _consented(w, screening_codes, income=300_000)
    assert req.status == ScreeningRequest.Status.CONSENTED and req.applicant == w.applicant
    assert req.consent_expires_at - req.consented_at == timedelta(days=30)
    report = screening.report_issue(actor=w.manager, req=req)
    assert report.recommendation == "conditions"
    assert report.conditions == ["guarantor"]
    assert report.snapshot["ratio_bps"] == 3000  # 90,000 / 300,000
    assert report.snapshot["score"]["band"] == "thin_file" and report.snapshot["score"]["score"] is None
    assert report.snapshot["applicant"]["name"] == "Afi Mensah"
    assert report.expires_at - report.issued_at == timedelta(days=30)
    # billable, once
    event = OutboxEvent.objects.get(name="scoring.ScreeningReportIssued")
    assert event.payload["report_id"] == str(report.public_id)
    assert event.payload["organization_id"] == str(w.org.public_id)
    assert screening.report_issue(actor=w.manager, req=req) == report
    assert OutboxEvent.objects.filter(name="scoring.ScreeningReportIssued").count() == 1


def test_a_wrong_code_gives_no_consent(screening_world, screening_codes):
    from apps.identity.api import OtpInvalid

    w = screening_world
    req = screening.request_create(actor=w.manager, unit=w.unit.public_id, phone=str(w.applicant.phone))
    challenge = screening.consent_start(actor=w.applicant, req=req)
    wrong = "000000" if screening_codes.last(w.applicant.phone) != "000000" else "111111"
    with pytest.raises(OtpInvalid):
        screening.consent_confirm(
            actor=w.applicant,
            req=req,
            challenge_id=challenge.challenge_id,
            code=wrong,
            declared_income=100_000,
        )
    req.refresh_from_db()
    assert req.status == "pending" and req.consented_at is None


def test_only_the_phone_asked_may_consent(screening_world, screening_codes):
    from tests.identity.factories import UserFactory

    w = screening_world
    req = screening.request_create(actor=w.manager, unit=w.unit.public_id, phone=str(w.applicant.phone))
    with pytest.raises(errors.ScreeningNotTheApplicant):
        screening.consent_start(actor=UserFactory(), req=req)


def test_withdrawn_consent_hides_the_report_and_refuses_a_new_one(screening_world, screening_codes):
    w = screening_world
    req = _consented(w, screening_codes)
    report = screening.report_issue(actor=w.manager, req=req)
    screening.consent_withdraw(actor=w.applicant, req=req)
    req.refresh_from_db()
    assert screening.state(req) == "withdrawn"
    with pytest.raises(errors.ScreeningConsentWithdrawn):
        screening.report_get(actor=w.manager, req=req)
    with pytest.raises(errors.ScreeningConsentWithdrawn):
        screening.report_issue(actor=w.manager, req=req)
    with pytest.raises(errors.ScreeningConsentWithdrawn):
        screening.decide(actor=w.manager, req=req, decision="accepted")
    assert ScreeningReport.objects.get() == report


def test_withdrawn_before_the_report_refuses_it(screening_world, screening_codes):
    w = screening_world
    req = _consented(w, screening_codes)
    screening.consent_withdraw(actor=w.applicant, req=req)
    with pytest.raises(errors.ScreeningConsentWithdrawn):
        screening.report_issue(actor=w.manager, req=req)


def test_expired_consent_and_expired_report(screening_world, screening_codes, time_machine):
    w = screening_world
    req = _consented(w, screening_codes)
    time_machine.move_to(timezone.now() + timedelta(days=31))
    with pytest.raises(errors.ScreeningConsentExpired):
        screening.report_issue(actor=w.manager, req=req)

    req2 = _consented(w, screening_codes)
    screening.report_issue(actor=w.manager, req=req2)
    time_machine.move_to(timezone.now() + timedelta(days=30, seconds=1))
    with pytest.raises(errors.ScreeningReportExpired):
        screening.report_get(actor=w.manager, req=req2)


def test_an_unanswered_request_expires(screening_world, screening_codes, time_machine):
    w = screening_world
    req = screening.request_create(actor=w.manager, unit=w.unit.public_id, phone=str(w.applicant.phone))
    time_machine.move_to(timezone.now() + timedelta(days=15))
    assert screening.state(req) == "expired"
    with pytest.raises(errors.ScreeningConsentExpired):
        screening.consent_start(actor=w.applicant, req=req)


def test_a_decline_sends_the_adverse_action_sms_with_the_reasons(screening_world, screening_codes):
    w = screening_world
    req = _consented(w, screening_codes, income=150_000)  # 60 % of the income
    report = screening.report_issue(actor=w.manager, req=req)
    assert report.recommendation == "decline"
    assert report.reasons[0]["code"] == "ratio_high"
    screening.decide(actor=w.manager, req=req, decision="declined")
    sms = Message.objects.get(template_key="scoring.screening_adverse_action", channel="sms")
    assert "60% du revenu" in sms.body and "Agence Soleil" in sms.body
    report.refresh_from_db()
    assert report.adverse_notice_sent_at is not None
    with pytest.raises(errors.ScreeningAlreadyAnswered):
        screening.decide(actor=w.manager, req=req, decision="declined")
    assert Message.objects.filter(template_key="scoring.screening_adverse_action").count() == 1


def test_an_acceptance_sends_no_adverse_notice(screening_world, screening_codes):
    w = screening_world
    req = _consented(w, screening_codes)
    screening.report_issue(actor=w.manager, req=req)
    screening.decide(actor=w.manager, req=req, decision="conditions")
    assert not Message.objects.filter(template_key="scoring.screening_adverse_action").exists()


def _snap(score=720, band="good", ratio=2500, lines=(), cases=()):
    return {
        "score": {"score": score, "band": band},
        "ratio_bps": ratio,
        "rent_lines": [{"code": c} for c in lines],
        "recovery_cases": list(cases),
    }


@pytest.mark.parametrize(
    "snap, expected, conditions",
    [
        (_snap(), "accept", []),
        (_snap(score=640, band="fair"), "conditions", ["deposit"]),
        (_snap(score=None, band="thin_file"), "conditions", ["guarantor"]),
        (_snap(ratio=4000), "conditions", ["guarantor"]),
        (_snap(score=520, band="weak"), "decline", []),
        (_snap(ratio=5001), "decline", []),
        (_snap(lines=["unpaid", "partial", "unpaid"]), "decline", []),
        (_snap(lines=["unpaid"]), "conditions", ["deposit"]),
        (_snap(cases=[{"status": "closed", "outcome": "written_off"}]), "decline", []),
        (_snap(cases=[{"status": "open", "outcome": ""}]), "conditions", ["deposit"]),
        (_snap(score=None, band="thin_file", ratio=4500), "conditions", ["guarantor"]),
    ],
)
def test_the_recommendation_follows_the_thresholds(snap, expected, conditions):
    outcome = screening.recommend(snap, ScreeningPolicy(), deposit_cap_months=3)
    assert outcome.recommendation == expected
    assert list(outcome.conditions) == conditions
    assert bool(outcome.reasons)


def test_each_organization_sets_its_thresholds_within_the_legal_deposit_cap(screening_world):
    w = screening_world
    strict = ScreeningPolicy(accept_min_score=760, decline_below_score=700)
    assert screening.recommend(_snap(score=720), strict, deposit_cap_months=3).recommendation == "conditions"
    assert screening.recommend(_snap(score=690), strict, deposit_cap_months=3).recommendation == "decline"
    # the deposit asked never exceeds the cap of the unit's country
    capped = screening.recommend(
        _snap(score=640), ScreeningPolicy(conditions_deposit_months=3), deposit_cap_months=2
    )
    assert capped.deposit_months == 2
    with pytest.raises(errors.ScreeningPolicyInvalid) as refused:
        screening.policy_update(actor=w.manager, organization_id=w.org.pk, conditions_deposit_months=4)
    assert refused.value.field == "conditions_deposit_months"
    with pytest.raises(errors.ScreeningPolicyInvalid):
        screening.policy_update(
            actor=w.manager, organization_id=w.org.pk, decline_below_score=700, accept_min_score=650
        )
    saved = screening.policy_update(actor=w.manager, organization_id=w.org.pk, accept_min_score=700)
    assert screening.policy_of(w.org.pk) == saved and saved.accept_min_score == 700
    with pytest.raises(NotFound):
        screening.policy_update(actor=w.other_manager, organization_id=w.org.pk, accept_min_score=700)


def test_another_organization_never_sees_the_request_nor_the_report(screening_world, screening_codes):
    w = screening_world
    req = _consented(w, screening_codes)
    screening.report_issue(actor=w.manager, req=req)
    assert list(selectors.screening_requests_for(w.other_manager)) == []
    with pytest.raises(NotFound):
        selectors.screening_request_get(w.other_manager, req.public_id)
    with pytest.raises(NotFound):
        screening.report_get(actor=w.other_manager, req=req)
    with pytest.raises(NotFound):
        screening.report_issue(actor=w.other_manager, req=req)
    assert selectors.screening_request_get(w.manager, req.public_id) == req


def test_the_french_pdf(screening_world, screening_codes):
    w = screening_world
    report = screening.report_issue(actor=w.manager, req=_consented(w, screening_codes))
    pdf = screening.report_pdf(report)
    assert pdf.startswith(b"%PDF")


def test_unreadable_reports_keep_no_personal_data(screening_world, screening_codes, time_machine):
    from apps.scoring.tasks import screening_purge

    w = screening_world
    kept = screening.report_issue(actor=w.manager, req=_consented(w, screening_codes))
    withdrawn_req = _consented(w, screening_codes)
    withdrawn = screening.report_issue(actor=w.manager, req=withdrawn_req)
    screening.consent_withdraw(actor=w.applicant, req=withdrawn_req)
    assert screening_purge() == 1
    withdrawn.refresh_from_db()
    assert withdrawn.snapshot["purged"] and withdrawn.snapshot["score"] == {"band": "thin_file"}
    assert "applicant" not in withdrawn.snapshot and withdrawn.recommendation == "conditions"
    kept.refresh_from_db()
    assert kept.snapshot["applicant"]["name"] == "Afi Mensah"

    time_machine.move_to(timezone.now() + timedelta(days=31))
    assert screening_purge() == 1 and screening_purge() == 0
    kept.refresh_from_db()
    assert "applicant" not in kept.snapshot


def test_an_issued_report_is_in_the_organizations_vault_while_it_may_be_read(
    screening_world, screening_codes
):
    from apps.cms.models import VaultDocument
    from tests.helpers import bearer_client

    w = screening_world
    req = _consented(w, screening_codes)
    report = screening.report_issue(actor=w.manager, req=req)
    screening.report_issue(actor=w.manager, req=req)  # read again: filed once
    (row,) = VaultDocument.objects.filter(source="scoring.screening_report", source_id=str(report.public_id))
    assert row.organization_id == w.org.pk and row.kind == "screening_report"
    assert row.name == f"Rapport de sélection {report.number}"
    api = bearer_client(w.manager)
    pdf = api.get(f"/api/v1/cms/vault/documents/{row.public_id}/download")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    screening.consent_withdraw(actor=w.applicant, req=req)  # the consent withdrawn: no longer readable
    gone = api.get(f"/api/v1/cms/vault/documents/{row.public_id}/download")
    assert gone.status_code == 410

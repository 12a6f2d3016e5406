"""Transaction monitoring: each rule at its threshold and not below (hypothesis on the
velocity and structuring boundaries), deduplication, replays, the compliance queue's
decisions (audited, final), the suspicious-transaction report and who sees what."""

from __future__ import annotations

import csv
import io
import itertools
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from apps.core.errors import NotFound
from apps.core.models import AuditEntry
from apps.identity.models import Membership
from apps.kyc import api as kyc
from apps.kyc.errors import (
    AlertConflict,
    AlertDecided,
    AlertFourEyes,
    AlertNarrativeRequired,
    AlertNotReported,
    AlertReasonRequired,
)
from apps.kyc.models import Alert, AlertEntry, MonitoredTransaction
from apps.kyc.monitoring import MonitoringRulesInvalid, near_cap, validate_rules
from apps.kyc.services import monitoring as services
from tests.identity.factories import MembershipFactory, OrganizationFactory, UserFactory

from .helpers import approve, ready_submission, staff

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
_keys = itertools.count()
_phones = itertools.count(1)
HYPOTHESIS = hsettings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))

RULES = {
    "velocity": {"max_count": 3, "window_hours": 24, "severity": "medium"},
    "large_amount": {"thresholds": {"XOF": 1_000_000, "EUR": 150_000}, "severity": "high"},
    "structuring": {
        "caps": {"XOF": [500_000]},
        "margin_percent": 10,
        "min_count": 3,
        "window_hours": 72,
        "severity": "high",
    },
    "many_payers": {"max_payers": 3, "window_hours": 24, "severity": "medium"},
    "payout_after_collections": {
        "min_new_payers": 3,
        "new_payer_days": 30,
        "window_hours": 48,
        "severity": "high",
    },
}


def only(settings, *names, **overrides):
    """Monitoring with only the named rules on (each test sees one rule at a time)."""
    table = {name: {**RULES[name], **overrides.get(name, {})} for name in names}
    settings.KYC_MONITORING_RULES = table
    settings.KYC_MONITORING_ENABLED = True
    return table


def new_phone() -> str:
    return f"+22901{97_000_000 + next(_phones):08d}"


def observe(org, *, amount=10_000, phone="", payer=None, at=T0, kind="collect", account="acct-1", key=None):
    return kyc.observe_transaction(
        kyc.ObservedTransaction(
            source_key=key or f"test:{next(_keys)}",
            kind=kind,
            amount=amount,
            currency="XOF",
            occurred_at=at,
            organization_public_id=str(org.public_id),
            account=account,
            payer_phone=phone,
            payer_public_id=str(payer.public_id) if payer else None,
            provider="sandbox",
            provider_reference=f"sbx_{next(_keys)}",
        )
    )


@pytest.fixture
def org(db):
    return OrganizationFactory(name="Agence Les Cocotiers")


# --- the rule table --------------------------------------------------------------------------------


def test_the_default_rule_table_is_valid_and_a_malformed_one_is_refused(settings):
    validate_rules(settings.KYC_MONITORING_RULES)
    for broken in (
        {"velocity": {"max_count": 0, "window_hours": 24}},
        {"velocity": {"window_hours": 24}},
        {"speed": {}},
        {"large_amount": {"thresholds": {"xof": 10}}},
        {"structuring": {**RULES["structuring"], "margin_percent": 100}},
        {"structuring": {**RULES["structuring"], "caps": {"XOF": []}}},
        {"many_payers": {**RULES["many_payers"], "severity": "urgent"}},
    ):
        with pytest.raises(MonitoringRulesInvalid):
            validate_rules(broken)


def test_a_malformed_rule_table_stops_manage_py_check(settings):
    from apps.kyc.checks import kyc_settings

    settings.KYC_MONITORING_RULES = {"velocity": {"max_count": -1, "window_hours": 1}}
    assert [e.id for e in kyc_settings(None)] == ["kyc.E010"]


# --- velocity ---------------------------------------------------------------------------------------


def test_velocity_fires_on_the_payment_after_max_count_and_not_before(settings, org):
    only(settings, "velocity")
    phone = new_phone()
    for i in range(3):
        assert observe(org, phone=phone, at=T0 + timedelta(hours=i)).alert_ids == ()
    outcome = observe(org, phone=phone, at=T0 + timedelta(hours=3))
    alert = Alert.objects.get(public_id=outcome.alert_ids[0])
    assert alert.rule == "velocity" and alert.subject_kind == "payer" and alert.subject_phone == phone
    assert alert.transactions.count() == 4 and alert.severity == 2
    assert "4" in alert.summary


@HYPOTHESIS
@given(
    max_count=st.integers(min_value=1, max_value=5),
    count=st.integers(min_value=1, max_value=7),
    oldest_offset=st.integers(min_value=-2, max_value=2),
)
def test_velocity_boundary(settings, org, max_count, count, oldest_offset):
    """`count` payments: the first `oldest_offset` seconds off the window's edge (24 h
    before the last one; the edge itself is outside), the others inside."""
    only(settings, "velocity", velocity={"max_count": max_count})
    phone = new_phone()
    last = T0 + timedelta(days=2)
    oldest = last - timedelta(hours=24) + timedelta(seconds=oldest_offset)
    observe(org, phone=phone, at=oldest)
    for i in range(count - 1):
        outcome = observe(org, phone=phone, at=last - timedelta(minutes=count - 2 - i))
    inside = count if oldest_offset > 0 else count - 1
    fired = Alert.objects.filter(rule="velocity", subject_key=f"phone:{phone}").exists()
    assert fired == (inside > max_count)
    if count > 1:
        assert bool(outcome.alert_ids) == (inside > max_count)


def test_velocity_counts_one_payer_by_account_or_phone(settings, org):
    only(settings, "velocity")
    payer = UserFactory()
    phone = new_phone()
    observe(org, phone=phone, payer=payer)
    observe(org, phone="", payer=payer)
    observe(org, phone=phone)
    outcome = observe(org, phone=phone, payer=payer)
    alert = Alert.objects.get(public_id=outcome.alert_ids[0])
    assert alert.subject_key == f"user:{payer.public_id}" and alert.subject_user == payer
    assert alert.transactions.count() == 4


# --- large amount -----------------------------------------------------------------------------------


def test_large_amount_fires_at_the_threshold_and_not_below(settings, org):
    only(settings, "large_amount")
    assert observe(org, amount=999_999, phone=new_phone()).alert_ids == ()
    phone = new_phone()
    alert = Alert.objects.get(public_id=observe(org, amount=1_000_000, phone=phone).alert_ids[0])
    assert alert.rule == "large_amount" and alert.severity == 3 and alert.score == 50
    assert alert.subject_phone == phone
    # a payout's subject is the organization; a currency without a threshold is not checked
    payout = observe(org, amount=2_000_000, kind="payout", phone="", account="payout-acct")
    assert Alert.objects.get(public_id=payout.alert_ids[0]).subject_kind == "organization"
    assert (
        kyc.observe_transaction(
            kyc.ObservedTransaction(
                source_key="test:gbp",
                kind="collect",
                amount=10**9,
                currency="GBP",
                occurred_at=T0,
                organization_public_id=str(org.public_id),
            )
        ).alert_ids
        == ()
    )


# --- structuring ------------------------------------------------------------------------------------


def test_structuring_fires_on_the_third_payment_just_under_the_cap(settings, org):
    only(settings, "structuring")
    phone = new_phone()
    assert observe(org, amount=480_000, phone=phone).alert_ids == ()
    assert observe(org, amount=450_000, phone=phone, at=T0 + timedelta(hours=5)).alert_ids == ()
    assert (
        observe(org, amount=449_999, phone=phone, at=T0 + timedelta(hours=6)).alert_ids == ()
    )  # 10.0002 % under
    assert observe(org, amount=500_000, phone=phone, at=T0 + timedelta(hours=7)).alert_ids == ()  # at the cap
    outcome = observe(org, amount=499_999, phone=phone, at=T0 + timedelta(hours=8))
    alert = Alert.objects.get(public_id=outcome.alert_ids[0])
    assert alert.rule == "structuring"
    assert sorted(alert.transactions.values_list("amount", flat=True)) == [450_000, 480_000, 499_999]


@HYPOTHESIS
@given(
    amounts=st.lists(st.integers(min_value=400_000, max_value=520_000), min_size=1, max_size=5),
    margin=st.integers(min_value=1, max_value=20),
    min_count=st.integers(min_value=2, max_value=4),
)
def test_structuring_boundary(settings, org, amounts, margin, min_count):
    """The alert exists iff at least min_count payments are near the cap (cap·(1−m%) ≤ a <
    cap) and together exceed it -- evaluated when the last such payment arrives."""
    cap = 500_000
    only(settings, "structuring", structuring={"margin_percent": margin, "min_count": min_count})
    phone = new_phone()
    for i, amount in enumerate(amounts):
        observe(org, amount=amount, phone=phone, at=T0 + timedelta(minutes=i))
    near = []
    expected = False
    for amount in amounts:  # the rule runs at each payment near the cap, on those so far
        if near_cap(amount, cap, margin):
            near.append(amount)
            expected = expected or (len(near) >= min_count and sum(near) > cap)
    assert Alert.objects.filter(rule="structuring", subject_key=f"phone:{phone}").exists() == expected


def test_near_cap_is_exact_at_the_margin():
    assert near_cap(450_000, 500_000, 10) and not near_cap(449_999, 500_000, 10)
    assert near_cap(499_999, 500_000, 10) and not near_cap(500_000, 500_000, 10)


# --- many payers into one account ---------------------------------------------------------------------


def test_many_payers_fires_past_max_payers_distinct_phones(settings, org):
    only(settings, "many_payers")
    phones = [new_phone() for _ in range(4)]
    for i, phone in enumerate(phones[:3]):
        assert observe(org, phone=phone, at=T0 + timedelta(minutes=i)).alert_ids == ()
    assert observe(org, phone=phones[0], at=T0 + timedelta(minutes=5)).alert_ids == ()  # same payer again
    assert observe(org, phone=phones[3], account="acct-2", at=T0 + timedelta(minutes=6)).alert_ids == ()
    outcome = observe(org, phone=phones[3], at=T0 + timedelta(minutes=7))
    alert = Alert.objects.get(public_id=outcome.alert_ids[0])
    assert alert.rule == "many_payers" and alert.subject_kind == "account" and alert.account == "acct-1"
    assert alert.organization == org and alert.transactions.count() == 5


# --- payout after collections from new payers ---------------------------------------------------------


def test_payout_after_collections_from_new_payers(settings, org):
    only(settings, "payout_after_collections")
    veteran = new_phone()
    observe(org, phone=veteran, at=T0 - timedelta(days=90))
    fresh = [new_phone() for _ in range(2)]
    for i, phone in enumerate([veteran, *fresh]):
        observe(org, phone=phone, at=T0 + timedelta(hours=i))
    payout = dict(kind="payout", phone="", account="payout-acct", amount=300_000)
    assert observe(org, at=T0 + timedelta(hours=4), **payout).alert_ids == ()  # 2 new payers
    observe(org, phone=new_phone(), at=T0 + timedelta(hours=5))
    outcome = observe(org, at=T0 + timedelta(hours=6), **payout)
    alert = Alert.objects.get(public_id=outcome.alert_ids[0])
    assert alert.rule == "payout_after_collections" and alert.subject_kind == "organization"
    kinds = sorted(alert.transactions.values_list("kind", flat=True))
    assert kinds == ["collect", "collect", "collect", "payout"]  # the veteran's is not involved


# --- deduplication and replays ----------------------------------------------------------------------


def test_an_open_alert_gets_new_hits_instead_of_a_second_alert(settings, org):
    only(settings, "large_amount")
    phone = new_phone()
    first = observe(org, amount=1_000_000, phone=phone).alert_ids
    second = observe(org, amount=3_000_000, phone=phone, at=T0 + timedelta(hours=1)).alert_ids
    assert first == second
    alert = Alert.objects.get(public_id=first[0])
    assert alert.transactions.count() == 2 and alert.score == 100
    assert alert.entries.filter(kind="hit").count() == 2
    assert AuditEntry.objects.filter(action="kyc.monitoring.alert_opened").count() == 1
    # once decided, a new hit opens a new alert
    services.alert_decide(actor=staff("compliance"), alert=alert, decision="dismiss", reason="Known buyer")
    third = observe(org, amount=1_500_000, phone=phone, at=T0 + timedelta(hours=2)).alert_ids
    assert third != first and Alert.objects.filter(subject_key=f"phone:{phone}").count() == 2


def test_a_source_key_seen_before_records_and_opens_nothing(settings, org):
    only(settings, "large_amount")
    phone = new_phone()
    assert observe(org, amount=2_000_000, phone=phone, key="payments.intent:x").recorded
    again = observe(org, amount=2_000_000, phone=phone, key="payments.intent:x")
    assert again == kyc.Observation(recorded=False)
    assert MonitoredTransaction.objects.filter(source_key="payments.intent:x").count() == 1
    assert Alert.objects.get().transactions.count() == 1


def test_monitoring_switched_off_records_nothing(settings, org):
    only(settings, "large_amount")
    settings.KYC_MONITORING_ENABLED = False
    assert observe(org, amount=9_000_000, phone=new_phone()) == kyc.Observation(recorded=False)
    assert not MonitoredTransaction.objects.exists()


# --- the compliance queue ---------------------------------------------------------------------------


@pytest.fixture
def alert(settings, org):
    only(settings, "large_amount")
    payer = UserFactory(full_name="Brice Zinsou")
    outcome = observe(org, amount=1_200_000, phone=str(payer.phone), payer=payer)
    return Alert.objects.get(public_id=outcome.alert_ids[0])


def test_decisions_are_audited_and_final(alert, compliance):
    services.alert_assign(actor=compliance, alert=alert)
    services.alert_note(
        actor=compliance, alert=alert, text="Called the agency: rent for a year paid at once?"
    )
    with pytest.raises(AlertReasonRequired):
        services.alert_decide(actor=compliance, alert=alert, decision="dismiss", reason="  ")
    decided = services.alert_decide(
        actor=compliance, alert=alert, decision="dismiss", reason="A year of rent paid upfront, lease seen"
    )
    assert decided.status == "dismissed" and decided.decided_by == compliance and decided.decided_at
    entry = AuditEntry.objects.get(action="kyc.monitoring.alert_dismissed")
    assert entry.actor_public_id == compliance.public_id and entry.reason.startswith("A year of rent")
    assert entry.before == {"status": "open"} and entry.after == {"status": "dismissed"}
    assert (
        entry.target_public_id == str(alert.public_id) and entry.organization_public_id is None
    )  # no tipping-off
    assert {e.action for e in AuditEntry.objects.filter(action__startswith="kyc.monitoring.")} >= {
        "kyc.monitoring.alert_assigned",
        "kyc.monitoring.alert_noted",
        "kyc.monitoring.alert_dismissed",
    }
    for call in (
        lambda: services.alert_decide(
            actor=compliance, alert=alert, decision="report", reason="x", narrative="y"
        ),
        lambda: services.alert_note(actor=compliance, alert=alert, text="later"),
        lambda: services.alert_assign(actor=compliance, alert=alert),
    ):
        with pytest.raises(AlertDecided):
            call()
    assert list(alert.entries.values_list("kind", flat=True)) == ["hit", "assigned", "note", "dismissed"]


def test_escalation_is_decided_by_another_officer_and_a_report_needs_a_narrative(
    alert, compliance, compliance2
):
    services.alert_decide(
        actor=compliance, alert=alert, decision="escalate", reason="Amount unusual for a tenant"
    )
    alert.refresh_from_db()
    assert alert.status == "escalated" and alert.escalated_by == compliance and alert.decided_at is None
    with pytest.raises(AlertFourEyes):
        services.alert_decide(actor=compliance, alert=alert, decision="report", reason="x", narrative="y")
    with pytest.raises(AlertNarrativeRequired):
        services.alert_decide(actor=compliance2, alert=alert, decision="report", reason="Suspicious")
    reported = services.alert_decide(
        actor=compliance2,
        alert=alert,
        decision="report",
        reason="Source of funds not explained",
        narrative="1 200 000 FCFA paid by a tier-0 tenant, no lease of that size.",
    )
    assert reported.status == "reported" and reported.decided_by == compliance2
    assert AuditEntry.objects.filter(action="kyc.monitoring.alert_reported").count() == 1


def test_staff_never_decide_an_alert_about_their_own_organization(alert, org):
    officer = staff("compliance")
    MembershipFactory(organization=org, user=officer, role=Membership.Role.OWNER)
    with pytest.raises(AlertConflict):
        services.alert_decide(actor=officer, alert=alert, decision="dismiss", reason="Mine, it is fine")
    with pytest.raises(AlertConflict):
        services.alert_assign(actor=staff("compliance"), alert=alert, assignee=officer)


def test_only_compliance_staff_see_or_work_alerts(alert, org):
    member = MembershipFactory(organization=org, role=Membership.Role.OWNER).user
    for outsider in (staff("support"), staff("finance"), member, alert.subject_user):
        for call in (
            lambda who: services.alert_assign(actor=who, alert=alert),
            lambda who: services.alert_note(actor=who, alert=alert, text="x"),
            lambda who: services.alert_decide(actor=who, alert=alert, decision="dismiss", reason="x"),
            lambda who: services.alert_export(actor=who, alert=alert),
        ):
            with pytest.raises(NotFound):
                call(outsider)
    alert.refresh_from_db()
    assert alert.status == "open" and alert.assigned_to is None


# --- the suspicious-transaction report ---------------------------------------------------------------


def test_the_report_export_carries_the_subject_transactions_rule_and_narrative(
    settings, org, compliance, compliance2
):
    only(settings, "large_amount")
    payer = UserFactory(full_name="Brice Zinsou")
    approve(ready_submission(payer, tier=1), compliance2)
    MembershipFactory(organization=org, role=Membership.Role.OWNER)
    outcome = observe(org, amount=1_200_000, phone=str(payer.phone), payer=payer)
    observe(org, amount=1_300_000, phone=str(payer.phone), payer=payer, at=T0 + timedelta(hours=1))
    alert = Alert.objects.get(public_id=outcome.alert_ids[0])
    with pytest.raises(AlertNotReported):
        services.alert_export(actor=compliance, alert=alert)
    narrative = "=Two large payments by a tier-1 tenant; the lease is 80 000 FCFA a month."
    services.alert_decide(
        actor=compliance, alert=alert, decision="report", reason="Suspicious", narrative=narrative
    )

    report = services.alert_export(actor=compliance, alert=alert, fmt="csv")
    assert report.filename.startswith("HKW-STR-") and report.filename.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(report.content.decode("utf-8-sig"))))
    assert len(rows) == 2
    first = rows[0]
    assert first["rule"] == "large_amount" and first["alert_id"] == str(alert.public_id)
    assert first["narrative"] == "'" + narrative  # a spreadsheet does not run it as a formula
    assert first["subject_last_name"] == "Zinsou" and first["subject_first_name"] == "Brice"
    assert first["subject_id_number"] == "BJ-1234567" and first["subject_date_of_birth"] == "1990-04-12"
    assert first["subject_id_document_kind"] == "id_card" and first["subject_kyc_tier"] == "1"
    assert first["subject_account_phone"] == str(payer.phone)  # the phone is not escaped
    assert first["organization_name"] == "Agence Les Cocotiers"
    assert [r["tx_amount"] for r in rows] == ["1200000", "1300000"]
    assert {r["tx_currency"] for r in rows} == {"XOF"} and rows[0]["tx_provider"] == "sandbox"
    assert first["analyst"] == str(compliance)

    xml = ET.fromstring(services.alert_export(actor=compliance, alert=alert, fmt="xml").content)
    assert xml.tag == "declarationDeSoupcon"
    assert xml.find("alerte/narrative").text == narrative
    assert xml.find("sujet/id_number").text == "BJ-1234567"
    assert len(xml.findall("operations/operation")) == 2

    exports = AuditEntry.objects.filter(action="kyc.monitoring.report_exported").order_by("id")
    assert [e.after["format"] for e in exports] == ["csv", "xml"]
    assert all(e.actor_public_id == compliance.public_id for e in exports)
    assert alert.entries.filter(kind=AlertEntry.Kind.EXPORTED).count() == 2


def test_report_of_a_payer_never_verified_has_what_is_held(settings, org, compliance):
    only(settings, "large_amount")
    phone = new_phone()
    alert = Alert.objects.get(public_id=observe(org, amount=5_000_000, phone=phone).alert_ids[0])
    services.alert_decide(actor=compliance, alert=alert, decision="report", reason="r", narrative="n")
    row = next(
        csv.DictReader(
            io.StringIO(services.alert_export(actor=compliance, alert=alert).content.decode("utf-8-sig"))
        )
    )
    assert row["subject_phone"] == phone and row["subject_last_name"] == "" and row["tx_amount"] == "5000000"
    assert date.fromisoformat(row["reported_at"][:10])


# --- cost --------------------------------------------------------------------------------------------


def test_intake_costs_the_same_few_queries_whatever_the_history(settings, org, django_assert_max_num_queries):
    """Every rule on, a transaction that hits four of them: the queries do not grow with the
    number of transactions already monitored (each rule is bounded by its indexes)."""
    only(settings, *RULES, large_amount={"thresholds": {"XOF": 480_000}})

    def last_of_a_busy_day(at, history):
        payer, phone = UserFactory(), new_phone()
        for i in range(history):  # older payments into the same account, outside every window
            observe(org, phone=new_phone(), at=at - timedelta(days=4, minutes=i), amount=1_000)
        for i in range(3):
            observe(org, phone=new_phone(), at=at - timedelta(minutes=10 + i))
        for i in range(3):
            observe(org, phone=phone, payer=payer, amount=460_000, at=at - timedelta(minutes=5 - i))
        with CaptureQueriesContext(connection) as captured:
            outcome = observe(org, phone=phone, payer=payer, amount=490_000, at=at)
        rules = set(Alert.objects.filter(public_id__in=outcome.alert_ids).values_list("rule", flat=True))
        assert rules == {"velocity", "large_amount", "structuring", "many_payers"}
        return len(captured)

    quiet = last_of_a_busy_day(T0, 0)
    assert last_of_a_busy_day(T0 + timedelta(days=10), 60) == quiet
    with django_assert_max_num_queries(quiet):
        observe(org, phone=new_phone(), amount=10_000, at=T0 + timedelta(days=20))

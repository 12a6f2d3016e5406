"""The move-in invoice at signing (issue 15, item 4): the first month by the organization's
rule (pro rata by day, a full month, or from the next month), its due date never before the
start, the deposit and agency-fee dues with their ledger postings, the deposit held
following what pays it (and its refunds), the owner statement without either, write-offs,
the move-out settlement, imported leases, the month-end run, and the settings on every
transport."""

from datetime import date

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.estate import domain, selectors, services
from apps.estate.errors import InvalidInput
from apps.estate.models import EstateSettings, Lease, RentDue
from apps.estate.services.dues import move_in_invoice, prorata
from apps.estate.services.leases import settings_update
from apps.identity import api as identity
from apps.ledger import api as ledger
from apps.payments import api as payments
from tests.helpers import bearer_client, gql
from tests.identity.conftest import SmsInbox
from tests.identity.factories import MembershipFactory, OrganizationFactory, UserFactory

from .conftest import make_lease
from .factories import MandateFactory, PropertyFactory, UnitFactory

pytestmark = pytest.mark.django_db

MAR15 = date(2026, 3, 15)


def balance(org, code: str) -> int:
    for account in ledger.organization_accounts(organization=org.public_id):
        if account.code == code:
            return ledger.balance(account=account.public_id).posted
    return 0


def owner_payable(lease) -> int:
    return balance(lease.organization, f"estate.owner_payable.{lease.unit.property.owner.public_id}")


def tenant_balance(org) -> int:
    """What open dues still ask − tenant credit: the ledger's rent_receivable (docs/estate.md)."""
    open_left = sum(
        total - paid
        for total, paid in RentDue.objects.filter(organization=org)
        .exclude(status="written_off")
        .values_list("total", "paid")
    )
    return open_left - sum(Lease.objects.filter(organization=org).values_list("credit", flat=True))


def check_ledger(org):
    assert balance(org, "rent_receivable") == tenant_balance(org)


def signed(manager, unit, tenant, **overrides):
    """A lease signed in Hokwe on 10 March, starting on the 15th: 2 months of deposit, one
    month of advance, an agency fee of half a month."""
    values = dict(start_date=MAR15, deposit_months=2, advance_months=1, agency_fee=37_500, move_in=None)
    values.update(overrides)
    return make_lease(manager, unit, tenant, **values)


def by_kind(lease) -> dict:
    out = {}
    for due in RentDue.objects.filter(lease=lease).order_by("period"):
        out.setdefault(due.kind, []).append(due)
    return out


# --- the first month ---------------------------------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(
    rent=st.integers(min_value=1, max_value=10**9),
    year=st.integers(min_value=2024, max_value=2030),
    month=st.integers(min_value=1, max_value=12),
    data=st.data(),
)
def test_prorata_is_at_most_a_month_a_month_on_the_first_and_the_parts_add_up(rent, year, month, data):
    in_month = domain.month_end(date(year, month, 1)).day
    day = data.draw(st.integers(min_value=1, max_value=in_month))
    occupied = in_month - day + 1
    part = prorata(rent, occupied, in_month)
    assert 0 <= part <= rent
    assert prorata(rent, in_month, in_month) == rent  # from the 1st: the whole month
    # the days before and the days from the start: the two parts make the month (half up
    # rounding may add one unit, never lose one)
    assert rent <= prorata(rent, day - 1, in_month) + part <= rent + 1
    exact = rent * occupied / in_month
    assert abs(part - exact) <= 0.5


def test_prorata_by_default_with_the_due_date_at_the_start(clock, manager, unit, tenant):
    lease = signed(manager, unit, tenant, advance_months=0, deposit_months=0, agency_fee=0)
    assert lease.first_period_rule == "prorata"
    (march,) = by_kind(lease)["rent"]
    # 17 days of 31 (15 to 31 March): 75 000 × 17 / 31 = 41 129.03; 5 000 × 17 / 31 = 2 741.9
    assert (march.period, march.rent, march.charges, march.total) == (date(2026, 3, 1), 41_129, 2_742, 43_871)
    assert march.due_date == MAR15 and march.grace_until == date(2026, 3, 20)  # never 5 March


def test_full_month_rule(clock, manager, unit, tenant):
    lease = signed(manager, unit, tenant, first_period_rule="full", advance_months=0)
    (march,) = by_kind(lease)["rent"]
    assert (march.total, march.due_date) == (80_000, MAR15)


def test_next_rule_bills_from_the_next_month_and_the_month_end_run_keeps_it(clock, manager, unit, tenant):
    lease = signed(manager, unit, tenant, first_period_rule="next", advance_months=0)
    rents = by_kind(lease)["rent"]
    assert [(d.period, d.total, d.due_date) for d in rents] == [(date(2026, 4, 1), 80_000, date(2026, 4, 5))]
    services.month_end_run(period=date(2026, 3, 1))  # a run for March never bills it
    services.month_end_run(period=date(2026, 4, 1))
    assert [d.period for d in RentDue.objects.filter(lease=lease, kind="rent")] == [date(2026, 4, 1)]


def test_the_organizations_rule_is_copied_at_signing_and_never_rewrites_a_signed_lease(
    clock, manager, agency, unit, tenant
):
    settings_update(actor=manager, organization_id=agency.pk, first_period_rule="full")
    lease = signed(manager, unit, tenant, first_period_rule=None, advance_months=0)
    assert lease.first_period_rule == "full"
    settings_update(actor=manager, organization_id=agency.pk, first_period_rule="next")
    lease.refresh_from_db()
    assert lease.first_period_rule == "full" and by_kind(lease)["rent"][0].total == 80_000
    with pytest.raises(InvalidInput) as refused:
        settings_update(actor=manager, organization_id=agency.pk, first_period_rule="weekly")
    assert refused.value.field == "first_period_rule"


def test_a_lease_from_the_first_is_billed_a_whole_month(clock, manager, unit, tenant):
    lease = signed(manager, unit, tenant, start_date=date(2026, 4, 1), advance_months=0)
    (april,) = by_kind(lease)["rent"]
    assert (april.total, april.due_date) == (80_000, date(2026, 4, 5))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(day=st.integers(min_value=1, max_value=28), rule=st.sampled_from(["prorata", "full", "next"]))
def test_no_due_date_before_the_start(clock, manager, agency, day, rule):
    unit = UnitFactory(property=PropertyFactory(mandate=MandateFactory(agency=agency)))
    start = date(2026, 5, day)
    lease = make_lease(
        manager, unit, UserFactory(), start_date=start, first_period_rule=rule, deposit_months=1, move_in=True
    )
    dues = list(RentDue.objects.filter(lease=lease))
    assert dues and all(d.due_date >= start for d in dues)


# --- the move-in invoice and its ledger postings -----------------------------------------------------------


def test_move_in_dues_and_their_ledger_postings(clock, manager, unit, tenant):
    lease = signed(manager, unit, tenant)
    kinds = by_kind(lease)
    (deposit,), (fee,) = kinds["deposit"], kinds["fee"]
    march, april = kinds["rent"]  # the pro-rata March, then April: the one month of advance
    assert (deposit.total, deposit.due_date, deposit.commission_bps) == (150_000, MAR15, 0)
    assert (fee.total, fee.due_date, fee.commission_bps) == (37_500, MAR15, 10_000)
    assert (
        deposit.reference == f"CAU-2026-03-{lease.pk:06d}" and fee.reference == f"FRA-2026-03-{lease.pk:06d}"
    )
    assert (march.total, april.total, april.due_date) == (43_871, 80_000, date(2026, 4, 5))
    assert [d.pk for d in move_in_invoice(lease)] == [deposit.pk, fee.pk, march.pk, april.pk]
    org = lease.organization
    rent_commission = domain.commission_of(43_871, 1000) + domain.commission_of(80_000, 1000)
    assert balance(org, "rent_receivable") == 150_000 + 37_500 + 43_871 + 80_000
    assert balance(org, "estate.deposits_held") == 150_000  # held for the tenant
    assert balance(org, "estate.commission") == 37_500 + rent_commission  # the fee is all the agency's
    assert owner_payable(lease) == 43_871 + 80_000 - rent_commission  # neither deposit nor fee
    check_ledger(org)


def test_paid_deposit_is_held_the_fee_is_commission_and_the_statement_has_neither(
    clock, manager, unit, tenant
):
    lease = signed(manager, unit, tenant)
    total = sum(d.total for d in move_in_invoice(lease))
    services.payment_record(actor=manager, lease=lease, amount=total, method="bank_transfer")
    lease.refresh_from_db()
    assert lease.deposit_paid == 150_000 and lease.credit == 0
    assert all(d.status == "paid" for d in move_in_invoice(lease))
    org = lease.organization
    assert balance(org, "rent_receivable") == 0 and balance(org, "estate.deposits_held") == 150_000
    figures = selectors.statement_figures(
        organization_id=org.pk, owner_id=lease.unit.property.owner_id, period=date(2026, 3, 1)
    )
    rent_commission = domain.commission_of(43_871, 1000) + domain.commission_of(80_000, 1000)
    assert figures["collected"] == 37_500 + 43_871 + 80_000  # no deposit
    assert figures["commission"] == 37_500 + rent_commission  # the fee: all commission
    assert (
        figures["collected"] - figures["commission"] == 43_871 + 80_000 - rent_commission
    )  # owner: rent only
    # receipts: the deposit's and the fee's are receipts, not rent receipts
    deposit = RentDue.objects.get(lease=lease, kind="deposit")
    assert deposit.quittance.snapshot["kind"] == "deposit"
    from apps.estate import documents

    pdf = documents.quittance_pdf(deposit.quittance)
    assert pdf.startswith(b"%PDF")


def test_receipt_template_says_deposit_and_fee_not_rent(clock, manager, unit, tenant):
    from django.template.loader import render_to_string
    from django.utils import translation

    lease = signed(manager, unit, tenant)
    services.payment_record(actor=manager, lease=lease, amount=187_500, method="bank_transfer")
    texts = {}
    for kind in ("deposit", "fee"):
        quittance = RentDue.objects.get(lease=lease, kind=kind).quittance
        with translation.override("fr"):
            texts[kind] = render_to_string(
                "estate/pdf/quittance.html",
                {"q": quittance, "s": quittance.snapshot, "total": "x", "rent": "x", "charges": "x"},
            )
    assert "Reçu — dépôt de garantie" in texts["deposit"] and "Quittance de loyer" not in texts["deposit"]
    assert "Reçu — frais d’agence" in texts["fee"] or "Reçu — frais d'agence" in texts["fee"]


def test_collection_rates_count_rent_only(clock, manager, unit, tenant):
    lease = signed(manager, unit, tenant, advance_months=0)
    board = selectors.dashboard(manager, today=date(2026, 3, 10))
    march = RentDue.objects.get(lease=lease, kind="rent")
    assert (board["expected"], board["collected"], board["dues_count"]) == (march.total, 0, 1)
    services.payment_record(actor=manager, lease=lease, amount=150_000, method="bank_transfer")
    board = selectors.dashboard(manager, today=date(2026, 3, 10))
    assert (board["collected"], board["rate"]) == (0, 0)  # the deposit paid is no rent collected


def test_write_off_of_an_open_deposit_due_reverses_with_the_mirror_legs(clock, manager, unit, tenant):
    lease = signed(manager, unit, tenant)
    org = lease.organization
    commission, owner = balance(org, "estate.commission"), owner_payable(lease)
    deposit = RentDue.objects.get(lease=lease, kind="deposit")
    services.payment_record(actor=manager, lease=lease, amount=40_000, method="bank_transfer", due=deposit)
    services.due_write_off(actor=manager, due=deposit)
    deposit.refresh_from_db()
    lease.refresh_from_db()
    assert deposit.status == "written_off" and lease.deposit_paid == 40_000
    assert balance(org, "estate.deposits_held") == 40_000  # only what was received
    assert (balance(org, "estate.commission"), owner_payable(lease)) == (commission, owner)
    check_ledger(org)


def test_settle_cancels_an_unpaid_deposit_due_so_the_deposit_never_pays_itself(clock, manager, unit, tenant):
    lease = signed(manager, unit, tenant, advance_months=0, agency_fee=0)
    services.deposit_record_offline(actor=manager, lease=lease, amount=50_000, reference="VIR")
    deposit = RentDue.objects.get(lease=lease, kind="deposit")
    assert (deposit.paid, deposit.status) == (50_000, "partially_paid")  # recorded on the due
    lease.refresh_from_db()
    assert lease.deposit_paid == 50_000
    services.lease_end(actor=manager, lease=lease, end_date=date(2026, 3, 31))
    settlement = services.deposit_settle(
        actor=manager, lease=lease, deductions=[{"label": "Loyer de mars", "amount": 20_000, "kind": "rent"}]
    )
    deposit.refresh_from_db()
    assert deposit.status == "written_off" and deposit.paid == 50_000
    assert (settlement.held, settlement.deducted, settlement.refund) == (50_000, 20_000, 30_000)
    march = RentDue.objects.get(lease=lease, kind="rent")
    assert march.paid == 20_000  # the deduction paid the rent, not the deposit due
    assert balance(lease.organization, "estate.deposits_held") == 0
    check_ledger(lease.organization)


@pytest.fixture
def sms():
    inbox = SmsInbox()
    identity.set_otp_sender(inbox)
    yield inbox
    identity.set_otp_sender(None)


def step_up(sms, user, intent, amount):
    """A refund needs the strong factor (identity, issue 16): the user's authenticator app."""
    from django.core.cache import cache

    from tests.helpers import enrol_totp, totp_code

    cache.clear()
    device = enrol_totp(user)
    challenge = identity.step_up_start(
        actor=user, action="payments.intent.refund", target=str(intent), amount=amount, currency="XOF"
    )
    return identity.step_up_verify(
        actor=user, challenge_id=challenge.challenge_id, code=totp_code(device)
    ).token


def pay_deposit_in_cash(manager, lease):
    deposit = RentDue.objects.get(lease=lease, kind="deposit")
    payment = services.payment_record(actor=manager, lease=lease, amount=150_000, method="cash", due=deposit)
    lease.refresh_from_db()
    assert lease.deposit_paid == 150_000 and lease.deposit_intent == payment.intent
    return payment


def test_a_refund_of_the_payment_that_paid_the_deposit_lowers_the_deposit_held(
    clock, manager, unit, tenant, sms, django_capture_on_commit_callbacks
):
    lease = signed(manager, unit, tenant, advance_months=0, agency_fee=0)
    payment = pay_deposit_in_cash(manager, lease)
    with django_capture_on_commit_callbacks(execute=True):
        payments.refund(
            actor=manager,
            intent=payment.intent,
            amount=60_000,
            reason="erreur de caisse",
            step_up_token=step_up(sms, manager, payment.intent, 60_000),
        )
    lease.refresh_from_db()
    deposit = RentDue.objects.get(lease=lease, kind="deposit")
    assert (lease.deposit_paid, deposit.paid, deposit.status) == (90_000, 90_000, "partially_paid")
    assert balance(lease.organization, "estate.deposits_held") == 150_000  # still owed, still held
    check_ledger(lease.organization)


def test_the_settlements_own_refund_un_allocates_nothing(
    clock, manager, unit, tenant, sms, django_capture_on_commit_callbacks
):
    lease = signed(manager, unit, tenant, advance_months=0, agency_fee=0)
    payment = pay_deposit_in_cash(manager, lease)
    services.payment_record(actor=manager, lease=lease, amount=43_871, method="bank_transfer")  # March
    services.lease_end(actor=manager, lease=lease, end_date=date(2026, 3, 31))
    with django_capture_on_commit_callbacks(execute=True):
        settlement = services.deposit_settle(
            actor=manager,
            lease=lease,
            deductions=[],
            step_up_token=step_up(sms, manager, payment.intent, 150_000),
        )
    assert settlement.refund == 150_000 and settlement.refund_reference not in ("", "offline")
    lease.refresh_from_db()
    deposit = RentDue.objects.get(lease=lease, kind="deposit")
    # the refund event came back through payments' PaymentRefunded: the deposit due stays paid
    assert (deposit.status, deposit.paid, lease.deposit_paid, lease.credit) == ("paid", 150_000, 0, 0)
    assert deposit.quittance.voided_at is None
    assert balance(lease.organization, "estate.deposits_held") == 0
    check_ledger(lease.organization)


def test_deposit_intent_goes_through_the_open_deposit_due(clock, manager, unit, tenant):
    lease = signed(manager, unit, tenant)
    info = services.deposit_intent(actor=manager, lease=lease)
    deposit = RentDue.objects.get(lease=lease, kind="deposit")
    assert (info.purpose.type, info.purpose.id, info.amount) == (
        "estate.RentDue",
        str(deposit.public_id),
        150_000,
    )


def test_imported_and_renewed_leases_get_no_move_in_dues(clock, manager, unit, tenant):
    imported = signed(manager, unit, tenant, start_date=date(2025, 6, 1), paid_up_to=date(2026, 2, 28))
    assert set(by_kind(imported)) == {"rent"} and move_in_invoice(imported) == []
    other = UnitFactory(property=unit.property)
    lease = signed(manager, other, UserFactory(), start_date=date(2026, 1, 1), advance_months=0)
    renewal = services.lease_renew(actor=manager, lease=lease, start_date=date(2026, 3, 15))
    assert set(by_kind(renewal)) == {"rent"}  # the deposit carries over, no new fee
    assert by_kind(renewal)["rent"][0].total == 80_000  # the renewal's first month is whole


def test_a_running_lease_entered_after_its_start_month_gets_none_unless_asked(clock, manager, unit, tenant):
    running = signed(manager, unit, tenant, start_date=date(2026, 1, 1), advance_months=0)
    assert set(by_kind(running)) == {"rent"} and move_in_invoice(running) == []
    other = UnitFactory(property=unit.property)
    forced = signed(
        manager, other, UserFactory(), start_date=date(2026, 1, 1), advance_months=0, move_in=True
    )
    assert {"deposit", "fee"} <= set(by_kind(forced))
    assert by_kind(forced)["deposit"][0].due_date == date(2026, 3, 10)  # the signing day, not the start


def test_the_month_end_run_is_unaffected(clock, manager, unit, tenant):
    lease = signed(manager, unit, tenant, advance_months=0)
    result = services.month_end_run(period=date(2026, 4, 1))
    assert result.created == 1
    april = RentDue.objects.get(lease=lease, kind="rent", period=date(2026, 4, 1))
    assert (april.total, april.due_date) == (80_000, date(2026, 4, 5))
    assert services.month_end_run(period=date(2026, 4, 1)).created == 0  # idempotent
    assert RentDue.objects.filter(lease=lease, kind="deposit").count() == 1


# --- the tenant's balance is the ledger's, whatever happens ----------------------------------------


OPEN = ["upcoming", "due", "partially_paid", "overdue"]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from(["part", "ahead", "refund", "month_end"]), st.integers(min_value=1, max_value=9)
        ),
        min_size=1,
        max_size=6,
    )
)
def test_any_parts_advances_and_refunds_keep_the_balance_equal_to_the_ledger(
    clock, sms, django_capture_on_commit_callbacks, steps
):
    with transaction.atomic():  # each example rolls back: lease numbers start again
        _parts_advances_refunds(sms, django_capture_on_commit_callbacks, steps)
        transaction.set_rollback(True)


def _parts_advances_refunds(sms, django_capture_on_commit_callbacks, steps):
    agency = OrganizationFactory(kind="agency")  # one lease per organization: exact
    manager = MembershipFactory(organization=agency, role="manager").user
    unit = UnitFactory(property=PropertyFactory(mandate=MandateFactory(agency=agency, commission_bps=800)))
    lease = make_lease(
        manager, unit, UserFactory(), start_date=MAR15, deposit_months=1, agency_fee=20_000, move_in=True
    )
    paid = []
    for kind, tenth in steps:
        if kind == "part":  # cash through payments, oldest due first (the deposit first)
            paid.append(
                services.payment_record(actor=manager, lease=lease, amount=tenth * 7_919, method="cash")
            )
        elif kind == "ahead":  # everything owed and a month more: tenant credit
            owed = sum(d.outstanding for d in RentDue.objects.filter(lease=lease, status__in=OPEN))
            services.payment_record(actor=manager, lease=lease, amount=owed + 80_000, method="bank_transfer")
        elif kind == "refund" and paid:  # payments refunds; its PaymentRefunded takes it back
            payment = paid.pop(0)
            amount = min(payment.amount, tenth * 5_000)
            with django_capture_on_commit_callbacks(execute=True):
                payments.refund(
                    actor=manager,
                    intent=payment.intent,
                    amount=amount,
                    reason="erreur",
                    step_up_token=step_up(sms, manager, payment.intent, amount),
                )
        elif kind == "month_end":  # the next months are issued and take the credit
            services.month_end_run(period=date(2026, 4 + tenth % 3, 1))
        assert balance(agency, "rent_receivable") == tenant_balance(agency)
    lease.refresh_from_db()
    held = sum(
        a.amount for d in RentDue.objects.filter(lease=lease, kind="deposit") for a in d.allocations.all()
    )
    assert lease.deposit_paid == held


# --- settings on every transport -------------------------------------------------------------------


def test_settings_page(clock, client, manager, agency):
    client.force_login(manager)
    page = client.get(reverse("manager:estate-settings"))
    assert (
        page.status_code == 200
        and "Au prorata" in page.content.decode()
        or "prorata" in page.content.decode()
    )
    response = client.post(
        reverse("manager:estate-settings"), {"organization": str(agency.pk), "first_period_rule": "next"}
    )
    assert response.status_code == 302
    assert EstateSettings.objects.get(organization=agency).first_period_rule == "next"
    dashboard = client.get(reverse("manager:estate-dashboard")).content.decode()
    assert reverse("manager:estate-settings") in dashboard


def test_settings_rest_and_graphql(clock, manager, agency, other_manager):
    client = bearer_client(manager)
    url = reverse("estate-settings", kwargs={"version": "v1"})
    assert client.get(url).json() == {"organization": str(agency.public_id), "first_period_rule": "prorata"}
    changed = client.patch(url, {"first_period_rule": "full"}, format="json")
    assert changed.status_code == 200 and changed.json()["first_period_rule"] == "full"
    bad = client.patch(url, {"first_period_rule": "weekly"}, format="json")
    assert bad.status_code == 400
    # another organization cannot read or change it
    other = bearer_client(other_manager)
    assert other.get(url, {"organization": str(agency.public_id)}).status_code == 404
    assert (
        other.patch(
            url, {"organization": str(agency.public_id), "first_period_rule": "next"}, format="json"
        ).status_code
        == 404
    )
    data = gql(
        client,
        'mutation { estateUpdateSettings(firstPeriodRule: "next") { settings { firstPeriodRule } errors { code } } }',
    )
    assert data["estateUpdateSettings"]["settings"]["firstPeriodRule"] == "next"
    read = gql(client, "{ estateSettings { organizationId firstPeriodRule } }")
    assert read["estateSettings"] == {"organizationId": str(agency.public_id), "firstPeriodRule": "next"}
    assert (
        gql(other, f'{{ estateSettings(organizationId: "{agency.public_id}") {{ firstPeriodRule }} }}')[
            "estateSettings"
        ]
        is None
    )


def test_lease_create_on_rest_and_graphql_takes_the_rule_and_the_floor(clock, manager, unit, tenant):
    client = bearer_client(manager)
    body = {
        "unit": str(unit.public_id),
        "tenants": [{"phone": str(tenant.phone), "full_name": tenant.full_name}],
        "start_date": "2026-03-15",
        "rent": 75000,
        "deposit_months": 1,
        "first_period_rule": "full",
        "min_part_payment": 15000,
    }
    created = client.post(reverse("estate-leases", kwargs={"version": "v1"}), body, format="json")
    assert created.status_code == 201, created.json()
    assert (
        created.json()["first_period_rule"] == "full"
        and created.json()["min_part_payment"]["amount"] == 15_000
    )
    dues = client.get(reverse("estate-dues", kwargs={"version": "v1"})).json()["results"]
    assert sorted(d["kind"] for d in dues) == ["deposit", "rent"]
    other = UnitFactory(property=unit.property)
    data = gql(
        client,
        """mutation($unit: UUID!, $phone: String!) { estateCreateLease(unitId: $unit,
        tenants: [{phone: $phone}], startDate: "2026-03-15", rent: 62000, firstPeriodRule: "next",
        minPartPayment: 10000) { lease { firstPeriodRule } errors { code field } } }""",
        {"unit": str(other.public_id), "phone": str(UserFactory().phone)},
    )
    assert data["estateCreateLease"]["lease"]["firstPeriodRule"] == "next"
    lease = Lease.objects.get(unit=other)
    assert lease.min_part_payment == 10_000
    assert not RentDue.objects.filter(lease=lease, period=date(2026, 3, 1), kind="rent").exists()
    graph_dues = gql(client, f'{{ estateDues(leaseId: "{lease.public_id}") {{ kind }} }}')["estateDues"]
    assert [d["kind"] for d in graph_dues] == ["rent"]

"""Statement import and matching (issue 16): MoMo merchant and bank statements (CSV,
camt.053) read into credit lines, matched to open dues, applied once; the review queue and
the learned rules."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.db import transaction
from django.db.models import F, Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.core.errors import NotFound
from apps.estate.errors import CurrencyNotSupported, InvalidState, StatementRefused
from apps.estate.models import RentDue, RentPayment, StatementImport, StatementLine, StatementRule
from apps.estate.services import statements
from apps.estate.services import statements_formats as formats
from apps.ledger import api as ledger
from tests.identity.factories import MembershipFactory, OrganizationFactory, UserFactory

from .conftest import make_lease
from .factories import MandateFactory, PropertyFactory, UnitFactory

DATA = Path(__file__).parent / "data"
TENANT_PHONE = "+2290197000011"
RELATIVE_PHONE = "+2290197000012"


def data(name: str) -> bytes:
    return (DATA / name).read_bytes()


def receivable(org) -> int:
    account = ledger.organization_account(organization=org.public_id, code="rent_receivable")
    return ledger.balance(account=account.public_id).posted


def check_ledger(org):
    """The organization's open dues less tenant credit are the ledger's rent receivable."""
    owed = (
        RentDue.objects.filter(organization=org)
        .exclude(status="written_off")
        .aggregate(left=Sum(F("total") - F("paid")))["left"]
        or 0
    )
    credit = sum(lease.credit for lease in org_leases(org))
    assert receivable(org) == owed - credit


def org_leases(org):
    from apps.estate.models import Lease

    return Lease.objects.filter(organization=org)


def momo_csv(*rows) -> bytes:
    """An MTN MoMo merchant export (French headers) with the given rows:
    (date, transaction id, phone, name, amount, message)."""
    lines = ["Date;ID de transaction;Type;Statut;De;Nom de l'expéditeur;Montant;Devise;Message"]
    for when, tx, phone, name, amount, message in rows:
        lines.append(f"{when};{tx};Transfert reçu;Réussi;{phone};{name};{amount};XOF;{message}")
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def tenant_p(db):
    return UserFactory(full_name="Brice Zinsou", phone=TENANT_PHONE)


@pytest.fixture
def lease_p(clock, manager, unit, tenant_p):
    """BAIL-2026-000001 (the agency's first lease of 2026): January to March due, 80 000 each."""
    return make_lease(manager, unit, tenant_p)


def run(manager, agency, content, fmt="mtn_momo", **kwargs):
    return statements.statement_import(
        actor=manager, organization_id=agency.pk, fmt=fmt, filename=f"releve.{fmt}", content=content, **kwargs
    )


# --- formats --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fmt, name, expected",
    [
        (
            "mtn_momo",
            "statement_mtn_momo.csv",
            [(4, date(2026, 3, 3), 80_000), (5, date(2026, 3, 4), 40_000)],
        ),
        (
            "moov_money",
            "statement_moov_money.csv",
            [(2, date(2026, 3, 2), 75_000), (3, date(2026, 3, 7), 25_000)],
        ),
        ("bank_csv", "statement_bank.csv", [(2, date(2026, 3, 1), 80_000), (4, date(2026, 3, 9), 150_000)]),
        ("camt053", "statement_camt053.xml", [(1, date(2026, 3, 4), 80_000), (3, date(2026, 3, 8), 45_000)]),
    ],
)
def test_each_format_reads_its_credit_lines(fmt, name, expected):
    parsed = formats.parse(data(name), fmt, "XOF")
    assert [(line.line, line.booked_on, line.amount) for line in parsed.lines] == expected
    assert parsed.currency == "XOF"
    assert parsed.skipped >= (0 if fmt == "moov_money" else 1)  # debits and failed transactions


def test_formats_keep_payer_reference_and_transaction_id():
    mtn = formats.parse(data("statement_mtn_momo.csv"), "mtn_momo", "XOF").lines[0]
    assert (mtn.transaction_id, mtn.payer_name, mtn.reference) == (
        "MP260303.0814.A10001",
        "ZINSOU Brice",
        "Loyer mars BAIL-2026-000001",
    )
    camt = formats.parse(data("statement_camt053.xml"), "camt053", "XOF").lines[0]
    assert (camt.transaction_id, camt.payer_name, camt.reference) == (
        "BOA260304000001",
        "ADJOVI KOFFI",
        "LOYER MARS BAIL-2026-000001",
    )
    bank = formats.parse(data("statement_bank.csv"), "bank_csv", "XOF").lines[0]
    assert "BAIL-2026-000001" in bank.label


@pytest.mark.parametrize(
    "text, currency, minor",
    [
        ("75 000", "XOF", 75_000),
        ("75.000", "XOF", 75_000),
        ("75000,00", "XOF", 75_000),
        ("1,250,000", "XOF", 1_250_000),
        ("+75 000 FCFA", "XOF", 75_000),
        ("12,50", "EUR", 1_250),
        ("1.234,56", "EUR", 123_456),
    ],
)
def test_amounts_become_minor_units(text, currency, minor):
    assert formats.parse_amount(text, currency) == minor


def test_a_fraction_of_a_franc_is_refused():
    with pytest.raises(ValueError):
        formats.parse_amount("75000,50", "XOF")


def test_camt053_with_a_dtd_or_entities_is_refused():
    bomb = b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]><Document>&a;</Document>'
    with pytest.raises(formats.StatementFileError) as refused:
        formats.parse(bomb, "camt053", "XOF")
    assert refused.value.errors[0]["field"] == "file"


# --- import: refusals, double imports, overlaps ----------------------------------------------------


def test_a_bad_line_refuses_the_whole_file_with_its_line_number(lease_p, manager, agency):
    content = momo_csv(
        ("03/03/2026", "T1", TENANT_PHONE, "Brice", "80 000", "loyer"),
        ("04/03/2026", "T2", TENANT_PHONE, "Brice", "quatre-vingt", "loyer"),
    )
    with pytest.raises(StatementRefused) as refused:
        run(manager, agency, content)
    message = str(refused.value.message)
    assert "Ligne 3" in message and "quatre-vingt" in message  # French by default, the file's line
    assert StatementImport.objects.count() == 0 and StatementLine.objects.count() == 0
    assert RentPayment.objects.count() == 0


def test_a_currency_the_organization_lacks_is_refused(lease_p, manager, agency):
    with pytest.raises(CurrencyNotSupported):
        run(manager, agency, data("statement_mtn_momo.csv"), currency="EUR")
    camt_eur = data("statement_camt053.xml").replace(b'Ccy="XOF"', b'Ccy="EUR"')
    with pytest.raises(CurrencyNotSupported):
        run(manager, agency, camt_eur, fmt="camt053")
    assert StatementImport.objects.count() == 0


def test_a_file_imported_twice_imports_nothing_the_second_time(lease_p, manager, agency):
    first = run(manager, agency, data("statement_mtn_momo.csv"))
    assert first.counts["new"] == 2 and not first.already_imported
    again = run(manager, agency, data("statement_mtn_momo.csv"))
    assert again.already_imported and again.counts["new"] == 0
    assert again.statement == first.statement
    assert StatementImport.objects.count() == 1 and StatementLine.objects.count() == 2
    assert RentPayment.objects.count() == 1


def test_a_line_in_two_overlapping_files_is_imported_once(lease_p, manager, agency):
    a = ("03/03/2026", "T1", RELATIVE_PHONE, "Rose", "30 000", "acompte")
    b = ("05/03/2026", "T2", RELATIVE_PHONE, "Rose", "20 000", "acompte")
    c = ("07/03/2026", "T3", RELATIVE_PHONE, "Rose", "10 000", "acompte")
    run(manager, agency, momo_csv(a, b))
    second = run(manager, agency, momo_csv(b, c))
    assert (second.counts["known"], second.counts["new"]) == (1, 1)
    assert sorted(StatementLine.objects.values_list("transaction_id", flat=True)) == ["T1", "T2", "T3"]


def test_lines_without_an_id_are_fingerprinted_by_date_amount_reference_and_phone(lease_p, manager, agency):
    header = "Date opération;Libellé;Référence;Débit;Crédit\n"
    one = "01/03/2026;VIR RECU ADJOVI;R1;;10.000\n"
    two = "02/03/2026;VIR RECU ADJOVI;R2;;10.000\n"
    run(manager, agency, (header + one + one).encode(), fmt="bank_csv")  # two equal transfers: two lines
    again = run(manager, agency, (header + one + one + two).encode(), fmt="bank_csv")
    assert (again.counts["known"], again.counts["new"]) == (2, 1)
    assert StatementLine.objects.count() == 3


def test_a_dry_run_writes_nothing_and_says_what_would_match(lease_p, manager, agency):
    result = run(manager, agency, data("statement_mtn_momo.csv"), dry_run=True)
    assert result.dry_run and result.counts["auto"] == 1
    assert result.lines[0]["outcome"] == "auto" and result.lines[0]["lease_reference"] == "BAIL-2026-000001"
    assert StatementImport.objects.count() == 0 and StatementLine.objects.count() == 0
    assert RentPayment.objects.count() == 0


# --- automatic matches -----------------------------------------------------------------------------


def test_a_strong_match_is_applied_the_due_paid_and_the_ledger_balanced(lease_p, manager, agency):
    result = run(manager, agency, data("statement_mtn_momo.csv"))
    assert result.counts == {
        "read": 2,
        "new": 2,
        "known": 0,
        "skipped": 2,
        "auto": 1,
        "review": 0,
        "unmatched": 1,  # a stranger's 40 000 « avance loyer »: no reference, no known phone
    }
    march = lease_p.dues.get(period=date(2026, 3, 1))
    assert (march.paid, march.status) == (80_000, "paid")
    payment = RentPayment.objects.get()
    assert (payment.method, payment.amount, payment.receipt_number[:6]) == ("momo_direct", 80_000, "RE2026")
    line = StatementLine.objects.get(transaction_id="MP260303.0814.A10001")
    assert (line.status, line.applied_amount, line.payer_phone) == ("matched", 80_000, TENANT_PHONE)
    assert line.parts.get().payment == payment
    check_ledger(agency)
    from apps.estate.services.ledgering import Accounts

    offline = Accounts().offline(agency.public_id, "XOF")  # the agency's own account: D 80 000
    assert ledger.balance(account=offline).posted == 80_000


def test_a_bank_transfer_naming_the_lease_is_applied_as_a_bank_transfer(lease_p, manager, agency):
    run(manager, agency, data("statement_camt053.xml"), fmt="camt053")
    payment = RentPayment.objects.get()
    assert (payment.method, payment.amount) == ("bank_transfer", 80_000)
    assert StatementLine.objects.get(amount=45_000).status == "unmatched"
    check_ledger(agency)


def test_two_lines_of_one_tenant_pay_two_months(lease_p, manager, agency):
    # the first takes March (its date), the second cannot take March again: January
    content = momo_csv(
        ("05/03/2026", "T1", TENANT_PHONE, "Brice", "80 000", ""),
        ("06/03/2026", "T2", TENANT_PHONE, "Brice", "80 000", "BAIL-2026-000001"),
    )
    result = run(manager, agency, content)
    assert result.counts["auto"] == 2
    assert RentPayment.objects.count() == 2
    paid = lease_p.dues.filter(status="paid").values_list("period", flat=True)
    assert sorted(paid) == [date(2026, 1, 1), date(2026, 3, 1)]
    check_ledger(agency)


# --- the review queue, rules ------------------------------------------------------------------------


def test_a_partial_match_waits_then_is_confirmed_and_the_rule_is_learned(lease_p, manager, agency):
    # a relative pays part of the rent, naming the lease: amount differs -> review
    partial = momo_csv(("04/03/2026", "R1", RELATIVE_PHONE, "Rose", "50 000", "pour BAIL-2026-000001"))
    result = run(manager, agency, partial)
    assert result.counts["review"] == 1 and RentPayment.objects.count() == 0
    line = StatementLine.objects.get()
    assert line.status == "review" and line.suggested_due.lease == lease_p
    statements.line_confirm(actor=manager, line=line)
    line.refresh_from_db()
    assert (line.status, line.applied_amount, line.decided_by) == ("confirmed", 50_000, manager)
    rule = StatementRule.objects.get()
    assert (rule.phone, rule.lease) == (RELATIVE_PHONE, lease_p)
    check_ledger(agency)
    # next import: the same relative, no reference, the exact amount still owed -> applied
    owed = lease_p.dues.get(pk=line.suggested_due_id)
    owed.refresh_from_db()
    following = momo_csv(("06/03/2026", "R2", RELATIVE_PHONE, "Rose", str(owed.outstanding), "loyer"))
    nxt = run(manager, agency, following)
    assert nxt.counts["auto"] == 1
    applied = StatementLine.objects.get(transaction_id="R2")
    assert applied.status == "matched" and "rule" in applied.reasons
    check_ledger(agency)


def test_a_removed_rule_is_no_longer_used(lease_p, manager, agency):
    run(manager, agency, momo_csv(("04/03/2026", "R1", RELATIVE_PHONE, "Rose", "50 000", "BAIL-2026-000001")))
    statements.line_confirm(actor=manager, line=StatementLine.objects.get())
    statements.rule_delete(actor=manager, rule=StatementRule.objects.get())
    nxt = run(manager, agency, momo_csv(("06/03/2026", "R2", RELATIVE_PHONE, "Rose", "35 000", "")))
    assert nxt.counts["unmatched"] == 1


def test_a_line_confirmed_twice_is_applied_once(lease_p, manager, agency):
    run(manager, agency, momo_csv(("04/03/2026", "R1", RELATIVE_PHONE, "Rose", "50 000", "BAIL-2026-000001")))
    line = StatementLine.objects.get()
    statements.line_confirm(actor=manager, line=line)
    with pytest.raises(InvalidState):
        statements.line_confirm(actor=manager, line=line)
    assert RentPayment.objects.count() == 1
    assert RentPayment.objects.get().idempotency_key == f"estate:statement-line:{line.public_id}:0"
    check_ledger(agency)


def test_the_database_refuses_a_second_payment_for_the_same_line(lease_p, manager, agency):
    """Even if the line's status were lost (put back to review), its payment's idempotency key
    is unique: the second application fails as a whole, nothing is applied twice."""
    from django.db import IntegrityError

    run(manager, agency, momo_csv(("04/03/2026", "R1", RELATIVE_PHONE, "Rose", "50 000", "BAIL-2026-000001")))
    line = StatementLine.objects.get()
    statements.line_confirm(actor=manager, line=line)
    StatementLine.objects.filter(pk=line.pk).update(status="review")
    with pytest.raises(IntegrityError):
        statements.line_confirm(actor=manager, line=line)
    assert RentPayment.objects.count() == 1 and line.parts.count() == 1
    check_ledger(agency)


def test_a_line_is_split_between_two_leases(lease_p, manager, agency, prop):
    other = make_lease(manager, UnitFactory(property=prop, label="B3"), UserFactory(), rent=40_000, charges=0)
    run(manager, agency, momo_csv(("04/03/2026", "S1", RELATIVE_PHONE, "Rose", "120 000", "deux loyers")))
    line = StatementLine.objects.get()
    a = lease_p.dues.get(period=date(2026, 1, 1))
    b = other.dues.get(period=date(2026, 1, 1))
    statements.line_confirm(actor=manager, line=line, parts=[(a, 80_000), (b, 40_000)])
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == ("paid", "paid")
    assert StatementRule.objects.filter(phone=RELATIVE_PHONE).count() == 2
    check_ledger(agency)


def test_parts_that_do_not_add_up_are_refused(lease_p, manager, agency):
    run(manager, agency, momo_csv(("04/03/2026", "S1", RELATIVE_PHONE, "Rose", "120 000", "")))
    line = StatementLine.objects.get()
    due = lease_p.dues.get(period=date(2026, 1, 1))
    with pytest.raises(Exception) as refused:
        statements.line_confirm(actor=manager, line=line, parts=[(due, 80_000)])
    assert getattr(refused.value, "field", "") == "parts"
    assert RentPayment.objects.count() == 0


def test_an_ignored_line_leaves_the_queue(lease_p, manager, agency):
    run(manager, agency, momo_csv(("04/03/2026", "I1", "+2290197000099", "X", "5 000", "remboursement")))
    line = StatementLine.objects.get()
    statements.line_ignore(actor=manager, line=line)
    line.refresh_from_db()
    assert line.status == "ignored"
    from apps.estate import selectors

    assert not selectors.statement_review_for(manager).exists()


def test_another_organization_cannot_import_or_confirm(lease_p, manager, agency, other_manager, other_agency):
    with pytest.raises(NotFound):
        run(other_manager, agency, data("statement_mtn_momo.csv"))
    run(manager, agency, momo_csv(("04/03/2026", "R1", RELATIVE_PHONE, "Rose", "50 000", "BAIL-2026-000001")))
    line = StatementLine.objects.get()
    with pytest.raises(NotFound):
        statements.line_confirm(actor=other_manager, line=line)
    from apps.estate import selectors

    assert not selectors.statement_lines_for(other_manager).exists()
    assert not selectors.statement_rules_for(other_manager).exists()


def test_a_viewer_cannot_import(lease_p, agency):
    from apps.core.errors import Forbidden

    viewer = MembershipFactory(organization=agency, role="viewer").user
    with pytest.raises(Forbidden):
        run(viewer, agency, data("statement_mtn_momo.csv"))


# --- property: each line applied at most once, nothing lost ----------------------------------------


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rents=st.lists(st.integers(min_value=1, max_value=9), min_size=1, max_size=3),
    lines=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=3),  # whose phone (3: a stranger)
            st.sampled_from([10_000, 20_000, 30_000, 40_000, 90_000]),
            st.booleans(),  # names the lease
            st.integers(min_value=1, max_value=9),  # day of March
        ),
        min_size=1,
        max_size=8,
    ),
    confirm=st.booleans(),
)
def test_any_statement_applies_each_line_at_most_once_and_loses_nothing(db, clock, rents, lines, confirm):
    with transaction.atomic():  # each example rolls back
        _property(rents, lines, confirm)
        transaction.set_rollback(True)


def _property(rents, lines, confirm):
    agency = OrganizationFactory(kind="agency")
    manager = MembershipFactory(organization=agency, role="manager").user
    accountant = MembershipFactory(organization=agency, role="accountant").user  # imports, confirms
    prop = PropertyFactory(
        mandate=MandateFactory(agency=agency, commission_bps=1000, start_date=date(2025, 1, 1))
    )
    phones = [f"+22901970010{i:02d}" for i in range(4)]
    leases = [
        make_lease(
            manager,
            UnitFactory(property=prop, label=f"U{i}"),
            UserFactory(phone=phones[i]),
            rent=rent * 10_000,
            charges=0,
            deposit_months=0,
        )
        for i, rent in enumerate(rents)
    ]
    rows = []
    for n, (who, amount, names, day) in enumerate(lines):
        lease = leases[who] if who < len(leases) else None
        reference = lease.reference if (names and lease) else ""
        rows.append((f"{day:02d}/03/2026", f"P{n}", phones[who], "Payeur", str(amount), reference))
    result = run(accountant, agency, momo_csv(*rows))
    if confirm:
        for line in StatementLine.objects.filter(status="review", suggested_due__isnull=False):
            statements.line_confirm(actor=accountant, line=line)
            with pytest.raises(InvalidState):
                statements.line_confirm(actor=accountant, line=line)
    credits = sum(int(r[4]) for r in rows)
    assert result.total == credits
    all_lines = list(StatementLine.objects.filter(organization=agency))
    applied = sum(line.applied_amount for line in all_lines)
    unapplied = sum(line.amount for line in all_lines if line.status not in ("matched", "confirmed"))
    assert applied + unapplied == credits
    for line in all_lines:
        payments = RentPayment.objects.filter(
            idempotency_key__startswith=f"estate:statement-line:{line.public_id}:"
        )
        assert sum(p.amount for p in payments) == line.applied_amount
        assert payments.count() == (1 if line.status in ("matched", "confirmed") else 0)
    assert sum(p.amount for p in RentPayment.objects.filter(organization=agency)) == applied
    check_ledger(agency)

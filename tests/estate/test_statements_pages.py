"""Statement import pages (/manager/estate/bank/…): preview then import, the import's page,
the review queue with one-click confirm, a line's page (another due, split, ignore), the
rules; French first; another agency gets 404s; lists have a query ceiling."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.estate.models import RentPayment, StatementImport, StatementLine, StatementRule
from tests.identity.factories import MembershipFactory, UserFactory

from .conftest import make_lease
from .factories import UnitFactory
from .test_statements import RELATIVE_PHONE, TENANT_PHONE, data, momo_csv


@pytest.fixture
def lease_p(clock, manager, unit):
    return make_lease(manager, unit, UserFactory(full_name="Brice Zinsou", phone=TENANT_PHONE))


@pytest.fixture
def signed_in(client, manager):
    client.force_login(manager)
    return client


def preview(client, content: bytes, fmt="mtn_momo"):
    from apps.estate.models import Lease

    organization = Lease.objects.first().organization_id
    return client.post(
        reverse("manager:estate-bank-import"),
        {
            "organization": str(organization),
            "format": fmt,
            "file": SimpleUploadedFile("releve.csv", content, content_type="text/csv"),
        },
    )


def test_preview_then_import(lease_p, signed_in):
    page = preview(signed_in, data("statement_mtn_momo.csv"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Aperçu : rien n'est encore enregistré" in html.replace("&#x27;", "'")
    assert "seront appliquées automatiquement" in html
    assert "BAIL-2026-000001" in html
    assert StatementImport.objects.count() == 0  # the preview writes nothing
    key = page.context["result"].preview_key
    done = signed_in.post(reverse("manager:estate-bank-import"), {"preview": key})
    assert done.status_code == 302
    statement = StatementImport.objects.get()
    assert done["Location"] == reverse("manager:estate-bank-import-detail", args=[statement.public_id])
    detail = signed_in.get(done["Location"])
    assert detail.status_code == 200 and "80 000" in detail.content.decode().replace("\u202f", " ")
    assert RentPayment.objects.get().method == "momo_direct"
    again = signed_in.post(reverse("manager:estate-bank-import"), {"preview": key})  # replayed POST
    assert again.status_code == 302 and StatementImport.objects.count() == 1


def test_a_bad_file_is_a_form_error_in_french(lease_p, signed_in):
    page = preview(signed_in, momo_csv(("03/03/2026", "T", TENANT_PHONE, "B", "abc", "")))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Ligne 2" in html and "rien n&#x27;a été importé" in html


def test_review_queue_one_click_confirm_and_rules(lease_p, signed_in, manager, django_assert_max_num_queries):
    rows = [
        (f"0{day}/03/2026", f"R{day}", RELATIVE_PHONE, "Rose", f"{day}0 000", "pour BAIL-2026-000001")
        for day in range(1, 6)
    ]
    from apps.estate.services import statements

    statements.statement_import(
        actor=manager,
        organization_id=lease_p.organization_id,
        fmt="mtn_momo",
        filename="r.csv",
        content=momo_csv(*rows),
    )
    with django_assert_max_num_queries(25):
        queue = signed_in.get(reverse("manager:estate-bank-review"))
    html = queue.content.decode()
    assert queue.status_code == 200 and html.count('data-testid="statement-review-line"') == 5
    assert "Confirmer" in html
    line = StatementLine.objects.order_by("booked_on").first()
    confirmed = signed_in.post(
        reverse("manager:estate-bank-line", args=[line.public_id]), {"action": "confirm"}
    )
    assert confirmed.status_code == 302
    line.refresh_from_db()
    assert line.status == "confirmed" and RentPayment.objects.count() == 1
    # a double click: nothing more is applied, the page says so
    twice = signed_in.post(
        reverse("manager:estate-bank-line", args=[line.public_id]), {"action": "confirm"}, follow=True
    )
    assert "déjà rapprochée" in twice.content.decode() and RentPayment.objects.count() == 1
    with django_assert_max_num_queries(25):
        rules = signed_in.get(reverse("manager:estate-bank-rules"))
    assert RELATIVE_PHONE in rules.content.decode()
    rule = StatementRule.objects.get()
    assert (
        signed_in.post(reverse("manager:estate-bank-rule-delete", args=[rule.public_id])).status_code == 302
    )
    assert not StatementRule.objects.exists()


def test_line_page_split_and_ignore(lease_p, signed_in, manager, prop):
    other = make_lease(manager, UnitFactory(property=prop, label="B9"), UserFactory(), rent=40_000, charges=0)
    from apps.estate.services import statements

    statements.statement_import(
        actor=manager,
        organization_id=lease_p.organization_id,
        fmt="mtn_momo",
        filename="r.csv",
        content=momo_csv(
            ("04/03/2026", "S1", RELATIVE_PHONE, "Rose", "120 000", "deux loyers"),
            ("05/03/2026", "S2", "+2290197000077", "X", "3 000", "remboursement"),
        ),
    )
    split, ignore = StatementLine.objects.order_by("booked_on")
    page = signed_in.get(reverse("manager:estate-bank-line", args=[split.public_id]))
    assert page.status_code == 200 and "Répartir" in page.content.decode()
    a = lease_p.dues.get(period=date(2026, 1, 1))
    b = other.dues.get(period=date(2026, 1, 1))
    done = signed_in.post(
        reverse("manager:estate-bank-line", args=[split.public_id]),
        {
            "action": "split",
            "due_1": str(a.public_id),
            "amount_1": "80000",
            "due_2": str(b.public_id),
            "amount_2": "40000",
        },
    )
    assert done.status_code == 302
    split.refresh_from_db()
    assert split.status == "confirmed" and split.parts.count() == 2
    signed_in.post(reverse("manager:estate-bank-line", args=[ignore.public_id]), {"action": "ignore"})
    ignore.refresh_from_db()
    assert ignore.status == "ignored"


def test_another_agency_and_a_viewer_get_404(lease_p, client, manager, other_manager, agency):
    from apps.estate.services import statements

    statements.statement_import(
        actor=manager,
        organization_id=agency.pk,
        fmt="mtn_momo",
        filename="r.csv",
        content=momo_csv(("04/03/2026", "R1", RELATIVE_PHONE, "Rose", "50 000", "BAIL-2026-000001")),
    )
    line = StatementLine.objects.get()
    client.force_login(other_manager)
    assert client.get(reverse("manager:estate-bank-line", args=[line.public_id])).status_code == 404
    assert (
        client.get(reverse("manager:estate-bank-import-detail", args=[line.statement.public_id])).status_code
        == 404
    )
    assert (
        client.post(
            reverse("manager:estate-bank-line", args=[line.public_id]), {"action": "confirm"}
        ).status_code
        == 404
    )
    assert RELATIVE_PHONE not in client.get(reverse("manager:estate-bank-review")).content.decode()
    viewer = MembershipFactory(organization=agency, role="viewer").user
    client.force_login(viewer)
    assert client.get(reverse("manager:estate-bank-import")).status_code == 404
    assert client.get(reverse("manager:estate-bank-line", args=[line.public_id])).status_code == 404

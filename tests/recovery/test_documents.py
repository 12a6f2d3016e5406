"""The formal notice (mise en demeure) PDF: French wording, number, amounts, deadline, the
law of the country, the pay link; English as a labelled courtesy translation."""

import io
import re
import uuid
from datetime import date

import pytest
from pypdf import PdfReader

from apps.recovery.documents import DEFAULT_LAW, formal_notice_pdf, law_for
from apps.recovery.models import Case, FormalNotice
from tests.identity.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

DUES = [
    {"period": "2026-01-01", "due_date": "2026-01-05", "total": 75_000, "paid": 0, "outstanding": 75_000},
    {
        "period": "2026-02-01",
        "due_date": "2026-02-05",
        "total": 75_000,
        "paid": 25_000,
        "outstanding": 50_000,
    },
    {"period": "2026-03-01", "due_date": "2026-03-05", "total": 25_000, "paid": 0, "outstanding": 25_000},
]


def _text(pdf: bytes) -> str:
    """The PDF's text with every kind of space (babel's narrow no-break space included) and
    line break folded into one plain space."""
    assert pdf.startswith(b"%PDF")
    text = " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"[\s\u00a0\u202f]+", " ", text)


def _notice(country: str = "BJ", number: str = "MED-2026-0007", city: str = "Cotonou") -> FormalNotice:
    org = OrganizationFactory(name="Agence Les Cocotiers", city=city)
    case = Case.objects.create(
        organization=org,
        lease=uuid.uuid4(),
        lease_reference="BAIL-2025-0042",
        tenant_name="Brice Zinsou",
        tenant_phone="+2290161000001",
        owner=uuid.uuid4(),
        property=uuid.uuid4(),
        property_name="Résidence Les Palmiers",
        unit=uuid.uuid4(),
        unit_label="A2",
        city=city,
        neighbourhood="Fidjrossè",
        currency="XOF",
        amount_at_open=75_000,
        amount_owed=150_000,
        oldest_due_date=date(2026, 1, 5),
        token="tok-" + uuid.uuid4().hex[:20],
        opened_on=date(2026, 1, 11),
    )
    return FormalNotice.objects.create(
        case=case,
        organization=org,
        number=number,
        issued_on=date(2026, 4, 2),
        pay_by=date(2026, 4, 10),
        amount=150_000,
        currency="XOF",
        country=country,
        dues=DUES,
    )


def test_benin_notice_in_french():
    notice = _notice("BJ")
    text = _text(formal_notice_pdf(notice))

    assert "Mise en demeure de payer" in text or "MISE EN DEMEURE DE PAYER" in text
    assert "MED-2026-0007" in text
    assert "Brice Zinsou" in text and "Résidence Les Palmiers" in text and "A2" in text
    assert "Agence Les Cocotiers" in text
    assert "Fait à Cotonou, le 2 avril 2026" in text
    # the dues, the total in the French format, the deadline
    assert "janvier 2026" in text and "février 2026" in text and "mars 2026" in text
    assert "50 000 FCFA" in text and "25 000 FCFA" in text
    assert "la somme de 150 000 FCFA dans un délai de 8 jours" in text
    assert "au plus tard le 10 avril 2026" in text
    # the law of Benin, and what follows a refusal to pay
    assert "loi n° 2018-12 du 2 juillet 2018" in text
    assert "bail à usage d'habitation domestique en République du Bénin" in text
    assert "2019-576" not in text
    assert "huissier de justice" in text and "résiliation du bail" in text and "expulsion" in text
    assert "frais" in text and "à votre charge" in text
    # the pay link of the debtor portal, also as a QR code
    assert f"/recover/{notice.case.token}/" in text
    assert "Courtesy translation" not in text


def test_cote_d_ivoire_cites_the_construction_and_housing_code():
    text = _text(formal_notice_pdf(_notice("CI", number="MED-2026-0012", city="Abidjan")))

    assert "MED-2026-0012" in text
    assert "loi n° 2019-576 du 26 juin 2019" in text
    assert "Code de la Construction et de l'Habitat" in text
    assert "2018-12" not in text
    assert "Fait à Abidjan, le 2 avril 2026" in text
    assert "150 000 FCFA" in text


def test_other_countries_get_the_civil_code_wording():
    assert law_for("TG") == DEFAULT_LAW
    text = _text(formal_notice_pdf(_notice("TG", number="MED-2026-0001", city="Lomé")))
    assert "Code civil" in text
    assert "2018-12" not in text and "2019-576" not in text


def test_english_is_a_labelled_courtesy_translation():
    text = _text(formal_notice_pdf(_notice("BJ"), language="en"))

    assert "Courtesy translation" in text and "French version" in text and "legally binding" in text
    assert "Formal notice to pay" in text or "FORMAL NOTICE TO PAY" in text
    assert "150,000 FCFA within 8 days" in text
    assert "April 10, 2026" in text
    # the law keeps its French title
    assert "loi n° 2018-12 du 2 juillet 2018" in text
    assert "eviction" in text and "termination of the lease" in text

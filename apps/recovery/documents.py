"""The formal notice (mise en demeure de payer) as a PDF, rendered with WeasyPrint like
estate's documents: an HTML + CSS template, French by default, with the debtor portal's
link as a QR code.

French is the legal language of the notice. `language="en"` renders a courtesy
translation, labelled as such. The wording lives here, per language and per country, and
not in the translation catalogue: a legal text must not change because a translator
rephrased a shared message id."""

from __future__ import annotations

import io
from datetime import date

from babel.dates import format_date
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from apps.core.money import format_amount
from apps.identity import api as identity

from .models import FormalNotice
from .services.common import portal_url

TEMPLATE = "recovery/pdf/formal_notice.html"

# The law governing residential leases, per country, cited in the notice (French titles).
LAWS = {
    "BJ": (
        "la loi n° 2018-12 du 2 juillet 2018 portant régime juridique du bail à usage "
        "d'habitation domestique en République du Bénin, telle que modifiée"
    ),
    "CI": (
        "la loi n° 2019-576 du 26 juin 2019 instituant Code de la Construction et de "
        "l'Habitat (livre 2, bail à usage d'habitation, articles 408 et suivants)"
    ),
}
# Other OHADA countries: the civil code and the lease.
DEFAULT_LAW = "les dispositions du Code civil applicables au louage de choses et les stipulations du bail"

COUNTRY_NAMES = {
    "fr": {"BJ": "Bénin", "CI": "Côte d'Ivoire", "TG": "Togo", "SN": "Sénégal", "BF": "Burkina Faso"},
    "en": {"BJ": "Benin", "CI": "Côte d'Ivoire", "TG": "Togo", "SN": "Senegal", "BF": "Burkina Faso"},
}

WORDING = {
    "fr": {
        "title": "Mise en demeure de payer",
        "courtesy": "",
        "number": "N°",
        "issued": "Fait à {city}, le {date}",
        "to": "À l'attention de",
        "from": "Le bailleur, représenté par",
        "lease": "Bail",
        "subject": "Objet : mise en demeure de payer des loyers impayés",
        "salutation": "Madame, Monsieur,",
        "intro": (
            "Sauf erreur de notre part, et malgré nos précédentes relances, les sommes "
            "suivantes dues au titre du bail du logement que vous occupez restent impayées :"
        ),
        "col_period": "Période",
        "col_due_date": "Échéance",
        "col_total": "Montant",
        "col_paid": "Payé",
        "col_outstanding": "Reste dû",
        "total": "Total réclamé",
        "demand": (
            "En conséquence, nous vous mettons en demeure, par la présente, de nous régler la "
            "somme de {amount} dans un délai de {days} jours à compter de la date de la "
            "présente, soit au plus tard le {pay_by}."
        ),
        "law": "La présente mise en demeure vous est adressée en application de {law}.",
        "consequence": (
            "À défaut de paiement dans ce délai, le bailleur pourra, sans autre avis, saisir la "
            "juridiction compétente ou mandater un huissier de justice (commissaire de justice) "
            "afin d'obtenir le paiement des sommes dues, la résiliation du bail et votre "
            "expulsion ainsi que celle de tous occupants de votre chef. Les frais de procédure "
            "et de recouvrement seront à votre charge dans les conditions prévues par la loi."
        ),
        "arrangement": (
            "Si vous rencontrez des difficultés, vous pouvez proposer une date de paiement ou "
            "un échéancier sur la page ci-dessous, avant la date limite."
        ),
        "pay": "Payer ou proposer un arrangement",
        "pay_help": "Scannez le code QR ou ouvrez le lien (Mobile Money MTN, Moov, carte) :",
        "closing": (
            "Si vous avez réglé ces sommes entre-temps, nous vous prions de ne pas tenir "
            "compte de la présente. Veuillez agréer, Madame, Monsieur, nos salutations distinguées."
        ),
        "signature": "Pour le bailleur",
    },
    "en": {
        "title": "Formal notice to pay",
        "courtesy": (
            "Courtesy translation. The French version of this formal notice (mise en demeure) "
            "is the only one that is legally binding."
        ),
        "number": "No.",
        "issued": "{city}, {date}",
        "to": "To",
        "from": "The landlord, represented by",
        "lease": "Lease",
        "subject": "Subject: formal notice to pay unpaid rent",
        "salutation": "Dear Sir or Madam,",
        "intro": (
            "Unless we are mistaken, and despite our earlier reminders, the following sums owed "
            "under the lease of the home you occupy remain unpaid:"
        ),
        "col_period": "Period",
        "col_due_date": "Due date",
        "col_total": "Amount",
        "col_paid": "Paid",
        "col_outstanding": "Still owed",
        "total": "Total claimed",
        "demand": (
            "We therefore formally demand that you pay us the sum of {amount} within {days} "
            "days of the date of this notice, that is by {pay_by} at the latest."
        ),
        "law": "This formal notice is sent to you under {law} (French title).",
        "consequence": (
            "Failing payment within this period, the landlord may, without further notice, "
            "bring the matter before the competent court or instruct a bailiff (huissier de "
            "justice / commissaire de justice) to obtain payment of the sums owed, the "
            "termination of the lease and the eviction of you and of anyone occupying the home "
            "through you. The costs of the proceedings and of recovery will be charged to you "
            "as the law provides."
        ),
        "arrangement": (
            "If you are in difficulty, you may propose a payment date or a payment plan on the "
            "page below, before the deadline."
        ),
        "pay": "Pay or propose an arrangement",
        "pay_help": "Scan the QR code or open the link (MTN or Moov Mobile Money, card):",
        "closing": (
            "If you have paid these sums in the meantime, please disregard this notice. Yours faithfully,"
        ),
        "signature": "For the landlord",
    },
}


def law_for(country: str) -> str:
    """The law cited for a country (French title); generic civil-code wording otherwise."""
    return LAWS.get((country or "").upper(), DEFAULT_LAW)


def qr_svg(text: str) -> str:
    """An inline SVG QR code (the qrcode library, as payments and estate use)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg") :]


def long_date(value: date | str | None, language: str) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return format_date(value, "long", locale=language)


def period_label(value: date | str, language: str) -> str:
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return format_date(value, "MMMM y", locale=language)


def render_pdf(template: str, context: dict, *, language: str = "fr") -> bytes:
    from weasyprint import HTML

    with translation.override(language):
        html = render_to_string(template, {**context, "LANGUAGE": language})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def formal_notice_context(notice: FormalNotice, *, language: str = "fr") -> dict:
    language = "en" if language.startswith("en") else "fr"
    words = WORDING[language]
    case = notice.case
    org = identity.get_organization(id=notice.organization_id)
    cur = notice.currency
    dues = []
    for due in notice.dues or []:
        total, paid = int(due.get("total", 0)), int(due.get("paid", 0))
        outstanding = int(due.get("outstanding", total - paid))
        dues.append(
            {
                "period": period_label(due["period"], language),
                "due_date": long_date(due.get("due_date"), language),
                "total": format_amount(total, cur, language),
                "paid": format_amount(paid, cur, language),
                "outstanding": format_amount(outstanding, cur, language),
            }
        )
    days = max(0, (notice.pay_by - notice.issued_on).days)
    amount = format_amount(notice.amount, cur, language)
    pay_by = long_date(notice.pay_by, language)
    url = portal_url(case)
    city = org.city or case.city
    law = law_for(notice.country)
    return {
        "t": words,
        "notice": notice,
        "case": case,
        "org": org,
        "country_name": COUNTRY_NAMES[language].get(notice.country, notice.country),
        "issued": words["issued"].format(city=city, date=long_date(notice.issued_on, language)),
        "dues": dues,
        "amount": amount,
        "pay_by": pay_by,
        "demand": words["demand"].format(amount=amount, days=days, pay_by=pay_by),
        "law": words["law"].format(law=law),
        "pay_url": url,
        "qr": qr_svg(url),
    }


def formal_notice_pdf(notice: FormalNotice, *, language: str = "fr") -> bytes:
    """The mise en demeure of `notice` as PDF bytes (French; "en" = courtesy translation)."""
    context = formal_notice_context(notice, language=language)
    return render_pdf(TEMPLATE, context, language="en" if language.startswith("en") else "fr")

"""The slots of a message: amounts, phone numbers, places, rooms, budgets, dates, breakdowns,
and the language it is written in."""

from datetime import date

import pytest

from apps.ai.nlu.slots import ISSUE_KINDS, Slots, detect_language, extract

TODAY = date(2025, 12, 10)  # a Wednesday


def slots(text, **kwargs):
    return extract(text, language="fr", today=TODAY, **kwargs)


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("envoie 5000 au 97000000", 5000),
        ("transfere 50 000 a maman", 50_000),
        ("50.000 F", 50_000),
        ("50 000 FCFA", 50_000),
        ("50\u202f000 F CFA", 50_000),
        ("50,000 xof", 50_000),
        ("envoie 50k", 50_000),
        ("1,5 million", 1_500_000),
        ("2.5k", 2_500),
        ("1 250 000 francs", 1_250_000),
        ("cinquante mille", 50_000),
        ("vingt-cinq mille francs", 25_000),
        ("deux cent mille", 200_000),
        ("quatre-vingt-dix mille", 90_000),
        ("soixante-quinze mille", 75_000),
        ("un million", 1_000_000),
        ("cent mille", 100_000),
        ("fifty thousand", 50_000),
        ("send two hundred thousand", 200_000),
        ("je paye 50000 le 12", 50_000),
        ("500 F", 500),
    ],
)
def test_amounts(text, amount):
    assert slots(text).amount == amount


@pytest.mark.parametrize(
    "text",
    [
        "je vais payer le 15",
        "2 chambres salon",
        "dans 3 jours",
        "visite a 10h",
        "15/12",
        "decembre 2025",
        "un studio",
        "envoie au 0197000000",
        "",
    ],
)
def test_no_amount_where_there_is_none(text):
    assert slots(text).amount is None


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("envoie 5000 au 97000000", "+2290197000000"),  # Benin's former 8 digits
        ("97 00 00 00", "+2290197000000"),
        ("+229 97 00 00 00", "+2290197000000"),
        ("transfere a +229 01 96 00 00 00", "+2290196000000"),
        ("au 01.96.00.00.00", "+2290196000000"),
        ("00229 0196000000", "+2290196000000"),
        ("send to +225 07 08 09 10 11", "+2250708091011"),
        ("0707070707", "+2250707070707"),  # Côte d'Ivoire's 10 digits (07: Orange)
        ("05-05-05-05-05", "+2250505050505"),
        ("66 12 34 56", "+2290166123456"),
    ],
)
def test_phone_numbers_are_e164(text, phone):
    assert slots(text).phone == phone


def test_a_10_digit_01_number_follows_the_country():
    assert slots("0102030405", country="CI").phone == "+2250102030405"
    assert slots("0197000000", country="BJ").phone == "+2290197000000"


@pytest.mark.parametrize("text", ["envoie 5000", "le 15/12/2025", "12345", "appelle le 123"])
def test_no_phone_where_there_is_none(text):
    assert slots(text).phone is None


@pytest.mark.parametrize(
    ("text", "city", "neighbourhood"),
    [
        ("je cherche a Cotonou", "Cotonou", None),
        ("un appart a cotonu", "Cotonou", None),  # a typo
        ("maison a porto novo", "Porto-Novo", None),
        ("Porto-Novo", "Porto-Novo", None),
        ("studio a calavi", "Abomey-Calavi", None),
        ("Abomey-Calavi", "Abomey-Calavi", None),
        ("parakou", "Parakou", None),
        ("Abidjan", "Abidjan", None),
        ("abidjn", "Abidjan", None),
        ("Bouaké", "Bouaké", None),
        ("bouake", "Bouaké", None),
        ("yamoussoukro", "Yamoussoukro", None),
        ("yamousoukro", "Yamoussoukro", None),
        ("studio a fidjrosse", "Cotonou", "Fidjrossè"),
        ("Fidjrossè", "Cotonou", "Fidjrossè"),
        ("chambre a godomey", "Abomey-Calavi", "Godomey"),
        ("appart a cocody riviera", "Abidjan", "Cocody"),
        ("yopougon", "Abidjan", "Yopougon"),
        ("akpakpa, cotonou", "Cotonou", "Akpakpa"),
        ("haie vive", "Cotonou", "Haie Vive"),
        ("combien je dois", None, None),
    ],
)
def test_places(text, city, neighbourhood):
    found = slots(text)
    assert (found.city, found.neighbourhood) == (city, neighbourhood)


@pytest.mark.parametrize(
    ("text", "rooms", "kind"),
    [
        ("2 chambres", 2, None),
        ("appart 3 chambres", 3, "apartment"),
        ("3 pièces", 3, None),
        ("maison 4 pieces", 4, "house"),
        ("un studio", 1, "studio"),
        ("chambre salon a akpakpa", 1, "chambre_salon"),
        ("2 chambres salon", 2, "chambre_salon"),
        ("entrer coucher a godomey", 1, "entrer_coucher"),
        ("deux chambres", 2, None),
        ("two bedroom flat", 2, "apartment"),
        ("villa", None, "villa"),
        ("combien je dois", None, None),
    ],
)
def test_rooms_and_kinds(text, rooms, kind):
    found = slots(text)
    assert (found.rooms, found.listing_kind) == (rooms, kind)


@pytest.mark.parametrize(
    ("text", "budget", "amount"),
    [
        ("studio moins de 80 000", 80_000, 80_000),
        ("appart max 80k", 80_000, 80_000),
        ("budget 150 000", 150_000, 150_000),
        ("pas plus de cent mille", 100_000, 100_000),
        ("a flat under 60,000", 60_000, 60_000),
        ("up to 200k", 200_000, 200_000),
        ("un studio a 50 000", None, 50_000),
        ("2 chambres a cotonou", None, None),
    ],
)
def test_budgets(text, budget, amount):
    found = slots(text)
    assert (found.budget, found.amount) == (budget, amount)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("je paie demain", date(2025, 12, 11)),
        ("apres-demain", date(2025, 12, 12)),
        ("aujourd'hui", TODAY),
        ("samedi", date(2025, 12, 13)),
        ("je paie mercredi", date(2025, 12, 17)),  # the next Wednesday, never today
        ("lundi", date(2025, 12, 15)),
        ("le 15", date(2025, 12, 15)),
        ("je vais payer le 5", date(2026, 1, 5)),  # the 5th has passed: next month's
        ("le 10", TODAY),
        ("15/12", date(2025, 12, 15)),
        ("le 3/01", date(2026, 1, 3)),
        ("15/12/2026", date(2026, 12, 15)),
        ("15-01-26", date(2026, 1, 15)),
        ("fin du mois", date(2025, 12, 31)),
        ("a la fin de mois", date(2025, 12, 31)),
        ("debut du mois prochain", date(2026, 1, 1)),
        ("le 5 du mois prochain", date(2026, 1, 5)),
        ("la semaine prochaine", date(2025, 12, 15)),
        ("dans 3 jours", date(2025, 12, 13)),
        ("dans 2 semaines", date(2025, 12, 24)),
        ("le 25 décembre", date(2025, 12, 25)),
        ("1er janvier", date(2026, 1, 1)),
        ("tomorrow", date(2025, 12, 11)),
        ("on saturday", date(2025, 12, 13)),
        ("next friday", date(2025, 12, 12)),
        ("on the 20th", date(2025, 12, 20)),
        ("end of the month", date(2025, 12, 31)),
        ("in 5 days", date(2025, 12, 15)),
        ("december 24", date(2025, 12, 24)),
        ("24th of december", date(2025, 12, 24)),
        ("combien je dois", None),
        ("2 chambres", None),
        ("le 3 pieces", None),
    ],
)
def test_dates_relative_to_today(text, expected):
    assert slots(text).date == expected


def test_dates_at_the_end_of_a_month_and_year():
    assert extract("le 31", language="fr", today=date(2026, 2, 10)).date == date(2026, 2, 28)
    assert extract("demain", language="fr", today=date(2025, 12, 31)).date == date(2026, 1, 1)
    assert extract("fin du mois", language="fr", today=date(2028, 2, 3)).date == date(2028, 2, 29)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("il y a une fuite d'eau", "plumbing"),
        ("le robinet coule", "plumbing"),
        ("les toilettes sont bouchees", "plumbing"),
        ("the tap is leaking", "plumbing"),
        ("plus de courant", "electricity"),
        ("la prise est grillée", "electricity"),
        ("le compteur sbee a sauté", "electricity"),
        ("no power in the flat", "electricity"),
        ("la serrure est cassée", "lock"),
        ("j'ai perdu la cle", "lock"),
        ("the door won't lock", "lock"),
        ("la fenetre est cassée", "other"),
        ("something is broken", "other"),
        ("combien je dois", None),
    ],
)
def test_issue_kinds(text, kind):
    assert slots(text).issue_kind == kind
    assert kind is None or kind in ISSUE_KINDS


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("combien je dois", "fr"),
        ("c'est quand mon loyer", "fr"),
        ("envoie-moi le lien", "fr"),
        ("pourquoi mon score a baissé", "fr"),
        ("slt stp mon solde", "fr"),
        ("bonjour", "fr"),
        ("été", "fr"),
        ("ok", "fr"),  # a tie: French first
        ("", "fr"),
        ("how much do I owe", "en"),
        ("when is my rent due", "en"),
        ("send me the link", "en"),
        ("why did my score drop", "en"),
        ("hello", "en"),
        ("I'll pay tomorrow", "en"),
        ("pay my rent from my wallet", "en"),
    ],
)
def test_detect_language(text, language):
    assert detect_language(text) == language


def test_extract_detects_the_language_when_not_given():
    assert extract("send 5000 to 97000000", today=TODAY).language == "en"
    assert extract("envoie 5000 au 97000000", today=TODAY).language == "fr"
    assert extract("hello", language="fr", today=TODAY).language == "fr"


def test_slots_are_frozen_and_combine():
    found = slots("appart 2 chambres a fidjrosse moins de 80 000, visite samedi")
    assert found == Slots(
        amount=80_000,
        city="Cotonou",
        neighbourhood="Fidjrossè",
        rooms=2,
        listing_kind="apartment",
        budget=80_000,
        date=date(2025, 12, 13),
        language="fr",
    )
    with pytest.raises(AttributeError):
        found.amount = 1  # type: ignore[misc]

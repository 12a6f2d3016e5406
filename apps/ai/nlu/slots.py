"""What a message says besides its intent: an amount, a phone number, a city and a
neighbourhood, a number of rooms, a budget, a date, the kind of a breakdown, and its language.

Pure functions of the text (and of `today`, passed in): no database, no clock of their own.
"""

from __future__ import annotations

import calendar
import difflib
import re
from dataclasses import dataclass
from datetime import date, timedelta

from .classifier import fold

__all__ = ["ISSUE_KINDS", "Slots", "detect_language", "extract"]

ISSUE_KINDS = ("plumbing", "electricity", "lock", "other")


@dataclass(frozen=True)
class Slots:
    amount: int | None = None  # the first sum of money, XOF (major = minor units)
    phone: str | None = None  # E.164, e.g. "+2290197000000"
    city: str | None = None  # canonical name, e.g. "Abomey-Calavi"
    neighbourhood: str | None = None  # canonical name, e.g. "Fidjrossè"
    rooms: int | None = None  # « 2 chambres », « 3 pièces », a studio is 1
    listing_kind: str | None = (
        None  # market's codes: studio, chambre_salon, entrer_coucher, apartment, villa, house
    )
    budget: int | None = None  # a ceiling: « moins de 80 000 », « max 80k », « budget 80 000 »
    date: date | None = None  # « demain », « samedi », « le 15 », « 15/12 », « fin du mois »
    issue_kind: str | None = None  # one of ISSUE_KINDS, for a maintenance ticket
    ordinal: int | None = None  # « le deuxième », « the second one »: a rank in what was just listed
    language: str = "fr"


# --- language ------------------------------------------------------------------------------------
_FRENCH_WORDS = frozenset(
    "je j tu il elle on nous vous ils mon ma mes ton ta tes son sa ses le la les un une des du de "
    "au aux et est c ce cette qui que quoi quand comment combien pourquoi avec pour dans sur pas "
    "ne n moi toi svp stp merci bonjour bonsoir salut loyer payer paye paie dois veux voudrais "
    "chambre chambres maison appart appartement quittance solde portefeuille envoie envoyer "
    "mois demain samedi lundi fin lien visite fuite panne courant oui non ou a ai jai suis "
    "cherche trouve moins plus reste combien mon ca ça bjr slt cmb pk pkoi koi".split()
)
_ENGLISH_WORDS = frozenset(
    "i me my you your he she it we they the a an and is are am was do does did what when how "
    "why who which with for in on at to of from not please thanks thank hello hi hey rent pay "
    "owe want would like room rooms house flat apartment receipt balance wallet send link "
    "month tomorrow saturday monday end visit leak broken power yes no can will i'll i'm "
    "looking find under much many have has ll m s t".split()
)
_WORD = re.compile(r"[a-z]+")


def detect_language(text: str) -> str:
    """ "fr" or "en": which language's common words the message uses more (accented letters count
    for French); French on a tie, as Hokwe's users write French first."""
    words = _WORD.findall(fold(text))
    french = sum(1 for w in words if w in _FRENCH_WORDS)
    english = sum(1 for w in words if w in _ENGLISH_WORDS)
    if re.search(r"[éèêàùçôîœ]", str(text or "").lower()):
        french += 2
    return "en" if english > french else "fr"


# --- phone numbers -------------------------------------------------------------------------------
_PHONE = re.compile(r"(?<![\d])(?:(?:\+|00)\s?(?:229|225)[\s.\-]?)?(?:\d[\s.\-]?){7,9}\d(?![\d])")


def _phone(text: str, country: str) -> tuple[str | None, tuple[int, int] | None]:
    import phonenumbers

    for match in _PHONE.finditer(text):
        raw = re.sub(r"[\s.\-]", "", match.group(0))
        if raw.startswith("00"):
            raw = "+" + raw[2:]
        prefix, national = "", raw
        for code in ("+229", "+225"):
            if raw.startswith(code):
                prefix, national = code, raw[len(code) :]
        if not national.isdigit() or len(national) not in (8, 10):
            continue
        region = {"+229": "BJ", "+225": "CI"}.get(prefix) or _region(national, country)
        if region is None:
            continue
        if region == "BJ" and len(national) == 8:
            # Benin's former 8 digits became 10 in 2024 by taking « 01 » in front
            national = "01" + national
        try:
            number = phonenumbers.parse(national, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), match.span()
    return None, None


def _region(national: str, country: str) -> str | None:
    if len(national) == 8:
        return "BJ"  # only Benin ever used 8 digits (and its old numbers are still written so)
    if national.startswith("01"):
        return country if country in ("BJ", "CI") else "BJ"
    if national[:2] in ("05", "07", "21", "25", "27"):
        return "CI"
    return None


def _default_country() -> str:
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        return str(getattr(settings, "PHONENUMBER_DEFAULT_REGION", "BJ") or "BJ")
    except ImproperlyConfigured:  # settings not configured: a pure call from a script
        return "BJ"


# --- amounts -------------------------------------------------------------------------------------
_UNITS_FR = {
    "zero": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
    "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13,
    "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20, "vingts": 20, "trente": 30,
    "quarante": 40, "cinquante": 50, "soixante": 60, "septante": 70, "huitante": 80,
    "nonante": 90,
}  # fmt: skip
_UNITS_EN = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_HUNDRED = {"cent", "cents", "hundred"}
_THOUSAND = {"mille", "mil", "thousand"}
_MILLION = {"million", "millions"}
_GLUE = {"et", "and", "a"}
_NUMBER_WORDS = set(_UNITS_FR) | set(_UNITS_EN) | _HUNDRED | _THOUSAND | _MILLION

_SEP = r"[ .,\u00a0\u202f]"
_AMOUNT = re.compile(
    r"(?<![\d+/])(?P<number>\d+(?:[.,]\d+)?)\s*(?P<scale>k|mille|mil|m|million|millions)\b"
    rf"|(?<![\d+/:])(?P<grouped>\d{{1,3}}(?:{_SEP}\d{{3}})+|\d+)(?![\d/:h])"
    r"(?:\s*(?P<currency>fcfa|f\s?cfa|cfa|xof|francs?|f)\b)?",
    re.IGNORECASE,
)
_MONTH_WORDS = (
    "janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre|"
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|fev|apr|avr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_NOT_MONEY_AFTER = re.compile(
    r"\s*(?:chambres?|pieces?|rooms?|bedrooms?|bed|jours?|days?|semaines?|weeks?|mois|months?|"
    rf"fois|times|h\b|heures?|ans?|years?|m2|m²|er|eme|e\b|th\b|st\b|nd\b|rd\b|{_MONTH_WORDS})",
)
_NOT_MONEY_BEFORE = re.compile(
    rf"(?:\ble|\bthe|\bdu|\bau|\bjusqu'au|\buntil|\bon|\bdans|\bin|\bposition|\bplace|{_MONTH_WORDS})\s*$"
)
_BUDGET_CUE = re.compile(
    r"(?:moins\s+de|max(?:imum)?|budget(?:\s+de)?|pas\s+plus\s+de|jusqu'a|a\s+peine|under|"
    r"less\s+than|below|up\s+to|at\s+most|no\s+more\s+than)\s*:?\s*$"
)


def _scaled(number: str, scale: str) -> int:
    value = float(number.replace(",", "."))
    factor = 1000 if scale in ("k", "mille", "mil") else 1_000_000
    return round(value * factor)


def _words_amounts(folded: str) -> list[tuple[int, int, int]]:
    """(value, start, end) of every run of number words worth at least 100 (« cinquante
    mille », « deux cent mille », « un million », « fifty thousand »)."""
    found = []
    tokens = [(m.group(0), m.start(), m.end()) for m in re.finditer(r"[a-z]+", folded)]
    i = 0
    while i < len(tokens):
        if tokens[i][0] not in _NUMBER_WORDS or tokens[i][0] in _GLUE:
            i += 1
            continue
        total = current = 0
        start, end, last = tokens[i][1], tokens[i][2], None
        j = i
        while j < len(tokens) and (tokens[j][0] in _NUMBER_WORDS or tokens[j][0] in _GLUE):
            word = tokens[j][0]
            if word in _GLUE:
                j += 1
                continue
            if word in _HUNDRED:
                current = (current or 1) * 100
            elif word in _THOUSAND:
                total += (current or 1) * 1000
                current = 0
            elif word in _MILLION:
                total += (current or 1) * 1_000_000
                current = 0
            elif word in ("vingt", "vingts") and last == "quatre":
                current += 80 - 4  # quatre-vingt(s)
            else:
                current += _UNITS_FR.get(word, _UNITS_EN.get(word, 0))
            last, end = word, tokens[j][2]
            j += 1
        value = total + current
        if value >= 100:
            found.append((value, start, end))
        i = j
    return found


def _amounts(folded: str) -> list[tuple[int, bool]]:
    """(amount, is a budget) for every sum of money, in order."""
    found: list[tuple[int, int, bool]] = []
    for match in _AMOUNT.finditer(folded):
        before, after = folded[: match.start()], folded[match.end() :]
        budget = bool(_BUDGET_CUE.search(before))
        if match.group("number"):
            found.append(
                (match.start(), _scaled(match.group("number"), match.group("scale").lower()), budget)
            )
            continue
        digits = re.sub(r"\D", "", match.group("grouped"))
        if not digits:
            continue
        value = int(digits)
        has_currency = bool(match.group("currency"))
        if not has_currency:
            if _NOT_MONEY_AFTER.match(after) or _NOT_MONEY_BEFORE.search(before):
                continue
            if value < 100 or (len(digits) >= 8 and digits == match.group("grouped")):
                continue  # a day, a count, or a phone number that did not parse
        found.append((match.start(), value, budget))
    for value, start, end in _words_amounts(folded):
        after = folded[end:]
        if _NOT_MONEY_AFTER.match(after):
            continue
        found.append((start, value, bool(_BUDGET_CUE.search(folded[:start]))))
    found.sort()
    return [(value, budget) for _start, value, budget in found if value > 0]


# --- places --------------------------------------------------------------------------------------
CITIES: dict[str, tuple[str, ...]] = {
    # Benin
    "Cotonou": ("cotonou", "cotonu", "kotonou", "ctn"),
    "Porto-Novo": ("porto novo", "porto-novo", "portonovo"),
    "Abomey-Calavi": ("abomey calavi", "abomey-calavi", "calavi"),
    "Parakou": ("parakou",),
    "Bohicon": ("bohicon",),
    "Djougou": ("djougou",),
    "Natitingou": ("natitingou", "nati"),
    "Ouidah": ("ouidah",),
    "Lokossa": ("lokossa",),
    "Abomey": ("abomey",),
    "Sèmè-Podji": ("seme podji", "seme-podji", "seme"),
    "Kandi": ("kandi",),
    # Côte d'Ivoire
    "Abidjan": ("abidjan", "abj"),
    "Bouaké": ("bouake",),
    "Yamoussoukro": ("yamoussoukro", "yakro"),
    "San-Pédro": ("san pedro", "san-pedro"),
    "Daloa": ("daloa",),
    "Korhogo": ("korhogo",),
    "Grand-Bassam": ("grand bassam", "grand-bassam", "bassam"),
    "Bingerville": ("bingerville",),
    "Gagnoa": ("gagnoa",),
}
NEIGHBOURHOODS: dict[str, tuple[str, tuple[str, ...]]] = {
    # Cotonou and around
    "Fidjrossè": ("Cotonou", ("fidjrosse", "fidjirosse", "fidjrose")),
    "Akpakpa": ("Cotonou", ("akpakpa",)),
    "Cadjèhoun": ("Cotonou", ("cadjehoun",)),
    "Haie Vive": ("Cotonou", ("haie vive", "haie-vive")),
    "Agla": ("Cotonou", ("agla",)),
    "Gbégamey": ("Cotonou", ("gbegamey",)),
    "Zogbo": ("Cotonou", ("zogbo",)),
    "Vèdoko": ("Cotonou", ("vedoko",)),
    "Ganhi": ("Cotonou", ("ganhi",)),
    "Jéricho": ("Cotonou", ("jericho",)),
    "Saint-Michel": ("Cotonou", ("saint michel", "saint-michel", "st michel")),
    "Menontin": ("Cotonou", ("menontin",)),
    "Houéyiho": ("Cotonou", ("houeyiho",)),
    "Sikècodji": ("Cotonou", ("sikecodji",)),
    "Godomey": ("Abomey-Calavi", ("godomey",)),
    "Togbin": ("Abomey-Calavi", ("togbin",)),
    "Cocotomey": ("Abomey-Calavi", ("cocotomey",)),
    "Zoca": ("Abomey-Calavi", ("zoca",)),
    # Abidjan
    "Cocody": ("Abidjan", ("cocody", "cocodi")),
    "Riviera": ("Abidjan", ("riviera",)),
    "Angré": ("Abidjan", ("angre",)),
    "Deux-Plateaux": ("Abidjan", ("deux plateaux", "2 plateaux")),
    "Plateau": ("Abidjan", ("plateau",)),
    "Yopougon": ("Abidjan", ("yopougon", "yop")),
    "Marcory": ("Abidjan", ("marcory",)),
    "Treichville": ("Abidjan", ("treichville",)),
    "Koumassi": ("Abidjan", ("koumassi",)),
    "Adjamé": ("Abidjan", ("adjame",)),
    "Abobo": ("Abidjan", ("abobo",)),
    "Port-Bouët": ("Abidjan", ("port bouet", "port-bouet")),
    "Songon": ("Abidjan", ("songon",)),
}


def _place(folded: str, table: dict[str, tuple[str, ...]]) -> str | None:
    """The canonical name of the first place of `table` in the text: exact (aliases, word
    bounded) first, then one-word typos (« cotonoo », « abidjn ») by similarity."""
    best = None
    for name, aliases in table.items():
        for alias in aliases:
            match = re.search(rf"(?<![a-z]){re.escape(alias)}(?![a-z])", folded)
            if match and (best is None or match.start() < best[0] or len(alias) > best[2]):
                if best is None or match.start() <= best[0]:
                    best = (match.start(), name, len(alias))
    if best:
        return best[1]
    single = {alias: name for name, aliases in table.items() for alias in aliases if len(alias) >= 5}
    for word in re.findall(r"[a-z][a-z\-]{4,}", folded):
        close = difflib.get_close_matches(word, list(single), n=1, cutoff=0.8)
        if close:
            return single[close[0]]
    return None


# --- rooms and kinds -----------------------------------------------------------------------------
_ROOMS = re.compile(
    r"\b(?P<n>\d{1,2}|une?|deux|trois|quatre|cinq|six|one|two|three|four|five)\s*"
    r"(?:-\s*)?(?:chambres?|ch\b|pieces?|pcs?\b|rooms?|bedrooms?|bed\b|br\b)"
)
_SMALL = {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6}
_SMALL_EN = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
_KINDS = (
    ("entrer_coucher", r"entre[rz]?[\s\-]*couch[eé]r?"),
    ("chambre_salon", r"chambres?[\s\-]*(?:et\s+)?salon"),
    ("studio", r"\bstudios?\b"),
    ("villa", r"\bvillas?\b"),
    ("apartment", r"\b(?:appartements?|apparts?|apparte?ment|flats?|apartments?)\b"),
    ("house", r"\b(?:maisons?|houses?)\b"),
)


def _rooms_and_kind(folded: str) -> tuple[int | None, str | None]:
    kind = next((code for code, pattern in _KINDS if re.search(pattern, folded)), None)
    rooms = None
    match = _ROOMS.search(folded)
    if match:
        n = match.group("n")
        rooms = int(n) if n.isdigit() else _SMALL.get(n, _SMALL_EN.get(n))
    elif kind in ("studio", "entrer_coucher"):
        rooms = 1
    elif kind == "chambre_salon":
        rooms = 1
    return rooms, kind


# --- dates ---------------------------------------------------------------------------------------
_WEEKDAYS = {
    "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}  # fmt: skip
_MONTHS = {
    "janvier": 1, "janv": 1, "jan": 1, "january": 1, "fevrier": 2, "fev": 2, "february": 2,
    "feb": 2, "mars": 3, "march": 3, "avril": 4, "avr": 4, "april": 4, "apr": 4, "mai": 5,
    "may": 5, "juin": 6, "june": 6, "jun": 6, "juillet": 7, "july": 7, "jul": 7, "aout": 8,
    "august": 8, "aug": 8, "septembre": 9, "september": 9, "sept": 9, "sep": 9, "octobre": 10,
    "october": 10, "oct": 10, "novembre": 11, "november": 11, "nov": 11, "decembre": 12,
    "december": 12, "dec": 12,
}  # fmt: skip
_MONTH_NAME = "|".join(sorted(_MONTHS, key=len, reverse=True))


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _next_day_of_month(today: date, day: int) -> date | None:
    """The next `day` of a month, today included: this month's or the next's."""
    if not 1 <= day <= 31:
        return None
    year, month = today.year, today.month
    for _ in range(3):
        candidate = _valid(year, month, min(day, calendar.monthrange(year, month)[1]))
        if candidate and candidate >= today:
            return candidate
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def _with_year(today: date, month: int, day: int, year: int | None) -> date | None:
    if year is not None:
        return _valid(year + 2000 if year < 100 else year, month, day)
    candidate = _valid(today.year, month, day)
    if candidate and candidate < today:
        candidate = _valid(today.year + 1, month, day)
    return candidate


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _next_month_start(today: date) -> date:
    return date(today.year + 1, 1, 1) if today.month == 12 else date(today.year, today.month + 1, 1)


def _date(folded: str, today: date) -> date | None:
    if re.search(r"apres[\s\-]demain|day after tomorrow", folded):
        return today + timedelta(days=2)
    if re.search(r"\b(?:demain|tomorrow|tmrw|2main)\b", folded):
        return today + timedelta(days=1)
    if re.search(r"\b(?:aujourd'?hui|auj|ce soir|today|tonight)\b", folded):
        return today
    match = re.search(r"\b(?:dans|in)\s+(\d{1,2})\s*(jours?|days?|semaines?|weeks?)\b", folded)
    if match:
        n = int(match.group(1))
        return today + timedelta(days=n * (7 if match.group(2).startswith(("semaine", "week")) else 1))
    if re.search(r"\b(?:fin du mois|fin de mois|fin mois|end of (?:the )?month|month end)\b", folded):
        return _month_end(today.year, today.month)
    match = re.search(r"\b(\d{1,2})(?:er)?\s+(?:du\s+|de\s+)?(?:mois prochain|next month)\b", folded)
    if match:
        start = _next_month_start(today)
        return _valid(start.year, start.month, int(match.group(1)))
    if re.search(
        r"\b(?:debut du mois prochain|debut de mois prochain|debut du mois|mois prochain|"
        r"beginning of next month|start of next month|next month)\b",
        folded,
    ):
        return _next_month_start(today)
    if re.search(r"\b(?:semaine prochaine|next week)\b", folded):
        return today + timedelta(days=7 - today.weekday())
    # 15/12, 15-12-2025, 15.12.25
    match = re.search(r"(?<![\d+])(\d{1,2})[/\-.](\d{1,2})(?:[/\-.](\d{2,4}))?(?![\d])", folded)
    if match:
        day, month = int(match.group(1)), int(match.group(2))
        year = int(match.group(3)) if match.group(3) else None
        if 1 <= month <= 12:
            return _with_year(today, month, day, year)
    # 15 décembre (2025), 15th of december, december 15
    match = re.search(
        rf"\b(\d{{1,2}})(?:er|eme|st|nd|rd|th)?\s+(?:of\s+)?({_MONTH_NAME})\b(?:\s+(\d{{4}}))?", folded
    )
    if match:
        year = int(match.group(3)) if match.group(3) else None
        return _with_year(today, _MONTHS[match.group(2)], int(match.group(1)), year)
    match = re.search(rf"\b({_MONTH_NAME})\s+(\d{{1,2}})(?:st|nd|rd|th)?\b", folded)
    if match:
        return _with_year(today, _MONTHS[match.group(1)], int(match.group(2)), None)
    for word, weekday in _WEEKDAYS.items():
        if re.search(rf"\b{word}\b", folded):
            days = (weekday - today.weekday()) % 7 or 7  # the next one, never today
            return today + timedelta(days=days)
    # « le 15 », « the 15th », « on the 5th », « avant le 10 »
    match = re.search(
        r"\b(?:le|the|au|until)\s+(\d{1,2})(?:er|eme|st|nd|rd|th)?\b"
        r"(?!\s*(?:h\b|:|\d|chambres?|pieces?|rooms?|bedrooms?|jours?|days?|mois\b|f\b|fcfa|k\b|mille))",
        folded,
    )
    if not match:
        match = re.search(r"\b(\d{1,2})(?:st|nd|rd|th)\b", folded)
    if match:
        return _next_day_of_month(today, int(match.group(1)))
    return None


# --- breakdowns ----------------------------------------------------------------------------------
_ISSUES = (
    (
        "plumbing",
        r"fuit|fuite|coule|robinet|tuyau|plomb|wc\b|toilettes?|chasse d'eau|lavabo|evier|douche|"
        r"bouche|fosse|canalisation|pas d'eau|plus d'eau|eau\b|leak|plumb|pipe|tap\b|toilet|sink|"
        r"shower|drain|flood|water",
    ),
    (
        "electricity",
        r"courant|electri|lumiere|prise|disjoncteur|compteur|sbee|\bcie\b|ampoule|cable|fil\b|"
        r"ventilateur|clim|power|socket|light|fuse|breaker|meter|bulb|outage|wiring",
    ),
    ("lock", r"serrure|cle\b|cles\b|cadenas|verrou|porte|lock|key|door|padlock"),
)
_BREAKDOWN = re.compile(
    r"panne|casse|abime|ne marche|marche plus|repar|probleme|broken|repair|not working|damage"
)


def _issue_kind(folded: str) -> str | None:
    for kind, pattern in _ISSUES:
        if re.search(pattern, folded):
            return kind
    return "other" if _BREAKDOWN.search(folded) else None


# --- all of it -----------------------------------------------------------------------------------
# --- a rank: « le premier », « la 2e », « the second one » (never « le 1er janvier », a date) ---
_ORDINALS = {
    "premier": 1,
    "premiere": 1,
    "1er": 1,
    "1ere": 1,
    "first": 1,
    "1st": 1,
    "deuxieme": 2,
    "second": 2,
    "seconde": 2,
    "2e": 2,
    "2eme": 2,
    "2nd": 2,
    "troisieme": 3,
    "third": 3,
    "3e": 3,
    "3eme": 3,
    "3rd": 3,
    "quatrieme": 4,
    "fourth": 4,
    "4e": 4,
    "4eme": 4,
    "4th": 4,
    "cinquieme": 5,
    "fifth": 5,
    "5e": 5,
    "5eme": 5,
    "5th": 5,
}
_ORDINAL = re.compile(
    r"\b(?:le|la|du|de la|the)\s+(" + "|".join(sorted(_ORDINALS, key=len, reverse=True)) + r")\b"
    r"(?!\s+(?:"
    + _MONTH_NAME
    + r"|jour|day|of\s+(?:"
    + _MONTH_NAME
    + r")|mois|month|semaine|week|etage|floor))"
)


def _ordinal(folded: str) -> int | None:
    found = _ORDINAL.search(folded)
    return _ORDINALS[found.group(1)] if found else None


def extract(
    text: str, *, language: str | None = None, today: date | None = None, country: str | None = None
) -> Slots:
    """The slots of `text`. `language`: "fr" or "en" (detected when None); `today`: the date
    relative words count from (the server's date when None); `country`: "BJ" or "CI", which a
    10-digit local number starting « 01 » belongs to (the settings' default region when None)."""
    folded = fold(text)
    language = language if language in ("fr", "en") else detect_language(text)
    today = today or date.today()
    phone, span = _phone(folded, (country or _default_country()).upper())
    rest = folded if span is None else folded[: span[0]] + " " * (span[1] - span[0]) + folded[span[1] :]
    amounts = _amounts(rest)
    budget = next((value for value, is_budget in amounts if is_budget), None)
    amount = amounts[0][0] if amounts else None
    rooms, kind = _rooms_and_kind(rest)
    neighbourhood = _place(rest, {name: aliases for name, (_city, aliases) in NEIGHBOURHOODS.items()})
    city = _place(rest, CITIES)
    if city is None and neighbourhood is not None:
        city = NEIGHBOURHOODS[neighbourhood][0]
    return Slots(
        amount=amount,
        phone=phone,
        city=city,
        neighbourhood=neighbourhood,
        rooms=rooms,
        listing_kind=kind,
        budget=budget,
        date=_date(rest, today),
        issue_kind=_issue_kind(rest),
        ordinal=_ordinal(folded),
        language=language,
    )

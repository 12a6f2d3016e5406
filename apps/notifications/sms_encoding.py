"""SMS length and encoding (3GPP TS 23.038).

A message that only uses the GSM 03.38 alphabet travels as GSM-7: 160 characters in one
segment, 153 per segment once split (the user data header takes 7). One character outside
it (ê, ç, ’, an emoji) switches the whole message to UCS-2: 70 characters, 67 per segment.
Characters of the extension table (€ [ ] { } ^ ~ | \\) cost two GSM-7 septets.
"""

from __future__ import annotations

from dataclasses import dataclass

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")

# Typography that looks the same but is not GSM-7: replaced before sending an SMS so a
# French text with a typographic apostrophe or a non-breaking space stays one GSM-7 segment.
_TYPOGRAPHY = str.maketrans(
    {
        "\u00a0": " ",  # no-break space (Money.format puts one before FCFA)
        "\u202f": " ",  # narrow no-break space (French number grouping)
        "\u2009": " ",
        "\u2019": "'",
        "\u2018": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
    }
)

GSM7 = "gsm7"
UCS2 = "ucs2"


@dataclass(frozen=True)
class SmsLength:
    encoding: str  # "gsm7" or "ucs2"
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    segments: int
    non_gsm_characters: tuple[str, ...]  # what forced UCS-2, for the template editor


def normalize_sms(text: str) -> str:
    return text.translate(_TYPOGRAPHY)


def measure(text: str) -> SmsLength:
    present = set(text)  # a bulk run measures every SMS: set operations, not a loop per character
    non_gsm = sorted(present - GSM7_BASIC - GSM7_EXTENSION)
    if not non_gsm:
        units = len(text) + sum(text.count(c) for c in present & GSM7_EXTENSION)
        single, multi, encoding = 160, 153, GSM7
    else:
        units = len(text.encode("utf-16-le")) // 2  # characters beyond the BMP count twice
        single, multi, encoding = 70, 67, UCS2
    if units == 0:
        segments = 0
    elif units <= single:
        segments = 1
    else:
        segments = -(-units // multi)
    return SmsLength(encoding=encoding, units=units, segments=segments, non_gsm_characters=tuple(non_gsm))

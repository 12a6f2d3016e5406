"""`{% load dates %}{{ due.period_start|day }}`: the one way pages and PDFs write a date.

Django's `M` gives « Jui » for both juin and juillet in French (and « Aoû »), so no template
uses it. Styles:
- `day` (default `long`): « 1 juin 2026 » / "1 June 2026", for sentences and headings;
- `day:"short"`: « 01/06/2026 », for tables (day first in both languages, as in the XOF zone);
- `day:"datetime"`: « 1 juin 2026 14:05 »; `day:"shortdatetime"`: « 01/06/2026 14:05 »;
- `day:"month"`: « juin 2026 ».
Aware datetimes are shown in the current time zone, as the `date` filter does.
"""

from django import template
from django.template import defaultfilters

register = template.Library()

STYLES = {
    "long": "j F Y",
    "short": "d/m/Y",
    "datetime": "j F Y H:i",
    "shortdatetime": "d/m/Y H:i",
    "month": "F Y",
}


@register.filter(expects_localtime=True)
def day(value, style: str = "long") -> str:
    if value in (None, ""):
        return ""
    try:
        fmt = STYLES[style]
    except KeyError:
        raise template.TemplateSyntaxError(
            f"day: unknown style {style!r} (one of {', '.join(STYLES)})"
        ) from None
    return defaultfilters.date(value, fmt)

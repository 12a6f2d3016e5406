"""The one date filter of pages and PDFs (apps/core/templatetags/dates.py): no ambiguous
« Jui » in French, day-first tables, local time for aware datetimes."""

import datetime as dt
import pathlib
import re

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.utils import timezone, translation


def render(source: str, **context) -> str:
    return Template("{% load dates %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("language", "style", "expected"),
    [
        ("fr", "", "1 juin 2026"),
        ("fr", ':"short"', "01/06/2026"),
        ("fr", ':"month"', "juin 2026"),
        ("en", "", "1 June 2026"),
        ("en", ':"short"', "01/06/2026"),
    ],
)
def test_styles(language, style, expected):
    with translation.override(language):
        assert render("{{ d|day" + style + " }}", d=dt.date(2026, 6, 1)) == expected


def test_june_and_july_differ_in_french():
    with translation.override("fr"):
        june = render("{{ d|day }}", d=dt.date(2026, 6, 1))
        july = render("{{ d|day }}", d=dt.date(2026, 7, 1))
        august = render("{{ d|day }}", d=dt.date(2026, 8, 1))
    assert (june, july, august) == ("1 juin 2026", "1 juillet 2026", "1 août 2026")


def test_aware_datetimes_are_shown_in_the_current_time_zone(settings):
    settings.TIME_ZONE = "Africa/Porto-Novo"  # UTC+1
    moment = dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC)
    with timezone.override("Africa/Porto-Novo"), translation.override("fr"):
        assert render('{{ d|day:"shortdatetime" }}', d=moment) == "01/07/2026 00:30"
        assert render('{{ d|day:"datetime" }}', d=moment) == "1 juillet 2026 00:30"


def test_empty_values_render_nothing_and_unknown_styles_fail_loudly():
    assert render("[{{ d|day }}]", d=None) == "[]"
    with pytest.raises(TemplateSyntaxError):
        render('{{ d|day:"fancy" }}', d=dt.date(2026, 6, 1))


def test_no_template_uses_the_ambiguous_month_abbreviation():
    """`M` (« Jui ») and ad-hoc formats are replaced by `day`; machine formats (`Y-m-d` for
    form values, `Y-m` in a link's query) stay."""
    root = pathlib.Path(__file__).resolve().parents[2]
    offenders = []
    for path in [*root.glob("apps/**/templates/**/*.html"), *root.glob("templates/**/*.html")]:
        for fmt in re.findall(r"\|date:[\"']([^\"']*)[\"']", path.read_text()):
            if not re.fullmatch(r"Y(-m(-d)?)?", fmt):
                offenders.append(f"{path.relative_to(root)}: {fmt}")
    assert not offenders, offenders

"""core's part of the isolation suite (tests/isolation/cases.py merges it): the agency's global
search and calendar (apps/core/web/search.py, calendar.py) name no object; B's owner, an
outsider and anonymous never see A's data there. (The suite's paths carry no query string:
the calendar shows the current month, where A's lease has a due; tests/core/test_search.py
and test_calendar.py search A's names, phones and numbers as another organization.)"""

from django.urls import reverse

from tests.isolation.framework import RestCase, World

REST_CASES = {}


def _search(world: World) -> RestCase:
    return RestCase(path=reverse("manager:search"), methods=("GET",), owned=False)


def _calendar(world: World) -> RestCase:
    return RestCase(path=reverse("manager:calendar"), methods=("GET",), owned=False)


REST_CASES["manager:search"] = _search
REST_CASES["manager:calendar"] = _calendar

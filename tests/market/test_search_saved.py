"""Saved searches and their daily alerts, favourites, recently viewed (services/saved.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.market.errors import InvalidSearch, ListingNotFound, SavedSearchNotFound
from apps.market.models import SavedSearch
from apps.market.services import saved
from apps.market.services.search import clean_query
from apps.notifications.models import Message
from tests.fixtures.market import search_listing
from tests.identity.factories import UserFactory

pytestmark = pytest.mark.django_db


def alerts():
    return Message.objects.filter(template_key="market.search_alert")


def test_a_saved_search_keeps_the_cleaned_criteria():
    user = UserFactory()
    q = clean_query({"text": "  Studio  ", "city": "Cotonou", "price_max": "90000", "kinds": "studio,villa"})
    s = saved.save_search(user=user, name="Mon studio", query=q, channel="sms")
    assert s.query == {"text": "Studio", "city": "Cotonou", "price_max": 90000, "kinds": ["studio", "villa"]}
    assert saved.query_of(s) == q
    with pytest.raises(InvalidSearch):
        saved.save_search(user=user, name=" ", query=q)
    with pytest.raises(SavedSearchNotFound):
        saved.delete_saved(user=UserFactory(), saved_id=s.public_id)
    saved.delete_saved(user=user, saved_id=s.public_id)
    assert not SavedSearch.objects.exists()


def test_alerts_are_sent_once_per_user_and_not_again_on_a_re_run():
    now = timezone.now()
    awa, kofi = UserFactory(), UserFactory()
    for user in (awa, kofi):
        for name, criteria in (("Studios", {"text": "studio"}), ("Cotonou", {"city": "Cotonou"})):
            s = saved.save_search(user=user, name=name, query=clean_query(criteria), channel="sms")
            SavedSearch.objects.filter(pk=s.pk).update(alerted_up_to=now - timedelta(days=1))
    SavedSearch.objects.filter(user=kofi, name="Cotonou").update(active=False)
    search_listing(
        title="Studio meublé", kind="studio", city="Cotonou", published_at=now - timedelta(hours=2)
    )
    search_listing(title="Villa", kind="villa", city="Cotonou", published_at=now - timedelta(hours=3))
    search_listing(title="Vieux studio", kind="studio", published_at=now - timedelta(days=3))
    search_listing(
        title="Studio retiré", kind="studio", status="withdrawn", published_at=now - timedelta(hours=1)
    )

    stats = saved.alerts_run(now=now)
    assert stats["searches"] == 3 and stats["messages"] == 2
    assert alerts().count() == 2
    bodies = sorted(m.body for m in alerts())
    assert "2 nouvelle(s)" in bodies[0] or "2 nouvelle(s)" in bodies[1]  # Awa: the studio and the villa
    assert any("1 nouvelle(s)" in b for b in bodies)  # Kofi: the studio only (his Cotonou search is off)
    assert SavedSearch.objects.filter(active=True, alerted_up_to=now).count() == 3

    again = saved.alerts_run(now=now)
    assert again["messages"] == 0
    assert alerts().count() == 2
    # the next day: only what is new
    search_listing(title="Studio neuf", kind="studio", published_at=now + timedelta(hours=5))
    later = saved.alerts_run(now=now + timedelta(days=1))
    assert later["messages"] == 2 and alerts().count() == 4


def test_a_run_interrupted_before_moving_the_marks_sends_nothing_twice():
    now = timezone.now()
    user = UserFactory()
    s = saved.save_search(user=user, name="Tout", query=clean_query({}), channel="sms")
    SavedSearch.objects.filter(pk=s.pk).update(alerted_up_to=now - timedelta(days=1))
    search_listing(title="Neuf", published_at=now - timedelta(hours=1))
    saved.alerts_run(now=now)
    SavedSearch.objects.filter(pk=s.pk).update(alerted_up_to=now - timedelta(days=1))  # as if not moved
    saved.alerts_run(now=now)
    assert alerts().count() == 1


def test_an_alert_of_many_long_listings_fits_the_message():
    now = timezone.now()
    user = UserFactory()
    s = saved.save_search(user=user, name="Tout", query=clean_query({}), channel="push")
    SavedSearch.objects.filter(pk=s.pk).update(alerted_up_to=now - timedelta(days=1))
    for i in range(8):
        search_listing(title=f"{i} " + "Très bel appartement " * 6, city="Abomey-Calavi", published_at=now)
    assert saved.alerts_run(now=now)["messages"] == 1
    inbox = [m.body for m in alerts() if m.channel == "inapp"]  # the in-app copy lists them
    assert len(inbox) == 1 and inbox[0].count("https://") >= 2 and len(inbox[0]) <= 500


def test_favourites():
    user = UserFactory()
    a, b = search_listing(title="A"), search_listing(title="B")
    hidden = search_listing(title="C", status="draft")
    saved.favourite_add(user=user, listing=a)
    saved.favourite_add(user=user, listing=b.public_id)
    saved.favourite_add(user=user, listing=a)  # once
    with pytest.raises(ListingNotFound):
        saved.favourite_add(user=user, listing=hidden)
    assert [x.title for x in saved.favourites(user)] == ["B", "A"]
    assert saved.favourites(UserFactory()) == []
    assert saved.favourite_remove(user=user, listing=a) is True
    assert saved.favourite_remove(user=user, listing=a) is False
    assert [x.title for x in saved.favourites(user)] == ["B"]


def test_recent_views_upsert_and_keep_the_last_ones(settings):
    settings.MARKET_RECENT_VIEWS_KEPT = 3
    user = UserFactory()
    listings = [search_listing(title=f"L{i}") for i in range(5)]
    for listing in listings:
        saved.record_view(user=user, listing=listing)
    saved.record_view(user=user, listing=listings[2])  # seen again: first, once
    assert [x.title for x in saved.recent_views(user)] == ["L2", "L4", "L3"]
    assert saved.recent_views(UserFactory()) == []

"""HokweNews: scheduled publication (Wagtail's go_live_at / expire_at and the beat task), the
pages of a site's news, its Atom feed, and rich text that never runs a script."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.utils import timezone

from apps.cms import selectors, tasks
from apps.cms.models import NewsIndexPage, NewsPage

from .news_helpers import news_index, post, translate

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def _site_hosts(settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, *settings.CMS_SITE_HOSTS.values()]


def _get(client, url: str):
    """GET a page's full URL (http://hokwe.co/actualites/…) on its host."""
    parts = urlsplit(url)
    return client.get(parts.path, HTTP_HOST=parts.netloc) if parts.netloc else client.get(url)


def _url(page) -> str:
    return page.get_full_url()


def test_the_beat_runs_publish_scheduled_every_minute():
    entry = settings.CELERY_BEAT_SCHEDULE["cms.news_publish_scheduled"]
    assert entry["task"] == "cms.news_publish_scheduled" and entry["schedule"] == 60.0


def test_a_scheduled_post_is_hidden_before_go_live_at_and_shown_after_the_task(client, time_machine):
    time_machine.move_to("2026-12-04T08:00:00+00:00", tick=False)
    go_live = timezone.now() + timedelta(hours=2)
    page = post(publish=False, title="Nouveauté programmée", go_live_at=go_live)
    page.save_revision().publish()  # the editor's « Publish » with a go-live date: scheduled
    page.refresh_from_db()
    assert not page.live
    tasks.news_publish_scheduled()  # too early: nothing happens
    assert not NewsPage.objects.get(pk=page.pk).live
    assert selectors.news_page()[0] == []
    assert _get(client, _url(page)).status_code == 404
    assert "Nouveauté programmée" not in _get(client, _url(news_index())).content.decode()

    time_machine.move_to(go_live + timedelta(minutes=1), tick=False)
    tasks.news_publish_scheduled()  # the beat, a minute after go_live_at
    assert NewsPage.objects.get(pk=page.pk).live
    assert [p.pk for p in selectors.news_page()[0]] == [page.pk]
    assert _get(client, _url(page)).status_code == 200
    assert "Nouveauté programmée" in _get(client, _url(news_index())).content.decode()


def test_an_expired_post_is_hidden_at_once_and_unpublished_by_the_task(client, time_machine):
    time_machine.move_to("2026-12-04T08:00:00+00:00", tick=False)
    page = post(title="Offre limitée", expire_at=timezone.now() + timedelta(hours=1))
    assert [p.pk for p in selectors.news_page()[0]] == [page.pk]
    time_machine.move_to("2026-12-04T09:30:00+00:00", tick=False)
    assert selectors.news_page()[0] == []  # still live until the task runs: hidden anyway
    tasks.news_publish_scheduled()
    page.refresh_from_db()
    assert not page.live and page.expired


def test_the_news_index_lists_live_posts_newest_first_and_links_its_feed(client):
    index = news_index()
    older = post(index, title="Plus ancien", date=timezone.localdate() - timedelta(days=3))
    newer = post(index, title="Plus récent", date=timezone.localdate())
    post(index, publish=False, title="Brouillon")
    response = _get(client, _url(index))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Plus récent") < html.index("Plus ancien")
    assert "Brouillon" not in html
    feed = urlsplit(index.feed_url()).path
    assert feed == "/actualites/feed/"
    assert f'<link rel="alternate" type="application/atom+xml" title="Actualités" href="{feed}">' in html
    assert urlsplit(newer.url).path in html and urlsplit(older.url).path in html


def test_a_post_page_shows_its_body_and_links_the_feed(client):
    page = post(title="Payer par MoMo", body_html="<p>Le <b>paiement</b> est immédiat.</p>")
    html = _get(client, _url(page)).content.decode()
    assert "Payer par MoMo" in html and "Le <b>paiement</b> est immédiat." in html
    assert 'type="application/atom+xml"' in html


def test_the_atom_feed_is_valid_xml_with_one_entry_per_live_post(client):
    index = news_index()
    first = post(
        index, title="Premier billet", intro="Le premier.", date=timezone.localdate() - timedelta(days=1)
    )
    second = post(index, title="Deuxième billet & suite", intro="Le <deuxième>.", date=timezone.localdate())
    post(index, publish=False, title="Brouillon")
    response = _get(client, index.feed_url())
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)  # well-formed, or this raises
    assert root.tag == f"{ATOM}feed"
    assert root.find(f"{ATOM}title").text == "Actualités · Hokwe"
    entries = root.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["Deuxième billet & suite", "Premier billet"]
    assert entries[0].find(f"{ATOM}summary").text == "Le <deuxième>."
    links = [e.find(f"{ATOM}link").get("href") for e in entries]
    assert links == [second.get_full_url(), first.get_full_url()]
    assert all(link.startswith("http") for link in links)
    ids = [e.find(f"{ATOM}id").text for e in entries]
    assert ids[0] == f"urn:uuid:{second.translation_key}#fr" and len(set(ids)) == 2


def test_a_script_in_a_post_body_never_reaches_the_page_or_the_api(client):
    evil = (
        '<p>Bonjour<script>alert("x")</script> <a href="javascript:alert(1)">clic</a> '
        '<img src="x" onerror="alert(2)"> <b onclick="alert(3)">gras</b></p>'
    )
    page = post(title="Billet piégé", body_html=evil)
    html = _get(client, _url(page)).content.decode()
    body = html[html.index('class="news-body"') :]
    for bad in ("<script>alert", "javascript:", "onerror", "onclick"):
        assert bad not in body, bad
    assert "<b>gras</b>" in body
    detail = client.get(f"/api/v1/cms/news/{page.translation_key}").json()
    for bad in ("<script", "javascript:", "onerror", "onclick"):
        assert bad not in detail["body_html"], bad


def test_an_english_version_lives_under_en_and_shares_the_post_id(client):
    page = post(title="Billet en français", slug="billet-fr")
    english = translate(page, title="Post in English", slug="post-en", intro="In English.")
    assert english.translation_key == page.translation_key
    assert urlsplit(english.get_full_url()).path.startswith("/en/")
    assert selectors.news_post(page.translation_key, language="en").pk == english.pk
    assert selectors.news_post(page.translation_key, language="fr").pk == page.pk


def test_news_pages_may_only_go_under_a_site_home_and_posts_under_an_index():
    parents = {m._meta.label for m in NewsIndexPage.allowed_parent_page_models()}
    assert parents == {"cms.HoldingHomePage", "cms.ProductHomePage", "cms.PayHomePage"}
    assert NewsPage.parent_page_types == ["cms.NewsIndexPage"]


def test_the_demo_publishes_hokwe_co_s_news_once(client):
    from apps.cms import demo

    demo.seed_news({})
    demo.seed_news({})  # idempotent
    index = NewsIndexPage.objects.get(slug="actualites")
    french = NewsPage.objects.child_of(index).live()
    assert french.count() == 4
    assert "Payez votre loyer par Mobile Money, sans vous déplacer" in {p.title for p in french}
    assert {p.audience for p in french} == {"tenants", "landlords", "agencies", "everyone"}
    response = _get(client, index.get_full_url())
    assert response.status_code == 200 and response.content.decode().count('data-testid="news-card"') == 4
    english = NewsPage.objects.filter(locale__language_code="en")
    assert english.count() in (0, 1)  # the English version needs the sites part's English home
    assert all(p.live and p.title == "Pay your rent with Mobile Money, from home" for p in english)


def test_after_the_sites_demo_one_post_is_in_english_too(client):
    from apps.cms import demo

    seed_sites = getattr(demo, "seed_sites", None)
    if seed_sites is None:
        pytest.skip("the sites part's demo is not there")
    seed_sites({})
    demo.seed_news({})
    english = NewsPage.objects.get(locale__language_code="en")
    assert english.title == "Pay your rent with Mobile Money, from home" and english.live
    assert urlsplit(english.get_full_url()).path == "/en/news/pay-your-rent-with-mobile-money/"
    assert _get(client, english.get_full_url()).status_code == 200
    assert _get(client, english.get_parent().specific.feed_url()).status_code == 200

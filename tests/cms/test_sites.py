"""The public sites (cms sites part): hokwe.co, hokwe.com and pay.hokwe.com, each a Wagtail
Site with its own tree, served by path on the default site and by host name at "/"; their
SEO (sitemap, robots, hreflang, OpenGraph), weight and self-hosted assets; « find my pay link »."""

import re
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from wagtail.models import Page, Site

from apps.cms import demo
from apps.cms.models.sites import HoldingHomePage, HubPage, PayHomePage, ProductHomePage
from apps.cms.services import sites as site_services

pytestmark = pytest.mark.django_db

HOSTS = {"hokwe-co": "hokwe.co", "hokwe-com": "hokwe.com", "hokwepay": "pay.hokwe.com"}
TEXTS = {
    "hokwe-co": "Le logement locatif, simple et sûr",
    "hokwe-com": "Vos loyers encaissés à temps",
    "hokwepay": "Payez votre loyer en deux minutes",
}


@pytest.fixture
def sites(settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, *HOSTS.values()]
    demo.seed_sites({})
    return HubPage.objects.get(locale__language_code="fr")


def test_the_migration_made_one_site_per_host_and_a_hub_at_the_default_root():
    hub = HubPage.objects.get(locale__language_code="fr")
    default = Site.objects.get(is_default_site=True)
    assert default.root_page_id == hub.pk and default.hostname == "localhost"
    homes = {p.slug: p.specific_class for p in hub.get_children()}
    assert homes == {"hokwe-co": HoldingHomePage, "hokwe-com": ProductHomePage, "hokwepay": PayHomePage}
    for slug, host in HOSTS.items():
        assert Site.objects.get(hostname=host).root_page.slug == slug
    # Wagtail's "Welcome" placeholder is gone
    assert not Page.objects.filter(depth=2, content_type__model="page").exists()


@pytest.mark.parametrize("slug", list(HOSTS))
def test_each_site_by_path_on_127_0_0_1_and_by_host_at_root(sites, slug):
    client = Client()
    by_path = client.get(f"/{slug}/", HTTP_HOST="127.0.0.1")
    by_host = client.get("/", HTTP_HOST=HOSTS[slug])
    assert by_path.status_code == by_host.status_code == 200
    for response in (by_path, by_host):
        html = response.content.decode()
        assert TEXTS[slug] in html
        assert '<html lang="fr">' in html
    site_key = {"hokwe-co": "holding", "hokwe-com": "product", "hokwepay": "pay"}[slug]
    assert f'class="site site-{site_key}"' in by_host.content.decode()


def test_each_host_has_its_own_tree(sites):
    client = Client()
    assert client.get("/contact/", HTTP_HOST="hokwe.co").status_code == 200
    # hokwe.co's contact page is not a page of hokwe.com
    assert client.get("/contact/", HTTP_HOST="hokwe.com").status_code == 404
    assert client.get("/fonctionnalites/", HTTP_HOST="hokwe.com").status_code == 200


def test_the_hub_at_root_links_the_manager_and_the_three_sites(sites):
    html = Client().get("/", HTTP_HOST="127.0.0.1").content.decode()
    assert 'href="/manager/login/"' in html
    for slug in HOSTS:
        assert f'href="/{slug}/"' in html


def test_english_translations_under_en_with_hreflang_and_opengraph(sites):
    client = Client()
    french = client.get("/", HTTP_HOST="hokwe.com").content.decode()
    assert '<link rel="alternate" hreflang="fr" href="http://hokwe.com/">' in french
    assert '<link rel="alternate" hreflang="en" href="http://hokwe.com/en/">' in french
    assert '<link rel="alternate" hreflang="x-default" href="http://hokwe.com/">' in french
    assert '<meta property="og:title" content="Hokwe, la gestion locative">' in french
    assert (
        '<meta property="og:description"' in french
        and '<meta property="og:url" content="http://hokwe.com/">' in french
    )
    assert '<meta name="description"' in french
    english = client.get("/en/", HTTP_HOST="hokwe.com")
    assert english.status_code == 200 and english["Content-Language"] == "en"
    text = english.content.decode()
    assert '<html lang="en">' in text and "Your rent collected on time" in text
    assert '<meta property="og:locale" content="en_GB">' in text
    # by path on the default site too
    assert (
        "Your rent collected on time" in client.get("/en/hokwe-com/", HTTP_HOST="127.0.0.1").content.decode()
    )


def test_a_visitor_s_english_cookie_does_not_turn_the_french_page_english(sites):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/", HTTP_HOST="hokwe.com").content.decode()
    assert '<html lang="fr">' in html and "Vos loyers encaissés à temps" in html


def test_an_untranslated_page_has_no_english_url(sites):
    assert Client().get("/en/contact/", HTTP_HOST="hokwe.co").status_code == 404


@pytest.mark.parametrize("host", list(HOSTS.values()))
def test_sitemap_per_host_lists_its_pages_with_alternates(sites, host):
    response = Client().get("/sitemap.xml", HTTP_HOST=host)
    assert response.status_code == 200
    xml = response.content.decode()
    locations = re.findall(r"<loc>([^<]+)</loc>", xml)
    assert f"http://{host}/" in locations and f"http://{host}/en/" in locations
    assert {urlparse(url).hostname for url in locations} == {host}
    assert f'hreflang="en" href="http://{host}/en/"' in xml


def test_robots_per_host_names_its_sitemap_and_closes_the_private_parts(sites):
    for host in HOSTS.values():
        robots = Client().get("/robots.txt", HTTP_HOST=host)
        assert robots.status_code == 200 and robots["Content-Type"].startswith("text/plain")
        text = robots.content.decode()
        assert f"Sitemap: http://{host}/sitemap.xml" in text
        assert "Disallow: /cms/" in text and "Disallow: /admin/" in text and "Disallow: /manager/" in text


def _assets(html: str) -> list[str]:
    return re.findall(r'<(?:link|script|img|iframe|source)\b[^>]*\b(?:href|src)="([^"]+)"', html)


@pytest.mark.parametrize("slug", list(HOSTS))
def test_no_third_party_asset_and_under_300_kb_before_images(sites, slug):
    html = Client().get("/", HTTP_HOST=HOSTS[slug]).content.decode()
    assets = _assets(html)
    assert assets
    for url in assets:
        parsed = urlparse(url)
        assert not parsed.netloc or parsed.hostname == HOSTS[slug], url
    weight = len(html.encode())
    for url in assets:
        path = urlparse(url).path
        if path.endswith((".css", ".js")):
            found = finders.find(path.removeprefix(settings.STATIC_URL))
            assert found, path
            with open(found, "rb") as f:
                weight += len(f.read())
    assert weight < 300 * 1024


def test_accessibility_basics(sites):
    html = Client().get("/", HTTP_HOST="pay.hokwe.com").content.decode()
    assert '<a class="skip-link" href="#main">' in html and '<main id="main"' in html
    assert re.search(r'<nav aria-label="[^"]+">', html)
    assert html.count("<h1") == 1
    form = Client().get("/pay-link/", HTTP_HOST="pay.hokwe.com").content.decode()
    field = re.search(r'<input type="tel" name="phone" id="([^"]+)"', form).group(1)
    assert f'<label for="{field}">' in form
    css = open(finders.find("cms/sites.css")).read()
    assert ":focus-visible" in css and "outline" in css


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_brand_colours_meet_wcag_aa_with_white_text():
    css = open(finders.find("cms/sites.css")).read()
    brands = re.findall(r"--brand(?:-dark)?: (#[0-9a-f]{6})", css) + re.findall(
        r"--muted: (#[0-9a-f]{6})", css
    )
    assert len(brands) >= 6
    for colour in brands:
        ratio = (1.05) / (_luminance(colour) + 0.05)
        assert ratio >= 4.5, colour


def test_anonymous_pages_come_from_the_cache_and_a_publication_refreshes_them(sites):
    client = Client()
    first = client.get("/", HTTP_HOST="hokwe.co")
    assert first.get("X-Cms-Cache") is None
    assert client.get("/", HTTP_HOST="hokwe.co")["X-Cms-Cache"] == "hit"
    home = HoldingHomePage.objects.get(locale__language_code="fr")
    home.title = "Hokwe, le groupe panafricain"
    home.save_revision().publish()
    fresh = client.get("/", HTTP_HOST="hokwe.co")
    assert fresh.get("X-Cms-Cache") is None and "Hokwe, le groupe panafricain" in fresh.content.decode()


def test_a_cached_page_is_answered_before_the_session_and_the_url_resolver(sites, monkeypatch):
    from django.urls.resolvers import URLResolver

    resolved: list[str] = []
    original = URLResolver.resolve
    monkeypatch.setattr(
        URLResolver, "resolve", lambda self, path: resolved.append(path) or original(self, path)
    )
    client = Client()
    first = client.get("/en/", HTTP_HOST="hokwe.com")
    assert first.status_code == 200 and first.get("X-Cms-Cache") is None and resolved
    resolved.clear()
    hit = client.get("/en/", HTTP_HOST="hokwe.com")
    assert hit["X-Cms-Cache"] == "hit" and hit.content == first.content and resolved == []
    assert hit["Content-Language"] == "en" and hit["Vary"] == "Cookie" and hit["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy" in hit  # the security middleware is above it
    # the French home of the same host is its own entry
    assert client.get("/", HTTP_HOST="hokwe.com").get("X-Cms-Cache") is None
    # a query string, a session cookie or credentials: down the stack (the view's own lookup)
    for extra in ({"QUERY_STRING": "utm_source=sms"}, {"HTTP_AUTHORIZATION": "Bearer x"}):
        resolved.clear()
        assert client.get("/en/", HTTP_HOST="hokwe.com", **extra).status_code in (200, 401)
        assert resolved
    client.cookies[settings.SESSION_COOKIE_NAME] = "not-a-session"
    resolved.clear()
    via_view = client.get("/en/", HTTP_HOST="hokwe.com")
    assert via_view["X-Cms-Cache"] == "hit" and resolved  # anonymous after all: the view's hit
    # another host's path that no page answered: nothing cached, the stack answers
    resolved.clear()
    assert Client().get("/en/", HTTP_HOST="pay.hokwe.com").get("X-Cms-Cache") is None and resolved


def test_pricing_reads_a_registered_catalog_and_falls_back_on_the_page(sites, monkeypatch):
    class Plan:
        def __init__(self, name, price, points):
            self.name, self.price, self.points = name, price, points

    monkeypatch.setattr(site_services, "_pricing_sources", [])
    html = Client().get("/", HTTP_HOST="hokwe.com").content.decode()
    assert "15 000 FCFA / mois" in html  # the page's own plans
    site_services.register_pricing_source(lambda: [Plan("Catalogue Pro", "42 000 FCFA / mois", ["Tout"])])
    site_services.page_cache_clear()
    html = Client().get("/", HTTP_HOST="hokwe.com").content.decode()
    assert "Catalogue Pro" in html and "42 000 FCFA / mois" in html and "15 000 FCFA / mois" not in html


def test_find_my_pay_link_sends_an_sms_and_shows_the_same_answer_whatever_the_number(sites, monkeypatch):
    from apps.notifications.models import Message

    known = "+2290197000001"
    monkeypatch.setattr(
        site_services,
        "_pay_link_finders",
        [lambda phone: ["http://127.0.0.1:8000/pay/K7Q2M"] if phone == known else []],
    )
    client = Client()
    answer_known = client.post("/pay-link/", {"phone": "01 97 00 00 01"}, HTTP_HOST="pay.hokwe.com")
    answer_unknown = client.post("/pay-link/", {"phone": "01 97 00 00 02"}, HTTP_HOST="pay.hokwe.com")
    assert answer_known.status_code == answer_unknown.status_code == 200
    strip = lambda r: re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", r.content.decode())  # noqa: E731
    assert strip(answer_known) == strip(answer_unknown)
    assert "/pay/K7Q2M" not in answer_known.content.decode()
    sent = Message.objects.filter(template_key="cms.pay_links")
    assert sent.count() == 1
    assert "/pay/K7Q2M" in sent.get().body


def test_find_my_pay_link_refuses_a_wrong_number_with_a_message(sites):
    response = Client().post("/pay-link/", {"phone": "abc"}, HTTP_HOST="pay.hokwe.com")
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()


def test_demo_seed_is_idempotent(sites):
    count = Page.objects.count()
    demo.seed_sites({})
    assert Page.objects.count() == count

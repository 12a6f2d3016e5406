"""The public pages under /market/ (docs/market.md, "Public pages"): home, results with filters,
facets and keyset pages, a listing's page and its SEO (title, description, canonical,
OpenGraph, schema.org JSON-LD), a listing gone, the sitemap, favourites, saved searches and
the seeker's own page."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.market.models import Favourite, Listing, ListingPriceChange, SavedSearch
from apps.market.services import listings as listings_service
from tests.identity.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

# Cotonou, Fidjrossè: the point the seeker searches around
POINT = (6.3547, 2.3574)


def make_listing(org=None, **fields) -> Listing:
    """A listing as the listing services leave it once published (search_text kept)."""
    org = org or OrganizationFactory()
    now = timezone.now()
    values = {
        "organization": org,
        "purpose": "rent",
        "kind": "apartment",
        "title": "Appartement 2 chambres à Fidjrossè",
        "description": "Bel appartement au calme, près de la plage.",
        "rooms": 3,
        "price": 85_000,
        "charges": 5_000,
        "currency": "XOF",
        "deposit_months": 2,
        "advance_months": 3,
        "country": "BJ",
        "city": "Cotonou",
        "neighbourhood": "Fidjrossè",
        "address": "Rue 12.345",
        "latitude": POINT[0] + 0.004,
        "longitude": POINT[1] + 0.003,
        "water": True,
        "own_meter": True,
        "status": "published",
        "published_at": now,
        "status_changed_at": now,
        "verified": True,
    }
    values.update(fields)
    listing = Listing(**values)
    listing.search_text = listings_service.search_text_of(listing)
    listing.save()
    return listing


def page_url(listing) -> str:
    return listing_path(listing)


def listing_path(listing) -> str:
    from apps.market.web.public import listing_url

    return listing_url(listing.public_id, listing.title)


def text_of(response) -> str:
    return unescape(response.content.decode()).replace("\u202f", " ").replace("\xa0", " ")


# --- home ------------------------------------------------------------------------------------------


def test_home_has_the_search_form_and_the_latest_verified_listings(client):
    verified = make_listing(title="Villa verte à Calavi", city="Abomey-Calavi", kind="villa")
    unverified = make_listing(title="Studio non vérifié", verified=False)
    draft = make_listing(title="Brouillon caché", status="draft", published_at=None)
    response = client.get(reverse("market:home"))
    html = text_of(response)
    assert response.status_code == 200
    assert '<html lang="fr">' in html
    assert 'data-testid="search-form"' in html
    for name in ("q", "city", "purpose", "price_max", "rooms_min"):
        assert f'name="{name}"' in html
    assert verified.title in html
    assert unverified.title not in html and draft.title not in html
    assert "Vérifié par Hokwe" in html


# --- a listing's page ------------------------------------------------------------------------------


def _json_ld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD"
    return json.loads(match.group(1))


def test_listing_page_shows_the_facts_and_its_seo(client):
    listing = make_listing()
    ListingPriceChange.objects.create(listing=listing, old_price=90_000, new_price=85_000, currency="XOF")
    response = client.get(page_url(listing))
    assert response.status_code == 200
    html = text_of(response)
    raw = response.content.decode()
    assert f"<title>{listing.title} · 85 000 FCFA · HokweMarket</title>" in html
    canonical = f"http://testserver{listing_path(listing)}"
    assert f'<link rel="canonical" href="{canonical}">' in html
    assert f'<meta property="og:url" content="{canonical}">' in html
    assert '<meta property="og:title"' in html and '<meta name="twitter:card"' in html
    description = re.search(r'<meta name="description" content="([^"]*)"', html).group(1)
    assert "Fidjrossè" in description and "85 000 FCFA" in description and len(description) <= 160
    # the facts, French and formatted the project's way
    assert "85 000 FCFA" in html and "5 000 FCFA" in html
    assert "2 mois de loyer" in html and "3 mois de loyer" in html
    assert "Vérifié par Hokwe" in html
    assert "eau courante" in html.lower() and "compteur" in html.lower()
    assert "90 000 FCFA → 85 000 FCFA" in html  # price history
    assert reverse("market:booking-listing", args=[listing.public_id]) in raw
    assert "Réserver une visite" in html
    assert reverse("market:apply", args=[listing.public_id]) in raw and "Postuler" in html
    # the map: leaflet from our own static files, deferred; the point in a JSON data block
    assert '/static/vendor/leaflet/leaflet.js" defer' in raw
    assert 'id="map-points" type="application/json"' in raw
    assert "<script>" not in raw  # no inline script (CSP)
    # JSON-LD: an Offer of an Apartment, with its price, currency, address and position
    data = _json_ld(raw)
    assert data["@context"] == "https://schema.org" and data["@type"] == "Offer"
    assert data["price"] == "85000" and data["priceCurrency"] == "XOF"
    assert data["url"] == canonical
    place = data["itemOffered"]
    assert place["@type"] == "Apartment"
    assert place["geo"] == {
        "@type": "GeoCoordinates",
        "latitude": listing.latitude,
        "longitude": listing.longitude,
    }
    assert place["address"]["addressLocality"] == "Cotonou" and place["address"]["addressCountry"] == "BJ"
    assert data["priceSpecification"]["unitCode"] == "MON"


def test_listing_json_ld_cannot_break_out_of_its_script(client):
    listing = make_listing(title="Chambre </script><script>alert(1)</script>")
    raw = client.get(page_url(listing)).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', raw, re.S).group(1)
    assert "<" not in block
    assert json.loads(block)["name"] == listing.title


def test_listing_page_map_allows_the_tile_host_only_there(client, settings):
    settings.MARKET_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    listing = make_listing()
    policy = client.get(page_url(listing))["Content-Security-Policy"]
    img = next(d for d in policy.split("; ") if d.startswith("img-src "))
    assert "https://tile.openstreetmap.org" in img
    assert "script-src 'self' 'nonce-" in policy  # the rest of the page policy is untouched
    home_policy = client.get(reverse("market:home"))["Content-Security-Policy"]
    assert "openstreetmap" not in home_policy


def test_a_wrong_or_missing_slug_redirects_to_the_canonical_address(client):
    listing = make_listing()
    wrong = reverse("market:listing", args=[listing.public_id, "autre-titre"])
    assert client.get(wrong)["Location"] == listing_path(listing)
    short = reverse("market:listing-short", args=[listing.public_id])
    response = client.get(short)
    assert response.status_code == 301 and response["Location"] == listing_path(listing)


@pytest.mark.parametrize("status", ["let", "withdrawn", "expired", "sold"])
def test_a_listing_gone_says_so_with_similar_ones(client, status):
    listing = make_listing(status=status)
    response = client.get(page_url(listing))
    html = text_of(response)
    assert response.status_code == 410
    assert "Cette annonce n'est plus disponible" in html
    assert 'data-testid="similar"' in html and "city=Cotonou" in html
    assert "85 000" not in html  # the offer itself is not shown any more


def test_a_draft_or_unknown_listing_is_a_helpful_404(client):
    draft = make_listing(status="in_review", published_at=None, title="Annonce en relecture")
    response = client.get(page_url(draft))
    assert response.status_code == 404
    html = text_of(response)
    assert "Annonce introuvable" in html and "Annonce en relecture" not in html
    assert 'href="/market/search"' in html
    unknown = client.get("/market/l/00000000-0000-4000-8000-000000000000/rien")
    assert unknown.status_code == 404 and "Annonce introuvable" in text_of(unknown)


def test_a_signed_in_visitor_is_recorded_and_can_favourite(client):
    listing = make_listing()
    anonymous = client.post(reverse("market:favourite", args=[listing.public_id]), {"action": "add"})
    assert anonymous.status_code == 302
    target = urlsplit(anonymous["Location"])
    assert target.path == reverse("manager:login")
    assert parse_qs(target.query)["next"] == [listing_path(listing)]
    assert not Favourite.objects.exists()

    seeker = UserFactory()
    client.force_login(seeker)
    client.get(page_url(listing))
    from apps.market.models import RecentView

    assert RecentView.objects.filter(user=seeker, listing=listing).exists()
    added = client.post(reverse("market:favourite", args=[listing.public_id]), {"action": "add"})
    assert added.status_code == 302 and added["Location"] == listing_path(listing)
    assert Favourite.objects.filter(user=seeker, listing=listing).exists()
    assert "Dans vos favoris" in text_of(client.get(page_url(listing)))
    client.post(reverse("market:favourite", args=[listing.public_id]), {"action": "remove"})
    assert not Favourite.objects.filter(user=seeker, listing=listing).exists()


def test_listing_page_query_count_is_bounded(client, django_assert_max_num_queries):
    listing = make_listing()
    client.force_login(UserFactory())
    with django_assert_max_num_queries(20):
        assert client.get(page_url(listing)).status_code == 200


# --- search ----------------------------------------------------------------------------------------


def _search(client, **params):
    return client.get(reverse("market:search"), params)


def test_a_misspelt_neighbourhood_within_2_km_of_a_point_finds_the_listing(client):
    near = make_listing()
    far = make_listing(title="Appartement à Fidjrossè (loin)", latitude=6.50, longitude=2.60)
    response = _search(client, q="fidjrose", lat=POINT[0], lng=POINT[1], radius_km=2)
    html = text_of(response)
    assert response.status_code == 200, html[:2000]
    assert near.title in html
    assert far.title not in html
    assert "km" in html  # the distance of each result


def test_filters_narrow_the_results(client):
    cheap = make_listing(title="Studio meublé pas cher", kind="studio", price=40_000, rooms=1, furnished=True)
    dear = make_listing(title="Villa avec parking", kind="villa", price=400_000, rooms=5, parking=True)
    html = text_of(_search(client, price_max=100_000))
    assert cheap.title in html and dear.title not in html
    html = text_of(_search(client, kind="villa", amenity="parking", rooms_min=4))
    assert dear.title in html and cheap.title not in html
    abidjan = make_listing(title="Studio à Cocody", country="CI", city="Abidjan", neighbourhood="Cocody")
    html = text_of(_search(client, country="CI"))
    assert abidjan.title in html and cheap.title not in html
    html = text_of(_search(client, furnished="yes"))
    assert cheap.title in html and dear.title not in html
    html = text_of(_search(client, available_by=(timezone.localdate() + timedelta(days=30)).isoformat()))
    assert response_ok(html)


def response_ok(html: str) -> bool:
    return 'data-testid="search-errors"' not in html


def test_facets_are_links_with_counts(client):
    make_listing(kind="studio", title="Studio un")
    make_listing(kind="studio", title="Studio deux")
    make_listing(kind="villa", title="Villa trois", city="Porto-Novo", neighbourhood="Ouando")
    response = _search(client, purpose="rent")
    html = text_of(response)
    links = re.findall(r'<a href="([^"]*)"(?: aria-current="true")? data-facet="kind">([^<]*)</a>', html)
    labels = {label.strip() for _href, label in links}
    assert "studio (2)" in labels and "villa (1)" in labels
    href = next(h for h, label in links if label.startswith("studio"))
    query = parse_qs(urlsplit(href).query)
    assert query["kind"] == ["studio"] and query["purpose"] == ["rent"]
    followed = text_of(client.get(reverse("market:search") + href))
    assert "Studio un" in followed and "Villa trois" not in followed
    assert re.search(r'data-facet="city">Porto-Novo \(1\)', html)


def test_keyset_next_page(client):
    org = OrganizationFactory()
    for n in range(23):
        make_listing(org, title=f"Chambre numéro {n:02d}", price=20_000 + n * 1_000, kind="entrer_coucher")
    first = text_of(_search(client, sort="price"))
    assert first.count('data-testid="listing-card"') == 20
    next_href = re.search(r'<a class="btn primary" href="([^"]+)" rel="next"', first).group(1)
    assert "after=" in next_href
    second = text_of(client.get(reverse("market:search") + next_href))
    assert second.count('data-testid="listing-card"') == 3
    assert "Chambre numéro 22" in second and "Chambre numéro 00" not in second
    assert 'rel="next"' not in second
    assert '<meta name="robots" content="noindex">' in second
    # the page read 21 of the 23 matches: the count is the facets', on every page
    for html in (first, second):
        assert re.search(r'data-testid="results-total">\(23 [^)]*\)', html), html[:2000]


def test_many_matches_are_counted_approximately_and_said_so(client, settings):
    for n in range(40):
        make_listing(title=f"Chambre {n:02d}", price=20_000 + n * 1_000, kind="entrer_coucher")
    settings.MARKET_FACETS_EXACT_UP_TO = 0  # every count is a sixteenth's, scaled
    html = text_of(_search(client, sort="price"))
    sampled = sum(1 for x in Listing.objects.all() if x.pk % 16 == 0)
    counted = re.search(r'data-testid="results-total">\(≈ (\d+) ', html)
    assert sampled and counted and int(counted.group(1)) == 16 * sampled


@pytest.mark.parametrize(
    "params",
    [
        {"lat": "abc", "lng": "2.3"},
        {"lat": "6.3"},
        {"radius_km": "2"},
        {"price_min": "90000", "price_max": "10000"},
        {"after": "not-a-cursor"},
        {"sort": "distance"},
        {"kind": "castle"},
        {"available_by": "2026-13-45"},
        {"lat": "95", "lng": "2"},
        {"bounds": "1,2,3"},
    ],
)
def test_bad_input_is_a_form_error_never_a_500(client, params):
    response = _search(client, **params)
    html = text_of(response)
    assert response.status_code == 400
    assert 'data-testid="search-errors"' in html
    assert 'class="field-error"' in html or 'data-testid="form-errors"' in html


def test_a_huge_or_hostile_text_is_answered(client):
    make_listing()
    for text in ["x" * 10_000, "'; DROP TABLE market_listing; --", "(.*)+[", "%_\\"]:
        response = _search(client, q=text)
        assert response.status_code in (200, 400)
    assert Listing.objects.count() == 1


def test_search_query_count_is_bounded(client, django_assert_max_num_queries):
    for n in range(12):
        make_listing(title=f"Studio {n}", kind="studio")
    with django_assert_max_num_queries(12):
        assert _search(client, q="studio", lat=POINT[0], lng=POINT[1], radius_km=5).status_code == 200


def test_results_carry_the_map_points_and_lazy_images(client):
    listing = make_listing(cover="market/photos/2026/12/cover-thumb.webp")
    raw = _search(client, city="Cotonou").content.decode()
    points = json.loads(
        re.search(r'<script id="map-points" type="application/json">(.*?)</script>', raw, re.S).group(1)
    )
    assert points == [
        {
            "lat": listing.latitude,
            "lng": listing.longitude,
            "title": listing.title,
            "url": listing_path(listing),
            "price": points[0]["price"],
        }
    ]
    assert re.search(
        r'<img src="[^"]*cover-thumb.webp" alt="" loading="lazy" decoding="async" width="\d+" height="\d+">',
        raw,
    )
    assert "data-map-toggle" in raw  # the map's toggle on a phone


# --- sitemap ---------------------------------------------------------------------------------------


def test_sitemap_lists_the_visible_listings(client):
    shown = make_listing()
    reserved = make_listing(status="reserved", title="Réservée")
    hidden = make_listing(status="draft", title="Cachée", published_at=None)
    response = client.get(reverse("market:sitemap"))
    body = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    assert f"<loc>http://testserver{listing_path(shown)}</loc>" in body
    assert listing_path(reserved) in body
    assert str(hidden.public_id) not in body


def test_a_large_sitemap_is_an_index_of_pages(client, settings):
    settings.MARKET_SITEMAP_PAGE_SIZE = 2
    rows = [make_listing(title=f"Annonce {n}") for n in range(5)]
    index = client.get(reverse("market:sitemap")).content.decode()
    assert "<sitemapindex" in index
    pages = re.findall(r"<loc>([^<]+)</loc>", index)
    assert len(pages) == 3
    seen = []
    for page in pages:
        body = client.get(page.replace("http://testserver", "")).content.decode()
        seen += re.findall(r"/market/l/([0-9a-f-]{36})/", body)
    assert sorted(seen) == sorted(str(r.public_id) for r in rows)
    assert client.get(reverse("market:sitemap") + "?p=9").status_code == 404
    assert client.get(reverse("market:sitemap") + "?p=x").status_code == 404


# --- the seeker's own page -------------------------------------------------------------------------


def test_me_needs_a_sign_in(client):
    response = client.get(reverse("market:me"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("manager:login"))


def test_save_a_search_then_delete_it(client):
    seeker = UserFactory()
    client.force_login(seeker)
    query = "q=fidjrosse&city=Cotonou&price_max=100000"
    response = client.post(
        f"{reverse('market:search-save')}?{query}", {"name": "Près de la plage", "channel": "sms"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("market:me")
    saved = SavedSearch.objects.get(user=seeker)
    assert saved.name == "Près de la plage" and saved.channel == "sms"
    me = text_of(client.get(reverse("market:me")))
    assert "Près de la plage" in me
    link = re.search(r'<a href="(/market/search\?[^"]+)">Près de la plage</a>', me).group(1)
    params = parse_qs(urlsplit(link).query)
    assert params["q"] == ["fidjrosse"] and params["price_max"] == ["100000"]
    client.post(reverse("market:search-delete", args=[saved.public_id]))
    assert not SavedSearch.objects.filter(pk=saved.pk).exists()


def test_me_shows_only_the_callers_own_data(client, django_assert_max_num_queries):
    listing = make_listing(title="Maison de Kossi")
    other = make_listing(title="Maison de Awa")
    mine, theirs = UserFactory(), UserFactory()
    client.force_login(theirs)
    client.post(reverse("market:favourite", args=[other.public_id]), {"action": "add"})
    client.post(
        f"{reverse('market:search-save')}?q=secret", {"name": "Recherche secrète d'Awa", "channel": "sms"}
    )
    saved_theirs = SavedSearch.objects.get(user=theirs)
    client.force_login(mine)
    client.post(reverse("market:favourite", args=[listing.public_id]), {"action": "add"})
    with django_assert_max_num_queries(14):
        html = text_of(client.get(reverse("market:me")))
    assert "Maison de Kossi" in html
    assert "Maison de Awa" not in html and "Recherche secrète" not in html
    # another person's saved search cannot be deleted
    response = client.post(reverse("market:search-delete", args=[saved_theirs.public_id]))
    assert response.status_code == 404
    assert SavedSearch.objects.filter(pk=saved_theirs.pk).exists()


def test_the_search_pages_may_ask_the_phones_position_and_nothing_else(client):
    for path in (reverse("market:home"), reverse("market:search") + "?q=studio"):
        policy = client.get(path)["Permissions-Policy"]
        assert "geolocation=(self)" in policy and "camera=()" in policy and "microphone=()" in policy
    listing = make_listing()
    assert "geolocation=()" in client.get(page_url(listing))["Permissions-Policy"]


def test_listing_photos_have_a_srcset_and_load_lazily_but_the_first(client):
    from apps.market.models import ListingPhoto

    listing = make_listing()
    for n in range(3):
        ListingPhoto.objects.create(
            listing=listing,
            position=n,
            original=f"market/photos/2026/12/p{n}.jpg",
            sizes={size: f"market/photos/2026/12/p{n}-{size}.webp" for size in ("thumb", "medium", "large")},
            width=1600,
            height=1200,
        )
    raw = client.get(page_url(listing)).content.decode()
    images = re.findall(r"<img [^>]*>", re.search(r'data-testid="gallery">(.*?)</div>', raw, re.S).group(1))
    assert len(images) == 3
    assert 'src="/media/market/photos/2026/12/p0-medium.webp"' in images[0]
    assert (
        'srcset="/media/market/photos/2026/12/p0-thumb.webp 320w, /media/market/photos/2026/12/p0-medium.webp 800w, '
        '/media/market/photos/2026/12/p0-large.webp 1600w"' in images[0]
    )
    assert 'width="800" height="600"' in images[0]
    assert 'loading="lazy"' not in images[0]  # the first photo is the page's main image
    assert all('loading="lazy"' in image for image in images[1:])
    og = re.search(r'<meta property="og:image" content="([^"]+)">', raw).group(1)
    assert og == "http://testserver/media/market/photos/2026/12/p0-medium.webp"
    assert _json_ld(raw)["image"][0] == "http://testserver/media/market/photos/2026/12/p0-large.webp"

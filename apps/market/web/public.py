"""HokweMarket's public pages under /market/ (docs/market.md, "Public pages").

Server-rendered and light (a phone on 3G): the home with its search form, the results with
filters, facets, sort, keyset pages and a Leaflet map, a listing's page (SEO: title,
description, canonical, OpenGraph, schema.org JSON-LD), the sitemap, and the signed-in
seeker's own page (/market/me/). The search, the saved searches, favourites and recent views
are part of services.search / services.saved; visits and applications are their own pages
(/booking/, market:apply), linked from here. No refusal is a bare 404: a bad query is a form
error, a listing let or withdrawn says so (410) and offers similar ones."""

from __future__ import annotations

import json
from urllib.parse import urlencode, urlsplit

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.text import slugify
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core.errors import DomainError
from apps.core.gateway import page_policy
from apps.core.money import exponent, format_amount

from ..contracts import AMENITIES, VISIBLE_STATUSES, ListingKind, ListingPurpose, ListingStatus, SearchSort
from ..errors import ListingNotFound
from ..models import Favourite, Listing, ListingPhoto
from ..models.listing import KIND_LABELS, PURPOSE_LABELS
from ..services import applications as applications_service
from ..services import listings as listings_service
from ..services import photos as photos_service
from ..services import saved as saved_service
from ..services import search as search_service
from ..services import sponsored as sponsored_service
from ..services import visits as visits_service

CURRENCY = "XOF"
GONE_STATUSES = frozenset(
    {ListingStatus.LET, ListingStatus.SOLD, ListingStatus.WITHDRAWN, ListingStatus.EXPIRED}
)
AMENITY_LABELS = {
    "water": _("running water"),
    "own_meter": _("own electricity meter"),
    "parking": _("parking"),
    "air_conditioning": _("air conditioning"),
    "security": _("guard or secured compound"),
}
SORT_LABELS = {
    SearchSort.RELEVANCE: _("most relevant"),
    SearchSort.PRICE_ASC: _("price, lowest first"),
    SearchSort.PRICE_DESC: _("price, highest first"),
    SearchSort.NEWEST: _("newest"),
    SearchSort.DISTANCE: _("nearest"),
}
# srcset widths of the resized photos: the longest side of each copy services/photos.py writes
PHOTO_WIDTHS = photos_service.SIZES
# schema.org type of a listing's kind (a place to live, or a plain place for a shop or land)
SCHEMA_TYPES = {
    ListingKind.APARTMENT: "Apartment",
    ListingKind.STUDIO: "Apartment",
    ListingKind.ROOM_LIVING: "Apartment",
    ListingKind.ENTRER_COUCHER: "Room",
    ListingKind.VILLA: "House",
    ListingKind.HOUSE: "House",
}
FURNISHED_CHOICES = [("", _("either")), ("yes", _("furnished")), ("no", _("unfurnished"))]


# --- the search form ----------------------------------------------------------------------------


class SearchForm(forms.Form):
    """The seeker's criteria as GET parameters (short names in the URL a person shares). The
    form checks the types; services.search.clean_query checks and caps the rest."""

    q = forms.CharField(
        label=_("Where? What?"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("Neighbourhood, city, « studio »…"),
                "enterkeyhint": "search",
            }
        ),
    )
    purpose = forms.ChoiceField(
        label=pgettext_lazy("market search", "Rent or buy"),
        required=False,
        choices=[
            ("", pgettext_lazy("market search", "either")),
            (ListingPurpose.RENT.value, pgettext_lazy("market search", "to rent")),
            (ListingPurpose.SALE.value, pgettext_lazy("market search", "to buy")),
        ],
    )
    country = forms.ChoiceField(
        label=pgettext_lazy("market search", "Country"),
        required=False,
        choices=[("", _("Benin and Côte d'Ivoire")), ("BJ", _("Benin")), ("CI", _("Côte d'Ivoire"))],
    )
    city = forms.CharField(label=_("City"), required=False, max_length=100)
    neighbourhood = forms.CharField(label=_("Neighbourhood"), required=False, max_length=100)
    kind = forms.MultipleChoiceField(
        label=_("Kind"),
        required=False,
        choices=[(k.value, KIND_LABELS[k]) for k in ListingKind],
        widget=forms.CheckboxSelectMultiple,
    )
    price_min = forms.IntegerField(
        label=_("Price from (FCFA)"),
        required=False,
        min_value=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    price_max = forms.IntegerField(
        label=_("Price up to (FCFA)"),
        required=False,
        min_value=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    rooms_min = forms.IntegerField(
        label=_("Rooms (at least)"),
        required=False,
        min_value=0,
        max_value=50,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    furnished = forms.ChoiceField(label=_("Furnished"), required=False, choices=FURNISHED_CHOICES)
    amenity = forms.MultipleChoiceField(
        label=_("With"),
        required=False,
        choices=[(a, AMENITY_LABELS[a]) for a in AMENITIES],
        widget=forms.CheckboxSelectMultiple,
    )
    available_by = forms.DateField(
        label=_("Available by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    lat = forms.FloatField(
        label=_("Latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    lng = forms.FloatField(
        label=_("Longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    radius_km = forms.FloatField(
        label=_("Within (km)"),
        required=False,
        min_value=0,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    bounds = forms.CharField(required=False, max_length=120, widget=forms.HiddenInput)
    sort = forms.ChoiceField(
        label=_("Sort by"), required=False, choices=[(s.value, SORT_LABELS[s]) for s in SearchSort]
    )
    after = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        lat, lng = data.get("lat"), data.get("lng")
        if (lat is None) != (lng is None) and not self.has_error("lat") and not self.has_error("lng"):
            self.add_error("lat", _("Give both the latitude and the longitude of the point, or neither."))
        if data.get("radius_km") and lat is None and lng is None and not self.has_error("lat"):
            self.add_error("radius_km", _("Choose a point on the map (or give its latitude and longitude)."))
        low, high = data.get("price_min"), data.get("price_max")
        if low is not None and high is not None and low > high:
            self.add_error("price_max", _("The highest price is below the lowest."))
        return data


def _criteria(cleaned: dict) -> dict:
    """The form's cleaned values as the mapping services.search.clean_query reads (the names
    of contracts.SearchQuery; prices in minor units)."""
    scale = 10 ** exponent(CURRENCY)
    data: dict = {}
    for name in ("purpose", "country", "city", "neighbourhood", "sort", "after"):
        if cleaned.get(name):
            data[name] = cleaned[name]
    if cleaned.get("q"):
        data["text"] = cleaned["q"]
    if cleaned.get("kind"):
        data["kinds"] = list(cleaned["kind"])
    if cleaned.get("amenity"):
        data["amenities"] = list(cleaned["amenity"])
    for name in ("price_min", "price_max"):
        if cleaned.get(name) is not None:
            data[name] = cleaned[name] * scale
    if cleaned.get("rooms_min") is not None:
        data["rooms_min"] = cleaned["rooms_min"]
    if cleaned.get("furnished"):
        data["furnished"] = cleaned["furnished"] == "yes"
    if cleaned.get("available_by"):
        data["available_by"] = cleaned["available_by"].isoformat()
    if cleaned.get("lat") is not None and cleaned.get("lng") is not None:
        data["latitude"] = cleaned["lat"]
        data["longitude"] = cleaned["lng"]
        if cleaned.get("radius_km"):
            data["radius_m"] = round(cleaned["radius_km"] * 1000)
    if cleaned.get("bounds"):
        data["bounds"] = cleaned["bounds"]
    return data


# the error of clean_query (a field of SearchQuery) -> the form's field
FIELD_OF = {
    "text": "q",
    "kinds": "kind",
    "amenities": "amenity",
    "latitude": "lat",
    "longitude": "lng",
    "radius_m": "radius_km",
}


def _query_of(form: SearchForm):
    """The cleaned SearchQuery, or None with the refusal added to the form."""
    if not form.is_valid():
        return None
    try:
        return search_service.clean_query(_criteria(form.cleaned_data))
    except DomainError as exc:
        field = FIELD_OF.get(exc.field or "", exc.field or "")
        shown = field in form.fields and not form.fields[field].widget.is_hidden
        form.add_error(field if shown else None, str(exc.message))
        return None


# --- helpers --------------------------------------------------------------------------------------


def _media_url(path: str) -> str:
    if not path:
        return ""
    if path.startswith(("http://", "https://", "/")):
        return path
    return default_storage.url(path)


def _money(amount: int, currency: str) -> str:
    return format_amount(amount, currency)


def listing_url(public_id, title: str) -> str:
    return reverse("market:listing", args=[public_id, slugify(title)[:60] or "annonce"])


def _tiles() -> dict:
    return {
        "url": settings.MARKET_TILE_URL,
        "attribution": settings.MARKET_TILE_ATTRIBUTION,
    }


def _with_tiles(request, response):
    """The page policy (apps.core.gateway) plus the map tiles' host in img-src, on the pages
    that show a map: the OSM tile server is the only outside source of these pages."""
    tile_url = settings.MARKET_TILE_URL
    parts = urlsplit(tile_url)
    if not parts.netloc or settings.CSP_REPORT_ONLY or not hasattr(request, "csp_nonce"):
        return response
    host = f"{parts.scheme}://{parts.netloc}"
    directives = page_policy(request.csp_nonce, request.path_info, response).split("; ")
    directives = [d + f" {host}" if d.startswith("img-src ") and host not in d else d for d in directives]
    response["Content-Security-Policy"] = "; ".join(directives)
    return response


def _allow_geolocation(response):
    """The pages with the search form may ask the phone's position (« Autour de moi »): the
    platform's Permissions-Policy with geolocation allowed for this site only."""
    policy = settings.PERMISSIONS_POLICY
    response["Permissions-Policy"] = policy.replace("geolocation=()", "geolocation=(self)")
    return response


def _json_ld(data: dict) -> str:
    """JSON for a <script type="application/ld+json"> (escaped like json_script: no </script>)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")


def _hit_card(hit) -> dict:
    return {
        "hit": hit,
        "url": listing_url(hit.public_id, hit.title),
        "price": _money(hit.price, hit.currency),
        "kind": KIND_LABELS.get(hit.kind, hit.kind),
        "purpose": PURPOSE_LABELS.get(hit.purpose, hit.purpose),
        "cover": _media_url(hit.cover),
        "distance_km": None if hit.distance_m is None else round(hit.distance_m / 1000, 1),
    }


def _points(cards: list[dict]) -> list[dict]:
    return [
        {
            "lat": c["hit"].latitude,
            "lng": c["hit"].longitude,
            "title": c["hit"].title,
            "url": c["url"],
            "price": c["price"],
        }
        for c in cards
        if c["hit"].latitude is not None and c["hit"].longitude is not None
    ]


def _params(request, **changes) -> str:
    """The current query string with `changes` (None removes a key; a list sets every value),
    without the page cursor: a new filter starts again from the first page."""
    params = request.GET.copy()
    params.pop("after", None)
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        elif isinstance(value, list | tuple):
            params.setlist(key, [str(v) for v in value])
        else:
            params[key] = str(value)
    return "?" + params.urlencode() if params else "?"


# --- pages ------------------------------------------------------------------------------------------


@require_GET
def home(request):
    """The search form and the latest verified listings."""
    recent = list(
        Listing.objects.filter(status__in=VISIBLE_STATUSES, verified=True)
        .order_by("-published_at", "-id")
        .only(*listings_service.HIT_FIELDS)[:8]
    )
    cards = [_listing_card(listing) for listing in recent]
    response = render(
        request,
        "market/public/home.html",
        {
            "form": SearchForm(),
            "cards": cards,
            "canonical": request.build_absolute_uri(reverse("market:home")),
        },
    )
    return _allow_geolocation(response)


def _listing_card(listing: Listing) -> dict:
    return {
        "hit": listing,
        "url": listing_url(listing.public_id, listing.title),
        "price": _money(listing.price, listing.currency),
        "kind": KIND_LABELS.get(listing.kind, listing.kind),
        "purpose": PURPOSE_LABELS.get(listing.purpose, listing.purpose),
        "cover": _media_url(listing.cover),
        "distance_km": None,
    }


def _result_count(page, facets) -> tuple[int | None, bool]:
    """The matches to show and whether the count is approximate: the page's own count when it
    has one, else the facets' (sampled when they were many)."""
    if page is None:
        return None, False
    if page.total is not None:
        return page.total, False
    if facets is None:
        return None, False
    return facets.total, not facets.exact


@require_GET
def search(request):
    """Results of the seeker's criteria: cards, facets as links, sort, the next page's cursor
    and the map of the results. A bad criterion is a form error (400), never a 500."""
    form = SearchForm(request.GET)
    query = _query_of(form)
    status = 200
    page = facets = None
    cards: list[dict] = []
    sponsored_cards: list[dict] = []
    if query is None:
        status = 400
    else:
        try:
            page = search_service.search(query)
            facets = search_service.facets(query)
        except DomainError as exc:  # a cursor from another sort, a backend's refusal
            form.add_error(None, str(exc.message))
            status = 400
        else:
            cards = [_hit_card(hit) for hit in page.hits]
            for item in sponsored_service.sponsored(query, request=request):
                card = _hit_card(item.hit)
                card.update(url=item.click_url, impression_url=item.impression_url, sponsored=True)
                sponsored_cards.append(card)
    result_count, result_count_approximate = _result_count(page, facets)
    context = {
        "sponsored_cards": sponsored_cards,
        "form": form,
        "query": query,
        "page": page,
        "cards": cards,
        "facet_groups": _facet_groups(request, facets) if facets else [],
        "facets_approximate": bool(facets) and not facets.exact,
        "result_count": result_count,
        "result_count_approximate": result_count_approximate,
        "points": _points(cards),
        "tiles": _tiles(),
        "center": f"{query.latitude},{query.longitude}" if query and query.latitude is not None else "",
        "next_url": _next_url(request, page),
        "first_url": _params(request) if request.GET.get("after") else "",
        "sort_choices": [(s.value, SORT_LABELS[s]) for s in SearchSort],
        "current_sort": (query.sort if query else "") or SearchSort.RELEVANCE,
        "canonical": request.build_absolute_uri(reverse("market:search")),
        "can_save": request.user.is_authenticated and query is not None,
        "save_form": SaveSearchForm(initial={"name": _search_name(form)}),
    }
    response = render(request, "market/public/search.html", context, status=status)
    return _allow_geolocation(_with_tiles(request, response))


def _next_url(request, page) -> str:
    if page is None or not page.next_cursor:
        return ""
    params = request.GET.copy()
    params["after"] = page.next_cursor
    return "?" + params.urlencode()


def _facet_groups(request, facets) -> list[dict]:
    """Each facet's values with their count, as links to the same search with that value set."""
    current = request.GET
    groups = []

    def group(title, key, items, *, multiple=False):
        links = []
        for value, label, count in items:
            selected = value in current.getlist(key) if multiple else current.get(key) == value
            if multiple:
                values = current.getlist(key)
                values = [v for v in values if v != value] if selected else [*values, value]
                href = _params(request, **{key: values or None})
            else:
                href = _params(request, **{key: None if selected else value})
            links.append({"label": label, "count": count, "href": href, "selected": selected})
        if links:
            groups.append({"title": title, "key": key, "links": links})

    group(
        _("Kind"),
        "kind",
        [(k, KIND_LABELS.get(k, k), n) for k, n in facets.kinds.items() if n],
        multiple=True,
    )
    group(_("City"), "city", [(c, c, n) for c, n in facets.cities.items() if n])
    group(_("Neighbourhood"), "neighbourhood", [(c, c, n) for c, n in facets.neighbourhoods.items() if n])
    group(
        _("Rooms"),
        "rooms_min",
        [(str(r), gettext("%(n)s+ rooms") % {"n": r}, n) for r, n in sorted(facets.rooms.items()) if n],
    )
    group(
        _("Furnished"),
        "furnished",
        [
            ("yes" if f else "no", gettext("furnished") if f else gettext("unfurnished"), n)
            for f, n in facets.furnished.items()
            if n
        ],
    )
    group(
        _("With"),
        "amenity",
        [(a, AMENITY_LABELS.get(a, a), n) for a, n in facets.amenities.items() if n],
        multiple=True,
    )
    scale = 10 ** exponent(CURRENCY)
    links = []
    for band, n in facets.price_bands.items():
        low, high = _band_bounds(str(band))
        if not n or (low is None and high is None):
            continue
        lo = None if low is None else low // scale
        hi = None if high is None else high // scale
        selected = current.get("price_min", "") == ("" if lo is None else str(lo)) and current.get(
            "price_max", ""
        ) == ("" if hi is None else str(hi))
        href = _params(request, price_min=None if selected else lo, price_max=None if selected else hi)
        links.append({"label": _band_label(low, high), "count": n, "href": href, "selected": selected})
    if links:
        groups.append({"title": _("Price"), "key": "price", "links": links})
    return groups


def _band_bounds(band: str) -> tuple[int | None, int | None]:
    """services.search's price band labels: "25000-50000" (minor units), "500000+"."""
    if band.endswith("+") and band[:-1].isdigit():
        return int(band[:-1]), None
    low, sep, high = band.partition("-")
    if sep and low.isdigit() and high.isdigit():
        return (int(low) or None), int(high)
    return None, None


def _band_label(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return gettext("%(low)s to %(high)s") % {"low": _money(low, CURRENCY), "high": _money(high, CURRENCY)}
    if low is not None:
        return gettext("from %(low)s") % {"low": _money(low, CURRENCY)}
    return gettext("up to %(high)s") % {"high": _money(high or 0, CURRENCY)}


def _search_name(form: SearchForm) -> str:
    data = form.cleaned_data if form.is_bound and hasattr(form, "cleaned_data") else {}
    bits = [data.get("q") or "", data.get("neighbourhood") or "", data.get("city") or ""]
    name = " · ".join(b for b in bits if b)
    return (name or gettext("My search"))[:120]


# --- a listing ------------------------------------------------------------------------------------


@require_GET
def listing_short(request, public_id):
    """/market/l/<id>: the canonical address with the title's slug."""
    try:
        listing = listings_service.visible_listing(public_id)
    except ListingNotFound:
        return _gone_or_unknown(request, public_id)
    return HttpResponsePermanentRedirect(listing_url(listing.public_id, listing.title))


@require_GET
def listing(request, public_id, slug: str):
    try:
        item = listings_service.visible_listing(public_id)
    except ListingNotFound:
        return _gone_or_unknown(request, public_id)
    canonical_path = listing_url(item.public_id, item.title)
    if slug != canonical_path.rstrip("/").rsplit("/", 1)[1]:
        return HttpResponsePermanentRedirect(canonical_path)
    user = request.user
    favourite = False
    if user.is_authenticated:
        saved_service.record_view(user=user, listing=item)
        favourite = Favourite.objects.filter(user=user, listing=item).exists()
    photos = list(ListingPhoto.objects.filter(listing=item).order_by("position", "id"))
    history = list(item.price_changes.order_by("-created_at")[:12])
    canonical = request.build_absolute_uri(canonical_path)
    gallery = [_photo(p) for p in photos]
    context = {
        "listing": item,
        "kind": KIND_LABELS.get(item.kind, item.kind),
        "purpose": PURPOSE_LABELS.get(item.purpose, item.purpose),
        "price": _money(item.price, item.currency),
        "charges": _money(item.charges, item.currency) if item.charges else "",
        "agency_fee": _money(item.agency_fee, item.currency) if item.agency_fee else "",
        "amenities": [AMENITY_LABELS[a] for a in AMENITIES if getattr(item, a, False)],
        "photos": gallery,
        "history": [
            {
                "when": change.created_at,
                "old": _money(change.old_price, change.currency),
                "new": _money(change.new_price, change.currency),
            }
            for change in history
        ],
        "favourite": favourite,
        "canonical": canonical,
        "description": _description(item),
        "og_image": request.build_absolute_uri(gallery[0]["medium"]) if gallery else "",
        "json_ld": _json_ld(
            _schema(item, canonical, [request.build_absolute_uri(p["large"]) for p in gallery])
        ),
        "points": [{"lat": item.latitude, "lng": item.longitude, "title": item.title, "url": "", "price": ""}]
        if item.latitude is not None and item.longitude is not None
        else [],
        "tiles": _tiles(),
        "book_url": reverse("market:booking-listing", args=[item.public_id]),
        "apply_url": _apply_url(item),
        "reserved": item.status == ListingStatus.RESERVED,
    }
    return _with_tiles(request, render(request, "market/public/listing.html", context))


def _apply_url(item: Listing) -> str:
    """The application page of the listing (market:apply); none while that page is not
    mounted (the button is then left out)."""
    try:
        return reverse("market:apply", args=[item.public_id])
    except NoReverseMatch:
        return ""


def _photo(photo: ListingPhoto) -> dict:
    sizes = photo.sizes or {}
    urls = {name: _media_url(sizes.get(name, "")) for name in PHOTO_WIDTHS}
    fallback = _media_url(photo.original.name) if photo.original else ""
    for name in PHOTO_WIDTHS:
        urls[name] = urls[name] or fallback
    srcset = ", ".join(f"{urls[name]} {width}w" for name, width in PHOTO_WIDTHS.items() if sizes.get(name))
    width, height = (photo.width or 4, photo.height or 3)
    return {
        "thumb": urls["thumb"],
        "medium": urls["medium"],
        "large": urls["large"],
        "srcset": srcset,
        "width": 800,
        "height": round(800 * height / width) if width else 600,
        "alt": photo.caption,
    }


def _description(item: Listing) -> str:
    bits = [
        f"{KIND_LABELS.get(item.kind, item.kind)} {PURPOSE_LABELS.get(item.purpose, item.purpose)}",
        ", ".join(b for b in (item.neighbourhood, item.city) if b),
        _money(item.price, item.currency)
        + (gettext(" per month") if item.purpose == ListingPurpose.RENT else ""),
    ]
    text = " · ".join(b for b in bits if b)
    if item.description:
        text += ". " + " ".join(item.description.split())
    return text[:157] + "…" if len(text) > 160 else text


def _major(amount: int, currency: str) -> str:
    places = exponent(currency)
    if not places:
        return str(int(amount))
    return f"{int(amount) / 10**places:.{places}f}"


def _schema(item: Listing, canonical: str, images: list[str]) -> dict:
    """schema.org: an Offer (the rent or the price) whose itemOffered is the home (Apartment,
    House, Room or a plain Place) with its address and position."""
    place: dict = {
        "@type": SCHEMA_TYPES.get(item.kind, "Place"),
        "name": item.title,
        "address": {
            "@type": "PostalAddress",
            "addressCountry": item.country,
            "addressLocality": item.city,
            **({"streetAddress": item.address} if item.address else {}),
            **({"addressRegion": item.neighbourhood} if item.neighbourhood else {}),
        },
    }
    if item.kind in SCHEMA_TYPES and item.rooms:
        place["numberOfRooms"] = item.rooms
    if item.area_m2:
        place["floorSize"] = {"@type": "QuantitativeValue", "value": item.area_m2, "unitCode": "MTK"}
    if item.latitude is not None and item.longitude is not None:
        place["geo"] = {"@type": "GeoCoordinates", "latitude": item.latitude, "longitude": item.longitude}
    offer: dict = {
        "@context": "https://schema.org",
        "@type": "Offer",
        "name": item.title,
        "url": canonical,
        "price": _major(item.price, item.currency),
        "priceCurrency": item.currency,
        "availability": "https://schema.org/InStock"
        if item.status == ListingStatus.PUBLISHED
        else "https://schema.org/LimitedAvailability",
        "businessFunction": "http://purl.org/goodrelations/v1#LeaseOut"
        if item.purpose == ListingPurpose.RENT
        else "http://purl.org/goodrelations/v1#Sell",
        "itemOffered": place,
    }
    if item.purpose == ListingPurpose.RENT:
        offer["priceSpecification"] = {
            "@type": "UnitPriceSpecification",
            "price": _major(item.price, item.currency),
            "priceCurrency": item.currency,
            "unitCode": "MON",
        }
    if item.description:
        offer["description"] = " ".join(item.description.split())[:500]
    if images:
        offer["image"] = images[:6]
    if item.available_from:
        offer["availabilityStarts"] = item.available_from.isoformat()
    return offer


def _gone_or_unknown(request, public_id):
    """A listing let, sold, withdrawn or expired: 410 with what to do next (similar listings);
    a listing that never was public (or no such id): a 404 page that helps, never a bare one."""
    gone = (
        Listing.objects.filter(public_id=public_id, status__in=GONE_STATUSES)
        .only("title", "city", "neighbourhood", "kind", "purpose", "status")
        .first()
    )
    if gone is not None:
        similar = "?" + urlencode(
            {k: v for k, v in {"city": gone.city, "purpose": gone.purpose}.items() if v}
        )
        return render(
            request,
            "market/public/gone.html",
            {"gone": gone, "similar_url": reverse("market:search") + similar},
            status=410,
        )
    return render(request, "market/public/gone.html", {"gone": None}, status=404)


@require_POST
def favourite(request, public_id):
    """Add or remove a favourite (POST action=add|remove). Anonymous: the login page, back
    here after."""
    try:
        item = listings_service.visible_listing(public_id)
    except ListingNotFound:
        return _gone_or_unknown(request, public_id)
    back = listing_url(item.public_id, item.title)
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    if request.POST.get("action") == "remove":
        saved_service.favourite_remove(user=request.user, listing=item)
        messages.success(request, gettext("Removed from your favourites."))
    else:
        saved_service.favourite_add(user=request.user, listing=item)
        messages.success(request, gettext("Added to your favourites."))
    target = request.POST.get("next", "")
    return redirect(target if target.startswith("/market/") else back)


# --- sitemap ----------------------------------------------------------------------------------------


@require_GET
def sitemap(request):
    """The published listings' URLs. Above MARKET_SITEMAP_PAGE_SIZE (50,000, the protocol's
    limit) this is a sitemap index and each page is /market/sitemap.xml?p=<n>."""
    size = settings.MARKET_SITEMAP_PAGE_SIZE
    visible = Listing.objects.filter(status__in=VISIBLE_STATUSES)
    number = request.GET.get("p", "")
    if number:
        if not number.isdigit() or int(number) < 1:
            raise Http404
        rows = list(
            visible.order_by("id").values_list("public_id", "title", "updated_at")[
                (int(number) - 1) * size : int(number) * size
            ]
        )
        if not rows:
            raise Http404
        return _urlset(request, rows)
    total = visible.count()
    if total > size:
        pages = (total + size - 1) // size
        base = request.build_absolute_uri(reverse("market:sitemap"))
        body = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
        ]
        body += [f"<sitemap><loc>{base}?p={n}</loc></sitemap>" for n in range(1, pages + 1)]
        body.append("</sitemapindex>")
        return HttpResponse("\n".join(body), content_type="application/xml; charset=utf-8")
    rows = list(visible.order_by("id").values_list("public_id", "title", "updated_at")[:size])
    return _urlset(request, rows, home=True)


def _urlset(request, rows, *, home: bool = False):
    from xml.sax.saxutils import escape

    body = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    if home:
        body.append(f"<url><loc>{escape(request.build_absolute_uri(reverse('market:home')))}</loc></url>")
    for public_id, title, updated_at in rows:
        loc = escape(request.build_absolute_uri(listing_url(public_id, title)))
        body.append(f"<url><loc>{loc}</loc><lastmod>{updated_at.date().isoformat()}</lastmod></url>")
    body.append("</urlset>")
    return HttpResponse("\n".join(body), content_type="application/xml; charset=utf-8")


# --- the seeker's own page ------------------------------------------------------------------------


class SaveSearchForm(forms.Form):
    name = forms.CharField(label=_("Name of this search"), max_length=120)
    channel = forms.ChoiceField(
        label=_("Alert me by"),
        choices=[
            ("sms", _("SMS")),
            ("email", _("e-mail")),
            ("push", _("push notification")),
            ("none", _("no alert")),
        ],
        initial="sms",
    )


@require_GET
def me(request):
    """The signed-in seeker's favourites, saved searches, recently viewed listings, visits and
    applications: each read through its part's service, for the caller only."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    user = request.user
    favourites = [_listing_card(listing) for listing in saved_service.favourites(user)[:50]]
    recent = [_listing_card(listing) for listing in saved_service.recent_views(user, limit=10)]
    searches = [
        {"saved": s, "url": reverse("market:search") + _saved_params(s.query)}
        for s in saved_service.saved_searches(user)[:50]
    ]
    visits = visits_service.seeker_visits(user, limit=50)
    applications = list(applications_service.applications_of(user)[:50])
    return render(
        request,
        "market/public/me.html",
        {
            "favourites": favourites,
            "recent": recent,
            "searches": searches,
            "visits": visits,
            "applications": applications,
        },
    )


def _saved_params(query: dict) -> str:
    """A saved search's criteria (SearchQuery's names) back as the search page's parameters."""
    scale = 10 ** exponent(CURRENCY)
    params: list[tuple[str, str]] = []
    names = {
        "text": "q",
        "purpose": "purpose",
        "country": "country",
        "city": "city",
        "neighbourhood": "neighbourhood",
        "sort": "sort",
    }
    for key, name in names.items():
        if query.get(key):
            params.append((name, str(query[key])))
    for kind in query.get("kinds") or ():
        params.append(("kind", kind))
    for amenity in query.get("amenities") or ():
        params.append(("amenity", amenity))
    for key in ("price_min", "price_max"):
        if query.get(key) is not None:
            params.append((key, str(int(query[key]) // scale)))
    if query.get("rooms_min") is not None:
        params.append(("rooms_min", str(query["rooms_min"])))
    if query.get("furnished") is not None:
        params.append(("furnished", "yes" if query["furnished"] else "no"))
    if query.get("available_by"):
        params.append(("available_by", str(query["available_by"])))
    if query.get("latitude") is not None and query.get("longitude") is not None:
        params += [("lat", str(query["latitude"])), ("lng", str(query["longitude"]))]
        if query.get("radius_m"):
            params.append(("radius_km", f"{query['radius_m'] / 1000:g}"))
    if query.get("bounds"):
        params.append(("bounds", ",".join(str(v) for v in query["bounds"])))
    return "?" + urlencode(params) if params else ""


@require_POST
def search_save(request):
    """Save the current search (its criteria in the query string) with an alert channel."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("market:search") + "?" + request.GET.urlencode())
    form = SearchForm(request.GET)
    query = _query_of(form)
    save = SaveSearchForm(request.POST)
    back = reverse("market:search") + ("?" + request.GET.urlencode() if request.GET else "")
    if query is None or not save.is_valid():
        messages.error(request, gettext("This search could not be saved: check its criteria and its name."))
        return redirect(back)
    try:
        saved_service.save_search(
            user=request.user,
            name=save.cleaned_data["name"],
            query=_first_page(query),
            channel=save.cleaned_data["channel"],
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect(back)
    messages.success(request, gettext("Search saved: we will tell you when a new listing matches."))
    return redirect("market:me")


def _first_page(query):
    from dataclasses import replace

    return replace(query, after="")


@require_http_methods(["POST"])
def search_delete(request, saved_id):
    """Delete one of the caller's saved searches (another person's: 404)."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("market:me"))
    try:
        saved_service.delete_saved(user=request.user, saved_id=saved_id)
    except DomainError as exc:
        if exc.status == 404:
            raise Http404 from exc
        messages.error(request, str(exc.message))
        return redirect("market:me")
    messages.success(request, gettext("Saved search deleted."))
    return redirect("market:me")

"""market's part of the isolation suite (tests/isolation/cases.py merges it): organization A's
listings, visits, applications and quote requests are never read nor changed by B's owner,
the outsider or anonymous callers. Each part appends its block under a `# --- <part> ---`
comment."""

from __future__ import annotations

from tests.isolation.framework import GraphQLCase, RestCase, World

SEEDERS: list = []
REST_CASES: dict = {}
GRAPHQL_CASES: dict = {}
PUBLIC_ROUTES: dict = {}
PUBLIC_GRAPHQL: dict = {}
SELF_SCOPED_GRAPHQL: dict = {}


# --- listings: A's draft listing (never online: public pages must not show it either) of a
# managed unit, and a vacant unit of A; B's owner, the outsider and anonymous callers neither
# read, change, publish nor withdraw them ---


def _listings(world: World) -> None:
    from apps.market.models import Listing
    from tests.estate.factories import MandateFactory, PropertyFactory, UnitFactory

    prop = PropertyFactory(
        mandate=MandateFactory(agency=world.org_a),
        name="Résidence secrète de A",
        city="Cotonou",
        neighbourhood="Quartier secret de A",
        latitude=6.36,
        longitude=2.38,
    )
    unit = UnitFactory(
        property=prop, label="Studio secret A", kind="studio", market_rent=97_531, status="vacant"
    )
    listing = Listing.objects.create(
        organization=world.org_a,
        created_by=world.user_a,
        kind="apartment",
        title="Annonce secrète de A",
        description="Description secrète de A",
        price=86_420,
        city="Cotonou",
        neighbourhood="Quartier secret de A",
        status="draft",
        search_text="annonce secrete de a",
    )
    world.provide("listing_id", listing.public_id, "Annonce secrète de A", "Description secrète de A")
    world.mark(unit.public_id, "Studio secret A", "Résidence secrète de A", "Quartier secret de A")
    world.listings_unit = unit
    world.listings_listing = listing


SEEDERS.append(_listings)


def _listing_state(world: World):
    from apps.market.models import Listing, ListingPhoto

    row = Listing.objects.get(pk=world.listings_listing.pk)
    return (
        row.status,
        row.title,
        row.price,
        ListingPhoto.objects.filter(listing=row).count(),
        Listing.objects.filter(unit=world.listings_unit.public_id).count(),
    )


def _listings_api(name: str, body: dict | None = None, *, listing: bool = True, owned: bool = True):
    def case(world: World) -> RestCase:
        from django.urls import reverse

        kwargs = {"version": "v1"}
        if listing:
            kwargs["listing_id"] = world.ids["listing_id"]
        return RestCase(
            path=reverse(name, kwargs=kwargs),
            body=body,
            owned=owned,
            check_unchanged=lambda: _listing_state(world),
        )

    return case


def _from_unit_body(world: World) -> dict:
    return {"unit": str(world.listings_unit.public_id)}


REST_CASES["market-listings"] = lambda world: _listings_api(
    "market-listings",
    {"kind": "studio", "title": "x", "price": 1000, "city": "Cotonou"},
    listing=False,
    owned=False,
)(world)
REST_CASES["market-vacant-units"] = _listings_api("market-vacant-units", listing=False, owned=False)
REST_CASES["market-listing-from-unit"] = lambda world: _listings_api(
    "market-listing-from-unit", _from_unit_body(world), listing=False
)(world)
REST_CASES["market-listing"] = _listings_api("market-listing", {"title": "Piratée par B", "price": 1})
REST_CASES["market-listing-submit"] = _listings_api("market-listing-submit", {})
REST_CASES["market-listing-withdraw"] = _listings_api("market-listing-withdraw", {})
REST_CASES["market-listing-photos"] = _listings_api("market-listing-photos", {"caption": "x"})


def _listings_page(name: str, body: dict | None = None, *, listing: bool = True, owned: bool = True):
    def case(world: World) -> RestCase:
        from django.urls import reverse

        args = [world.ids["listing_id"]] if listing else []
        rendered = body(world) if callable(body) else body
        return RestCase(
            path=reverse(name, args=args),
            body=rendered,
            owned=owned,
            check_unchanged=lambda: _listing_state(world),
        )

    return case


REST_CASES["manager:market-listings"] = _listings_page("manager:market-listings", listing=False, owned=False)
REST_CASES["manager:market-listing-publish"] = _listings_page(
    "manager:market-listing-publish", _from_unit_body, listing=False
)
REST_CASES["manager:market-listing"] = _listings_page(
    "manager:market-listing",
    {"title": "Piratée par B", "kind": "studio", "rooms": 1, "price": 1, "charges": 0},
)
REST_CASES["manager:market-listing-photo"] = _listings_page("manager:market-listing-photo", {"caption": "x"})
REST_CASES["manager:market-listing-submit"] = _listings_page("manager:market-listing-submit", {})
REST_CASES["manager:market-listing-withdraw"] = _listings_page(
    "manager:market-listing-withdraw", {"confirm": "yes"}
)


GRAPHQL_CASES["query.marketMyListings"] = lambda world: GraphQLCase(
    query="{ marketMyListings { id title description } }", owned=False
)
GRAPHQL_CASES["query.marketVacantUnits"] = lambda world: GraphQLCase(
    query="{ marketVacantUnits { unit label propertyName } }", owned=False
)
GRAPHQL_CASES["query.marketMyListing"] = lambda world: GraphQLCase(
    query=f'{{ marketMyListing(listingId: "{world.ids["listing_id"]}") {{ id title description }} }}'
)


def _listings_mutation(field: str, args):
    def case(world: World) -> GraphQLCase:
        rendered = args(world) if callable(args) else args.format(listing=world.ids["listing_id"])
        return GraphQLCase(
            query=f"mutation {{ {field}({rendered}) {{ ok errors {{ code }} listing {{ id title description }} }} }}"
        )

    return case


GRAPHQL_CASES["mutation.marketListingCreateFromUnit"] = _listings_mutation(
    "marketListingCreateFromUnit", lambda world: f'unitId: "{world.listings_unit.public_id}"'
)
GRAPHQL_CASES["mutation.marketListingCreate"] = _listings_mutation(
    "marketListingCreate",
    lambda world: (
        f'organization: "{world.org_a.public_id}", fields: {{kind: "studio", title: "x", price: 1000, city: "Cotonou"}}'
    ),
)
GRAPHQL_CASES["mutation.marketListingUpdate"] = _listings_mutation(
    "marketListingUpdate", 'listingId: "{listing}", fields: {{title: "Piratée par B"}}'
)
GRAPHQL_CASES["mutation.marketListingSubmit"] = _listings_mutation(
    "marketListingSubmit", 'listingId: "{listing}"'
)
GRAPHQL_CASES["mutation.marketListingWithdraw"] = _listings_mutation(
    "marketListingWithdraw", 'listingId: "{listing}"'
)


# --- public pages: /market/ (home, results, sitemap) shows listings online to anyone; A's
# draft listing's page, short link and favourite answer 404 to everyone (never its data);
# /market/me/ shows the caller's own data only; A's saved search is deleted by nobody else ---

PUBLIC_ROUTES["market:home"] = "the public market's home: verified listings online only"
PUBLIC_ROUTES["market:search"] = "public search results: listings online only"
PUBLIC_ROUTES["market:sitemap"] = "the URLs of the listings online"


def _public_draft_page(name: str, *, slug: bool = False, post: bool = False):
    def case(world: World) -> RestCase:
        from django.urls import reverse

        from apps.market.models import Favourite

        listing = world.listings_listing
        args = [listing.public_id, "annonce-secrete-de-a"] if slug else [listing.public_id]
        return RestCase(
            path=reverse(name, args=args),
            methods=("POST",) if post else ("GET",),
            body={"action": "add"} if post else None,
            anonymous_allowed=True,
            check_unchanged=(lambda: Favourite.objects.filter(listing=listing).count()) if post else None,
        )

    return case


REST_CASES["market:listing"] = _public_draft_page("market:listing", slug=True)
REST_CASES["market:listing-short"] = _public_draft_page("market:listing-short")
REST_CASES["market:favourite"] = _public_draft_page("market:favourite", post=True)


def _public_pages(world: World) -> None:
    """A's owner's saved search (the search block's, when it has made one)."""
    from django.utils import timezone

    from apps.market.models import SavedSearch

    if "saved_id" not in world.ids:
        saved = SavedSearch.objects.create(
            user=world.user_a,
            name="Recherche secrète de A",
            query={"text": "critère secret de a"},
            alerted_up_to=timezone.now(),
        )
        world.provide("saved_id", saved.public_id, "Recherche secrète de A", "critère secret de a")


SEEDERS.append(_public_pages)


def _public_saved_delete(world: World) -> RestCase:
    from django.urls import reverse

    from apps.market.models import SavedSearch

    saved_id = world.ids["saved_id"]
    return RestCase(
        path=reverse("market:search-delete", args=[saved_id]),
        methods=("POST",),
        check_unchanged=lambda: (
            SavedSearch.objects.filter(public_id=saved_id).values_list("name", flat=True).first()
        ),
    )


REST_CASES["market:search-delete"] = _public_saved_delete


# --- search: the search is public (only listings online: A's draft never shows); A's owner's
# saved search, favourite and recently viewed listing are never read nor changed by B's owner,
# the outsider or anonymous callers ---


def _search(world: World) -> None:
    from django.utils import timezone

    from apps.market.models import Favourite, Listing, RecentView, SavedSearch

    online = Listing.objects.create(
        organization=world.org_a,
        kind="studio",
        title="Studio en ligne",
        price=55_000,
        city="Cotonou",
        status="published",
        published_at=timezone.now(),
        search_text="studio en ligne cotonou",
    )
    saved = SavedSearch.objects.create(
        user=world.user_a,
        name="Recherche secrète de A",
        query={"text": "critère secret de a"},
        alerted_up_to=timezone.now(),
    )
    world.provide("saved_id", saved.public_id, "Recherche secrète de A", "critère secret de a")
    world.provide("saved_search_id", saved.public_id)
    Favourite.objects.create(user=world.user_a, listing=online)
    RecentView.objects.create(user=world.user_a, listing=online, viewed_at=timezone.now())
    world.search_saved = saved


SEEDERS.append(_search)


def _search_saved_state(world: World):
    from apps.market.models import SavedSearch

    row = (
        SavedSearch.objects.filter(pk=world.search_saved.pk).values_list("name", "active", "channel").first()
    )
    return row


def _search_public(name: str):
    def case(world: World) -> RestCase:
        from django.urls import reverse

        return RestCase(
            path=reverse(name, kwargs={"version": "v1"}) + "?text=secrete",
            methods=("GET",),
            owned=False,
            anonymous_allowed=True,
        )

    return case


def _search_mine(name: str, body: dict | None = None):
    def case(world: World) -> RestCase:
        from django.urls import reverse

        return RestCase(path=reverse(name, kwargs={"version": "v1"}), body=body, owned=False)

    return case


def _search_saved_one(world: World) -> RestCase:
    from django.urls import reverse

    return RestCase(
        path=reverse("market-saved-search", kwargs={"version": "v1", "saved_id": world.ids["saved_id"]}),
        body={"active": False},
        check_unchanged=lambda: _search_saved_state(world),
    )


REST_CASES["market-search"] = _search_public("market-search")
REST_CASES["market-search-facets"] = _search_public("market-search-facets")
REST_CASES["market-saved-searches"] = _search_mine(
    "market-saved-searches", {"name": "B", "query": {"text": "studio"}}
)
REST_CASES["market-saved-search"] = _search_saved_one
REST_CASES["market-favourites"] = _search_mine("market-favourites")
REST_CASES["market-recently-viewed"] = _search_mine(
    "market-recently-viewed", {"listing": "00000000-0000-0000-0000-000000000000"}
)


def _search_gql_public(field: str):
    return lambda world: GraphQLCase(
        query=f'{{ {field}(criteria: {{text: "secrete"}}) {{ __typename }} }}',
        owned=False,
        anonymous_allowed=True,
    )


GRAPHQL_CASES["query.marketSearch"] = _search_gql_public("marketSearch")
GRAPHQL_CASES["query.marketSearchFacets"] = _search_gql_public("marketSearchFacets")
GRAPHQL_CASES["mutation.marketSetSavedSearchAlerts"] = lambda world: GraphQLCase(
    query=f'mutation {{ marketSetSavedSearchAlerts(savedSearchId: "{world.ids["saved_id"]}", active: false) '
    "{ ok errors { code } savedSearch { id name } } }"
)
GRAPHQL_CASES["mutation.marketSaveSearch"] = lambda world: GraphQLCase(
    query='mutation { marketSaveSearch(name: "B", criteria: {text: "studio"}) '
    "{ ok errors { code } savedSearch { id name query } } }",
    owned=False,
)


# --- applications and local services: A's published listing with an application (its
# applicant's message and name are A's), A's owner's quote request with a quote of a provider
# (the description, the quote's message and amount are A's). B's owner, the outsider and
# anonymous callers neither read nor decide them; providers' profiles are public. ---


def _applications_services(world: World) -> None:
    from apps.kyc.models import KycProfile
    from apps.market.models import Application, Listing, Quote, QuoteRequest
    from apps.market.services import providers
    from tests.identity.factories import UserFactory

    listing = Listing.objects.create(
        organization=world.org_a,
        created_by=world.user_a,
        kind="studio",
        title="Studio à louer",
        price=55_000,
        city="Cotonou",
        status="published",
    )
    applicant = UserFactory(full_name="Candidat secret de A")
    application = Application.objects.create(
        listing=listing,
        organization=world.org_a,
        applicant=applicant,
        message="Candidature secrète de A",
        monthly_income=313_579,
    )
    world.provide("application_id", application.public_id, "Candidature secrète de A", "Candidat secret de A")
    world.mark(str(applicant.phone))
    pro_user = UserFactory(full_name="Artisan public")
    KycProfile.objects.update_or_create(user=pro_user, defaults={"tier": 1})
    provider = providers.provider_signup(
        user=pro_user,
        name="Plomberie publique",
        phone="+2290197555555",
        trades=["plumber"],
        zones=[("Cotonou", "")],
    )
    request = QuoteRequest.objects.create(
        requester=world.user_a,
        organization=world.org_a,
        trade="plumber",
        city="Cotonou",
        description="Demande secrète de A",
    )
    quote = Quote.objects.create(
        request=request, provider=provider, amount=64_321, currency="XOF", message="Devis secret de A"
    )
    world.provide("request_id", request.public_id, "Demande secrète de A")
    world.provide("quote_id", quote.public_id, "Devis secret de A", "64321")
    world.apps_listing = listing
    world.apps_application = application
    world.apps_request = request
    world.apps_quote = quote


SEEDERS.append(_applications_services)


def _apps_state(world: World):
    from apps.market.models import Application, Quote, QuoteRequest

    app = Application.objects.get(pk=world.apps_application.pk)
    quote = Quote.objects.get(pk=world.apps_quote.pk)
    req = QuoteRequest.objects.get(pk=world.apps_request.pk)
    return (
        app.status,
        app.decline_reason,
        quote.status,
        quote.payment_intent,
        quote.completed_at,
        req.status,
    )


def _apps_rest(
    name: str, body: dict | None = None, *, owned: bool = True, query: str = "", anonymous=False, **ids
):
    def case(world: World) -> RestCase:
        from django.urls import reverse

        kwargs = {"version": "v1", **{k: world.ids[v] for k, v in ids.items()}}
        return RestCase(
            path=reverse(name, kwargs=kwargs) + query,
            body=body(world) if callable(body) else body,
            owned=owned,
            anonymous_allowed=anonymous,
            check_unchanged=lambda: _apps_state(world),
        )

    return case


def _apply_body(world: World) -> dict:
    return {"listing": str(world.apps_listing.public_id), "message": "B postule"}


REST_CASES["market-applications"] = _apps_rest("market-applications", _apply_body, owned=False)
REST_CASES["market-application-decline"] = _apps_rest(
    "market-application-decline", {"reason": "Refus par B"}, application_id="application_id"
)
REST_CASES["market-application-accept"] = _apps_rest(
    "market-application-accept", application_id="application_id"
)
REST_CASES["market-application-withdraw"] = _apps_rest(
    "market-application-withdraw", application_id="application_id"
)
REST_CASES["market-providers"] = _apps_rest(
    "market-providers",
    {"name": "Pro B", "phone": "+2290197666666", "trades": ["mover"], "zones": [{"city": "Cotonou"}]},
    owned=False,
    query="?trade=plumber&city=Cotonou",
    anonymous=True,
)
REST_CASES["market-provider-me"] = _apps_rest(
    "market-provider-me",
    {"name": "Pro B", "phone": "+2290197666666", "trades": ["mover"], "zones": [{"city": "Cotonou"}]},
    owned=False,
)
PUBLIC_ROUTES["market-provider"] = "an active provider's public profile (name, trades, zones, reviews)"
REST_CASES["market-quote-requests"] = _apps_rest(
    "market-quote-requests",
    {"trade": "plumber", "city": "Cotonou", "description": "Demande de B"},
    owned=False,
)
REST_CASES["market-quote-requests-matching"] = _apps_rest("market-quote-requests-matching", owned=False)
REST_CASES["market-quote-send"] = _apps_rest("market-quote-send", {"amount": 1_000}, request_id="request_id")
REST_CASES["market-quotes"] = _apps_rest("market-quotes", owned=False)
REST_CASES["market-quote-review"] = _apps_rest("market-quote-review", {"rating": 1}, quote_id="quote_id")
for _name in (
    "market-quote-withdraw",
    "market-quote-accept",
    "market-quote-pay",
    "market-quote-done",
    "market-quote-confirm",
):
    REST_CASES[_name] = _apps_rest(_name, quote_id="quote_id")
REST_CASES["market-quote-request-cancel"] = _apps_rest("market-quote-request-cancel", request_id="request_id")


def _apps_page(name: str, body: dict | None = None, *, owned: bool = True, arg: str | None = None):
    def case(world: World) -> RestCase:
        from django.urls import reverse

        return RestCase(
            path=reverse(name, args=[world.ids[arg]] if arg else []),
            body=body,
            owned=owned,
            check_unchanged=lambda: _apps_state(world),
        )

    return case


REST_CASES["market:pro"] = _apps_page(
    "market:pro",
    {"name": "Pro B", "phone": "+2290197666666", "trades": ["mover"], "zones": "Cotonou"},
    owned=False,
)
REST_CASES["market:pro-requests"] = _apps_page("market:pro-requests", owned=False)
REST_CASES["market:pro-jobs"] = _apps_page("market:pro-jobs", owned=False)
REST_CASES["market:services"] = _apps_page(
    "market:services", {"trade": "plumber", "city": "Cotonou", "description": "Demande de B"}, owned=False
)
REST_CASES["market:pro-request"] = _apps_page("market:pro-request", {"amount": "1000"}, arg="request_id")
REST_CASES["market:services-quote-review"] = _apps_page(
    "market:services-quote-review", {"rating": "1"}, arg="quote_id"
)
REST_CASES["market:services-quote-pay"] = _apps_page(
    "market:services-quote-pay", {"confirm_step": "confirm"}, arg="quote_id"
)
REST_CASES["manager:market-application-decline"] = _apps_page(
    "manager:market-application-decline", {"reason": "Refus par B"}, arg="application_id"
)
REST_CASES["manager:market-application-accept"] = _apps_page(
    "manager:market-application-accept", {"confirm_step": "confirm"}, arg="application_id"
)
PUBLIC_ROUTES["market:provider"] = "an active provider's public profile page (name, trades, zones, reviews)"

PUBLIC_GRAPHQL["query.marketProviders"] = (
    "the public directory of active providers (name, trades, zones, rating)"
)
PUBLIC_GRAPHQL["query.marketProvider"] = "an active provider's public profile with its reviews"


def _apps_gql(query: str, *, owned: bool = True, **variables):
    def case(world: World) -> GraphQLCase:
        return GraphQLCase(
            query=query, variables={k: str(world.ids[v]) for k, v in variables.items()}, owned=owned
        )

    return case


GRAPHQL_CASES["mutation.marketSendQuote"] = _apps_gql(
    "mutation($r: UUID!) { marketSendQuote(requestId: $r, amount: 1000) { ok errors { code } quote { id message } } }",
    r="request_id",
)
GRAPHQL_CASES["mutation.marketReviewJob"] = _apps_gql(
    "mutation($q: UUID!) { marketReviewJob(quoteId: $q, rating: 1) { ok errors { code } quote { id message } } }",
    q="quote_id",
)
GRAPHQL_CASES["mutation.marketProviderSignup"] = _apps_gql(
    'mutation { marketProviderSignup(name: "Pro B", phone: "+2290197666666", trades: [MOVER], '
    'zones: [{city: "Cotonou"}]) { ok errors { code } provider { id name } } }',
    owned=False,
)
GRAPHQL_CASES["mutation.marketCreateQuoteRequest"] = _apps_gql(
    'mutation { marketCreateQuoteRequest(trade: PLUMBER, city: "Cotonou", description: "Demande de B") '
    "{ ok errors { code } quoteRequest { id description quotes { id message } } } }",
    owned=False,
)
GRAPHQL_CASES["query.marketQuoteRequests"] = _apps_gql(
    "{ marketQuoteRequests(first: 5) { id description status quotes { id message amount { amount } } } }",
    owned=False,
)
GRAPHQL_CASES["query.marketMatchingQuoteRequests"] = _apps_gql(
    "{ marketMatchingQuoteRequests(first: 5) { id description status quotes { id message } } }", owned=False
)
REST_CASES["market:pro-photo"] = _apps_page("market:pro-photo", {"caption": "x"}, owned=False)
REST_CASES["market-provider-photos"] = _apps_rest("market-provider-photos", {"caption": "x"}, owned=False)


# --- visits: A's published listing with an open slot and a visit booked by an anonymous seeker
# (name, phone and booking code are markers: the host of another organization, the outsider and
# anonymous callers never see them). The code is the anonymous seeker's key: the by-code
# routes are tried with a code that is not A's (nothing found, nothing shown). ---


def _visits(world: World) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from apps.market.models import Listing
    from apps.market.services import visits

    listing = Listing.objects.create(
        organization=world.org_a,
        created_by=world.user_a,
        kind="studio",
        title="Studio à visiter",
        price=70_000,
        city="Cotonou",
        status="published",
        published_at=timezone.now(),
    )
    start = timezone.now().replace(microsecond=0) + timedelta(days=2)
    booked, free = visits.slots_create(
        actor=world.user_a,
        listing=listing,
        starts_at=start,
        ends_at=start + timedelta(minutes=30),
        repeat_weeks=1,
    )
    booking = visits.book(slot_id=booked.public_id, name="Visiteur secret de A", phone="0197555111")
    world.provide("booking_id", booking.public_id, booking.code, "Visiteur secret de A", "+2290197555111")
    world.provide("slot_id", free.public_id)
    world.mark("0197555111")
    world.visits_booking = booking
    world.visits_slot = free
    world.visits_listing = listing


SEEDERS.append(_visits)


def _visits_state(world: World):
    from apps.market.models import VisitBooking, VisitSlot

    return (
        tuple(VisitBooking.objects.order_by("id").values_list("id", "status", "slot_id")),
        tuple(VisitSlot.objects.order_by("id").values_list("id", "status", "starts_at")),
    )


def _visits_window(world: World) -> dict:
    from datetime import timedelta

    start = world.visits_booking.starts_at - timedelta(days=1)
    return {"start": start.isoformat(), "end": (start + timedelta(days=14)).isoformat()}


def _visits_api(name: str, *, body: dict | None = None, query=None, owned: bool = True, **kwargs):
    def case(world: World) -> RestCase:
        from django.urls import reverse
        from django.utils.http import urlencode

        path = reverse(name, kwargs={"version": "v1", **{k: v(world) for k, v in kwargs.items()}})
        if query is not None:
            path += "?" + urlencode(query(world))
        return RestCase(path=path, body=body, owned=owned, check_unchanged=lambda: _visits_state(world))

    return case


NOT_A_CODE = "ZZZZZZZZ"  # a well-formed code that is not A's booking's
REST_CASES["market-visit-calendar"] = _visits_api("market-visit-calendar", query=_visits_window, owned=False)
REST_CASES["market-host-slots"] = _visits_api("market-host-slots", query=_visits_window, owned=False)
REST_CASES["market-visit-by-code"] = _visits_api("market-visit-by-code", code=lambda w: NOT_A_CODE)
REST_CASES["market-visit-by-code-ics"] = _visits_api("market-visit-by-code-ics", code=lambda w: NOT_A_CODE)
REST_CASES["market-visit-by-code-cancel"] = _visits_api(
    "market-visit-by-code-cancel", code=lambda w: NOT_A_CODE
)
REST_CASES["market-visit-by-code-reschedule"] = _visits_api(
    "market-visit-by-code-reschedule",
    code=lambda w: NOT_A_CODE,
    body={"slot": "00000000-0000-4000-8000-000000000000"},
)
REST_CASES["market-visit-reschedule"] = lambda world: _visits_api(
    "market-visit-reschedule",
    booking_id=lambda w: w.ids["booking_id"],
    body={"slot": str(world.ids["slot_id"])},
)(world)
REST_CASES["market-visit-mark"] = _visits_api(
    "market-visit-mark", booking_id=lambda w: w.ids["booking_id"], body={"status": "no_show"}
)


def _visits_page(name: str, *args, body: dict | None = None, query=None, owned: bool = True):
    def case(world: World) -> RestCase:
        from django.urls import reverse
        from django.utils.http import urlencode

        path = reverse(name, args=[a(world) if callable(a) else a for a in args])
        if query is not None:
            path += "?" + urlencode(query(world))
        return RestCase(path=path, body=body, owned=owned, check_unchanged=lambda: _visits_state(world))

    return case


def _visits_week(world: World) -> dict:
    from datetime import timedelta

    from django.utils import timezone

    day = timezone.localtime(world.visits_booking.starts_at).date()
    return {"week": (day - timedelta(days=day.weekday())).isoformat()}


REST_CASES["manager:market-visits"] = _visits_page(
    "manager:market-visits",
    query=_visits_week,
    owned=False,
    body={
        "listing": "00000000-0000-4000-8000-000000000000",
        "day": "2030-01-07",
        "start": "10:00",
        "duration": "30",
        "repeat_weeks": "0",
    },
)
REST_CASES["manager:market-visit-mark"] = _visits_page(
    "manager:market-visit-mark", lambda w: w.ids["booking_id"], body={"status": "no_show"}
)
REST_CASES["manager:market-visit-cancel"] = _visits_page(
    "manager:market-visit-cancel", lambda w: w.ids["booking_id"], body={"confirm_step": "confirm"}
)
REST_CASES["manager:market-slot-cancel"] = _visits_page(
    "manager:market-slot-cancel", lambda w: w.ids["slot_id"], body={"confirm_step": "confirm"}
)
REST_CASES["market:booking-manage"] = _visits_page("market:booking-manage", NOT_A_CODE)
REST_CASES["market:booking-ics"] = _visits_page("market:booking-ics", NOT_A_CODE)
REST_CASES["market:booking-cancel"] = _visits_page(
    "market:booking-cancel", NOT_A_CODE, body={"confirm_step": "confirm"}
)
REST_CASES["market:booking-reschedule"] = lambda world: _visits_page(
    "market:booking-reschedule", NOT_A_CODE, body={"slot": str(world.ids["slot_id"])}
)(world)

PUBLIC_GRAPHQL["mutation.marketBookVisit"] = (
    "anyone books an open slot of a listing online (rate-limited); the answer holds only the "
    "caller's own booking — A's booked slot answers market_slot_taken"
)


def _visits_gql(query: str, *, owned: bool = True, variables=None):
    def case(world: World) -> GraphQLCase:
        return GraphQLCase(
            query=query.format(
                booking=world.ids["booking_id"],
                slot=world.ids["slot_id"],
                listing=world.visits_listing.public_id,
            ),
            variables=variables(world) if variables else {},
            owned=owned,
        )

    return case


VISIT = "id code seekerName seekerPhone status"
GRAPHQL_CASES["query.marketVisitByCode"] = _visits_gql(
    f'{{{{ marketVisitByCode(code: "{NOT_A_CODE}") {{{{ {VISIT} }}}} }}}}'
)
GRAPHQL_CASES["query.marketHostCalendar"] = _visits_gql(
    f"query($s: DateTime!, $e: DateTime!) {{{{ marketHostCalendar(start: $s, end: $e) {{{{ {VISIT} }}}} }}}}",
    owned=False,
    variables=lambda w: {"s": _visits_window(w)["start"], "e": _visits_window(w)["end"]},
)
GRAPHQL_CASES["query.marketHostSlots"] = _visits_gql(
    "query($s: DateTime!, $e: DateTime!) {{ marketHostSlots(start: $s, end: $e) {{ id listingTitle }} }}",
    owned=False,
    variables=lambda w: {"s": _visits_window(w)["start"], "e": _visits_window(w)["end"]},
)
GRAPHQL_CASES["mutation.marketPublishVisitSlots"] = _visits_gql(
    'mutation {{ marketPublishVisitSlots(listingId: "{listing}", startsAt: "2030-01-07T10:00:00Z", '
    'endsAt: "2030-01-07T10:30:00Z") {{ ok errors {{ code }} slots {{ id }} }} }}'
)
GRAPHQL_CASES["mutation.marketMarkVisit"] = _visits_gql(
    'mutation {{ marketMarkVisit(bookingId: "{booking}", status: "no_show") {{ ok errors {{ code }} '
    f"visit {{{{ {VISIT} }}}} }}}} }}}}"
)
GRAPHQL_CASES["mutation.marketCancelVisitByCode"] = _visits_gql(
    f'mutation {{{{ marketCancelVisitByCode(code: "{NOT_A_CODE}") {{{{ ok errors {{{{ code }}}} visit {{{{ {VISIT} }}}} }}}} }}}}'
)
GRAPHQL_CASES["mutation.marketRescheduleVisitByCode"] = _visits_gql(
    f'mutation {{{{ marketRescheduleVisitByCode(code: "{NOT_A_CODE}", slotId: "{{slot}}") '
    f"{{{{ ok errors {{{{ code }}}} visit {{{{ {VISIT} }}}} }}}} }}}}"
)


def _visits_book(world: World) -> RestCase:
    """GET: the caller's own visits (B's owner has none of A's); POST: anyone may book, but A's
    booked slot answers 409 and nothing changes."""
    from django.urls import reverse

    return RestCase(
        path=reverse("market-visits", kwargs={"version": "v1"}),
        body={"slot": str(world.visits_booking.slot.public_id), "name": "Intrus", "phone": "0197555999"},
        owned=False,
        anonymous_allowed=True,
        check_unchanged=lambda: _visits_state(world),
    )


REST_CASES["market-visits"] = _visits_book

PUBLIC_ROUTES["market:booking-home"] = (
    "booking.hokwe.com's landing page: a form to find one's booking by its code (shows nothing by itself)"
)

"""ads' part of the isolation suite (tests/isolation/cases.py merges it): organization A's
advertiser data is never read nor changed by B's owner, the outsider or anonymous callers.
Each part appends its block under a `# --- <part> ---` comment."""

from __future__ import annotations

SEEDERS: list = []
REST_CASES: dict = {}
GRAPHQL_CASES: dict = {}
PUBLIC_ROUTES: dict = {}
PUBLIC_GRAPHQL: dict = {}
SELF_SCOPED_GRAPHQL: dict = {}


# --- social: A's connected Facebook page and its post; B's owner, the outsider and anonymous
# callers neither read, publish on, boost, retry nor disconnect them; no token anywhere ---
from tests.isolation.framework import GraphQLCase as _SocialGraphQLCase  # noqa: E402
from tests.isolation.framework import RestCase as _SocialRestCase  # noqa: E402

SOCIAL_PAGE_TOKEN_A = "EAAPageTokenSecretOfA-0123456789"
SOCIAL_USER_TOKEN_A = "EAAUserTokenSecretOfA-9876543210"


def _social(world) -> None:
    from apps.ads.models import Advertiser, SocialConnection, SocialPost
    from apps.ads.services.social import _seal_into

    # A's owner as an independent advertiser (the advertising part's seeder may open the
    # organization's advertiser: one each, never in each other's way)
    advertiser = Advertiser.objects.filter(owner=world.user_a, organization__isnull=True).first() or (
        Advertiser.objects.create(
            owner=world.user_a, name="Annonceur secret de A", currency="XOF", created_by=world.user_a
        )
    )
    connection = SocialConnection(
        advertiser=advertiser,
        page_id="9988776655",
        page_name="Page secrète de A",
        instagram_account_id="17841499999999999",
        ad_account_id="5544332211",
        connected_by=world.user_a,
    )
    _seal_into(connection, {"page": SOCIAL_PAGE_TOKEN_A, "user": SOCIAL_USER_TOKEN_A, "ad_currency": "XOF"})
    connection.save()
    listing = world.ids.get("listing_id") or "00000000-0000-0000-0000-00000000a0a0"
    post = SocialPost.objects.create(
        advertiser=advertiser,
        connection=connection,
        listing=listing,
        message="Publication secrète de A",
        status="published",
        external_id="9988776655_123456",
        impressions=4242,
        created_by=world.user_a,
    )
    world.provide(
        "connection_id", connection.public_id, "Page secrète de A", "9988776655", SOCIAL_PAGE_TOKEN_A
    )
    world.provide(
        "post_id", post.public_id, "Publication secrète de A", "9988776655_123456", SOCIAL_USER_TOKEN_A
    )
    world.social_connection = connection
    world.social_post = post


SEEDERS.append(_social)


def _social_state(world):
    from apps.ads.models import SocialConnection, SocialPost

    c = SocialConnection.objects.get(pk=world.social_connection.pk)
    return (c.status, bytes(c.token_sealed), SocialPost.objects.filter(advertiser=c.advertiser).count())


def _social_rest(name: str, body=None, *, args: tuple = (), owned: bool = True, page: bool = False):
    def case(world) -> _SocialRestCase:
        from django.urls import reverse

        values = [world.ids[a] for a in args]
        rendered = body(world) if callable(body) else body
        if page:
            path = reverse(name, args=values)
        else:
            path = reverse(name, kwargs={"version": "v1", **dict(zip(args, values, strict=True))})
        return _SocialRestCase(
            path=path, body=rendered, owned=owned, check_unchanged=lambda: _social_state(world)
        )

    return case


def _social_publish_body(world) -> dict:
    return {"connection": str(world.ids["connection_id"]), "listing": str(world.ids.get("listing_id", ""))}


def _social_boost_body(world) -> dict:
    from datetime import timedelta

    from django.utils import timezone

    start = timezone.now() + timedelta(hours=1)
    return {
        "budget": 1000,
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(days=2)).isoformat(),
    }


REST_CASES["ads-social-posts"] = _social_rest("ads-social-posts", _social_publish_body, owned=False)
REST_CASES["ads-social-boost"] = _social_rest("ads-social-boost", _social_boost_body, args=("post_id",))
REST_CASES["ads-social-connections"] = _social_rest(
    "ads-social-connections", {"pending": "not-a-pending-key", "page_id": "9988776655"}, owned=False
)
REST_CASES["ads-social-connect"] = lambda world: _social_rest(
    "ads-social-connect", {"advertiser": str(world.social_connection.advertiser.public_id)}
)(world)
REST_CASES["ads-social-connect-callback"] = _social_rest(
    "ads-social-connect-callback", {"state": "forged", "code": "x"}, owned=False
)
REST_CASES["manager:ads-social"] = _social_rest("manager:ads-social", owned=False, page=True)


def _social_connect_page(world) -> _SocialRestCase:
    from django.urls import reverse

    path = (
        reverse("manager:ads-social-connect") + f"?advertiser={world.social_connection.advertiser.public_id}"
    )
    return _SocialRestCase(path=path, check_unchanged=lambda: _social_state(world))


REST_CASES["manager:ads-social-connect"] = _social_connect_page
REST_CASES["manager:ads-social-publish"] = lambda world: _social_rest(
    "manager:ads-social-publish",
    {
        "advertiser": str(world.social_connection.advertiser.public_id),
        "connection": str(world.ids["connection_id"]),
        "network": "facebook",
        "listing": str(world.ids.get("listing_id", "")),
    },
    page=True,
)(world)
REST_CASES["manager:ads-social-callback"] = _social_rest(
    "manager:ads-social-callback", owned=False, page=True
)
REST_CASES["manager:ads-social-choose"] = _social_rest(
    "manager:ads-social-choose",
    {"pending": "not-a-pending-key", "page_id": "9988776655"},
    owned=False,
    page=True,
)
REST_CASES["manager:ads-social-boost"] = _social_rest(
    "manager:ads-social-boost",
    lambda world: {"budget": "1000", "starts_on": "2030-01-01", "ends_on": "2030-01-05", "confirm": "yes"},
    args=("post_id",),
    page=True,
)
REST_CASES["manager:ads-social-disconnect"] = _social_rest(
    "manager:ads-social-disconnect", {"confirm": "yes"}, args=("connection_id",), page=True
)


def _social_mutation(field: str, args, payload: str = "ok errors { code }", *, owned: bool = True):
    def case(world) -> _SocialGraphQLCase:
        rendered = args(world) if callable(args) else args
        return _SocialGraphQLCase(query=f"mutation {{ {field}({rendered}) {{ {payload} }} }}", owned=owned)

    return case


GRAPHQL_CASES["mutation.adsSocialConnectStart"] = _social_mutation(
    "adsSocialConnectStart",
    lambda world: f'advertiserId: "{world.social_connection.advertiser.public_id}"',
    "ok errors { code } dialogUrl",
)
GRAPHQL_CASES["mutation.adsSocialConnectCallback"] = _social_mutation(
    "adsSocialConnectCallback",
    'state: "forged", code: "x"',
    "ok errors { code } pending pages { id name }",
    owned=False,
)
GRAPHQL_CASES["mutation.adsSocialConnectChoose"] = _social_mutation(
    "adsSocialConnectChoose",
    'pending: "not-a-pending-key", pageId: "9988776655"',
    "ok errors { code } connection { id pageName }",
    owned=False,
)
GRAPHQL_CASES["mutation.adsSocialDisconnect"] = _social_mutation(
    "adsSocialDisconnect",
    lambda world: f'connectionId: "{world.ids["connection_id"]}"',
    "ok errors { code } connection { id pageName status }",
)
GRAPHQL_CASES["mutation.adsSocialPublish"] = _social_mutation(
    "adsSocialPublish",
    lambda world: (
        f'connectionId: "{world.ids["connection_id"]}", listing: "{world.ids.get("listing_id", "")}"'
    ),
    "ok errors { code } post { id message }",
)
GRAPHQL_CASES["mutation.adsSocialBoost"] = _social_mutation(
    "adsSocialBoost",
    lambda world: (
        f'postId: "{world.ids["post_id"]}", budget: 1000, startsAt: "2030-01-01T00:00:00Z", '
        'endsAt: "2030-01-05T00:00:00Z"'
    ),
    "ok errors { code } post { id message }",
)
GRAPHQL_CASES["mutation.adsSocialRetry"] = _social_mutation(
    "adsSocialRetry",
    lambda world: f'postId: "{world.ids["post_id"]}"',
    "ok errors { code } post { id message }",
)
GRAPHQL_CASES["query.adsSocialConnections"] = lambda world: _SocialGraphQLCase(
    query="{ adsSocialConnections { id pageName adAccountId } }", owned=False
)
GRAPHQL_CASES["query.adsSocialPosts"] = lambda world: _SocialGraphQLCase(
    query="{ adsSocialPosts { id message externalId impressions } }", owned=False
)


# --- advertising: A's organization's advertiser (its balance), a campaign with its text ad,
# its day of results and a top-up; B's owner, the outsider and anonymous callers neither read
# them nor change, start, pause, end or archive the campaign, nor add or remove its ads ---
from tests.isolation.framework import GraphQLCase as _AdvGraphQLCase  # noqa: E402
from tests.isolation.framework import RestCase as _AdvRestCase  # noqa: E402


def _advertising(world) -> None:
    import uuid
    from datetime import date

    from apps.ads.models import Advertiser, Campaign, CampaignDay, Creative, TopUp

    advertiser = Advertiser.objects.filter(organization=world.org_a).first() or Advertiser.objects.create(
        organization=world.org_a,
        name="Annonceur organisation secrète de A",
        currency="XOF",
        created_by=world.user_a,
    )
    campaign = Campaign.objects.create(
        advertiser=advertiser,
        name="Campagne secrète de A",
        pricing="cpc",
        bid=137,
        total_budget=24_680,
        starts_on=date.today(),
        placements=["app.home"],
        cities=["Ville secrète de A"],
    )
    creative = Creative.objects.create(
        campaign=campaign,
        kind="text",
        headline="Pub secrète de A",
        body="Texte secret de A",
        link_url="https://secret-de-a.example/offre",
        status="approved",
    )
    CampaignDay.objects.create(
        campaign=campaign, day=date.today(), impressions=4_321, clicks=87, spent_milli=87_000
    )
    TopUp.objects.create(
        advertiser=advertiser, amount=13_579, currency="XOF", intent=uuid.uuid4(), created_by=world.user_a
    )
    world.provide("advertiser_id", advertiser.public_id, advertiser.name)
    world.provide("campaign_id", campaign.public_id, "Campagne secrète de A", "Ville secrète de A")
    world.provide(
        "creative_id", creative.public_id, "Pub secrète de A", "Texte secret de A", "secret-de-a.example"
    )
    world.advertising_campaign = campaign


SEEDERS.append(_advertising)


def _campaign_state(world):
    from apps.ads.models import Campaign, Creative

    row = Campaign.objects.get(pk=world.advertising_campaign.pk)
    return (row.status, row.name, row.total_budget, Creative.objects.filter(campaign=row).count())


def _adv_api(name: str, body=None, *, owned: bool = True, **ids):
    def case(world) -> _AdvRestCase:
        from django.urls import reverse

        kwargs = {"version": "v1", **{k: world.ids[v] for k, v in ids.items()}}
        return _AdvRestCase(
            path=reverse(name, kwargs=kwargs),
            body=body(world) if callable(body) else body,
            owned=owned,
            check_unchanged=lambda: _campaign_state(world),
        )

    return case


REST_CASES["ads-advertisers"] = _adv_api("ads-advertisers", {"name": "x"}, owned=False)
REST_CASES["ads-topups"] = _adv_api("ads-topups", {"amount": 5_000}, advertiser_id="advertiser_id")
REST_CASES["ads-campaigns"] = _adv_api(
    "ads-campaigns",
    lambda world: {
        "advertiser": str(world.ids["advertiser_id"]),
        "name": "x",
        "pricing": "cpc",
        "bid": 100,
        "total_budget": 1000,
    },
    owned=False,
)
REST_CASES["ads-campaign"] = _adv_api("ads-campaign", {"name": "Piratée par B"}, campaign_id="campaign_id")
for _action in ("activate", "pause", "end", "archive"):
    REST_CASES[f"ads-campaign-{_action}"] = _adv_api(f"ads-campaign-{_action}", campaign_id="campaign_id")
REST_CASES["ads-creatives"] = _adv_api(
    "ads-creatives",
    {"kind": "text", "headline": "B", "link_url": "https://b.example"},
    campaign_id="campaign_id",
)
PUBLIC_ROUTES["ads-serve"] = "the ads anyone may be shown: delivered campaigns only, no advertiser data"
PUBLIC_ROUTES["ads:impression"] = "an impression beacon: a signed token, answers a pixel whatever it carries"
PUBLIC_ROUTES["ads:click"] = "a click beacon: a signed token, redirects to the ad's link"


def _adv_page(name: str, body=None, *, owned: bool = True, args=()):
    def case(world) -> _AdvRestCase:
        from django.urls import reverse

        return _AdvRestCase(
            path=reverse(name, args=[world.ids[a] if a in world.ids else a for a in args]),
            body=body,
            owned=owned,
            check_unchanged=lambda: _campaign_state(world),
        )

    return case


REST_CASES["manager:ads-home"] = _adv_page("manager:ads-home", {"organization": ""}, owned=False)
REST_CASES["manager:ads-campaign-new"] = _adv_page(
    "manager:ads-campaign-new",
    {
        "name": "x",
        "pricing": "cpc",
        "bid": 100,
        "total_budget": 1000,
        "starts_on": "2030-01-01",
        "placements": "app.home",
    },
    owned=False,
)
REST_CASES["manager:ads-topup"] = _adv_page("manager:ads-topup", {"amount": 5000}, args=("advertiser_id",))
REST_CASES["manager:ads-campaign"] = _adv_page(
    "manager:ads-campaign",
    {"kind": "text", "headline": "B", "link_url": "https://b.example"},
    args=("campaign_id",),
)
REST_CASES["manager:ads-campaign-action"] = _adv_page(
    "manager:ads-campaign-action", {"confirm_step": "confirm"}, args=("campaign_id", "end")
)

GRAPHQL_CASES["query.adsAdvertisers"] = lambda world: _AdvGraphQLCase(
    query="{ adsAdvertisers { id name } }", owned=False
)
GRAPHQL_CASES["query.adsCampaigns"] = lambda world: _AdvGraphQLCase(
    query=f'{{ adsCampaigns(advertiserId: "{world.ids["advertiser_id"]}") {{ id name cities }} }}',
    owned=False,
)
GRAPHQL_CASES["query.adsCampaign"] = lambda world: _AdvGraphQLCase(
    query=f'{{ adsCampaign(campaignId: "{world.ids["campaign_id"]}") {{ id name creatives {{ headline }} report {{ impressions }} }} }}'
)
PUBLIC_GRAPHQL["query.adsServe"] = "the ads anyone may be shown: delivered campaigns only"


def _adv_mutation(field: str, args, payload: str = "campaign { id name }"):
    def case(world) -> _AdvGraphQLCase:
        rendered = (
            args(world)
            if callable(args)
            else args.format(**{k: world.ids[k] for k in ("campaign_id", "advertiser_id", "creative_id")})
        )
        return _AdvGraphQLCase(
            query=f"mutation {{ {field}({rendered}) {{ ok errors {{ code }} {payload} }} }}"
        )

    return case


GRAPHQL_CASES["mutation.adsAdvertiserOpen"] = _adv_mutation(
    "adsAdvertiserOpen", lambda world: f'organization: "{world.org_a.public_id}"', "advertiser { id name }"
)
GRAPHQL_CASES["mutation.adsCampaignCreate"] = _adv_mutation(
    "adsCampaignCreate",
    'advertiserId: "{advertiser_id}", fields: {{name: "x", pricing: "cpc", bid: 100, totalBudget: 1000}}',
)
GRAPHQL_CASES["mutation.adsCampaignUpdate"] = _adv_mutation(
    "adsCampaignUpdate", 'campaignId: "{campaign_id}", fields: {{name: "Piratée par B"}}'
)
for _name in ("Activate", "Pause", "End", "Archive"):
    GRAPHQL_CASES[f"mutation.adsCampaign{_name}"] = _adv_mutation(
        f"adsCampaign{_name}", 'campaignId: "{campaign_id}"'
    )
GRAPHQL_CASES["mutation.adsCreativeCreate"] = _adv_mutation(
    "adsCreativeCreate",
    'campaignId: "{campaign_id}", kind: "text", headline: "B", linkUrl: "https://b.example"',
    "creative { id headline }",
)
GRAPHQL_CASES["mutation.adsCreativeRemove"] = _adv_mutation(
    "adsCreativeRemove", 'creativeId: "{creative_id}"', ""
)
GRAPHQL_CASES["mutation.adsTopUpCreate"] = _adv_mutation(
    "adsTopUpCreate", 'advertiserId: "{advertiser_id}", amount: 5000', "payUrl"
)


# --- creators: A's creator job (delivered, with a file) of A's advertiser, taken by a creator
# of A's; B's owner, the outsider and anonymous callers neither read, take, review, accept
# nor cancel it, nor upload to it ---
from tests.isolation.framework import GraphQLCase as _CreatorsGraphQLCase  # noqa: E402
from tests.isolation.framework import RestCase as _CreatorsRestCase  # noqa: E402


def _creators(world) -> None:
    from django.core.files.base import ContentFile

    from apps.ads.models import Advertiser, Creator, CreatorJob, Deliverable
    from apps.kyc.models import KycProfile
    from tests.identity.factories import UserFactory

    advertiser = Advertiser.objects.filter(organization=world.org_a).first() or Advertiser.objects.create(
        organization=world.org_a, name="Annonceur secret de A", currency="XOF", created_by=world.user_a
    )
    person = UserFactory(full_name="Créatrice secrète de A")
    KycProfile.objects.update_or_create(user=person, defaults={"tier": 1})
    creator = Creator.objects.create(
        user=person, display_name="Studio secret de A", city="Cotonou", skills=["photo"]
    )
    job = CreatorJob.objects.create(
        advertiser=advertiser,
        listing=world.ids.get("listing_id") or "00000000-0000-0000-0000-00000000a0a1",
        title="Mission secrète de A",
        brief="Consignes secrètes de A",
        city="Cotonou",
        price=31_415,
        status="delivered",
        creator=creator,
        created_by=world.user_a,
    )
    item = Deliverable(
        job=job, kind="photo", content_type="image/png", status="ready", caption="Légende secrète de A"
    )
    item.original.save("secret-a.png", ContentFile(b"\x89PNG\r\n\x1a\nsecret"), save=False)
    item.web.name = item.original.name
    item.save()
    world.provide(
        "job_id", job.public_id, "Mission secrète de A", "Consignes secrètes de A", "Studio secret de A"
    )
    world.provide("deliverable_id", item.public_id, "Légende secrète de A")
    world.creators_job = job


SEEDERS.append(_creators)


def _creators_state(world):
    from apps.ads.models import CreatorJob, Deliverable

    job = CreatorJob.objects.get(pk=world.creators_job.pk)
    return (
        job.status,
        job.creator_id,
        job.feedback,
        list(Deliverable.objects.filter(job=job).values_list("review", flat=True)),
    )


def _creators_rest(name: str, body=None, *, args: tuple = (), owned: bool = True, page: bool = False):
    def case(world) -> _CreatorsRestCase:
        from django.urls import reverse

        values = [world.ids[a] for a in args]
        rendered = body(world) if callable(body) else body
        path = (
            reverse(name, args=values)
            if page
            else reverse(name, kwargs={"version": "v1", **dict(zip(args, values, strict=True))})
        )
        return _CreatorsRestCase(
            path=path, body=rendered, owned=owned, check_unchanged=lambda: _creators_state(world)
        )

    return case


REST_CASES["ads-creator-me"] = _creators_rest(
    "ads-creator-me", {"display_name": "B", "skills": ["photo"]}, owned=False
)
REST_CASES["ads-creator-open-jobs"] = _creators_rest("ads-creator-open-jobs", owned=False)
REST_CASES["ads-creator-my-jobs"] = _creators_rest("ads-creator-my-jobs", owned=False)
REST_CASES["ads-agency-jobs"] = lambda world: _creators_rest(
    "ads-agency-jobs",
    {
        "advertiser": str(world.ids["advertiser_id"])
        if "advertiser_id" in world.ids
        else str(world.creators_job.advertiser.public_id),
        "listing": str(world.creators_job.listing),
        "title": "Chez A",
        "price": 5000,
    },
    owned=False,  # the list answers 200 (B's own, empty); the post names A's advertiser: 404
)(world)
REST_CASES["ads-agency-job-changes"] = _creators_rest(
    "ads-agency-job-changes", {"feedback": "x"}, args=("job_id",)
)
REST_CASES["ads-agency-deliverable-review"] = _creators_rest(
    "ads-agency-deliverable-review", {"decision": "reject"}, args=("deliverable_id",)
)
REST_CASES["manager:ads-jobs"] = _creators_rest("manager:ads-jobs", owned=False, page=True)
REST_CASES["manager:ads-job-changes"] = _creators_rest(
    "manager:ads-job-changes", {"feedback": "x"}, args=("job_id",), page=True
)
REST_CASES["manager:ads-job-review"] = _creators_rest(
    "manager:ads-job-review", {"decision": "reject"}, args=("job_id", "deliverable_id"), page=True
)
REST_CASES["manager:ads-job-accept"] = _creators_rest(
    "manager:ads-job-accept", {"confirm": "yes"}, args=("job_id",), page=True
)
REST_CASES["manager:ads-job-cancel"] = _creators_rest(
    "manager:ads-job-cancel", {"confirm": "yes"}, args=("job_id",), page=True
)
REST_CASES["ads:creators-home"] = _creators_rest("ads:creators-home", owned=False, page=True)
REST_CASES["ads:creators-open"] = _creators_rest("ads:creators-open", owned=False, page=True)
REST_CASES["ads:creators-jobs"] = _creators_rest("ads:creators-jobs", owned=False, page=True)
REST_CASES["ads:creators-upload"] = _creators_rest(
    "ads:creators-upload", {"caption": "x"}, args=("job_id",), page=True
)
PUBLIC_ROUTES["ads:creators-login"] = "creators' sign-in, step 1: a phone number form"
PUBLIC_ROUTES["ads:creators-login-code"] = (
    "creators' sign-in, step 2: the SMS code of the phone in the session"
)
PUBLIC_ROUTES["ads:creators-logout"] = "logs the caller out of their own session"


def _creators_mutation(field: str, args: dict, payload: str = "ok errors { code }", *, owned: bool = True):
    def case(world) -> _CreatorsGraphQLCase:
        rendered = ", ".join(f"{k}: {v(world) if callable(v) else v}" for k, v in args.items())
        return _CreatorsGraphQLCase(query=f"mutation {{ {field}({rendered}) {{ {payload} }} }}", owned=owned)

    return case


def _job(world) -> str:
    return f'"{world.ids["job_id"]}"'


for _field in ("adsJobTake", "adsJobDeliver", "adsJobAccept", "adsJobCancel"):
    GRAPHQL_CASES[f"mutation.{_field}"] = _creators_mutation(_field, {"jobId": _job})
GRAPHQL_CASES["mutation.adsJobRequestChanges"] = _creators_mutation(
    "adsJobRequestChanges", {"jobId": _job, "feedback": '"x"'}
)
GRAPHQL_CASES["mutation.adsDeliverableReview"] = _creators_mutation(
    "adsDeliverableReview", {"deliverableId": lambda w: f'"{w.ids["deliverable_id"]}"', "approve": "false"}
)
GRAPHQL_CASES["mutation.adsJobPost"] = _creators_mutation(
    "adsJobPost",
    {
        "advertiserId": lambda w: f'"{w.creators_job.advertiser.public_id}"',
        "listingId": lambda w: f'"{w.creators_job.listing}"',
        "title": '"Chez A"',
        "price": "5000",
    },
)
GRAPHQL_CASES["mutation.adsCreatorSignup"] = _creators_mutation(
    "adsCreatorSignup",
    {"displayName": '"B"', "skills": "[PHOTO]"},
    owned=False,  # the caller's own profile
)
GRAPHQL_CASES["query.adsCreatorMe"] = lambda world: _CreatorsGraphQLCase(
    query="{ adsCreatorMe { id displayName } }", owned=False
)
GRAPHQL_CASES["query.adsCreatorOpenJobs"] = lambda world: _CreatorsGraphQLCase(
    query="{ adsCreatorOpenJobs { id title brief } }", owned=False
)
GRAPHQL_CASES["query.adsCreatorMyJobs"] = lambda world: _CreatorsGraphQLCase(
    query="{ adsCreatorMyJobs { id title } }", owned=False
)
GRAPHQL_CASES["query.adsJobs"] = lambda world: _CreatorsGraphQLCase(
    query="{ adsJobs { id title brief creator deliverables { caption } } }", owned=False
)
REST_CASES["manager:ads-campaign-edit"] = _adv_page(
    "manager:ads-campaign-edit", {"name": "Piratée par B", "placements": "app.home"}, args=("campaign_id",)
)

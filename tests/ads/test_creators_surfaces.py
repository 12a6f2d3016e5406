"""CreatorStudio's REST, GraphQL and pages: the whole flow through each transport, problem
details in French, idempotent money writes, lists with a query-count ceiling independent of
size, another advertiser's job a 404 (REST, pages) or null / not_found (GraphQL), the
creator's SMS sign-in, the confirmation before paying."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.ads.models import CreatorJob
from apps.ads.services import creators
from apps.ads.services.advertisers import balance_of
from tests.fixtures.ads import creators_job, creators_png, creators_user, creators_world
from tests.helpers import bearer_client, gql, gql_response

pytestmark = pytest.mark.django_db

API = "/api/v1/ads/creators"


def _photo():
    return SimpleUploadedFile("p.png", creators_png(), content_type="image/png")


# --- REST ---------------------------------------------------------------------------------------


def test_rest_flow_post_take_upload_deliver_accept(django_capture_on_commit_callbacks):
    world = creators_world(balance=100_000)
    agency, creator = bearer_client(world.manager), bearer_client(world.creator_user)
    body = {
        "advertiser": str(world.advertiser.public_id),
        "listing": str(world.listing.public_id),
        "title": "Visite vidéo",
        "price": 30_000,
        "kind": "photo_video",
    }
    posted = agency.post(f"{API}/agency/jobs", body, format="json", HTTP_IDEMPOTENCY_KEY="job-1")
    assert posted.status_code == 201, posted.content
    replay = agency.post(f"{API}/agency/jobs", body, format="json", HTTP_IDEMPOTENCY_KEY="job-1")
    assert replay.status_code == 201 and replay.json()["id"] == posted.json()["id"]
    assert CreatorJob.objects.count() == 1 and balance_of(world.advertiser) == 70_000
    job = posted.json()
    assert (job["price"]["amount"], job["price"]["currency"], job["status"]) == (30_000, "XOF", "open")

    assert [j["id"] for j in creator.get(f"{API}/jobs/open").json()["results"]] == [job["id"]]
    taken = creator.post(f"{API}/jobs/{job['id']}/take")
    assert taken.status_code == 200 and taken.json()["status"] == "assigned"
    again = bearer_client(world.creator2_user).post(f"{API}/jobs/{job['id']}/take")
    assert again.status_code == 404  # no longer open, not theirs
    up = creator.post(
        f"{API}/jobs/{job['id']}/deliverables", {"file": _photo(), "caption": "Salon"}, format="multipart"
    )
    assert up.status_code == 201, up.content
    assert up.json()["kind"] == "photo" and up.json()["status"] == "ready" and up.json()["url"]
    assert creator.post(f"{API}/jobs/{job['id']}/deliver").json()["status"] == "delivered"

    changes = agency.post(
        f"{API}/agency/jobs/{job['id']}/changes", {"feedback": "Plus de lumière"}, format="json"
    )
    assert changes.json()["status"] == "changes"
    creator.post(f"{API}/jobs/{job['id']}/deliverables", {"file": _photo()}, format="multipart")
    creator.post(f"{API}/jobs/{job['id']}/deliver")
    detail = agency.get(f"{API}/agency/jobs/{job['id']}").json()
    first = detail["deliverables"][0]["id"]
    reviewed = agency.post(
        f"{API}/agency/deliverables/{first}/review", {"decision": "approve"}, format="json"
    )
    assert reviewed.json()["review"] == "approved"
    with django_capture_on_commit_callbacks(execute=True):
        accepted = agency.post(f"{API}/agency/jobs/{job['id']}/accept", HTTP_IDEMPOTENCY_KEY="acc-1")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    mine = creator.get(f"{API}/jobs/mine").json()["results"]
    assert mine[0]["status"] == "paid"
    me = creator.get(f"{API}/me").json()
    assert (me["earnings"]["amount"], me["earnings"]["currency"]) == (0, "XOF")


def test_rest_refusals_are_translated_problem_details():
    world = creators_world(balance=1_000)
    agency = bearer_client(world.manager)
    body = {
        "advertiser": str(world.advertiser.public_id),
        "listing": str(world.listing.public_id),
        "title": "T",
        "price": 30_000,
    }
    poor = agency.post(f"{API}/agency/jobs", body, format="json")
    assert poor.status_code == 409 and poor["Content-Type"].startswith("application/problem+json")
    assert poor.json()["type"].endswith("ads_balance_insufficient")
    strict = agency.post(f"{API}/agency/jobs", {**body, "surprise": 1}, format="json")
    assert strict.status_code == 400
    floaty = agency.post(f"{API}/agency/jobs", {**body, "price": 30000.0}, format="json")
    assert floaty.status_code == 400
    nobody = bearer_client(creators_user(tier=0))
    signup = nobody.put(f"{API}/me", {"display_name": "X", "skills": ["photo"]}, format="json")
    assert signup.status_code == 403 and "identité" in signup.json()["detail"]
    assert nobody.get(f"{API}/me").status_code == 404
    assert nobody.get(f"{API}/jobs/open").status_code == 404


def test_rest_another_advertisers_job_is_a_404():
    world = creators_world()
    other = creators_world(org_name="Agence Rivale")
    job = creators_job(world)
    outsider = bearer_client(other.manager)
    for method, path in (
        ("get", f"{API}/agency/jobs/{job.public_id}"),
        ("post", f"{API}/agency/jobs/{job.public_id}/accept"),
        ("post", f"{API}/agency/jobs/{job.public_id}/cancel"),
    ):
        response = getattr(outsider, method)(path)
        assert response.status_code == 404, (path, response.content)
        assert job.title not in response.content.decode()
    assert outsider.get(f"{API}/agency/jobs").json()["results"] == []
    job.refresh_from_db()
    assert job.status == "open"


def test_rest_lists_have_a_query_ceiling(django_assert_max_num_queries):
    world = creators_world(balance=500_000)
    for n in range(6):
        job = creators_job(world, price=5_000, title=f"Job {n}")
        if n % 2:
            creators.job_take(actor=world.creator_user, job=job.public_id)
    agency, creator = bearer_client(world.manager), bearer_client(world.creator_user)
    with django_assert_max_num_queries(12):
        assert len(agency.get(f"{API}/agency/jobs").json()["results"]) == 6
    with django_assert_max_num_queries(12):
        assert len(creator.get(f"{API}/jobs/mine").json()["results"]) == 3
    with django_assert_max_num_queries(12):
        assert len(creator.get(f"{API}/jobs/open").json()["results"]) == 3
    with django_assert_max_num_queries(12):
        assert len(bearer_client(world.creator2_user).get(f"{API}/jobs/open").json()["results"]) == 3


# --- GraphQL ------------------------------------------------------------------------------------

JOB_FIELDS = "id status price { amount currency } creator deliverables { id review status }"


def test_graphql_flow_and_isolation(django_capture_on_commit_callbacks):
    world = creators_world(balance=100_000)
    other = creators_world(org_name="Agence Rivale")
    agency, creator = bearer_client(world.manager), bearer_client(world.creator_user)
    data = gql(
        agency,
        f"""mutation($a: UUID!, $l: UUID!) {{ adsJobPost(advertiserId: $a, listingId: $l, title: "Photos", price: 20000)
            {{ ok errors {{ field code message }} job {{ {JOB_FIELDS} }} }} }}""",
        {"a": str(world.advertiser.public_id), "l": str(world.listing.public_id)},
    )["adsJobPost"]
    assert data["ok"], data
    job_id = data["job"]["id"]
    assert gql(creator, "{ adsCreatorOpenJobs { id } }")["adsCreatorOpenJobs"] == [{"id": job_id}]
    took = gql(
        creator, "mutation($j: UUID!) { adsJobTake(jobId: $j) { ok job { status creator } } }", {"j": job_id}
    )
    assert took["adsJobTake"]["job"] == {"status": "assigned", "creator": "Awa Studio"}
    creators.deliverable_upload(actor=world.creator_user, job=job_id, upload=_photo())
    gql(creator, "mutation($j: UUID!) { adsJobDeliver(jobId: $j) { ok } }", {"j": job_id})
    # another agency: null, not_found
    outsider = bearer_client(other.manager)
    assert gql(outsider, "query($j: UUID!) { adsJob(jobId: $j) { id } }", {"j": job_id})["adsJob"] is None
    assert gql(outsider, "{ adsJobs { id } }")["adsJobs"] == []
    refused = gql(
        outsider, "mutation($j: UUID!) { adsJobAccept(jobId: $j) { ok errors { code } } }", {"j": job_id}
    )
    assert refused["adsJobAccept"] == {"ok": False, "errors": [{"code": "ads_job_not_found"}]}
    with django_capture_on_commit_callbacks(execute=True):
        accepted = gql(
            agency,
            f"mutation($j: UUID!) {{ adsJobAccept(jobId: $j) {{ ok job {{ {JOB_FIELDS} }} }} }}",
            {"j": job_id},
        )
    assert (
        accepted["adsJobAccept"]["ok"]
        and accepted["adsJobAccept"]["job"]["deliverables"][0]["review"] == "approved"
    )
    assert gql(creator, "{ adsCreatorMyJobs { status } }")["adsCreatorMyJobs"] == [{"status": "paid"}]
    me = gql(creator, "{ adsCreatorMe { displayName earnings { amount currency } } }")["adsCreatorMe"]
    assert me == {"displayName": "Awa Studio", "earnings": {"amount": 0, "currency": "XOF"}}


def test_graphql_signup_refusal_and_anonymous():
    user = creators_user(tier=0)
    result = gql(
        bearer_client(user),
        'mutation { adsCreatorSignup(displayName: "Awa", skills: [PHOTO]) { ok errors { code message } } }',
    )["adsCreatorSignup"]
    assert result["ok"] is False and result["errors"][0]["code"] == "ads_creator_not_verified"
    assert "identité" in result["errors"][0]["message"]
    body = gql_response(bearer_client(None), "{ adsCreatorMe { id } }")
    assert body.get("errors") or body["data"]["adsCreatorMe"] is None


def test_graphql_lists_have_a_query_ceiling(django_assert_max_num_queries):
    world = creators_world(balance=500_000)
    for n in range(5):
        creators_job(world, price=5_000, title=f"Job {n}")
    agency = bearer_client(world.manager)
    with django_assert_max_num_queries(16):
        rows = gql(agency, "{ adsJobs { id advertiserName price { amount } creator deliverables { id } } }")[
            "adsJobs"
        ]
    assert len(rows) == 5


# --- pages --------------------------------------------------------------------------------------


def test_agency_pages_post_review_and_accept_after_confirmation(client, django_capture_on_commit_callbacks):
    world = creators_world(balance=100_000)
    client.force_login(world.manager)
    page = client.get(reverse("manager:ads-jobs"))
    assert page.status_code == 200 and "Missions créateurs" in page.content.decode()
    posted = client.post(
        reverse("manager:ads-jobs"),
        {
            "advertiser": str(world.advertiser.public_id),
            "listing": str(world.listing.public_id),
            "title": "Photos du studio",
            "kind": "photo",
            "price": "25000",
            "revenue_share_bp": "0",
        },
    )
    assert posted.status_code == 302, posted.content.decode()[:2000]
    job = CreatorJob.objects.get()
    assert balance_of(world.advertiser) == 75_000
    creators.job_take(actor=world.creator_user, job=job.public_id)
    creators.deliverable_upload(actor=world.creator_user, job=job.public_id, upload=_photo())
    creators.job_deliver(actor=world.creator_user, job=job.public_id)
    detail = client.get(reverse("manager:ads-job", args=[job.public_id])).content.decode()
    assert 'data-testid="approve"' in detail and "Accepter et payer" in detail
    confirm = client.get(reverse("manager:ads-job-accept", args=[job.public_id]))
    text = confirm.content.decode().replace("\u202f", " ").replace("\xa0", " ")
    assert confirm.status_code == 200 and "25 000" in text and "définitive" in text
    job.refresh_from_db()
    assert job.status == "delivered"  # the GET only asks
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("manager:ads-job-accept", args=[job.public_id]), {"confirm": "yes"})
    assert done.status_code == 302
    job.refresh_from_db()
    assert job.status == "paid"


def test_agency_pages_bad_form_and_other_agency(client):
    world = creators_world(balance=1_000)
    other = creators_world(org_name="Agence Rivale")
    client.force_login(world.manager)
    refused = client.post(
        reverse("manager:ads-jobs"),
        {
            "advertiser": str(world.advertiser.public_id),
            "listing": str(world.listing.public_id),
            "title": "T",
            "kind": "photo",
            "price": "25000",
            "revenue_share_bp": "0",
        },
    )
    assert refused.status_code == 400 and 'data-testid="field-error"' in refused.content.decode()
    job = creators_job(other, price=5_000)
    for name in ("manager:ads-job", "manager:ads-job-accept", "manager:ads-job-cancel"):
        assert client.get(reverse(name, args=[job.public_id])).status_code == 404
    assert (
        client.post(reverse("manager:ads-job-cancel", args=[job.public_id]), {"confirm": "yes"}).status_code
        == 404
    )
    job.refresh_from_db()
    assert job.status == "open"


def test_agency_jobs_page_query_ceiling(client, django_assert_max_num_queries):
    world = creators_world(balance=500_000)
    for n in range(6):
        creators_job(world, price=5_000, title=f"Job {n}")
    client.force_login(world.manager)
    with django_assert_max_num_queries(40):
        assert client.get(reverse("manager:ads-jobs")).status_code == 200


@pytest.fixture
def sms():
    from apps.identity import api as identity
    from tests.identity.conftest import SmsInbox

    inbox = SmsInbox()
    identity.set_otp_sender(inbox)
    yield inbox
    identity.set_otp_sender(None)


def test_creator_signs_in_by_sms_code_and_works(client, sms):
    world = creators_world()
    job = creators_job(world)
    page = client.get(reverse("ads:creators-open"))
    assert page.status_code == 302 and reverse("ads:creators-login") in page["Location"]
    asked = client.post(
        reverse("ads:creators-login"),
        {"phone": str(world.creator_user.phone), "next": reverse("ads:creators-open")},
    )
    assert asked.status_code == 302 and reverse("ads:creators-login-code") in asked["Location"]
    signed = client.post(asked["Location"], {"code": sms.last_code(world.creator_user.phone)})
    assert signed.status_code == 302 and signed["Location"] == reverse("ads:creators-open")
    listing = (
        client.get(reverse("ads:creators-open")).content.decode().replace("\u202f", " ").replace("\xa0", " ")
    )
    assert job.title in listing and "25 000" in listing
    client.post(reverse("ads:creators-take", args=[job.public_id]))
    upload = client.post(
        reverse("ads:creators-upload", args=[job.public_id]), {"file": _photo(), "caption": "Salon"}
    )
    assert upload.status_code == 302
    client.post(reverse("ads:creators-deliver", args=[job.public_id]))
    job.refresh_from_db()
    assert job.status == "delivered"
    mine = client.get(reverse("ads:creators-jobs")).content.decode()
    assert "Livrée" in mine or "livrée" in mine


def test_creator_pages_profile_refusal_and_other_jobs(client):
    world = creators_world()
    newcomer = creators_user(tier=0)
    client.force_login(newcomer)
    page = client.post(reverse("ads:creators-home"), {"display_name": "Nouveau", "skills": ["photo"]})
    assert page.status_code == 400 and "identité" in page.content.decode()
    assert client.get(reverse("ads:creators-open")).status_code == 302  # no profile yet: to the profile
    job = creators_job(world)
    creators.job_take(actor=world.creator_user, job=job.public_id)
    client.force_login(world.creator2_user)
    assert client.get(reverse("ads:creators-job", args=[job.public_id])).status_code == 404
    assert (
        client.post(reverse("ads:creators-upload", args=[job.public_id]), {"file": _photo()}).status_code
        == 404
    )


@pytest.mark.parametrize("width", [390, 1366])
def test_pages_have_the_viewport_and_no_fixed_widths(client, width):
    """The layout is fluid (one column under 1000 px, two above): no fixed width wider than a
    phone in the pages' styles."""
    world = creators_world()
    client.force_login(world.creator_user)
    html = client.get(reverse("ads:creators-home")).content.decode()
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in html
    widths = [int(w) for w in re.findall(r"(?<![-\w])width:\s*(\d+)px", html)]
    assert all(w <= width for w in widths)

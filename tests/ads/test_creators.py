"""HokweCreatorStudio's services: sign-up (KYC), posting a job for one's own listing (the price
held on the ad balance), taking, uploading (sniffed, capped, scanned), delivering, review,
acceptance (the hold posted to the creator's earnings, the photos on the listing, the payout
after commit through payments' sandbox), cancel (the hold voided), the revenue share once a
day, and what the daily run retries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.ads.errors import (
    CreatorJobNotFound,
    CreatorJobState,
    CreatorJobTaken,
    CreatorNotFound,
    CreatorNotVerified,
    DeliverableInfected,
    DeliverableTooLarge,
    InsufficientAdBalance,
    InvalidCreatorJob,
    InvalidDeliverable,
)
from apps.ads.models import Campaign, CampaignDay, Creative, CreatorJob, Deliverable, RevenueShare
from apps.ads.services import creators
from apps.ads.services.advertisers import balance_of, revenue_account
from apps.ledger import api as ledger
from apps.market.models import Listing, ListingPhoto
from apps.notifications.models import Message
from tests.fixtures.ads import creators_job, creators_png, creators_user, creators_world
from tests.fixtures.market import search_listing
from tests.identity.factories import MembershipFactory

pytestmark = pytest.mark.django_db

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def _png(name="photo.png", **kwargs):
    return SimpleUploadedFile(name, creators_png(**kwargs), content_type="image/png")


def _deliver_photo(world, job, *, captured=None):
    creators.job_take(actor=world.creator_user, job=job)
    item = creators.deliverable_upload(
        actor=world.creator_user, job=job.public_id, upload=_png(), caption="Salon"
    )
    creators.job_deliver(actor=world.creator_user, job=job.public_id)
    return item


def _keys(user):
    return set(Message.objects.filter(user=user).values_list("template_key", flat=True))


# --- creators ---------------------------------------------------------------------------------


def test_signup_needs_kyc_tier_one_with_a_french_refusal():
    user = creators_user(tier=0)
    with pytest.raises(CreatorNotVerified) as refused:
        creators.creator_signup(actor=user, display_name="Awa", skills=["photo"])
    assert "identité" in str(refused.value.message)
    assert creators.creator_of(user) is None


def test_signup_then_profile_change_keeps_one_row():
    user = creators_user()
    first = creators.creator_signup(actor=user, display_name="Awa", skills=["photo"], city="Cotonou")
    again = creators.creator_signup(
        actor=user,
        display_name="Awa Studio",
        skills=["photo", "influence"],
        city="Porto-Novo",
        revenue_share=True,
    )
    assert first.pk == again.pk
    again.refresh_from_db()
    assert (again.display_name, again.skills, again.city, again.revenue_share) == (
        "Awa Studio",
        ["photo", "influence"],
        "Porto-Novo",
        True,
    )
    assert again.payout_phone == str(user.phone)


def test_signup_refuses_unknown_skills_and_no_name():
    user = creators_user()
    with pytest.raises(InvalidCreatorJob) as bad:
        creators.creator_signup(actor=user, display_name="Awa", skills=["dance"])
    assert bad.value.field == "skills"
    with pytest.raises(InvalidCreatorJob) as bad:
        creators.creator_signup(actor=user, display_name="  ", skills=["photo"])
    assert bad.value.field == "display_name"


# --- posting --------------------------------------------------------------------------------


def test_posting_holds_the_price_on_the_ad_balance():
    world = creators_world(balance=100_000)
    job = creators_job(world, price=25_000)
    assert job.status == CreatorJob.Status.OPEN and job.hold is not None
    assert job.city == "Cotonou" and job.currency == "XOF"
    assert balance_of(world.advertiser) == 75_000
    state = ledger.hold_state(hold=job.hold)
    assert state == "pending"


def test_posting_above_the_balance_is_refused_and_writes_nothing():
    world = creators_world(balance=10_000)
    with pytest.raises(InsufficientAdBalance):
        creators_job(world, price=25_000)
    assert CreatorJob.objects.count() == 0
    assert balance_of(world.advertiser) == 10_000


def test_posting_only_for_ones_own_listing():
    world = creators_world()
    other = creators_world(org_name="Agence Rivale")
    with pytest.raises(InvalidCreatorJob) as refused:
        creators.job_post(
            actor=world.manager,
            advertiser=world.advertiser.public_id,
            listing=other.listing.public_id,
            title="Pas à moi",
            price=5_000,
        )
    assert refused.value.field == "listing"
    # another organization's advertiser: not found, whatever the listing
    from apps.ads.errors import AdvertiserNotFound

    with pytest.raises(AdvertiserNotFound):
        creators.job_post(
            actor=world.manager,
            advertiser=other.advertiser.public_id,
            listing=other.listing.public_id,
            title="Chez l'autre",
            price=5_000,
        )


def test_posting_checks_price_share_and_title():
    world = creators_world()
    for fields, field in (
        ({"price": 10}, "price"),
        ({"price": 5_000, "revenue_share_bp": 6000}, "revenue_share_bp"),
        ({"price": 5_000, "title": " "}, "title"),
        ({"price": 5_000, "due_on": timezone.localdate() - timedelta(days=1)}, "due_on"),
    ):
        with pytest.raises(InvalidCreatorJob) as bad:
            creators_job(world, **fields)
        assert bad.value.field == field
    assert balance_of(world.advertiser) == 100_000


def test_a_member_who_only_reads_cannot_post():
    world = creators_world()
    reader = MembershipFactory(organization=world.agency, role="viewer").user
    from apps.ads.errors import AdvertiserNotFound

    with pytest.raises(AdvertiserNotFound):
        creators_job(
            type("W", (), {"manager": reader, "advertiser": world.advertiser, "listing": world.listing})
        )


# --- taking ---------------------------------------------------------------------------------


def test_open_jobs_near_me_and_taking():
    world = creators_world()
    job = creators_job(world)
    far = search_listing(organization=world.agency, owner=None, city="Parakou", title="Loin")
    creators.job_post(
        actor=world.manager,
        advertiser=world.advertiser.public_id,
        listing=far.public_id,
        title="Loin",
        price=5_000,
    )
    assert [j.pk for j in creators.open_jobs(world.creator_user)] == [job.pk]
    assert len(creators.open_jobs(world.creator_user, city="Parakou")) == 1
    taken = creators.job_take(actor=world.creator_user, job=job.public_id)
    assert taken.status == "assigned" and taken.creator_id == world.creator.pk and taken.assigned_at
    assert "ads.creator_job_taken" in _keys(world.manager)
    assert job.pk not in [j.pk for j in creators.open_jobs(world.creator_user)]
    assert [j.pk for j in creators.jobs_of_creator(world.creator_user)] == [job.pk]
    with pytest.raises(CreatorJobTaken):
        creators.job_take(actor=world.creator2_user, job=job)
    # the second creator no longer sees it
    with pytest.raises(CreatorJobNotFound):
        creators.job_for_creator(world.creator2_user, job.public_id)


def test_taking_needs_a_creator_profile_and_not_ones_own_agency():
    world = creators_world()
    job = creators_job(world)
    with pytest.raises(CreatorNotFound):
        creators.job_take(actor=creators_user(), job=job.public_id)
    from apps.kyc.models import KycProfile

    KycProfile.objects.update_or_create(user=world.manager, defaults={"tier": 1})
    creators.creator_signup(actor=world.manager, display_name="Le manager", skills=["photo"], city="Cotonou")
    assert creators.open_jobs(world.manager).count() == 0
    with pytest.raises(InvalidCreatorJob):
        creators.job_take(actor=world.manager, job=job)


# --- uploads --------------------------------------------------------------------------------


def test_photo_upload_is_sniffed_scanned_and_stored():
    world = creators_world()
    job = creators_job(world)
    creators.job_take(actor=world.creator_user, job=job.public_id)
    item = creators.deliverable_upload(actor=world.creator_user, job=job.public_id, upload=_png("x.bin"))
    assert item.kind == "photo" and item.status == "ready" and item.content_type == "image/png"
    assert item.scanned is True and item.scan_engine.startswith("ClamAV")
    from django.core.files.storage import default_storage

    assert default_storage.exists(item.original.name)


@pytest.mark.parametrize(
    "data, error",
    [
        (b"%PDF-1.4 not an image", InvalidDeliverable),
        (b"<html><script>alert(1)</script></html>", InvalidDeliverable),
        (b"\x89PNG\r\n\x1a\n" + b"broken" * 10, InvalidDeliverable),
    ],
)
def test_uploads_that_are_not_photos_or_videos_are_refused(data, error):
    world = creators_world()
    job = creators_job(world)
    creators.job_take(actor=world.creator_user, job=job.public_id)
    with pytest.raises(error) as refused:
        creators.deliverable_upload(
            actor=world.creator_user, job=job.public_id, upload=SimpleUploadedFile("a.jpg", data)
        )
    assert refused.value.field == "file"
    assert Deliverable.objects.count() == 0


def test_the_antivirus_refuses_an_infected_file():
    world = creators_world()
    job = creators_job(world)
    creators.job_take(actor=world.creator_user, job=job.public_id)
    with pytest.raises(DeliverableInfected) as refused:
        creators.deliverable_upload(
            actor=world.creator_user, job=job.public_id, upload=SimpleUploadedFile("v.jpg", EICAR)
        )
    assert refused.value.field == "file"
    assert Deliverable.objects.count() == 0


def test_size_caps(settings):
    settings.ADS_CREATOR_PHOTO_MAX_BYTES = 200
    world = creators_world()
    job = creators_job(world)
    creators.job_take(actor=world.creator_user, job=job.public_id)
    with pytest.raises(DeliverableTooLarge):
        creators.deliverable_upload(actor=world.creator_user, job=job.public_id, upload=_png(size=(400, 400)))


def test_only_the_assigned_creator_uploads_and_only_while_in_hand():
    world = creators_world()
    job = creators_job(world)
    with pytest.raises(CreatorJobNotFound):  # open: nobody's yet
        creators.deliverable_upload(actor=world.creator_user, job=job.public_id, upload=_png())
    creators.job_take(actor=world.creator_user, job=job.public_id)
    with pytest.raises(CreatorJobNotFound):
        creators.deliverable_upload(actor=world.creator2_user, job=job.public_id, upload=_png())


# --- delivering, review, acceptance -----------------------------------------------------------


def test_deliver_needs_a_ready_file():
    world = creators_world()
    job = creators_job(world)
    creators.job_take(actor=world.creator_user, job=job.public_id)
    with pytest.raises(InvalidDeliverable):
        creators.job_deliver(actor=world.creator_user, job=job.public_id)


def test_changes_then_redelivery_then_accept_pays_the_creator(django_capture_on_commit_callbacks):
    world = creators_world(balance=100_000)
    job = creators_job(world, price=25_000)
    with django_capture_on_commit_callbacks(execute=True):
        _deliver_photo(world, job)
    assert "ads.creator_job_delivered" in _keys(world.manager)
    assert "ads.creator_job_taken" in _keys(world.manager)
    with django_capture_on_commit_callbacks(execute=True):
        creators.job_request_changes(actor=world.manager, job=job.public_id, feedback="Plus de lumière")
    job.refresh_from_db()
    assert job.status == "changes" and job.feedback == "Plus de lumière"
    assert "ads.creator_changes_requested" in _keys(world.creator_user)
    second = creators.deliverable_upload(
        actor=world.creator_user, job=job.public_id, upload=_png(color=(10, 200, 10)), caption="Cuisine"
    )
    creators.job_deliver(actor=world.creator_user, job=job.public_id)
    creators.deliverable_review(actor=world.manager, deliverable=second.public_id, approve=False)
    photos_before = ListingPhoto.objects.filter(listing=world.listing).count()
    with django_capture_on_commit_callbacks(execute=True):
        accepted = creators.job_accept(actor=world.manager, job=job.public_id)
    assert accepted.accepted_by_id == world.manager.pk
    job.refresh_from_db()
    # paid by the sandbox's payout, confirmed (PayoutCompleted) within the same callbacks
    assert job.status == "paid", job.payout_failure
    assert job.payout is not None
    # the hold was posted: the balance keeps the price out; the earnings paid out to zero
    assert balance_of(world.advertiser) == 75_000
    assert ledger.hold_state(hold=job.hold) == "posted"
    assert creators.earnings_of(world.creator_user) == 0
    escrow = creators.escrow_account("XOF")
    assert ledger.balance(account=escrow.public_id).posted == 0
    # the approved photo (the first) went onto the listing; the rejected one did not
    assert ListingPhoto.objects.filter(listing=world.listing).count() == photos_before + 1
    rows = {d.caption: d for d in Deliverable.objects.filter(job=job)}
    assert rows["Salon"].listing_photo is not None and rows["Salon"].attached_at
    assert rows["Cuisine"].listing_photo is None and rows["Cuisine"].review == "rejected"
    assert {"ads.creator_job_accepted", "ads.creator_paid"} <= _keys(world.creator_user)
    from apps.payments import api as payments

    payout = payments.payout_state(job.payout)
    assert payout.amount == 25_000 and payout.status == "paid"


def test_accepting_twice_or_out_of_turn_is_refused(django_capture_on_commit_callbacks):
    world = creators_world()
    job = creators_job(world)
    with pytest.raises(CreatorJobState):
        creators.job_accept(actor=world.manager, job=job.public_id)
    with django_capture_on_commit_callbacks(execute=True):
        _deliver_photo(world, job)
        creators.job_accept(actor=world.manager, job=job.public_id)
    with pytest.raises(CreatorJobState):
        creators.job_accept(actor=world.manager, job=job.public_id)
    with pytest.raises(CreatorJobState):
        creators.job_cancel(actor=world.manager, job=job.public_id)


def test_a_refused_payout_is_recorded_and_retried_daily(django_capture_on_commit_callbacks):
    """The payout goes only to the creator's own login number: without one it is refused,
    the money stays on the earnings, the job says why; the daily run pays it once fixed."""
    from apps.identity.models import User

    world = creators_world(balance=100_000)
    job = creators_job(world, price=25_000)
    _deliver_photo(world, job)
    phone = world.creator_user.phone
    User.objects.filter(pk=world.creator_user.pk).update(phone=None)
    world.creator_user.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        creators.job_accept(actor=world.manager, job=job.public_id)
    job.refresh_from_db()
    assert job.status == "accepted" and job.payout is None and job.payout_failure
    assert creators.earnings_of(world.creator_user) == 25_000
    User.objects.filter(pk=world.creator_user.pk).update(phone=phone)
    with django_capture_on_commit_callbacks(execute=True):
        creators.creators_daily()
    job.refresh_from_db()
    assert job.status == "paid" and job.payout_failure == ""
    assert creators.earnings_of(world.creator_user) == 0


def test_cancel_voids_the_hold():
    world = creators_world(balance=100_000)
    job = creators_job(world, price=25_000)
    creators.job_take(actor=world.creator_user, job=job.public_id)
    cancelled = creators.job_cancel(actor=world.manager, job=job.public_id)
    assert cancelled.status == "cancelled"
    assert ledger.hold_state(hold=job.hold) == "voided"
    assert balance_of(world.advertiser) == 100_000
    with pytest.raises(CreatorJobState):
        creators.deliverable_upload(actor=world.creator_user, job=job.public_id, upload=_png())


def test_another_agency_never_reaches_the_job():
    world = creators_world()
    other = creators_world(org_name="Agence Rivale")
    job = creators_job(world)
    for call in (
        lambda: creators.job_for_agency(other.manager, job.public_id),
        lambda: creators.job_cancel(actor=other.manager, job=job.public_id),
        lambda: creators.job_accept(actor=other.manager, job=job.public_id),
        lambda: creators.job_request_changes(actor=other.manager, job=job.public_id, feedback="x"),
    ):
        with pytest.raises(CreatorJobNotFound):
            call()
    assert list(creators.jobs_of_advertisers(other.manager)) == []


# --- revenue share --------------------------------------------------------------------------


def _promote(world, day, spent_milli):
    campaign = Campaign.objects.create(
        advertiser=world.advertiser, name="Promo", bid=100, total_budget=50_000, starts_on=day
    )
    Creative.objects.create(
        campaign=campaign, kind="listing", listing=world.listing.public_id, status="approved"
    )
    # a second creative of the same listing must not count the day twice
    Creative.objects.create(
        campaign=campaign, kind="listing", listing=world.listing.public_id, status="approved"
    )
    CampaignDay.objects.create(campaign=campaign, day=day, spent_milli=spent_milli)
    return campaign


def test_revenue_share_once_per_job_and_day(django_capture_on_commit_callbacks):
    world = creators_world(revenue_share=True)
    job = creators_job(world, price=20_000, revenue_share_bp=1000)  # 10 %
    with django_capture_on_commit_callbacks(execute=True):
        _deliver_photo(world, job)
        creators.job_accept(actor=world.manager, job=job.public_id)
    yesterday = timezone.localdate() - timedelta(days=1)
    CreatorJob.objects.filter(pk=job.pk).update(accepted_at=timezone.now() - timedelta(days=2))
    _promote(world, yesterday, spent_milli=123_456_789)  # 123 456.789 FCFA spent
    # another advertiser's campaign on another listing does not count
    other = creators_world(org_name="Agence Autre")
    _promote(other, yesterday, spent_milli=999_000)
    revenue = revenue_account("XOF").public_id
    before = ledger.balance(account=revenue).posted
    first = creators.shares_run(yesterday)
    again = creators.shares_run(yesterday)
    assert first == {"jobs": 1, "credited": 12_345} and again == {"jobs": 0, "credited": 0}
    share = RevenueShare.objects.get(job=job, day=yesterday)
    assert (share.basis, share.amount) == (123_456_789, 12_345) and share.transfer is not None
    assert creators.earnings_of(world.creator_user) == 12_345
    assert ledger.balance(account=revenue).posted == before - 12_345


def test_no_share_without_the_creators_consent_or_the_jobs_offer(django_capture_on_commit_callbacks):
    world = creators_world(revenue_share=False)
    job = creators_job(world, revenue_share_bp=1000)
    with django_capture_on_commit_callbacks(execute=True):
        _deliver_photo(world, job)
        creators.job_accept(actor=world.manager, job=job.public_id)
    yesterday = timezone.localdate() - timedelta(days=1)
    CreatorJob.objects.filter(pk=job.pk).update(accepted_at=timezone.now() - timedelta(days=2))
    _promote(world, yesterday, spent_milli=10_000_000)
    assert creators.shares_run(yesterday) == {"jobs": 0, "credited": 0}


def test_the_daily_run_pays_out_shares_above_the_minimum(django_capture_on_commit_callbacks):
    world = creators_world(revenue_share=True)
    job = creators_job(world, price=20_000, revenue_share_bp=5000)
    with django_capture_on_commit_callbacks(execute=True):
        _deliver_photo(world, job)
        creators.job_accept(actor=world.manager, job=job.public_id)
    yesterday = timezone.localdate() - timedelta(days=1)
    CreatorJob.objects.filter(pk=job.pk).update(accepted_at=timezone.now() - timedelta(days=2))
    _promote(world, yesterday, spent_milli=4_000_000)  # 4 000 FCFA, half of it: 2 000
    with django_capture_on_commit_callbacks(execute=True):
        result = creators.creators_daily(yesterday)
    assert result["credited"] == 2_000 and result["payouts"] == 1
    assert creators.earnings_of(world.creator_user) == 0


def test_share_amount_floors():
    assert creators.share_amount(999, 10_000) == 0
    assert creators.share_amount(1_000, 10_000) == 1
    assert creators.share_amount(19_999_999, 5_000) == 9_999


def test_listing_gone_does_not_block_the_payout(django_capture_on_commit_callbacks):
    world = creators_world()
    job = creators_job(world)
    _deliver_photo(world, job)
    Listing.objects.filter(pk=world.listing.pk).update(status="withdrawn")
    with django_capture_on_commit_callbacks(execute=True):
        creators.job_accept(actor=world.manager, job=job.public_id)
    job.refresh_from_db()
    assert job.status == "paid"
    assert Deliverable.objects.get(job=job).listing_photo is None

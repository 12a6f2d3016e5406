"""HokweCreatorStudio (docs/ads.md, "CreatorStudio"): creators take shoots that agencies (and
owners) post for their own listings, deliver photos and videos, get paid on acceptance, and
optionally share in the ad results of their content.

Money (every movement through ledger.api, idempotent keys named after the job):
- posting a job HOLDS its price: the advertiser's prepaid balance → the creator jobs' escrow
  (a system liability); InsufficientAdBalance when the balance cannot cover it;
- cancelling (before delivery) VOIDS the hold: the price is back on the balance;
- accepting POSTS the hold, then moves the price from the escrow to the creator's earnings
  (a liability per creator user, "ads_creator_earnings", that cannot go below zero), in the
  same transaction; after commit the approved photos are attached to the listing (market's
  api, as the agency member who accepted) and a payout of the earnings to the creator's own
  mobile money number is requested (payments' user payout: a hold on the earnings, posted
  when the provider confirms; payments' PayoutCompleted marks the job paid);
- the daily run credits revenue shares (Hokwe's ad revenue → the creator's earnings, once
  per job and day) and pays out what is left on the earnings accounts.

Job statuses (JOB_STATES): open → assigned (a creator took it; one creator per job, by a
conditional UPDATE) → delivered (files sent for review) → changes (feedback) → delivered …
→ accepted → paid; open and assigned jobs may be cancelled.

Files go through Django's default storage (django-storages in production). A photo is
sniffed (JPEG, PNG, WebP), size-capped, scanned by the antivirus; a video (MP4, MOV, WebM) too,
then transcoded by a Celery task with ffmpeg (services/transcode.py). No storage call nor
network call is made under a row lock.
"""

from __future__ import annotations

import logging
import tempfile
import uuid
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core import antivirus, uploads
from apps.core.errors import DomainError
from apps.core.statemachine import StateMachine
from apps.identity import api as identity
from apps.kyc import api as kyc
from apps.ledger import api as ledger
from apps.ledger.contracts import AccountKind, Leg, OwnerType
from apps.market import api as market
from apps.notifications import api as notifications
from apps.payments import api as payments

from ..errors import (
    CreatorJobNotFound,
    CreatorJobState,
    CreatorJobTaken,
    CreatorNotFound,
    CreatorNotVerified,
    CreatorSuspended,
    DeliverableInfected,
    DeliverableNotFound,
    DeliverableTooLarge,
    InsufficientAdBalance,
    InvalidCreatorJob,
    InvalidDeliverable,
    ScannerUnavailable,
)
from ..messages import (
    ADS_CREATOR_CHANGES_REQUESTED,
    ADS_CREATOR_JOB_ACCEPTED,
    ADS_CREATOR_JOB_DELIVERED,
    ADS_CREATOR_JOB_TAKEN,
    ADS_CREATOR_PAID,
)
from ..models import CampaignDay, Creative, Creator, CreatorJob, Deliverable, RevenueShare
from ..selectors import advertiser_get, advertisers_visible_to
from . import transcode as video
from .advertisers import ads_organization, revenue_account

logger = logging.getLogger(__name__)

__all__ = [
    "JOB_STATES",
    "creator_of",
    "creator_signup",
    "creators_daily",
    "deliverable_review",
    "deliverable_transcode",
    "deliverable_upload",
    "job_accept",
    "job_cancel",
    "job_deliver",
    "job_post",
    "job_request_changes",
    "job_settle",
    "job_take",
    "payout_completed",
    "shares_run",
]

Status = CreatorJob.Status
MIN_TIER = 1  # an ID document verified
EARNINGS_CODE = "ads_creator_earnings"
ESCROW_CODE = "ads_creator_escrow"
CURRENCIES = ("XOF",)
PHOTO_TYPES = {uploads.JPEG, uploads.PNG, uploads.WEBP}
VIDEO_TYPES = {"video/mp4", "video/quicktime", "video/webm"}
EXTENSIONS = {
    uploads.JPEG: "jpg",
    uploads.PNG: "png",
    uploads.WEBP: "webp",
    "video/mp4": "mp4",
    "video/quicktime": "mov",
    "video/webm": "webm",
}
SKILLS = tuple(Creator.Skill.values)

JOB_STATES = StateMachine(
    {
        Status.OPEN: {Status.ASSIGNED, Status.CANCELLED},
        Status.ASSIGNED: {Status.DELIVERED, Status.CANCELLED},
        Status.DELIVERED: {Status.CHANGES, Status.ACCEPTED},
        Status.CHANGES: {Status.DELIVERED},
        Status.ACCEPTED: {Status.PAID},
        Status.PAID: set(),
        Status.CANCELLED: set(),
    },
    error=CreatorJobState,
)
# the statuses in which the price is still reserved on the advertiser's balance
HELD = frozenset({Status.OPEN, Status.ASSIGNED, Status.DELIVERED, Status.CHANGES})
UPLOADABLE = frozenset({Status.ASSIGNED, Status.CHANGES})

FAILURE_LABELS = {
    "unreadable": gettext_lazy("The video could not be read."),
    "too_long": gettext_lazy("The video is too long."),
    "no_video": gettext_lazy("The file has no video track."),
    "ffmpeg_missing": gettext_lazy("Video conversion is unavailable: try again later."),
    "timeout": gettext_lazy("The video took too long to convert."),
    "ffmpeg_error": gettext_lazy("The video could not be converted."),
    "storage": gettext_lazy("The file could not be read back: send it again."),
}


def failure_label(code: str) -> str:
    return str(FAILURE_LABELS.get(code, code)) if code else ""


# --- accounts -------------------------------------------------------------------------------


def escrow_account(currency: str):
    return ledger.create_account(
        code=ESCROW_CODE,
        name="Missions créateurs (fonds réservés)",
        currency=currency,
        kind=AccountKind.LIABILITY,
        owner_type=OwnerType.SYSTEM,
        debits_must_not_exceed_credits=True,
    )


def earnings_account(user, currency: str = "XOF"):
    """The creator's earnings (what Hokwe owes them until it is paid out)."""
    return ledger.create_account(
        code=EARNINGS_CODE,
        name="Gains créateur",
        currency=currency,
        kind=AccountKind.LIABILITY,
        owner_type=OwnerType.USER,
        owner=user.public_id,
        debits_must_not_exceed_credits=True,
    )


def earnings_of(user, currency: str = "XOF") -> int:
    return ledger.balance(account=earnings_account(user, currency).public_id).available


def _url(name: str, *args) -> str:
    return settings.ADS_CREATORS_BASE_URL.rstrip("/") + reverse(name, args=args)


def _uuid(value, error=CreatorJobNotFound):
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError):
        raise error() from None


# --- creators -------------------------------------------------------------------------------


def creator_of(actor) -> Creator | None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    return Creator.objects.filter(user_id=actor.pk).first()


def creator_get(actor) -> Creator:
    """The actor's creator profile (CreatorNotFound without one; CreatorSuspended)."""
    creator = creator_of(actor)
    if creator is None:
        raise CreatorNotFound()
    if creator.suspended:
        raise CreatorSuspended()
    return creator


def _clean_skills(skills) -> list[str]:
    values = list(dict.fromkeys(str(s) for s in (skills or [])))
    if not values or any(s not in SKILLS for s in values):
        raise InvalidCreatorJob(_("Choose what you do: photos, videos or influence."), field="skills")
    return values


def creator_signup(
    *,
    actor,
    display_name: str,
    skills,
    city: str = "",
    bio: str = "",
    revenue_share: bool = False,
) -> Creator:
    """Become a creator (or change your profile): KYC tier 1 at least (an ID verified), else
    CreatorNotVerified. Payouts go to the actor's login number."""
    actor = identity.authenticated(actor)
    name = (display_name or "").strip()
    if not name:
        raise InvalidCreatorJob(_("Give the name clients will see."), field="display_name")
    values = _clean_skills(skills)
    existing = creator_of(actor)
    if existing is not None and existing.suspended:
        raise CreatorSuspended()
    if kyc.tier_of(actor) < MIN_TIER:
        raise CreatorNotVerified()
    fields = {
        "display_name": name[:80],
        "skills": values,
        "city": (city or "").strip()[:100],
        "bio": (bio or "").strip()[:500],
        "revenue_share": bool(revenue_share),
        "payout_phone": str(actor.phone or "")[:20],
    }
    if existing is not None:
        for key, value in fields.items():
            setattr(existing, key, value)
        existing.save(update_fields=[*fields, "updated_at"])
        return existing
    try:
        with transaction.atomic():
            return Creator.objects.create(user=actor, **fields)
    except IntegrityError:  # signed up twice at once: the first one stays
        return Creator.objects.get(user_id=actor.pk)


# --- reads ----------------------------------------------------------------------------------


def jobs_of_advertisers(actor, *, advertiser=None, status: str = ""):
    """The jobs of the advertisers `actor` reads (one of them with `advertiser`), newest first."""
    advertisers = advertisers_visible_to(actor)
    if advertiser:
        advertisers = advertisers.filter(public_id=_uuid(advertiser, InvalidCreatorJob))
    qs = CreatorJob.objects.filter(advertiser__in=advertisers).select_related("creator", "advertiser")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def job_for_agency(actor, job_id, *, manage: bool = False) -> CreatorJob:
    """One job of an advertiser `actor` reads (manage: runs); CreatorJobNotFound otherwise."""
    row = (
        CreatorJob.objects.filter(
            advertiser__in=advertisers_visible_to(actor, manage=manage), public_id=_uuid(job_id)
        )
        .select_related("creator", "advertiser")
        .first()
    )
    if row is None:
        raise CreatorJobNotFound()
    return row


def open_jobs(actor, *, city: str = ""):
    """Open jobs a creator may take, in `city` (default: the creator's), newest first; every
    open job when neither is given. Not the jobs of the creator's own advertisers."""
    creator = creator_get(actor)
    qs = CreatorJob.objects.filter(status=Status.OPEN).exclude(advertiser__in=advertisers_visible_to(actor))
    where = (city if city is not None else "").strip() or creator.city
    if where:
        qs = qs.filter(city__iexact=where)
    return qs.select_related("advertiser").order_by("-created_at", "-id")


def jobs_of_creator(actor, *, status: str = ""):
    creator = creator_get(actor)
    qs = CreatorJob.objects.filter(creator=creator).select_related("advertiser", "creator")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def job_for_creator(actor, job_id) -> CreatorJob:
    """A job of the actor's (as its creator), or an open job they may take; else not found."""
    creator = creator_get(actor)
    row = (
        CreatorJob.objects.filter(public_id=_uuid(job_id))
        .filter(Q(creator=creator) | Q(status=Status.OPEN, creator__isnull=True))
        .select_related("advertiser", "creator")
        .first()
    )
    if row is None:
        raise CreatorJobNotFound()
    return row


def deliverables_of(job: CreatorJob):
    return Deliverable.objects.filter(job=job).order_by("created_at", "id")


def shares_of(job: CreatorJob):
    return RevenueShare.objects.filter(job=job).order_by("-day")


# --- posting, taking, cancelling ------------------------------------------------------------


def _price(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidCreatorJob(_("The price is a whole number of francs."), field="price")
    if value < settings.ADS_CREATOR_MIN_PRICE:
        raise InvalidCreatorJob(
            _("The price is at least %(min)s.") % {"min": settings.ADS_CREATOR_MIN_PRICE}, field="price"
        )
    return value


def job_post(
    *,
    actor,
    advertiser,
    listing,
    title: str,
    price: int,
    brief: str = "",
    kind: str = CreatorJob.Kind.PHOTO,
    due_on: date | None = None,
    revenue_share_bp: int = 0,
) -> CreatorJob:
    """Post a job for one of the advertiser's own listings; its price is held on the
    advertiser's prepaid balance at once (InsufficientAdBalance otherwise)."""
    adv = advertiser_get(actor, advertiser, manage=True)
    if adv.suspended:
        from ..errors import AdvertiserSuspended

        raise AdvertiserSuspended()
    listing_id = _uuid(listing, lambda: InvalidCreatorJob(_("Unknown listing."), field="listing"))
    try:
        offerer = market.listing_offerer(listing_id)
    except DomainError:
        raise InvalidCreatorJob(_("Unknown listing."), field="listing") from None
    own = (
        offerer.organization_id == adv.organization_id
        if adv.organization_id
        else (offerer.organization_id is None and offerer.owner_id == adv.owner_id)
    )
    if not own:
        raise InvalidCreatorJob(_("You can only order content for your own listings."), field="listing")
    title = (title or "").strip()
    if not title:
        raise InvalidCreatorJob(_("Give the job a title."), field="title")
    if kind not in CreatorJob.Kind.values:
        raise InvalidCreatorJob(_("Unknown kind of job."), field="kind")
    price = _price(price)
    if (
        isinstance(revenue_share_bp, bool)
        or not isinstance(revenue_share_bp, int)
        or not 0 <= revenue_share_bp <= 5000
    ):
        raise InvalidCreatorJob(
            _("The revenue share is between 0 and 5,000 basis points (50 %)."), field="revenue_share_bp"
        )
    if due_on is not None and due_on < timezone.localdate():
        raise InvalidCreatorJob(_("The due date is in the past."), field="due_on")
    if adv.currency not in CURRENCIES or not adv.balance_account:
        raise InsufficientAdBalance(field="price")
    escrow = escrow_account(adv.currency)
    with transaction.atomic():
        job = CreatorJob.objects.create(
            advertiser=adv,
            listing=listing_id,
            title=title[:120],
            brief=(brief or "").strip()[:4000],
            kind=kind,
            city=offerer.city or "",
            price=price,
            currency=adv.currency,
            due_on=due_on,
            revenue_share_bp=revenue_share_bp,
            created_by=actor,
        )
        try:
            hold = ledger.hold(
                idempotency_key=f"ads:creator_job:{job.public_id}:hold",
                code="ads_creator_job",
                legs=[
                    Leg.debit(adv.balance_account, price, adv.currency),
                    Leg.credit(escrow.public_id, price, adv.currency),
                ],
                description=f"Mission créateur : {job.title}"[:200],
                reference=f"ads.CreatorJob:{job.public_id}",
            )
        except ledger.InsufficientFunds:
            raise InsufficientAdBalance(field="price") from None
        job.hold = hold.public_id
        job.save(update_fields=["hold", "updated_at"])
    return job


def _locked(job: CreatorJob) -> CreatorJob:
    return (
        CreatorJob.objects.select_for_update(of=("self",))
        .select_related("creator", "advertiser")
        .get(pk=job.pk)
    )


def job_take(*, actor, job) -> CreatorJob:
    """The creator takes an open job: one creator per job (a conditional UPDATE decides when
    two take it at once; the other gets CreatorJobTaken)."""
    creator = creator_get(actor)
    row = job if isinstance(job, CreatorJob) else job_for_creator(actor, job)
    if advertisers_visible_to(actor).filter(pk=row.advertiser_id).exists():
        raise InvalidCreatorJob(_("You cannot take a job of your own organization."))
    now = timezone.now()
    with transaction.atomic():
        won = CreatorJob.objects.filter(pk=row.pk, status=Status.OPEN, creator__isnull=True).update(
            status=Status.ASSIGNED, creator=creator, assigned_at=now, updated_at=now
        )
        if not won:
            current = CreatorJob.objects.filter(pk=row.pk).values_list("status", flat=True).first()
            if current == Status.CANCELLED:
                raise CreatorJobState()
            raise CreatorJobTaken()
        row = CreatorJob.objects.select_related("creator", "advertiser").get(pk=row.pk)
        if row.created_by_id:
            notifications.send(
                row.created_by.public_id,
                ADS_CREATOR_JOB_TAKEN,
                {
                    "job": row.title,
                    "creator": creator.display_name,
                    "url": _url("manager:ads-job", row.public_id),
                },
                idempotency_key=f"ads:creator_job:{row.public_id}:taken",
            )
    return row


def job_cancel(*, actor, job) -> CreatorJob:
    """The agency cancels a job not delivered yet: the hold is voided (the price is back on
    its balance)."""
    row = job_for_agency(actor, getattr(job, "public_id", job), manage=True)
    with transaction.atomic():
        row = _locked(row)
        JOB_STATES.check(row.status, Status.CANCELLED)
        if row.hold:
            ledger.void_hold(hold=row.hold)
        row.status = Status.CANCELLED
        row.save(update_fields=["status", "updated_at"])
    return row


# --- deliverables ---------------------------------------------------------------------------


def _read(upload, limit: int) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise DeliverableTooLarge(field="file")
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise DeliverableTooLarge(field="file")
    if not data:
        raise InvalidDeliverable(field="file")
    return data


def _enqueue(task: str, *args) -> None:
    from celery import current_app  # the tasks live in tasks.py, above services

    try:
        current_app.tasks[task].delay(*args)
    except Exception:  # broker down: the daily run picks it up
        logger.warning("ads_enqueue_failed", extra={"task": task}, exc_info=True)


def deliverable_upload(*, actor, job, upload, caption: str = "") -> Deliverable:
    """The creator adds a photo or a video to a job they took (assigned, or changes asked).
    Checked by its bytes (sniffed type, size cap), scanned by the antivirus, stored; a video
    is then transcoded by a task (status processing → ready | failed)."""
    row = job if isinstance(job, CreatorJob) else job_for_creator(actor, job)
    creator = creator_get(actor)
    if row.creator_id != creator.pk:
        raise CreatorJobNotFound()
    if row.status not in UPLOADABLE:
        raise CreatorJobState()
    limit = max(settings.ADS_CREATOR_PHOTO_MAX_BYTES, settings.ADS_CREATOR_VIDEO_MAX_BYTES)
    data = _read(upload, limit)
    try:  # first: a threat is refused as such, whatever its type
        scan = antivirus.scan(data)
    except antivirus.InfectedFile:
        raise DeliverableInfected(field="file") from None
    except antivirus.FileTooLargeToScan:
        raise DeliverableTooLarge(field="file") from None
    except antivirus.ScannerUnavailable:
        raise ScannerUnavailable() from None
    sniffed = uploads.sniff(data[: uploads.HEAD_BYTES])
    if sniffed in PHOTO_TYPES:
        kind, cap = Deliverable.Kind.PHOTO, settings.ADS_CREATOR_PHOTO_MAX_BYTES
    elif sniffed in VIDEO_TYPES:
        kind, cap = Deliverable.Kind.VIDEO, settings.ADS_CREATOR_VIDEO_MAX_BYTES
    else:
        raise InvalidDeliverable(field="file")
    if len(data) > cap:
        raise DeliverableTooLarge(field="file")
    if kind == Deliverable.Kind.PHOTO:
        _check_photo(data)
    if Deliverable.objects.filter(job=row).count() >= settings.ADS_CREATOR_MAX_DELIVERABLES:
        raise InvalidDeliverable(_("This job has as many files as it may."), field="file")
    now = timezone.now()
    name = default_storage.save(
        f"ads/deliverables/{now:%Y/%m}/{uuid.uuid4().hex}.{EXTENSIONS[sniffed]}", ContentFile(data)
    )
    try:
        with transaction.atomic():
            current = CreatorJob.objects.select_for_update().get(pk=row.pk)
            if current.status not in UPLOADABLE or current.creator_id != creator.pk:
                raise CreatorJobState()
            item = Deliverable(
                job=current,
                kind=kind,
                content_type=sniffed,
                size=len(data),
                caption=(caption or "").strip()[:200],
                scanned=scan.scanned,
                scan_engine=scan.engine[:120],
                status=Deliverable.Status.READY
                if kind == Deliverable.Kind.PHOTO
                else Deliverable.Status.PROCESSING,
            )
            item.original.name = name
            if kind == Deliverable.Kind.PHOTO:
                item.web.name = name
            item.save()
            if kind == Deliverable.Kind.VIDEO:
                transaction.on_commit(lambda: _enqueue("ads.deliverable_transcode", item.pk), robust=True)
    except Exception:
        default_storage.delete(name)
        raise
    return item


def _check_photo(data: bytes) -> None:
    """A real image Pillow decodes (the sniffed type is its first bytes only)."""
    import io

    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in {"JPEG", "PNG", "WEBP", "MPO"}:
                raise InvalidDeliverable(field="file")
            if probe.size[0] * probe.size[1] > settings.MARKET_PHOTO_MAX_PIXELS:
                raise InvalidDeliverable(_("This photo has too many pixels."), field="file")
            probe.verify()
    except InvalidDeliverable:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise InvalidDeliverable(field="file") from None


def deliverable_transcode(deliverable_id: int) -> Deliverable | None:
    """Transcode a video deliverable (the Celery task): the original is copied from storage to
    a temporary directory, ffmpeg writes the web MP4 and the poster, both go back to storage,
    then a short transaction records them. A failure is recorded (status failed, a reason
    code), never raised. Idempotent: only a deliverable still processing is done."""
    item = Deliverable.objects.filter(pk=deliverable_id, kind=Deliverable.Kind.VIDEO).first()
    if item is None or item.status != Deliverable.Status.PROCESSING:
        return item
    stored: list[str] = []
    try:
        with tempfile.TemporaryDirectory(prefix="hokwe-ads-") as tmp:
            work = Path(tmp)
            source = work / f"source.{item.original.name.rsplit('.', 1)[-1]}"
            try:
                with default_storage.open(item.original.name, "rb") as src, open(source, "wb") as out:
                    for chunk in iter(lambda: src.read(1024 * 1024), b""):
                        out.write(chunk)
            except OSError:
                raise video.TranscodeFailed("storage") from None
            web, poster, info = video.transcode(source, work)
            stem = f"ads/deliverables/web/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"
            with open(web, "rb") as fh:
                stored.append(default_storage.save(f"{stem}.mp4", File(fh)))
            with open(poster, "rb") as fh:
                stored.append(default_storage.save(f"{stem}.jpg", File(fh)))
    except video.TranscodeFailed as exc:
        logger.warning(
            "ads_transcode_failed", extra={"deliverable": item.pk, "reason": exc.reason, "detail": exc.detail}
        )
        for name in stored:
            default_storage.delete(name)
        Deliverable.objects.filter(pk=item.pk, status=Deliverable.Status.PROCESSING).update(
            status=Deliverable.Status.FAILED, failure=exc.reason, updated_at=timezone.now()
        )
        item.refresh_from_db()
        return item
    with transaction.atomic():
        updated = Deliverable.objects.filter(pk=item.pk, status=Deliverable.Status.PROCESSING).update(
            status=Deliverable.Status.READY,
            web=stored[0],
            poster=stored[1],
            duration_ms=info.duration_ms,
            failure="",
            updated_at=timezone.now(),
        )
    if not updated:  # done meanwhile (a retried task): keep the first one's files
        for name in stored:
            default_storage.delete(name)
    item.refresh_from_db()
    return item


def job_deliver(*, actor, job) -> CreatorJob:
    """The creator sends the job's files for review: at least one file ready (not rejected),
    none still converting."""
    creator = creator_get(actor)
    row = job if isinstance(job, CreatorJob) else job_for_creator(actor, job)
    if row.creator_id != creator.pk:
        raise CreatorJobNotFound()
    with transaction.atomic():
        row = _locked(row)
        JOB_STATES.check(row.status, Status.DELIVERED)
        files = Deliverable.objects.filter(job=row).exclude(review=Deliverable.Review.REJECTED)
        if files.filter(status=Deliverable.Status.PROCESSING).exists():
            raise InvalidDeliverable(_("A video is still being converted: wait a moment."), field="file")
        if not files.filter(status=Deliverable.Status.READY).exists():
            raise InvalidDeliverable(_("Add at least one photo or video first."), field="file")
        row.status = Status.DELIVERED
        row.delivered_at = timezone.now()
        row.save(update_fields=["status", "delivered_at", "updated_at"])
        if row.created_by_id:
            notifications.send(
                row.created_by.public_id,
                ADS_CREATOR_JOB_DELIVERED,
                {
                    "job": row.title,
                    "creator": creator.display_name,
                    "url": _url("manager:ads-job", row.public_id),
                },
                idempotency_key=f"ads:creator_job:{row.public_id}:delivered:{row.delivered_at.isoformat()}",
            )
    return row


# --- review ---------------------------------------------------------------------------------


def deliverable_review(*, actor, deliverable, approve: bool) -> Deliverable:
    """The agency approves or rejects one file of a delivered job (approved photos go on the
    listing at acceptance)."""
    item = (
        Deliverable.objects.filter(
            public_id=_uuid(deliverable, DeliverableNotFound),
            job__advertiser__in=advertisers_visible_to(actor, manage=True),
        )
        .select_related("job")
        .first()
    )
    if item is None:
        raise DeliverableNotFound()
    with transaction.atomic():
        job = _locked(item.job)
        if job.status != Status.DELIVERED:
            raise CreatorJobState()
        if item.status != Deliverable.Status.READY and approve:
            raise InvalidDeliverable(_("Only a ready file can be approved."), field="deliverable")
        item.review = Deliverable.Review.APPROVED if approve else Deliverable.Review.REJECTED
        item.save(update_fields=["review", "updated_at"])
    return item


def job_request_changes(*, actor, job, feedback: str) -> CreatorJob:
    """The agency sends the delivery back with its feedback (required)."""
    text = (feedback or "").strip()
    if not text:
        raise InvalidCreatorJob(_("Say what to change."), field="feedback")
    row = job_for_agency(actor, getattr(job, "public_id", job), manage=True)
    with transaction.atomic():
        row = _locked(row)
        JOB_STATES.check(row.status, Status.CHANGES)
        row.status = Status.CHANGES
        row.feedback = text[:4000]
        row.save(update_fields=["status", "feedback", "updated_at"])
        notifications.send(
            row.creator.user.public_id,
            ADS_CREATOR_CHANGES_REQUESTED,
            {"job": row.title, "feedback": text[:300], "url": _url("ads:creators-job", row.public_id)},
            idempotency_key=f"ads:creator_job:{row.public_id}:changes:{row.updated_at.isoformat()}",
        )
    return row


def job_accept(*, actor, job) -> CreatorJob:
    """The agency accepts the delivery: the hold is posted and the price moves to the
    creator's earnings, in this transaction; after commit the approved photos are attached to
    the listing and the payout is requested (job_settle, a task). Needs one approved file;
    the files still in review are approved with it."""
    row = job_for_agency(actor, getattr(job, "public_id", job), manage=True)
    escrow = escrow_account(row.currency)
    with transaction.atomic():
        row = _locked(row)
        JOB_STATES.check(row.status, Status.ACCEPTED)
        files = Deliverable.objects.filter(job=row, status=Deliverable.Status.READY)
        files.filter(review=Deliverable.Review.PENDING).update(
            review=Deliverable.Review.APPROVED, updated_at=timezone.now()
        )
        if not files.filter(review=Deliverable.Review.APPROVED).exists():
            raise InvalidDeliverable(_("Approve at least one file, or ask for changes."), field="deliverable")
        earnings = earnings_account(row.creator.user, row.currency)
        ledger.post_hold(hold=row.hold, description=f"Mission acceptée : {row.title}"[:200])
        ledger.transfer(
            idempotency_key=f"ads:creator_job:{row.public_id}:earn",
            code="ads_creator_pay",
            legs=[
                Leg.debit(escrow.public_id, row.price, row.currency),
                Leg.credit(earnings.public_id, row.price, row.currency),
            ],
            description=f"Mission créateur : {row.title}"[:200],
            reference=f"ads.CreatorJob:{row.public_id}",
        )
        row.status = Status.ACCEPTED
        row.accepted_at = timezone.now()
        row.accepted_by = actor
        row.save(update_fields=["status", "accepted_at", "accepted_by", "updated_at"])
        notifications.send(
            row.creator.user.public_id,
            ADS_CREATOR_JOB_ACCEPTED,
            {
                "job": row.title,
                "amount": {"amount": row.price, "currency": row.currency},
                "url": _url("ads:creators-job", row.public_id),
            },
            idempotency_key=f"ads:creator_job:{row.public_id}:accepted",
        )
        pk = row.pk
        transaction.on_commit(lambda: _enqueue("ads.creator_job_settle", pk), robust=True)
    return row


# --- after acceptance: photos on the listing, the payout ------------------------------------


def _attach_photos(job: CreatorJob) -> int:
    """Approved photos not attached yet go on the listing (as who accepted); each once."""
    actor = job.accepted_by
    attached = 0
    for item in Deliverable.objects.filter(
        job=job, kind=Deliverable.Kind.PHOTO, review=Deliverable.Review.APPROVED, listing_photo__isnull=True
    ).order_by("created_at", "id"):
        try:
            with default_storage.open(item.original.name, "rb") as fh:
                data = fh.read()
            photo_id = market.managed_listing_add_photo(
                actor=actor, listing_id=job.listing, data=data, caption=item.caption
            )
        except (DomainError, OSError) as exc:  # a withdrawn listing, a full one: said, not raised
            logger.info("ads_photo_not_attached", extra={"deliverable": item.pk, "error": str(exc)})
            continue
        Deliverable.objects.filter(pk=item.pk, listing_photo__isnull=True).update(
            listing_photo=photo_id, attached_at=timezone.now(), updated_at=timezone.now()
        )
        attached += 1
    return attached


def job_settle(job_id: int) -> CreatorJob | None:
    """After an acceptance's commit (a task; the daily run retries): attach the approved photos
    to the listing, then request the payout. Idempotent."""
    job = CreatorJob.objects.select_related("creator__user", "accepted_by").filter(pk=job_id).first()
    if job is None or job.status != Status.ACCEPTED:
        return job
    if job.accepted_by_id:
        _attach_photos(job)
    if job.payout is None:
        _payout(job.creator, currency=job.currency)
    job.refresh_from_db()
    return job


def _payout(creator: Creator, *, currency: str = "XOF"):
    """Pay the creator's available earnings out to their login number (under no lock). The
    accepted jobs not paid yet — read BEFORE the balance, so their prices are in it — are
    marked with the payout (paid when payments confirms it). Kyc's payout limit is checked
    first; a refusal is recorded on those jobs (the daily run tries again the next day)."""
    user = creator.user
    jobs = list(
        CreatorJob.objects.filter(creator=creator, status=Status.ACCEPTED, payout__isnull=True).values_list(
            "pk", "public_id"
        )
    )
    earnings = earnings_account(user, currency)
    amount = ledger.balance(account=earnings.public_id).available
    if amount <= 0:
        return None
    day = timezone.localdate().isoformat()
    key = f"ads:creator_payout:{creator.public_id}:{jobs[0][1] if jobs else 'earnings'}:{day}"
    pks = [pk for pk, _public in jobs]
    try:
        if creator.suspended:
            raise CreatorSuspended()
        kyc.check(user, "payout", amount, currency=currency)
        payout = payments.user_payout(
            actor=user,
            organization=ads_organization().public_id,
            account=earnings.public_id,
            amount=amount,
            currency=currency,
            phone=str(user.phone or ""),
            idempotency_key=key,
            description="Hokwe CreatorStudio",
        )
        if payout.status == "failed":  # today's attempt already failed: tomorrow's run retries
            raise DomainError(payout.failure_reason or _("The payout failed."))
    except (DomainError, ledger.InsufficientFunds) as exc:
        reason = str(getattr(exc, "message", exc))[:300]
        CreatorJob.objects.filter(pk__in=pks).update(payout_failure=reason, updated_at=timezone.now())
        logger.info("ads_creator_payout_refused", extra={"creator": creator.pk, "reason": reason})
        return None
    CreatorJob.objects.filter(pk__in=pks, payout__isnull=True).update(
        payout=payout.public_id, payout_failure="", updated_at=timezone.now()
    )
    if payout.status == "paid":  # already confirmed (a replayed key): no event comes again
        payout_completed(payout_id=str(payout.public_id), status="paid")
    return payout


def payout_completed(*, payout_id: str, status: str) -> int:
    """payments' PayoutCompleted: `paid` marks the jobs paid (and tells the creator); `failed`
    frees them for the daily run's next attempt (the money is back on the earnings)."""
    try:
        key = uuid.UUID(str(payout_id))
    except ValueError:
        return 0
    with transaction.atomic():
        jobs = list(
            CreatorJob.objects.select_for_update(of=("self",))
            .filter(payout=key, status=Status.ACCEPTED)
            .select_related("creator__user")
        )
        if not jobs:
            return 0
        now = timezone.now()
        if status == "paid":
            CreatorJob.objects.filter(pk__in=[j.pk for j in jobs]).update(
                status=Status.PAID, payout_failure="", updated_at=now
            )
            info = payments.payout_state(key)
            notifications.send(
                jobs[0].creator.user.public_id,
                ADS_CREATOR_PAID,
                {
                    "amount": {"amount": info.amount, "currency": info.currency},
                    "url": _url("ads:creators-jobs"),
                },
                idempotency_key=f"ads:creator_payout:{key}:paid",
            )
        else:
            reason = (payments.payout_state(key).failure_reason or _("The payout failed."))[:300]
            CreatorJob.objects.filter(pk__in=[j.pk for j in jobs]).update(
                payout=None, payout_failure=reason, updated_at=now
            )
    return len(jobs)


# --- revenue share and the daily run --------------------------------------------------------


def share_basis(job: CreatorJob, day: date) -> int:
    """The day's spend (thousandths of a minor unit) of the advertiser's campaigns whose
    creatives promote the job's listing."""
    campaigns = Creative.objects.filter(
        listing=job.listing, campaign__advertiser_id=job.advertiser_id
    ).values("campaign_id")
    total = CampaignDay.objects.filter(day=day, campaign_id__in=campaigns).aggregate(s=Sum("spent_milli"))[
        "s"
    ]
    return int(total or 0)


def share_amount(spent_milli: int, basis_points: int) -> int:
    """floor(spent × bp / 10 000 / 1 000): whole minor units, never rounded up."""
    return (spent_milli * basis_points) // 10_000_000


def shares_run(day: date | None = None) -> dict:
    """Credit each opted-in creator's share of `day`'s (default yesterday's) ad spend on their
    accepted jobs' listings, from Hokwe's ad revenue to their earnings: once per (job, day)."""
    day = day or (timezone.localdate() - timedelta(days=1))
    done = {"jobs": 0, "credited": 0}
    jobs = (
        CreatorJob.objects.filter(
            status__in=[Status.ACCEPTED, Status.PAID],
            revenue_share_bp__gt=0,
            creator__revenue_share=True,
            creator__suspended=False,
            accepted_at__date__lte=day,
        )
        .exclude(shares__day=day)
        .select_related("creator__user")
    )
    for job in jobs.iterator(chunk_size=200):
        basis = share_basis(job, day)
        amount = share_amount(basis, job.revenue_share_bp)
        try:
            with transaction.atomic():
                row = RevenueShare.objects.create(job=job, day=day, basis=basis, amount=amount)
                if amount > 0:
                    earnings = earnings_account(job.creator.user, job.currency)
                    moved = ledger.transfer(
                        idempotency_key=f"ads:creator_share:{job.public_id}:{day.isoformat()}",
                        code="ads_creator_share",
                        legs=[
                            Leg.debit(revenue_account(job.currency).public_id, amount, job.currency),
                            Leg.credit(earnings.public_id, amount, job.currency),
                        ],
                        description=f"Part des résultats publicitaires du {day.isoformat()}",
                        reference=f"ads.CreatorJob:{job.public_id}",
                    )
                    row.transfer = moved.public_id
                    row.save(update_fields=["transfer"])
        except IntegrityError:  # another run credited it first
            continue
        done["jobs"] += 1
        done["credited"] += amount
    return done


def creators_daily(day: date | None = None) -> dict:
    """The beat's daily run: yesterday's revenue shares; acceptances whose follow-up did not
    run (attach, payout); earnings left on creators' accounts paid out (at least
    ADS_CREATOR_PAYOUT_MIN); videos stuck converting for an hour queued again."""
    result = shares_run(day)
    for job_id in CreatorJob.objects.filter(status=Status.ACCEPTED, payout__isnull=True).values_list(
        "pk", flat=True
    ):
        job_settle(job_id)
    swept = 0
    paid_creators = CreatorJob.objects.filter(status__in=[Status.ACCEPTED, Status.PAID]).values("creator_id")
    for creator in Creator.objects.filter(pk__in=paid_creators, suspended=False).select_related("user"):
        waiting = CreatorJob.objects.filter(creator=creator, status=Status.ACCEPTED, payout__isnull=False)
        if waiting.exists() or earnings_of(creator.user) < settings.ADS_CREATOR_PAYOUT_MIN:
            continue
        if _payout(creator) is not None:
            swept += 1
    stale = timezone.now() - timedelta(hours=1)
    for pk in Deliverable.objects.filter(
        status=Deliverable.Status.PROCESSING, updated_at__lt=stale
    ).values_list("pk", flat=True):
        _enqueue("ads.deliverable_transcode", pk)
    return {**result, "payouts": swept}

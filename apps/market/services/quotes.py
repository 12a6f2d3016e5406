"""Quote requests, quotes, payment, job done and reviews (docs/market.md, "Local services").

    req = request_create(actor=seeker, trade="plumber", city="Cotonou", description="Fuite…")
    q = quote_send(actor=provider_user, request=req, amount=25_000)
    quote_accept(actor=seeker, quote=q)             # the other quotes declined
    intent = quote_pay(actor=seeker, quote=q)       # payments intent, purpose market.Quote
    # payments.PaymentSucceeded → quote_paid (once; replays change nothing)
    job_done(actor=provider_user, quote=q); job_confirm(actor=seeker, quote=q)
    review(actor=seeker, quote=q, rating=5, comment="Rapide")

A quote request is open to every active provider whose trades and zones match it, or sent
directly to one provider. A provider sees only those (and the ones it quoted), never another
provider's quotes. The partial unique constraints decide between concurrent writes: one live
quote per provider and request (`market_quote_one_per_provider`), one accepted quote per
request (`market_quote_one_accepted`).

Quote states: sent → accepted → paid → completed; sent → declined (another accepted) or
withdrawn (by its provider). `completed_at` set on a paid quote is the provider's « job done »;
the requester's confirmation makes it `completed` (and counts the provider's job)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.errors import DomainError
from apps.identity import api as identity
from apps.notifications import api as notifications
from apps.payments import api as payments
from apps.payments.contracts import PurposeRef
from apps.wallet import api as wallet

from ..errors import (
    AlreadyQuoted,
    AlreadyReviewed,
    InvalidQuote,
    InvalidQuoteState,
    ProviderNotActive,
    ProviderNotFound,
    QuoteNotFound,
    QuoteRequestNotFound,
)
from ..messages import QUOTE_ACCEPTED, QUOTE_PAID, QUOTE_RECEIVED
from ..models import ProviderZone, Quote, QuoteRequest, ServiceProvider, ServiceReview, Trade

PURPOSE_QUOTE = "market.Quote"
RStatus = QuoteRequest.Status
QStatus = Quote.Status
MAX_AMOUNT = 10**12
MAX_TEXT = 4000


def _uuid(value) -> UUID | None:
    try:
        return value if isinstance(value, UUID) else UUID(str(value))
    except (TypeError, ValueError):
        return None


def _send(recipient, key: str, context: dict, idem: str) -> None:
    transaction.on_commit(
        lambda: notifications.send(recipient, key, context, idempotency_key=idem), robust=True
    )


# --- quote requests (the requester: a seeker, or a member of an agency) ---


@transaction.atomic
def request_create(
    *,
    actor,
    trade: str,
    city: str = "",
    description: str = "",
    neighbourhood: str = "",
    country: str = "BJ",
    wanted_by: date | None = None,
    provider=None,
    organization=None,
    maintenance_ticket=None,
) -> QuoteRequest:
    """Ask for quotes: open to every matching active provider, or to `provider` (public id)
    only. `organization` (public id): an agency asking for its properties (the actor is a
    member); `maintenance_ticket` (public id): one of that organization's estate tickets,
    whose title, description and place fill what is not given."""
    actor = identity.authenticated(actor)
    if trade not in Trade.values:
        raise InvalidQuote(_("Unknown trade."), field="trade")
    org_id = None
    if organization:
        ids = identity.organization_ids([_uuid(organization)] if _uuid(organization) else [])
        org_id = next(iter(ids.values()), None)
        if org_id is None or org_id not in identity.organization_ids_of(actor):
            raise InvalidQuote(_("You are not a member of this organization."), field="organization")
    ticket_id = None
    if maintenance_ticket:
        if org_id is None:
            raise InvalidQuote(_("Name the organization of the maintenance ticket."), field="organization")
        from apps.estate import api as estate

        try:
            ticket = estate.maintenance_ticket_summary({org_id}, maintenance_ticket)
        except DomainError:  # another organization's ticket, or none
            raise InvalidQuote(
                _("This maintenance ticket does not exist."), field="maintenance_ticket"
            ) from None
        ticket_id = ticket.public_id
        description = description or "\n".join(x for x in (ticket.title, ticket.description) if x)
        city = city or ticket.city
        neighbourhood = neighbourhood or ticket.neighbourhood
    description = (description or "").strip()
    if not description:
        raise InvalidQuote(_("Say what needs doing."), field="description")
    if len(description) > MAX_TEXT:
        raise InvalidQuote(_("At most %(n)s characters.") % {"n": MAX_TEXT}, field="description")
    city, neighbourhood = (city or "").strip(), (neighbourhood or "").strip()
    if not city or len(city) > 100 or len(neighbourhood) > 100:
        raise InvalidQuote(_("Give the city (100 characters at most)."), field="city")
    country = (country or "BJ").upper()
    if len(country) != 2 or not country.isalpha():
        raise InvalidQuote(_("Unknown country."), field="country")
    if wanted_by is not None and wanted_by < timezone.localdate():
        raise InvalidQuote(_("Give a date from today on."), field="wanted_by")
    direct = None
    if provider:
        direct = (
            ServiceProvider.objects.filter(public_id=provider, status=ServiceProvider.Status.ACTIVE).first()
            if _uuid(provider)
            else None
        )
        if direct is None:
            raise ProviderNotFound(field="provider")
        if direct.user_id == actor.pk:
            raise InvalidQuote(_("You cannot ask yourself for a quote."), field="provider")
    return QuoteRequest.objects.create(
        requester=actor,
        organization_id=org_id,
        trade=trade,
        country=country,
        city=city,
        neighbourhood=neighbourhood,
        description=description,
        wanted_by=wanted_by,
        provider=direct,
        maintenance_ticket=ticket_id,
    )


def requests_of(user):
    """The requester's own quote requests, newest first."""
    if not getattr(user, "is_authenticated", False):
        return QuoteRequest.objects.none()
    return (
        QuoteRequest.objects.filter(requester=user).select_related("provider").order_by("-created_at", "-id")
    )


def request_of(user, request_id) -> QuoteRequest:
    found = requests_of(user).filter(public_id=request_id).first() if _uuid(request_id) else None
    if found is None:
        raise QuoteRequestNotFound()
    return found


@transaction.atomic
def request_cancel(*, actor, request: QuoteRequest) -> QuoteRequest:
    req = QuoteRequest.objects.select_for_update().filter(pk=request.pk, requester=actor).first()
    if req is None:
        raise QuoteRequestNotFound()
    if req.status != RStatus.OPEN:
        raise InvalidQuoteState()
    req.status = RStatus.CANCELED
    req.save(update_fields=["status", "updated_at"])
    Quote.objects.filter(request=req, status=QStatus.SENT).update(
        status=QStatus.DECLINED, updated_at=timezone.now()
    )
    return req


def quotes_for_request(user, request: QuoteRequest):
    """The quotes of the requester's request (compare: cheapest first)."""
    if request.requester_id != getattr(user, "pk", None):
        raise QuoteRequestNotFound()
    return Quote.objects.filter(request=request).select_related("provider").order_by("amount", "id")


# --- the provider's side ---


def _provider(actor, *, active: bool = True) -> ServiceProvider:
    provider = (
        ServiceProvider.objects.filter(user=actor).first()
        if getattr(actor, "is_authenticated", False)
        else None
    )
    if provider is None:
        raise ProviderNotFound()
    if active and provider.status != ServiceProvider.Status.ACTIVE:
        raise ProviderNotActive()
    return provider


def _matching(provider: ServiceProvider):
    """Q of the requests the provider may see: sent to it, or open to all with one of its
    trades in one of its zones, or one it already quoted."""
    zone = ProviderZone.objects.filter(
        provider=provider, country=OuterRef("country"), city__iexact=OuterRef("city")
    ).filter(Q(neighbourhood="") | Q(neighbourhood__iexact=OuterRef("neighbourhood")))
    open_match = Q(provider__isnull=True) & Q(trade__in=provider.trades.values("trade")) & Q(Exists(zone))
    quoted = Q(Exists(Quote.objects.filter(request=OuterRef("pk"), provider=provider)))
    return Q(provider=provider) | open_match | quoted


def requests_for_provider(actor, *, open_only: bool = True):
    """The requests the actor's (active) provider profile may answer, newest first."""
    provider = _provider(actor)
    rows = QuoteRequest.objects.filter(_matching(provider))
    if open_only:
        rows = rows.filter(status=RStatus.OPEN)
    return rows.exclude(requester=actor).order_by("-created_at", "-id")


def request_for_provider(actor, request_id) -> QuoteRequest:
    provider = _provider(actor)
    found = (
        QuoteRequest.objects.filter(_matching(provider), public_id=request_id).first()
        if _uuid(request_id)
        else None
    )
    if found is None:
        raise QuoteRequestNotFound()
    return found


def quotes_of_provider(actor):
    """The provider's own quotes (its jobs), newest first."""
    provider = _provider(actor, active=False)
    return Quote.objects.filter(provider=provider).select_related("request").order_by("-created_at", "-id")


def own_quote(actor, request: QuoteRequest) -> Quote | None:
    provider = ServiceProvider.objects.filter(user=actor).first()
    if provider is None:
        return None
    return Quote.objects.filter(request=request, provider=provider).order_by("-created_at").first()


def _currency(req: QuoteRequest) -> str:
    if req.organization_id:
        org = identity.get_organization(id=req.organization_id)
        if org.currencies:
            return org.currencies[0]
    return "XOF"


@transaction.atomic
def quote_send(
    *, actor, request: QuoteRequest | UUID | str, amount, message: str = "", valid_until: date | None = None
) -> Quote:
    """The provider quotes an open request it may see (once while its quote is live)."""
    provider = _provider(actor)
    req = request_for_provider(actor, getattr(request, "public_id", request))
    if req.status != RStatus.OPEN:
        raise InvalidQuoteState(_("This request no longer takes quotes."))
    if isinstance(amount, bool) or not isinstance(amount, int) or not 0 < amount <= MAX_AMOUNT:
        raise InvalidQuote(_("Give an amount above zero."), field="amount")
    message = (message or "").strip()
    if len(message) > MAX_TEXT:
        raise InvalidQuote(_("At most %(n)s characters.") % {"n": MAX_TEXT}, field="message")
    if valid_until is not None and valid_until < timezone.localdate():
        raise InvalidQuote(_("Give a date from today on."), field="valid_until")
    try:
        with transaction.atomic():
            quote = Quote.objects.create(
                request=req,
                provider=provider,
                amount=amount,
                currency=_currency(req),
                message=message,
                valid_until=valid_until,
            )
    except IntegrityError:
        raise AlreadyQuoted() from None
    _send(
        req.requester.public_id,
        QUOTE_RECEIVED,
        {"provider": provider.name, "amount": {"amount": amount, "currency": quote.currency}},
        f"market:quote:received:{quote.public_id}",
    )
    return quote


def _provider_quote(actor, quote_id) -> Quote:
    provider = _provider(actor, active=False)
    found = (
        Quote.objects.select_for_update(of=("self",))
        .select_related("request", "provider")
        .filter(public_id=quote_id, provider=provider)
        .first()
        if _uuid(quote_id)
        else None
    )
    if found is None:
        raise QuoteNotFound()
    return found


def _requester_quote(actor, quote_id) -> Quote:
    found = (
        Quote.objects.select_for_update(of=("self",))
        .select_related("request", "provider", "provider__user")
        .filter(public_id=quote_id, request__requester=actor)
        .first()
        if _uuid(quote_id) and getattr(actor, "is_authenticated", False)
        else None
    )
    if found is None:
        raise QuoteNotFound()
    return found


def quote_for(actor, quote_id) -> Quote:
    """A quote seen by its requester or its provider; anyone else: QuoteNotFound."""
    if not _uuid(quote_id) or not getattr(actor, "is_authenticated", False):
        raise QuoteNotFound()
    found = (
        Quote.objects.select_related("request", "provider")
        .filter(Q(request__requester=actor) | Q(provider__user=actor), public_id=quote_id)
        .first()
    )
    if found is None:
        raise QuoteNotFound()
    return found


@transaction.atomic
def quote_withdraw(*, actor, quote: Quote | UUID | str) -> Quote:
    q = _provider_quote(actor, getattr(quote, "public_id", quote))
    if q.status != QStatus.SENT:
        raise InvalidQuoteState()
    q.status = QStatus.WITHDRAWN
    q.save(update_fields=["status", "updated_at"])
    return q


@transaction.atomic
def quote_accept(*, actor, quote: Quote | UUID | str) -> Quote:
    """The requester takes this quote: the others are declined, the request accepted."""
    quote_id = getattr(quote, "public_id", quote)
    # the request first, then the quote: two acceptances on one request queue on the request
    # (locking the quotes first, each would wait for the other's quote: a deadlock)
    probe = quote_for(actor, quote_id)
    req = QuoteRequest.objects.select_for_update().get(pk=probe.request_id)
    q = _requester_quote(actor, quote_id)
    if req.status != RStatus.OPEN or q.status != QStatus.SENT:
        raise InvalidQuoteState()
    if q.valid_until and q.valid_until < timezone.localdate():
        raise InvalidQuoteState(_("This quote has expired."))
    try:
        with transaction.atomic():
            Quote.objects.filter(pk=q.pk).update(status=QStatus.ACCEPTED, updated_at=timezone.now())
    except IntegrityError:
        raise InvalidQuoteState(_("Another quote has already been accepted.")) from None
    Quote.objects.filter(request=req, status=QStatus.SENT).exclude(pk=q.pk).update(
        status=QStatus.DECLINED, updated_at=timezone.now()
    )
    req.status = RStatus.ACCEPTED
    req.save(update_fields=["status", "updated_at"])
    q.status = QStatus.ACCEPTED
    q.request = req
    _send(
        q.provider.user.public_id,
        QUOTE_ACCEPTED,
        {"provider": q.provider.name, "amount": {"amount": q.amount, "currency": q.currency}},
        f"market:quote:accepted:{q.public_id}",
    )
    return q


# --- payment through payments: an intent whose purpose is the quote ---


def _issuer():
    return identity.platform_organization(
        name=settings.WALLET_ISSUER_NAME,
        country=settings.WALLET_ISSUER_COUNTRY,
        currencies=("XOF", "XAF"),
    )


def quote_pay(*, actor, quote: Quote | UUID | str):
    """The requester pays the accepted quote: a payments intent (purpose market.Quote, the
    quote's id; payer the requester) paid to the provider's Hokwe wallet, one per quote
    (idempotency key `market:quote:<id>`). Returns the IntentInfo (its pay_url)."""
    with transaction.atomic():
        q = _requester_quote(actor, getattr(quote, "public_id", quote))
        if q.status != QStatus.ACCEPTED:
            raise InvalidQuoteState(
                _("This quote is already paid.") if q.status in (QStatus.PAID, QStatus.COMPLETED) else None
            )
        account = wallet.wallet_info(q.provider.user, q.currency).account
        intent = payments.create_intent(
            organization=_issuer().public_id,
            amount=q.amount,
            currency=q.currency,
            purpose=PurposeRef(PURPOSE_QUOTE, str(q.public_id)),
            description=(_("Quote from %(provider)s") % {"provider": q.provider.name})[:200],
            credit_account=account,
            payer=actor.public_id,
            metadata={"quote": str(q.public_id), "provider": str(q.provider.public_id)},
            idempotency_key=f"market:quote:{q.public_id}",
        )
        if q.payment_intent != intent.public_id:
            Quote.objects.filter(pk=q.pk).update(payment_intent=intent.public_id, updated_at=timezone.now())
    return intent


def quote_paid(*, quote_id: str, intent_id: str, amount: int, currency: str) -> Quote | None:
    """payments' PaymentSucceeded for a quote: accepted → paid, once. A replay, another
    intent or another amount changes nothing."""
    with transaction.atomic():
        q = (
            Quote.objects.select_for_update(of=("self",))
            .select_related("provider", "provider__user")
            .filter(public_id=quote_id)
            .first()
            if _uuid(quote_id)
            else None
        )
        if q is None or q.status != QStatus.ACCEPTED:
            return q
        if str(q.payment_intent or "") != str(intent_id) or amount != q.amount or currency != q.currency:
            return q
        q.status = QStatus.PAID
        q.paid_at = timezone.now()
        q.save(update_fields=["status", "paid_at", "updated_at"])
        _send(
            q.provider.user.public_id,
            QUOTE_PAID,
            {"provider": q.provider.name, "amount": {"amount": q.amount, "currency": q.currency}},
            f"market:quote:paid:{q.public_id}",
        )
    return q


# --- job done, confirmed, reviewed ---


@transaction.atomic
def job_done(*, actor, quote: Quote | UUID | str) -> Quote:
    """The provider says the paid job is done (the requester confirms it)."""
    q = _provider_quote(actor, getattr(quote, "public_id", quote))
    if q.status != QStatus.PAID:
        raise InvalidQuoteState()
    if q.completed_at is None:
        q.completed_at = timezone.now()
        q.save(update_fields=["completed_at", "updated_at"])
    return q


@transaction.atomic
def job_confirm(*, actor, quote: Quote | UUID | str) -> Quote:
    """The requester confirms the job the provider marked done: completed, counted once."""
    q = _requester_quote(actor, getattr(quote, "public_id", quote))
    if q.status != QStatus.PAID or q.completed_at is None:
        raise InvalidQuoteState(_("The provider has not marked this job as done yet."))
    q.status = QStatus.COMPLETED
    q.save(update_fields=["status", "updated_at"])
    QuoteRequest.objects.filter(pk=q.request_id).update(status=RStatus.COMPLETED, updated_at=timezone.now())
    ServiceProvider.objects.filter(pk=q.provider_id).update(jobs_done=F("jobs_done") + 1)
    return q


@transaction.atomic
def review(*, actor, quote: Quote | UUID | str, rating, comment: str = "") -> ServiceReview:
    """The requester rates a completed job, once (1 to 5)."""
    q = _requester_quote(actor, getattr(quote, "public_id", quote))
    if q.status != QStatus.COMPLETED:
        raise InvalidQuoteState(_("You can review a job only once it is completed."))
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise InvalidQuote(_("Give a rating from 1 to 5."), field="rating")
    comment = (comment or "").strip()
    if len(comment) > MAX_TEXT:
        raise InvalidQuote(_("At most %(n)s characters.") % {"n": MAX_TEXT}, field="comment")
    try:
        with transaction.atomic():
            row = ServiceReview.objects.create(
                quote=q, provider_id=q.provider_id, author=actor, rating=rating, comment=comment
            )
    except IntegrityError:
        raise AlreadyReviewed() from None
    ServiceProvider.objects.filter(pk=q.provider_id).update(
        rating_sum=F("rating_sum") + rating, rating_count=F("rating_count") + 1
    )
    return row

"""Cms help: the help centre's use cases (owned by the help part).

Search (docs/cms.md, "Help centre"): live articles of one locale, for an audience (its own
and « everyone »), in three steps, the first that finds something answers:
1. full text, every word (`websearch_to_tsquery` in the locale's configuration: French
   stemming after unaccent), ranked by ts_rank with the weights title A > keywords B > body C
   (of the matches, the CANDIDATES whose title and keywords hold most of the words);
2. full text, any word (the same lexemes OR-ed), ranked the same way;
3. typos: pg_trgm word similarity of the folded words against the folded title and keywords
   (`search_terms`, its trigram index), ranked by the similarity.
Every value is a parameter. On SQLite (the embedded profile) the search is icontains on the
folded title, keywords and body.

Tickets: the contact form opens one (reference SUP<year>-<n>, due time from the priority);
staff move it through TICKET_TRANSITIONS, assign it, write internal notes and reply by
e-mail or SMS through notifications.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from apps.core.numbering import next_number
from apps.core.statemachine import StateMachine
from apps.identity import api as identity
from apps.notifications import api as notifications

from ..contracts import HELP_AUDIENCES, HELP_LOCALES, TICKET_TRANSITIONS, HelpHit, TicketStatus
from ..errors import HelpArticleNotFound, HelpContactMissing, HelpInvalidChoice, HelpReplyChannelMissing
from ..messages import CMS_HELP_TICKET_RECEIVED, CMS_HELP_TICKET_REPLY
from ..models.help import HelpArticle, HelpCategory, HelpFeedback, SupportTicket, TicketMessage, fold

TICKET_STATES = StateMachine(TICKET_TRANSITIONS)
CONFIGS = {"fr": "public.cms_help_fr", "en": "public.cms_help_en"}
MAX_QUERY = 200
# ts_rank's weights {D, C, B, A}: the body counts a tenth of the title, keywords half
RANK_WEIGHTS = "{0.05, 0.1, 0.5, 1.0}"
# the matching articles ranked on their whole text: those whose title and keywords hold most
# of the words (a help centre's query rarely matches more; see _search_pg)
CANDIDATES = 100


# --- reading --------------------------------------------------------------------------------


def clean_locale(locale: str | None) -> str:
    value = (locale or "fr").lower()[:2]
    if value not in HELP_LOCALES:
        raise HelpInvalidChoice(field="locale")
    return value


def clean_audience(audience: str | None) -> str | None:
    if not audience:
        return None
    if audience not in HELP_AUDIENCES:
        raise HelpInvalidChoice(field="audience")
    return None if audience == "everyone" else audience


def live_articles(locale: str, audience: str | None = None):
    qs = HelpArticle.objects.filter(live=True, language=locale)
    if audience:
        qs = qs.filter(audience__in=(audience, "everyone"))
    return qs


def article_url(article) -> str:
    return reverse("cms-help-article", args=[article.slug]) + ("?lang=en" if article.language == "en" else "")


def _hit(article, score: float) -> HelpHit:
    return HelpHit(
        slug=article.slug,
        locale=article.language,
        title=article.title,
        summary=article.summary,
        category=article.category.title,
        audience=article.audience,
        url=article_url(article),
        score=round(float(score), 4),
    )


def search(
    text: str, *, locale: str = "fr", audience: str | None = None, limit: int | None = None
) -> list[HelpHit]:
    """The live articles answering `text`, best first (an empty text: none)."""
    locale = clean_locale(locale)
    audience = clean_audience(audience)
    limit = max(1, min(limit or settings.CMS_HELP_SEARCH_LIMIT, 50))
    text = " ".join(str(text or "").split())[:MAX_QUERY]
    if not fold(text):
        return []
    if connection.vendor == "postgresql":
        ranked = _search_pg(text, locale, audience, limit)
    else:
        ranked = _search_simple(text, locale, audience, limit)
    articles = HelpArticle.objects.select_related("category").in_bulk([pk for pk, _ in ranked])
    return [_hit(articles[pk], score) for pk, score in ranked if pk in articles]


def _filters(locale: str, audience: str | None) -> tuple[str, list]:
    where, params = "a.live AND a.language = %s", [locale]
    if audience:
        where += " AND a.audience IN (%s, 'everyone')"
        params.append(audience)
    return where, params


def _search_pg(text: str, locale: str, audience: str | None, limit: int) -> list[tuple[int, float]]:
    """Ranked in two passes in one statement: of the matching articles, the CANDIDATES whose
    title and keywords (`title_tsv`, small) hold most of the words, then those ranked on
    their whole text (`search_tsv`: title, keywords, body). ts_rank over every matching body
    was most of the time when a common pair of words matched thousands of articles; the title
    decides which hundred are read in full."""
    where, params = _filters(locale, audience)
    config = CONFIGS[locale]
    every = f"websearch_to_tsquery('{config}'::regconfig, %s)"
    # the same lexemes, any of them (plainto_tsquery's text is 'a' & 'b': its & become |)
    anyword = f"replace(plainto_tsquery('{config}'::regconfig, %s)::text, '&', '|')::tsquery"
    with connection.cursor() as cursor:
        for query in (every, anyword):
            cursor.execute(
                f"WITH t AS (SELECT {query} AS q, {anyword} AS w), "  # noqa: S608
                "c AS MATERIALIZED ("
                f"SELECT a.id FROM cms_helparticle a, t WHERE {where} AND a.search_tsv @@ t.q "
                f"ORDER BY ts_rank('{RANK_WEIGHTS}', a.title_tsv, t.w) DESC, a.position, a.id LIMIT %s) "
                f"SELECT a.id, ts_rank('{RANK_WEIGHTS}', a.search_tsv, t.q) AS r "
                "FROM cms_helparticle a JOIN c ON c.id = a.id, t "
                "ORDER BY r DESC, a.position, a.id LIMIT %s",
                [text, text, *params, CANDIDATES, limit],
            )
            rows = cursor.fetchall()
            if rows:
                return rows
        folded = fold(text)
        # the threshold for this statement's transaction only: a session setting would stay
        # on the server connection, which a pooler (PgBouncer) hands to other clients, and the
        # next statement could run on another connection that lacks it
        with transaction.atomic():
            cursor.execute(
                "SELECT set_config('pg_trgm.word_similarity_threshold', %s, true)",
                [str(settings.CMS_HELP_TYPO_SIMILARITY)],
            )
            cursor.execute(
                "SELECT a.id, word_similarity(%s, a.search_terms) AS s FROM cms_helparticle a "  # noqa: S608
                f"WHERE {where} AND %s <%% a.search_terms ORDER BY s DESC, a.position, a.id LIMIT %s",
                [folded, *params, folded, limit],
            )
            return cursor.fetchall()


def _search_simple(text: str, locale: str, audience: str | None, limit: int) -> list[tuple[int, float]]:
    """SQLite: every word (folded, its first 5 letters, a poor man's stem) in the title and
    keywords (score 2 a word) or the body (1)."""
    words = [w[:5] for w in fold(text).split() if len(w) > 2] or [fold(text)]
    qs = live_articles(locale, audience)
    for word in words:
        qs = qs.filter(Q(search_terms__icontains=word) | Q(body_text__icontains=word))
    scored = []
    for pk, terms, position in qs.values_list("id", "search_terms", "position")[:500]:
        scored.append((pk, float(sum(2 if w in terms else 1 for w in words)), position))
    scored.sort(key=lambda x: (-x[1], x[2], x[0]))
    return [(pk, score) for pk, score, _ in scored[:limit]]


def categories(*, locale: str = "fr", audience: str | None = None) -> list[dict]:
    """The categories of a locale (for an audience: its own and « everyone »), each with its
    live articles' titles and slugs; two queries."""
    locale = clean_locale(locale)
    audience = clean_audience(audience)
    cats = HelpCategory.objects.filter(locale__language_code=locale)
    if audience:
        cats = cats.filter(audience__in=(audience, "everyone"))
    cats = list(cats)
    by_category: dict[int, list] = {c.pk: [] for c in cats}
    for article in (
        live_articles(locale, audience)
        .filter(category__in=cats)
        .only("id", "slug", "title", "summary", "category_id", "audience", "language")
    ):
        by_category[article.category_id].append(article)
    return [{"category": c, "articles": by_category[c.pk]} for c in cats if by_category[c.pk]]


def article_get(slug: str, *, locale: str = "fr") -> HelpArticle:
    locale = clean_locale(locale)
    article = (
        HelpArticle.objects.select_related("category", "locale")
        .filter(live=True, language=locale, slug=str(slug)[:120])
        .first()
    )
    if article is None:
        raise HelpArticleNotFound()
    return article


def article_translations(article) -> dict[str, str]:
    """{locale: slug} of the live versions of this article in the other locales."""
    return dict(
        HelpArticle.objects.filter(translation_key=article.translation_key, live=True)
        .exclude(pk=article.pk)
        .values_list("language", "slug")
    )


def feedback_counts(article_ids) -> dict[int, tuple[int, int]]:
    """{article id: (yes, no)}: one query."""
    rows = (
        HelpFeedback.objects.filter(article_id__in=list(article_ids))
        .values("article_id")
        .annotate(yes=Count("id", filter=Q(helpful=True)), no=Count("id", filter=Q(helpful=False)))
    )
    return {r["article_id"]: (r["yes"], r["no"]) for r in rows}


# --- writing --------------------------------------------------------------------------------


@transaction.atomic
def feedback_record(
    *, article, helpful: bool, reason: str = "", comment: str = "", user=None
) -> HelpFeedback:
    """« Was this helpful? »: one answer per signed-in user and article (a second replaces
    the first); anonymous answers are counted as they come (the throttle bounds them)."""
    if reason and reason not in HelpFeedback.Reason.values:
        raise HelpInvalidChoice(field="reason")
    comment = str(comment or "").strip()[:1000]
    if user is not None and getattr(user, "is_authenticated", False):
        feedback, _ = HelpFeedback.objects.update_or_create(
            article=article,
            user=user,
            defaults={"helpful": bool(helpful), "reason": reason, "comment": comment},
        )
        return feedback
    return HelpFeedback.objects.create(article=article, helpful=bool(helpful), reason=reason, comment=comment)


def _due(priority: str, start=None):
    hours = settings.CMS_HELP_SLA_HOURS.get(priority, settings.CMS_HELP_SLA_HOURS["normal"])
    return (start or timezone.now()) + timedelta(hours=hours)


def ticket_open(
    *,
    user=None,
    name: str = "",
    email: str = "",
    phone: str = "",
    subject: str,
    message: str,
    audience: str = "everyone",
    language: str = "fr",
    source: str = SupportTicket.Source.WEB,
) -> SupportTicket:
    """The contact form: a ticket for support's queue (status new, due by the normal
    priority's time) and an acknowledgement with its reference, by SMS or e-mail."""
    signed_in = user is not None and getattr(user, "is_authenticated", False)
    if signed_in:
        name = name or user.full_name or str(user.phone or "")
        email = email or user.email
        phone = phone or (str(user.phone) if user.phone else "")
    email = str(email or "").strip()[:254]
    phone = identity.normalize_phone(phone) if str(phone or "").strip() else ""
    if not email and not phone:
        raise HelpContactMissing(field="email")
    if audience not in HELP_AUDIENCES:
        raise HelpInvalidChoice(field="audience")
    if source not in SupportTicket.Source.values:
        raise HelpInvalidChoice(field="source")
    language = clean_locale(language)
    subject, message = str(subject or "").strip()[:200], str(message or "").strip()[:5000]
    if not subject:
        raise HelpInvalidChoice(field="subject")
    if not message:
        raise HelpInvalidChoice(field="message")
    with transaction.atomic():
        now = timezone.now()
        ticket = SupportTicket.objects.create(
            reference=next_number(
                series="cms.ticket", scope="hokwe", year=now.year, template="SUP{year}-{n:06d}"
            ),
            user=user if signed_in else None,
            name=str(name or "").strip()[:150] or (email or phone),
            email=email,
            phone=phone,
            language=language,
            audience=audience,
            subject=subject,
            message=message,
            source=source,
            priority=SupportTicket.Priority.NORMAL,
            due_at=_due(SupportTicket.Priority.NORMAL, now),
        )
        context = {"reference": ticket.reference, "subject": ticket.subject}
        channel, address = ("email", email) if email else ("sms", phone)
        transaction.on_commit(
            lambda: notifications.send(
                address,
                CMS_HELP_TICKET_RECEIVED,
                context,
                channels=[channel],
                language=language,
                idempotency_key=f"cms.ticket.{ticket.public_id}.received",
            )
        )
    return ticket


def _require_staff(actor) -> None:
    identity.require(actor, "cms.ticket.manage", None)


@transaction.atomic
def ticket_set_status(*, actor, ticket: SupportTicket, status: str) -> SupportTicket:
    _require_staff(actor)
    if status not in TicketStatus._value2member_map_:
        raise HelpInvalidChoice(field="status")
    ticket = SupportTicket.objects.select_for_update().get(pk=ticket.pk)
    if status == ticket.status:
        return ticket
    TICKET_STATES.check(TicketStatus(ticket.status), TicketStatus(status), field="status")
    ticket.status = status
    ticket.solved_at = timezone.now() if status == TicketStatus.SOLVED else ticket.solved_at
    ticket.save(update_fields=["status", "solved_at", "updated_at"])
    return ticket


@transaction.atomic
def ticket_prioritize(*, actor, ticket: SupportTicket, priority: str) -> SupportTicket:
    """A new priority moves the due time (counted from the ticket's creation)."""
    _require_staff(actor)
    if priority not in SupportTicket.Priority.values:
        raise HelpInvalidChoice(field="priority")
    ticket.priority = priority
    ticket.due_at = _due(priority, ticket.created_at)
    ticket.save(update_fields=["priority", "due_at", "updated_at"])
    return ticket


@transaction.atomic
def ticket_assign(*, actor, ticket: SupportTicket, assignee) -> SupportTicket:
    _require_staff(actor)
    if assignee is not None and not assignee.is_staff:
        raise HelpInvalidChoice(field="assignee")
    ticket.assignee = assignee
    fields = ["assignee", "updated_at"]
    if ticket.status == TicketStatus.NEW and assignee is not None:
        ticket.status = TicketStatus.OPEN
        fields.append("status")
    ticket.save(update_fields=fields)
    return ticket


@transaction.atomic
def ticket_note(*, actor, ticket: SupportTicket, body: str) -> TicketMessage:
    """An internal note: staff only, never sent."""
    _require_staff(actor)
    body = str(body or "").strip()
    if not body:
        raise HelpInvalidChoice(field="body")
    return TicketMessage.objects.create(
        ticket=ticket, author=actor, kind=TicketMessage.Kind.NOTE, body=body[:5000]
    )


def ticket_reply(*, actor, ticket: SupportTicket, body: str, channel: str) -> TicketMessage:
    """Answer the user by e-mail or SMS (notifications, in the ticket's language): the reply
    is kept on the ticket, which then waits on the user (a closed ticket is reopened only by
    a status change first)."""
    _require_staff(actor)
    body = str(body or "").strip()
    if not body:
        raise HelpInvalidChoice(field="body")
    if channel not in TicketMessage.Channel.values:
        raise HelpInvalidChoice(field="channel")
    address = ticket.email if channel == TicketMessage.Channel.EMAIL else ticket.phone
    if not address:
        raise HelpReplyChannelMissing(field="channel")
    with transaction.atomic():
        ticket = SupportTicket.objects.select_for_update().get(pk=ticket.pk)
        if ticket.status == TicketStatus.CLOSED:
            TICKET_STATES.check(ticket.status, TicketStatus.WAITING, field="status")
        reply = TicketMessage.objects.create(
            ticket=ticket, author=actor, kind=TicketMessage.Kind.REPLY, channel=channel, body=body[:5000]
        )
        if ticket.status in (TicketStatus.NEW, TicketStatus.OPEN):
            ticket.status = TicketStatus.WAITING
        if ticket.assignee_id is None:
            ticket.assignee = actor
        ticket.save(update_fields=["status", "assignee", "updated_at"])
    # sent after the commit (no network call under a lock); the outcome noted on the reply
    result = notifications.send(
        address,
        CMS_HELP_TICKET_REPLY,
        {"reference": ticket.reference, "subject": ticket.subject, "message": reply.body},
        channels=[channel],
        language=ticket.language,
        idempotency_key=f"cms.ticket.reply.{reply.public_id}",
    )
    sent = result.outcome(channel)
    reply.outcome = str(sent.outcome if sent is not None else "unavailable")[:12]
    TicketMessage.objects.filter(pk=reply.pk).update(outcome=reply.outcome)
    return reply


def tickets_of(user):
    """The signed-in user's own tickets, newest first."""
    return SupportTicket.objects.filter(user=identity.authenticated(user)).order_by("-created_at", "-id")

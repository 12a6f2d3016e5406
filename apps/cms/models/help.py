"""Cms help: the help centre's tables (owned by the help part).

- HelpCategory and HelpArticle are Wagtail snippets (admin/help.py registers them), edited at
  /cms/ by Hokwe's content staff: translations (TranslatableMixin: the French original and its
  English version share a translation_key), and for articles drafts, revisions and scheduled
  publishing (DraftStateMixin + RevisionMixin: the row holds the live version, drafts live in
  the revisions). The body is a Wagtail RichTextField: its editor's rules keep only the
  allowed elements, and the page renders it through `richtext`, which rewrites it again, so a
  <script> pasted into an article never runs (tests/cms/test_help.py).
- Search (services/help.py): on PostgreSQL, a stored generated tsvector column `search_tsv`
  (weights: title A, keywords B, body C; the locale's text search configuration, French with
  unaccent) and a trigram index on `search_terms` (the folded title and keywords: the typo
  step), both added by migration 0003_help in SQL, unknown to the ORM; on SQLite the search
  falls back to icontains.
- HelpFeedback: « Cet article vous a-t-il aidé ? », yes or no with a reason.
- SupportTicket and TicketMessage: the contact form's tickets, the staff queue (Django admin)
  with statuses, assignment, a due time by priority, internal notes and replies.
"""

from __future__ import annotations

import re
import unicodedata
from html import unescape

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail.fields import RichTextField
from wagtail.models import DraftStateMixin, RevisionMixin, TranslatableMixin

from apps.core.models import BaseModel

__all__ = [
    "HelpArticle",
    "HelpAudience",
    "HelpCategory",
    "HelpFeedback",
    "SupportTicket",
    "TicketMessage",
    "fold",
    "sanitize",
]


def fold(text: str) -> str:
    """Lower case, no accents, single spaces: « Payer LOYÉ » -> « payer loye »."""
    decomposed = unicodedata.normalize("NFKD", str(text or ""))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", plain.lower()).strip()


BODY_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "hr"]


def sanitize(html: str) -> str:
    """Only what the body's rich text features allow (Wagtail's whitelister: no <script>, no
    on* attribute, no javascript: link), whatever wrote the body (the editor, the Django admin,
    a migration, the demo)."""
    from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter

    return EditorHTMLConverter(features=BODY_FEATURES).whitelister.clean(str(html or ""))


class HelpAudience(models.TextChoices):
    EVERYONE = "everyone", _("everyone")
    TENANT = "tenant", _("tenants")
    LANDLORD = "landlord", _("landlords")
    AGENCY = "agency", _("agencies")
    MERCHANT = "merchant", _("merchants")


class HelpCategory(TranslatableMixin, models.Model):
    title = models.CharField(_("title"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80)
    audience = models.CharField(
        _("audience"), max_length=10, choices=HelpAudience.choices, default=HelpAudience.EVERYONE
    )
    description = models.CharField(_("description"), max_length=300, blank=True, default="")
    position = models.PositiveSmallIntegerField(_("position"), default=100)

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("help category")
        verbose_name_plural = _("help categories")
        ordering = ["position", "title"]
        constraints = [
            models.UniqueConstraint(fields=["locale", "slug"], name="cms_helpcategory_locale_slug"),
        ]

    def __str__(self):
        return self.title


class HelpArticle(DraftStateMixin, RevisionMixin, TranslatableMixin, models.Model):
    category = models.ForeignKey(
        HelpCategory, on_delete=models.PROTECT, related_name="articles", verbose_name=_("category")
    )
    audience = models.CharField(
        _("audience"), max_length=10, choices=HelpAudience.choices, default=HelpAudience.EVERYONE
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120)
    summary = models.CharField(_("summary"), max_length=300, blank=True, default="")
    keywords = models.CharField(
        _("keywords"),
        max_length=300,
        blank=True,
        default="",
        help_text=_("Other words people use for this question, separated by spaces or commas."),
    )
    body = RichTextField(
        _("body"),
        features=BODY_FEATURES,
    )
    position = models.PositiveSmallIntegerField(_("position"), default=100)
    # derived on save (never edited): what the search reads
    language = models.CharField(_("language"), max_length=5, default="fr", editable=False)
    search_terms = models.TextField(_("search terms"), blank=True, default="", editable=False)
    body_text = models.TextField(_("body as text"), blank=True, default="", editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="cms_help_article")

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("help article")
        verbose_name_plural = _("help articles")
        ordering = ["position", "title"]
        constraints = [
            models.UniqueConstraint(fields=["locale", "slug"], name="cms_helparticle_locale_slug"),
        ]
        indexes = [models.Index(fields=["live", "language", "audience"], name="cms_help_live_lang_aud")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = sanitize(self.body)
        self.derive()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "language", "search_terms", "body_text"}
        super().save(*args, **kwargs)

    @property
    def revisions(self):
        return self._revisions

    def derive(self, language: str | None = None) -> None:
        """The fields the search reads, from the edited ones (bulk_create calls it itself)."""
        self.language = (language or (self.locale.language_code if self.locale_id else "fr"))[:2]
        self.search_terms = fold(f"{self.title} {self.keywords.replace(',', ' ')}")
        self.body_text = re.sub(r"\s+", " ", unescape(strip_tags(str(self.body or "")))).strip()


class HelpFeedback(models.Model):
    class Reason(models.TextChoices):
        SOLVED = "solved", _("It answered my question")
        UNCLEAR = "unclear", _("It is hard to understand")
        INCOMPLETE = "incomplete", _("Something is missing")
        OUTDATED = "outdated", _("It is out of date or wrong")
        OTHER_QUESTION = "other_question", _("It is not my question")
        OTHER = "other", _("Another reason")

    article = models.ForeignKey(HelpArticle, on_delete=models.CASCADE, related_name="feedback")
    helpful = models.BooleanField(_("helpful"))
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices, blank=True, default="")
    comment = models.TextField(_("comment"), max_length=1000, blank=True, default="")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("help feedback")
        verbose_name_plural = _("help feedback")
        constraints = [
            # one answer per signed-in user and article (a second one replaces it)
            models.UniqueConstraint(
                fields=["article", "user"],
                condition=models.Q(user__isnull=False),
                name="cms_helpfeedback_one",
            ),
        ]

    def __str__(self):
        return f"{self.article_id}: {'yes' if self.helpful else 'no'} {self.reason}"


class SupportTicket(BaseModel):
    class Status(models.TextChoices):
        NEW = "new", _("new")
        OPEN = "open", _("open")
        WAITING = "waiting", _("waiting on the user")
        SOLVED = "solved", _("solved")
        CLOSED = "closed", _("closed")

    class Priority(models.TextChoices):
        URGENT = "urgent", _("urgent")
        HIGH = "high", _("high")
        NORMAL = "normal", _("normal")
        LOW = "low", _("low")

    class Source(models.TextChoices):
        WEB = "web", _("public page")
        MANAGER = "manager", _("manager")
        APP = "app", _("app (REST or GraphQL)")

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cms_support_tickets",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail address"), blank=True, default="")
    phone = models.CharField(_("phone"), max_length=20, blank=True, default="")
    language = models.CharField(_("language"), max_length=5, default="fr")
    audience = models.CharField(
        _("audience"), max_length=10, choices=HelpAudience.choices, default=HelpAudience.EVERYONE
    )
    subject = models.CharField(_("subject"), max_length=200)
    message = models.TextField(_("message"), max_length=5000)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices, default=Source.WEB)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.NEW)
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cms_assigned_tickets",
        limit_choices_to={"is_staff": True},
        verbose_name=_("assigned to"),
    )
    due_at = models.DateTimeField(_("due by"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    solved_at = models.DateTimeField(_("solved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("support ticket")
        verbose_name_plural = _("support tickets")
        ordering = ["due_at"]
        indexes = [
            models.Index(fields=["status", "due_at"], name="cms_ticket_queue"),
            models.Index(fields=["user", "-created_at"], name="cms_ticket_user"),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(email="", phone=""), name="cms_ticket_has_a_contact"),
        ]

    def __str__(self):
        return f"{self.reference} · {self.subject}"


class TicketMessage(BaseModel):
    class Kind(models.TextChoices):
        NOTE = "note", _("internal note")
        REPLY = "reply", _("reply to the user")

    class Channel(models.TextChoices):
        EMAIL = "email", _("e-mail")
        SMS = "sms", _("SMS")

    ticket = models.ForeignKey(SupportTicket, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=5, choices=Kind.choices, default=Kind.NOTE)
    channel = models.CharField(_("channel"), max_length=5, choices=Channel.choices, blank=True, default="")
    body = models.TextField(_("text"), max_length=5000)
    outcome = models.CharField(_("delivery"), max_length=12, blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("ticket message")
        verbose_name_plural = _("ticket messages")
        ordering = ["created_at"]

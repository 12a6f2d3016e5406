"""Cms help: admin (owned by the help part).

- The help articles and categories are Wagtail snippets, edited at /cms/ (drafts, revisions,
  scheduled publishing, translations). They are registered here, not in a wagtail_hooks.py:
  `register_snippet` defers itself until Wagtail's snippets app is ready.
- The Django admin keeps a fallback editor of both (and the feedback ratio per article), and
  the support queue: tickets by due time with statuses, assignment, priority (which moves the
  due time), internal notes and replies by e-mail or SMS (services/help.py sends them).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError
from apps.identity.api import PolicyAdminMixin

from ..models.help import HelpArticle, HelpCategory, HelpFeedback, SupportTicket, TicketMessage
from ..services import help as help_service

# --- Wagtail's editor (/cms/) --------------------------------------------------------------
try:
    from wagtail.admin.panels import FieldPanel
    from wagtail.snippets.models import register_snippet
    from wagtail.snippets.views.snippets import SnippetViewSet

    class HelpCategoryViewSet(SnippetViewSet):
        model = HelpCategory
        icon = "folder-open-inverse"
        menu_label = _("Help categories")
        list_display = ["title", "audience", "locale", "position"]
        list_filter = ["audience", "locale"]
        panels = [
            FieldPanel("title"),
            FieldPanel("slug"),
            FieldPanel("audience"),
            FieldPanel("description"),
            FieldPanel("position"),
        ]

    class HelpArticleViewSet(SnippetViewSet):
        model = HelpArticle
        icon = "help"
        menu_label = _("Help articles")
        list_display = ["title", "category", "audience", "locale", "live"]
        list_filter = ["audience", "locale", "live"]
        panels = [
            FieldPanel("title"),
            FieldPanel("slug"),
            FieldPanel("category"),
            FieldPanel("audience"),
            FieldPanel("summary"),
            FieldPanel("keywords"),
            FieldPanel("body"),
            FieldPanel("position"),
        ]

    register_snippet(HelpCategoryViewSet)
    register_snippet(HelpArticleViewSet)
except ImportError:  # pragma: no cover - Wagtail is pinned; the Django admin below stays the fallback
    pass


# --- the Django admin's fallback editor ------------------------------------------------------
EDIT = {action: "cms.help.edit" for action in ("view", "change", "add", "delete")}
QUEUE = {"view": "cms.ticket.manage", "change": "cms.ticket.manage", "add": "cms.ticket.manage"}


@admin.register(HelpCategory)
class HelpCategoryAdmin(PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = EDIT
    list_display = ("title", "slug", "audience", "locale", "position")
    list_filter = ("audience", "locale")
    search_fields = ("title", "slug")


@admin.register(HelpArticle)
class HelpArticleAdmin(PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = EDIT
    list_display = ("title", "category", "audience", "language", "live", "helpful_ratio")
    list_filter = ("live", "language", "audience", "category")
    search_fields = ("title", "keywords", "slug")
    readonly_fields = ("language", "live", "last_published_at")
    fields = (
        "locale",
        "category",
        "audience",
        "title",
        "slug",
        "summary",
        "keywords",
        "body",
        "position",
        "live",
        "last_published_at",
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("category", "locale")
            .annotate(
                yes_count=Count("feedback", filter=Q(feedback__helpful=True)),
                no_count=Count("feedback", filter=Q(feedback__helpful=False)),
            )
        )

    @admin.display(description=_("helpful (yes / answers)"))
    def helpful_ratio(self, obj):
        total = obj.yes_count + obj.no_count
        if not total:
            return "—"
        return f"{round(100 * obj.yes_count / total)} % ({obj.yes_count} / {total})"

    def get_readonly_fields(self, request, obj=None):
        # the locale is chosen once (a translation is another row with the same key)
        return (*self.readonly_fields, "locale") if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        obj.save()
        obj.save_revision(user=request.user).publish(user=request.user)


@admin.register(HelpFeedback)
class HelpFeedbackAdmin(PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = {"view": "cms.help.edit"}
    list_display = ("article", "helpful", "reason", "comment", "created_at")
    list_filter = ("helpful", "reason")
    list_select_related = ("article",)
    readonly_fields = ("article", "helpful", "reason", "comment", "user", "created_at")

    def has_add_permission(self, request):
        return False


# --- the support queue --------------------------------------------------------------------------
class TicketMessageInline(PolicyAdminMixin, admin.StackedInline):
    policy_permissions = QUEUE
    model = TicketMessage
    extra = 1
    fields = ("kind", "channel", "body", "author", "outcome", "created_at")
    readonly_fields = ("author", "outcome", "created_at")
    verbose_name = _("note or reply")
    verbose_name_plural = _("notes and replies (a reply is sent by its channel when saved)")

    def has_change_permission(self, request, obj=None):
        return False  # what was written (and sent) stays as it was

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SupportTicket)
class SupportTicketAdmin(PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = QUEUE
    list_display = ("reference", "subject", "status", "priority", "assignee", "due", "source", "created_at")
    list_filter = ("status", "priority", "source", "audience", ("assignee", admin.RelatedOnlyFieldListFilter))
    search_fields = ("reference", "subject", "email", "phone", "name")
    list_select_related = ("assignee",)
    ordering = ("due_at",)
    inlines = [TicketMessageInline]
    readonly_fields = (
        "reference",
        "user",
        "name",
        "email",
        "phone",
        "language",
        "audience",
        "subject",
        "message",
        "source",
        "due_at",
        "created_at",
        "updated_at",
        "solved_at",
    )
    fields = (
        ("reference", "source", "language"),
        ("name", "email", "phone", "user"),
        "audience",
        "subject",
        "message",
        ("status", "priority", "assignee"),
        ("due_at", "created_at", "solved_at"),
    )
    actions = ["take", "mark_solved", "close"]

    def has_add_permission(self, request):
        return False  # tickets come from the contact form

    @admin.display(description=_("due by"), ordering="due_at")
    def due(self, obj):
        late = obj.status in ("new", "open") and obj.due_at < timezone.now()
        text = timezone.localtime(obj.due_at).strftime("%d/%m/%Y %H:%M")
        return (
            format_html('<strong style="color:#b00020">{} ({})</strong>', text, gettext("late"))
            if late
            else text
        )

    def save_model(self, request, obj, form, change):
        """Status, priority and assignment go through the services (the state machine, the
        due time, the staff check); the rest of the ticket is read-only."""
        original = SupportTicket.objects.get(pk=obj.pk)
        try:
            if obj.priority != original.priority:
                help_service.ticket_prioritize(actor=request.user, ticket=original, priority=obj.priority)
            if obj.assignee_id != original.assignee_id:
                help_service.ticket_assign(actor=request.user, ticket=original, assignee=obj.assignee)
                original.refresh_from_db()
            if obj.status != original.status:
                help_service.ticket_set_status(actor=request.user, ticket=original, status=obj.status)
        except DomainError as exc:
            messages.error(request, str(exc.message))

    def save_formset(self, request, form, formset, change):
        for message in formset.save(commit=False):
            try:
                if message.kind == TicketMessage.Kind.REPLY:
                    help_service.ticket_reply(
                        actor=request.user, ticket=form.instance, body=message.body, channel=message.channel
                    )
                else:
                    help_service.ticket_note(actor=request.user, ticket=form.instance, body=message.body)
            except DomainError as exc:
                messages.error(request, str(exc.message))

    @admin.action(description=_("Assign to me"))
    def take(self, request, queryset):
        for ticket in queryset:
            help_service.ticket_assign(actor=request.user, ticket=ticket, assignee=request.user)

    @admin.action(description=_("Mark solved"))
    def mark_solved(self, request, queryset):
        self._move(request, queryset, "solved")

    @admin.action(description=_("Close"))
    def close(self, request, queryset):
        self._move(request, queryset, "closed")

    def _move(self, request, queryset, status):
        for ticket in queryset:
            try:
                help_service.ticket_set_status(actor=request.user, ticket=ticket, status=status)
            except DomainError as exc:
                messages.error(request, f"{ticket.reference}: {exc.message}")

"""Back-office: the review queue (filters), a side-by-side review page (documents through
signed links issued to the reviewer, every view audited; the data entered; the provider's
verdict), approve / reject with a reason, four-eyes for tier 2 and KYB, and the limits
table edited by compliance. Every page asks the policy (rules.py)."""

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from apps.core.audit import AuditCategory, AuditedAdminMixin, audit_record
from apps.core.errors import DomainError, NotFound
from apps.identity import api as identity

from . import selectors
from .models import (
    Alert,
    AlertEntry,
    AlertStatus,
    KycProfile,
    MonitoredTransaction,
    RejectionReason,
    Submission,
    TierLimit,
)
from .services import documents as document_services
from .services import monitoring as monitoring_services
from .services import submissions as submission_services


class QueueFilter(admin.SimpleListFilter):
    title = _("review queue")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [
            ("waiting", _("awaiting a decision")),
            ("second", _("awaiting a second approval")),
            ("provider", _("provider flagged a problem")),
        ]

    def queryset(self, request, queryset):
        decidable = ["submitted", "in_review"]
        if self.value() == "waiting":
            return queryset.filter(status__in=decidable)
        if self.value() == "second":
            return queryset.filter(status__in=decidable, approval_count=1)
        if self.value() == "provider":
            return queryset.filter(status__in=decidable, provider_outcome="consider")
        return queryset


@admin.register(Submission)
class SubmissionAdmin(identity.PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = {"view": "kyc.submission.review"}
    change_form_template = "admin/kyc/submission/review.html"
    list_display = (
        "short_id",
        "subject",
        "who",
        "target_tier",
        "status",
        "provider",
        "provider_outcome",
        "approval_count",
        "submitted_at",
    )
    list_filter = (
        QueueFilter,
        "status",
        "subject",
        "target_tier",
        "provider",
        "provider_outcome",
        "submitted_at",
    )
    search_fields = (
        "=public_id",
        "user__phone",
        "user__full_name",
        "last_name",
        "organization__name",
        "legal_name",
    )
    ordering = ("submitted_at", "id")
    list_select_related = ("user", "organization")
    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(approval_count=Count("approvals"))

    @admin.display(description=_("id"))
    def short_id(self, obj):
        return obj.public_id.hex[:8]

    @admin.display(description=_("who"))
    def who(self, obj):
        return obj.organization.name if obj.organization_id else obj.user

    @admin.display(description=_("approvals"), ordering="approval_count")
    def approval_count(self, obj):
        return f"{obj.approval_count}/{obj.required_approvals}"

    def has_add_permission(self, request, *args):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "<path:object_id>/approve/",
                self.admin_site.admin_view(self.approve_view),
                name="kyc_submission_approve",
            ),
            path(
                "<path:object_id>/reject/",
                self.admin_site.admin_view(self.reject_view),
                name="kyc_submission_reject",
            ),
            *super().get_urls(),
        ]

    def _submission(self, request, object_id) -> Submission:
        try:
            return selectors.submission_for_review(
                request.user, Submission.objects.get(pk=object_id).public_id
            )
        except (Submission.DoesNotExist, ValueError, NotFound):
            raise Http404 from None

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not identity.can(request.user, "kyc.submission.review"):
            raise PermissionDenied
        submission = self._submission(request, object_id)
        links = {}
        for document in [
            *submission.documents.all(),
            *[d for x in submission.directors.all() for d in x.documents.all()],
        ]:
            if document.purged_at is None:
                links[document.pk] = document_services.document_link(
                    actor=request.user, document=document, permission="kyc.document.view"
                ).url
        audit_record(
            action="kyc.submission.viewed",
            category=AuditCategory.KYC,
            actor=request.user,
            organization=submission.organization.public_id if submission.organization_id else None,
            target=submission,
        )
        approvals = list(submission.approvals.all())
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Review verification"),
            "submission": submission,
            "documents": [(d, links.get(d.pk)) for d in submission.documents.all() if d.director_id is None],
            "directors": [
                (x, [(d, links.get(d.pk)) for d in x.documents.all()]) for x in submission.directors.all()
            ],
            "approvals": approvals,
            "already_approved": any(a.staff_id == request.user.pk for a in approvals),
            "decidable": submission.status in ("submitted", "in_review"),
            "reasons": RejectionReason.choices,
            "approve_url": reverse("admin:kyc_submission_approve", args=[submission.pk]),
            "reject_url": reverse("admin:kyc_submission_reject", args=[submission.pk]),
            "history": Submission.objects.filter(user_id=submission.user_id, subject=submission.subject)
            .exclude(pk=submission.pk)
            .order_by("-created_at")[:10]
            if not submission.is_business
            else Submission.objects.filter(organization_id=submission.organization_id).exclude(
                pk=submission.pk
            )[:10],
        }
        return TemplateResponse(request, self.change_form_template, context)

    def _done(self, request, submission, call, success):
        try:
            result = call()
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, success(result))
        return redirect(reverse("admin:kyc_submission_change", args=[submission.pk]))

    @staticmethod
    def _approved_message(result: Submission):
        if result.status == "approved":
            return _("Approved.")
        return _("Your approval is recorded; a second, different reviewer must approve too.")

    def approve_view(self, request, object_id):
        return require_POST(self._approve)(request, object_id)

    def _approve(self, request, object_id):
        submission = self._submission(request, object_id)
        return self._done(
            request,
            submission,
            lambda: submission_services.submission_approve(
                actor=request.user, submission=submission, note=request.POST.get("note", "")
            ),
            self._approved_message,
        )

    def reject_view(self, request, object_id):
        return require_POST(self._reject)(request, object_id)

    def _reject(self, request, object_id):
        submission = self._submission(request, object_id)
        return self._done(
            request,
            submission,
            lambda: submission_services.submission_reject(
                actor=request.user,
                submission=submission,
                reason=request.POST.get("reason", ""),
                message=request.POST.get("message", ""),
            ),
            lambda _result: _("Rejected. The user sees the reason in their language."),
        )


@admin.register(TierLimit)
class TierLimitAdmin(identity.PolicyAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    """The limits table (takes precedence over settings.KYC_LIMITS). Every change is an audit
    entry with the values before and after."""

    policy_permissions = {
        "view": "kyc.limits.view",
        "change": "kyc.limits.manage",
        "add": "kyc.limits.manage",
        "delete": "kyc.limits.manage",
    }
    audit_category = AuditCategory.KYC
    list_display = (
        "country",
        "tier",
        "currency",
        "max_balance",
        "monthly_inflow",
        "single_transaction",
        "daily_outflow",
        "updated_at",
    )
    list_filter = ("country", "tier")
    ordering = ("country", "tier")


@admin.register(KycProfile)
class KycProfileAdmin(identity.PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = {"view": "kyc.submission.review"}
    list_display = ("user", "tier", "closed_at", "documents_purged_at", "updated_at")
    list_filter = ("tier",)
    search_fields = ("user__phone", "user__full_name", "=user__public_id")
    list_select_related = ("user",)
    readonly_fields = ("user", "tier", "closed_at", "documents_purged_at", "updated_at")

    def has_change_permission(self, request, obj=None):
        return False


# --- transaction monitoring: the compliance queue (docs/kyc.md "Transaction monitoring") ---------


class AssignmentFilter(admin.SimpleListFilter):
    title = _("assignment")
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return [("me", _("assigned to me")), ("none", _("unassigned"))]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(assigned_to=request.user)
        if self.value() == "none":
            return queryset.filter(assigned_to__isnull=True)
        return queryset


class UndecidedFilter(admin.SimpleListFilter):
    title = _("queue")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [("undecided", _("to work (open or escalated)"))]

    def queryset(self, request, queryset):
        if self.value() == "undecided":
            return queryset.filter(status__in=[AlertStatus.OPEN, AlertStatus.ESCALATED])
        return queryset


@admin.register(Alert)
class AlertAdmin(identity.PolicyAdminMixin, admin.ModelAdmin):
    """The alert queue: compliance staff only (anyone else, staff included, gets 403). Every
    change goes through services.monitoring (assign, note, decide, export), each audited; the
    admin's own add/change/delete are off."""

    policy_permissions = {"view": "kyc.monitoring.work"}
    change_form_template = "admin/kyc/alert/work.html"
    list_display = (
        "short_id",
        "rule",
        "severity",
        "score",
        "status",
        "subject",
        "organization",
        "transaction_count",
        "assigned_to",
        "last_hit_at",
    )
    list_filter = (UndecidedFilter, "status", "rule", "severity", AssignmentFilter, "last_hit_at")
    search_fields = (
        "=public_id",
        "subject_phone",
        "subject_user__phone",
        "subject_user__full_name",
        "organization__name",
        "account",
    )
    list_select_related = ("subject_user", "organization", "assigned_to")
    ordering = ("-severity", "-last_hit_at", "id")
    list_per_page = 50
    actions = ["assign_to_me", "dismiss_as_false_positive"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(transaction_total=Count("links"))

    @admin.display(description=_("id"))
    def short_id(self, obj):
        return obj.public_id.hex[:8]

    @admin.display(description=_("subject"))
    def subject(self, obj):
        return f"{obj.get_subject_kind_display()}: {obj.subject_label}"

    @admin.display(description=_("transactions"), ordering="transaction_total")
    def transaction_count(self, obj):
        return obj.transaction_total

    def has_add_permission(self, request, *args):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        return actions if identity.can(request.user, "kyc.monitoring.work") else {}

    @admin.action(description=_("Assign the selected alerts to me"))
    def assign_to_me(self, request, queryset):
        done, refused = 0, []
        for alert in queryset:
            try:
                monitoring_services.alert_assign(actor=request.user, alert=alert)
                done += 1
            except DomainError as exc:
                refused.append(f"{alert.public_id.hex[:8]}: {exc.message}")
        if done:
            messages.success(request, _("%(count)d alert(s) assigned to you.") % {"count": done})
        for line in refused:
            messages.error(request, line)

    @admin.action(description=_("Dismiss the selected alerts as false positives…"))
    def dismiss_as_false_positive(self, request, queryset):
        """Asks the reason first (kept with each decision), then dismisses one by one."""
        reason = (request.POST.get("reason") or "").strip()
        if request.POST.get("confirm") != "yes" or not reason:
            return TemplateResponse(
                request,
                "admin/kyc/alert/dismiss.html",
                {
                    **self.admin_site.each_context(request),
                    "opts": self.model._meta,
                    "title": _("Dismiss as false positives"),
                    "alerts": queryset,
                    "missing_reason": request.POST.get("confirm") == "yes",
                    "action_checkbox_name": ACTION_CHECKBOX_NAME,
                },
            )
        done, refused = 0, []
        for alert in queryset:
            try:
                monitoring_services.alert_decide(
                    actor=request.user, alert=alert, decision="dismiss", reason=reason
                )
                done += 1
            except DomainError as exc:
                refused.append(f"{alert.public_id.hex[:8]}: {exc.message}")
        if done:
            messages.success(request, _("%(count)d alert(s) dismissed.") % {"count": done})
        for line in refused:
            messages.error(request, line)
        return None

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<path:object_id>/assign/", view(self.assign_view), name="kyc_alert_assign"),
            path("<path:object_id>/note/", view(self.note_view), name="kyc_alert_note"),
            path("<path:object_id>/decide/", view(self.decide_view), name="kyc_alert_decide"),
            path("<path:object_id>/export/<str:fmt>/", view(self.export_view), name="kyc_alert_export"),
            *super().get_urls(),
        ]

    def _alert(self, request, object_id) -> Alert:
        if not identity.can(request.user, "kyc.monitoring.work"):
            raise PermissionDenied
        try:
            return Alert.objects.select_related("subject_user", "organization", "assigned_to").get(
                pk=object_id
            )
        except (Alert.DoesNotExist, ValueError):
            raise Http404 from None

    def change_view(self, request, object_id, form_url="", extra_context=None):
        alert = self._alert(request, object_id)
        audit_record(
            action="kyc.monitoring.alert_viewed",
            category=AuditCategory.KYC,
            actor=request.user,
            target=alert,
            target_label=f"{alert.rule} {alert.public_id}",
        )
        transactions = MonitoredTransaction.objects.filter(alerts=alert).select_related("payer_user")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Monitoring alert"),
            "alert": alert,
            "transactions": transactions.order_by("-occurred_at")[:200],
            "transaction_total": transactions.count(),
            "entries": alert.entries.select_related("author"),
            "decidable": not alert.is_decided,
            "decisions": [
                ("dismiss", _("Dismiss: false positive")),
                *([("escalate", _("Escalate"))] if alert.status == AlertStatus.OPEN else []),
                ("report", _("Report as suspicious (déclaration de soupçon)")),
            ],
            "reported": alert.status == AlertStatus.REPORTED,
            "assign_url": reverse("admin:kyc_alert_assign", args=[alert.pk]),
            "note_url": reverse("admin:kyc_alert_note", args=[alert.pk]),
            "decide_url": reverse("admin:kyc_alert_decide", args=[alert.pk]),
            "export_csv_url": reverse("admin:kyc_alert_export", args=[alert.pk, "csv"]),
            "export_xml_url": reverse("admin:kyc_alert_export", args=[alert.pk, "xml"]),
            "exports": alert.entries.filter(kind=AlertEntry.Kind.EXPORTED).count(),
        }
        return TemplateResponse(request, self.change_form_template, context)

    def _run(self, request, alert, call, success):
        try:
            call()
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, success)
        return redirect(reverse("admin:kyc_alert_change", args=[alert.pk]))

    def assign_view(self, request, object_id):
        return require_POST(self._assign)(request, object_id)

    def _assign(self, request, object_id):
        alert = self._alert(request, object_id)
        return self._run(
            request,
            alert,
            lambda: monitoring_services.alert_assign(actor=request.user, alert=alert),
            _("The alert is assigned to you."),
        )

    def note_view(self, request, object_id):
        return require_POST(self._note)(request, object_id)

    def _note(self, request, object_id):
        alert = self._alert(request, object_id)
        return self._run(
            request,
            alert,
            lambda: monitoring_services.alert_note(
                actor=request.user, alert=alert, text=request.POST.get("text", "")
            ),
            _("Note added."),
        )

    def decide_view(self, request, object_id):
        return require_POST(self._decide)(request, object_id)

    def _decide(self, request, object_id):
        alert = self._alert(request, object_id)
        return self._run(
            request,
            alert,
            lambda: monitoring_services.alert_decide(
                actor=request.user,
                alert=alert,
                decision=request.POST.get("decision", ""),
                reason=request.POST.get("reason", ""),
                narrative=request.POST.get("narrative", ""),
            ),
            _("Decision recorded."),
        )

    def export_view(self, request, object_id, fmt):
        alert = self._alert(request, object_id)
        try:
            report = monitoring_services.alert_export(actor=request.user, alert=alert, fmt=fmt)
        except NotFound:
            raise Http404 from None
        except DomainError as exc:
            messages.error(request, str(exc.message))
            return redirect(reverse("admin:kyc_alert_change", args=[alert.pk]))
        response = HttpResponse(report.content, content_type=report.content_type)
        response["Content-Disposition"] = f'attachment; filename="{report.filename}"'
        response["Cache-Control"] = "no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response


@admin.register(MonitoredTransaction)
class MonitoredTransactionAdmin(identity.PolicyAdminMixin, admin.ModelAdmin):
    """What monitoring has seen (read-only, compliance only)."""

    policy_permissions = {"view": "kyc.monitoring.work"}
    list_display = (
        "occurred_at",
        "kind",
        "amount",
        "currency",
        "payer_phone",
        "organization",
        "account",
        "provider",
    )
    list_filter = ("kind", "currency", "provider", "occurred_at")
    search_fields = ("payer_phone", "=source_key", "=provider_reference", "organization__name", "account")
    list_select_related = ("organization",)
    ordering = ("-occurred_at", "-id")
    readonly_fields = (
        "source_key",
        "kind",
        "amount",
        "currency",
        "occurred_at",
        "organization",
        "account",
        "payer_phone",
        "payer_user",
        "provider",
        "provider_reference",
    )

    def has_add_permission(self, request, *args):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

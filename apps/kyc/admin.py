"""Back-office: the review queue (filters), a side-by-side review page (documents through
signed links issued to the reviewer, every view audited; the data entered; the provider's
verdict), approve / reject with a reason, four-eyes for tier 2 and KYB, and the limits
table edited by compliance. Every page asks the policy (rules.py)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from apps.core.audit import AuditCategory, AuditedAdminMixin, audit_record
from apps.core.errors import DomainError, NotFound
from apps.identity import api as identity

from . import selectors
from .models import KycProfile, RejectionReason, Submission, TierLimit
from .services import documents as document_services
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

"""Back-office: templates (versioned, with a preview and the SMS length), the delivery log
(searchable), devices, preferences, opt-outs and delivery receipts."""

import uuid

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from apps.identity.api import PolicyAdminMixin

from . import catalog, services
from .contracts import Channel
from .models import AddressOptOut, DeliveryReceipt, Message, Preference, PushDevice, Template
from .providers.email import render_email


def sms_warning(size) -> str:
    """The template editor's SMS length line; a warning when it costs more than one segment
    or falls back to UCS-2."""
    if size is None:
        return ""
    text = _("%(segments)d segment(s), %(encoding)s, %(units)d characters") % {
        "segments": size.segments,
        "encoding": "GSM-7" if size.encoding == "gsm7" else "UCS-2",
        "units": size.units,
    }
    if size.encoding == "ucs2":
        text += " — " + _("UCS-2 because of: %(chars)s (70 characters per SMS instead of 160)") % {
            "chars": " ".join(size.non_gsm_characters)
        }
    if size.segments > 1:
        text += " — " + _("billed as %(n)d SMS") % {"n": size.segments}
    return text


class TemplateForm(forms.ModelForm):
    key = forms.ChoiceField(label=_("template key"), choices=[])
    preview_requested = False
    preview = None

    class Meta:
        model = Template
        fields = ["key", "channel", "language", "subject", "body", "note"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8, "cols": 90})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "key" in self.fields:
            self.fields["key"].choices = [
                (k, f"{k} — {t.description}") for k, t in sorted(catalog.CATALOG.items())
            ]

    def _value(self, name):
        return self.cleaned_data.get(name) if name in self.fields else getattr(self.instance, name)

    def clean(self):
        data = super().clean()
        key, channel, language = self._value("key"), self._value("channel"), self._value("language")
        template = catalog.get(key or "")
        if template is not None and channel and channel not in template.defaults:
            raise ValidationError(_("%(key)s is not sent on %(channel)s.") % {"key": key, "channel": channel})
        preview = services.template_preview(
            key=key or "",
            channel=channel or "",
            language=language or "fr",
            subject=data.get("subject", ""),
            body=data.get("body", ""),
        )
        self.preview = _preview_context(preview, channel, language)
        if preview.problems:
            raise ValidationError(preview.problems)
        if self.preview_requested:
            raise ValidationError(
                _("Preview only: nothing was saved. Press Save to publish this text as a new version.")
            )
        return data


def _preview_context(preview, channel, language) -> dict:
    out = {"subject": preview.subject, "body": preview.body, "sms": sms_warning(preview.sms)}
    out["sms_warn"] = bool(preview.sms and (preview.sms.segments > 1 or preview.sms.encoding == "ucs2"))
    if channel == Channel.EMAIL and not preview.problems:
        out["html"] = render_email(subject=preview.subject, text=preview.body, language=language or "fr")[1]
    return out


@admin.register(Template)
class TemplateAdmin(PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = {
        "view": "notifications.template.view",
        "change": "notifications.template.edit",
        "add": "notifications.template.edit",
    }
    form = TemplateForm
    list_display = ("key", "channel", "language", "version", "is_active", "edited_by", "created_at")
    list_filter = ("is_active", "channel", "language", "key")
    search_fields = ("key", "subject", "body", "note")
    actions = ["activate", "reset_to_default"]
    change_form_template = "admin/notifications/template/change_form.html"

    def get_readonly_fields(self, request, obj=None):
        fixed = ("version", "is_active", "edited_by", "variables_help", "created_at")
        return ("key", "channel", "language", *fixed) if obj else ("variables_help",)

    def get_fields(self, request, obj=None):
        if obj:
            return (
                "key",
                "channel",
                "language",
                "version",
                "is_active",
                "variables_help",
                "subject",
                "body",
                "note",
                "edited_by",
                "created_at",
            )
        return ("key", "channel", "language", "variables_help", "subject", "body", "note")

    @admin.display(description=_("variables"))
    def variables_help(self, obj):
        template = catalog.get(getattr(obj, "key", "") or "")
        if template is None:
            return _("Pick a key and press Preview to see its variables.")
        rows = format_html_join(
            "",
            "<li><code>{{{{ {} }}}}</code> — {}{}</li>",
            (
                (name, var.description, " 🔒" if var.secret else "")
                for name, var in template.variables.items()
            ),
        )
        return format_html("<ul style='margin:0'>{}</ul>", rows) if rows else _("No variables.")

    def get_changeform_initial_data(self, request):
        """'Add' pre-filled with the catalogue default (…/add/?key=…&channel=sms&language=fr)."""
        initial = super().get_changeform_initial_data(request)
        template = catalog.get(initial.get("key", ""))
        if template is not None:
            default = template.defaults.get(initial.get("channel"), {}).get(initial.get("language", "fr"))
            if default is not None:
                initial.update(subject=default.subject, body=default.body)
        return initial

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.preview_requested = "_preview" in request.POST
        return form

    def save_model(self, request, obj, form, change):
        """Every save is a new version; the one edited stays in the history."""
        saved = services.template_save_version(
            key=obj.key,
            channel=obj.channel,
            language=obj.language,
            subject=obj.subject,
            body=obj.body,
            edited_by=request.user,
            note=obj.note,
        )
        obj.__dict__.update({k: v for k, v in saved.__dict__.items() if not k.startswith("_")})
        obj._state.adding = False
        preview = getattr(form, "preview", None) or {}
        if preview.get("sms_warn"):
            messages.warning(request, _("SMS length: %(info)s") % {"info": preview["sms"]})

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context.get("adminform").form if context.get("adminform") else None
        if form is not None and getattr(form, "preview", None) is None and obj is not None:
            preview = services.template_preview(
                key=obj.key, channel=obj.channel, language=obj.language, subject=obj.subject, body=obj.body
            )
            form.preview = _preview_context(preview, obj.channel, obj.language)
        return super().render_change_form(
            request, context, add=add, change=change, form_url=form_url, obj=obj
        )

    def has_delete_permission(self, request, obj=None):
        return False  # versions are history; deactivate or reset instead

    @admin.action(description=_("Make the selected version the active one"))
    def activate(self, request, queryset):
        for template in queryset:
            services.template_activate(template=template)
        self.message_user(
            request, _("%(n)d version(s) activated.") % {"n": queryset.count()}, messages.SUCCESS
        )

    @admin.action(description=_("Go back to the built-in default text"))
    def reset_to_default(self, request, queryset):
        for template in queryset:
            services.template_reset_to_default(
                key=template.key, channel=template.channel, language=template.language
            )
        self.message_user(request, _("Built-in defaults restored."), messages.SUCCESS)


@admin.register(Message)
class MessageAdmin(PolicyAdminMixin, admin.ModelAdmin):
    """The delivery log: search by phone, e-mail, user id, provider id or idempotency key."""

    policy_permissions = {"view": "notifications.log.view", "requeue": "notifications.log.requeue"}

    list_display = (
        "created_at",
        "template_key",
        "channel",
        "address_or_user",
        "status",
        "provider",
        "attempts",
        "short_reason",
    )
    list_filter = ("status", "channel", "priority", "provider", "category", "template_key")
    search_fields = ("address", "provider_message_id", "idempotency_key", "recipient_key")
    date_hierarchy = "created_at"
    show_full_result_count = False
    list_select_related = ("user",)
    actions = ["requeue"]
    exclude = ("sealed_body",)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Message._meta.fields if f.name != "sealed_body"]

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        try:
            as_uuid = uuid.UUID(term)
        except ValueError:
            return super().get_search_results(request, queryset, search_term)
        return queryset.filter(
            Q(public_id=as_uuid) | Q(recipient_key=str(as_uuid)) | Q(user__public_id=as_uuid)
        ), False

    @admin.display(description=_("recipient"), ordering="address")
    def address_or_user(self, obj):
        return obj.address or (str(obj.user) if obj.user_id else obj.recipient_key)

    @admin.display(description=_("failure reason"))
    def short_reason(self, obj):
        return (obj.failure_reason or obj.last_error)[:80]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not self._policy(request, "requeue"):
            actions.pop("requeue", None)
        return actions

    @admin.action(description=_("Send the selected failed messages again"))
    def requeue(self, request, queryset):
        count = services.messages_requeue(message_ids=list(queryset.values_list("id", flat=True)))
        services.messages_release_due()
        self.message_user(request, _("%(n)d message(s) queued again.") % {"n": count}, messages.SUCCESS)


@admin.register(PushDevice)
class PushDeviceAdmin(PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = {"view": "notifications.device.view"}
    list_display = ("user", "platform", "app", "created_at", "last_seen_at")
    list_filter = ("platform", "app")
    search_fields = ("user__phone", "user__full_name", "public_id")
    readonly_fields = ("user", "token", "platform", "app", "created_at", "last_seen_at", "public_id")

    def has_add_permission(self, request):
        return False


@admin.register(Preference)
class PreferenceAdmin(PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = {
        "view": "notifications.preference.change",
        "change": "notifications.preference.change",
        "add": "notifications.preference.change",
    }
    list_display = ("user", "marketing_opt_out", "quiet_hours_start", "quiet_hours_end", "timezone")
    list_filter = ("marketing_opt_out",)
    search_fields = ("user__phone", "user__full_name")
    raw_id_fields = ("user",)


@admin.register(AddressOptOut)
class AddressOptOutAdmin(PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = {
        "view": "notifications.optout.manage",
        "change": "notifications.optout.manage",
        "add": "notifications.optout.manage",
        "delete": "notifications.optout.manage",
    }
    list_display = ("address", "reason", "created_at")
    search_fields = ("address",)


@admin.register(DeliveryReceipt)
class DeliveryReceiptAdmin(PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = {"view": "notifications.log.view"}
    list_display = ("created_at", "provider", "provider_message_id", "status")
    list_filter = ("provider", "status")
    search_fields = ("provider_message_id",)
    readonly_fields = ("provider", "provider_message_id", "status", "message", "payload", "created_at")

    def has_add_permission(self, request):
        return False

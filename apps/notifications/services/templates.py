"""Template versions edited in the back-office, and previews."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from .. import catalog, rendering
from ..contracts import Channel
from ..errors import TemplateVariableInvalid, UnknownTemplate
from ..models import Template
from ..sms_encoding import SmsLength, measure, normalize_sms


@transaction.atomic
def template_save_version(
    *, key: str, channel: str, language: str, subject: str, body: str, edited_by=None, note: str = ""
) -> Template:
    """Save an edit as a new active version (the previous one stays, inactive)."""
    template = catalog.get(key)
    if template is None:
        raise UnknownTemplate(field="key")
    problems = rendering.template_problems(template, subject, body)
    if problems:
        raise TemplateVariableInvalid(" ".join(problems), field="body")
    list(Template.objects.select_for_update().filter(key=key, channel=channel, language=language))
    latest = Template.objects.filter(key=key, channel=channel, language=language).aggregate(v=Max("version"))[
        "v"
    ]
    Template.objects.filter(key=key, channel=channel, language=language, is_active=True).update(
        is_active=False
    )
    return Template.objects.create(
        key=key,
        channel=channel,
        language=language,
        version=(latest or 0) + 1,
        subject=subject,
        body=body,
        is_active=True,
        edited_by=edited_by,
        note=note,
    )


@transaction.atomic
def template_activate(*, template: Template) -> None:
    """Roll back (or forward) to this version."""
    Template.objects.filter(
        key=template.key, channel=template.channel, language=template.language, is_active=True
    ).update(is_active=False)
    Template.objects.filter(pk=template.pk).update(is_active=True)


@transaction.atomic
def template_reset_to_default(*, key: str, channel: str, language: str) -> int:
    """Deactivate every staff version: the catalogue default applies again."""
    return Template.objects.filter(key=key, channel=channel, language=language, is_active=True).update(
        is_active=False
    )


@dataclass(frozen=True)
class Preview:
    subject: str
    body: str
    sms: SmsLength | None
    problems: list[str]


def template_preview(*, key: str, channel: str, language: str, subject: str, body: str) -> Preview:
    """Render a text with the key's example values, and measure it when it is an SMS."""
    template = catalog.get(key)
    if template is None:
        return Preview(subject="", body="", sms=None, problems=[_("Unknown template key.")])
    problems = rendering.template_problems(template, subject, body)
    if problems:
        return Preview(subject="", body="", sms=None, problems=problems)
    values = rendering.example_values(template, language, settings.TIME_ZONE)
    rendered = rendering.render(body, values)
    sms = None
    if channel == Channel.SMS:
        rendered = normalize_sms(rendered)
        sms = measure(rendered)
    return Preview(subject=rendering.render(subject, values), body=rendered, sms=sms, problems=[])

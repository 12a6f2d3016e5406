"""Templates: every shipped default is complete and cheap; variables are checked before
anything is written; SMS segments are counted as the networks bill them."""

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.notifications import api, catalog, rendering
from apps.notifications.contracts import Channel, TemplateKey
from apps.notifications.models import Message
from apps.notifications.sms_encoding import GSM7_BASIC, measure, normalize_sms
from apps.payments.messages import PAYOUT_CONFIRMATION

from .conftest import RENT, rent_context


@pytest.mark.parametrize("key", sorted(catalog.CATALOG))
def test_every_default_text_uses_only_declared_variables_in_both_languages(key):
    template = catalog.CATALOG[key]
    for channel, texts in template.defaults.items():
        assert set(texts) == {"fr", "en"}, (key, channel)
        for language, text in texts.items():
            assert rendering.template_problems(template, text.subject, text.body) == [], (
                key,
                channel,
                language,
            )
            values = rendering.example_values(template, language, "Africa/Porto-Novo")
            rendered = rendering.render(text.body, values)
            assert "{{" not in rendered
            if channel == Channel.SMS:
                size = measure(normalize_sms(rendered))
                assert size.encoding == "gsm7", (key, language, size.non_gsm_characters)
                assert size.segments <= 2, (key, language, size)


def test_every_template_key_is_in_the_catalogue():
    """Notifications' own keys (identity's and kyc's messages) and each module's registered
    messages are in the catalogue; every key is named after the module that declared it."""
    from django.conf import settings

    assert {k.value for k in TemplateKey} <= set(catalog.CATALOG)
    modules = {app.rsplit(".", 1)[1] for app in settings.HOKWE_APPS} | {"tests"}
    assert {key.split(".", 1)[0] for key in catalog.CATALOG} <= modules
    assert {"estate.rent_notice", "recovery.reminder", "payments.receipt"} <= set(catalog.CATALOG)


def test_a_key_is_registered_once():
    from apps.notifications.api import register_templates

    existing = catalog.CATALOG["estate.rent_notice"]
    register_templates(existing)  # the same definition again (a module imported twice): no-op
    with pytest.raises(ValueError, match="registered twice"):
        register_templates(dataclasses.replace(existing, description="another text"))


def test_segments_gsm7_and_ucs2_limits():
    assert measure("a" * 160).segments == 1
    assert measure("a" * 161).segments == 2
    assert measure("a" * 306).segments == 2
    assert measure("a" * 307).segments == 3
    assert measure("€" * 80).units == 160 and measure("€" * 80).segments == 1  # extension table: 2 septets
    ucs = measure("ê" + "a" * 69)
    assert (ucs.encoding, ucs.segments, ucs.non_gsm_characters) == ("ucs2", 1, ("ê",))
    assert measure("ç" * 71).segments == 2
    assert measure("😀" * 35).units == 70  # outside the BMP: two UTF-16 units each
    assert normalize_sms("l’avis\u00a0« 75\u202f000 »") == 'l\'avis " 75 000 "'


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=sorted(GSM7_BASIC), max_size=500))
def test_gsm7_segment_count_property(text):
    size = measure(text)
    assert size.encoding == "gsm7"
    expected = 0 if not text else 1 if len(text) <= 160 else -(-len(text) // 153)
    assert size.segments == expected


def test_money_and_dates_are_formatted_for_the_recipient_language():
    template = catalog.CATALOG[RENT]
    fr = rendering.format_values(template, rent_context(), language="fr", tz="Africa/Porto-Novo")
    en = rendering.format_values(template, rent_context(), language="en", tz="Africa/Porto-Novo")
    assert normalize_sms(fr["amount"]) == "75 000 FCFA" and fr["due_date"] == "5 mars 2026"
    assert en["amount"] == "75,000\u00a0FCFA" and en["due_date"] == "March 5, 2026"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("context", "error", "field"),
    [
        (rent_context(pay_url=None), api.TemplateVariableMissing, "context.pay_url"),
        (
            {k: v for k, v in rent_context().items() if k != "amount"},
            api.TemplateVariableMissing,
            "context.amount",
        ),
        (rent_context(surprise="x"), api.TemplateVariableUnknown, "context.surprise"),
        (rent_context(amount=75000), api.TemplateVariableInvalid, "context.amount"),
        (
            rent_context(amount={"amount": 1.5, "currency": "XOF"}),
            api.TemplateVariableInvalid,
            "context.amount",
        ),
        (
            rent_context(amount={"amount": 5, "currency": "ZZZ"}),
            api.TemplateVariableInvalid,
            "context.amount",
        ),
        (rent_context(due_date="05/03/2026"), api.TemplateVariableInvalid, "context.due_date"),
        (rent_context(pay_url="javascript:alert(1)"), api.TemplateVariableInvalid, "context.pay_url"),
    ],
)
def test_a_bad_context_is_refused_before_anything_is_written(tenant, context, error, field):
    with pytest.raises(error) as caught:
        api.send(tenant.public_id, RENT, context)
    assert caught.value.field == field
    assert not Message.objects.exists()


@pytest.mark.django_db
def test_missing_variable_message_names_the_variable(tenant):
    with pytest.raises(api.TemplateVariableMissing) as caught:
        api.send("+2290197112233", TemplateKey.OTP, {"purpose": "login", "minutes": 5})
    assert "code" in str(caught.value.message)


@pytest.mark.django_db
def test_unknown_template_and_channel_are_refused(tenant):
    with pytest.raises(api.UnknownTemplate):
        api.send(tenant.public_id, "estate.nope", {})
    with pytest.raises(api.InvalidChannel):
        api.send(tenant.public_id, PAYOUT_CONFIRMATION, {}, channels=["push"])
    with pytest.raises(api.InvalidPriority):
        api.send(tenant.public_id, RENT, rent_context(), priority="otp")

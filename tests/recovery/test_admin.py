"""The back-office: every recovery model is registered under recovery.admin.* permissions;
support staff read cases with their timeline and may change the collector and the next
action, never the money."""

import pytest
from django.contrib import admin
from django.urls import reverse

from apps.identity.api import PolicyAdminMixin
from apps.recovery import models
from tests.identity.test_admin_and_audit import admin_login, staff

pytestmark = pytest.mark.django_db


def test_every_model_is_registered_with_the_policy():
    for model in (
        m for m in vars(models).values() if isinstance(m, type) and m.__module__ == models.__name__
    ):
        if model._meta.abstract:
            continue
        model_admin = admin.site._registry.get(model)
        if model_admin is None:  # an inline of its parent (installments)
            assert model is models.Installment
            continue
        assert isinstance(model_admin, PolicyAdminMixin)
        assert set(model_admin.policy_permissions.values()) <= {
            "recovery.admin.view",
            "recovery.admin.change",
        }


def test_support_reads_a_case_with_its_timeline_and_cannot_touch_money(case):
    user, device = staff("support")
    client, _response = admin_login(user, device)
    listing = client.get(reverse("admin:recovery_case_changelist"))
    assert listing.status_code == 200 and "Brice Zinsou" in listing.content.decode()
    page = client.get(reverse("admin:recovery_case_change", args=[case.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="next_action_on"' in html and 'name="amount_owed"' not in html
    assert "opened" in html  # the timeline inline
    for name in ("promise", "paymentplan", "cashcollection", "cashhandover", "ladder", "caseevent"):
        assert client.get(reverse(f"admin:recovery_{name}_changelist")).status_code == 200

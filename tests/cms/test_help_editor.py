"""The help articles in Wagtail's editor (/cms/snippets/…): a content editor (staff, TOTP,
Wagtail access and the snippet's permissions) lists the articles, opens one with its
revisions and translations, and the create form; someone without them cannot."""

import pytest
from django.contrib.auth.models import Permission
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.cms.demo import seed_help
from apps.cms.models import HelpArticle
from tests.identity.factories import UserFactory
from tests.identity.test_admin_and_audit import admin_login

pytestmark = pytest.mark.django_db


def _editor(*codenames):
    user = UserFactory(is_staff=True, staff_role="support")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    for codename in codenames:
        user.user_permissions.add(Permission.objects.get(content_type__app_label="cms", codename=codename))
    browser, response = admin_login(user, TOTPDevice.objects.create(user=user, name="phone", confirmed=True))
    assert response.status_code == 302
    return browser


def test_an_editor_lists_opens_and_creates_help_articles():
    seed_help({})
    browser = _editor("add_helparticle", "change_helparticle", "publish_helparticle", "view_helparticle")
    listing = browser.get("/cms/snippets/cms/helparticle/")
    assert listing.status_code == 200 and "Comment payer mon loyer par MoMo ?" in listing.content.decode()
    article = HelpArticle.objects.get(slug="payer-loyer-momo")
    edit = browser.get(f"/cms/snippets/cms/helparticle/edit/{article.pk}/")
    assert edit.status_code == 200 and "payer-loyer-momo" in edit.content.decode()
    assert browser.get("/cms/snippets/cms/helparticle/add/").status_code == 200


def test_without_the_snippet_permissions_the_articles_are_refused():
    seed_help({})
    browser = _editor()
    assert browser.get("/cms/snippets/cms/helparticle/").status_code in (302, 403)

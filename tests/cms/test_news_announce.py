"""HokweNews announcements: a post is announced once to its audience (push or SMS), through
notifications' bulk send (quiet hours, preferences and opt-outs apply), in each person's
language; re-publishing never sends again. The audience comes from the modules that know it
(estate registers its tenants, landlords and agencies with cms.api)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from apps.cms import api as cms
from apps.cms.models import NewsAnnouncement
from apps.cms.services import news as news_service
from apps.estate.models import Lease, LeaseTenant
from apps.notifications import services as notification_services
from apps.notifications.models import Message
from apps.notifications.sms_encoding import measure
from tests.estate.factories import MandateFactory, OwnerOrgFactory, PropertyFactory, UnitFactory
from tests.identity.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.notifications.conftest import _notification_settings  # noqa: F401 -- notifications' test settings (autouse)
from tests.notifications.test_send import _quiet_now

from .news_helpers import post

pytestmark = pytest.mark.django_db


@pytest.fixture
def send_now(django_capture_on_commit_callbacks):
    """Run what was queued after commit (eager Celery delivers in-process), as notifications'
    own tests do."""

    def run(func, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return func(*args, **kwargs)

    return run


def _lease(unit, tenant) -> Lease:
    lease = Lease.objects.create(
        organization=unit.organization,
        unit=unit,
        reference=f"BAIL-2026-{unit.pk:06d}",
        start_date=date(2026, 1, 1),
        rent=75_000,
    )
    LeaseTenant.objects.create(lease=lease, user=tenant, is_primary=True)
    return lease


@pytest.fixture
def people(db):
    """In Cotonou (BJ): a tenant, their landlord, the managing agency's manager; in Abidjan
    (CI): another tenant; and a tenant whose lease ended."""
    agency = OrganizationFactory(name="Agence Les Cocotiers", kind="agency")
    manager = MembershipFactory(organization=agency, role="manager").user
    owner = OwnerOrgFactory(name="Famille Houngbo")
    landlord = MembershipFactory(organization=owner, role="owner").user
    cotonou = PropertyFactory(
        mandate=MandateFactory(agency=agency, owner=owner), city="Cotonou", country="BJ"
    )
    abidjan = PropertyFactory(city="Abidjan", country="CI")
    tenant = UserFactory(full_name="Brice Zinsou", phone="+2290197112233", preferred_language="fr")
    _lease(UnitFactory(property=cotonou), tenant)
    ivorian = UserFactory(full_name="Awa Koné", phone="+2250707123456", preferred_language="fr")
    _lease(UnitFactory(property=abidjan), ivorian)
    former = UserFactory(full_name="Ancien Locataire")
    ended = _lease(UnitFactory(property=cotonou), former)
    Lease.objects.filter(pk=ended.pk).update(status="ended")
    return {"tenant": tenant, "ivorian": ivorian, "landlord": landlord, "manager": manager, "former": former}


def _announce(send_now):
    return send_now(news_service.announce_due)


def test_estate_registers_its_audience_with_cms(people):
    assert "estate" in news_service.audience_sources()
    ids = lambda **kw: set(cms.news_audience(**kw))  # noqa: E731
    p = {name: str(user.public_id) for name, user in people.items()}
    assert ids(audience="tenants", country="BJ") == {p["tenant"]}
    assert ids(audience="tenants") == {p["tenant"], p["ivorian"]}
    assert ids(audience="tenants", country="BJ", city="cotonou") == {p["tenant"]}
    assert ids(audience="landlords", country="BJ") == {p["landlord"]}
    assert ids(audience="agencies", country="BJ") == {p["manager"]}
    assert ids(audience="everyone", country="BJ") == {p["tenant"], p["landlord"], p["manager"]}


def test_an_sms_announcement_reaches_the_audience_once_in_gsm7(people, send_now):
    page = post(
        title="Fête des locataires : ça commence à Cotonou, êtes-vous prêts ?",
        audience="tenants",
        country="BJ",
        announce="sms",
    )
    assert _announce(send_now) == 1
    sms = Message.objects.get(template_key="cms.news_announcement")
    assert sms.user == people["tenant"] and sms.channel == "sms" and sms.status == "sent"
    assert sms.body.startswith("Hokwe : Fete des locataires : ca commence à Cotonou, etes-vous prets ?")
    assert page.get_full_url() in sms.body
    assert measure(sms.body).encoding == "gsm7" and sms.encoding == "gsm7"
    announcement = NewsAnnouncement.objects.get()
    assert (announcement.translation_key, announcement.recipients) == (page.translation_key, 1)

    # re-published (an edit), the task running again, a second worker: nothing more is sent
    page.title = "Fête des locataires, nouvelle date"
    page.save_revision().publish()
    assert _announce(send_now) == 0
    assert send_now(news_service.announce, page) is None
    assert Message.objects.filter(template_key="cms.news_announcement").count() == 1
    assert NewsAnnouncement.objects.count() == 1


def test_the_beat_task_announces_a_post_when_it_goes_live(people, send_now, time_machine):
    from apps.cms import tasks

    time_machine.move_to("2026-12-04T09:00:00+00:00", tick=False)
    go_live = timezone.now() + timedelta(hours=1)
    page = post(publish=False, title="Programmé", audience="landlords", announce="push", go_live_at=go_live)
    page.save_revision().publish()
    send_now(tasks.news_publish_scheduled)
    assert not Message.objects.exists()
    time_machine.move_to(go_live + timedelta(minutes=1), tick=False)
    assert send_now(tasks.news_publish_scheduled) == {"announced": 1}
    channels = set(Message.objects.filter(user=people["landlord"]).values_list("channel", flat=True))
    assert channels == {"inapp"} | ({"push"} & channels)  # push only when the landlord has a device
    inbox = Message.objects.get(channel="inapp")
    assert inbox.subject == "Programmé" and inbox.action_url == page.get_full_url()
    assert send_now(tasks.news_publish_scheduled) == {"announced": 0}


def test_quiet_hours_defer_the_sms_and_an_opt_out_suppresses_it(people, send_now):
    _quiet_now(people["tenant"])
    notification_services.preference_update(user=people["landlord"], marketing_opt_out=True)
    post(title="Nouveau : les quittances par SMS", audience="everyone", country="BJ", announce="sms")
    _announce(send_now)
    by_user = {m.user_id: m for m in Message.objects.filter(template_key="cms.news_announcement")}
    held = by_user[people["tenant"].pk]
    assert held.status == "queued" and held.not_before > timezone.now() + timedelta(minutes=50)
    assert by_user[people["manager"].pk].status == "sent"
    assert by_user[people["landlord"].pk].status == "suppressed"  # opted out of marketing: not sent
    assert NewsAnnouncement.objects.get().recipients == 3  # the audience, before preferences


def test_english_speakers_read_the_english_version(people, send_now):
    from .news_helpers import translate

    people["manager"].preferred_language = "en"
    people["manager"].save()
    page = post(title="Hokwe à Abidjan", audience="agencies", announce="sms")
    english = translate(page, title="Hokwe in Abidjan", slug="hokwe-in-abidjan")
    _announce(send_now)
    sms = Message.objects.get(user=people["manager"])
    assert sms.body == f"Hokwe: Hokwe in Abidjan. Read more: {english.get_full_url()}"
    assert NewsAnnouncement.objects.count() == 1  # one post, two languages: one announcement


def test_no_announcement_for_posts_without_one_or_that_went_live_long_ago(people, send_now, time_machine):
    post(title="Sans annonce", audience="tenants")
    time_machine.move_to(timezone.now() - timedelta(days=3), tick=False)
    post(title="Ancien billet", audience="tenants", announce="sms")
    time_machine.move_to(timezone.now() + timedelta(days=3), tick=False)
    assert _announce(send_now) == 0
    assert not Message.objects.exists() and not NewsAnnouncement.objects.exists()


def test_a_draft_is_never_announced(people, send_now):
    post(publish=False, title="Brouillon", audience="tenants", announce="sms")
    assert _announce(send_now) == 0 and not Message.objects.exists()


def test_a_large_audience_goes_out_in_chunks_and_a_stopped_run_resumes_without_repeats(
    people, send_now, settings
):
    from apps.core.models import OutboxEvent
    from apps.notifications.contracts import SendRequest

    settings.CMS_NEWS_ANNOUNCE_CHUNK = 1  # one recipient per transaction
    page = post(title="Nouveau : les quittances par SMS", audience="everyone", country="BJ", announce="sms")
    audience = news_service.audience_user_ids(audience="everyone", country="BJ")
    assert len(audience) == 3
    # a run that stopped after its first chunk: the row claimed, one message written
    NewsAnnouncement.objects.create(
        translation_key=page.translation_key,
        page_id=page.pk,
        channel="sms",
        audience="everyone",
        country="BJ",
    )
    from apps.notifications import api as notifications

    send_now(
        notifications.send_many,
        [
            SendRequest(
                recipient=audience[0],
                template_key="cms.news_announcement",
                context=news_service.announcement_context(page, channel="sms"),
                channels=("sms",),
                idempotency_key=f"cms.news:{page.translation_key}",
            )
        ],
    )
    assert _announce(send_now) == 1  # the beat finds it incomplete and finishes it
    sent = Message.objects.filter(template_key="cms.news_announcement")
    assert sorted(str(m.user.public_id) for m in sent) == sorted(audience)  # each once
    announcement = NewsAnnouncement.objects.get()
    assert announcement.completed_at is not None and announcement.recipients == 3
    assert OutboxEvent.objects.filter(name="cms.NewsAnnounced").count() == 1
    assert _announce(send_now) == 0 and sent.count() == 3


def test_the_sms_text_folds_french_accents_outside_gsm7():
    assert news_service.sms_text("Fête à Porto-Novo : l’été, ça sera « super » 🎉", limit=80) == (
        'Fete à Porto-Novo : l\'été, ca sera " super "'
    )
    long = news_service.sms_text("mot " * 40, limit=30)
    assert len(long) <= 30 and long.endswith("...")


def test_support_reads_the_announcements_in_the_admin_and_cannot_change_them(people, send_now):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.identity.test_admin_and_audit import admin_login

    post(title="Coupure programmée", audience="tenants", country="BJ", announce="sms")
    _announce(send_now)
    announcement = NewsAnnouncement.objects.get()
    staff = UserFactory(is_staff=True, is_superuser=True, staff_role="support")
    browser, response = admin_login(
        staff, TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    )
    assert response.status_code == 302
    listing = browser.get("/admin/cms/newsannouncement/")
    assert listing.status_code == 200 and "Coupure programmée" in listing.content.decode()
    page = browser.get(f"/admin/cms/newsannouncement/{announcement.pk}/change/")
    assert page.status_code == 200
    assert 'name="recipients"' not in page.content.decode()  # read only: shown, not editable

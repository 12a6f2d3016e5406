"""CreatorStudio's pages in a browser (Chromium through Playwright): at 390 px and 1366 px no
horizontal overflow and no console error — the creator's profile, open jobs, a job with its
files and the upload form; the agency's jobs, a delivered job to review, the confirmation
before paying."""

from __future__ import annotations

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.ads.services import creators
from tests.fixtures.ads import creators_job, creators_png, creators_world
from tests.fixtures.browser import check_widths, session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("ADS_SHOTS", "")


def test_creator_and_agency_pages_fit_a_phone_and_a_laptop(browser, live_server):
    world = creators_world(balance=200_000)
    job = creators_job(
        world,
        title="Photos et vidéo d'un appartement trois pièces avec un très long titre à Haie Vive",
        price=45_000,
    )
    creators_job(world, title="Reportage du studio", price=15_000)
    creators.job_take(actor=world.creator_user, job=job.public_id)
    for color in ((200, 120, 40), (40, 120, 200)):
        creators.deliverable_upload(
            actor=world.creator_user,
            job=job.public_id,
            upload=SimpleUploadedFile("p.png", creators_png(size=(800, 600), color=color)),
            caption="Salon lumineux",
        )
    problems: list = []
    console: list = []

    context = browser.new_context(locale="fr-FR")
    context.add_cookies([session_cookie(world.creator_user, live_server.url)])
    page = context.new_page()
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    for name, url in (
        ("creator-home", reverse("ads:creators-home")),
        ("creator-open", reverse("ads:creators-open")),
        ("creator-jobs", reverse("ads:creators-jobs")),
        ("creator-job", reverse("ads:creators-job", args=[job.public_id])),
    ):
        page.goto(live_server.url + url)
        check_widths(page, name, problems, console, shots=SHOTS)
    page.click("[data-testid=deliver]")
    page.wait_for_selector("[data-testid=job-status]")
    context.close()

    context = browser.new_context(locale="fr-FR")
    context.add_cookies([session_cookie(world.manager, live_server.url)])
    page = context.new_page()
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    for name, url in (
        ("agency-jobs", reverse("manager:ads-jobs")),
        ("agency-job", reverse("manager:ads-job", args=[job.public_id])),
        ("agency-accept", reverse("manager:ads-job-accept", args=[job.public_id])),
    ):
        page.goto(live_server.url + url)
        check_widths(page, name, problems, console, shots=SHOTS)
    assert page.locator("[data-testid=confirm-yes]").is_visible()
    context.close()
    assert not problems, problems

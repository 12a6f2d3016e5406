"""The vault's share links: expiring, revocable, optionally opened with an SMS code; an expired
or revoked link is a French 410 page; the state machine under any sequence of actions
(hypothesis); and the Done-when: a quittance appears in the tenant's vault."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from apps.cms import api as cms
from apps.cms.contracts import OpenedDocument
from apps.cms.errors import VaultShareCodeInvalid, VaultShareCodeLocked, VaultShareGone
from apps.cms.models import VaultAccess, VaultDocument, VaultShare
from apps.cms.services import vault as svc
from tests.helpers import bearer_client, gql
from tests.identity.factories import MembershipFactory, OrganizationFactory, UserFactory

PDF = b"%PDF-1.4\n%%EOF\n"


def _opener(source_id):
    return OpenedDocument(PDF, "application/pdf", f"releve-{source_id}.pdf")


@pytest.fixture
def org(db):
    return OrganizationFactory(name="Agence Partage")


@pytest.fixture
def manager(org):
    return MembershipFactory(organization=org, role="manager").user


@pytest.fixture
def document(org):
    cms.register_document_source("tests.statement", _opener)
    (public_id,) = cms.file_generated_document(
        kind="owner_statement",
        title="Relevé de gérance février 2026",
        source="tests.statement",
        source_id="s1",
        organization_id=org.pk,
    ).public_ids
    return VaultDocument.objects.get(public_id=public_id)


def _link(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_a_link_opens_the_document_until_it_is_revoked_then_410_in_french(manager, document):
    api = bearer_client(manager)
    made = api.post(f"/api/v1/cms/vault/documents/{document.public_id}/shares", {"hours": 2}, format="json")
    assert made.status_code == 201 and made.json()["state"] == "active" and made.json()["with_code"] is False
    link = _link(made.json()["url"])
    anyone = Client()
    page = anyone.get(link)
    assert page.status_code == 200 and "Relevé de gérance février 2026" in page.content.decode()
    download = anyone.post(link, {"action": "download"})
    assert download.status_code == 200 and download.content == PDF
    revoked = api.post(f"/api/v1/cms/vault/shares/{made.json()['id']}/revoke")
    assert revoked.status_code == 200 and revoked.json()["state"] == "revoked"
    gone = anyone.get(link)
    assert gone.status_code == 410
    assert "Ce lien ne fonctionne plus" in gone.content.decode() and 'lang="fr"' in gone.content.decode()
    assert anyone.post(link, {"action": "download"}).status_code == 410
    assert anyone.get("/vault/s/made-up-token/").status_code == 404
    actions = list(
        VaultAccess.objects.filter(document=document).order_by("id").values_list("action", flat=True)
    )
    assert actions == ["file", "share", "share_open", "revoke"]


def test_an_expired_link_is_410(manager, document, time_machine):
    share, token = svc.share_create(actor=manager, document_id=document.public_id, hours=1)
    time_machine.move_to(timezone.now() + timedelta(hours=1, seconds=1))
    response = Client().get(f"/vault/s/{token}/")
    assert response.status_code == 410 and "Ce lien ne fonctionne plus" in response.content.decode()


def test_a_link_with_a_code_opens_after_the_sms_code_and_locks_after_wrong_ones(manager, document, settings):
    from apps.notifications.models import Message

    settings.CMS_VAULT_SHARE_OTP_ATTEMPTS = 3
    made = gql(
        bearer_client(manager),
        f'mutation {{ cmsVaultShareCreate(documentId: "{document.public_id}", hours: 24, phone: "+2290197000123") '
        "{ ok errors { code } share { url withCode state } } }",
    )["cmsVaultShareCreate"]
    assert made["ok"] and made["share"]["withCode"] is True
    link = _link(made["share"]["url"])
    anyone = Client()
    page = anyone.get(link)
    assert "123" in page.content.decode() and "vault-share-download" not in page.content.decode()
    assert anyone.post(link, {"action": "download"}).status_code == 400  # no code yet: no bytes
    anyone.post(link, {"action": "send"})
    sms = Message.objects.get(template_key="cms.vault_share_code", channel="sms")
    assert sms.address == "+2290197000123"
    code = re.search(r"\b(\d{6})\b", sms.body).group(1)
    wrong = anyone.post(link, {"action": "verify", "code": "000000" if code != "000000" else "111111"})
    assert wrong.status_code == 400 and "Le code est faux" in wrong.content.decode()
    assert anyone.post(link, {"action": "verify", "code": code}).status_code == 200
    download = anyone.post(link, {"action": "download"})
    assert download.status_code == 200 and download.content == PDF
    # another browser with the link but not the code gets nothing, and wrong codes lock it
    stranger = Client()
    for _ in range(2):
        stranger.post(link, {"action": "verify", "code": "999999"})
    locked = stranger.post(link, {"action": "verify", "code": "999999"})
    assert locked.status_code == 410 and "Trop de codes faux" in locked.content.decode()


# --- the share link's state machine -----------------------------------------------------------


class ShareMachine(RuleBasedStateMachine):
    """Any sequence of revoke, time passing, wrong or right codes and openings: a link opens
    only while it is neither revoked, expired nor locked, with its code verified; once gone
    it never comes back."""

    @initialize()
    def setup(self):
        from django.conf import settings as dj

        org = OrganizationFactory()
        self.manager = MembershipFactory(organization=org, role="owner").user
        cms.register_document_source("tests.statement", _opener)
        (public_id,) = cms.file_generated_document(
            kind="owner_statement",
            title="R",
            source="tests.statement",
            source_id=str(org.pk),
            organization_id=org.pk,
        ).public_ids
        self.share, self.token = svc.share_create(
            actor=self.manager, document_id=public_id, hours=3, phone="+2290197000999"
        )
        self.now = timezone.now()
        self.expires = self.share.expires_at
        self.revoked = False
        self.failures = 0
        self.verified = False
        self.gone_seen = False
        self.limit = dj.CMS_VAULT_SHARE_OTP_ATTEMPTS

    def _gone(self) -> bool:
        return self.revoked or self.now >= self.expires or self.failures >= self.limit

    def _clock(self):
        from unittest import mock

        return mock.patch("django.utils.timezone.now", return_value=self.now)

    @rule()
    def revoke(self):
        svc.share_revoke(actor=self.manager, share_id=self.share.public_id)
        self.revoked = True

    @rule(minutes=st.integers(min_value=1, max_value=120))
    def time_passes(self, minutes):
        self.now += timedelta(minutes=minutes)

    @rule()
    def wrong_code(self):
        with self._clock():
            try:
                svc.share_verify_code(self.token, "abc")
            except VaultShareCodeLocked:
                assert self._gone() or self.failures + 1 >= self.limit
                if not self._gone():
                    self.failures += 1
            except VaultShareGone:
                assert self._gone()
            except VaultShareCodeInvalid:
                assert not self._gone()
                self.failures += 1
            else:
                raise AssertionError("a wrong code was accepted")

    @rule()
    def right_code(self):
        code = "123456"
        VaultShare.objects.filter(pk=self.share.pk).update(otp_hash=svc._code_hash(self.share, code))
        with self._clock():
            try:
                svc.share_verify_code(self.token, code)
            except VaultShareGone:
                assert self._gone()
            else:
                assert not self._gone()
                self.verified = True

    @rule()
    def open(self):
        with self._clock():
            try:
                svc.share_open(self.token, verified=self.verified)
            except VaultShareGone:
                assert self._gone()
                self.gone_seen = True
            except VaultShareCodeInvalid:
                assert not self._gone() and not self.verified
            else:
                assert not self._gone() and self.verified
                assert not self.gone_seen  # once gone, never back

    @invariant()
    def state_matches(self):
        if not hasattr(self, "share"):
            return
        row = VaultShare.objects.get(pk=self.share.pk)
        expected = (
            "revoked"
            if self.revoked
            else "expired"
            if self.now >= self.expires
            else "locked"
            if self.failures >= self.limit
            else "active"
        )
        assert row.state(self.now) == expected


@pytest.mark.django_db
def test_the_share_link_state_machine():
    ShareMachine.TestCase.settings = settings(
        max_examples=25, stateful_step_count=12, deadline=None, suppress_health_check=list(HealthCheck)
    )
    ShareMachine.TestCase().runTest()


# --- Done when: a quittance appears in the tenant's vault -------------------------------------


def test_a_quittance_appears_in_the_tenant_vault_and_opens(db, time_machine):
    from apps.estate import services
    from apps.estate.models import Quittance
    from tests.estate.conftest import make_lease
    from tests.estate.factories import MandateFactory, PropertyFactory, UnitFactory

    time_machine.move_to("2026-03-10T11:00:00+00:00", tick=False)
    agency = OrganizationFactory(name="Agence Quittances", kind="agency")
    manager = MembershipFactory(organization=agency, role="manager").user
    unit = UnitFactory(
        property=PropertyFactory(mandate=MandateFactory(agency=agency, start_date=date(2025, 1, 1))),
        label="B2",
        market_rent=75_000,
    )
    tenant = UserFactory(full_name="Brice Zinsou")
    lease = make_lease(manager, unit, tenant)
    services.payment_record(actor=manager, lease=lease, amount=400_000, method="bank_transfer")
    quittances = list(Quittance.objects.filter(due__lease=lease, voided_at=None))
    assert quittances
    mine = bearer_client(tenant).get("/api/v1/cms/vault/documents", {"kind": "quittance"}).json()["results"]
    expected = {str(q.public_id) for q in quittances if q.snapshot["kind"] in ("rent", "opening")}
    filed = VaultDocument.objects.filter(source="estate.quittance", user=tenant, kind="quittance")
    assert {r.source_id for r in filed} == expected and len(mine) == len(expected)
    assert all(d["name"].startswith("Quittance") for d in mine)
    assert VaultDocument.objects.filter(source="estate.quittance", organization=agency).count() == len(
        quittances
    )
    # opened through estate (rendered from its frozen snapshot), never copied into the vault
    download = bearer_client(tenant).get(f"/api/v1/cms/vault/documents/{mine[0]['id']}/download")
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    assert all(r.storage_name == "" for r in filed)
    page = Client()
    page.force_login(tenant)
    assert "Quittance" in page.get("/me/vault/").content.decode()

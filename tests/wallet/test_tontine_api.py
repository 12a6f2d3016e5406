"""Cotis'Hokwe on REST and GraphQL: create, invite, accept by OTP (identity's step-up routes),
start (the seed revealed), the group's page (rounds, who paid, who is next), contribute, bid;
strict bodies, problem details, and a non-member never sees a group."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.identity import api as identity
from apps.ledger import api as ledger
from apps.wallet.services import tontine, tontine_rounds, wallets
from tests.helpers import bearer_client, gql
from tests.identity.conftest import SmsInbox
from tests.identity.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbox():
    box = SmsInbox()
    identity.set_otp_sender(box)
    yield box
    identity.set_otp_sender(None)


def _accept_by_rest(client, user, invitation_id, inbox):
    started = client.post(
        "/api/v1/auth/step-up",
        {"action": "wallet.tontine.accept", "target": str(invitation_id)},
        format="json",
        HTTP_IDEMPOTENCY_KEY=f"su-{invitation_id}",
    )
    assert started.status_code == 201, started.content
    proof = client.post(
        "/api/v1/auth/step-up/verify",
        {"challenge_id": started.json()["challenge_id"], "code": inbox.last_code(user.phone)},
        format="json",
    )
    assert proof.status_code == 200, proof.content
    return client.post(
        f"/api/v1/wallet/tontines/invitations/{invitation_id}/accept",
        {"step_up_token": proof.json()["step_up_token"]},
        format="json",
    )


def test_a_group_through_rest_from_creation_to_the_first_pot(inbox, fund):
    organiser, *others = [UserFactory(full_name=f"Membre {i}") for i in range(3)]
    outsider = UserFactory()
    client = bearer_client(organiser)
    start = timezone.localdate() + timedelta(days=2)
    body = {
        "name": "Tontine des voisins",
        "contribution": 5_000,
        "currency": "XOF",
        "frequency": "weekly",
        "start_date": start.isoformat(),
        "max_members": 3,
        "order_method": "drawn",
        "commission_bps": 100,
    }
    refused = client.post("/api/v1/wallet/tontines", {**body, "colour": "red"}, format="json")
    assert refused.status_code == 400 and "colour" in refused.content.decode()
    over = client.post("/api/v1/wallet/tontines", {**body, "commission_bps": 5_000}, format="json")
    assert over.status_code == 400 and over.json()["code"] == "tontine_invalid"
    created = client.post("/api/v1/wallet/tontines", body, format="json", HTTP_IDEMPOTENCY_KEY="create-1")
    assert created.status_code == 201, created.content
    again = client.post("/api/v1/wallet/tontines", body, format="json", HTTP_IDEMPOTENCY_KEY="create-1")
    assert again.json()["id"] == created.json()["id"]
    group_id = created.json()["id"]
    draw = created.json()["draw"]
    assert draw["seed"] is None and len(draw["seed_hash"]) == 64
    invited = client.post(
        f"/api/v1/wallet/tontines/{group_id}/invitations",
        {"phones": [str(u.phone) for u in others]},
        format="json",
        HTTP_IDEMPOTENCY_KEY="invite-1",
    )
    assert invited.status_code == 201, invited.content
    # a non-member sees nothing, and cannot act
    stranger = bearer_client(outsider)
    assert stranger.get(f"/api/v1/wallet/tontines/{group_id}").status_code == 404
    assert stranger.post(f"/api/v1/wallet/tontines/{group_id}/start", {}, format="json").status_code == 404
    assert stranger.get("/api/v1/wallet/tontines").json() == []
    # the invitees see the group, and accept with the SMS code of a step-up
    for user, seat in zip(others, invited.json(), strict=True):
        member_client = bearer_client(user)
        page = member_client.get(f"/api/v1/wallet/tontines/{group_id}").json()
        assert page["my_invitation"] == seat["id"] and page["my_seat"] is None
        no_proof = member_client.post(
            f"/api/v1/wallet/tontines/invitations/{seat['id']}/accept", {}, format="json"
        )
        assert no_proof.status_code in (401, 403) and no_proof.json()["code"] == "step_up_required"
        accepted = _accept_by_rest(member_client, user, seat["id"], inbox)
        assert accepted.status_code == 200 and accepted.json()["status"] == "active", accepted.content
    started = client.post(f"/api/v1/wallet/tontines/{group_id}/start", {}, format="json")
    assert started.status_code == 200, started.content
    draw = started.json()["draw"]
    assert hashlib.sha256(draw["seed"].encode()).hexdigest() == draw["seed_hash"]
    order = sorted(
        draw["member_ids"], key=lambda m: hashlib.sha256(f"{draw['seed']}:{m}".encode()).hexdigest()
    )
    assert order == draw["order"]
    page = started.json()
    assert [r["beneficiary"] for r in page["rounds"]] == order
    assert page["next_round"] == 1 and page["next_beneficiary"] == order[0]
    # each pays round 1 from the wallet (one through REST, the others by the daily run)
    for user in (organiser, *others):
        fund(wallets.wallet_for(user, "XOF"), 20_000)
    paid = client.post(
        f"/api/v1/wallet/tontines/{group_id}/contributions", {}, format="json", HTTP_IDEMPOTENCY_KEY="pay-1"
    )
    assert paid.status_code == 201 and paid.json()["status"] == "paid", paid.content
    replay = client.post(
        f"/api/v1/wallet/tontines/{group_id}/contributions", {}, format="json", HTTP_IDEMPOTENCY_KEY="pay-1"
    )
    assert replay.json()["id"] == paid.json()["id"]
    group = tontine.group_get(organiser, group_id)
    assert ledger.balance(account=group.pot_account).posted == 5_000
    tontine_rounds.close_due_rounds(start)
    tontine_rounds.close_due_rounds(start + timedelta(days=2))
    page = client.get(f"/api/v1/wallet/tontines/{group_id}").json()
    first = page["rounds"][0]
    assert first["status"] == "paid" and first["paid_out"]["amount"] == 15_000 - 150
    assert {c["status"] for c in first["contributions"]} == {"paid"}
    assert page["next_round"] == 2 and page["next_beneficiary"] == order[1]


def test_graphql_create_invite_start_and_bid(tontine_group):
    world = tontine_group(n=3, order="bidding", start=False)
    client = bearer_client(world.users[0])
    data = gql(
        client,
        "mutation($g: UUID!) { walletStartTontine(groupId: $g) { ok errors { code } "
        "tontine { status nextRound draw { seedHash seed } rounds { number beneficiary } } } }",
        {"g": str(world.group.public_id)},
    )["walletStartTontine"]
    assert data["ok"], data
    assert data["tontine"]["status"] == "active" and data["tontine"]["rounds"][0]["beneficiary"] is None
    member = bearer_client(world.users[1])
    bid = gql(
        member,
        "mutation($g: UUID!) { walletBidTontine(groupId: $g, discount: 2000) { ok errors { code } "
        "bid { round discount { amount } } } }",
        {"g": str(world.group.public_id)},
    )["walletBidTontine"]
    assert bid["ok"] and bid["bid"]["discount"]["amount"] == 2_000
    too_much = gql(
        member,
        "mutation($g: UUID!) { walletBidTontine(groupId: $g, discount: 900000) { ok errors { code field } } }",
        {"g": str(world.group.public_id)},
    )["walletBidTontine"]
    assert not too_much["ok"] and too_much["errors"][0]["code"] == "tontine_invalid"
    outsider = bearer_client(UserFactory())
    hidden = gql(
        outsider,
        "query($g: UUID!) { walletTontine(groupId: $g) { id name } }",
        {"g": str(world.group.public_id)},
    )
    assert hidden["walletTontine"] is None
    listed = gql(member, "{ walletTontines { id name } }")["walletTontines"]
    assert [row["id"] for row in listed] == [str(world.group.public_id)]
    page = gql(
        member,
        "query($g: UUID!) { walletTontine(groupId: $g) { mySeat myNextDue { round amount { amount } } "
        "members { name phone received } } }",
        {"g": str(world.group.public_id)},
    )["walletTontine"]
    assert page["myNextDue"] == {"round": 1, "amount": {"amount": 10_000}}
    assert sum(1 for m in page["members"] if "*" not in m["phone"]) == 1  # only my own number in full


def test_graphql_create_and_invite(inbox):
    organiser, invitee = UserFactory(), UserFactory()
    client = bearer_client(organiser)
    start = (timezone.localdate() + timedelta(days=5)).isoformat()
    created = gql(
        client,
        'mutation($d: Date!) { walletCreateTontine(name: "Tontine GQL", contribution: 2500, currency: "XOF", '
        'frequency: "monthly", startDate: $d, maxMembers: 4, orderMethod: "fixed", commissionBps: 50) '
        "{ ok errors { code field } tontine { id status contribution { amount } draw { seedHash } } } }",
        {"d": start},
    )["walletCreateTontine"]
    assert created["ok"], created
    group_id = created["tontine"]["id"]
    invited = gql(
        client,
        "mutation($g: UUID!, $p: [String!]!) { walletInviteTontineMembers(groupId: $g, phones: $p) "
        "{ ok errors { code } seats { id phone status } } }",
        {"g": group_id, "p": [str(invitee.phone)]},
    )["walletInviteTontineMembers"]
    assert invited["ok"] and invited["seats"][0]["status"] == "invited"
    seat_id = invited["seats"][0]["id"]
    challenge = identity.step_up_start(actor=invitee, action="wallet.tontine.accept", target=seat_id)
    proof = identity.step_up_verify(
        actor=invitee, challenge_id=challenge.challenge_id, code=inbox.last_code(invitee.phone)
    )
    accepted = gql(
        bearer_client(invitee),
        "mutation($i: UUID!, $t: String) { walletAcceptTontineInvitation(invitationId: $i, stepUpToken: $t) "
        "{ ok errors { code } seat { status } } }",
        {"i": seat_id, "t": proof.token},
    )["walletAcceptTontineInvitation"]
    assert accepted["ok"] and accepted["seat"]["status"] == "active", accepted


# --- admin (finance and compliance: disputes) -------------------------------------------------------


def test_finance_reads_a_group_in_the_admin_and_changes_nothing(tontine_group):
    from tests.wallet.test_safeguarding import admin_client

    world = tontine_group(n=3)
    tontine_rounds.close_due_rounds(world.group.rounds.get(number=1).due_date)
    finance = admin_client(UserFactory(is_staff=True, staff_role="finance"))
    listing = finance.get(f"/admin/wallet/tontinegroup/?q={world.group.public_id}")
    assert listing.status_code == 200 and world.group.name in listing.content.decode()
    detail = finance.get(f"/admin/wallet/tontinegroup/{world.group.pk}/change/")
    page = detail.content.decode()
    assert detail.status_code == 200 and world.group.seed not in page  # the seed is not shown there
    contributions = finance.get("/admin/wallet/tontinecontribution/?status=paid")
    assert contributions.status_code == 200
    assert finance.post(f"/admin/wallet/tontinegroup/{world.group.pk}/delete/").status_code == 403
    support = admin_client(UserFactory(is_staff=True, staff_role="support"))
    assert support.get("/admin/wallet/tontinegroup/").status_code == 403

"""The wallet's money actions as pages (apps/wallet/web/actions.py), in French, through core's
confirmation page: withdrawal to my own number (the authenticator app's code; without an app,
the page that says where to add one), cancelling a held transfer, paying a rent due from the
wallet (an SMS code above WALLET_RENT_STEP_UP_ABOVE), paying my tontine contribution now (the
payout order and the drawn order's proof on the group's page), a HokweSplit plan started,
a saving paid now and the savings taken back by the plan's rule. Nothing moves before the
confirmation; every refusal is said on the page."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from apps.ledger import api as ledger
from apps.wallet.models import P2pTransfer, RentPayment, SplitPlan, TontineContribution, Withdrawal
from apps.wallet.services import p2p, split, wallets
from tests.identity.factories import UserFactory

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode()


def balance(user, currency="XOF") -> int:
    return ledger.balance(account=wallets.wallet_for(user, currency).account).posted


def errors(response) -> str:
    found = re.findall(
        r'(?:data-testid="(?:field|form)-error"|data-testid="confirm-errors"|class="field-error" role="alert")>'
        r"(?:<li>|<p>)?([^<]+)<",
        text(response),
    )
    return " ".join(found)


@pytest.fixture
def tenant(db):
    return UserFactory(full_name="Brice Zinsou", phone="+2290197330001", preferred_language="fr")


@pytest.fixture
def sms():
    from apps.identity import api as identity
    from tests.identity.conftest import SmsInbox

    inbox = SmsInbox()
    identity.set_otp_sender(inbox)
    yield inbox
    identity.set_otp_sender(None)


# --- withdrawal -----------------------------------------------------------------------------------


def test_an_sms_only_tenant_is_shown_where_to_add_an_authenticator_app(tenant, fund):
    from apps.identity import api as identity

    fund(wallets.wallet_for(tenant), 30_000)
    page = client_for(tenant).get(reverse("wallet:withdraw"))
    assert page.status_code == 200
    body = text(page)
    assert 'data-testid="need-factor"' in body
    assert f'href="{identity.SECOND_FACTOR_ENROL_URL}"' in body
    assert "application d" in body  # « application d'authentification »
    assert 'data-testid="withdraw-form"' not in body
    # the enrolment page it links to opens for a tenant (no organization)
    security = client_for(tenant).get(identity.SECOND_FACTOR_ENROL_URL)
    assert security.status_code == 200


def test_withdrawal_with_the_authenticator_app_end_to_end(tenant, fund, django_capture_on_commit_callbacks):
    from tests.helpers import enrol_totp, totp_code

    fund(wallets.wallet_for(tenant), 30_000)
    device = enrol_totp(tenant)
    client = client_for(tenant)
    form = client.get(reverse("wallet:withdraw"))
    assert form.status_code == 200 and "01 97 33 00 01" in text(form) or "+2290197330001" in text(form)
    key = re.search(r'name="key" value="([0-9a-f]+)"', text(form)).group(1)

    too_small = client.post(reverse("wallet:withdraw"), {"amount": "100", "key": key})
    assert too_small.status_code == 400 and "retrait" in errors(too_small).lower()
    too_much = client.post(reverse("wallet:withdraw"), {"amount": "90 000", "key": key})
    assert too_much.status_code == 400 and "solde" in errors(too_much).lower()

    confirm = client.post(reverse("wallet:withdraw"), {"amount": "12 000", "key": key})
    assert confirm.status_code == 200
    assert 'data-testid="confirm-question"' in text(confirm) and "12\u202f000" in text(confirm)
    assert Withdrawal.objects.count() == 0  # nothing before the confirmation
    # a strong action: the page says the code comes from the app, never « par SMS »
    assert 'data-testid="confirm-strong"' in text(confirm) and "par SMS" not in text(confirm)
    assert "Continuer" in text(confirm) and "envoyer le code" not in text(confirm)

    code_step = client.post(
        reverse("wallet:withdraw"),
        {"amount": "12000", "key": key, "currency": "XOF", "confirm_step": "confirm"},
    )
    assert code_step.status_code == 200 and 'name="code"' in text(code_step)
    assert "application" in text(code_step)  # the authenticator app's code, not an SMS

    wrong = client.post(
        reverse("wallet:withdraw"), {"amount": "12000", "key": key, "confirm_step": "code", "code": "000000"}
    )
    assert wrong.status_code == 200 and Withdrawal.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            reverse("wallet:withdraw"),
            {"amount": "12000", "key": key, "confirm_step": "code", "code": totp_code(device)},
        )
    assert done.status_code == 302, errors(done)
    assert done["Location"].startswith(reverse("wallet:withdrawals"))
    row = Withdrawal.objects.get()
    assert row.amount == 12_000 and row.phone == "+2290197330001"
    listing = text(client.get(done["Location"]))
    assert 'data-testid="flash"' in listing and 'data-testid="withdrawal-row"' in listing
    assert balance(tenant) in (18_000, 30_000)  # posted (sandbox paid) or still held


# --- cancel a held transfer -------------------------------------------------------------------------


def test_a_held_transfer_is_cancelled_after_confirmation(tenant, fund):
    fund(wallets.wallet_for(tenant), 20_000)
    preview = p2p.p2p_preview(actor=tenant, phone="+2290197339999", amount=7_000, currency="XOF")
    transfer = p2p.p2p_confirm(actor=tenant, preview_token=preview.token, idempotency_key="t-held")
    client = client_for(tenant)
    page = text(client.get(reverse("wallet:transfer", args=[transfer.public_id])))
    assert 'data-testid="cancel-transfer"' in page
    url = reverse("wallet:transfer-cancel", args=[transfer.public_id])
    confirm = client.get(url)
    assert confirm.status_code == 200 and "7\u202f000" in text(confirm)
    assert P2pTransfer.objects.get(pk=transfer.pk).status == "held"
    done = client.post(url, {"confirm_step": "confirm"})
    assert done.status_code == 302
    assert P2pTransfer.objects.get(pk=transfer.pk).status == "cancelled"
    assert balance(tenant) == 20_000
    after = text(client.get(done["Location"]))
    assert "annulé" in after and 'data-testid="cancel-transfer"' not in after
    # again (a back button): said, nothing moves
    again = client.post(url, {"confirm_step": "confirm"})
    assert again.status_code == 302 and "plus être annulé" in text(client.get(again["Location"]))
    assert balance(tenant) == 20_000
    # another user: the 404 page
    assert client_for(UserFactory()).get(url).status_code == 404


# --- rent from the wallet ------------------------------------------------------------------------


def test_rent_paid_from_the_wallet_below_the_threshold(
    split_world, fund, settings, django_capture_on_commit_callbacks
):
    settings.WALLET_RENT_STEP_UP_ABOVE = 500_000
    fund(split_world.wallet, 100_000)
    client = client_for(split_world.tenant)
    listing = client.get(reverse("wallet:rent"))
    assert listing.status_code == 200 and 'data-testid="rent-pay-link"' in text(listing)
    url = reverse("wallet:rent-pay", args=[split_world.due.public_id])
    confirm = client.get(url)
    assert confirm.status_code == 200 and "80\u202f000" in text(confirm)
    assert RentPayment.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):  # estate applies the payment
        done = client.post(url, {"confirm_step": "confirm"})
    assert done.status_code == 302, errors(done)
    assert RentPayment.objects.get().amount == 80_000
    assert balance(split_world.tenant) == 20_000
    assert "Loyer payé" in text(client.get(done["Location"]))
    # the same due again: it is paid, the page says so
    again = client.get(url)
    assert again.status_code == 302
    assert "déjà payé" in text(client.get(again["Location"]))
    # another tenant's due: the 404 page
    assert client_for(UserFactory()).get(url).status_code == 404


def test_rent_above_the_threshold_asks_the_sms_code(split_world, fund, settings, sms):
    settings.WALLET_RENT_STEP_UP_ABOVE = 50_000
    fund(split_world.wallet, 100_000)
    client = client_for(split_world.tenant)
    url = reverse("wallet:rent-pay", args=[split_world.due.public_id])
    code_step = client.post(url, {"confirm_step": "confirm"})
    assert code_step.status_code == 200 and 'name="code"' in text(code_step)
    assert RentPayment.objects.count() == 0
    wrong = client.post(url, {"confirm_step": "code", "code": "000000"})
    assert wrong.status_code == 200 and RentPayment.objects.count() == 0 and errors(wrong)
    client.post(url, {"confirm_step": "confirm"})  # a new code
    done = client.post(url, {"confirm_step": "code", "code": sms.last_code(split_world.tenant.phone)})
    assert done.status_code == 302, errors(done)
    assert balance(split_world.tenant) == 20_000


def test_rent_with_too_little_in_the_wallet_offers_a_top_up(split_world, fund, settings):
    settings.WALLET_RENT_STEP_UP_ABOVE = 500_000
    fund(split_world.wallet, 10_000)
    client = client_for(split_world.tenant)
    listing = text(client.get(reverse("wallet:rent")))
    assert 'data-testid="rent-topup-link"' in listing and 'data-testid="rent-pay-link"' not in listing
    refused = client.post(
        reverse("wallet:rent-pay", args=[split_world.due.public_id]), {"confirm_step": "confirm"}
    )
    assert refused.status_code == 200 and "solde" in errors(refused).lower()
    assert balance(split_world.tenant) == 10_000 and RentPayment.objects.count() == 0


# --- Cotis'Hokwe ----------------------------------------------------------------------------------


def test_a_member_pays_the_contribution_now_and_sees_the_order(tontine_group):
    world = tontine_group(3)
    member = world.users[1]
    client = client_for(member)
    page = text(client.get(reverse("wallet:group", args=[world.group.public_id])))
    assert 'data-testid="contribute-link"' in page and 'data-testid="payout-order"' in page
    assert page.count("Membre Tontine") >= 3
    url = reverse("wallet:group-contribute", args=[world.group.public_id])
    confirm = client.get(url)
    assert confirm.status_code == 200 and "10\u202f000" in text(confirm)
    before = balance(member)
    done = client.post(url, {"confirm_step": "confirm"})
    assert done.status_code == 302, errors(done)
    assert balance(member) == before - 10_000
    seat = world.seats[1]
    assert TontineContribution.objects.filter(member=seat, status="paid").count() == 1
    assert "Cotisation payée" in text(client.get(done["Location"]))
    # an outsider: the 404 page
    assert client_for(UserFactory()).get(url).status_code == 404


def test_the_drawn_order_and_its_proof(tontine_group):
    from hashlib import sha256

    world = tontine_group(4, order="drawn")
    group = world.group
    group.refresh_from_db()
    body = text(client_for(world.users[2]).get(reverse("wallet:group", args=[group.public_id])))
    assert 'data-testid="draw-proof"' in body
    assert group.seed_hash in body and group.seed in body
    assert sha256(group.seed.encode()).hexdigest() == group.seed_hash
    assert 'data-testid="draw-verdict" class="notice"' in body  # the order matches the rounds'


# --- HokweSplit -----------------------------------------------------------------------------------


def test_a_plan_started_a_saving_paid_now_and_taken_back_with_the_fee(split_world, fund, settings):
    settings.WALLET_SPLIT_EARLY_WITHDRAWAL_FEE_BPS = 200
    fund(split_world.wallet, 200_000)
    client = client_for(split_world.tenant)
    form = client.get(reverse("wallet:plan-new"))
    assert form.status_code == 200 and str(split_world.due.public_id) in text(form)
    data = {"due": str(split_world.due.public_id), "frequency": "weekly", "withdrawal_rule": "fee"}
    confirm = client.post(reverse("wallet:plan-new"), data)
    assert confirm.status_code == 200 and 'data-testid="confirm-question"' in text(confirm)
    assert SplitPlan.objects.count() == 0
    done = client.post(reverse("wallet:plan-new"), {**data, "confirm_step": "confirm"})
    assert done.status_code == 302, errors(done)
    plan = SplitPlan.objects.get()
    assert plan.withdrawal_rule == "fee" and plan.frequency == "weekly"
    page = text(client.get(done["Location"]))
    assert 'data-testid="pay-now-link"' in page  # the first saving is today's

    first = plan.instalments.order_by("on").first()
    pay = client.post(reverse("wallet:plan-pay-now", args=[plan.public_id]), {"confirm_step": "confirm"})
    assert pay.status_code == 302, errors(pay)
    assert split.vault_balance(plan) == first.amount
    assert "Mis de côté" in text(client.get(pay["Location"])) or "Épargné" in text(
        client.get(pay["Location"])
    )

    url = reverse("wallet:plan-withdraw", args=[plan.public_id])
    confirm = text(client.get(url))
    fee = first.amount * 200 // 10_000
    assert 'data-testid="confirm-acknowledge"' in confirm
    unticked = client.post(url, {"confirm_step": "confirm"})
    assert unticked.status_code == 200 and SplitPlan.objects.get().status == "active"
    taken = client.post(url, {"confirm_step": "confirm", "acknowledge": "on"})
    assert taken.status_code == 302, errors(taken)
    assert SplitPlan.objects.get().status == "withdrawn"
    assert balance(split_world.tenant) == 200_000 - fee


def test_a_locked_plan_says_so_and_takes_nothing_back(split_world, fund):
    fund(split_world.wallet, 200_000)
    plan = split.plan_create(
        actor=split_world.tenant, due=split_world.due.public_id, frequency="weekly", withdrawal_rule="locked"
    )
    client = client_for(split_world.tenant)
    client.post(reverse("wallet:plan-pay-now", args=[plan.public_id]), {"confirm_step": "confirm"})
    page = text(client.get(reverse("wallet:plan", args=[plan.public_id])))
    assert 'data-testid="plan-locked"' in page and 'data-testid="withdraw-plan-link"' not in page
    refused = client.post(reverse("wallet:plan-withdraw", args=[plan.public_id]), {"confirm_step": "confirm"})
    assert refused.status_code == 302
    assert "bloquée" in text(client.get(refused["Location"]))
    assert SplitPlan.objects.get().status == "active"


# --- P2P above the threshold for an SMS-only sender -------------------------------------------------


def test_an_sms_only_sender_above_the_threshold_is_shown_where_to_add_the_app(tenant, fund, settings):
    settings.WALLET_P2P_STEP_UP_ABOVE = 50_000
    fund(wallets.wallet_for(tenant), 100_000)
    receiver = UserFactory(phone="+2290197330002")
    client = client_for(tenant)
    step1 = client.post(reverse("wallet:send"), {"phone": str(receiver.phone), "amount": "60000"})
    page = client.get(step1["Location"])
    assert page.status_code == 200
    assert 'data-testid="need-factor"' in text(page) and 'data-testid="enrol-link"' in text(page)
    assert "50\u202f000" in text(page)
    # at or under the threshold, no code at all
    small = client.post(reverse("wallet:send"), {"phone": str(receiver.phone), "amount": "50000"})
    assert 'data-testid="confirm-question"' in text(client.get(small["Location"]))


def test_an_invitation_is_accepted_with_the_rules_ticked_and_the_sms_code(sms):
    from datetime import timedelta

    from django.utils import timezone

    from apps.wallet.models import TontineMember
    from apps.wallet.services import tontine

    organiser = UserFactory(full_name="Awa Organisatrice")
    invitee = UserFactory(full_name="Koffi Invité", phone="+2290197330077")
    group = tontine.group_create(
        actor=organiser,
        name="Tontine des voisins",
        contribution=5_000,
        currency="XOF",
        frequency="weekly",
        start_date=timezone.localdate() + timedelta(days=3),
        max_members=5,
        order_method="drawn",
        late_penalty=250,
        grace_days=2,
        commission_bps=100,
    )
    (seat,) = tontine.invite(actor=organiser, group=group, phones=[str(invitee.phone)])
    client = client_for(invitee)
    page = text(client.get(reverse("wallet:group", args=[group.public_id])))
    assert 'data-testid="accept-invitation"' in page
    url = reverse("wallet:invitation-accept", args=[seat.public_id])
    rules = text(client.get(url))
    assert "5\u202f000" in rules and "250" in rules and 'data-testid="confirm-acknowledge"' in rules
    unticked = client.post(url, {"confirm_step": "confirm"})
    assert unticked.status_code == 200 and 'name="code"' not in text(unticked)
    code_step = client.post(url, {"confirm_step": "confirm", "acknowledge": "on"})
    assert 'name="code"' in text(code_step)
    done = client.post(url, {"confirm_step": "code", "code": sms.last_code(invitee.phone)})
    assert done.status_code == 302, errors(done)
    seat = TontineMember.objects.get(pk=seat.pk)
    assert (
        seat.status == "active" and seat.user_id == invitee.pk and seat.accepted_rules == group.rules_digest
    )
    assert "Bienvenue" in text(client.get(done["Location"]))
    # another user cannot open the invitation
    assert client_for(UserFactory()).get(url).status_code == 404


@pytest.mark.parametrize("name", ["wallet:withdraw", "wallet:withdrawals", "wallet:rent", "wallet:plan-new"])
def test_the_action_pages_send_the_anonymous_to_the_tenant_login(name):
    response = Client().get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("estate:tenant-login"))


def test_the_wallet_home_links_to_the_actions_and_the_english_pages_read(tenant, fund):
    fund(wallets.wallet_for(tenant), 5_000)
    body = text(client_for(tenant).get(reverse("wallet:home")))
    for name in ("wallet:rent", "wallet:withdraw"):
        assert f'href="{reverse(name)}' in body
    english = Client(HTTP_ACCEPT_LANGUAGE="en")
    english.force_login(tenant)
    english.cookies["django_language"] = "en"
    assert "Pay my rent from my wallet" in text(english.get(reverse("wallet:rent")))

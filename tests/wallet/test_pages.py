"""The tenant's wallet pages (/wallet/…, apps/wallet/web): each renders for its user in French,
money sent by phone number end to end (form → preview and confirmation → done, balances
moved; the step-up code above the threshold), every refusal shown as a form error (to
oneself, over the balance, an amount that is no amount), top-up handed to the payment page,
the statement files, the groups and savings read-only, another user's objects a 404, and the
anonymous caller sent to the tenant login. A browser test drives the send flow at 390 px and
1366 px."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from apps.ledger import api as ledger
from apps.wallet.models import P2pTransfer, TopUp
from apps.wallet.services import wallets
from tests.fixtures.browser import session_cookie
from tests.identity.factories import UserFactory

pytestmark = pytest.mark.django_db

FR = {"HTTP_ACCEPT_LANGUAGE": "fr"}


@pytest.fixture
def sender(db):
    return UserFactory(full_name="Brice Zinsou", phone="+2290197220001", preferred_language="fr")


@pytest.fixture
def receiver(db):
    return UserFactory(full_name="Koffi Adjovi", phone="+2290197220002")


@pytest.fixture
def funded(sender, fund):
    wallet = wallets.wallet_for(sender)
    fund(wallet, 80_000)
    return wallet


def client_for(user) -> Client:
    client = Client(**FR)
    client.force_login(user)
    return client


def balance(user) -> int:
    return ledger.balance(account=wallets.wallet_for(user, "XOF").account).posted


def text(response) -> str:
    return response.content.decode()


def preview(client, phone, amount, note=""):
    return client.post(reverse("wallet:send"), {"phone": phone, "amount": amount, "note": note})


# --- anonymous ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["wallet:home", "wallet:send", "wallet:send-confirm", "wallet:topup", "wallet:groups", "wallet:plans"],
)
def test_anonymous_is_sent_to_the_tenant_login(name):
    response = Client().get(reverse(name))
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(reverse("estate:tenant-login"))
    assert parse_qs(urlsplit(location).query)["next"] == [reverse(name)]


def test_anonymous_cannot_download_the_statement():
    for name in ("wallet:statement-csv", "wallet:statement-pdf"):
        response = Client().get(reverse(name))
        assert response.status_code == 302 and "login" in response["Location"]


# --- « Mon portefeuille » -------------------------------------------------------------------------


def test_my_wallet_shows_the_balance_the_limits_and_the_movements_in_french(sender, funded):
    response = client_for(sender).get(reverse("wallet:home"))
    assert response.status_code == 200
    body = text(response)
    assert "Mon portefeuille" in body
    assert 'data-testid="available">80\u202f000 FCFA' in body or "80\u202f000" in body
    assert body.count('data-testid="movement"') == 1
    assert "Rechargement" in body  # the line's label, in French
    assert "solde 80\u202f000" in body  # the running balance
    assert reverse("wallet:statement-csv") in body and reverse("wallet:statement-pdf") in body
    assert "Envoyer de l'argent" in body


def test_my_wallet_of_a_new_user_is_empty_and_says_so(sender):
    response = client_for(sender).get(reverse("wallet:home"))
    assert response.status_code == 200
    assert 'data-testid="no-movement"' in text(response)


def test_the_statement_files_are_the_users_own(sender, funded, receiver, fund):
    fund(wallets.wallet_for(receiver), 12_345)
    csv = client_for(sender).get(reverse("wallet:statement-csv"))
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    content = csv.content.decode()
    assert content.splitlines()[0].startswith("date,operation")
    assert "80000" in content and "12345" not in content
    pdf = client_for(sender).get(reverse("wallet:statement-pdf"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


# --- send money ---------------------------------------------------------------------------------


def test_send_money_end_to_end(sender, funded, receiver):
    client = client_for(sender)
    form = client.get(reverse("wallet:send"))
    assert form.status_code == 200 and "Envoyer de l'argent" in text(form)

    step1 = preview(client, "97 22 00 02", "25 000", note="Loyer de mars")
    assert step1.status_code == 302
    confirm_url = step1["Location"]
    assert confirm_url.startswith(reverse("wallet:send-confirm"))

    page = client.get(confirm_url)
    assert page.status_code == 200
    body = text(page)
    assert "Ko*** A." in body  # the receiver's masked name, never the full one
    assert "Koffi Adjovi" not in body
    assert "25\u202f000" in body
    assert balance(sender) == 80_000  # nothing moved before the confirmation

    preview_id = parse_qs(urlsplit(confirm_url).query)["preview"][0]
    done = client.post(confirm_url, {"confirm_step": "confirm", "preview": preview_id})
    assert done.status_code == 302
    transfer = P2pTransfer.objects.get(sender=sender)
    assert done["Location"] == reverse("wallet:transfer", args=[transfer.public_id]) + "?sent=1"
    assert transfer.status == "completed" and transfer.amount == 25_000 and transfer.note == "Loyer de mars"
    assert balance(sender) == 55_000 and balance(receiver) == 25_000

    final = client.get(done["Location"])
    assert final.status_code == 200
    body = text(final)
    assert "Argent envoyé" in body and "Ko*** A." in body and "55\u202f000" in body

    # the same confirmation again (a double tap, a back button): nothing moves twice
    again = client.post(confirm_url, {"confirm_step": "confirm", "preview": preview_id})
    assert again.status_code == 200
    assert "expiré" in text(again) or "déjà" in text(again)
    assert balance(sender) == 55_000 and P2pTransfer.objects.filter(sender=sender).count() == 1

    # the receiver sees it among their transfers
    assert "Br*** Z." in text(client_for(receiver).get(reverse("wallet:home")))


def _form_error(response) -> str:
    found = re.findall(r'data-testid="(?:field|form)-error">(?:<li>)?([^<]+)<', text(response))
    return " ".join(found)


def test_sending_to_oneself_is_a_form_error(sender, funded):
    response = preview(client_for(sender), sender.phone, "1000")
    assert response.status_code == 400
    assert "vous-même" in _form_error(response)
    assert P2pTransfer.objects.count() == 0


def test_sending_more_than_the_balance_is_a_form_error(sender, funded, receiver):
    response = preview(client_for(sender), receiver.phone, "90000")
    assert response.status_code == 400
    assert "solde" in _form_error(response).lower()
    assert balance(sender) == 80_000


@pytest.mark.parametrize("amount", ["", "abc", "0", "-5", "12,5"])
def test_an_amount_that_is_no_amount_is_a_form_error(sender, funded, receiver, amount):
    response = preview(client_for(sender), receiver.phone, amount)
    assert response.status_code == 400
    assert _form_error(response)
    assert P2pTransfer.objects.count() == 0


def test_a_wrong_number_is_a_form_error(sender, funded):
    response = preview(client_for(sender), "12", "1000")
    assert response.status_code == 400
    assert _form_error(response)


def test_a_preview_of_another_session_is_not_confirmed(sender, funded, receiver):
    step1 = preview(client_for(sender), receiver.phone, "1000")
    other = client_for(sender)  # the same user, another session: the preview is not there
    response = other.post(step1["Location"], {"confirm_step": "confirm"})
    assert response.status_code == 200
    assert "expiré" in _form_error(response)
    assert P2pTransfer.objects.count() == 0


def test_above_the_threshold_a_code_is_asked_before_sending(sender, fund, receiver, settings):
    from tests.helpers import enrol_totp, totp_code

    settings.WALLET_P2P_STEP_UP_ABOVE = 50_000
    fund(wallets.wallet_for(sender), 100_000)
    device = enrol_totp(sender)
    client = client_for(sender)
    step1 = preview(client, receiver.phone, "60000")
    url = step1["Location"]
    page = text(client.get(url))
    assert "Ko*** A." in page
    code_step = client.post(url, {"confirm_step": "confirm"})
    assert code_step.status_code == 200
    assert 'name="code"' in text(code_step)
    assert P2pTransfer.objects.count() == 0

    wrong = client.post(url, {"confirm_step": "code", "code": "000000"})
    assert wrong.status_code == 200 and P2pTransfer.objects.count() == 0

    done = client.post(url, {"confirm_step": "code", "code": totp_code(device)})
    assert done.status_code == 302, text(done)
    assert balance(sender) == 40_000 and balance(receiver) == 60_000


def test_a_number_without_an_account_is_told_before_confirming(sender, funded):
    client = client_for(sender)
    step1 = preview(client, "+2290197229999", "5000")
    page = text(client.get(step1["Location"]))
    assert "pas encore de compte" in page
    done = client.post(step1["Location"], {"confirm_step": "confirm"})
    assert done.status_code == 302
    assert P2pTransfer.objects.get(sender=sender).status == "held"
    assert "attente" in text(client.get(done["Location"]))


def test_another_users_transfer_is_not_found(sender, funded, receiver):
    client = client_for(sender)
    step1 = preview(client, receiver.phone, "1000", note="Secret de Brice")
    client.post(step1["Location"], {"confirm_step": "confirm"})
    transfer = P2pTransfer.objects.get(sender=sender)
    outsider = UserFactory()
    response = client_for(outsider).get(reverse("wallet:transfer", args=[transfer.public_id]))
    assert response.status_code == 404
    assert "Secret de Brice" not in text(response)
    assert 'data-testid="wallet-not-found"' in text(response)


# --- top-up -------------------------------------------------------------------------------------


def test_top_up_opens_the_payment_page(sender):
    client = client_for(sender)
    page = client.get(reverse("wallet:topup"))
    assert page.status_code == 200 and "Recharger" in text(page)
    key = re.search(r'name="key" value="([0-9a-f]+)"', text(page)).group(1)
    response = client.post(reverse("wallet:topup"), {"amount": "15 000", "key": key})
    assert response.status_code == 302
    topup = TopUp.objects.get(wallet__user=sender)
    assert topup.amount == 15_000
    assert "/pay/" in response["Location"]
    # the same form sent twice (a double tap) is one top-up
    client.post(reverse("wallet:topup"), {"amount": "15 000", "key": key})
    assert TopUp.objects.filter(wallet__user=sender).count() == 1


def test_a_top_up_refused_is_a_form_error(sender):
    response = client_for(sender).post(reverse("wallet:topup"), {"amount": "0", "key": "abc"})
    assert response.status_code == 400 and _form_error(response)
    assert TopUp.objects.count() == 0


# --- Cotis'Hokwe and HokweSplit (read-only) -----------------------------------------------------


def test_my_groups_and_a_groups_page(tontine_group):
    world = tontine_group(4)
    member = world.users[1]
    client = client_for(member)
    listing = client.get(reverse("wallet:groups"))
    assert listing.status_code == 200 and "Tontine du quartier" in text(listing)
    page = client.get(reverse("wallet:group", args=[world.group.public_id]))
    assert page.status_code == 200
    body = text(page)
    assert body.count('data-testid="round"') == 4
    assert 'data-testid="next-beneficiary"' in body
    assert "Membre Tontine 0" in body  # the organiser is the first to receive (fixed order)
    outsider = UserFactory()
    denied = client_for(outsider).get(reverse("wallet:group", args=[world.group.public_id]))
    assert denied.status_code == 404 and "Tontine du quartier" not in text(denied)
    assert 'data-testid="no-group"' in text(client_for(outsider).get(reverse("wallet:groups")))


def test_my_savings_and_a_plans_page(split_world, fund):
    from apps.wallet.services import split

    fund(split_world.wallet, 200_000)
    plan = split.plan_create(actor=split_world.tenant, due=split_world.due.public_id, frequency="weekly")
    client = client_for(split_world.tenant)
    listing = client.get(reverse("wallet:plans"))
    assert listing.status_code == 200
    assert listing.content.decode().count('data-testid="plan-row"') == 1
    assert "Épargné" in text(listing) or "Mis de côté" in text(listing)
    page = client.get(reverse("wallet:plan", args=[plan.public_id]))
    assert page.status_code == 200 and 'data-testid="schedule"' in text(page)
    outsider = UserFactory()
    assert client_for(outsider).get(reverse("wallet:plan", args=[plan.public_id])).status_code == 404
    assert 'data-testid="no-plan"' in text(client_for(outsider).get(reverse("wallet:plans")))


def test_the_pages_are_in_english_too(sender, funded):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(sender)
    client.cookies["django_language"] = "en"
    body = text(client.get(reverse("wallet:home")))
    assert "My wallet" in body and "Send money" in body


def test_the_tenant_menu_has_the_wallet(split_world):
    from apps.core.navigation import build

    assert "wallet" in build(split_world.tenant).keys
    assert "wallet" not in build(split_world.manager).keys


# --- in a browser, at 390 px and 1366 px --------------------------------------------------------

OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


def _clean_at_both_widths(page, problems: list, console: list) -> None:
    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 844 if width < 600 else 768})
        overflow = page.evaluate(OVERFLOW)
        if overflow > 0:
            problems.append(f"{page.url} @{width}px: {overflow} px of horizontal overflow")
    if console:
        problems.append(f"{page.url}: console errors {console[:3]}")
    console.clear()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_send_money_in_a_browser_at_phone_and_laptop_widths(browser, live_server, sender, funded, receiver):
    base = live_server.url
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    context.add_cookies([session_cookie(sender, base)])
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console.append(str(e)))
    page.on("response", lambda r: console.append(f"HTTP {r.status} {r.url}") if r.status >= 400 else None)
    problems: list[str] = []

    for name in ("wallet:home", "wallet:topup", "wallet:groups", "wallet:plans"):
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(base + reverse(name))
        _clean_at_both_widths(page, problems, console)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base + reverse("wallet:home"))
    page.get_by_test_id("send-link").click()
    # a refusal first: to oneself, shown on the form
    page.get_by_label("Numéro de téléphone de la personne").fill(str(sender.phone))
    page.get_by_label("Montant à envoyer").fill("1 000")
    page.get_by_test_id("send-submit").click()
    assert "vous-même" in page.get_by_test_id("field-error").first.inner_text()
    console.clear()  # the form's 400 is the refusal itself
    _clean_at_both_widths(page, problems, console)

    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_label("Numéro de téléphone de la personne").fill("97 22 00 02")
    page.get_by_label("Montant à envoyer").fill("12 500")
    page.get_by_label("Message (facultatif)").fill("Pour le loyer")
    page.get_by_test_id("send-submit").click()
    question = page.get_by_test_id("confirm-question").inner_text()
    assert "Ko*** A." in question and "12\u202f500" in question
    _clean_at_both_widths(page, problems, console)

    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_test_id("confirm-submit").click()
    page.get_by_test_id("transfer-done").wait_for()
    assert "Argent envoyé" in page.get_by_test_id("transfer-done").inner_text()
    _clean_at_both_widths(page, problems, console)
    context.close()

    assert balance(sender) == 67_500 and balance(receiver) == 12_500
    assert not problems, "\n".join(problems)

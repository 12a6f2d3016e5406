"""Demo cms data (seed_demo runs it). Idempotent: a second run changes nothing.

Each part writes its function `seed_<part>(ctx)` in its own block below; `seed` calls those
that exist, in this order."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

PARTS = ("seed_sites", "seed_help", "seed_news", "seed_vault")


def seed(ctx) -> None:
    for name in PARTS:
        step = globals().get(name)
        if step is not None:
            step(ctx)


# --- sites ---
# The three public sites' pages in French (their English home pages as translations): the
# holding (hokwe.co), the product (hokwe.com), HokwePay (pay.hokwe.com). Migration 0002_sites
# made the empty home pages; this fills them once (a page with a body is left as it is).


def _hero(title, text, *actions):
    return {
        "type": "hero",
        "value": {"title": title, "text": text, "actions": [{"label": a, "url": u} for a, u in actions]},
    }


def _features(heading, intro, *items):
    return {
        "type": "features",
        "value": {"heading": heading, "intro": intro, "items": [{"title": t, "text": x} for t, x in items]},
    }


def _faq(heading, *items):
    return {
        "type": "faq",
        "value": {"heading": heading, "items": [{"question": q, "answer": a} for q, a in items]},
    }


def _cta(title, text, label, url):
    return {"type": "cta", "value": {"title": title, "text": text, "action": {"label": label, "url": url}}}


def _text(heading, html):
    return {"type": "text", "value": {"heading": heading, "body": html}}


SITES_PAGES = {
    "hokwe-co": {
        "home": (
            "Hokwe, le groupe",
            "Hokwe construit les outils du logement locatif en Afrique de l'Ouest : gestion, paiement, annonces.",
            [
                _hero(
                    "Le logement locatif, simple et sûr, en Afrique de l'Ouest",
                    "Hokwe relie propriétaires, agences et locataires : le loyer se paie par Mobile Money, "
                    "la quittance arrive par SMS, chacun sait où il en est.",
                    ("Découvrir nos produits", "produits/"),
                    ("Nous contacter", "contact/"),
                ),
                _features(
                    "Nos produits",
                    "",
                    (
                        "Hokwe Manager",
                        "La gestion locative des agences et des propriétaires : biens, baux, loyers, relances, relevés.",
                    ),
                    (
                        "HokwePay",
                        "Le paiement des loyers par MTN MoMo, Moov Money et carte, au guichet des points de vente partenaires.",
                    ),
                    (
                        "HokweMarket",
                        "Les annonces de logements vérifiés et la réservation des visites en deux gestes.",
                    ),
                ),
                _cta(
                    "Vous êtes une agence ?",
                    "Essayez Hokwe Manager pendant 30 jours, sans engagement.",
                    "Voir hokwe.com",
                    "https://hokwe.com/",
                ),
            ],
        ),
        "pages": [
            (
                "le-groupe",
                "Le groupe",
                "Qui nous sommes : une équipe béninoise au service du logement locatif.",
                [
                    _text(
                        "Notre mission",
                        "<p>Hokwe est né à Cotonou d'un constat simple : payer son loyer, le suivre et le reverser "
                        "prend trop de temps et de déplacements. Nous construisons des outils numériques pour que "
                        "chaque loyer soit payé à temps, tracé et justifié.</p>"
                        "<p>Nous travaillons avec les agences immobilières, les propriétaires et les opérateurs de "
                        "Mobile Money du Bénin et de la Côte d'Ivoire.</p>",
                    )
                ],
            ),
            (
                "produits",
                "Nos produits",
                "Hokwe Manager, HokwePay et HokweMarket.",
                [
                    _features(
                        "Une plateforme, trois produits",
                        "Chaque produit se suffit à lui-même ; ensemble, ils couvrent toute la vie d'une location.",
                        (
                            "Hokwe Manager",
                            "Biens, logements, baux, avis d'échéance, relances et relevés des propriétaires.",
                        ),
                        (
                            "HokwePay",
                            "Liens de paiement par SMS, paiement en agence ou chez un marchand, quittances automatiques.",
                        ),
                        (
                            "HokweMarket",
                            "Annonces vérifiées, recherche sur carte, visites réservées en ligne.",
                        ),
                    )
                ],
            ),
            (
                "contact",
                "Contact",
                "Écrivez-nous ou passez nous voir à Cotonou.",
                [
                    _text(
                        "Nous écrire",
                        '<p>Par e-mail : <a href="mailto:contact@hokwe.co">contact@hokwe.co</a></p>'
                        "<p>Par téléphone : +229 01 00 00 00 00, du lundi au vendredi de 8 h à 18 h.</p>"
                        "<p>Adresse : Haie Vive, Cotonou, Bénin.</p>",
                    )
                ],
            ),
        ],
        "en": (
            "Hokwe, the group",
            "Hokwe builds the tools of rental housing in West Africa: management, payments, listings.",
            [
                _hero(
                    "Rental housing made simple and safe in West Africa",
                    "Hokwe connects landlords, agencies and tenants: rent is paid by Mobile Money, the receipt "
                    "arrives by SMS, everyone knows where they stand.",
                ),
                _features(
                    "Our products",
                    "",
                    (
                        "Hokwe Manager",
                        "Rental management for agencies and landlords: properties, leases, rent, reminders, statements.",
                    ),
                    (
                        "HokwePay",
                        "Rent payments by MTN MoMo, Moov Money and card, at partner points of sale.",
                    ),
                    ("HokweMarket", "Verified homes to rent and visits booked in two taps."),
                ),
            ],
        ),
    },
    "hokwe-com": {
        "home": (
            "Hokwe, la gestion locative",
            "Gérez vos biens, encaissez vos loyers par Mobile Money et envoyez les quittances automatiquement.",
            [
                _hero(
                    "Vos loyers encaissés à temps, sans courir après personne",
                    "Avis d'échéance par SMS, paiement par Mobile Money, quittances automatiques, relances et "
                    "relevés des propriétaires : Hokwe Manager s'occupe du reste.",
                    ("Essayer Hokwe Manager", "/manager/login/"),
                    ("Voir les tarifs", "#tarifs"),
                ),
                _features(
                    "Pour chacun, ce qui compte",
                    "",
                    (
                        "Propriétaires",
                        "Suivez chaque logement, recevez vos loyers sur votre compte bancaire ou Mobile Money, avec un relevé mensuel.",
                    ),
                    (
                        "Agences",
                        "Toute l'équipe sur un même outil : baux, encaissements, impayés, mandats et reversements aux propriétaires.",
                    ),
                    (
                        "Locataires",
                        "Un lien de paiement par SMS, le loyer payé en deux minutes, la quittance aussitôt.",
                    ),
                ),
                {
                    "type": "pricing",
                    "value": {
                        "heading": "Tarifs",
                        "intro": "Sans engagement, 30 jours d'essai. Les prix sont hors taxes.",
                        "plans": [
                            {
                                "name": "Essentiel",
                                "price": "Gratuit jusqu'à 5 logements",
                                "points": ["Liens de paiement par SMS", "Quittances automatiques"],
                            },
                            {
                                "name": "Agence",
                                "price": "15 000 FCFA / mois",
                                "points": [
                                    "Jusqu'à 100 logements",
                                    "Relances et relevés des propriétaires",
                                    "5 collaborateurs",
                                ],
                            },
                            {
                                "name": "Réseau",
                                "price": "Sur devis",
                                "points": [
                                    "Logements illimités",
                                    "Plusieurs agences",
                                    "Accompagnement dédié",
                                ],
                            },
                        ],
                    },
                },
                {
                    "type": "testimonials",
                    "value": {
                        "heading": "Ils gèrent avec Hokwe",
                        "items": [
                            {
                                "quote": "Nos encaissements du 5 du mois sont passés de 60 % à 90 % en trois mois.",
                                "name": "Aïcha D.",
                                "role": "Agence Les Cocotiers, Cotonou",
                            },
                            {
                                "quote": "Je vis à Paris et je vois chaque loyer payé de mes deux maisons à Calavi.",
                                "name": "Koffi A.",
                                "role": "Propriétaire",
                            },
                            {
                                "quote": "Je paie avec MoMo depuis le marché, je n'ai plus à aller à l'agence.",
                                "name": "Rachidatou S.",
                                "role": "Locataire à Fidjrossè",
                            },
                        ],
                    },
                },
                _faq(
                    "Questions fréquentes",
                    (
                        "Combien de temps pour démarrer ?",
                        "Une après-midi : importez vos baux depuis un tableur, vos locataires reçoivent leur premier lien de paiement le jour même.",
                    ),
                    (
                        "Quels moyens de paiement ?",
                        "MTN MoMo, Moov Money, carte bancaire et espèces chez nos points de vente partenaires.",
                    ),
                    (
                        "Mes données sont-elles protégées ?",
                        "Elles sont hébergées chiffrées ; seuls vous et votre équipe y accèdez, selon le rôle de chacun.",
                    ),
                ),
                _cta(
                    "Prêt à essayer ?",
                    "Trente jours d'essai, sans carte bancaire.",
                    "Essayer Hokwe Manager",
                    "/manager/login/",
                ),
            ],
        ),
        "pages": [
            (
                "fonctionnalites",
                "Fonctionnalités",
                "Tout ce que fait Hokwe Manager pour les propriétaires, les agences et les locataires.",
                [
                    _features(
                        "Gestion locative",
                        "",
                        ("Biens et baux", "Immeubles, logements, baux, cautions, états des lieux."),
                        (
                            "Encaissements",
                            "Avis d'échéance, liens de paiement, paiements partiels, quittances.",
                        ),
                        ("Impayés", "Relances par SMS, promesses de paiement, échéanciers."),
                        ("Propriétaires", "Mandats, relevés mensuels, reversements."),
                    )
                ],
            ),
        ],
        "en": (
            "Hokwe, rental management",
            "Manage your properties, collect rent by Mobile Money and send receipts automatically.",
            [
                _hero(
                    "Your rent collected on time, without chasing anyone",
                    "Rent notices by SMS, Mobile Money payments, automatic receipts, reminders and landlord "
                    "statements: Hokwe Manager does the rest.",
                    ("Try Hokwe Manager", "/manager/login/"),
                ),
                _features(
                    "For everyone, what matters",
                    "",
                    (
                        "Landlords",
                        "Follow each unit, receive your rent on your bank account or Mobile Money, with a monthly statement.",
                    ),
                    (
                        "Agencies",
                        "The whole team on one tool: leases, collections, arrears, mandates and payouts to landlords.",
                    ),
                    ("Tenants", "A pay link by SMS, rent paid in two minutes, the receipt at once."),
                ),
            ],
        ),
    },
    "hokwepay": {
        "home": (
            "HokwePay, payer son loyer",
            "Payez votre loyer par MTN MoMo, Moov Money ou carte, et recevez votre quittance par SMS.",
            [
                _hero(
                    "Payez votre loyer en deux minutes, où que vous soyez",
                    "Un lien de paiement par SMS, MTN MoMo, Moov Money ou carte : la quittance arrive aussitôt.",
                    ("Retrouver mon lien de paiement", "/pay-link/"),
                    ("Comment ça marche", "#comment-payer-mon-loyer"),
                ),
                _features(
                    "Comment payer mon loyer",
                    "",
                    (
                        "1. Ouvrez le lien",
                        "Chaque mois, votre agence ou votre propriétaire vous envoie un lien de paiement par SMS.",
                    ),
                    (
                        "2. Choisissez",
                        "MTN MoMo, Moov Money ou carte bancaire. Vous pouvez payer une partie si votre bailleur l'accepte.",
                    ),
                    (
                        "3. Validez",
                        "Confirmez sur votre téléphone avec votre code secret. La quittance arrive par SMS.",
                    ),
                ),
                _features(
                    "Les moyens de paiement",
                    "",
                    ("MTN MoMo", "Au Bénin et en Côte d'Ivoire."),
                    ("Moov Money", "Au Bénin et en Côte d'Ivoire."),
                    ("Carte bancaire", "Visa et Mastercard."),
                    ("Espèces", "Chez les points de vente HokwePay partenaires."),
                ),
                {
                    "type": "paylink_finder",
                    "value": {
                        "heading": "Vous avez perdu votre lien de paiement ?",
                        "text": "Saisissez votre numéro de téléphone : nous vous renvoyons par SMS les liens de vos loyers en attente.",
                    },
                },
                _features(
                    "Pour les partenaires",
                    "",
                    (
                        "Points de vente",
                        "Encaissez les loyers au guichet et touchez une commission sur chaque paiement.",
                    ),
                    (
                        "Checkout",
                        "Ajoutez le paiement HokwePay à votre site ou à votre application en quelques lignes.",
                    ),
                ),
                _cta(
                    "Devenir point de vente HokwePay",
                    "Boutiques, kiosques, agences de transfert : rejoignez le réseau.",
                    "Nous écrire",
                    "mailto:partenaires@hokwe.co",
                ),
            ],
        ),
        "pages": [
            (
                "marchands",
                "Marchands et checkout",
                "Les offres HokwePay pour les points de vente et les sites marchands.",
                [
                    _text(
                        "Point de vente",
                        "<p>Votre boutique devient un guichet de paiement des loyers : le locataire donne son "
                        "numéro, vous encaissez, la quittance part par SMS. Une commission vous est versée "
                        "chaque semaine.</p>",
                    ),
                    _text(
                        "Checkout",
                        "<p>Le widget de paiement HokwePay s'intègre à votre site : Mobile Money et carte, "
                        "confirmation en temps réel, reversement sur votre compte.</p>",
                    ),
                ],
            ),
        ],
        "en": (
            "HokwePay, paying your rent",
            "Pay your rent with MTN MoMo, Moov Money or card, and get your receipt by SMS.",
            [
                _hero(
                    "Pay your rent in two minutes, wherever you are",
                    "A pay link by SMS, MTN MoMo, Moov Money or card: the receipt arrives at once.",
                    ("Find my pay link", "/pay-link/"),
                ),
                {
                    "type": "paylink_finder",
                    "value": {
                        "heading": "Lost your pay link?",
                        "text": "Enter your phone number: we send the links of your pending rents by SMS.",
                    },
                },
            ],
        ),
    },
}


def seed_sites(ctx) -> None:
    from wagtail.models import Locale

    from .models.sites import HoldingPage, HubPage, PayPage, ProductPage

    child_classes = {"hokwe-co": HoldingPage, "hokwe-com": ProductPage, "hokwepay": PayPage}

    hub = HubPage.objects.filter(locale__language_code="fr").first()
    if hub is None:
        log.info("cms demo: no hub page (migration 0002_sites), no sites")
        return
    english = Locale.objects.get_or_create(language_code="en")[0]
    changed = 0
    if not hub.search_description:
        hub.search_description = (
            "Hokwe : gestion locative, paiement des loyers et annonces en Afrique de l'Ouest."
        )
        hub.save_revision().publish()
        changed += 1
    if not hub.has_translation(english):
        hub_en = hub.copy_for_translation(english)
        hub_en.search_description = "Hokwe: rental management, rent payments and listings in West Africa."
        hub_en.save_revision().publish()
        changed += 1
    for home in hub.get_children().specific():
        content = SITES_PAGES.get(home.slug)
        if content is None:
            continue
        title, description, body = content["home"]
        if not home.body:
            home.title, home.draft_title, home.search_description, home.body = title, title, description, body
            home.save_revision().publish()
            changed += 1
        child_class = child_classes[home.slug]
        for slug, page_title, page_description, page_body in content["pages"]:
            if home.get_children().filter(slug=slug).exists():
                continue
            page = child_class(
                title=page_title,
                slug=slug,
                search_description=page_description,
                body=page_body,
                show_in_menus=True,
            )
            home.add_child(instance=page)
            page.save_revision().publish()
            changed += 1
        if not home.has_translation(english):
            en_title, en_description, en_body = content["en"]
            home_en = home.copy_for_translation(english)
            home_en.title, home_en.draft_title = en_title, en_title
            home_en.search_description, home_en.body = en_description, en_body
            home_en.save_revision().publish()
            changed += 1
    if changed:
        log.info("cms demo: %s site pages published", changed)


# --- help ---
# The help centre: categories per audience and a dozen real articles in French, each with its
# English version (the same translation_key), published with a first revision.

HELP_CATEGORIES = [
    # slug, audience, (fr title, fr description), (en title, en description)
    (
        "payer-mon-loyer",
        "tenant",
        ("Payer mon loyer", "MoMo, carte, liens de paiement et quittances"),
        ("Paying my rent", "MoMo, card, pay links and receipts"),
    ),
    (
        "mon-compte",
        "everyone",
        ("Mon compte", "Connexion, numéro de téléphone, sécurité"),
        ("My account", "Signing in, phone number, security"),
    ),
    (
        "proprietaires",
        "landlord",
        ("Propriétaires", "Biens, logements, versements des loyers"),
        ("Landlords", "Properties, units, rent payouts"),
    ),
    (
        "agences",
        "agency",
        ("Agences", "Équipe, avis d'échéance, relances"),
        ("Agencies", "Team, rent notices, reminders"),
    ),
    (
        "point-de-vente",
        "merchant",
        ("Point de vente", "Encaisser un loyer au guichet"),
        ("Point of sale", "Taking rent at the counter"),
    ),
]

HELP_ARTICLES = [
    # category slug, audience, keywords, (fr slug, title, summary, body), (en slug, title, summary, body)
    (
        "payer-mon-loyer",
        "tenant",
        "momo mobile money mtn moov flooz paiement payer loyer",
        (
            "payer-loyer-momo",
            "Comment payer mon loyer par MoMo ?",
            "Payez votre loyer avec MTN MoMo ou Moov Money depuis le lien reçu par SMS.",
            "<p>Chaque mois, Hokwe vous envoie par SMS un <b>lien de paiement</b> pour votre loyer.</p>"
            "<ol><li>Ouvrez le lien reçu par SMS.</li><li>Choisissez <b>MTN MoMo</b> ou <b>Moov Money</b>.</li>"
            "<li>Saisissez votre numéro Mobile Money puis validez avec votre code secret sur votre téléphone.</li></ol>"
            "<p>Votre quittance arrive par SMS dès que le paiement est confirmé. Ne communiquez jamais votre code secret.</p>",
        ),
        (
            "pay-rent-momo",
            "How do I pay my rent with MoMo?",
            "Pay your rent with MTN MoMo or Moov Money from the link sent by SMS.",
            "<p>Every month Hokwe sends you a <b>pay link</b> for your rent by SMS.</p>"
            "<ol><li>Open the link.</li><li>Choose <b>MTN MoMo</b> or <b>Moov Money</b>.</li>"
            "<li>Enter your Mobile Money number and confirm with your PIN on your phone.</li></ol>"
            "<p>Your receipt arrives by SMS as soon as the payment is confirmed. Never share your PIN.</p>",
        ),
    ),
    (
        "payer-mon-loyer",
        "tenant",
        "quittance reçu recu justificatif attestation",
        (
            "quittance-non-recue",
            "Je n'ai pas reçu ma quittance",
            "Retrouvez vos quittances et vérifiez-les en ligne.",
            "<p>La quittance est envoyée par SMS quand le loyer est entièrement payé. Un paiement partiel donne un reçu, pas une quittance.</p>"
            "<p>Vous pouvez vérifier toute quittance avec son code sur la page <b>/r/</b>. Si le loyer est payé et que rien n'arrive après une heure, écrivez-nous depuis le formulaire de contact.</p>",
        ),
        (
            "receipt-not-received",
            "I did not receive my rent receipt",
            "Find your receipts and check them online.",
            "<p>The receipt is sent by SMS once the rent is fully paid. A partial payment gives a payment slip, not a receipt.</p>"
            "<p>You can check any receipt with its code on the <b>/r/</b> page. If the rent is paid and nothing arrives within an hour, write to us from the contact form.</p>",
        ),
    ),
    (
        "payer-mon-loyer",
        "tenant",
        "partiel plusieurs fois acompte echelonner",
        (
            "payer-en-plusieurs-fois",
            "Payer mon loyer en plusieurs fois",
            "Un lien de paiement accepte un montant partiel si votre bailleur l'autorise.",
            "<p>Si votre bailleur l'autorise, le lien de paiement vous laisse choisir le <b>montant</b>. Chaque versement vous donne un reçu ; la quittance arrive quand le loyer est soldé.</p>",
        ),
        (
            "pay-in-instalments",
            "Paying my rent in several instalments",
            "A pay link accepts a partial amount when your landlord allows it.",
            "<p>When your landlord allows it, the pay link lets you choose the <b>amount</b>. Each payment gives you a slip; the receipt comes once the rent is fully paid.</p>",
        ),
    ),
    (
        "payer-mon-loyer",
        "tenant",
        "echec echoue refuse erreur debite paiement",
        (
            "paiement-echoue",
            "Mon paiement a échoué : que faire ?",
            "Votre compte a été débité mais le paiement apparaît en échec.",
            "<p>Un paiement refusé par l'opérateur n'est pas débité. Si votre compte Mobile Money a été débité, attendez quinze minutes : la confirmation de l'opérateur peut arriver en retard et le paiement se met à jour tout seul.</p>"
            "<p>Sinon, ouvrez une demande depuis le formulaire de contact avec l'identifiant de la transaction reçu par SMS de votre opérateur.</p>",
        ),
        (
            "payment-failed",
            "My payment failed: what now?",
            "Your account was debited but the payment shows as failed.",
            "<p>A payment the operator refused is not debited. If your Mobile Money account was debited, wait fifteen minutes: the operator's confirmation can be late and the payment updates by itself.</p>"
            "<p>Otherwise open a request from the contact form with the transaction id your operator sent by SMS.</p>",
        ),
    ),
    (
        "mon-compte",
        "everyone",
        "connexion connecter code sms inscription compte",
        (
            "se-connecter",
            "Créer mon compte et me connecter avec mon numéro",
            "Votre numéro de téléphone suffit : un code par SMS vous connecte.",
            "<p>Saisissez votre numéro de téléphone : vous recevez un <b>code à six chiffres</b> par SMS. Il est valable quelques minutes.</p>"
            "<p>Hokwe ne vous demandera jamais ce code par téléphone.</p>",
        ),
        (
            "sign-in",
            "Creating my account and signing in with my phone number",
            "Your phone number is enough: a code by SMS signs you in.",
            "<p>Enter your phone number: you receive a <b>six-digit code</b> by SMS. It is valid for a few minutes.</p>"
            "<p>Hokwe will never ask you for this code on the phone.</p>",
        ),
    ),
    (
        "mon-compte",
        "everyone",
        "changer numero telephone puce perdu",
        (
            "changer-de-numero",
            "Changer mon numéro de téléphone",
            "Votre nouveau numéro se confirme par un code SMS.",
            "<p>Dans <b>Mon compte</b>, choisissez « Changer de numéro » et confirmez le code reçu sur le nouveau numéro. Par sécurité, les versements sont suspendus quelques heures après un changement.</p>",
        ),
        (
            "change-phone-number",
            "Changing my phone number",
            "Your new number is confirmed by an SMS code.",
            "<p>In <b>My account</b>, choose “Change number” and confirm the code sent to the new number. For your safety, payouts are held for a few hours after a change.</p>",
        ),
    ),
    (
        "proprietaires",
        "landlord",
        "bien immeuble logement appartement ajouter",
        (
            "ajouter-un-bien",
            "Ajouter un bien et ses logements",
            "Décrivez l'immeuble puis chaque logement loué.",
            "<p>Dans le gestionnaire, ouvrez <b>Biens</b> puis « Ajouter un bien ». Donnez l'adresse, puis ajoutez chaque logement avec son loyer et ses charges.</p>",
        ),
        (
            "add-a-property",
            "Adding a property and its units",
            "Describe the building, then each unit you rent out.",
            "<p>In the manager, open <b>Properties</b> then “Add a property”. Give the address, then add each unit with its rent and charges.</p>",
        ),
    ),
    (
        "proprietaires",
        "landlord",
        "versement virement banque reversement recevoir loyers",
        (
            "recevoir-mes-loyers",
            "Recevoir les loyers sur mon compte bancaire ou Mobile Money",
            "Choisissez où Hokwe vous verse les loyers encaissés.",
            "<p>Dans <b>Versements</b>, ajoutez un compte bancaire ou un numéro Mobile Money. Les loyers encaissés vous sont versés selon le calendrier choisi, avec un relevé.</p>",
        ),
        (
            "receive-my-rent",
            "Receiving rent on my bank account or Mobile Money",
            "Choose where Hokwe pays out the rent collected.",
            "<p>In <b>Payouts</b>, add a bank account or a Mobile Money number. The rent collected is paid out on the schedule you choose, with a statement.</p>",
        ),
    ),
    (
        "agences",
        "agency",
        "equipe collaborateur inviter membre role",
        (
            "inviter-un-collaborateur",
            "Inviter un collaborateur dans mon agence",
            "Donnez à chaque membre de l'équipe le rôle qui lui convient.",
            "<p>Dans <b>Équipe</b>, saisissez le numéro du collaborateur et choisissez son rôle (gestionnaire, comptable, recouvreur). Il reçoit une invitation par SMS.</p>",
        ),
        (
            "invite-a-colleague",
            "Inviting a colleague to my agency",
            "Give each team member the role that fits.",
            "<p>In <b>Team</b>, enter your colleague's number and choose a role (manager, accountant, collector). They receive an invitation by SMS.</p>",
        ),
    ),
    (
        "agences",
        "agency",
        "avis echeance appel loyer envoi groupe relance",
        (
            "envoyer-les-avis",
            "Envoyer les avis d'échéance à tous les locataires",
            "Les avis partent chaque mois, avec le lien de paiement.",
            "<p>Les avis d'échéance sont envoyés automatiquement au début du mois par SMS, avec le lien de paiement de chaque locataire. Vous pouvez aussi les renvoyer depuis <b>Loyers</b>.</p>",
        ),
        (
            "send-rent-notices",
            "Sending rent notices to every tenant",
            "Notices go out every month, with the pay link.",
            "<p>Rent notices are sent automatically at the start of the month by SMS, with each tenant's pay link. You can also send them again from <b>Rents</b>.</p>",
        ),
    ),
    (
        "point-de-vente",
        "merchant",
        "especes cash guichet encaisser marchand",
        (
            "encaisser-en-especes",
            "Encaisser un loyer en espèces au point de vente",
            "Le locataire paie au guichet, la quittance part par SMS.",
            "<p>Sur la page <b>Point de vente</b>, cherchez le locataire par son numéro, saisissez le montant reçu et validez. Le locataire reçoit son reçu par SMS.</p>",
        ),
        (
            "take-cash-rent",
            "Taking rent in cash at the point of sale",
            "The tenant pays at the counter, the receipt goes by SMS.",
            "<p>On the <b>Point of sale</b> page, find the tenant by phone number, enter the amount received and confirm. The tenant receives a slip by SMS.</p>",
        ),
    ),
    (
        "point-de-vente",
        "merchant",
        "annuler erreur operation remboursement",
        (
            "annuler-une-operation",
            "Annuler une opération au point de vente",
            "Une erreur de saisie s'annule le jour même.",
            "<p>Une opération enregistrée par erreur s'annule le jour même depuis l'historique du point de vente. Après la clôture de la journée, contactez le support.</p>",
        ),
        (
            "cancel-an-operation",
            "Cancelling an operation at the point of sale",
            "A typing mistake is cancelled the same day.",
            "<p>An operation recorded by mistake is cancelled the same day from the point of sale's history. After the day is closed, contact support.</p>",
        ),
    ),
]


def seed_help(ctx) -> None:
    import uuid

    from wagtail.models import Locale

    from .models.help import HelpArticle, HelpCategory

    fr, _ = Locale.objects.get_or_create(language_code="fr")
    en, _ = Locale.objects.get_or_create(language_code="en")
    categories: dict[tuple[str, str], HelpCategory] = {}
    for position, (slug, audience, (fr_title, fr_desc), (en_title, en_desc)) in enumerate(HELP_CATEGORIES):
        original = HelpCategory.objects.filter(locale=fr, slug=slug).first()
        if original is None:
            original = HelpCategory.objects.create(
                locale=fr,
                slug=slug,
                audience=audience,
                title=fr_title,
                description=fr_desc,
                position=position,
            )
        translated = HelpCategory.objects.filter(locale=en, translation_key=original.translation_key).first()
        if translated is None:
            translated = HelpCategory.objects.create(
                locale=en,
                translation_key=original.translation_key,
                slug=slug,
                audience=audience,
                title=en_title,
                description=en_desc,
                position=position,
            )
        categories[(slug, "fr")], categories[(slug, "en")] = original, translated
    created = 0
    for position, (category, audience, keywords, fr_text, en_text) in enumerate(HELP_ARTICLES):
        key = None
        for locale, (slug, title, summary, body) in ((fr, fr_text), (en, en_text)):
            existing = HelpArticle.objects.filter(locale=locale, slug=slug).first()
            if existing is not None:
                key = existing.translation_key
                continue
            article = HelpArticle(
                locale=locale,
                translation_key=key or uuid.uuid4(),
                category=categories[(category, locale.language_code)],
                audience=audience,
                title=title,
                slug=slug,
                summary=summary,
                keywords=keywords,
                body=body,
                position=position,
                live=False,
            )
            article.save()
            article.save_revision().publish()
            key = article.translation_key
            created += 1
    if created:
        log.info("cms demo: %s help articles published", created)


# --- news ---
# HokweNews: the news index « Actualités » of hokwe.co and four real posts in French (the first
# also in English, when the sites part made the English home page), dated from the seeding day.

NEWS_INDEX = ("actualites", "Actualités", "Les nouvelles de Hokwe : produits, villes, partenaires.")
NEWS_INDEX_EN = ("news", "News", "Hokwe's news: products, cities, partners.")

NEWS_POSTS = [
    # slug, days ago, audience, country, city, title, intro, paragraphs, English (slug, title, intro, paragraphs)
    (
        "payer-son-loyer-par-mobile-money",
        2,
        "tenants",
        "BJ",
        "",
        "Payez votre loyer par Mobile Money, sans vous déplacer",
        "MTN MoMo et Moov Money sont acceptés pour tous les loyers gérés sur Hokwe au Bénin. "
        "La quittance arrive par SMS dans la minute.",
        [
            "<p>Votre agence ou votre propriétaire vous envoie chaque mois un lien de paiement par SMS. "
            "Ouvrez-le, choisissez <b>MTN MoMo</b> ou <b>Moov Money</b>, validez sur votre téléphone : "
            "c'est payé.</p>",
            "<p>La quittance est envoyée aussitôt par SMS et reste disponible dans votre espace "
            "locataire. Plus besoin de vous déplacer ni de garder les reçus papier.</p>",
            "<h2>Et si je n'ai pas de lien ?</h2>"
            "<p>Sur pay.hokwe.com, saisissez votre numéro de téléphone : vous recevez par SMS les liens "
            "de vos loyers en attente.</p>",
        ],
        (
            "pay-your-rent-with-mobile-money",
            "Pay your rent with Mobile Money, from home",
            "MTN MoMo and Moov Money are accepted for every rent managed on Hokwe in Benin. The "
            "receipt arrives by SMS within a minute.",
            [
                "<p>Each month your agency or landlord sends you a pay link by SMS. Open it, choose "
                "<b>MTN MoMo</b> or <b>Moov Money</b>, confirm on your phone: it is paid.</p>",
                "<p>The receipt is sent by SMS at once and stays in your tenant space. No more trips, no "
                "more paper receipts to keep.</p>",
            ],
        ),
    ),
    (
        "quittances-automatiques-pour-les-proprietaires",
        9,
        "landlords",
        "BJ",
        "",
        "Quittances automatiques : vos locataires les reçoivent à chaque paiement",
        "Chaque loyer encaissé sur Hokwe produit sa quittance, numérotée et vérifiable par QR code, "
        "sans aucune saisie de votre part.",
        [
            "<p>Dès qu'un loyer est payé, en Mobile Money, par carte ou au guichet d'un point de vente, "
            "Hokwe établit la quittance et l'envoie au locataire.</p>",
            "<p>Chaque quittance porte un code à vérifier sur hokwe.com/r : une quittance falsifiée ne "
            "passe plus. Votre relevé de propriétaire du mois les reprend toutes.</p>",
        ],
        None,
    ),
    (
        "hokwe-arrive-a-abidjan",
        20,
        "agencies",
        "CI",
        "Abidjan",
        "Hokwe arrive à Abidjan : les agences ivoiriennes rejoignent la plateforme",
        "Après Cotonou, les agences immobilières d'Abidjan gèrent leurs biens, leurs baux et leurs "
        "encaissements avec Hokwe, en francs CFA.",
        [
            "<p>Les premières agences de Cocody, Marcory et Yopougon ont ouvert leur espace. Elles "
            "émettent leurs avis d'échéance, encaissent par Orange Money, MTN MoMo et Wave, et suivent "
            "les impayés au même endroit.</p>",
            "<p>Votre agence veut les rejoindre ? Créez votre compte sur hokwe.com : l'import de vos "
            "baux depuis un tableur prend quelques minutes.</p>",
        ],
        None,
    ),
    (
        "cotis-hokwe-epargner-pour-son-loyer",
        35,
        "everyone",
        "",
        "",
        "Cotis'Hokwe : épargner chaque semaine pour payer son loyer sans stress",
        "Mettez de côté quelques milliers de francs chaque semaine : à l'échéance, votre loyer est "
        "prêt. Seul ou en tontine avec vos proches.",
        [
            "<p>Choisissez un montant et un rythme, chaque semaine ou chaque mois. Hokwe prélève votre "
            "portefeuille Mobile Money à la date convenue et garde l'épargne de côté.</p>",
            "<p>Le jour de l'échéance, le loyer est payé depuis votre épargne. Les tontines "
            "Cotis'Hokwe fonctionnent de la même façon, à plusieurs, avec un calendrier connu de tous.</p>",
        ],
        None,
    ),
]


def _news_body(paragraphs):
    from wagtail.rich_text import RichText

    return [("paragraph", RichText(html)) for html in paragraphs]


def seed_news(ctx) -> None:
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone
    from wagtail.models import Locale, Site

    from .models.news import NewsIndexPage, NewsPage

    site = (
        Site.objects.filter(hostname=settings.CMS_SITE_HOSTS["hokwe-co"]).select_related("root_page").first()
    )
    if site is None:
        log.info("cms demo: no hokwe.co site, no news")
        return
    home = site.root_page
    index = NewsIndexPage.objects.child_of(home).first()
    if index is None:
        slug, title, intro = NEWS_INDEX
        index = NewsIndexPage(title=title, slug=slug, intro=intro, show_in_menus=True)
        home.add_child(instance=index)
        index.save_revision().publish()
    english = Locale.objects.get(language_code="en")
    english_home = home.get_translation_or_none(english)
    today = timezone.localdate()
    created = 0
    for slug, days, audience, country, city, title, intro, paragraphs, translation in NEWS_POSTS:
        post = NewsPage.objects.child_of(index).filter(slug=slug).first()
        if post is None:
            post = NewsPage(
                title=title,
                slug=slug,
                date=today - timedelta(days=days),
                intro=intro,
                body=_news_body(paragraphs),
                audience=audience,
                country=country,
                city=city,
            )
            index.add_child(instance=post)
            post.save_revision().publish()
            created += 1
        if translation is None or english_home is None or post.has_translation(english):
            continue
        index_en = index.get_translation_or_none(english)
        if index_en is None:
            slug_en, title_en, intro_en = NEWS_INDEX_EN
            index_en = index.copy_for_translation(english)
            index_en.title, index_en.slug, index_en.intro = title_en, slug_en, intro_en
            index_en.save()
            index_en.save_revision().publish()
        slug_en, title_en, intro_en, paragraphs_en = translation
        post_en = post.copy_for_translation(english)
        post_en.title, post_en.slug, post_en.intro = title_en, slug_en, intro_en
        post_en.body = _news_body(paragraphs_en)
        post_en.save()
        post_en.save_revision().publish()
        created += 1
    if created:
        log.info("cms demo: %s news posts published", created)


# --- vault ---

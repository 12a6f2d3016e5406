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


# --- help ---


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

"""The help centre's search and articles (apps/cms/services/help.py): French stemming and
accents, typos, audience and locale, ranking by title; a <script> in an article never runs;
feedback counted per article."""

from __future__ import annotations

import pytest
from django.db import connection

from apps.cms import api as cms
from apps.cms.demo import seed_help
from apps.cms.models import HelpArticle, HelpCategory, HelpFeedback
from apps.cms.services import help as help_service

pytestmark = pytest.mark.django_db

MOMO = "Comment payer mon loyer par MoMo ?"


@pytest.fixture
def help_demo(db):
    seed_help({})
    return HelpArticle.objects.filter(live=True)


def titles(hits) -> list[str]:
    return [h.title for h in hits]


def make_article(
    *, title, body="<p>Texte.</p>", keywords="", audience="everyone", locale="fr", slug=None, live=True
):
    from wagtail.models import Locale

    loc, _ = Locale.objects.get_or_create(language_code=locale)
    category, _ = HelpCategory.objects.get_or_create(locale=loc, slug="divers", defaults={"title": "Divers"})
    article = HelpArticle(
        locale=loc,
        category=category,
        title=title,
        slug=slug or title.lower().replace(" ", "-")[:100],
        body=body,
        keywords=keywords,
        audience=audience,
        live=False,
    )
    article.save()
    if live:
        article.save_revision().publish()
        article.refresh_from_db()
    return article


def test_demo_tenant_finds_momo_article_with_payer_loyer_momo(help_demo):
    hits = cms.help_search("payer loyer momo", audience="tenant")
    assert hits and hits[0].title == MOMO
    assert hits[0].url.endswith("/help/a/payer-loyer-momo/")


@pytest.mark.parametrize(
    "text",
    [
        "paiement du loyer par mobile money",  # stemming: paiement / payer, loyers
        "PAYER LES LOYERS MOMO",  # case, plural
        "payér loyér momo",  # accents the article does not have
        "paier loyé",  # typos
        "momo loyr",  # a typo in one word
    ],
)
def test_stemming_accents_and_typos_still_find_the_article(help_demo, text):
    assert MOMO in titles(cms.help_search(text, audience="tenant"))


def test_accents_of_the_article_are_optional_in_the_query(help_demo):
    assert "Je n'ai pas reçu ma quittance" in titles(cms.help_search("quittance recue"))
    assert "Mon paiement a échoué : que faire ?" in titles(cms.help_search("paiement echoue"))


def test_audience_keeps_its_articles_and_everyones(help_demo):
    merchant = titles(cms.help_search("encaisser loyer especes", audience="merchant"))
    assert "Encaisser un loyer en espèces au point de vente" in merchant
    assert "Encaisser un loyer en espèces au point de vente" not in titles(
        cms.help_search("encaisser loyer especes", audience="tenant")
    )
    # « everyone »'s articles reach every audience
    assert "Changer mon numéro de téléphone" in titles(cms.help_search("changer numero", audience="merchant"))


def test_locale_english_is_searched_in_english(help_demo):
    hits = cms.help_search("paying rent momo", locale="en")
    assert hits and hits[0].title == "How do I pay my rent with MoMo?" and hits[0].locale == "en"
    assert all(h.locale == "fr" for h in cms.help_search("loyer"))


def test_title_ranks_above_keywords_above_body(db):
    body = make_article(title="Autre sujet A", body="<p>Le compteur électrique prépayé.</p>", slug="a")
    keywords = make_article(title="Autre sujet B", keywords="compteur", slug="b")
    title = make_article(title="Le compteur électrique", slug="c")
    hits = help_service.search("compteur")
    assert [h.slug for h in hits] == [title.slug, keywords.slug, body.slug]


def test_drafts_and_unpublished_articles_are_not_found(db):
    make_article(title="Brouillon secret des tarifs", live=False)
    assert help_service.search("brouillon tarifs") == []


def test_a_script_in_an_article_never_reaches_the_page(client, db):
    from wagtail.rich_text import expand_db_html

    article = make_article(
        title="Article piégé",
        body='<p>Bonjour</p><script>alert("x")</script><p onclick="alert(1)">clic</p><img src=x onerror="alert(2)">',
        slug="piege",
    )
    page = client.get(f"/help/a/{article.slug}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Bonjour" in html
    assert 'alert("x")' not in html and "onclick" not in html and "onerror" not in html
    assert "<script" not in article.body and "<script" not in expand_db_html(article.body)


def test_empty_or_blank_query_finds_nothing(help_demo):
    assert cms.help_search("   ") == []


def test_feedback_is_counted_per_article_and_a_user_answers_once(help_demo, user):
    article = help_demo.get(slug="payer-loyer-momo")
    help_service.feedback_record(article=article, helpful=True)
    help_service.feedback_record(article=article, helpful=False, reason="unclear", comment="Trop court")
    help_service.feedback_record(article=article, helpful=False, reason="outdated", user=user)
    help_service.feedback_record(
        article=article, helpful=True, reason="solved", user=user
    )  # changes their mind
    assert help_service.feedback_counts([article.pk]) == {article.pk: (2, 1)}
    assert HelpFeedback.objects.filter(article=article).count() == 3


def test_feedback_refuses_an_unknown_reason(help_demo):
    from apps.cms.errors import HelpInvalidChoice

    with pytest.raises(HelpInvalidChoice):
        help_service.feedback_record(article=help_demo.first(), helpful=False, reason="because")


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_the_search_uses_the_generated_tsvector_and_its_index(help_demo):
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cms_helparticle WHERE search_tsv IS NOT NULL")
        assert cursor.fetchone()[0] == help_demo.count()
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'cms_helparticle'")
        names = {row[0] for row in cursor.fetchall()}
    assert {"cms_help_tsv", "cms_help_terms_trgm"} <= names


def test_articles_are_wagtail_snippets_with_drafts_and_scheduled_publishing(db, time_machine):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone
    from wagtail.models import Revision
    from wagtail.snippets.models import get_snippet_models

    assert {HelpArticle, HelpCategory} <= set(get_snippet_models())
    article = make_article(title="Horaires du support", slug="horaires")
    # a draft: the live version (what the search reads) does not change
    article.title = "Horaires du support client"
    draft = article.save_revision()
    assert [h.title for h in help_service.search("horaires support")] == ["Horaires du support"]
    # scheduled: published at its time by Wagtail's publish_scheduled
    article = draft.as_object()
    article.go_live_at = timezone.now() + timedelta(hours=1)
    scheduled = article.save_revision()
    scheduled.publish()
    assert [h.title for h in help_service.search("horaires support")] == ["Horaires du support"]
    assert Revision.objects.get(pk=scheduled.pk).approved_go_live_at is not None
    time_machine.move_to(timezone.now() + timedelta(hours=2))
    call_command("publish_scheduled", verbosity=0)
    assert [h.title for h in help_service.search("horaires support")] == ["Horaires du support client"]

"""HokweNews over REST (/api/v1/cms/news…) and GraphQL (cmsNews, cmsNewsPost): anyone may
read the live posts, a page at a time by a keyset cursor (a query ceiling whatever the page
size), filtered by audience, country and city, in French or English."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from apps.cms.models import NewsPage

from .news_helpers import news_index, post, translate

pytestmark = pytest.mark.django_db

LIST = "/api/v1/cms/news"


def _gql(api_client, query: str, **variables) -> dict:
    response = api_client.post("/graphql", {"query": query, "variables": variables}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def _posts(count: int, index=None) -> list[NewsPage]:
    index = index or news_index()
    return [
        post(index, title=f"Billet {n}", date=date(2026, 11, 1) + timedelta(days=n)) for n in range(count)
    ]


def test_anyone_lists_the_live_posts_newest_first_a_page_at_a_time(api_client, django_assert_max_num_queries):
    posts = _posts(5)
    post(publish=False, title="Brouillon")
    with django_assert_max_num_queries(8):
        first = api_client.get(LIST, {"limit": 2})
    assert first.status_code == 200
    body = first.json()
    assert [p["title"] for p in body["results"]] == ["Billet 4", "Billet 3"]
    assert body["results"][0]["id"] == str(posts[4].translation_key)
    assert body["results"][0]["url"] == posts[4].get_full_url()
    assert body["next_cursor"]
    titles = [p["title"] for p in body["results"]]
    cursor = body["next_cursor"]
    while cursor:
        page = api_client.get(LIST, {"limit": 2, "after": cursor}).json()
        titles += [p["title"] for p in page["results"]]
        cursor = page["next_cursor"]
    assert titles == ["Billet 4", "Billet 3", "Billet 2", "Billet 1", "Billet 0"]


def test_the_list_costs_the_same_queries_for_5_or_40_posts(api_client, django_assert_max_num_queries):
    _posts(5)
    with django_assert_max_num_queries(8) as small:
        api_client.get(LIST, {"limit": 50})
    queries = len(small.captured_queries)  # read now: the next request resets the log
    _posts(35)
    with django_assert_max_num_queries(queries):
        body = api_client.get(LIST, {"limit": 50}).json()
    assert len(body["results"]) == 40 and body["next_cursor"] == ""


def test_filters_keep_the_audience_s_posts_and_everyone_s(api_client):
    index = news_index()
    post(index, title="Pour tous")
    post(index, title="Locataires du Bénin", audience="tenants", country="BJ")
    post(index, title="Agences d'Abidjan", audience="agencies", country="CI", city="Abidjan")
    post(index, title="Propriétaires", audience="landlords")

    def titles(**params):
        return sorted(p["title"] for p in api_client.get(LIST, params).json()["results"])

    assert titles(audience="tenants") == ["Locataires du Bénin", "Pour tous"]
    assert titles(audience="tenants", country="CI") == ["Pour tous"]
    assert titles(country="ci", city="abidjan") == ["Agences d'Abidjan", "Pour tous", "Propriétaires"]
    assert len(titles()) == 4


def test_bad_parameters_are_refused_with_problem_details(api_client):
    for params, field in (
        ({"audience": "students"}, "audience"),
        ({"country": "Benin"}, "country"),
        ({"after": "not-a-cursor"}, "after"),
        ({"colour": "blue"}, "colour"),
    ):
        response = api_client.get(LIST, params)
        assert response.status_code == 400, params
        assert response["Content-Type"].startswith("application/problem+json")
        assert field in str(response.json()), (params, response.json())


def test_english_readers_get_the_english_version_or_the_french_one(api_client):
    index = news_index()
    translated = post(index, title="Billet traduit", date=date(2026, 12, 2))
    translate(translated, title="Translated post", slug="translated-post", intro="In English.")
    post(index, title="Billet en français seulement", date=date(2026, 12, 1))
    english = api_client.get(LIST, {"language": "en"}).json()["results"]
    assert [(p["title"], p["language"]) for p in english] == [
        ("Translated post", "en"),
        ("Billet en français seulement", "fr"),
    ]
    french = api_client.get(LIST).json()["results"]
    assert [p["title"] for p in french] == ["Billet traduit", "Billet en français seulement"]
    detail = api_client.get(f"{LIST}/{translated.translation_key}", {"language": "en"}).json()
    assert detail["title"] == "Translated post" and detail["id"] == str(translated.translation_key)
    assert {t["language"] for t in detail["translations"]} == {"fr", "en"}


def test_a_post_s_detail_and_what_is_not_found(api_client):
    page = post(title="Payer par MoMo", body_html="<p>Le <b>paiement</b> est immédiat.</p>", city="Cotonou")
    detail = api_client.get(f"{LIST}/{page.translation_key}")
    assert detail.status_code == 200
    body = detail.json()
    assert body["title"] == "Payer par MoMo" and body["city"] == "Cotonou" and body["image_url"] == ""
    assert "<b>paiement</b>" in body["body_html"]
    draft = post(publish=False, title="Brouillon")
    for missing in (draft.translation_key, "9b2f7d4e-0000-4000-8000-000000000000"):
        response = api_client.get(f"{LIST}/{missing}")
        assert response.status_code == 404
        assert response.json()["type"].endswith("news_post_not_found") or response.json()["status"] == 404


LIST_QUERY = """
query($after: String, $first: Int, $audience: String, $language: String) {
  cmsNews(after: $after, first: $first, audience: $audience, language: $language) {
    posts { id title language audience url date }
    nextCursor
  }
}
"""

POST_QUERY = """
query($id: UUID!, $language: String) {
  cmsNewsPost(id: $id, language: $language) { id title bodyHtml translations { language url } }
}
"""


def test_graphql_lists_and_reads_posts_anonymously(api_client, django_assert_max_num_queries):
    posts = _posts(3)
    with django_assert_max_num_queries(8):
        body = _gql(api_client, LIST_QUERY, first=2)
    assert "errors" not in body, body
    page = body["data"]["cmsNews"]
    assert [p["title"] for p in page["posts"]] == ["Billet 2", "Billet 1"]
    rest = _gql(api_client, LIST_QUERY, first=2, after=page["nextCursor"])["data"]["cmsNews"]
    assert [p["title"] for p in rest["posts"]] == ["Billet 0"] and rest["nextCursor"] == ""
    one = _gql(api_client, POST_QUERY, id=str(posts[0].translation_key))["data"]["cmsNewsPost"]
    assert one["title"] == "Billet 0" and "Le corps du billet." in one["bodyHtml"]
    assert one["translations"] == [{"language": "fr", "url": posts[0].get_full_url()}]
    missing = _gql(api_client, POST_QUERY, id="9b2f7d4e-0000-4000-8000-000000000000")
    assert missing["data"]["cmsNewsPost"] is None


def test_graphql_and_rest_show_the_same_posts(api_client):
    _posts(3)
    rest = api_client.get(LIST).json()["results"]
    graph = _gql(api_client, LIST_QUERY)["data"]["cmsNews"]["posts"]
    assert [(p["id"], p["title"], p["url"], p["date"]) for p in rest] == [
        (p["id"], p["title"], p["url"], p["date"]) for p in graph
    ]


def test_graphql_refuses_an_unknown_audience(api_client):
    body = _gql(api_client, LIST_QUERY, audience="students")
    assert body["errors"] and body["data"] is None


def test_posts_with_images_cost_no_query_per_post(api_client, django_assert_max_num_queries):
    from io import BytesIO

    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images import get_image_model

    def image(n):
        buffer = BytesIO()
        PILImage.new("RGB", (1600, 900), (n * 20 % 255, 110, 79)).save(buffer, "JPEG")
        return get_image_model().objects.create(
            title=f"Photo {n}", file=ImageFile(buffer, name=f"photo{n}.jpg")
        )

    index = news_index()
    for n in range(3):
        post(index, title=f"Illustré {n}", image=image(n))
    api_client.get(LIST)  # the renditions are made once, on the first read
    with django_assert_max_num_queries(8) as three:
        body = api_client.get(LIST).json()
    queries = len(three.captured_queries)  # read now: the next request resets the log
    assert all(p["image_url"].endswith(".jpg") or ".fill-1200x630" in p["image_url"] for p in body["results"])
    for n in range(3, 8):
        post(index, title=f"Illustré {n}", image=image(n))
    api_client.get(LIST)
    with django_assert_max_num_queries(queries):
        body = api_client.get(LIST).json()
    assert len(body["results"]) == 8 and all(p["image_url"] for p in body["results"])

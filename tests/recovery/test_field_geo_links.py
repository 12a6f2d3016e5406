"""The collector's map links carry coordinates with a dot whatever the page's language
(issue 18): a French page once wrote `geo:6,350000,2,380000`, which a phone's map app reads
as nonsense."""

import html
import re

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_page(client, collector, case):
    case.latitude, case.longitude = "6.355400", "2.366000"
    case.save(update_fields=["latitude", "longitude"])
    client.force_login(collector)

    def get(language: str) -> str:
        with translation.override(language):
            response = client.get(
                reverse("recovery:field-case", args=[case.public_id]), HTTP_ACCEPT_LANGUAGE=language
            )
        assert response.status_code == 200
        return html.unescape(response.content.decode())

    return get


@pytest.mark.parametrize("language", ["fr", "en"])
def test_map_links_write_coordinates_with_a_dot(case_page, language):
    body = case_page(language)
    if language == "fr":
        assert "Carte" in body  # the page is really in French
    assert 'href="geo:6.355400,2.366000?q=6.355400,2.366000"' in body
    assert "mlat=6.355400&mlon=2.366000#map=18/6.355400/2.366000" in body
    hrefs = re.findall(r'href="((?:geo:|https://www\.openstreetmap)[^"]*)"', body)
    assert len(hrefs) == 2
    assert not any(re.search(r"\d,\d{6}", h) for h in hrefs)  # no decimal comma anywhere


def test_no_map_link_without_a_position(client, collector, case):
    case.latitude = case.longitude = None
    case.save(update_fields=["latitude", "longitude"])
    client.force_login(collector)
    body = client.get(reverse("recovery:field-case", args=[case.public_id])).content.decode()
    assert "geo:" not in body and "openstreetmap" not in body

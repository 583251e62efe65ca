"""Every search box leads to /search/: the home page's, the catalog's words, the 404 page's and the footer's."""

import pytest

from tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db


def test_the_catalogs_words_are_answered_by_the_site_search_with_its_filters(client):
    response = client.get("/learn/", {"q": "养老", "category": "elderly", "district": "410202", "group": "elderly",
                                      "free": "1", "sort": "new"})
    assert response.status_code == 302
    assert response["Location"] == ("/search/?q=%E5%85%BB%E8%80%81&kind=course&category=elderly&district=410202"
                                    "&target_group=elderly&fee=free")
    assert client.get("/learn/", {"category": "elderly"}).status_code == 200  # browsing without words stays
    provider = InstitutionFactory()
    response = client.get("/learn/", {"q": "书法", "provider": str(provider.pk)})
    assert response["Location"].endswith(f"&kind=course&provider={provider.code}")


def test_the_home_and_not_found_boxes_search_the_site(client):
    home = client.get("/").content.decode()
    assert 'action="/search/"' in home and 'id="home-q"' in home and 'data-suggest="/search/suggest"' in home
    assert 'action="/search/"' in client.get("/no-such-page/").content.decode()

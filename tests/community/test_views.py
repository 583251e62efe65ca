import pytest


@pytest.mark.django_db
def test_community_entry_page_says_what_exists(client):
    response = client.get("/community/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "学习社区" in body
    assert 'href="/learn/"' in body

"""Page links: another app's link appears on a page whose app does not import it."""

from bianxue.registry.links import PageLink, page_link_register, page_links_for


def test_links_are_ordered_and_a_provider_may_decline():
    page_link_register(slot="test.slot", key="b", provider=lambda *, obj, user: PageLink(key="b", label="B", url="/b/",
                                                                                          order=20))
    page_link_register(slot="test.slot", key="a", provider=lambda *, obj, user: PageLink(key="a", label="A", url="/a/",
                                                                                          order=10))
    page_link_register(slot="test.slot", key="none", provider=lambda *, obj, user: None)
    assert [link.key for link in page_links_for(slot="test.slot", obj=object(), user=None)] == ["a", "b"]
    assert page_links_for(slot="test.nothing", obj=object(), user=None) == []

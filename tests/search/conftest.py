"""Fixtures of the search tests: the demo catalog (loaded once per module, rolled back at its end) indexed by each
backend the suite can run on: the database always, Elasticsearch when ELASTICSEARCH_URL is set."""

import os

import pytest

QUIET = type("Quiet", (), {"write": staticmethod(lambda s: None)})()
BACKENDS = [
    "database",
    pytest.param("elasticsearch", marks=pytest.mark.skipif(
        not os.environ.get("ELASTICSEARCH_URL"),
        reason="no Elasticsearch here (ELASTICSEARCH_URL unset): its code is checked by the snapshot tests")),
]


@pytest.fixture(scope="module")
def demo_catalog(django_db_setup, django_db_blocker):
    """The demo's institutions, portal and catalog (with fees and target groups), in a transaction the module's
    tests run inside (each test in a savepoint of it), rolled back when the module is done: loaded once, fast."""
    from bianxue.institutions.demo_loader import load as load_institutions
    from django.db import transaction

    from courses import demo
    from courses.demo_facts import demo_course_facts_apply
    from frontend.demo import load as load_portal

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            load_institutions(stdout=QUIET)
            load_portal(stdout=QUIET)
            demo.load(stdout=QUIET)
            demo_course_facts_apply(stdout=QUIET)
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(params=BACKENDS)
def backend(request, demo_catalog, db, settings):
    """The backend under test, the demo catalog indexed in it (every search goes to it through the selectors)."""
    from django.core.cache import cache

    from search.services import search_index_rebuild

    settings.SEARCH_BACKEND = request.param
    cache.clear()
    search_index_rebuild(backend_name=request.param)
    return request.param

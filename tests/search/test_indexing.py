"""Indexing after commit through the outbox (publish, unpublish, delete, rollback), CMS synonyms applied without
reindexing, and ``search_index --rebuild/--check``."""

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from search.contract import SearchQuery
from search.models import SearchEntry, SynonymGroup
from search.selectors import search_run
from tests.courses.factories import create_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def sections(db):
    from courses.services import catalog_setup

    return {s.category: s for s in catalog_setup()["sections"]}


def keys(text):
    return [h.key for h in search_run(query=SearchQuery(text=text)).hits]


def test_a_published_course_is_indexed_after_commit_and_leaves_when_unpublished(sections,
                                                                                 django_capture_on_commit_callbacks):
    from bianxue.outbox.models import OutboxMessage

    with django_capture_on_commit_callbacks(execute=True):
        course = create_course(sections, title="电焊工入门实训", summary="焊条电弧焊的基本操作")
    assert OutboxMessage.objects.filter(task="search.tasks.search_index_update", sent_at__isnull=False).exists()
    assert keys("电焊") == [f"course:{course.pk}"]
    assert keys("dianhan") == [f"course:{course.pk}"]
    with django_capture_on_commit_callbacks(execute=True):
        course.unpublish()
    assert not SearchEntry.objects.filter(key=f"course:{course.pk}").exists()
    assert keys("电焊") == []


def test_a_rolled_back_publication_is_never_indexed(sections, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            create_course(sections, title="不会发布的课程")
            raise RuntimeError("rolled back")
    assert callbacks == [] and not SearchEntry.objects.exists()


def test_a_deleted_course_leaves_the_index(sections, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        course = create_course(sections, title="插花艺术")
    assert SearchEntry.objects.filter(key=f"course:{course.pk}").exists()
    with django_capture_on_commit_callbacks(execute=True):
        course.delete()
    assert not SearchEntry.objects.filter(key=f"course:{course.pk}").exists()


def test_cms_synonyms_apply_at_the_next_query_without_reindexing(sections, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        course = create_course(sections, title="电焊工入门实训")
    search_run(query=SearchQuery(text="焊接"))  # the synonyms are cached now
    indexed_at = SearchEntry.objects.get(key=f"course:{course.pk}").updated_at
    assert keys("焊接") == []
    group = SynonymGroup.objects.create(terms="电焊，焊接")
    assert keys("焊接") == [f"course:{course.pk}"]
    assert SearchEntry.objects.get(key=f"course:{course.pk}").updated_at == indexed_at  # no reindex
    group.active = False
    group.save()
    assert keys("焊接") == []


def test_the_synonyms_file_parses_groups_and_comments():
    from search.synonyms import FILE, parse, synonym_map

    groups = parse(FILE.read_text(encoding="utf-8"))
    mapping = synonym_map(groups)
    assert {"照护", "护理"} <= set(mapping["养老"]) and "智能手机" in mapping["手机"]
    assert parse("# 注释\n甲，乙、丙 # 行尾注释\n单独") == [("甲", "乙", "丙")]


def test_search_index_rebuild_and_check(sections, capsys):
    create_course(sections, title="太极拳")  # published without the outbox running: the index lags
    with pytest.raises(CommandError):
        call_command("search_index", "--check")
    call_command("search_index", "--rebuild", "--check")
    out = capsys.readouterr().out
    assert "course: database 1, index 1  ok" in out
    assert SearchEntry.objects.filter(kind="course").count() == 1

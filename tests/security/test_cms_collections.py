"""Attacks on another institution's documents and images in the CMS (issue 10: "a teacher of institution A cannot
list, choose or fetch B's documents or images in the CMS").

Each institution has its own collection and a staff group with add, change and choose permissions on that
collection only (bianxue.institutions.services.institution_cms_space_ensure); the bureau's group has them on the
root collection, so it sees all.

Scenario × door:
- Teacher of A lists B's documents / images (CMS admin listing): B's are not listed.
- Teacher of A chooses B's (chooser modal, and the chooser's "chosen" endpoint a page editor calls): not offered,
  refused.
- Teacher of A opens B's document or image in the CMS edit view: refused (Wagtail's "no permission", back to
  the dashboard).
- Staff page, bulk action, command: n/a (documents and images live only in the CMS admin).
- The public file URLs are not a CMS door: a document's download link (/documents/<id>/<file name>) and image
  renditions serve learners the files used on pages, like any published page (docs/trust.md).
Legitimate: the teacher uploads a document into A's collection and a page editor can choose it; the bureau sees
both institutions' files.
"""

import html
import json

import pytest
from bianxue.accounts.models import Role
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from tests.factories import InstitutionFactory, bureau_admin, staff_user

pytestmark = pytest.mark.django_db
Document, Image = get_document_model(), get_image_model()


@pytest.fixture
def a(db):
    return InstitutionFactory(code="KF-A", name="甲校")


@pytest.fixture
def b(db):
    return InstitutionFactory(code="KF-B", name="乙校")


@pytest.fixture
def teacher_a(a):
    return staff_user(institution=a, role=Role.TEACHER)


@pytest.fixture
def files_of_b(b):
    b.refresh_from_db()
    document = Document.objects.create(title="乙校内部讲义", collection=b.collection,
                                       file=ContentFile(b"%PDF-1.4 secret", name="b-handout.pdf"))
    image = Image.objects.create(title="乙校内部图片", collection=b.collection, file=get_test_image_file())
    return document, image


def _text(response) -> str:
    """The page, or the chooser's JSON answer with its Chinese unescaped."""
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


def test_every_institution_has_its_own_collection_and_staff_group(a, b):
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.collection and b.collection and a.collection != b.collection
    assert a.collection.get_parent().depth == 1  # side by side under the root: no inheritance between them
    assert a.staff_group != b.staff_group


def test_teacher_of_a_does_not_list_bs_documents_or_images(client, teacher_a, files_of_b):
    client.force_login(teacher_a)
    for url, title in [(reverse("wagtaildocs:index"), "乙校内部讲义"), (reverse("wagtailimages:index"), "乙校内部图片")]:
        page = client.get(url)
        assert page.status_code == 200 and title not in _text(page), url


def test_teacher_of_a_is_not_offered_bs_files_in_the_chooser(client, teacher_a, files_of_b):
    client.force_login(teacher_a)
    for url, title in [(reverse("wagtaildocs_chooser:choose"), "乙校内部讲义"),
                       (reverse("wagtailimages_chooser:choose"), "乙校内部图片")]:
        page = client.get(url)
        assert page.status_code == 200 and title not in _text(page), url


def test_teacher_of_a_cannot_choose_bs_file_by_id(client, teacher_a, files_of_b):
    document, image = files_of_b
    client.force_login(teacher_a)
    for url in [reverse("wagtaildocs_chooser:chosen", args=[document.pk]),
                reverse("wagtailimages_chooser:chosen", args=[image.pk])]:
        response = client.get(url)
        assert response.status_code in (302, 403, 404), url
        assert "乙校内部" not in _text(response)


def test_teacher_of_a_cannot_open_or_change_bs_files_in_the_cms(client, teacher_a, files_of_b):
    document, image = files_of_b
    client.force_login(teacher_a)
    for url in [reverse("wagtaildocs:edit", args=[document.pk]), reverse("wagtailimages:edit", args=[image.pk])]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home"), url
        posted = client.post(url, {"title": "改掉", "collection": document.collection_id})
        assert posted.status_code == 302, url
    document.refresh_from_db()
    image.refresh_from_db()
    assert document.title == "乙校内部讲义" and image.title == "乙校内部图片"


def test_teacher_uploads_into_own_collection_and_a_page_editor_may_choose_it(client, a, teacher_a, files_of_b):
    a.refresh_from_db()
    client.force_login(teacher_a)
    response = client.post(reverse("wagtaildocs:add"), {
        "title": "甲校课程讲义", "collection": a.collection_id,
        "file": ContentFile(b"%PDF-1.4 ours", name="a-handout.pdf"),
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    document = Document.objects.get(title="甲校课程讲义")
    assert document.collection_id == a.collection_id and document.uploaded_by_user == teacher_a
    chooser = client.get(reverse("wagtaildocs_chooser:choose"))
    assert "甲校课程讲义" in _text(chooser)
    chosen = client.get(reverse("wagtaildocs_chooser:chosen", args=[document.pk]))
    assert chosen.status_code == 200 and "甲校课程讲义" in _text(chosen)
    # the lesson block of a course page takes it (what the page editor saves)
    from courses.blocks import DocumentLessonBlock

    value = DocumentLessonBlock().to_python({"title": "讲义", "minutes": 10, "required": True,
                                             "document": document.pk, "summary": ""})
    assert value["document"] == document


def test_upload_into_another_institutions_collection_is_refused(client, b, teacher_a):
    b.refresh_from_db()
    client.force_login(teacher_a)
    response = client.post(reverse("wagtaildocs:add"), {
        "title": "塞进乙校", "collection": b.collection_id, "file": ContentFile(b"%PDF-1.4", name="x.pdf"),
    })
    assert not Document.objects.filter(title="塞进乙校", collection=b.collection).exists()
    assert response.status_code in (200, 302)


def test_bureau_sees_every_institutions_files(client, a, files_of_b):
    admin = bureau_admin()
    client.force_login(admin)
    assert "乙校内部讲义" in client.get(reverse("wagtaildocs:index")).content.decode()
    assert "乙校内部图片" in client.get(reverse("wagtailimages:index")).content.decode()
    document, _image = files_of_b
    assert client.get(reverse("wagtaildocs:edit", args=[document.pk])).status_code == 200


# --- fetching the file itself: /documents/<id>/<name> (Wagtail's serve view) and /media/documents/ --------------


def _serve_url(document) -> str:
    return reverse("wagtaildocs_serve", args=[document.pk, document.filename])


@pytest.mark.parametrize(("language", "message"), [
    ("zh-hans", "这个文件只供所属机构的工作人员使用，尚未在已发布的页面中公开。"),
    ("en", "This file is for its institution's staff only: no published page uses it yet."),
])
def test_bs_document_no_live_page_uses_is_not_served_to_others(client, teacher_a, files_of_b, language, message):
    document, _image = files_of_b
    client.cookies["django_language"] = language
    anonymous = client.get(_serve_url(document))
    assert anonymous.status_code == 403 and message in html.unescape(anonymous.content.decode())
    client.force_login(teacher_a)
    client.cookies["django_language"] = language
    refused = client.get(_serve_url(document))
    assert refused.status_code == 403 and message in html.unescape(refused.content.decode())
    assert b"secret" not in refused.content
    # not straight from the folder either
    assert client.get(f"/media/{document.file.name}").status_code == 404


def test_bs_own_staff_and_the_bureau_fetch_the_document(client, b, files_of_b):
    document, _image = files_of_b
    client.force_login(staff_user(institution=b, role=Role.TEACHER))
    assert client.get(_serve_url(document)).status_code == 200
    client.force_login(bureau_admin())
    assert client.get(_serve_url(document)).status_code == 200


def test_a_document_a_live_course_uses_is_served_to_everyone(client, b, files_of_b):
    from courses.services import catalog_setup
    from tests.courses.factories import create_course, lesson

    document, _image = files_of_b
    sections = {s.category: s for s in catalog_setup()["sections"]}
    create_course(sections, provider=b, lessons=[lesson("document", document=document.pk)])
    response = client.get(_serve_url(document))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 secret"

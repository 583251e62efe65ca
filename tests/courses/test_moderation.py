"""Publishing by providers, end to end over HTTP: an institution's teacher writes a course in the
Wagtail admin and submits it; a bureau administrator (signed in with password + TOTP) approves it;
the course goes live and is listed in /learn/."""


import pytest
from django.core.cache import cache
from django.urls import reverse
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from courses.models import CoursePage
from courses.services import catalog_setup
from tests.factories import InstitutionFactory, bureau_admin, mfa_enable, staff_user, totp_code

pytestmark = pytest.mark.django_db
PASSWORD = "pass-word-123"  # tests/factories.py UserFactory


def _course_form(*, provider, title, slug, action):
    data = nested_form_data({
        "title": title, "slug": slug, "code": slug, "provider": provider.pk, "category": "elderly",
        "mode": "online", "hours": "6", "completion_threshold": "90", "summary": "教长辈用手机挂号、扫码、视频通话。",
        "description": rich_text("<p>每周二上午，手把手教学。</p>"),
        "lessons": streamfield([
            ("text", {"title": "第一课：开机与解锁", "minutes": "10", "required": "on",
                      "body": rich_text("<p>长按电源键开机。</p>")}),
        ]),
        "comments": inline_formset([]),
    })
    data[action] = "1"
    return data


def _catalog_ids(client) -> list[int]:
    return [c.pk for c in client.get("/learn/", {"category": "elderly"}).context["page"].object_list]


def _login_with_totp(client, user):
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    code = totp_code()
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302 and int(client.session["_auth_user_id"]) == user.pk


def test_staff_course_goes_live_after_bureau_approval(client):
    cache.clear()  # login rate limits
    setup = catalog_setup()
    section = next(s for s in setup["sections"] if s.category == "elderly")
    provider = InstitutionFactory(type="elderly_university", name="开封老年大学")
    other = InstitutionFactory(type="community_school")
    teacher = staff_user(institution=provider)
    teacher.groups.add(setup["staff_group"])

    # 1. the teacher writes the course in the admin and submits it for moderation
    client.force_login(teacher)
    add_url = reverse("wagtailadmin_pages:add", args=["courses", "coursepage", section.pk])
    form = client.get(add_url)
    assert form.status_code == 200
    assert 'name="action-publish"' not in form.content.decode()  # staff cannot publish
    # a course for another institution is refused by the form
    forged = client.post(add_url, _course_form(provider=other, title="冒名课程", slug="forged", action="action-submit"))
    assert forged.status_code == 200 and not CoursePage.objects.filter(slug="forged").exists()
    # a direct publish attempt does not publish
    client.post(add_url, _course_form(provider=provider, title="长辈学用智能手机", slug="phone-for-elders",
                                      action="action-publish"))
    page = CoursePage.objects.get(slug="phone-for-elders")
    assert not page.live
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    response = client.post(edit_url, _course_form(provider=provider, title="长辈学用智能手机", slug="phone-for-elders",
                                                  action="action-submit"))
    assert response.status_code == 302, response.content.decode()[:2000]
    page.refresh_from_db()
    assert not page.live and page.lessons[0].value["title"] == "第一课：开机与解锁"
    state = WorkflowState.objects.get(object_id=str(page.pk), status=WorkflowState.STATUS_IN_PROGRESS)
    assert state.workflow == setup["workflow"]
    assert page.pk not in _catalog_ids(client)
    # the teacher cannot approve their own submission
    task_state = state.current_task_state
    approve_url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    client.post(approve_url)
    page.refresh_from_db()
    assert not page.live

    # 2. the bureau administrator signs in with password + TOTP and approves
    client.logout()
    admin = bureau_admin()
    admin.groups.add(setup["bureau_group"])
    mfa_enable(admin)
    _login_with_totp(client, admin)
    assert client.get("/admin/").status_code == 200
    assert "长辈学用智能手机" in client.get(reverse("wagtailadmin_home")).content.decode()  # awaiting review
    response = client.post(approve_url)
    assert response.status_code in (200, 302)

    # 3. live, and in the catalog
    page.refresh_from_db()
    state.refresh_from_db()
    assert page.live and state.status == WorkflowState.STATUS_APPROVED
    assert page.provider_id == provider.pk
    assert page.pk in _catalog_ids(client)
    assert "长辈学用智能手机" in client.get("/learn/", {"category": "elderly"}).content.decode()
    client.logout()
    assert client.get(page.url).status_code == 200

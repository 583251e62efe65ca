"""The CMS admin renders no inline script (bianxue.cms.widgets): choosers, date pickers and inline panels are
started by the ``bx-init`` controller from inert elements, so the admin runs under script-src 'self'."""

import json
import re

import pytest
from django.urls import reverse

from courses.services import catalog_setup
from tests.factories import CertificateFactory, DistrictFactory, InstitutionFactory, bureau_admin, staff_user

pytestmark = pytest.mark.django_db

SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)
INERT_TYPES = ("application/json", "application/ld+json", "text/template")


def inline_scripts(html: str) -> list[str]:
    """The executable inline scripts of a page (a ``src`` or a data type is not one)."""
    found = []
    for attrs, body in SCRIPT.findall(html):
        if "src=" in attrs or any(f'type="{t}"' in attrs for t in INERT_TYPES):
            continue
        found.append(body.strip()[:120])
    return found


def inits(html: str) -> list[tuple[str, list]]:
    """The bx-init elements as (name, arguments)."""
    pattern = re.compile(r'data-controller="bx-init" data-bx-init-(?:construct|call)-value="([^"]+)" '
                         r'data-bx-init-args-value="([^"]+)"')
    from html import unescape

    return [(name, json.loads(unescape(args))) for name, args in pattern.findall(html)]


@pytest.fixture
def course_section():
    setup = catalog_setup()
    return setup, next(s for s in setup["sections"] if s.category == "x_certificate")


def test_new_course_form_has_no_inline_script_and_starts_its_choosers_and_date_pickers(client, course_section):
    setup, section = course_section
    provider = InstitutionFactory(name="开封职业学院")
    teacher = staff_user(institution=provider)
    teacher.groups.add(setup["staff_group"])
    client.force_login(teacher)

    html = client.get(reverse("wagtailadmin_pages:add", args=["courses", "coursepage", section.pk])).content.decode()

    assert inline_scripts(html) == []
    started = inits(html)
    names = {args[0]: name for name, args in started}
    assert names["id_provider"] == "SnippetChooser"
    assert names["id_district"] == "SnippetChooser"
    assert names["id_certificate"] == "SnippetChooser"
    assert names["id_start_date"] == "initDateChooser" and names["id_enrol_closes"] == "initDateChooser"
    assert names["id_go_live_at"] == "initDateTimeChooser"
    provider_options = next(args[1] for name, args in started if args[0] == "id_provider")
    assert provider_options["modalUrl"].startswith("/admin/snippets/choose/institutions/institution/")
    assert 'src="/static/bianxue_cms/admin-init.js"' in html


def test_edit_forms_of_pages_and_snippets_have_no_inline_script(client, course_section):
    from tests.courses.factories import create_course

    setup, _section = course_section
    admin = bureau_admin(is_superuser=True)  # users, groups and workflows too
    client.force_login(admin)
    district = DistrictFactory()
    institution = InstitutionFactory(district=district)
    certificate = CertificateFactory()
    course = create_course({x.category: x for x in setup["sections"]}, provider=institution, category="elderly")
    urls = [
        reverse("wagtailadmin_pages:edit", args=[course.pk]),
        reverse("wagtailadmin_pages:add", args=["courses", "programmepage", setup["sections"][0].pk]),
        reverse("wagtailsnippets_institutions_institution:add"),
        reverse("wagtailsnippets_institutions_institution:edit", args=[institution.pk]),
        reverse("wagtailsnippets_institutions_major:add"),
        reverse("wagtailsnippets_institutions_certificate:edit", args=[certificate.pk]),
        reverse("wagtailsnippets_accounts_staffmembership:add"),
        reverse("wagtailsnippets_credits_valuationrule:add"),
        reverse("wagtailsnippets_credits_accreditation:add"),
        reverse("wagtailusers_users:edit", args=[admin.pk]),
        reverse("wagtailusers_groups:edit", args=[setup["staff_group"].pk]),
        reverse("wagtailadmin_workflows:edit", args=[setup["workflow"].pk]),
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_explore", args=[setup["sections"][0].pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert inline_scripts(response.content.decode()) == [], url


def test_an_unknown_initialiser_is_refused():
    from bianxue.cms.widgets import init_element

    with pytest.raises(ValueError):
        init_element(call="alert", args=["x"])

"""Real-name binding pages: the resident's claim and code (/me/identity/), staff confirmation
(/me/identity/requests/), the bureau's unbind page (/me/identity/bindings/)."""

import re

import pytest
from bianxue.accounts import sms
from bianxue.accounts.models import Role
from bianxue.people.models import BindingRequest, BindingStatus, Learner
from bianxue.people.services import binding_request_start, learner_get_or_create, learner_phones_bulk_record
from django.core.cache import cache
from django.urls import reverse

from tests.factories import InstitutionFactory, UserFactory, bureau_admin, learner_bind, staff_user

VALID = "410202195203140023"
WRONG_CHECK = "410202195203140024"
NEXT_ZH = "如果有机构为该身份证号登记了手机号，验证码已发送到该手机"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clean():
    cache.clear()
    sms.outbox.clear()


def test_identity_page_needs_login(client):
    response = client.get(reverse("people:identity"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_claim_then_code_binds_and_only_the_masked_number_shows(client, django_capture_on_commit_callbacks):
    school = InstitutionFactory()
    learner = learner_get_or_create(identifier=VALID, name="王秀兰")
    learner_phones_bulk_record(entries=[(learner.pk, school.pk, "13800001234")])
    user = UserFactory()
    client.force_login(user)
    page = client.get(reverse("people:identity")).content.decode()
    assert '<label for="id_name">' in page and '<label for="id_resident_id">' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("people:identity"), {"name": "王秀兰", "resident_id": VALID})
    assert response.status_code == 302
    body = client.get(reverse("people:identity")).content.decode()
    assert NEXT_ZH in body and "4102**********0023" in body and VALID not in body and "1234" not in body
    assert '<label for="id_code">' in body and f'action="{reverse("people:identity_code")}"' in body
    code = re.search(r"\d{6}", sms.outbox[-1]["message"]).group()
    response = client.post(reverse("people:identity_code"), {"code": code})
    assert response.status_code == 302
    assert Learner.objects.get(user=user).pk == learner.pk
    for url in (reverse("people:identity"), reverse("accounts:profile")):
        body = client.get(url).content.decode()
        assert "4102**********0023" in body and VALID not in body


def test_wrong_check_character_error_in_words_and_number_not_echoed(client):
    client.force_login(UserFactory())
    response = client.post(reverse("people:identity"), {"name": "王秀兰", "resident_id": WRONG_CHECK})
    body = response.content.decode()
    assert response.status_code == 200
    assert "身份证号校验位错误，请核对。" in body and "check character" not in body
    assert WRONG_CHECK not in body
    assert not BindingRequest.objects.exists() and not Learner.objects.exists()


def test_error_in_english_only(client):
    client.force_login(UserFactory())
    client.cookies["django_language"] = "en"
    response = client.post(reverse("people:identity"), {"name": "王秀兰", "resident_id": WRONG_CHECK})
    body = response.content.decode()
    assert "The check character of this resident ID number is wrong; please check it." in body
    assert "身份证号校验位错误" not in body


def test_resend_and_withdraw(client):
    user = UserFactory()
    binding_request_start(user=user, identifier=VALID, name="王秀兰")
    client.force_login(user)
    response = client.post(reverse("people:identity_resend"), follow=True)
    assert NEXT_ZH in response.content.decode()
    client.post(reverse("people:identity_withdraw"))
    assert BindingRequest.objects.get(user=user).status == BindingStatus.WITHDRAWN
    assert '<label for="id_resident_id">' in client.get(reverse("people:identity")).content.decode()


def _claims(n, school, *, start=0):
    from bianxue.people.identifiers import resident_id_check_char

    for i in range(start, start + n):
        first17 = f"41020219600101{i:03d}"
        number = first17 + resident_id_check_char(first17)
        learner = learner_get_or_create(identifier=number, name=f"学员{i}")
        learner_phones_bulk_record(entries=[(learner.pk, school.pk, "13800001234")])
        binding_request_start(user=UserFactory(), identifier=number, name=f"学员{i}")


def test_staff_see_only_claims_on_their_learners_and_confirm(client, django_assert_max_num_queries):
    school, other = InstitutionFactory(), InstitutionFactory()
    _claims(3, school)
    _claims(2, other, start=100)
    registrar = staff_user(institution=school, role=Role.REGISTRAR)
    client.force_login(registrar)
    with django_assert_max_num_queries(25):
        page = client.get(reverse("people:binding_requests"))
    assert page.status_code == 200
    assert page.content.decode().count('name="claim"') == 3
    _claims(5, school, start=200)
    with django_assert_max_num_queries(25):  # no query per row
        assert client.get(reverse("people:binding_requests")).content.decode().count('name="claim"') == 8
    claim = BindingRequest.objects.filter(status="pending", name="学员0").order_by("pk").first()
    response = client.post(reverse("people:binding_requests"), {"claim": claim.pk, "action": "confirm",
                                                                 "reason": "核对身份证原件"})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == BindingStatus.VERIFIED and Learner.objects.get(user=claim.user).name == "学员0"


def test_learners_see_no_requests_page(client):
    client.force_login(UserFactory())
    assert client.get(reverse("people:binding_requests")).status_code == 403


def test_bureau_finds_by_number_and_unbinds(client):
    user = UserFactory()
    learner = learner_bind(user=user, identifier=VALID, name="王秀兰")
    bureau = bureau_admin()
    client.force_login(bureau)
    body = client.post(reverse("people:bindings"), {"action": "search", "resident_id": VALID}).content.decode()
    assert "4102**********0023" in body and VALID not in body
    response = client.post(reverse("people:bindings"), {"action": "unbind", "learner": learner.pk,
                                                         "reason": "本人投诉冒用"})
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.user is None


def test_menu_entries_follow_roles(client):
    school = InstitutionFactory()
    client.force_login(staff_user(institution=school, role=Role.TEACHER))
    body = client.get(reverse("accounts:profile")).content.decode()
    assert reverse("people:binding_requests") in body and reverse("people:bindings") not in body
    client.force_login(bureau_admin())
    assert reverse("people:bindings") in client.get(reverse("accounts:profile")).content.decode()
    client.force_login(UserFactory())
    body = client.get(reverse("accounts:profile")).content.decode()
    assert reverse("people:binding_requests") not in body

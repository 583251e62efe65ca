"""Credit officers look a learner's account up by resident ID number or mobile: scoped to their institutions,
audited without the raw number, the same answer for unknown and out-of-scope numbers."""

import json

import pytest
from bianxue.accounts.models import AuditEntry
from django.core.cache import cache
from django.urls import reverse

from credits import lookup
from tests.factories import LearnerFactory, UserFactory, bureau_admin, mfa_enable, staff_user

pytestmark = pytest.mark.django_db

RESIDENT_ID = "410203199001011236"
URL = "/credits/staff/lookup/"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def resident(make_record, rules):
    learner = LearnerFactory(identifier=RESIDENT_ID, name="李建国")
    make_record(learner=learner, name="电工培训")
    return learner


def _signed_in(client, user):
    mfa_enable(user)
    client.force_login(user)
    return client


def test_lookup_by_resident_id_shows_the_account_at_the_institution(client, officer, resident):
    page = _signed_in(client, officer).post(URL, {"q": RESIDENT_ID.lower()[:-1] + "6"})
    body = page.content.decode()
    assert page.status_code == 200
    assert "李建国" in body and resident.id_masked in body and RESIDENT_ID not in body
    assert "电工培训" in body and 'data-testid="lookup-account"' in body
    entry = AuditEntry.objects.get(action="credits.account.lookup")
    assert entry.actor == officer and entry.institution_id == officer.memberships.get().institution_id
    assert entry.data["by"] == "id" and entry.data["learners"] == [resident.pk]
    assert RESIDENT_ID not in json.dumps(entry.data) and entry.data["masked"] == resident.id_masked


def test_unknown_and_out_of_scope_numbers_get_the_same_answer(client, officer, other_officer, resident):
    unknown = lookup.account_lookup(actor=officer, query="410203199001011252")
    elsewhere = lookup.account_lookup(actor=other_officer, query=RESIDENT_ID)
    assert unknown["learners"] == elsewhere["learners"] == [] and unknown["accounts"] == elsewhere["accounts"] == []

    def answer(user, number):
        body = _signed_in(client, user).post(URL, {"q": number}).content.decode()
        return body[body.index('id="h-result"'):body.index("</section>")].replace(number[:4], "").split("</h2>")[1]

    assert answer(other_officer, RESIDENT_ID) == answer(officer, "410203199001011252")
    assert AuditEntry.objects.filter(action="credits.account.lookup").count() == 4  # every lookup, found or not


def test_lookup_by_mobile_finds_the_login_of_a_learner_with_outcomes_here(client, officer, make_record, rules):
    from bianxue.people.services import learner_for_user_get_or_create

    user = UserFactory(phone="+8613900001111", display_name="周玉兰")
    learner = learner_for_user_get_or_create(user=user)
    make_record(learner=learner, name="老年照护")
    body = _signed_in(client, officer).post(URL, {"q": "139 0000 1111"}).content.decode()
    assert "周玉兰" in body and "老年照护" in body and "13900001111" not in body
    entry = AuditEntry.objects.get(action="credits.account.lookup")
    assert entry.data["by"] == "phone" and entry.data["masked"] == "139****1111"
    assert "13900001111" not in json.dumps(entry.data)


def test_only_credit_officers_and_the_bureau_look_up(client, institution, resident):
    for user, status in ((UserFactory(), 403), (staff_user(institution=institution), 403),
                         (bureau_admin(), 200)):
        response = _signed_in(client, user).post(URL, {"q": RESIDENT_ID})
        assert response.status_code == status
    assert AuditEntry.objects.filter(action="credits.account.lookup").count() == 1


def test_the_queue_links_the_lookup_and_a_lookup_needs_no_number_in_the_url(client, officer):
    queue = _signed_in(client, officer).get(reverse("credits:queue")).content.decode()
    assert reverse("credits:account_lookup") in queue
    page = client.get(URL).content.decode()
    assert 'method="post"' in page and not AuditEntry.objects.filter(action="credits.account.lookup").exists()


def test_lookups_are_rate_limited(client, officer, resident):
    _signed_in(client, officer)
    statuses = [client.post(URL, {"q": f"41020319900101{i:04d}"}).status_code for i in range(30)]
    assert statuses == [200] * 30
    assert client.post(URL, {"q": RESIDENT_ID}).status_code == 429
    assert AuditEntry.objects.filter(action="credits.account.lookup").count() == 30

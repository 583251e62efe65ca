"""Real-name binding (issue 10, scenario 6): anyone could bind any checksum-valid resident ID number to their
login under any name, or claim an imported learner by knowing the name, and the two error messages differed,
so the form told whether an ID number exists. Now a claim links nothing until proved (a code to the mobile an
institution recorded, or staff of an institution holding the learner's records, or the bureau); every answer
is the same whatever the number; attempts are rate limited; only the bureau unbinds. docs/trust.md explains it.

Scenario × door matrix (every cell a test or a named "not applicable"):

| scenario                                    | page                                                          | bulk action | CMS admin (Wagtail) | command |
|---------------------------------------------|---------------------------------------------------------------|-------------|---------------------|---------|
| bind an arbitrary valid ID under any name   | test_arbitrary_id_under_any_name_is_pending_and_gives_nothing | n/a: no bulk action binds | n/a: learners and binding claims are not in the CMS admin | n/a: no command binds, confirms or unbinds |
| claim an imported learner by its name       | test_claim_of_imported_learner_by_name_only_gives_nothing     | n/a | n/a | n/a |
| answers tell whether the ID exists          | test_answers_are_byte_identical_for_existing_and_unknown_ids  | n/a | n/a | n/a |
| guessing the code                           | test_wrong_code_attempts_are_limited, test_claims_are_rate_limited | n/a | n/a | n/a |
| staff of another institution confirm        | test_staff_of_another_institution_cannot_confirm               | n/a: claims are decided one by one | n/a | n/a |
| someone other than the bureau unbinds       | test_non_bureau_cannot_unbind                                  | n/a | n/a | n/a |
| legitimate: code to the recorded mobile     | test_code_to_recorded_mobile_binds_and_records_and_credits_appear | | | |
| legitimate: staff confirmation              | test_staff_confirmation_binds                                  | | | |

The import command (``import_records``) records mobiles only for its own institution's rows, as the import page
does (tests/credits/records/test_import_phone.py and the import's scoping tests).
"""

import html
import re

import pytest
from bianxue.accounts import sms
from bianxue.accounts.models import AuditEntry, Role
from bianxue.people.models import BindingRequest, BindingStatus, Learner
from bianxue.people.services import learner_get_or_create, learner_phones_bulk_record
from django.core.cache import cache

from credits.services import account_for_user_get_or_create
from tests.credits.records.factories import rid
from tests.factories import InstitutionFactory, UserFactory, learner_bind, staff_user
from tests.security.conftest import LANGUAGES, in_language, ledger_state

VICTIM = "410202195203140023"  # fictitious, correct check character
UNKNOWN = "11010519491231002X"
FAILED = {"zh-hans": "验证未通过。请核对后重试，或请持有您学习记录的机构工作人员确认。",
          "en": "Verification failed. Check and try again, or ask the staff of an institution that holds your "
                "records to confirm."}
TOO_MANY = {"zh-hans": "尝试次数过多，请稍后再试。", "en": "Too many attempts; please try again later."}
NOT_HOLDER = {"zh-hans": "只有持有该学员学习记录的机构工作人员或教育局管理员可以处理该实名绑定申请。",
              "en": "Only staff of an institution that holds this learner's records, or a bureau administrator, "
                    "may decide on this identity claim."}
BUREAU_ONLY = {"zh-hans": "只有教育局管理员可以解除实名绑定。",
               "en": "Only bureau administrators may undo an identity link."}


pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clean():
    cache.clear()
    sms.outbox.clear()


@pytest.fixture
def school(db):
    return InstitutionFactory(name="开封职业学校")


@pytest.fixture
def imported(school, rules, tmp_path):
    """The victim's records imported by their school, with the mobile it recorded; credits deposited."""
    from credits.records.imports import submission_import
    from tests.credits.records.factories import write_folder

    files = {"records": [{"record_id": "V1", "kind": "training", "learner_id": VICTIM, "name": "王秀兰",
                          "institution_code": school.code, "programme_code": "P1", "programme_name": "养老护理培训",
                          "category": "vocational", "date": "2025-06-01", "hours": "32", "result": "completed",
                          "phone": "13800001234"}]}
    report = submission_import(path_or_file=write_folder(tmp_path / "sub", files), actor=None)
    assert report.ok, [str(e) for e in report.errors]
    learner = Learner.objects.get(records__record_id="V1")
    assert learner.credit_account.balance > 0
    return learner


def binding_state() -> tuple:
    return (sorted(Learner.objects.values_list("pk", "user_id")),
            sorted(BindingRequest.objects.exclude(status=BindingStatus.PENDING).values_list("pk", "status")))


def claim(client, number, name, capture):
    with capture(execute=True):
        return client.post("/me/identity/", {"name": name, "resident_id": number})


def text(response) -> str:
    return html.unescape(response.content.decode())


def main(response) -> str:
    body = text(response)
    body = body[body.index("<main"):body.index("</main>")]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)


def sees_victims_credits(client, user, learner) -> bool:
    account = account_for_user_get_or_create(user=user)
    return account.learner_id == learner.pk or "养老护理培训" in client.get("/credits/").content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_arbitrary_id_under_any_name_is_pending_and_gives_nothing(client, django_capture_on_commit_callbacks,
                                                                   language):
    """A checksum-valid number nobody holds, under any name: a pending claim; nothing keyed by the number is made,
    so records imported for it later go to a learner nobody is bound to."""
    attacker = UserFactory()
    client.force_login(attacker)
    in_language(client, language)
    before = ledger_state()
    assert claim(client, UNKNOWN, "随便写", django_capture_on_commit_callbacks).status_code == 302
    assert BindingRequest.objects.get(user=attacker).status == BindingStatus.PENDING
    assert not Learner.objects.filter(is_resident_id=True).exists() and sms.outbox == []
    response = client.post("/me/identity/code/", {"code": "000000"})
    assert FAILED[language] in text(response)
    assert not Learner.objects.filter(user=attacker, is_resident_id=True).exists()
    assert ledger_state() == before


@pytest.mark.parametrize("language", LANGUAGES)
def test_claim_of_imported_learner_by_name_only_gives_nothing(client, imported, django_capture_on_commit_callbacks,
                                                              language):
    attacker = UserFactory()
    client.force_login(attacker)
    in_language(client, language)
    before, bound = ledger_state(), binding_state()
    claim(client, VICTIM, "王秀兰", django_capture_on_commit_callbacks)  # the right name: the code goes to the victim
    assert [m["phone"] for m in sms.outbox] == ["13800001234"]
    for guess in ("000000", "123456", "999999"):
        response = client.post("/me/identity/code/", {"code": guess})
        assert FAILED[language] in text(response)
    imported.refresh_from_db()
    assert imported.user is None and binding_state() == bound and ledger_state() == before
    assert not sees_victims_credits(client, attacker, imported)
    assert "4102**********0023" not in client.get("/credits/").content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_answers_are_byte_identical_for_existing_and_unknown_ids(client, school, django_capture_on_commit_callbacks,
                                                                 language):
    """Existing (name right with a mobile, wrong name, bound elsewhere, no mobile) and unknown numbers get the same
    page after the claim and the same page after a wrong code."""
    with_phone = learner_get_or_create(identifier=VICTIM, name="王秀兰")
    learner_phones_bulk_record(entries=[(with_phone.pk, school.pk, "13800001234")])
    cases = {"right name, mobile on file": (VICTIM, "王秀兰"), "wrong name": (VICTIM, "张三"),
             "unknown": (UNKNOWN, "王秀兰")}
    no_phone_id, bound_id = rid("41022120080202002"), rid("41020219500101001")
    learner_get_or_create(identifier=no_phone_id, name="李四")
    learner_bind(user=UserFactory(), identifier=bound_id, name="张三")
    cases.update({"no mobile": (no_phone_id, "李四"), "bound elsewhere": (bound_id, "张三")})
    pages = {}
    for case, (number, name) in cases.items():
        cache.clear()
        client.force_login(UserFactory())
        in_language(client, language)
        claim(client, number, name, django_capture_on_commit_callbacks)
        masked = number[:4] + "*" * 10 + number[-4:]
        after_claim = main(client.get("/me/identity/")).replace(masked, "MASKED")
        after_code = main(client.post("/me/identity/code/", {"code": "000000"})).replace(masked, "MASKED")
        assert FAILED[language] in after_code
        pages[case] = (after_claim, after_code)
    first = pages["unknown"]
    for case, page in pages.items():
        assert page == first, case


@pytest.mark.parametrize("language", LANGUAGES)
def test_wrong_code_attempts_are_limited(client, imported, django_capture_on_commit_callbacks, language):
    attacker = UserFactory()
    client.force_login(attacker)
    in_language(client, language)
    claim(client, VICTIM, "王秀兰", django_capture_on_commit_callbacks)
    code = re.search(r"\d{6}", sms.outbox[-1]["message"]).group()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(5):
        assert FAILED[language] in client.post("/me/identity/code/", {"code": wrong}).content.decode()
    # five wrong guesses use the code up: even the right one fails now
    assert FAILED[language] in client.post("/me/identity/code/", {"code": code}).content.decode()
    for _ in range(4):
        client.post("/me/identity/code/", {"code": wrong})
    response = client.post("/me/identity/code/", {"code": code})  # the 11th attempt this hour: rate limited
    assert TOO_MANY[language] in text(response)
    imported.refresh_from_db()
    assert imported.user is None


@pytest.mark.parametrize("language", LANGUAGES)
def test_claims_are_rate_limited(client, django_capture_on_commit_callbacks, language):
    client.force_login(UserFactory())
    in_language(client, language)
    for _ in range(10):
        assert claim(client, UNKNOWN, "王秀兰", django_capture_on_commit_callbacks).status_code == 302
    response = claim(client, UNKNOWN, "王秀兰", django_capture_on_commit_callbacks)
    assert response.status_code == 200 and TOO_MANY[language] in text(response)
    assert BindingRequest.objects.count() == 10


@pytest.mark.parametrize("language", LANGUAGES)
def test_staff_of_another_institution_cannot_confirm(client, imported, django_capture_on_commit_callbacks, language):
    attacker = UserFactory()
    client.force_login(attacker)
    claim(client, VICTIM, "王秀兰", django_capture_on_commit_callbacks)
    pending = BindingRequest.objects.get(user=attacker)
    accomplice = staff_user(institution=InstitutionFactory(name="另一所学校"), role=Role.REGISTRAR)
    client.force_login(accomplice)
    in_language(client, language)
    before, audits = binding_state(), AuditEntry.objects.count()
    assert 'name="claim"' not in client.get("/me/identity/requests/").content.decode()  # not listed either
    response = client.post("/me/identity/requests/", {"claim": pending.pk, "action": "confirm", "reason": "x"})
    assert response.status_code == 403 and NOT_HOLDER[language] in text(response)
    assert binding_state() == before and AuditEntry.objects.count() == audits
    pending.refresh_from_db()
    assert pending.status == BindingStatus.PENDING and not sees_victims_credits(client, attacker, imported)


@pytest.mark.parametrize("language", LANGUAGES)
def test_non_bureau_cannot_unbind(client, imported, school, language):
    owner = UserFactory()
    learner_bind(user=owner, identifier=VICTIM, name="王秀兰")
    before = binding_state()
    for actor in (staff_user(institution=school, role=Role.CREDIT_OFFICER), UserFactory()):
        client.force_login(actor)
        in_language(client, language)
        response = client.post("/me/identity/bindings/", {"action": "unbind", "learner": imported.pk,
                                                          "reason": "我说了算"})
        assert response.status_code == 403 and BUREAU_ONLY[language] in text(response)
        assert client.get("/me/identity/bindings/").status_code == 403
    assert binding_state() == before
    assert not AuditEntry.objects.filter(action="binding.unbind").exists()


def test_code_to_recorded_mobile_binds_and_records_and_credits_appear(client, imported,
                                                                      django_capture_on_commit_callbacks):
    owner = UserFactory()
    client.force_login(owner)
    assert "养老护理培训" not in client.get("/credits/").content.decode()
    claim(client, VICTIM, "王秀兰", django_capture_on_commit_callbacks)
    code = re.search(r"\d{6}", sms.outbox[-1]["message"]).group()
    assert client.post("/me/identity/code/", {"code": code}).status_code == 302
    imported.refresh_from_db()
    assert imported.user == owner
    assert account_for_user_get_or_create(user=owner).pk == imported.credit_account.pk
    assert "养老护理培训" in client.get("/credits/").content.decode()


def test_staff_confirmation_binds(client, imported, school, django_capture_on_commit_callbacks):
    owner = UserFactory()
    client.force_login(owner)
    claim(client, VICTIM, "王秀兰", django_capture_on_commit_callbacks)
    pending = BindingRequest.objects.get(user=owner)
    registrar = staff_user(institution=school, role=Role.REGISTRAR)
    client.force_login(registrar)
    assert 'name="claim"' in client.get("/me/identity/requests/").content.decode()
    response = client.post("/me/identity/requests/", {"claim": pending.pk, "action": "confirm",
                                                      "reason": "核对身份证原件"})
    assert response.status_code == 302
    imported.refresh_from_db()
    assert imported.user == owner
    assert AuditEntry.objects.filter(action="binding.confirm", actor=registrar, institution=school).exists()
    client.force_login(owner)
    assert "养老护理培训" in client.get("/credits/").content.decode()

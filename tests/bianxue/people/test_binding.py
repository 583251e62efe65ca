"""Real-name binding services (bianxue.people.services.binding): a claim links nothing until it is proved by a
code sent to the mobile an institution recorded, or by staff of an institution holding the learner's records
(or the bureau); one answer for every failure; limits; the bureau unbinds. Attacks: tests/security."""

import datetime
import re

import pytest
from bianxue.accounts import sms
from bianxue.accounts.models import AuditEntry, Role
from bianxue.people.identifiers import identifier_hash
from bianxue.people.models import BindingRequest, BindingStatus, Learner
from bianxue.people.services import (
    CODE_MAX_ATTEMPTS,
    binding_code_verify,
    binding_request_confirm,
    binding_request_reject,
    binding_request_resend,
    binding_request_start,
    binding_request_withdraw,
    learner_for_user_get_or_create,
    learner_get_or_create,
    learner_phones_bulk_record,
    learner_unbind,
)
from bianxue.people.signals import learner_merged
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from tests.factories import InstitutionFactory, UserFactory, bureau_admin, learner_bind, staff_user

VALID = "410202195203140023"  # fictitious, correct check character
VALID_X = "11010519491231002X"
FAILED_ZH = "验证未通过。请核对后重试，或请持有您学习记录的机构工作人员确认。"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clean():
    cache.clear()
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def school(db):
    return InstitutionFactory(name="开封职业学校")


@pytest.fixture
def on_file(school):
    """An imported learner whose school recorded a mobile."""
    learner = learner_get_or_create(identifier=VALID, name="王秀兰")
    learner_phones_bulk_record(entries=[(learner.pk, school.pk, "13800001234")])
    return learner


def start(user, identifier=VALID, name="王秀兰", *, capture):
    with capture(execute=True):
        return binding_request_start(user=user, identifier=identifier, name=name)


def last_code() -> str:
    return re.search(r"\d{6}", sms.outbox[-1]["message"]).group()


def test_a_claim_links_nothing_until_proved(on_file, django_capture_on_commit_callbacks):
    user = UserFactory()
    claim = start(user, capture=django_capture_on_commit_callbacks)
    assert claim.status == BindingStatus.PENDING and claim.id_masked == "4102**********0023"
    on_file.refresh_from_db()
    assert on_file.user is None
    assert not Learner.objects.filter(user=user).exists()
    assert learner_for_user_get_or_create(user=user).pk != on_file.pk  # the login's own internal learner
    assert AuditEntry.objects.filter(action="binding.request").count() == 1


def test_code_to_the_recorded_mobile_binds(on_file, django_capture_on_commit_callbacks):
    user = UserFactory()
    claim = start(user, capture=django_capture_on_commit_callbacks)
    assert [m["phone"] for m in sms.outbox] == ["13800001234"]
    code = last_code()
    claim.refresh_from_db()
    assert code not in claim.code_hash and claim.code_expires_at > timezone.now()  # hashed at rest, expires
    learner = binding_code_verify(user=user, code=code)
    assert learner.pk == on_file.pk and learner.user == user
    claim.refresh_from_db()
    assert claim.status == BindingStatus.VERIFIED and claim.method == "phone" and claim.code_hash == ""
    assert AuditEntry.objects.filter(action="binding.verify", object_id=str(claim.pk)).exists()


@pytest.mark.parametrize("case", ["unknown id", "wrong name", "bound elsewhere", "no mobile"])
def test_no_code_is_sent_when_the_claim_cannot_be_proved_by_one(case, school, django_capture_on_commit_callbacks):
    learner = learner_get_or_create(identifier=VALID, name="王秀兰")
    if case != "no mobile":
        learner_phones_bulk_record(entries=[(learner.pk, school.pk, "13800001234")])
    if case == "bound elsewhere":
        learner_bind(user=UserFactory(), identifier=VALID, name="王秀兰")
    identifier = VALID_X if case == "unknown id" else VALID
    name = "张三" if case == "wrong name" else "王秀兰"
    user = UserFactory()
    claim = start(user, identifier, name, capture=django_capture_on_commit_callbacks)
    assert claim.status == BindingStatus.PENDING and sms.outbox == []
    with pytest.raises(ValidationError) as exc, translation.override("zh-hans"):
        binding_code_verify(user=user, code="123456")
    assert exc.value.messages == [FAILED_ZH]


def test_wrong_expired_and_used_up_codes_fail_alike(on_file, django_capture_on_commit_callbacks):
    user = UserFactory()
    claim = start(user, capture=django_capture_on_commit_callbacks)
    code = last_code()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(CODE_MAX_ATTEMPTS):
        with pytest.raises(ValidationError) as exc, translation.override("zh-hans"):
            binding_code_verify(user=user, code=wrong)
        assert exc.value.messages == [FAILED_ZH]
    with pytest.raises(ValidationError):  # the right code, too late: the attempts are used up
        binding_code_verify(user=user, code=code)
    claim.refresh_from_db()
    assert claim.code_attempts == CODE_MAX_ATTEMPTS and on_file.__class__.objects.get(pk=on_file.pk).user is None

    other = UserFactory()
    start(other, capture=django_capture_on_commit_callbacks)
    BindingRequest.objects.filter(user=other).update(code_expires_at=timezone.now() - datetime.timedelta(seconds=1))
    with pytest.raises(ValidationError):
        binding_code_verify(user=other, code=last_code())


def test_resend_waits_and_a_number_gets_few_codes(on_file, django_capture_on_commit_callbacks):
    user = UserFactory()
    start(user, capture=django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        binding_request_resend(user=user)
    assert len(sms.outbox) == 1  # within the resend interval: nothing new
    BindingRequest.objects.filter(user=user).update(code_sent_at=timezone.now() - datetime.timedelta(minutes=2))
    with django_capture_on_commit_callbacks(execute=True):
        binding_request_resend(user=user)
    assert len(sms.outbox) == 2
    for _ in range(4):  # many claimants of one number: its owner gets at most three claims' codes an hour
        start(UserFactory(), capture=django_capture_on_commit_callbacks)
    assert len(sms.outbox) == 4


def test_a_new_claim_replaces_the_pending_one_and_withdraw(on_file, django_capture_on_commit_callbacks):
    user = UserFactory()
    first = start(user, capture=django_capture_on_commit_callbacks)
    second = start(user, VALID_X, "李明", capture=django_capture_on_commit_callbacks)
    first.refresh_from_db()
    assert first.status == BindingStatus.WITHDRAWN and second.status == BindingStatus.PENDING
    binding_request_withdraw(user=user)
    second.refresh_from_db()
    assert second.status == BindingStatus.WITHDRAWN


def test_staff_of_a_holding_institution_confirm_and_the_internal_learner_merges(
        on_file, school, django_capture_on_commit_callbacks):
    user = UserFactory()
    internal = learner_for_user_get_or_create(user=user)
    claim = start(user, capture=django_capture_on_commit_callbacks)
    registrar = staff_user(institution=school, role=Role.REGISTRAR)
    seen = []

    def receiver(sender, source, target, **kwargs):
        seen.append((source.pk, target.pk))

    learner_merged.connect(receiver)
    try:
        learner = binding_request_confirm(actor=registrar, claim_id=claim.pk, reason="核对身份证原件")
    finally:
        learner_merged.disconnect(receiver)
    assert learner.pk == on_file.pk and learner.user == user
    assert seen == [(internal.pk, on_file.pk)]
    internal.refresh_from_db()
    assert internal.user is None
    claim.refresh_from_db()
    assert claim.method == "staff" and claim.decided_by == registrar
    entry = AuditEntry.objects.get(action="binding.confirm")
    assert entry.actor == registrar and entry.institution_id == school.pk


def test_the_bureau_confirms_a_number_nobody_holds_by_rekeying_the_internal_learner(
        django_capture_on_commit_callbacks):
    user = UserFactory()
    internal = learner_for_user_get_or_create(user=user)
    claim = start(user, VALID_X, "李明", capture=django_capture_on_commit_callbacks)
    assert internal.id_hash != identifier_hash(VALID_X)  # nothing keyed by the number before proof
    learner = binding_request_confirm(actor=bureau_admin(), claim_id=claim.pk)
    assert learner.pk == internal.pk and learner.is_resident_id and learner.name == "李明"
    assert learner.id_masked == "1101**********002X" and learner.birth_year == 1949
    claim.refresh_from_db()
    assert claim.method == "bureau"


def test_staff_without_the_learners_records_and_the_claimant_cannot_decide(
        on_file, django_capture_on_commit_callbacks):
    user = UserFactory()
    claim = start(user, capture=django_capture_on_commit_callbacks)
    outsider = staff_user(institution=InstitutionFactory(), role=Role.CREDIT_OFFICER)
    for actor in (outsider, user, UserFactory()):
        with pytest.raises(PermissionDenied):
            binding_request_confirm(actor=actor, claim_id=claim.pk)
        with pytest.raises(PermissionDenied):
            binding_request_reject(actor=actor, claim_id=claim.pk, reason="x")
    claim.refresh_from_db()
    assert claim.status == BindingStatus.PENDING


def test_reject_needs_a_reason_and_is_audited(on_file, school, django_capture_on_commit_callbacks):
    claim = start(UserFactory(), capture=django_capture_on_commit_callbacks)
    teacher = staff_user(institution=school, role=Role.TEACHER)
    with pytest.raises(ValidationError):
        binding_request_reject(actor=teacher, claim_id=claim.pk, reason=" ")
    binding_request_reject(actor=teacher, claim_id=claim.pk, reason="身份证与本人不符")
    claim.refresh_from_db()
    assert claim.status == BindingStatus.REJECTED
    assert AuditEntry.objects.get(action="binding.reject").reason == "身份证与本人不符"
    with pytest.raises(ValidationError):  # decided once
        binding_request_confirm(actor=teacher, claim_id=claim.pk)


def test_one_login_one_resident_id():
    user = UserFactory()
    learner_bind(user=user, identifier=VALID, name="王秀兰")
    with pytest.raises(ValidationError) as exc, translation.override("zh-hans"):
        binding_request_start(user=user, identifier=VALID_X, name="王秀兰")
    assert exc.value.messages == ["您的账户已绑定另一个身份证号。"]


def test_the_bureau_unbinds_with_a_reason(on_file):
    user = UserFactory()
    learner_bind(user=user, identifier=VALID, name="王秀兰")
    bureau = bureau_admin()
    with pytest.raises(ValidationError):
        learner_unbind(actor=bureau, learner_id=on_file.pk, reason="")
    learner_unbind(actor=bureau, learner_id=on_file.pk, reason="冒用，经本人投诉核实")
    on_file.refresh_from_db()
    assert on_file.user is None
    assert BindingRequest.objects.get(user=user, status=BindingStatus.UNBOUND)
    entry = AuditEntry.objects.get(action="binding.unbind")
    assert entry.actor == bureau and entry.data == {"user": user.pk}
    assert learner_for_user_get_or_create(user=user).pk != on_file.pk

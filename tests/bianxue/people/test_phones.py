"""Mobiles institutions recorded for learners (people.services.phones): bulk, one per learner and institution,
only changes written, encrypted and masked."""

import pytest
from bianxue.people.identifiers import phone_decrypt
from bianxue.people.models import LearnerPhone
from bianxue.people.services import learner_get_or_create, learner_phones_bulk_record

from tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db


def test_record_replace_and_leave_unchanged(django_assert_max_num_queries):
    school, other = InstitutionFactory(), InstitutionFactory()
    learner = learner_get_or_create(identifier="P-0001", name="王秀兰")
    assert learner_phones_bulk_record(entries=[(learner.pk, school.pk, "13800001234"),
                                               (learner.pk, other.pk, "13900005678")]) == 2
    with django_assert_max_num_queries(2):  # one read, nothing to write
        assert learner_phones_bulk_record(entries=[(learner.pk, school.pk, "13800001234")]) == 0
    assert learner_phones_bulk_record(entries=[(learner.pk, school.pk, "13700002222")]) == 1
    phone = LearnerPhone.objects.get(learner=learner, institution=school)
    assert phone.phone_masked == "137****2222" and phone_decrypt(phone.phone_encrypted) == "13700002222"
    assert "13700002222" not in phone.phone_encrypted + phone.phone_hash
    assert LearnerPhone.objects.count() == 2
    assert learner_phones_bulk_record(entries=[]) == 0

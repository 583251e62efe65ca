"""Resident ID numbers: validation, masking, encryption, keyed hash, and linking a login to a learner."""

import pytest
from bianxue.people.identifiers import (
    identifier_decrypt,
    identifier_encrypt,
    identifier_hash,
    identifier_mask,
    resident_id_check_char,
    resident_id_is_valid,
)
from bianxue.people.models import Learner
from bianxue.people.services import (
    learner_for_user_get_or_create,
    learner_get_or_create,
    learner_link_user,
    resident_id_validate,
)
from bianxue.people.signals import learner_merged
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import UserFactory

VALID = "410202195203140023"  # fictitious, correct check character
VALID_X = "11010519491231002X"
WRONG_CHECK = "410202195203140024"


def test_gb11643_check_character():
    assert resident_id_is_valid(VALID)
    assert resident_id_is_valid(VALID_X) and resident_id_is_valid(VALID_X.lower())
    assert not resident_id_is_valid(WRONG_CHECK)
    assert not resident_id_is_valid("41020219520314002")


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_every_17_digits_have_exactly_one_valid_check_character(first17):
    valid = [c for c in "0123456789X" if resident_id_is_valid(first17 + c)]
    assert valid == [resident_id_check_char(first17)]


def test_validation_errors_speak_only_the_active_language():
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as exc:
            resident_id_validate(value=WRONG_CHECK)
        assert exc.value.messages[0] == "身份证号校验位错误，请核对。"
        with pytest.raises(ValidationError) as exc:
            resident_id_validate(value="12345")
        assert exc.value.messages[0] == "请输入 18 位居民身份证号码。"
    with translation.override("en"):
        with pytest.raises(ValidationError) as exc:
            resident_id_validate(value=WRONG_CHECK)
        assert exc.value.messages[0] == "The check character of this resident ID number is wrong; please check it."
        with pytest.raises(ValidationError) as exc:
            resident_id_validate(value="12345")
        assert exc.value.messages[0] == "Enter the 18-character resident ID number."
    assert resident_id_validate(value=" 11010519491231002x ") == VALID_X


def test_masking_shows_only_the_ends():
    assert identifier_mask(VALID) == "4102**********0023"
    assert identifier_mask(VALID_X.lower()) == "1101**********002X"


def test_encryption_round_trip_and_no_plaintext():
    token = identifier_encrypt(VALID)
    assert VALID not in token
    assert identifier_decrypt(token) == VALID
    assert identifier_encrypt(VALID) != token  # Fernet: random IV


def test_keyed_hash_is_stable_normalised_and_keyed(settings):
    h = identifier_hash(VALID_X)
    assert h == identifier_hash(VALID_X.lower()) == identifier_hash(" " + VALID_X + " ")
    assert len(h) == 64 and VALID_X not in h
    settings.PII_HASH_KEY = "another-key"
    assert identifier_hash(VALID_X) != h


@pytest.mark.django_db
def test_link_to_existing_learner_brings_past_records():
    learner = learner_get_or_create(identifier=VALID, name="王秀兰")  # e.g. from an import
    user = UserFactory()
    linked = learner_link_user(user=user, identifier=VALID, name=" 王 秀兰 ")
    assert linked.pk == learner.pk and linked.user == user
    # linking again is harmless
    assert learner_link_user(user=user, identifier=VALID, name="王秀兰").pk == learner.pk


@pytest.mark.django_db
def test_link_refuses_an_id_linked_to_another_user():
    learner_link_user(user=UserFactory(), identifier=VALID, name="王秀兰")
    with pytest.raises(ValidationError) as exc:
        learner_link_user(user=UserFactory(), identifier=VALID, name="王秀兰")
    assert "已绑定其他账户" in exc.value.messages[0]


@pytest.mark.django_db
def test_link_refuses_a_name_that_does_not_match_the_records():
    learner_get_or_create(identifier=VALID, name="王秀兰")
    with pytest.raises(ValidationError) as exc:
        learner_link_user(user=UserFactory(), identifier=VALID, name="张三")
    assert "姓名与档案不符" in exc.value.messages[0]
    assert Learner.objects.get().user is None


@pytest.mark.django_db
def test_link_rekeys_an_internal_learner_when_the_id_is_new():
    user = UserFactory()
    internal = learner_for_user_get_or_create(user=user)
    assert not internal.is_resident_id
    linked = learner_link_user(user=user, identifier=VALID_X, name="李明")
    assert linked.pk == internal.pk and linked.is_resident_id
    assert linked.id_masked == "1101**********002X" and linked.birth_year == 1949
    assert Learner.objects.count() == 1


@pytest.mark.django_db
def test_link_merges_internal_learner_into_existing_id_learner():
    user = UserFactory()
    internal = learner_for_user_get_or_create(user=user)
    existing = learner_get_or_create(identifier=VALID, name="王秀兰")
    seen = []

    def receiver(sender, source, target, **kwargs):
        seen.append((source.pk, target.pk))

    learner_merged.connect(receiver)
    try:
        linked = learner_link_user(user=user, identifier=VALID, name="王秀兰")
    finally:
        learner_merged.disconnect(receiver)
    assert linked.pk == existing.pk and linked.user == user
    assert seen == [(internal.pk, existing.pk)]
    internal.refresh_from_db()
    assert internal.user is None


@pytest.mark.django_db
def test_one_login_one_resident_id():
    user = UserFactory()
    learner_link_user(user=user, identifier=VALID, name="王秀兰")
    with pytest.raises(ValidationError):
        learner_link_user(user=user, identifier=VALID_X, name="王秀兰")


# --- HTTP ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_identity_page_needs_login(client):
    response = client.get(reverse("accounts:identity"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


@pytest.mark.django_db
def test_identity_page_links_and_shows_only_the_masked_number(client):
    learner_get_or_create(identifier=VALID, name="王秀兰")
    user = UserFactory()
    client.force_login(user)
    page = client.get(reverse("accounts:identity"))
    body = page.content.decode()
    assert page.status_code == 200
    assert '<label for="id_name">' in body and '<label for="id_resident_id">' in body

    response = client.post(reverse("accounts:identity"), {"name": "王秀兰", "resident_id": VALID})
    assert response.status_code == 302
    assert Learner.objects.get(user=user).id_masked == "4102**********0023"
    for url in (reverse("accounts:identity"), reverse("accounts:profile")):
        body = client.get(url).content.decode()
        assert "4102**********0023" in body and VALID not in body


@pytest.mark.django_db
def test_identity_page_wrong_check_character_error_in_words_and_number_not_echoed(client):
    client.force_login(UserFactory())
    response = client.post(reverse("accounts:identity"), {"name": "王秀兰", "resident_id": WRONG_CHECK})
    body = response.content.decode()
    assert response.status_code == 200
    assert "身份证号校验位错误，请核对。" in body and "check character" not in body
    assert WRONG_CHECK not in body
    assert not Learner.objects.exists()


@pytest.mark.django_db
def test_identity_page_error_in_english_only(client):
    client.force_login(UserFactory())
    client.cookies["django_language"] = "en"
    response = client.post(reverse("accounts:identity"), {"name": "王秀兰", "resident_id": WRONG_CHECK})
    body = response.content.decode()
    assert "The check character of this resident ID number is wrong; please check it." in body
    assert "身份证号校验位错误" not in body


@pytest.mark.django_db
def test_identity_page_refuses_id_of_another_account(client):
    learner_link_user(user=UserFactory(), identifier=VALID, name="王秀兰")
    client.force_login(UserFactory())
    response = client.post(reverse("accounts:identity"), {"name": "王秀兰", "resident_id": VALID})
    body = response.content.decode()
    assert response.status_code == 200 and "已绑定其他账户" in body and VALID not in body

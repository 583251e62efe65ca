"""Resident ID numbers: validation, masking, encryption, keyed hash; mobile numbers. Real-name binding itself is
tested in test_binding.py (services) and test_binding_pages.py (pages)."""

import pytest
from bianxue.people.identifiers import (
    identifier_decrypt,
    identifier_encrypt,
    identifier_hash,
    identifier_mask,
    phone_decrypt,
    phone_encrypt,
    phone_mask,
    phone_normalize,
    resident_id_check_char,
    resident_id_is_valid,
)
from bianxue.people.services import resident_id_validate
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

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


def test_mobile_numbers_are_normalised_masked_and_encrypted():
    for raw in ("13800001234", "138 0000 1234", "138-0000-1234", "+86 13800001234", "8613800001234"):
        assert phone_normalize(raw) == "13800001234", raw
    for raw in ("", "12800001234", "1380000123", "23800001234", "+1 13800001234", "138000012345"):
        assert phone_normalize(raw) is None, raw
    assert phone_mask("13800001234") == "138****1234"
    token = phone_encrypt("13800001234")
    assert "13800001234" not in token and phone_decrypt(token) == "13800001234"

"""Resident ID numbers (GB 11643): validation, keyed hashing, encryption and masking.

A learner identifier is either an 18-character resident ID number or another identifier of
at most 64 characters. The keyed hash is the lookup key; the encrypted value is kept so the
number can be shown masked (or, for an authorised purpose, decrypted).
"""

import base64
import hashlib
import hmac
import re
from functools import lru_cache

from cryptography.fernet import Fernet
from django.conf import settings

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_ID_SHAPE = re.compile(r"^\d{17}[\dXx]$")


def looks_like_resident_id(value: str) -> bool:
    """18 characters, 17 digits and a digit or X: treated as a resident ID number and validated."""
    return bool(_ID_SHAPE.match(value.strip()))


def resident_id_check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def resident_id_is_valid(value: str) -> bool:
    value = value.strip().upper()
    return bool(_ID_SHAPE.match(value)) and resident_id_check_char(value[:17]) == value[17]


def normalize_identifier(value: str) -> str:
    value = value.strip()
    return value.upper() if looks_like_resident_id(value) else value


def birth_year_from_resident_id(value: str) -> int | None:
    value = normalize_identifier(value)
    return int(value[6:10]) if looks_like_resident_id(value) else None


def identifier_hash(value: str) -> str:
    """HMAC-SHA256 of the normalised identifier with the PII hash key, hex."""
    key = settings.PII_HASH_KEY.encode()
    return hmac.new(key, normalize_identifier(value).encode(), hashlib.sha256).hexdigest()


@lru_cache(maxsize=4)
def _fernet(key_material: str) -> Fernet:
    if key_material and len(key_material) == 44:
        return Fernet(key_material.encode())
    # Derive a Fernet key from the secret in development; production sets PII_ENCRYPTION_KEY.
    digest = hashlib.sha256(("pii-encryption:" + (key_material or settings.SECRET_KEY)).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def identifier_encrypt(value: str) -> str:
    return _fernet(settings.PII_ENCRYPTION_KEY).encrypt(normalize_identifier(value).encode()).decode()


def identifier_decrypt(token: str) -> str:
    return _fernet(settings.PII_ENCRYPTION_KEY).decrypt(token.encode()).decode()


def identifier_mask(value: str) -> str:
    """``4102**********123X`` for an ID number; other identifiers keep their first 2 and last 2."""
    value = normalize_identifier(value)
    if looks_like_resident_id(value):
        return value[:4] + "*" * 10 + value[-4:]
    if len(value) <= 4:
        return value[:1] + "*" * (len(value) - 1)
    return value[:2] + "*" * (len(value) - 4) + value[-2:]


def name_mask(name: str) -> str:
    """王小明 → 王**; a single character stays as is."""
    name = name.strip()
    return name[:1] + "*" * (len(name) - 1) if len(name) > 1 else name


# --- mainland mobile numbers (the ``phone`` column of imports) -------------------------------------------

_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def phone_normalize(value: str) -> str | None:
    """``138 0000 1234``, ``138-0000-1234``, ``+86 13800001234`` → ``13800001234``; None if not a mainland mobile."""
    digits = re.sub(r"[\s\-()]", "", value or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits if _MOBILE.match(digits) else None


def phone_mask(value: str) -> str:
    """``13800001234`` → ``138****1234``."""
    return value[:3] + "****" + value[-4:] if len(value) >= 8 else "*" * len(value)


def phone_hash(value: str) -> str:
    key = ("phone:" + settings.PII_HASH_KEY).encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def phone_encrypt(value: str) -> str:
    return _fernet(settings.PII_ENCRYPTION_KEY).encrypt(value.encode()).decode()


def phone_decrypt(token: str) -> str:
    return _fernet(settings.PII_ENCRYPTION_KEY).decrypt(token.encode()).decode()

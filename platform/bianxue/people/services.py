"""Writes about learners. Other apps create and link learners only through these."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from .identifiers import (
    birth_year_from_resident_id,
    identifier_encrypt,
    identifier_hash,
    identifier_mask,
    looks_like_resident_id,
    normalize_identifier,
    resident_id_is_valid,
)
from .models import Learner


def identifier_validate(*, identifier: str) -> str:
    """Return the normalised identifier or raise a bilingual ValidationError."""
    value = normalize_identifier(identifier or "")
    if not value:
        raise ValidationError("学习者标识不能为空。The learner identifier is required.")
    if len(value) > 64:
        raise ValidationError("学习者标识不能超过 64 个字符。The learner identifier is at most 64 characters.")
    if looks_like_resident_id(value) and not resident_id_is_valid(value):
        raise ValidationError("身份证号校验位错误。The resident ID number has a wrong check character.")
    return value


def learner_get_or_create(
    *, identifier: str, name: str, birth_year: int | None = None, district_code: str = ""
) -> Learner:
    value = identifier_validate(identifier=identifier)
    key = identifier_hash(value)
    existing = Learner.objects.filter(id_hash=key).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return Learner.objects.create(
                id_hash=key,
                id_encrypted=identifier_encrypt(value),
                id_masked=identifier_mask(value),
                is_resident_id=looks_like_resident_id(value),
                name=name,
                birth_year=birth_year or birth_year_from_resident_id(value),
                district_code=district_code,
            )
    except IntegrityError:  # created concurrently
        return Learner.objects.get(id_hash=key)


@dataclass(frozen=True)
class LearnerSpec:
    identifier: str
    name: str
    birth_year: int | None = None
    district_code: str = ""


def learners_bulk_get_or_create(*, specs: Iterable[LearnerSpec]) -> dict[str, int]:
    """Create missing learners in bulk; return {normalised identifier: learner id}.

    Identifiers must already be validated. Used by imports of tens of thousands of rows.
    """
    by_hash: dict[str, LearnerSpec] = {}
    ident_by_hash: dict[str, str] = {}
    for spec in specs:
        value = normalize_identifier(spec.identifier)
        key = identifier_hash(value)
        by_hash.setdefault(key, spec)
        ident_by_hash[key] = value
    existing: dict[str, int] = {}
    keys = list(by_hash)
    for start in range(0, len(keys), 5000):
        chunk = keys[start : start + 5000]
        existing.update(Learner.objects.filter(id_hash__in=chunk).values_list("id_hash", "id"))
    new = [
        Learner(
            id_hash=key,
            id_encrypted=identifier_encrypt(ident_by_hash[key]),
            id_masked=identifier_mask(ident_by_hash[key]),
            is_resident_id=looks_like_resident_id(ident_by_hash[key]),
            name=spec.name,
            birth_year=spec.birth_year or birth_year_from_resident_id(ident_by_hash[key]),
            district_code=spec.district_code,
        )
        for key, spec in by_hash.items()
        if key not in existing
    ]
    if new:
        Learner.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
        missing = [learner.id_hash for learner in new]
        for start in range(0, len(missing), 5000):
            chunk = missing[start : start + 5000]
            existing.update(Learner.objects.filter(id_hash__in=chunk).values_list("id_hash", "id"))
    return {ident_by_hash[key]: existing[key] for key in by_hash}


def learner_link_user(*, user, identifier: str, name: str) -> Learner:
    """Link a verified resident's login to their Learner (created if first seen)."""
    learner = learner_get_or_create(identifier=identifier, name=name)
    if learner.user_id and learner.user_id != user.pk:
        raise ValidationError("该证件号已绑定其他账户。This identifier is linked to another account.")
    if Learner.objects.filter(user=user).exclude(pk=learner.pk).exists():
        raise ValidationError("您的账户已绑定其他学习者。Your account is already linked to another learner.")
    learner.user = user
    learner.save(update_fields=["user"])
    return learner


def learner_for_user_get_or_create(*, user) -> Learner:
    """The learner behind a login; a resident who has not given an ID number gets an internal identifier."""
    learner = Learner.objects.filter(user=user).first()
    if learner:
        return learner
    learner = learner_get_or_create(identifier=f"U{user.pk:09d}", name=str(user))
    learner.user = user
    learner.save(update_fields=["user"])
    return learner

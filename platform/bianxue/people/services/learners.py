"""Writes about learners: created on first sight (imports, exam results, a login's own learner)."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ..identifiers import (
    birth_year_from_resident_id,
    identifier_encrypt,
    identifier_hash,
    identifier_mask,
    looks_like_resident_id,
    normalize_identifier,
    resident_id_is_valid,
)
from ..models import Learner


def identifier_validate(*, identifier: str) -> str:
    """Return the normalised identifier or raise a bilingual ValidationError."""
    value = normalize_identifier(identifier or "")
    if not value:
        raise ValidationError(_("学习者标识不能为空。"))
    if len(value) > 64:
        raise ValidationError(_("学习者标识不能超过 64 个字符。"))
    if looks_like_resident_id(value) and not resident_id_is_valid(value):
        raise ValidationError(_("身份证号校验位错误。"))
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


def name_normalize(name: str) -> str:
    return "".join((name or "").split())


def resident_id_validate(*, value: str) -> str:
    """An 18-character resident ID number with a correct GB 11643 check character, normalised."""
    value = normalize_identifier(value or "")
    if not looks_like_resident_id(value):
        raise ValidationError(
            _("请输入 18 位居民身份证号码。"), code="id_shape"
        )
    if not resident_id_is_valid(value):
        raise ValidationError(
            _("身份证号校验位错误，请核对。"),
            code="id_check",
        )
    return value


def learner_for_user_get_or_create(*, user) -> Learner:
    """The learner behind a login: the resident-ID learner once a binding is proved (``Learner.user`` is set
    only then), else the login's own internal learner (``U000000042``). A pending claim gives nothing."""
    learner = Learner.objects.filter(user=user).first()
    if learner:
        return learner
    learner = learner_get_or_create(identifier=f"U{user.pk:09d}", name=str(user))
    learner.user = user
    learner.save(update_fields=["user"])
    return learner

"""Mobile numbers institutions recorded for learners (the ``phone`` column of imports), in bulk."""

from collections.abc import Iterable

from django.utils import timezone

from ..identifiers import phone_encrypt, phone_hash, phone_mask
from ..models import LearnerPhone

CHUNK = 5000


def learner_phones_bulk_record(*, entries: Iterable[tuple[int, int, str]]) -> int:
    """Record ``(learner id, institution id, normalised mobile)`` triples; one number per learner and
    institution (a later one replaces it). Only changed numbers are written. Returns how many were written.

    Call inside the import's transaction (all or nothing with the rest of the submission).
    """
    wanted: dict[tuple[int, int], str] = {}
    for learner_id, institution_id, phone in entries:
        wanted[(learner_id, institution_id)] = phone
    if not wanted:
        return 0
    stored: dict[tuple[int, int], tuple[int, str]] = {}
    learner_ids = sorted({learner_id for learner_id, _ in wanted})
    for start in range(0, len(learner_ids), CHUNK):
        rows = LearnerPhone.objects.filter(learner_id__in=learner_ids[start:start + CHUNK]).values_list(
            "learner_id", "institution_id", "pk", "phone_hash")
        stored.update({(lid, iid): (pk, h) for lid, iid, pk, h in rows})
    new, changed = [], []
    now = timezone.now()
    for (learner_id, institution_id), phone in wanted.items():
        digest = phone_hash(phone)
        values = {"phone_hash": digest, "phone_encrypted": phone_encrypt(phone), "phone_masked": phone_mask(phone)}
        current = stored.get((learner_id, institution_id))
        if current is None:
            new.append(LearnerPhone(learner_id=learner_id, institution_id=institution_id, **values))
        elif current[1] != digest:
            changed.append(LearnerPhone(pk=current[0], learner_id=learner_id, institution_id=institution_id,
                                        updated_at=now, **values))
    LearnerPhone.objects.bulk_create(new, batch_size=2000)
    LearnerPhone.objects.bulk_update(changed, ["phone_hash", "phone_encrypted", "phone_masked", "updated_at"], batch_size=2000)
    return len(new) + len(changed)


def on_learner_merged(sender, *, source, target, **kwargs) -> None:
    """Receiver of ``learner_merged``: the merged learner's recorded mobiles follow the surviving learner (where
    the target already has one for that institution, the target's stays)."""
    LearnerPhone.objects.filter(learner=source).exclude(
        institution_id__in=LearnerPhone.objects.filter(learner=target).values("institution_id")
    ).update(learner=target)

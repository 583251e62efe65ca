from .identifiers import identifier_hash
from .models import Learner


def learner_get_by_identifier(*, identifier: str) -> Learner | None:
    return Learner.objects.filter(id_hash=identifier_hash(identifier)).first()


def learner_for_user(*, user) -> Learner | None:
    if not user or not user.is_authenticated:
        return None
    return Learner.objects.filter(user=user).first()


def learner_ids_by_hash(*, hashes: list[str]) -> dict[str, int]:
    """Map keyed hashes to learner ids in one query (for bulk imports)."""
    return dict(Learner.objects.filter(id_hash__in=hashes).values_list("id_hash", "id"))

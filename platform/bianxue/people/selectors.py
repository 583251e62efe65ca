"""Reads about learners and real-name binding."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from bianxue.accounts.permissions import user_institution_ids, user_is_bureau_admin
from bianxue.registry import record_holders

from .identifiers import identifier_hash, phone_mask, phone_normalize
from .models import BindingRequest, BindingStatus, Learner, LearnerPhone


def learner_get_by_identifier(*, identifier: str) -> Learner | None:
    return Learner.objects.filter(id_hash=identifier_hash(identifier)).first()


def learner_for_user(*, user) -> Learner | None:
    """The login's learner: a resident-ID learner only once the binding is proved (``Learner.user`` is set only
    then), else the login's own internal learner, if it has one."""
    if not user or not user.is_authenticated:
        return None
    return Learner.objects.filter(user=user).first()


def learner_ids_by_hash(*, hashes: list[str]) -> dict[str, int]:
    """Map keyed hashes to learner ids in one query (for bulk imports)."""
    return dict(Learner.objects.filter(id_hash__in=hashes).values_list("id_hash", "id"))


# --- real-name binding ---------------------------------------------------------------------------------


def _held_learners_q(institution_ids: list[int]) -> Q:
    """Learners some of ``institution_ids`` hold records about (records, rosters, a recorded mobile)."""
    q = Q(pk__in=LearnerPhone.objects.filter(institution_id__in=institution_ids).values("learner_id"))
    for holder in record_holders():
        q |= Q(pk__in=holder.learners_at(institution_ids))
    return q


def learner_holder_institution_ids(*, learner: Learner | None, institution_ids: Iterable[int]) -> set[int]:
    """Which of ``institution_ids`` hold records about ``learner`` (one query per institution, few of them)."""
    if learner is None:
        return set()
    return {inst for inst in set(institution_ids)
            if Learner.objects.filter(_held_learners_q([inst]), pk=learner.pk).exists()}


def binding_request_pending_for_user(*, user) -> BindingRequest | None:
    if not user or not user.is_authenticated:
        return None
    return BindingRequest.objects.filter(user=user, status=BindingStatus.PENDING).first()


def binding_requests_for_staff(*, user, limit: int = 200) -> list[dict]:
    """Pending claims a staff member may decide: those for learners their institutions hold records about
    (every pending claim for the bureau), oldest first, each with the learner on file (or None)."""
    if user_is_bureau_admin(user=user):
        qs = BindingRequest.objects.filter(status=BindingStatus.PENDING)
    else:
        institution_ids = sorted(user_institution_ids(user=user))
        if not institution_ids:
            raise PermissionDenied(_("只有机构工作人员或教育局管理员可以查看实名绑定申请。"))
        held = Learner.objects.filter(_held_learners_q(institution_ids)).values("id_hash")
        qs = BindingRequest.objects.filter(status=BindingStatus.PENDING, id_hash__in=held)
    claims = list(qs.select_related("user").order_by("created_at", "pk")[:limit])
    learners = {learner.id_hash: learner for learner in Learner.objects.filter(id_hash__in=[c.id_hash for c in claims])}
    return [{"claim": c, "learner": learners.get(c.id_hash)} for c in claims]


def bindings_for_bureau(*, user, identifier: str = "", limit: int = 50) -> list[Learner]:
    """Bound resident learners for the bureau's unbind page: the one for an ID number, else the latest bound."""
    if not user_is_bureau_admin(user=user):
        raise PermissionDenied(_("只有教育局管理员可以解除实名绑定。"))
    qs = Learner.objects.filter(is_resident_id=True, user__isnull=False).select_related("user")
    if identifier:
        qs = qs.filter(id_hash=identifier_hash(identifier))
    return list(qs.order_by("-pk")[:limit])


def learner_display_name(learner: Learner | None) -> str:
    """The name staff see for a learner: never a phone number or an e-mail address.

    A learner's name is the real name an institution or the real-name binding gave; a login's own learner
    (``U000000042``, no real name yet) was named after the login, often its phone number: then the login's
    称呼 if it has one now, else the number or address masked (``138****1234``). Select ``learner__user`` with
    the learners (one query for a list)."""
    if learner is None:
        return ""
    if learner.is_resident_id:
        return learner.name
    user = learner.user if learner.user_id else None
    if user is not None and user.display_name.strip():
        return user.display_name.strip()
    name = learner.name.strip()
    phone = phone_normalize(name)
    if phone:
        return phone_mask(phone)
    if "@" in name:
        local, _sep, domain = name.partition("@")
        return f"{local[:1]}***@{domain}"
    return name

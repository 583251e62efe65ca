"""Four eyes: nobody decides on an outcome or a conversion application that is their own.

"Their own" means: they are the learner (the account's learner is bound to their login), or they entered the
outcome (a teacher's exam result, an import batch they ran) or declared it. Every decision is covered (start
review, certify, reject, revoke; approve, reject, apply a conversion), whatever the door (staff page, bulk
action, admin, command): the checks are called by the services in ``outcomes`` and ``conversion``.
Revocation and rejection are covered too: one simple rule ("another officer decides") is easier to trust and
to audit than a list of harmless exceptions. Arrival is covered by ``intake``: an outcome whose entering user
is its learner is never certified on arrival, it waits in the queue for another officer.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from ..models import ConversionApplication, ConversionItem, Outcome


def _own_outcomes(*, user) -> Q:
    return Q(entered_by_id=user.pk) | Q(account__learner__user_id=user.pk)


def user_is_party_to_outcome(*, user, outcome: Outcome) -> bool:
    """True when ``user`` is the outcome's learner or entered/declared it."""
    if user is None or user.pk is None:
        return False
    return outcome.entered_by_id == user.pk or Outcome.objects.filter(
        pk=outcome.pk, account__learner__user_id=user.pk).exists()


def outcome_require_four_eyes(*, actor, outcome: Outcome) -> None:
    """PermissionDenied when ``actor`` may not decide on ``outcome`` (see the module docstring)."""
    if user_is_party_to_outcome(user=actor, outcome=outcome):
        raise PermissionDenied(
            _("不能审核本人的成果，也不能审核自己录入或申报的成果：须由另一位学分认定员处理。"))


def outcomes_require_four_eyes(*, actor, outcome_ids: list[int]) -> None:
    """The bulk form: refuses the whole selection (all or nothing) when any outcome in it is the actor's own."""
    own = Outcome.objects.filter(pk__in=outcome_ids).filter(_own_outcomes(user=actor)).count()
    if own:
        raise PermissionDenied(
            _("所选成果中有 %(n)s 项是您本人的或由您录入、申报的，须由另一位学分认定员审核；本次未作任何处理。")
            % {"n": own})


def application_require_four_eyes(*, actor, application: ConversionApplication) -> None:
    """PermissionDenied when ``actor`` is the applicant or entered/declared one of the application's outcomes."""
    applicant = ConversionApplication.objects.filter(
        pk=application.pk, account__learner__user_id=actor.pk).exists()
    entered = ConversionItem.objects.filter(application_id=application.pk, outcome__entered_by_id=actor.pk).exists()
    if applicant or entered:
        raise PermissionDenied(
            _("不能处理本人的转换申请，也不能处理含有自己录入的成果的申请：须由另一位学分认定员处理。"))


def entering_user_is_learner(*, user_id: int | None, learner) -> bool:
    """Arrival: True when the user who entered a record is its learner (then it is not certified on arrival)."""
    return user_id is not None and learner.user_id == user_id

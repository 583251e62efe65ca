"""Who decides an outcome in the queue: the credit officers of its institution, or the bureau.

An outcome that no accreditation of the entering institution covers (``accreditation_basis`` "outside": an exam
result from an institution that is not an exam site for the certificate, records of a type the bureau withdrew)
is decided by bureau administrators only, never by a colleague of the person who entered it. Every decision
(start review, certify, reject, revoke), single or bulk, calls these checks before four eyes.
"""

from bianxue.accounts.selectors import user_is_bureau_admin
from bianxue.accounts.services import institution_require_role
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from ..models import AccreditationBasis, Outcome
from ..roles import OFFICER_ROLES


def outcome_require_reviewer(*, actor, outcome: Outcome) -> None:
    """PermissionDenied unless ``actor`` may decide ``outcome`` (its institution's officer, or the bureau)."""
    if outcome.accreditation_basis == AccreditationBasis.OUTSIDE:
        if not user_is_bureau_admin(user=actor):
            raise PermissionDenied(_("该成果不在录入机构的认证资质范围内，由教育局审核。"))
        return
    institution_require_role(user=actor, institution_id=outcome.institution_id, roles=OFFICER_ROLES)


def outcomes_require_reviewer(*, actor, outcomes: list[Outcome]) -> None:
    """The bulk form: the whole selection is refused when the actor may not decide one of them."""
    outside = [o for o in outcomes if o.accreditation_basis == AccreditationBasis.OUTSIDE]
    if outside and not user_is_bureau_admin(user=actor):
        raise PermissionDenied(
            _("所选成果中有 %(n)s 项不在录入机构的认证资质范围内，由教育局审核；本次未作任何处理。")
            % {"n": len(outside)})
    for institution_id in {o.institution_id for o in outcomes if o not in outside}:
        institution_require_role(user=actor, institution_id=institution_id, roles=OFFICER_ROLES)

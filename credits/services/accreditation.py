"""Accreditation: whether an institution's records are certified on arrival, set by bureau administrators."""

from bianxue.accounts.selectors import user_is_bureau_admin
from bianxue.accounts.services import audit_record
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from ..models import Accreditation


def institution_is_accredited(*, institution_id: int, outcome_type: str) -> bool:
    rows = dict(Accreditation.objects.filter(institution_id=institution_id, outcome_type__in=["", outcome_type])
                .values_list("outcome_type", "accredited"))
    if outcome_type in rows:
        return rows[outcome_type]
    return rows.get("", True)


def accreditation_set(*, actor, institution_id: int, outcome_type: str = "", accredited: bool,
                      note: str = "") -> Accreditation:
    """Bureau administrators withdraw or restore an institution's certification on arrival."""
    if not user_is_bureau_admin(user=actor):
        raise PermissionDenied(_("只有教育局管理员可以调整认证资质。"))
    row, _created = Accreditation.objects.update_or_create(
        institution_id=institution_id, outcome_type=outcome_type, defaults={"accredited": accredited, "note": note})
    audit_record(actor=actor, action="credits.accreditation.set", obj=row, institution_id=institution_id,
                 reason=note, data={"outcome_type": outcome_type, "accredited": accredited})
    return row

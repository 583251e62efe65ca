"""Accreditation: what an institution's records earn on arrival, set by bureau administrators (docs/trust.md).

Per (institution, outcome type, certificate where there is one):

- training and attendance (every type but ``CERTIFICATE_TYPES``): accredited by default; a row for the type wins
  over the blank row ("every type");
- exam results (``CERTIFICATE_TYPES``): accredited only where the institution is a registered exam site (考核站点)
  for the certificate, i.e. an accredited row naming it; a withdrawal of the type (or of every type) suspends the
  institution's exam sites.

``accreditation_decide`` says what covers a record on arrival (the basis and the row kept on the outcome as its
provenance); the bulk path of imports decides from rows fetched once with ``accreditation_basis_from_rows``.
"""

from collections.abc import Iterable

from bianxue.accounts.selectors import user_is_bureau_admin
from bianxue.accounts.services import audit_record
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from ..models import CERTIFICATE_TYPES, Accreditation, AccreditationBasis, OutcomeType

# (pk, outcome_type, certificate_id, accredited)
Row = tuple[int, str, int | None, bool]


def accreditation_basis_from_rows(rows: Iterable[Row], *, outcome_type: str, certificate_id: int | None
                                  ) -> tuple[str, int | None]:
    """(basis, accreditation id) of a record from its institution's accreditation rows (pure: no query)."""
    general: dict[str, Row] = {}
    site: Row | None = None
    for row in rows:
        _pk, otype, cert_id, _flag = row
        if cert_id is None and otype in ("", outcome_type):
            general[otype] = row
        elif cert_id is not None and otype == outcome_type and cert_id == certificate_id:
            site = row
    scope = general.get(outcome_type) or general.get("")
    if outcome_type in CERTIFICATE_TYPES:
        suspended = scope is not None and not scope[3]
        if site is not None and site[3] and not suspended:
            return AccreditationBasis.GRANTED.value, site[0]
        return AccreditationBasis.OUTSIDE.value, None
    if scope is None:
        return AccreditationBasis.DEFAULT.value, None
    return (AccreditationBasis.GRANTED.value, scope[0]) if scope[3] else (AccreditationBasis.OUTSIDE.value, None)


def accreditation_rows(*, institution_ids: Iterable[int]) -> dict[int, list[Row]]:
    """Every accreditation row of the institutions, by institution id (one query)."""
    found: dict[int, list[Row]] = {}
    for inst_id, pk, otype, cert_id, flag in Accreditation.objects.filter(
            institution_id__in=set(institution_ids)).values_list(
            "institution_id", "pk", "outcome_type", "certificate_id", "accredited"):
        found.setdefault(inst_id, []).append((pk, otype, cert_id, flag))
    return found


def accreditation_decide(*, institution_id: int, outcome_type: str, certificate_id: int | None = None
                         ) -> tuple[str, int | None]:
    """What covers a record of ``institution_id`` on arrival: (``AccreditationBasis`` value, row id or None)."""
    rows = Accreditation.objects.filter(institution_id=institution_id, outcome_type__in=["", outcome_type]).filter(
        Q(certificate=None) | Q(certificate_id=certificate_id)).values_list(
        "pk", "outcome_type", "certificate_id", "accredited")
    return accreditation_basis_from_rows(rows, outcome_type=outcome_type, certificate_id=certificate_id)


def institution_is_accredited(*, institution_id: int, outcome_type: str, certificate_id: int | None = None) -> bool:
    basis, _row = accreditation_decide(institution_id=institution_id, outcome_type=outcome_type,
                                       certificate_id=certificate_id)
    return basis != AccreditationBasis.OUTSIDE


# --- exam sites (考核站点) -------------------------------------------------------------------------------


def exam_site_is_registered(*, institution_id: int, certificate_id: int) -> bool:
    """True when the institution is a registered (and not suspended) 1+X exam site for the certificate."""
    return institution_is_accredited(institution_id=institution_id, outcome_type=OutcomeType.X_CERTIFICATE,
                                     certificate_id=certificate_id)


def _site_rows(**filters) -> list[Accreditation]:
    candidates = list(Accreditation.objects.filter(outcome_type=OutcomeType.X_CERTIFICATE, accredited=True,
                                                   certificate__isnull=False, **filters)
                      .select_related("institution", "certificate").order_by("certificate__code", "institution__code"))
    rows = accreditation_rows(institution_ids={a.institution_id for a in candidates})
    return [a for a in candidates if accreditation_basis_from_rows(
        rows.get(a.institution_id, []), outcome_type=OutcomeType.X_CERTIFICATE, certificate_id=a.certificate_id,
    )[0] == AccreditationBasis.GRANTED]


def exam_sites_for_certificate(*, certificate_id: int) -> list[Accreditation]:
    """The exam-site rows (with their institutions) registered for a certificate."""
    return _site_rows(certificate_id=certificate_id)


def exam_site_certificate_ids(*, institution_ids: Iterable[int]) -> set[int]:
    """The certificates for which any of the institutions is a registered exam site."""
    return {a.certificate_id for a in _site_rows(institution_id__in=set(institution_ids))}


# --- the bureau manages them ---------------------------------------------------------------------------


def accreditation_require_bureau(*, actor) -> None:
    if not user_is_bureau_admin(user=actor):
        raise PermissionDenied(_("只有教育局管理员可以调整认证资质和考核站点。"))


def _accreditation_check(row: Accreditation) -> None:
    if row.certificate_id and row.outcome_type not in CERTIFICATE_TYPES:
        raise ValidationError(_("只有考试成绩（1+X证书、职业资格）的认证资质按证书登记。"))
    if row.outcome_type in CERTIFICATE_TYPES and row.accredited and not row.certificate_id:
        raise ValidationError(_("考试成绩按证书登记考核站点：请选择证书。"))


@transaction.atomic
def accreditation_save(*, actor, row: Accreditation) -> Accreditation:
    """Save a new or changed accreditation row (grant, narrow, withdraw, restore): bureau only, audited."""
    accreditation_require_bureau(actor=actor)
    _accreditation_check(row)
    row.full_clean()
    row.save()
    audit_record(actor=actor, action="credits.accreditation.set", obj=row, institution_id=row.institution_id,
                 reason=row.note, data={"outcome_type": row.outcome_type, "certificate": row.certificate_id,
                                        "accredited": row.accredited})
    return row


def accreditation_set(*, actor, institution_id: int, outcome_type: str = "", certificate_id: int | None = None,
                      accredited: bool, note: str = "") -> Accreditation:
    """Bureau administrators grant, narrow, withdraw or restore an accreditation (one row per scope)."""
    accreditation_require_bureau(actor=actor)
    row = Accreditation.objects.filter(institution_id=institution_id, outcome_type=outcome_type,
                                       certificate_id=certificate_id).first() or Accreditation(
        institution_id=institution_id, outcome_type=outcome_type, certificate_id=certificate_id)
    row.accredited, row.note = accredited, note
    return accreditation_save(actor=actor, row=row)


def exam_site_register(*, actor, institution_id: int, certificate_id: int, note: str = "") -> Accreditation:
    """Register an institution as a 1+X exam site (考核站点) for a certificate (bureau only, audited)."""
    return accreditation_set(actor=actor, institution_id=institution_id, outcome_type=OutcomeType.X_CERTIFICATE,
                             certificate_id=certificate_id, accredited=True, note=note)


def exam_site_withdraw(*, actor, institution_id: int, certificate_id: int, note: str = "") -> Accreditation:
    """Withdraw an exam site: its later results wait in the bureau's queue (bureau only, audited)."""
    return accreditation_set(actor=actor, institution_id=institution_id, outcome_type=OutcomeType.X_CERTIFICATE,
                             certificate_id=certificate_id, accredited=False, note=note)

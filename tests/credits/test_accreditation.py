"""Accreditation per (institution, outcome type, certificate): the basis on arrival, exam sites, the bureau's
changes (checked and audited) and the bulk path deciding as the single path does."""

import pytest
from bianxue.accounts.models import AuditEntry
from django.core.exceptions import PermissionDenied, ValidationError

from credits import services
from credits.models import Accreditation, AccreditationBasis
from credits.services.accreditation import accreditation_basis_from_rows
from tests.factories import CertificateFactory, InstitutionFactory, bureau_admin

DEFAULT, GRANTED, OUTSIDE = AccreditationBasis.DEFAULT, AccreditationBasis.GRANTED, AccreditationBasis.OUTSIDE


def test_basis_rules_without_a_query():
    decide = accreditation_basis_from_rows
    assert decide([], outcome_type="training", certificate_id=None) == (DEFAULT, None)
    assert decide([], outcome_type="x_certificate", certificate_id=7) == (OUTSIDE, None)  # exams: sites only
    site = (1, "x_certificate", 7, True)
    assert decide([site], outcome_type="x_certificate", certificate_id=7) == (GRANTED, 1)
    assert decide([site], outcome_type="x_certificate", certificate_id=8) == (OUTSIDE, None)  # another certificate
    assert decide([site, (2, "", None, False)], outcome_type="x_certificate", certificate_id=7) == (OUTSIDE, None)
    assert decide([site, (2, "", None, True)], outcome_type="x_certificate", certificate_id=7) == (GRANTED, 1)
    narrowed = [(3, "", None, False), (4, "elderly", None, True)]
    assert decide(narrowed, outcome_type="elderly", certificate_id=None) == (GRANTED, 4)
    assert decide(narrowed, outcome_type="training", certificate_id=None) == (OUTSIDE, None)


def test_exam_site_selectors(db):
    cert, other = CertificateFactory(), CertificateFactory()
    site, suspended, elsewhere = InstitutionFactory(), InstitutionFactory(), InstitutionFactory()
    bureau = bureau_admin()
    services.exam_site_register(actor=bureau, institution_id=site.pk, certificate_id=cert.pk, note="示例")
    services.exam_site_register(actor=bureau, institution_id=suspended.pk, certificate_id=cert.pk)
    services.accreditation_set(actor=bureau, institution_id=suspended.pk, outcome_type="x_certificate",
                               accredited=False, note="整改")
    assert services.exam_site_is_registered(institution_id=site.pk, certificate_id=cert.pk)
    assert not services.exam_site_is_registered(institution_id=site.pk, certificate_id=other.pk)
    assert not services.exam_site_is_registered(institution_id=suspended.pk, certificate_id=cert.pk)
    assert not services.exam_site_is_registered(institution_id=elsewhere.pk, certificate_id=cert.pk)
    assert [a.institution_id for a in services.exam_sites_for_certificate(certificate_id=cert.pk)] == [site.pk]
    assert services.exam_site_certificate_ids(institution_ids=[site.pk, suspended.pk]) == {cert.pk}
    services.exam_site_withdraw(actor=bureau, institution_id=site.pk, certificate_id=cert.pk, note="撤销")
    assert not services.exam_site_is_registered(institution_id=site.pk, certificate_id=cert.pk)
    assert AuditEntry.objects.filter(action="credits.accreditation.set").count() == 4


def test_accreditation_changes_are_the_bureaus_and_checked(db):
    from bianxue.accounts.models import Role

    from tests.factories import staff_user

    inst, cert = InstitutionFactory(), CertificateFactory()
    officer = staff_user(institution=inst, role=Role.CREDIT_OFFICER)
    with pytest.raises(PermissionDenied):
        services.exam_site_register(actor=officer, institution_id=inst.pk, certificate_id=cert.pk)
    bureau = bureau_admin()
    with pytest.raises(ValidationError):  # a certificate belongs to exam results only
        services.accreditation_set(actor=bureau, institution_id=inst.pk, outcome_type="training",
                                   certificate_id=cert.pk, accredited=True)
    with pytest.raises(ValidationError):  # exam results are granted per certificate
        services.accreditation_set(actor=bureau, institution_id=inst.pk, outcome_type="x_certificate",
                                   accredited=True)
    assert not Accreditation.objects.exists() and not AuditEntry.objects.exists()
    row = services.exam_site_register(actor=bureau, institution_id=inst.pk, certificate_id=cert.pk)
    again = services.exam_site_register(actor=bureau, institution_id=inst.pk, certificate_id=cert.pk, note="续期")
    assert row.pk == again.pk and Accreditation.objects.count() == 1  # one row per scope


def test_outcome_keeps_the_exam_site_that_let_it_through(make_record, rules, learner, institution, certificate):
    """Provenance: the exam site's row is kept on the outcome, and shown on the learner's page."""
    outcome = make_record(learner=learner, kind="exam", category="x_certificate", result="passed", hours=None,
                          certificate_id=certificate.pk, cert_level="junior").outcomes.get()
    site = Accreditation.objects.get(institution=institution, certificate=certificate)
    assert (outcome.accreditation_basis, outcome.accreditation_id) == (GRANTED, site.pk)
    other = make_record(learner=learner, kind="exam", category="x_certificate", result="passed", hours=None,
                        certificate_id=CertificateFactory().pk, cert_level="junior").outcomes.get()
    assert other.review_by_bureau and other.status == "submitted"


def test_learner_page_shows_the_accreditation(client, make_record, rules, institution, certificate):
    from tests.factories import UserFactory

    user = UserFactory()
    from bianxue.people.services import learner_for_user_get_or_create

    learner = learner_for_user_get_or_create(user=user)
    make_record(learner=learner, kind="exam", category="x_certificate", result="passed", hours=None,
                certificate_id=certificate.pk, cert_level="junior")
    make_record(learner=learner)
    client.force_login(user)
    page = client.get("/credits/").content.decode()
    assert "考核站点：老年照护" in page and "默认资质" in page

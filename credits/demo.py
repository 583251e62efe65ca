"""Demo data of the credit bank (idempotent): rules, illustrative 1+X exam sites, a conversion rule at 开封开放大学,
outcomes of the demo learner, and one pending declaration for the demo credit officer (KF-OU) to review."""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction

DEMO_LEARNER = "learner@demo.bianxue.cn"

# 1+X exam sites (考核站点) of the demo: vocational schools of Kaifeng (../shared/reference/kaifeng.md) for
# certificates that fit their majors. Illustrative only: not the real registrations of these schools.
EXAM_SITES = [
    ("KF-HV-KFZH", ["X-LNZH", "X-SZZH", "X-MYHL"]),  # 开封智慧健康职业学院: eldercare, dementia care, maternity
    ("KF-HV-KFU", ["X-WEB", "X-ZNCS"]),  # 开封大学: web front end, smart finance and tax
    ("KF-HV-YRCW", ["X-GYJQR"]),  # 黄河水利职业技术学院: industrial robots
    ("KF-HV-HNYJ", ["X-WEB", "X-DSSJ"]),  # 河南应用技术职业学院: web front end, e-commerce data
    ("KF-HV-HNDW", ["X-DSSJ", "X-WLGL"]),  # 河南对外经济贸易职业学院: e-commerce data, logistics
]
EXAM_SITE_NOTE = "示例：演示用考核站点，并非真实登记 (illustrative demo exam site)"


def exam_sites_load() -> int:
    """Register the demo exam sites (idempotent; a bureau's later change to a row is kept). Returns how many
    rows exist. Called by this loader and by the courses demo, which schedules sittings only at exam sites."""
    from bianxue.institutions.models import Certificate, Institution

    from .models import Accreditation, OutcomeType

    institutions = dict(Institution.objects.filter(code__in=[c for c, _ in EXAM_SITES]).values_list("code", "pk"))
    certificates = dict(Certificate.objects.values_list("code", "pk"))
    count = 0
    for code, cert_codes in EXAM_SITES:
        for cert_code in cert_codes:
            if code in institutions and cert_code in certificates:
                Accreditation.objects.get_or_create(
                    institution_id=institutions[code], outcome_type=OutcomeType.X_CERTIFICATE,
                    certificate_id=certificates[cert_code], defaults={"accredited": True, "note": EXAM_SITE_NOTE})
                count += 1
    return count

# A tiny valid PDF used as the evidence of the demo declaration.
DEMO_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


@transaction.atomic
def load(*, stdout) -> None:
    from bianxue.accounts.models import User
    from bianxue.institutions.models import Certificate, Institution
    from bianxue.people.services import learner_for_user_get_or_create

    from credits.records.services import record_upsert

    from .models import ConversionRule, Outcome, OutcomeSource, ValuationRule
    from .services import account_get_or_create

    sites = exam_sites_load()
    start = datetime.date(2020, 1, 1)
    ValuationRule.objects.get_or_create(code="hours", version=1, defaults={
        "name": "按学时认定（16学时=1学分）", "kind": "hours", "hours_per_credit": Decimal("16"), "valid_from": start})
    ValuationRule.objects.get_or_create(code="x-certificate", version=1, defaults={
        "name": "1+X证书认定（初级2/中级4/高级6，每证书不超过8）", "kind": "fixed", "outcome_type": "",
        "valid_from": start})
    ou = Institution.objects.filter(code="KF-OU").first()
    eu = Institution.objects.filter(code="KF-EU").first()
    hv = Institution.objects.filter(code="KF-HV-KFZH").first()
    cert = Certificate.objects.filter(code="X-LNZH").first()
    if not (ou and eu and hv and cert):
        stdout.write("  credits: institutions/certificates missing, skipped")
        return
    ConversionRule.objects.get_or_create(
        institution=ou, programme_code="OU-520802", course_code="OU-LN-101", defaults={
            "programme_name": "老年保健与管理（开放教育专科）", "programme_credits": Decimal("76"),
            "share_cap_percent": 40, "course_name": "老年照护实务", "credits": Decimal("4"),
            "mode": "exempt_all", "outcome_type": "x_certificate", "certificate": cert, "min_level": "junior"})
    ConversionRule.objects.get_or_create(
        institution=ou, programme_code="OU-520802", course_code="OU-SQ-102", defaults={
            "programme_name": "老年保健与管理（开放教育专科）", "programme_credits": Decimal("76"),
            "share_cap_percent": 40, "course_name": "老年人健康与养生", "credits": Decimal("2"),
            "mode": "exempt_class", "outcome_type": "elderly", "min_credits": Decimal("1")})
    user = User.objects.filter(email=DEMO_LEARNER).first()
    if user is None:
        stdout.write("  credits: demo learner missing, skipped")
        return
    learner = learner_for_user_get_or_create(user=user)
    account = account_get_or_create(learner=learner)
    record_upsert(institution_id=eu.pk, record_id="DEMO-CB-EU-1", kind="training", learner=learner,
                  programme_code="EU-YS-2025", programme_name="中老年养生保健（春季班）", category="elderly",
                  date=datetime.date(2025, 6, 20), result="completed", hours=Decimal("36"))
    record_upsert(institution_id=hv.pk, record_id="DEMO-CB-HV-1", kind="exam", learner=learner,
                  programme_code="X-LNZH-2025", programme_name="老年照护职业技能等级证书（中级）",
                  category="x_certificate", date=datetime.date(2025, 9, 15), result="passed", certificate_id=cert.pk,
                  cert_level="intermediate", certificate_no="LNZH-2025-0001")
    if not Outcome.objects.filter(account=account, source=OutcomeSource.DECLARATION).exists():
        outcome = Outcome(account=account, type="training", title="家庭急救员培训（红十字会）", institution=ou,
                          source=OutcomeSource.DECLARATION, date=datetime.date(2025, 11, 8), hours=Decimal("24"),
                          evidence_name="急救员证书.pdf", evidence_type="application/pdf")
        outcome.evidence.save(f"{account.number}.pdf", ContentFile(DEMO_PDF), save=False)
        outcome.save()
    account.refresh_from_db()
    stdout.write(f"  credits: account {account.number} of {DEMO_LEARNER}, balance {account.balance}, "
                 f"1 declaration waiting for credit@demo.bianxue.cn (KF-OU), {sites} exam sites (illustrative)")

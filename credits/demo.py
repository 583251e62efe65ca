"""Demo data of the credit bank (idempotent): rules, illustrative 1+X exam sites, a conversion rule at 开封开放大学,
outcomes of the demo learner, and one pending declaration for the demo credit officer (KF-OU) to review."""

import datetime
from decimal import Decimal

from django.db import transaction

DEMO_LEARNER = "learner@demo.bianxue.cn"

# 1+X exam sites (考核站点) of the demo: vocational schools of Kaifeng (../shared/reference/kaifeng.md) for
# certificates that fit their majors. Illustrative only: not the real registrations of these schools.
EXAM_SITES = [
    ("KF-HV-KFZH", ["X-LNZH", "X-SZZH", "X-MYHL"]),  # 开封智慧健康职业学院: eldercare, dementia care, maternity
    ("KF-HV-KFU", ["X-WEB", "X-ZNCS", "X-YJSPT"]),  # 开封大学: web front end, smart finance and tax, cloud
    ("KF-HV-YRCW", ["X-GYJQR", "X-BIM"]),  # 黄河水利职业技术学院: industrial robots, BIM
    ("KF-HV-HNYJ", ["X-WEB", "X-DSSJ"]),  # 河南应用技术职业学院: web front end, e-commerce data
    ("KF-HV-HNDW", ["X-DSSJ", "X-WLGL"]),  # 河南对外经济贸易职业学院: e-commerce data, logistics
]
EXAM_SITE_NOTE = "示例：演示用考核站点，并非真实登记"


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

# The demo learner's declarations waiting for the demo credit officer (KF-OU): (title, type, date, hours, evidence
# name, evidence builder). Each evidence is a real generated PDF (credits/demo_evidence.py).
FIRST_AID_ITEMS = ["心肺复苏（CPR）与自动体外除颤器（AED）使用", "气道异物梗阻急救（海姆立克法）",
                   "创伤止血、包扎、固定与搬运", "常见急症的识别与现场处置"]
VOLUNTEER_SESSIONS = [
    ("2025-09-06", "09:00-11:00", "社区志愿服务概论与服务礼仪", "2", "已签到"),
    ("2025-09-13", "09:00-11:00", "与老年人沟通的技巧", "2", "已签到"),
    ("2025-09-20", "09:00-11:00", "居家探访与安全观察", "2", "已签到"),
    ("2025-09-27", "09:00-11:00", "防范电信诈骗宣传的组织", "2", "已签到"),
    ("2025-10-11", "09:00-11:00", "智能手机助老服务实务", "2", "已签到"),
    ("2025-10-18", "09:00-11:00", "社区应急疏散演练", "2", "已签到"),
    ("2025-10-25", "09:00-11:00", "志愿服务记录与时长认定", "2", "已签到"),
    ("2025-11-01", "09:00-11:00", "结业分享与服务计划", "2", "已签到"),
]


def _declarations(learner) -> list[tuple]:
    from .demo_evidence import attendance_pdf, certificate_pdf

    person = {"name": learner.name, "id_masked": learner.id_masked}
    return [
        ("家庭急救员培训（红十字会）", "training", datetime.date(2025, 11, 8), Decimal("24"), "急救员培训合格证书.pdf",
         lambda: certificate_pdf(**person, course="家庭急救员培训", organiser="开封市红十字会", hours="24",
                                 start="2025 年 10 月 25 日", end="2025 年 11 月 8 日", number="KFHSH-2025-0318",
                                 issued="2025 年 11 月 8 日", items=FIRST_AID_ITEMS)),
        ("社区志愿者助老服务培训", "community", datetime.date(2025, 11, 1), Decimal("16"), "志愿者培训出勤证明.pdf",
         lambda: attendance_pdf(**person, course="社区志愿者助老服务培训", organiser="开封社区大学 龙亭区社区学院",
                                sessions=VOLUNTEER_SESSIONS, issued="2025 年 11 月 3 日")),
    ]


def _declarations_load(user, learner, institution) -> int:
    """Submit the demo declarations through the learner's door (declaration_submit: entered by the learner, so
    the officer decides); a declaration an earlier demo made with a placeholder file gets the real PDF. Returns
    how many wait for review."""
    from django.core.files.base import ContentFile

    from .models import Outcome, OutcomeSource, OutcomeStatus
    from .services import declaration_submit

    waiting = 0
    for title, type_, date, hours, filename, build in _declarations(learner):
        outcome = Outcome.objects.filter(account__learner=learner, source=OutcomeSource.DECLARATION,
                                         title=title).first()
        if outcome is None:
            outcome = declaration_submit(user=user, outcome_type=type_, title=title, institution_id=institution.pk,
                                         date=date, hours=hours, evidence=ContentFile(build(), name=filename))
        elif outcome.status == OutcomeStatus.SUBMITTED and (not outcome.evidence or outcome.evidence.size < 2048):
            outcome.evidence.save(f"{outcome.account.number}.pdf", ContentFile(build()), save=False)
            outcome.evidence_name, outcome.evidence_type = filename, "application/pdf"
            outcome.save(update_fields=["evidence", "evidence_name", "evidence_type", "updated_at"])
        waiting += outcome.status == OutcomeStatus.SUBMITTED
    return waiting


@transaction.atomic
def load(*, stdout) -> None:
    from bianxue.accounts.models import User
    from bianxue.institutions.models import Certificate, Institution
    from bianxue.people.services import learner_for_user_get_or_create

    from credits.records.services import record_upsert

    from .models import ConversionRule, ValuationRule
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
    waiting = _declarations_load(user, learner, ou)
    account.refresh_from_db()
    stdout.write(f"  credits: account {account.number} of {DEMO_LEARNER}, balance {account.balance}, "
                 f"{waiting} declarations waiting for credit@demo.bianxue.cn (KF-OU), {sites} exam sites (illustrative)")

"""Generated submissions in data exchange format v1: the benchmark and the Kaifeng demo data.

Deterministic (seeded). Resident ID numbers get valid GB 11643 check characters; they are
synthetic and belong to no one.
"""

import csv
import datetime
import random
from pathlib import Path

from bianxue.people.identifiers import resident_id_check_char
from bianxue.vocab import KAIFENG_DISTRICTS

from .importer.schema import FILES_BY_NAME

DISTRICTS = list(KAIFENG_DISTRICTS)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
# Realistic programme names of the generated lifelong-learning records (P-<category>-<n>, n = 1..6): what learners
# and staff read as the outcome's title, never the category code.
PROGRAMME_NAMES = {
    "community": ["家庭急救常识", "开封历史文化讲堂", "家庭教育指导", "垃圾分类与绿色生活", "身边的民法典", "家庭理财与防范非法集资"],
    "elderly": ["老年书法（楷书基础）", "太极拳（二十四式）", "豫剧唱腔欣赏", "中国画（花鸟）基础", "合唱与声乐基础", "老年人健康养生"],
    "continuing": ["会计人员继续教育", "中小学教师信息技术应用能力提升", "专业技术人员公需科目", "安全生产管理人员继续教育",
                   "医护人员继续教育", "企业班组长管理能力提升"],
    "smart_tech": ["智能手机使用入门", "手机挂号与网上就医", "移动支付与防范诈骗", "扫码乘车与网约车", "手机拍照与短视频",
                   "医保电子凭证与政务服务"],
    "open_university": ["计算机应用基础", "老年服务与管理概论", "学前儿童卫生与保健", "人文英语", "管理学基础", "社区治理"],
    "rural_labor": ["设施蔬菜种植技术", "家政服务员培训", "农村电商直播", "民族乐器制作工艺", "中式面点制作", "电焊工入门"],
    "fitness_leader": ["社会体育指导员（广场舞）", "八段锦健身骨干", "太极拳健身骨干", "健身气功骨干", "门球裁判与组织", "全民健身活动组织"],
    "vocational": ["中式烹调师（开封菜）", "育婴员", "低压电工作业", "导游讲解", "汽车维修基础", "养老护理员"],
    "other": ["志愿服务培训", "读书会", "非遗汴绣体验", "摄影基础", "茶艺入门", "插花与家居美化"],
}
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂"


def resident_id(rng: random.Random, *, district: str, birth_year: int) -> str:
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    first17 = f"{district}{birth_year:04d}{month:02d}{day:02d}{rng.randint(0, 999):03d}"
    return first17 + resident_id_check_char(first17)


def person(rng: random.Random, *, young: bool) -> dict:
    district = rng.choice(DISTRICTS)
    birth_year = rng.randint(2003, 2010) if young else rng.choice([rng.randint(1940, 1965), rng.randint(1966, 2000)])
    name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
    return {"learner_id": resident_id(rng, district=district, birth_year=birth_year), "name": name,
            "birth_year": birth_year, "district": district}


def cert_programme(cert: str, kind: str, names: dict[str, str] | None) -> str:
    """老年照护职业技能等级证书培训 / …考核: the name of a 1+X training or exam programme."""
    return f"{(names or {}).get(cert, cert)}职业技能等级证书{'考核' if kind == 'exam' else '培训'}"


def write_csv(folder: Path, name: str, rows: list[dict]) -> None:
    keys = FILES_BY_NAME[name].keys
    with open(folder / f"{name}.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=keys)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: row.get(k, "") for k in keys})


def generate_submission(folder: Path, *, records: int, years=(2024, 2025), seed: int = 7,
                        vocational: list[tuple[str, str, bool]] | None = None,
                        community: list[tuple[str, str, str]] | None = None,
                        certificates: list[str] | None = None, include_reference: bool = True,
                        majors: list[tuple[str, str, str]] | None = None, prefix: str = "R",
                        certificate_names: dict[str, str] | None = None) -> dict:
    """Write a submission folder. ``vocational``: (code, district, quality) of vocational schools;
    ``community``: (code, district, type) of community/elderly providers; ``certificate_names``: {code: name} for
    the 1+X programme names (``X-LNZH`` -> 老年照护职业技能等级证书培训). Returns a small summary.

    Longer than our ~60-line bound on purpose: one seeded random stream is drawn in a fixed order across the
    files, so the demo and the benchmark get the same data for the same seed; split into helpers, the order of
    the draws would have to be threaded through them and would break silently when one of them changes."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    today = datetime.date.today()
    vocational = vocational or [(f"BX-VS-{i:03d}", DISTRICTS[i % 9], i % 3 == 0) for i in range(20)]
    community = community or ([(f"BX-CC-{d}", d, "community_college") for d in DISTRICTS]
                              + [(f"BX-EC-{d}", d, "elderly_center") for d in DISTRICTS])
    certificates = certificates or [f"BX{n:04d}" for n in range(1, 21)]
    given_majors = majors
    institutions, majors = [], []
    for code, district, quality in vocational:
        institutions.append({"code": code, "name": f"{code} 职业学校", "type": "secondary_vocational",
                             "district": district, "quality_vocational": int(quality)})
        for m in range(0 if given_majors else 4):
            certs = ";".join(rng.sample(certificates, rng.randint(0, 2)))
            majors.append({"institution_code": code, "major_code": f"{m + 1:02d}0101", "major_name": f"专业{m + 1}",
                           "cert_codes": certs})
    for inst, major_code, certs in given_majors or []:
        majors.append({"institution_code": inst, "major_code": major_code, "major_name": major_code, "cert_codes": certs})
    for code, district, type_ in community:
        institutions.append({"code": code, "name": f"{code} 学院", "type": type_, "district": district})
    # Students: about a fifth of the records' learners are on a roster.
    n_students = max(10, records // 10)
    students_people = [person(rng, young=True) for _ in range(n_students)]
    others = [person(rng, young=False) for _ in range(max(10, records // 8))]
    students, roster_of = [], {}
    for p in students_people:
        code = rng.choice(vocational)[0]
        major = rng.choice([m for m in majors if m["institution_code"] == code])
        roster_of[p["learner_id"]] = code
        for year in years:
            students.append({"year": year, "institution_code": code, "major_code": major["major_code"],
                             "learner_id": p["learner_id"], "name": p["name"], "apprenticeship": int(rng.random() < 0.15)})
    rows = []
    lifelong = ["community", "elderly", "continuing", "smart_tech", "open_university", "rural_labor", "fitness_leader",
                "vocational", "other"]
    for i in range(records):
        year = rng.choice(years)
        last = min(datetime.date(year, 12, 31), today)
        date = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randint(0, (last - datetime.date(year, 1, 1)).days))
        if rng.random() < 0.5:
            p = rng.choice(students_people)
            inst = roster_of[p["learner_id"]]
            cert = rng.choice(certificates)
            kind = "exam" if rng.random() < 0.3 else "training"
            result = rng.choice(["passed", "passed", "failed"]) if kind == "exam" else rng.choice(
                ["completed", "completed", "attended", "withdrawn"])
            rows.append({"record_id": f"{prefix}{i:07d}", "kind": kind, **p, "institution_code": inst,
                         "programme_code": f"P-{cert}",
                         "programme_name": cert_programme(cert, kind, certificate_names), "category": "x_certificate",
                         "cert_code": cert, "cert_level": rng.choice(["junior", "intermediate", "senior"]),
                         "date": date.isoformat(), "hours": "" if kind == "exam" else rng.choice(["8", "16", "32", "48.5"]),
                         "result": result})
        else:
            p = rng.choice(others)
            code, _, type_ = rng.choice(community)
            category = rng.choice(lifelong)
            if type_ == "elderly_center" and rng.random() < 0.6:
                category = rng.choice(["elderly", "smart_tech"])
            birth_year = p["birth_year"] if rng.random() < 0.7 else ""
            number = rng.randint(1, 6)  # drawn after birth_year, as always: the same seed gives the same rows
            rows.append({"record_id": f"{prefix}{i:07d}", "kind": "training", **p,
                         "birth_year": birth_year, "institution_code": code,
                         "programme_code": f"P-{category}-{number}",
                         "programme_name": PROGRAMME_NAMES[category][number - 1],
                         "category": category, "date": date.isoformat(), "hours": rng.choice(["2", "4", "6.5", "12"]),
                         "result": rng.choice(["completed", "attended", "attended", "withdrawn"])})
    if include_reference:
        write_csv(folder, "institutions", institutions)
        write_csv(folder, "certificates", [{"cert_code": c, "name": f"职业技能等级证书 {c}", "issuer": "培训评价组织"}
                                           for c in certificates])
        write_csv(folder, "majors", majors)
    write_csv(folder, "students", students)
    write_csv(folder, "records", rows)
    return {"records": len(rows), "students": len(students), "institutions": len(institutions)}

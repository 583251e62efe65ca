"""Against what is stored: re-submissions (unchanged rows) and corrections (changed rows, refused
unless the submission is a correction)."""

from ..hashing import record_hasher, record_values
from .checker import Checker
from .lookups import stored_records, stored_students


def students_classify(checker: Checker) -> None:
    """Each planned roster row: created, unchanged or corrected (an error outside a correction)."""
    plan = checker.plan
    display = checker.rows("students")[0]
    wanted = [s for s in plan.students if s["identifier"] in plan.learner_ids and s["institution_code"] in checker.db_inst]
    existing = stored_students(checker, wanted)
    for s in plan.students:
        old = existing.get((s["year"], s["institution_code"], plan.learner_ids.get(s["identifier"])))
        if old is None:
            s["status"] = "created"
        elif (old["major__code"], old["name"], old["apprenticeship"]) == (s["major_code"], s["name"], s["apprenticeship"]):
            s["status"] = "unchanged"
        elif plan.correction:
            s["status"], s["id"] = "corrected", old["id"]
            s["before"] = {"major": old["major__code"], "name": old["name"], "apprenticeship": old["apprenticeship"]}
        else:
            checker.err(display, s["row"], "learner_id",
                        f"该学生 {s['year']} 年在 {s['institution_code']} 的名册已存在且内容不同；如需更正请以更正方式提交",
                        f"This student is already on the {s['year']} roster of {s['institution_code']} with different "
                        "content; submit it as a correction")


def records_classify(checker: Checker) -> None:
    """Each planned record: created, unchanged (same content hash) or corrected (an error outside a correction)."""
    plan = checker.plan
    display = checker.rows("records")[0]
    by_inst: dict[str, list[dict]] = {}
    for r in plan.records:
        if r["institution_code"] in checker.db_inst:
            by_inst.setdefault(r["institution_code"], []).append(r)
    existing = stored_records(by_inst, {code: checker.db_inst[code]["id"] for code in by_inst})
    content_hash = record_hasher()
    for r in plan.records:
        old = existing.get((r["institution_code"], r["record_id"]))
        if old is None:
            r["status"] = "created"
            continue
        learner_id = plan.learner_ids.get(r["identifier"])
        cert = checker.db_cert.get(r["cert_code"]) if r["cert_code"] else None
        same = learner_id is not None and (not r["cert_code"] or cert is not None) and old["content_hash"] == content_hash(
            record_values(r, learner_id=learner_id, certificate_id=cert["id"] if cert else None))
        if same:
            r["status"] = "unchanged"
        elif plan.correction:
            r["status"], r["id"] = "corrected", old["id"]
            r["before"] = {k: str(v) for k, v in old.items() if k != "content_hash"}
        else:
            checker.err(display, r["row"], "record_id",
                        f"记录 {r['institution_code']}/{r['record_id']} 已存在且内容不同；如需更正请以更正方式提交",
                        f"Record {r['institution_code']}/{r['record_id']} exists with different content; "
                        "submit it as a correction")

"""Applying a validated Plan: one transaction (the caller's), bulk writes, then the credit bank hand-off.

Reference data (a few rows) goes through the institutions app's services, learners through the people
app's bulk service, roster rows and records through ``bianxue.bulk`` (COPY on PostgreSQL). The phases
are timed with a PhaseClock logged at DEBUG (the benchmark shows them).
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from bianxue import bulk
from bianxue.accounts.services import audit_record
from bianxue.institutions.models import Certificate, Institution, Major
from bianxue.institutions.services import (
    certificate_upsert,
    district_upsert,
    institution_upsert,
    major_upsert,
)
from bianxue.people.services import LearnerSpec, learner_phones_bulk_record, learners_bulk_get_or_create
from bianxue.timing import PhaseClock
from bianxue.vocab import KAIFENG_DISTRICTS
from django.utils import timezone

from ..hashing import RECORD_FIELDS, record_hasher, record_values
from ..models import LearningRecord, StudentRoster
from .lookups import CHUNK
from .plan import Plan
from .report import FileCounts

logger = logging.getLogger(__name__)
BATCH = 2000
Progress = Callable[[int, int], None]


@dataclass
class _Keys:
    """Database ids of the codes the plan's rows point to."""

    institutions: dict[str, int] = field(default_factory=dict)
    certificates: dict[str, int] = field(default_factory=dict)
    majors: dict[tuple[int, str], int] = field(default_factory=dict)


def _ids(model, field_name: str, values) -> dict:
    out = {}
    for chunk in bulk.chunks(set(values), CHUNK):
        out.update(model.objects.filter(**{f"{field_name}__in": chunk}).values_list(field_name, "id"))
    return out


def _stamped_insert(model, rows: list[dict]) -> None:
    """Insert rows (dicts, possibly with their own "id") with created_at = updated_at = now."""
    now = timezone.now()
    bulk.dicts_insert(model, rows, same={"created_at": now, "updated_at": now})


def plan_write(plan: Plan, *, actor, progress: Progress | None = None
               ) -> tuple[dict[str, FileCounts], list[int], list[int]]:
    """Write the plan (call inside transaction.atomic). Returns the counts per file and the ids of
    the records created and of those corrected (handed to the credit bank by the caller)."""
    progress = progress or (lambda done, total: None)
    clock = PhaseClock(logger=logger, name="import write")
    total = len(plan.records) + len(plan.students) + 1
    _references_write(plan, actor=actor)
    clock("reference data")
    missing = [LearnerSpec(identifier=i, name=n, birth_year=b, district_code=d)
               for i, (n, b, d) in plan.learners.items() if i not in plan.learner_ids]
    if missing:  # in bulk (resident ID numbers hashed and encrypted by the people app)
        plan.learner_ids.update(learners_bulk_get_or_create(specs=missing))
    clock(f"learners ({len(missing)} new)")
    keys = _keys_load(plan)
    if plan.phones:  # kept by the people app, encrypted; only for real-name binding codes
        learner_phones_bulk_record(entries=[(plan.learner_ids[ident], keys.institutions[inst], phone)
                                            for (ident, inst), phone in plan.phones.items()])
        clock(f"mobiles ({len(plan.phones)})")
    _students_write(plan, keys, actor=actor)
    done = len(plan.students)
    progress(done, total)
    clock("students")
    created_ids = _records_insert(plan, keys, progress=lambda n: progress(done + n, total))
    clock("records inserted")
    if created_ids is None:
        created_ids = _created_record_ids(plan, keys)
    corrected_ids = _records_correct(plan, keys, actor=actor)
    progress(total, total)
    clock("records ids and corrections")
    return plan.counts(), created_ids, corrected_ids


# --- reference data: a few rows, written through the institutions app's services -------------------

def _references_write(plan: Plan, *, actor) -> None:
    for code in plan.districts:
        name, kind = KAIFENG_DISTRICTS[code]
        district_upsert(code=code, name=name, kind=kind)
    _institutions_write(plan, actor=actor)
    for item in plan.certificates:
        if item["status"] != "unchanged":
            certificate, _ = certificate_upsert(code=item["code"], name=item["name"], issuer=item["issuer"])
            if item["status"] == "corrected":
                audit_record(actor=actor, action="certificate.import_update", obj=certificate, data={"code": item["code"]})
    for item in plan.majors:
        if item["status"] != "unchanged":
            major, _ = major_upsert(institution_code=item["institution_code"], code=item["code"], name=item["name"],
                                    cert_codes=item["cert_codes"])
            if item["status"] == "corrected":
                audit_record(actor=actor, action="major.import_update", obj=major, institution_id=major.institution_id,
                             data={"code": item["code"], "cert_codes": item["cert_codes"]})


def _institutions_write(plan: Plan, *, actor) -> None:
    """Institutions whose parent is neither stored nor written yet get it in a second pass."""
    existing_codes = set(_ids(Institution, "code", [i["code"] for i in plan.institutions]))
    deferred = []
    for item in plan.institutions:
        if item["status"] == "unchanged":
            continue
        parent = item["parent_code"]
        parent_ready = parent is None or parent in existing_codes
        institution, _ = institution_upsert(
            code=item["code"], name=item["name"], type=item["type"], district_code=item["district"],
            quality_vocational=item["quality_vocational"], parent_code=parent if parent_ready else None)
        existing_codes.add(item["code"])
        if not parent_ready:
            deferred.append(item)
        if item["status"] == "corrected":
            audit_record(actor=actor, action="institution.import_update", obj=institution, institution_id=institution.pk,
                         data={"code": item["code"]})
    for item in deferred:
        institution_upsert(code=item["code"], name=item["name"], type=item["type"], district_code=item["district"],
                           quality_vocational=item["quality_vocational"], parent_code=item["parent_code"])


def _keys_load(plan: Plan) -> _Keys:
    keys = _Keys()
    keys.institutions = _ids(Institution, "code", {s["institution_code"] for s in plan.students}
                             | {r["institution_code"] for r in plan.records})
    keys.certificates = _ids(Certificate, "code", {r["cert_code"] for r in plan.records if r["cert_code"]})
    for chunk in bulk.chunks(keys.institutions.values(), CHUNK):
        for inst_id, code, pk in Major.objects.filter(institution_id__in=chunk).values_list("institution_id", "code", "id"):
            keys.majors[(inst_id, code)] = pk
    return keys


# --- roster rows and records ------------------------------------------------------------------------

def _students_write(plan: Plan, keys: _Keys, *, actor) -> None:
    new_students, fixed_students = [], []
    for s in plan.students:
        if s["status"] == "unchanged":
            continue
        inst_id = keys.institutions[s["institution_code"]]
        major_id = keys.majors[(inst_id, s["major_code"])]
        values = {"year": s["year"], "institution_id": inst_id, "major_id": major_id,
                  "learner_id": plan.learner_ids[s["identifier"]], "name": s["name"],
                  "apprenticeship": s["apprenticeship"],
                  "content_hash": f"{major_id}|{s['name']}|{int(s['apprenticeship'])}"}
        if s["status"] == "created":
            new_students.append(values)
        else:
            fixed_students.append(StudentRoster(id=s["id"], **values))
    _stamped_insert(StudentRoster, new_students)
    if fixed_students:
        StudentRoster.objects.bulk_update(fixed_students, ["major_id", "name", "apprenticeship", "content_hash"], batch_size=BATCH)
        for obj, s in zip(fixed_students, [s for s in plan.students if s["status"] == "corrected"], strict=True):
            audit_record(actor=actor, action="roster.correct", obj=obj, institution_id=obj.institution_id,
                         data={"before": s["before"]})


def _record_rows(plan: Plan, keys: _Keys, status: str):
    """(planned record, stored values) of the records with ``status``."""
    content_hash = record_hasher()
    for r in plan.records:
        if r["status"] != status:
            continue
        values = record_values(r, learner_id=plan.learner_ids[r["identifier"]],
                               certificate_id=keys.certificates[r["cert_code"]] if r["cert_code"] else None)
        yield r, {"institution_id": keys.institutions[r["institution_code"]], "record_id": r["record_id"],
                  "content_hash": content_hash(values), "source": "import", **values}


def _records_insert(plan: Plan, keys: _Keys, *, progress: Callable[[int], None]) -> list[int] | None:
    """Insert the new records in batches. PostgreSQL: their ids are allocated from the sequence up front
    and returned (no second query); elsewhere None (the caller reads them back)."""
    count = sum(1 for r in plan.records if r["status"] == "created")
    created_ids = (bulk.ids_allocate(LearningRecord, count) or []) if bulk.is_postgresql() else None
    next_id = iter(created_ids or ())
    batch: list[dict] = []
    done = 0
    for _r, row in _record_rows(plan, keys, "created"):
        if created_ids is not None:
            row["id"] = next(next_id)
        batch.append(row)
        if len(batch) >= BATCH * 5:
            done += len(batch)
            _stamped_insert(LearningRecord, batch)
            batch.clear()
            progress(done)
    _stamped_insert(LearningRecord, batch)
    return created_ids


def _created_record_ids(plan: Plan, keys: _Keys) -> list[int]:
    """The ids of the inserted records, by key, in chunks (for the credit bank hand-off)."""
    created_ids: list[int] = []
    by_inst: dict[int, list[str]] = {}
    for r in plan.records:
        if r["status"] == "created":
            by_inst.setdefault(keys.institutions[r["institution_code"]], []).append(r["record_id"])
    for inst_id, record_ids in by_inst.items():
        for chunk in bulk.chunks(record_ids, CHUNK):
            created_ids.extend(LearningRecord.objects.filter(institution_id=inst_id, record_id__in=chunk)
                               .values_list("id", flat=True))
    return created_ids


def _records_correct(plan: Plan, keys: _Keys, *, actor) -> list[int]:
    """Replace the corrected records (audited with their values before); returns their ids."""
    corrected: list[tuple[LearningRecord, dict]] = []
    for r, row in _record_rows(plan, keys, "corrected"):
        del row["source"]
        corrected.append((LearningRecord(id=r["id"], **row), r["before"]))
    if corrected:
        LearningRecord.objects.bulk_update([o for o, _ in corrected], ["learner_id", *RECORD_FIELDS, "content_hash"],
                                           batch_size=BATCH)
        for obj, before in corrected:
            audit_record(actor=actor, action="record.correct", obj=obj, institution_id=obj.institution_id,
                         data={"before": before, "record_id": obj.record_id})
    return [o.pk for o, _ in corrected]

"""What is stored, read in a bounded number of chunked queries (never per row).

Existing districts, institutions, certificates, majors (with their certificates), learners (by
identifier hash), records and roster rows with the keys of the submitted ones.
"""

from bianxue.bulk import chunks, int_array, is_postgresql, text_array
from bianxue.institutions.models import Certificate, District, Institution, Major, MajorCertificate
from bianxue.people.identifiers import identifier_hash
from bianxue.people.models import Learner
from django.db import connection

from ..models import LearningRecord, StudentRoster
from .checker import Checker

CHUNK = 2000  # keys per IN (…) list
ARRAY_CHUNK = 10000  # keys per array parameter (PostgreSQL)


def _codes(checker: Checker, name: str, key: str) -> set[str]:
    return {row[key] for _, row in checker.rows(name)[1] if row[key]}


def references_load(checker: Checker) -> None:
    """The stored districts, and the institutions, certificates and majors the submission mentions."""
    inst_codes = (_codes(checker, "institutions", "code") | _codes(checker, "institutions", "parent_code")
                  | _codes(checker, "majors", "institution_code") | _codes(checker, "students", "institution_code")
                  | _codes(checker, "records", "institution_code"))
    checker.db_districts = set(District.objects.values_list("code", flat=True))
    for chunk in chunks(inst_codes, CHUNK):
        for i in Institution.objects.filter(code__in=chunk).values(
            "id", "code", "name", "type", "district_id", "quality_vocational", "parent__code"
        ):
            checker.db_inst[i["code"]] = i
    cert_codes = _codes(checker, "certificates", "cert_code") | _codes(checker, "records", "cert_code")
    for _, row in checker.rows("majors")[1]:
        cert_codes |= {c.strip() for c in row["cert_codes"].split(";") if c.strip()}
    for chunk in chunks(cert_codes, CHUNK):
        for c in Certificate.objects.filter(code__in=chunk).values("id", "code", "name", "issuer"):
            checker.db_cert[c["code"]] = c
    _majors_load(checker)


def _majors_load(checker: Checker) -> None:
    inst_ids = {i["id"]: code for code, i in checker.db_inst.items()}
    for chunk in chunks(inst_ids, CHUNK):
        for m in Major.objects.filter(institution_id__in=chunk).values("id", "institution_id", "code", "name"):
            checker.db_major[(inst_ids[m["institution_id"]], m["code"])] = {**m, "certs": set()}
        links = MajorCertificate.objects.filter(major__institution_id__in=chunk).values_list(
            "major__institution_id", "major__code", "certificate__code")
        for inst_id, major_code, cert_code in links:
            checker.db_major[(inst_ids[inst_id], major_code)]["certs"].add(cert_code)


def learners_load(checker: Checker, identifiers: set[str]) -> None:
    """The ids of the stored learners among ``identifiers`` (into plan.learner_ids)."""
    by_hash = {identifier_hash(i): i for i in identifiers}
    if is_postgresql():  # the hashes as one array parameter a chunk
        table = connection.ops.quote_name(Learner._meta.db_table)
        sql = f"SELECT l.id_hash, l.id FROM {table} l WHERE l.id_hash = ANY(%s::text[])"
        with connection.cursor() as cursor:
            for chunk in chunks(by_hash, ARRAY_CHUNK):
                cursor.execute(sql, [text_array(chunk)])
                for id_hash, pk in cursor.fetchall():
                    checker.plan.learner_ids[by_hash[id_hash]] = pk
        return
    for chunk in chunks(by_hash, CHUNK):
        for id_hash, pk in Learner.objects.filter(id_hash__in=chunk).values_list("id_hash", "id"):
            checker.plan.learner_ids[by_hash[id_hash]] = pk


def stored_students(checker: Checker, wanted: list[dict]) -> dict[tuple[int, str, int], dict]:
    """The stored roster rows with the keys of ``wanted``: {(year, institution code, learner id): values}."""
    existing = {}
    for chunk in chunks(wanted, CHUNK):
        learner_ids = {checker.plan.learner_ids[s["identifier"]] for s in chunk}
        inst_ids = {checker.db_inst[s["institution_code"]]["id"] for s in chunk}
        for r in StudentRoster.objects.filter(learner_id__in=learner_ids, institution_id__in=inst_ids,
                                              year__in={s["year"] for s in chunk}).values(
            "id", "year", "institution__code", "learner_id", "major__code", "name", "apprenticeship"):
            existing[(r["year"], r["institution__code"], r["learner_id"])] = r
    return existing


STORED_FIELDS = ("id", "record_id", "content_hash", "learner_id", "name", "kind", "category", "date", "result")


def stored_records(by_inst: dict[str, list[dict]], inst_ids: dict[str, int]) -> dict[tuple[str, str], dict]:
    """The stored records with the keys of the planned ones: {(institution code, record_id): values}.

    PostgreSQL: the keys passed as two arrays (unnest), 10,000 keys a query, instead of a
    2,000-placeholder IN list per institution and chunk; elsewhere the ORM, chunked."""
    if is_postgresql():
        return _stored_records_by_arrays(by_inst, inst_ids)
    existing = {}
    for code, recs in by_inst.items():
        for chunk in chunks(recs, CHUNK):
            for row in LearningRecord.objects.filter(
                institution_id=inst_ids[code], record_id__in=[r["record_id"] for r in chunk]
            ).values(*STORED_FIELDS):
                existing[(code, row["record_id"])] = row
    return existing


def _stored_records_by_arrays(by_inst: dict[str, list[dict]], inst_ids: dict[str, int]) -> dict[tuple[str, str], dict]:
    existing = {}
    code_by_id = {pk: code for code, pk in inst_ids.items()}
    keys = [(inst_ids[code], r["record_id"]) for code, recs in by_inst.items() for r in recs]
    table = LearningRecord._meta.db_table
    columns = ", ".join(f"r.{connection.ops.quote_name(LearningRecord._meta.get_field(f).column)}"
                        for f in STORED_FIELDS)
    # LATERAL ... LIMIT 1 (the key is unique): one index probe per key whatever the table's
    # statistics say (right after a big import they are stale, and a hash join would scan it all).
    sql = (f"SELECT r.institution_id, {columns} FROM unnest(%s::bigint[], %s::text[]) AS k(institution_id, record_id) "
           f"CROSS JOIN LATERAL (SELECT * FROM {connection.ops.quote_name(table)} s "
           "WHERE s.institution_id = k.institution_id AND s.record_id = k.record_id LIMIT 1) r")
    with connection.cursor() as cursor:
        for chunk in chunks(keys, ARRAY_CHUNK):
            cursor.execute(sql, [int_array(i for i, _ in chunk), text_array(rid for _, rid in chunk)])
            for inst_id, *values in cursor.fetchall():
                row = dict(zip(STORED_FIELDS, values, strict=True))
                existing[(code_by_id[inst_id], row["record_id"])] = row
    return existing

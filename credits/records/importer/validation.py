"""Checking every row of a parsed submission against every rule of the spec, collecting every error.

Nothing here writes. The database is read in a bounded number of chunked queries (existing
institutions, certificates, majors, learners, records and roster rows), never per row. The
result is a Plan the writer applies, with each row already classified as created, unchanged or
corrected.
"""

import datetime
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from bianxue.institutions.models import Certificate, District, Institution, Major, MajorCertificate
from bianxue.people.identifiers import (
    birth_year_from_resident_id,
    identifier_hash,
    looks_like_resident_id,
    normalize_identifier,
    resident_id_is_valid,
)
from bianxue.people.models import Learner
from bianxue.vocab import KAIFENG_DISTRICTS
from django.db import connection
from django.utils import timezone

from ..models import LearningRecord, StudentRoster
from ..services import _HASH_KEYS, _TENTH
from .parsing import ParsedSubmission
from .report import ImportIssue
from .schema import (
    BOOLEANS,
    CATEGORIES,
    CERT_LEVELS,
    INSTITUTION_TYPES,
    KINDS,
    RESULTS,
    vocab_lookup,
)

CHUNK = 2000
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_HOURS = re.compile(r"^\d+(\.\d)?$")
_RESULTS_BY_KIND = {"training": {"completed", "attended", "withdrawn"}, "exam": {"passed", "failed"}}
MAX_LEN = {"record_id": 64, "name": 64, "programme_code": 64, "programme_name": 200, "certificate_no": 64,
           "code": 32, "cert_code": 32, "major_code": 32, "major_name": 128, "issuer": 128, "institution_code": 32}


@dataclass
class Plan:
    """What the writer will do; rows carry their status (created / unchanged / corrected)."""

    correction: bool = False
    districts: list[str] = field(default_factory=list)  # Kaifeng district codes to create
    institutions: list[dict] = field(default_factory=list)
    certificates: list[dict] = field(default_factory=list)
    majors: list[dict] = field(default_factory=list)
    students: list[dict] = field(default_factory=list)
    records: list[dict] = field(default_factory=list)
    learners: dict[str, tuple[str, int | None, str]] = field(default_factory=dict)  # identifier → name, birth, district
    learner_ids: dict[str, int] = field(default_factory=dict)  # identifiers already stored
    files: list[str] = field(default_factory=list)  # the files present, in spec order


def _pg_text_array(values) -> str:
    """A PostgreSQL array literal of strings (every element quoted, quotes and backslashes escaped),
    passed as one parameter: psycopg's client-side adaptation of a list costs ~1 s per 50,000 strings."""
    return "{" + ",".join('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values) + "}"


def _identifier_check(raw: str) -> tuple[str, str | None]:
    """The normalised identifier and its problem, if any ("too_long" or "check_char")."""
    value = normalize_identifier(raw)
    if len(value) > 64:
        return value, "too_long"
    if looks_like_resident_id(value) and not resident_id_is_valid(value):
        return value, "check_char"
    return value, None


def _chunks(items, size=CHUNK):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


class _Checker:
    def __init__(self, submission: ParsedSubmission, *, allowed_codes: set[str] | None, correction: bool):
        self.sub = submission
        self.allowed = allowed_codes  # None: any institution (bureau admin, command line)
        self.errors: list[ImportIssue] = list(submission.errors)
        self.plan = Plan(correction=correction)
        self.today = timezone.localdate()
        self._identifiers: dict[str, tuple[str, str | None]] = {}
        self._limits: dict[str, list[tuple[str, int]]] = {}

    def err(self, file: str, row: int, column: str, zh: str, en: str) -> None:
        self.errors.append(ImportIssue(file, row, column, zh, en))

    def rows(self, name: str):
        parsed = self.sub.files.get(name)
        return (parsed.display, parsed.rows) if parsed else (f"{name}.csv", [])

    # --- helpers ------------------------------------------------------------------------------
    def required(self, display, number, row, keys) -> bool:
        ok = True
        for key in keys:
            if not row[key]:
                self.err(display, number, key, "必填项为空", "This field is required")
                ok = False
        return ok

    def lengths(self, display, number, row) -> bool:
        limits = self._limits.get(display)
        if limits is None:  # the limited columns this file has, in MAX_LEN order (rows carry every key of their file)
            limits = self._limits[display] = [(key, limit) for key, limit in MAX_LEN.items() if key in row]
        ok = True
        for key, limit in limits:
            value = row[key]
            if len(value) > limit:
                self.err(display, number, key, f"不能超过 {limit} 个字符", f"At most {limit} characters")
                ok = False
        return ok

    def boolean(self, display, number, row, key) -> bool | None:
        value = row[key]
        if value not in BOOLEANS:
            self.err(display, number, key, f"“{value}”不是 0/1/否/是", f"'{value}' is not 0/1/否/是")
            return None
        return BOOLEANS[value]

    def vocab(self, display, number, row, key, vocab) -> str | None:
        value = row[key]
        code = vocab_lookup(vocab, value)
        if code is None:
            self.err(display, number, key, f"“{value}”不在词表中（可用：{'、'.join(vocab)}）",
                     f"'{value}' is not in the vocabulary (expected one of: {', '.join(vocab)})")
        return code

    def scoped(self, display, number, column, code) -> bool:
        if self.allowed is not None and code not in self.allowed:
            self.err(display, number, column, f"无权为机构 {code} 提交数据", f"You may not submit rows for institution {code}")
            return False
        return True

    def identifier(self, display, number, row) -> str | None:
        raw = row["learner_id"]
        outcome = self._identifiers.get(raw)  # the same learner recurs on many rows: check each value once
        if outcome is None:
            outcome = self._identifiers[raw] = _identifier_check(raw)
        value, problem = outcome
        if problem == "too_long":
            self.err(display, number, "learner_id", "学习者标识不能超过 64 个字符", "The learner identifier is at most 64 characters")
            return None
        if problem == "check_char":
            self.err(display, number, "learner_id", "身份证号校验位错误", "The resident ID number has a wrong check character")
            return None
        return value

    # --- the database, read in chunks ----------------------------------------------------------
    def load(self) -> None:
        def codes(name, key):
            return {row[key] for _, row in self.rows(name)[1] if row[key]}

        inst_codes = (codes("institutions", "code") | codes("institutions", "parent_code") | codes("majors", "institution_code")
                      | codes("students", "institution_code") | codes("records", "institution_code"))
        self.db_districts = set(District.objects.values_list("code", flat=True))
        self.db_inst = {}
        for chunk in _chunks(inst_codes):
            for i in Institution.objects.filter(code__in=chunk).values(
                "id", "code", "name", "type", "district_id", "quality_vocational", "parent__code"
            ):
                self.db_inst[i["code"]] = i
        cert_codes = codes("certificates", "cert_code") | codes("records", "cert_code")
        for _, row in self.rows("majors")[1]:
            cert_codes |= {c.strip() for c in row["cert_codes"].split(";") if c.strip()}
        self.db_cert = {}
        for chunk in _chunks(cert_codes):
            for c in Certificate.objects.filter(code__in=chunk).values("id", "code", "name", "issuer"):
                self.db_cert[c["code"]] = c
        self.db_major = {}
        inst_ids = {i["id"]: code for code, i in self.db_inst.items()}
        for chunk in _chunks(inst_ids):
            for m in Major.objects.filter(institution_id__in=chunk).values("id", "institution_id", "code", "name"):
                self.db_major[(inst_ids[m["institution_id"]], m["code"])] = {**m, "certs": set()}
            links = MajorCertificate.objects.filter(major__institution_id__in=chunk).values_list(
                "major__institution_id", "major__code", "certificate__code")
            for inst_id, major_code, cert_code in links:
                self.db_major[(inst_ids[inst_id], major_code)]["certs"].add(cert_code)

    def load_learners(self, identifiers: set[str]) -> None:
        by_hash = {identifier_hash(i): i for i in identifiers}
        if connection.vendor == "postgresql":  # the hashes as one array parameter a chunk
            table = connection.ops.quote_name(Learner._meta.db_table)
            sql = f"SELECT l.id_hash, l.id FROM {table} l WHERE l.id_hash = ANY(%s::text[])"
            with connection.cursor() as cursor:
                for chunk in _chunks(by_hash, 10000):
                    cursor.execute(sql, [_pg_text_array(chunk)])
                    for id_hash, pk in cursor.fetchall():
                        self.plan.learner_ids[by_hash[id_hash]] = pk
            return
        for chunk in _chunks(by_hash):
            for id_hash, pk in Learner.objects.filter(id_hash__in=chunk).values_list("id_hash", "id"):
                self.plan.learner_ids[by_hash[id_hash]] = pk

    # --- files ---------------------------------------------------------------------------------
    def institutions(self) -> None:
        display, rows = self.rows("institutions")
        self.sub_inst: dict[str, dict] = {}
        for number, row in rows:
            ok = self.required(display, number, row, ("code", "name", "type", "district")) & self.lengths(display, number, row)
            type_ = self.vocab(display, number, row, "type", INSTITUTION_TYPES) if row["type"] else None
            quality = self.boolean(display, number, row, "quality_vocational")
            district = row["district"]
            if district and district not in self.db_districts and district not in KAIFENG_DISTRICTS:
                self.err(display, number, "district", f"未知的县区代码 {district}", f"Unknown district code {district}")
                ok = False
            ok = ok and type_ is not None and quality is not None and self.scoped(display, number, "code", row["code"])
            if row["code"] in self.sub_inst:
                self.err(display, number, "code", f"机构代码 {row['code']} 重复", f"Duplicate institution code {row['code']}")
                ok = False
            if not ok:
                self.sub_inst.setdefault(row["code"], {})
                continue
            item = {"code": row["code"], "name": row["name"], "type": type_, "district": district,
                    "quality_vocational": quality, "parent_code": row["parent_code"] or None, "row": number}
            self.sub_inst[row["code"]] = item
        for item in self.sub_inst.values():
            if not item:
                continue
            parent = item["parent_code"]
            if parent and parent not in self.sub_inst and parent not in self.db_inst:
                self.err(display, item["row"], "parent_code", f"上级机构 {parent} 不存在", f"Parent institution {parent} does not exist")
                continue
            if parent == item["code"]:
                self.err(display, item["row"], "parent_code", "上级机构不能是自己", "An institution cannot be its own parent")
                continue
            old = self.db_inst.get(item["code"])
            if old is None:
                item["status"] = "created"
            elif (old["name"], old["type"], old["district_id"], old["quality_vocational"], old["parent__code"]) == (
                item["name"], item["type"], item["district"], item["quality_vocational"], parent
            ):
                item["status"] = "unchanged"
            else:
                item["status"] = "corrected"
            self.plan.institutions.append(item)
            if item["district"] not in self.db_districts:
                self.plan.districts.append(item["district"])
        self.plan.districts = sorted(set(self.plan.districts))

    def institution_known(self, display, number, column, code) -> bool:
        if code in self.sub_inst or code in self.db_inst:
            return True
        self.err(display, number, column, f"机构 {code} 不存在", f"Institution {code} does not exist")
        return False

    def certificates(self) -> None:
        display, rows = self.rows("certificates")
        self.sub_cert: set[str] = set()
        for number, row in rows:
            ok = self.required(display, number, row, ("cert_code", "name")) & self.lengths(display, number, row)
            code = row["cert_code"]
            if code in self.sub_cert:
                self.err(display, number, "cert_code", f"证书代码 {code} 重复", f"Duplicate certificate code {code}")
                ok = False
            self.sub_cert.add(code)
            if not ok:
                continue
            old = self.db_cert.get(code)
            if old is None:
                status = "created"
            elif (old["name"], old["issuer"]) == (row["name"], row["issuer"]):
                status = "unchanged"
            elif self.allowed is not None:
                self.err(display, number, "cert_code", f"证书 {code} 已存在且内容不同，只有教育局管理员可以修改",
                         f"Certificate {code} exists with different content; only bureau administrators may change it")
                continue
            else:
                status = "corrected"
            self.plan.certificates.append({"code": code, "name": row["name"], "issuer": row["issuer"], "status": status})

    def certificate_known(self, display, number, column, code) -> bool:
        if code in self.sub_cert or code in self.db_cert:
            return True
        self.err(display, number, column, f"证书 {code} 不存在", f"Certificate {code} does not exist")
        return False

    def majors(self) -> None:
        display, rows = self.rows("majors")
        self.sub_major: set[tuple[str, str]] = set()
        for number, row in rows:
            ok = self.required(display, number, row, ("institution_code", "major_code", "major_name"))
            ok &= self.lengths(display, number, row)
            inst, code = row["institution_code"], row["major_code"]
            if inst:
                ok &= self.institution_known(display, number, "institution_code", inst)
                ok = ok and self.scoped(display, number, "institution_code", inst)
            certs = sorted({c.strip() for c in row["cert_codes"].split(";") if c.strip()})
            for cert in certs:
                ok &= self.certificate_known(display, number, "cert_codes", cert)
            if (inst, code) in self.sub_major:
                self.err(display, number, "major_code", f"专业 {inst}/{code} 重复", f"Duplicate major {inst}/{code}")
                ok = False
            self.sub_major.add((inst, code))
            if not ok:
                continue
            old = self.db_major.get((inst, code))
            if old is None:
                status = "created"
            elif old["name"] == row["major_name"] and old["certs"] == set(certs):
                status = "unchanged"
            else:
                status = "corrected"
            self.plan.majors.append({"institution_code": inst, "code": code, "name": row["major_name"],
                                     "cert_codes": certs, "status": status})

    def students(self) -> None:
        display, rows = self.rows("students")
        seen: dict[tuple[int, str, str], int] = {}
        max_year = self.today.year + 1
        for number, row in rows:
            ok = self.required(display, number, row, ("year", "institution_code", "major_code", "learner_id", "name"))
            ok &= self.lengths(display, number, row)
            year = None
            if row["year"]:
                if row["year"].isdigit() and 1900 <= int(row["year"]) <= max_year:
                    year = int(row["year"])
                else:
                    self.err(display, number, "year", f"年度应为 1900–{max_year} 的整数", f"The year must be a whole number 1900–{max_year}")
                    ok = False
            inst = row["institution_code"]
            if inst:
                ok &= self.institution_known(display, number, "institution_code", inst)
                ok = ok and self.scoped(display, number, "institution_code", inst)
                if row["major_code"] and (inst, row["major_code"]) not in self.sub_major and (inst, row["major_code"]) not in self.db_major:
                    self.err(display, number, "major_code", f"机构 {inst} 没有专业 {row['major_code']}",
                             f"Institution {inst} has no major {row['major_code']}")
                    ok = False
            apprenticeship = self.boolean(display, number, row, "apprenticeship")
            ident = self.identifier(display, number, row) if row["learner_id"] else None
            if year is not None and inst and ident:
                key = (year, inst, ident)
                if key in seen:
                    self.err(display, number, "learner_id", f"该学生在 {year} 年已出现在 {inst} 的名册中（第 {seen[key]} 行）",
                             f"This student already appears for {year} at {inst} (row {seen[key]})")
                    ok = False
                seen.setdefault(key, number)
            if not ok or apprenticeship is None or ident is None:
                continue
            self.plan.learners.setdefault(ident, (row["name"], None, ""))
            self.plan.students.append({"year": year, "institution_code": inst, "major_code": row["major_code"],
                                       "identifier": ident, "name": row["name"], "apprenticeship": apprenticeship,
                                       "row": number})

    def records(self) -> None:
        display, rows = self.rows("records")
        seen: dict[tuple[str, str], int] = {}
        this_year = self.today.year
        today = self.today
        for number, row in rows:
            ok = self.required(display, number, row, ("record_id", "kind", "learner_id", "name", "institution_code",
                                                      "programme_code", "category", "date", "result"))
            ok &= self.lengths(display, number, row)
            kind = self.vocab(display, number, row, "kind", KINDS) if row["kind"] else None
            category = self.vocab(display, number, row, "category", CATEGORIES) if row["category"] else None
            result = self.vocab(display, number, row, "result", RESULTS) if row["result"] else None
            if kind and result and result not in _RESULTS_BY_KIND[kind]:
                self.err(display, number, "result", f"结果“{row['result']}”不适用于类型 {kind}",
                         f"Result '{row['result']}' does not fit kind {kind}")
                ok = False
            ok &= None not in (kind, category, result)
            ident = self.identifier(display, number, row) if row["learner_id"] else None
            ok &= ident is not None
            inst = row["institution_code"]
            if inst:
                ok &= self.institution_known(display, number, "institution_code", inst)
                ok = ok and self.scoped(display, number, "institution_code", inst)
            cert_code = row["cert_code"]
            if cert_code:
                ok &= self.certificate_known(display, number, "cert_code", cert_code)
            elif category == "x_certificate":
                self.err(display, number, "cert_code", "1+X证书类记录必须填写证书代码", "cert_code is required for category x_certificate")
                ok = False
            level = ""
            if row["cert_level"]:
                level = self.vocab(display, number, row, "cert_level", CERT_LEVELS)
                ok &= level is not None
            elif kind == "exam" and category == "x_certificate":
                self.err(display, number, "cert_level", "1+X证书考试记录必须填写证书等级",
                         "cert_level is required for an exam of category x_certificate")
                ok = False
            district = row["district"]
            if district and district not in self.db_districts and district not in KAIFENG_DISTRICTS:
                self.err(display, number, "district", f"未知的县区代码 {district}", f"Unknown district code {district}")
                ok = False
            date = None
            if row["date"]:
                try:
                    if not _DATE.match(row["date"]):
                        raise ValueError
                    date = datetime.date.fromisoformat(row["date"])
                except ValueError:
                    self.err(display, number, "date", f"“{row['date']}”不是有效日期（YYYY-MM-DD）",
                             f"'{row['date']}' is not a real date (YYYY-MM-DD)")
                    ok = False
                else:
                    if date > today:
                        self.err(display, number, "date", "日期不能晚于今天", "The date cannot be in the future")
                        ok = False
            hours = None
            if row["hours"]:
                if _HOURS.match(row["hours"]) and len(row["hours"].split(".")[0]) <= 6:
                    hours = Decimal(row["hours"])
                else:
                    self.err(display, number, "hours", f"学时“{row['hours']}”应为不小于 0、最多一位小数的数",
                             f"Hours '{row['hours']}' must be a number ≥ 0 with at most one decimal place")
                    ok = False
            birth_year = None
            if row["birth_year"]:
                if row["birth_year"].isdigit() and 1900 <= int(row["birth_year"]) <= this_year:
                    birth_year = int(row["birth_year"])
                else:
                    self.err(display, number, "birth_year", f"出生年份应为 1900–{this_year} 的整数",
                             f"The birth year must be a whole number 1900–{this_year}")
                    ok = False
            elif ident:
                birth_year = birth_year_from_resident_id(ident)
            key = (inst, row["record_id"])
            if inst and row["record_id"]:
                if key in seen:
                    self.err(display, number, "record_id", f"记录 {inst}/{row['record_id']} 在本次提交中重复（第 {seen[key]} 行）",
                             f"Record {inst}/{row['record_id']} appears twice in this submission (row {seen[key]})")
                    ok = False
                seen.setdefault(key, number)
            if not ok:
                continue
            self.plan.learners.setdefault(ident, (row["name"], birth_year, district))
            self.plan.records.append({
                "row": number, "institution_code": inst, "record_id": row["record_id"], "identifier": ident,
                "kind": kind, "name": row["name"], "birth_year": birth_year, "district_code": district,
                "programme_code": row["programme_code"], "programme_name": row["programme_name"],
                "category": category, "cert_code": cert_code, "cert_level": level, "date": date, "hours": hours,
                "result": result, "certificate_no": row["certificate_no"],
            })

    # --- against what is stored: re-submissions and corrections ---------------------------------
    def existing_students(self) -> None:
        display = self.rows("students")[0]
        wanted = [s for s in self.plan.students if s["identifier"] in self.plan.learner_ids
                  and s["institution_code"] in self.db_inst]
        existing = {}
        for chunk in _chunks(wanted):
            learner_ids = {self.plan.learner_ids[s["identifier"]] for s in chunk}
            inst_ids = {self.db_inst[s["institution_code"]]["id"] for s in chunk}
            for r in StudentRoster.objects.filter(learner_id__in=learner_ids, institution_id__in=inst_ids,
                                                  year__in={s["year"] for s in chunk}).values(
                "id", "year", "institution__code", "learner_id", "major__code", "name", "apprenticeship"):
                existing[(r["year"], r["institution__code"], r["learner_id"])] = r
        for s in self.plan.students:
            old = existing.get((s["year"], s["institution_code"], self.plan.learner_ids.get(s["identifier"])))
            if old is None:
                s["status"] = "created"
            elif (old["major__code"], old["name"], old["apprenticeship"]) == (s["major_code"], s["name"], s["apprenticeship"]):
                s["status"] = "unchanged"
            elif self.plan.correction:
                s["status"], s["id"] = "corrected", old["id"]
                s["before"] = {"major": old["major__code"], "name": old["name"], "apprenticeship": old["apprenticeship"]}
            else:
                self.err(display, s["row"], "learner_id",
                         f"该学生 {s['year']} 年在 {s['institution_code']} 的名册已存在且内容不同；如需更正请以更正方式提交",
                         f"This student is already on the {s['year']} roster of {s['institution_code']} with different "
                         "content; submit it as a correction")

    def existing_records(self) -> None:
        display = self.rows("records")[0]
        by_inst: dict[str, list[dict]] = {}
        for r in self.plan.records:
            if r["institution_code"] in self.db_inst:
                by_inst.setdefault(r["institution_code"], []).append(r)
        existing = _stored_records(by_inst, {code: self.db_inst[code]["id"] for code in by_inst})
        content_hash = record_hasher()
        for r in self.plan.records:
            old = existing.get((r["institution_code"], r["record_id"]))
            if old is None:
                r["status"] = "created"
                continue
            learner_id = self.plan.learner_ids.get(r["identifier"])
            cert = self.db_cert.get(r["cert_code"]) if r["cert_code"] else None
            same = learner_id is not None and (not r["cert_code"] or cert is not None) and old["content_hash"] == content_hash(
                record_values(r, learner_id=learner_id, certificate_id=cert["id"] if cert else None))
            if same:
                r["status"] = "unchanged"
            elif self.plan.correction:
                r["status"], r["id"] = "corrected", old["id"]
                r["before"] = {k: str(v) for k, v in old.items() if k != "content_hash"}
            else:
                self.err(display, r["row"], "record_id",
                         f"记录 {r['institution_code']}/{r['record_id']} 已存在且内容不同；如需更正请以更正方式提交",
                         f"Record {r['institution_code']}/{r['record_id']} exists with different content; "
                         "submit it as a correction")


_STORED_FIELDS = ("id", "record_id", "content_hash", "learner_id", "name", "kind", "category", "date", "result")


def _stored_records(by_inst: dict[str, list[dict]], inst_ids: dict[str, int]) -> dict[tuple[str, str], dict]:
    """The stored records with the keys of the planned ones: {(institution code, record_id): values}.

    PostgreSQL: the keys passed as two arrays (unnest), 10,000 keys a query, instead of a
    2,000-placeholder IN list per institution and chunk; elsewhere the ORM, chunked."""
    existing = {}
    if connection.vendor == "postgresql":
        code_by_id = {pk: code for code, pk in inst_ids.items()}
        keys = [(inst_ids[code], r["record_id"]) for code, recs in by_inst.items() for r in recs]
        table = LearningRecord._meta.db_table
        columns = ", ".join(f"r.{connection.ops.quote_name(LearningRecord._meta.get_field(f).column)}"
                            for f in _STORED_FIELDS)
        # LATERAL ... LIMIT 1 (the key is unique): one index probe per key whatever the table's
        # statistics say (right after a big import they are stale, and a hash join would scan it all).
        sql = (f"SELECT r.institution_id, {columns} FROM unnest(%s::bigint[], %s::text[]) AS k(institution_id, record_id) "
               f"CROSS JOIN LATERAL (SELECT * FROM {connection.ops.quote_name(table)} s "
               "WHERE s.institution_id = k.institution_id AND s.record_id = k.record_id LIMIT 1) r")
        with connection.cursor() as cursor:
            for chunk in _chunks(keys, 10000):
                cursor.execute(sql, ["{" + ",".join(str(i) for i, _ in chunk) + "}",
                                     _pg_text_array(rid for _, rid in chunk)])
                for inst_id, *values in cursor.fetchall():
                    row = dict(zip(_STORED_FIELDS, values, strict=True))
                    existing[(code_by_id[inst_id], row["record_id"])] = row
        return existing
    for code, recs in by_inst.items():
        for chunk in _chunks(recs):
            for row in LearningRecord.objects.filter(
                institution_id=inst_ids[code], record_id__in=[r["record_id"] for r in chunk]
            ).values(*_STORED_FIELDS):
                existing[(code, row["record_id"])] = row
    return existing


def record_values(r: dict, *, learner_id: int, certificate_id: int | None) -> dict:
    """The stored values of a planned record (the content the hash covers)."""
    return {
        "learner_id": learner_id, "kind": r["kind"], "name": r["name"], "birth_year": r["birth_year"],
        "district_code": r["district_code"], "programme_code": r["programme_code"],
        "programme_name": r["programme_name"], "category": r["category"], "certificate_id": certificate_id,
        "cert_level": r["cert_level"], "date": r["date"], "hours": r["hours"], "result": r["result"],
        "certificate_no": r["certificate_no"],
    }


def record_hasher() -> Callable[[dict], str]:
    """record_content_hash for many rows: the same bytes (tested), with the text of hours and dates
    memoised (they repeat across 100,000 rows)."""
    hours_text: dict = {}
    date_text: dict = {}
    keys = _HASH_KEYS
    sha256 = hashlib.sha256

    def content_hash(values: dict) -> str:
        parts = []
        for key in keys:
            value = values[key]
            if value is None:
                parts.append("")
            elif key == "hours":
                text = hours_text.get(value)
                if text is None:
                    text = hours_text[value] = format(value.quantize(_TENTH), "f")
                parts.append(text)
            elif key == "date":
                text = date_text.get(value)
                if text is None:
                    text = date_text[value] = value.isoformat()
                parts.append(text)
            else:
                parts.append(str(value))
        return sha256("\x1f".join(parts).encode()).hexdigest()

    return content_hash


def submission_validate(submission: ParsedSubmission, *, allowed_codes: set[str] | None, correction: bool
                        ) -> tuple[Plan, list[ImportIssue], "_Checker"]:
    """Check everything; return the plan and every error (the plan must not be written if any)."""
    checker = _Checker(submission, allowed_codes=allowed_codes, correction=correction)
    checker.load()
    checker.institutions()
    checker.certificates()
    checker.majors()
    checker.students()
    checker.records()
    checker.load_learners(set(checker.plan.learners))
    checker.existing_students()
    checker.existing_records()
    checker.plan.files = [name for name in ("institutions", "certificates", "majors", "students", "records")
                          if name in submission.files]
    return checker.plan, checker.errors, checker

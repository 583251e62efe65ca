"""records.csv: training and exam records, every cell checked against the spec."""

import datetime
import re
from decimal import Decimal

from bianxue.people.identifiers import birth_year_from_resident_id
from bianxue.vocab import RESULTS_BY_KIND

from .checker import Checker
from .schema import CATEGORIES, CERT_LEVELS, KINDS, RESULTS

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_HOURS = re.compile(r"^\d+(\.\d)?$")
_REQUIRED = ("record_id", "kind", "learner_id", "name", "institution_code", "programme_code", "category", "date",
             "result")


def records_check(checker: Checker) -> None:
    display, rows = checker.rows("records")
    seen: dict[tuple[str, str], int] = {}
    for number, row in rows:
        ok = checker.required(display, number, row, _REQUIRED)
        ok &= checker.lengths(display, number, row)
        ok, kind, category, result = _record_vocabularies(checker, display, number, row, ok)
        ident = checker.identifier(display, number, row) if row["learner_id"] else None
        ok &= ident is not None
        inst = row["institution_code"]
        if inst:
            ok = checker.institution_allowed(display, number, "institution_code", inst, ok)
        ok, level = _record_certificate(checker, display, number, row, ok, kind=kind, category=category)
        ok &= checker.district_known(display, number, row["district"])
        ok, date = _record_date(checker, display, number, row, ok)
        ok, hours = _record_hours(checker, display, number, row, ok)
        ok, birth_year = _record_birth_year(checker, display, number, row, ok, ident=ident)
        phone_ok, phone = checker.phone(display, number, row)
        ok &= phone_ok
        key = (inst, row["record_id"])
        if inst and row["record_id"]:
            if key in seen:
                checker.err(display, number, "record_id", f"记录 {inst}/{row['record_id']} 在本次提交中重复（第 {seen[key]} 行）",
                            f"Record {inst}/{row['record_id']} appears twice in this submission (row {seen[key]})")
                ok = False
            seen.setdefault(key, number)
        if not ok:
            continue
        checker.plan.learners.setdefault(ident, (row["name"], birth_year, row["district"]))
        checker.phone_keep(ident, inst, phone)
        checker.plan.records.append({
            "row": number, "institution_code": inst, "record_id": row["record_id"], "identifier": ident,
            "kind": kind, "name": row["name"], "birth_year": birth_year, "district_code": row["district"],
            "programme_code": row["programme_code"], "programme_name": row["programme_name"],
            "category": category, "cert_code": row["cert_code"], "cert_level": level, "date": date, "hours": hours,
            "result": result, "certificate_no": row["certificate_no"],
        })


def _record_vocabularies(checker: Checker, display, number, row, ok: bool):
    """(ok, kind, category, result): the codes of the three vocabularies, the result fitting the kind."""
    kind = checker.vocab(display, number, row, "kind", KINDS) if row["kind"] else None
    category = checker.vocab(display, number, row, "category", CATEGORIES) if row["category"] else None
    result = checker.vocab(display, number, row, "result", RESULTS) if row["result"] else None
    if kind and result and result not in RESULTS_BY_KIND[kind]:
        checker.err(display, number, "result", f"结果“{row['result']}”不适用于类型 {kind}",
                    f"Result '{row['result']}' does not fit kind {kind}")
        ok = False
    ok &= None not in (kind, category, result)
    return ok, kind, category, result


def _record_certificate(checker: Checker, display, number, row, ok: bool, *, kind, category) -> tuple[bool, str | None]:
    """(ok, cert_level): the certificate known, required for x_certificate; the level required for its exams."""
    cert_code = row["cert_code"]
    if cert_code:
        ok &= checker.certificate_known(display, number, "cert_code", cert_code)
    elif category == "x_certificate":
        checker.err(display, number, "cert_code", "1+X证书类记录必须填写证书代码", "cert_code is required for category x_certificate")
        ok = False
    level = ""
    if row["cert_level"]:
        level = checker.vocab(display, number, row, "cert_level", CERT_LEVELS)
        ok &= level is not None
    elif kind == "exam" and category == "x_certificate":
        checker.err(display, number, "cert_level", "1+X证书考试记录必须填写证书等级",
                    "cert_level is required for an exam of category x_certificate")
        ok = False
    return ok, level


def _record_date(checker: Checker, display, number, row, ok: bool) -> tuple[bool, datetime.date | None]:
    if not row["date"]:
        return ok, None
    try:
        if not _DATE.match(row["date"]):
            raise ValueError
        date = datetime.date.fromisoformat(row["date"])
    except ValueError:
        checker.err(display, number, "date", f"“{row['date']}”不是有效日期（YYYY-MM-DD）",
                    f"'{row['date']}' is not a real date (YYYY-MM-DD)")
        return False, None
    if date > checker.today:
        checker.err(display, number, "date", "日期不能晚于今天", "The date cannot be in the future")
        ok = False
    return ok, date


def _record_hours(checker: Checker, display, number, row, ok: bool) -> tuple[bool, Decimal | None]:
    if not row["hours"]:
        return ok, None
    if _HOURS.match(row["hours"]) and len(row["hours"].split(".")[0]) <= 6:
        return ok, Decimal(row["hours"])
    checker.err(display, number, "hours", f"学时“{row['hours']}”应为不小于 0、最多一位小数的数",
                f"Hours '{row['hours']}' must be a number ≥ 0 with at most one decimal place")
    return False, None


def _record_birth_year(checker: Checker, display, number, row, ok: bool, *, ident) -> tuple[bool, int | None]:
    """The given birth year (1900 to this year), or the one a resident ID number carries."""
    this_year = checker.today.year
    if row["birth_year"]:
        if row["birth_year"].isdigit() and 1900 <= int(row["birth_year"]) <= this_year:
            return ok, int(row["birth_year"])
        checker.err(display, number, "birth_year", f"出生年份应为 1900–{this_year} 的整数",
                    f"The birth year must be a whole number 1900–{this_year}")
        return False, None
    if ident:
        return ok, birth_year_from_resident_id(ident)
    return ok, None

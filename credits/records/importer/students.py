"""students.csv: the yearly rosters of vocational schools (one learner per year and institution)."""

from .checker import Checker


def students_check(checker: Checker) -> None:
    display, rows = checker.rows("students")
    seen: dict[tuple[int, str, str], int] = {}
    max_year = checker.today.year + 1
    for number, row in rows:
        ok = checker.required(display, number, row, ("year", "institution_code", "major_code", "learner_id", "name"))
        ok &= checker.lengths(display, number, row)
        year = None
        if row["year"]:
            if row["year"].isdigit() and 1900 <= int(row["year"]) <= max_year:
                year = int(row["year"])
            else:
                checker.err(display, number, "year", f"年度应为 1900–{max_year} 的整数",
                            f"The year must be a whole number 1900–{max_year}")
                ok = False
        inst = row["institution_code"]
        if inst:
            ok = _student_institution(checker, display, number, row, ok)
        apprenticeship = checker.boolean(display, number, row, "apprenticeship")
        phone_ok, phone = checker.phone(display, number, row)
        ok &= phone_ok
        ident = checker.identifier(display, number, row) if row["learner_id"] else None
        if year is not None and inst and ident:
            key = (year, inst, ident)
            if key in seen:
                checker.err(display, number, "learner_id", f"该学生在 {year} 年已出现在 {inst} 的名册中（第 {seen[key]} 行）",
                            f"This student already appears for {year} at {inst} (row {seen[key]})")
                ok = False
            seen.setdefault(key, number)
        if not ok or apprenticeship is None or ident is None:
            continue
        checker.plan.learners.setdefault(ident, (row["name"], None, ""))
        checker.phone_keep(ident, inst, phone)
        checker.plan.students.append({"year": year, "institution_code": inst, "major_code": row["major_code"],
                                      "identifier": ident, "name": row["name"], "apprenticeship": apprenticeship,
                                      "row": number})


def _student_institution(checker: Checker, display, number, row, ok: bool) -> bool:
    """The institution known and in scope, and its major known (submitted or stored)."""
    inst, major = row["institution_code"], row["major_code"]
    ok = checker.institution_allowed(display, number, "institution_code", inst, ok)
    if major and (inst, major) not in checker.sub_major and (inst, major) not in checker.db_major:
        checker.err(display, number, "major_code", f"机构 {inst} 没有专业 {major}", f"Institution {inst} has no major {major}")
        ok = False
    return ok

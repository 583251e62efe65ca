"""The reference files: institutions.csv, certificates.csv, majors.csv (checked first: the
students and records point to them)."""

from .checker import Checker
from .schema import INSTITUTION_TYPES


def institutions_check(checker: Checker) -> None:
    display, rows = checker.rows("institutions")
    for number, row in rows:
        item = _institution_row(checker, display, number, row)
        if item is None:
            checker.sub_inst.setdefault(row["code"], {})
        else:
            checker.sub_inst[row["code"]] = item
    for item in checker.sub_inst.values():
        if item and _institution_parent_ok(checker, display, item):
            item["status"] = _institution_status(checker.db_inst.get(item["code"]), item)
            checker.plan.institutions.append(item)
            if item["district"] not in checker.db_districts:
                checker.plan.districts.append(item["district"])
    checker.plan.districts = sorted(set(checker.plan.districts))


def _institution_row(checker: Checker, display, number, row) -> dict | None:
    """The checked row (None if it has errors)."""
    ok = checker.required(display, number, row, ("code", "name", "type", "district")) & checker.lengths(display, number, row)
    type_ = checker.vocab(display, number, row, "type", INSTITUTION_TYPES) if row["type"] else None
    quality = checker.boolean(display, number, row, "quality_vocational")
    district = row["district"]
    ok &= checker.district_known(display, number, district)
    ok = ok and type_ is not None and quality is not None and checker.scoped(display, number, "code", row["code"])
    if row["code"] in checker.sub_inst:
        checker.err(display, number, "code", f"机构代码 {row['code']} 重复", f"Duplicate institution code {row['code']}")
        ok = False
    if not ok:
        return None
    return {"code": row["code"], "name": row["name"], "type": type_, "district": district,
            "quality_vocational": quality, "parent_code": row["parent_code"] or None, "row": number}


def _institution_parent_ok(checker: Checker, display, item: dict) -> bool:
    parent = item["parent_code"]
    if parent and parent not in checker.sub_inst and parent not in checker.db_inst:
        checker.err(display, item["row"], "parent_code", f"上级机构 {parent} 不存在", f"Parent institution {parent} does not exist")
        return False
    if parent == item["code"]:
        checker.err(display, item["row"], "parent_code", "上级机构不能是自己", "An institution cannot be its own parent")
        return False
    return True


def _institution_status(old: dict | None, item: dict) -> str:
    if old is None:
        return "created"
    if (old["name"], old["type"], old["district_id"], old["quality_vocational"], old["parent__code"]) == (
        item["name"], item["type"], item["district"], item["quality_vocational"], item["parent_code"]
    ):
        return "unchanged"
    return "corrected"


def certificates_check(checker: Checker) -> None:
    display, rows = checker.rows("certificates")
    for number, row in rows:
        ok = checker.required(display, number, row, ("cert_code", "name")) & checker.lengths(display, number, row)
        code = row["cert_code"]
        if code in checker.sub_cert:
            checker.err(display, number, "cert_code", f"证书代码 {code} 重复", f"Duplicate certificate code {code}")
            ok = False
        checker.sub_cert.add(code)
        if not ok:
            continue
        old = checker.db_cert.get(code)
        if old is None:
            status = "created"
        elif (old["name"], old["issuer"]) == (row["name"], row["issuer"]):
            status = "unchanged"
        elif checker.allowed is not None:
            checker.err(display, number, "cert_code", f"证书 {code} 已存在且内容不同，只有教育局管理员可以修改",
                        f"Certificate {code} exists with different content; only bureau administrators may change it")
            continue
        else:
            status = "corrected"
        checker.plan.certificates.append({"code": code, "name": row["name"], "issuer": row["issuer"], "status": status})


def majors_check(checker: Checker) -> None:
    display, rows = checker.rows("majors")
    for number, row in rows:
        ok = checker.required(display, number, row, ("institution_code", "major_code", "major_name"))
        ok &= checker.lengths(display, number, row)
        inst, code = row["institution_code"], row["major_code"]
        if inst:
            ok = checker.institution_allowed(display, number, "institution_code", inst, ok)
        certs = sorted({c.strip() for c in row["cert_codes"].split(";") if c.strip()})
        for cert in certs:
            ok &= checker.certificate_known(display, number, "cert_codes", cert)
        if (inst, code) in checker.sub_major:
            checker.err(display, number, "major_code", f"专业 {inst}/{code} 重复", f"Duplicate major {inst}/{code}")
            ok = False
        checker.sub_major.add((inst, code))
        if not ok:
            continue
        old = checker.db_major.get((inst, code))
        if old is None:
            status = "created"
        elif old["name"] == row["major_name"] and old["certs"] == set(certs):
            status = "unchanged"
        else:
            status = "corrected"
        checker.plan.majors.append({"institution_code": inst, "code": code, "name": row["major_name"],
                                    "cert_codes": certs, "status": status})

"""The state of one validation run and the cell-level checks every file uses.

A Checker collects every error (never stops at the first) and builds the Plan; the file checks
(references, students, records) and the comparisons with stored rows work on it.
"""

from bianxue.people.identifiers import (
    looks_like_resident_id,
    normalize_identifier,
    phone_normalize,
    resident_id_is_valid,
)
from bianxue.vocab import KAIFENG_DISTRICTS
from django.utils import timezone

from .parsing import ParsedSubmission
from .plan import Plan
from .report import ImportIssue
from .schema import BOOLEANS, vocab_lookup

MAX_LEN = {"record_id": 64, "name": 64, "programme_code": 64, "programme_name": 200, "certificate_no": 64,
           "code": 32, "cert_code": 32, "major_code": 32, "major_name": 128, "issuer": 128, "institution_code": 32}


def identifier_check(raw: str) -> tuple[str, str | None]:
    """The normalised identifier and its problem, if any ("too_long" or "check_char")."""
    value = normalize_identifier(raw)
    if len(value) > 64:
        return value, "too_long"
    if looks_like_resident_id(value) and not resident_id_is_valid(value):
        return value, "check_char"
    return value, None


class Checker:
    """One validation run: the submission, what is stored (loaded by ``lookups``), the errors, the plan."""

    def __init__(self, submission: ParsedSubmission, *, allowed_codes: set[str] | None, correction: bool):
        self.sub = submission
        self.allowed = allowed_codes  # None: any institution (bureau admin, command line)
        self.errors: list[ImportIssue] = list(submission.errors)
        self.plan = Plan(correction=correction)
        self.today = timezone.localdate()
        self._identifiers: dict[str, tuple[str, str | None]] = {}
        self._limits: dict[str, list[tuple[str, int]]] = {}
        # What is stored (filled by lookups.references_load) and what this submission defines.
        self.db_districts: set[str] = set()
        self.db_inst: dict[str, dict] = {}
        self.db_cert: dict[str, dict] = {}
        self.db_major: dict[tuple[str, str], dict] = {}
        self.sub_inst: dict[str, dict] = {}
        self.sub_cert: set[str] = set()
        self.sub_major: set[tuple[str, str]] = set()

    def err(self, file: str, row: int, column: str, zh: str, en: str) -> None:
        self.errors.append(ImportIssue(file, row, column, zh, en))

    def rows(self, name: str):
        parsed = self.sub.files.get(name)
        return (parsed.display, parsed.rows) if parsed else (f"{name}.csv", [])

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
            outcome = self._identifiers[raw] = identifier_check(raw)
        value, problem = outcome
        if problem == "too_long":
            self.err(display, number, "learner_id", "学习者标识不能超过 64 个字符", "The learner identifier is at most 64 characters")
            return None
        if problem == "check_char":
            self.err(display, number, "learner_id", "身份证号校验位错误", "The resident ID number has a wrong check character")
            return None
        return value

    def phone(self, display, number, row) -> tuple[bool, str]:
        """(ok, normalised mobile or ""): the optional ``phone`` column, a mainland mobile number when given."""
        raw = row.get("phone", "")
        if not raw:
            return True, ""
        phone = phone_normalize(raw)
        if phone is None:
            self.err(display, number, "phone", f"“{raw}”不是有效的大陆手机号（11 位，以 1 开头）",
                     f"'{raw}' is not a mainland China mobile number (11 digits starting with 1)")
            return False, ""
        return True, phone

    def phone_keep(self, ident: str, institution_code: str, phone: str) -> None:
        """Remember a valid row's mobile for its learner at its institution (a later row's replaces it)."""
        if phone:
            self.plan.phones[(ident, institution_code)] = phone

    def district_known(self, display, number, district) -> bool:
        """An empty district, a stored one or one of Kaifeng's nine (created on first use)."""
        if district and district not in self.db_districts and district not in KAIFENG_DISTRICTS:
            self.err(display, number, "district", f"未知的县区代码 {district}", f"Unknown district code {district}")
            return False
        return True

    def institution_known(self, display, number, column, code) -> bool:
        if code in self.sub_inst or code in self.db_inst:
            return True
        self.err(display, number, column, f"机构 {code} 不存在", f"Institution {code} does not exist")
        return False

    def institution_allowed(self, display, number, column, code, ok: bool) -> bool:
        """``ok`` and ``code`` known and in the actor's scope (the scope is checked only while ``ok``)."""
        ok &= self.institution_known(display, number, column, code)
        return ok and self.scoped(display, number, column, code)

    def certificate_known(self, display, number, column, code) -> bool:
        if code in self.sub_cert or code in self.db_cert:
            return True
        self.err(display, number, column, f"证书 {code} 不存在", f"Certificate {code} does not exist")
        return False

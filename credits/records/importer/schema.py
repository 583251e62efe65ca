"""The files and columns of data exchange format v1, with English keys and Chinese labels."""

from dataclasses import dataclass

from bianxue.institutions.models import CertificateLevel, InstitutionType
from bianxue.vocab import KAIFENG_DISTRICTS, Category, RecordKind, RecordResult, spec_labels


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    required: bool = False


@dataclass(frozen=True)
class FileSpec:
    name: str  # without .csv: also the xlsx sheet name
    columns: tuple[Column, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns)

    def label(self, key: str) -> str:
        return next(c.label for c in self.columns if c.key == key)


C = Column
FILES: tuple[FileSpec, ...] = (
    FileSpec("institutions", (
        C("code", "机构代码", True), C("name", "机构名称", True), C("type", "机构类型", True),
        C("district", "县区代码", True), C("quality_vocational", "优质职业学校"), C("parent_code", "上级机构代码"),
    )),
    FileSpec("certificates", (C("cert_code", "证书代码", True), C("name", "证书名称", True), C("issuer", "培训评价组织"))),
    FileSpec("majors", (
        C("institution_code", "机构代码", True), C("major_code", "专业代码", True), C("major_name", "专业名称", True),
        C("cert_codes", "对应证书代码"),
    )),
    FileSpec("students", (
        C("year", "年度", True), C("institution_code", "机构代码", True), C("major_code", "专业代码", True),
        C("learner_id", "学习者标识", True), C("name", "姓名", True), C("apprenticeship", "现代学徒制"),
        C("phone", "手机号"),
    )),
    FileSpec("records", (
        C("record_id", "记录编号", True), C("kind", "类型", True), C("learner_id", "学习者标识", True),
        C("name", "姓名", True), C("birth_year", "出生年份"), C("district", "县区代码"),
        C("institution_code", "机构代码", True), C("programme_code", "项目代码", True), C("programme_name", "项目名称"),
        C("category", "类别", True), C("cert_code", "证书代码"), C("cert_level", "证书等级"),
        C("date", "日期", True), C("hours", "学时"), C("result", "结果", True), C("certificate_no", "证书编号"),
        C("phone", "手机号"),
    )),
)
FILES_BY_NAME = {f.name: f for f in FILES}

# Vocabularies: the code, or its Chinese label (accepted as a convenience for Chinese templates).
INSTITUTION_TYPES = spec_labels(InstitutionType)
CATEGORIES = spec_labels(Category)
CERT_LEVELS = spec_labels(CertificateLevel)
KINDS = spec_labels(RecordKind)
RESULTS = spec_labels(RecordResult)
BOOLEANS = {"0": False, "1": True, "否": False, "是": True, "": False}


def vocab_lookup(vocab: dict[str, str], value: str) -> str | None:
    """The code for a code or a Chinese label, or None."""
    if value in vocab:
        return value
    lowered = value.lower()
    if lowered in vocab:
        return lowered
    for code, label in vocab.items():
        if label == value:
            return code
    return None


# --- the downloadable templates (exports.template_xlsx / template_csv) ----------------------------------

# The coded columns and their vocabularies ({code: Chinese name}): drop-down lists and the code sheet.
YES_NO = {"0": "否", "1": "是"}
DISTRICTS = {code: name for code, (name, _kind) in KAIFENG_DISTRICTS.items()}
CODED: dict[str, dict[str, str]] = {
    "type": INSTITUTION_TYPES, "district": DISTRICTS, "category": CATEGORIES, "cert_level": CERT_LEVELS,
    "kind": KINDS, "result": RESULTS, "quality_vocational": YES_NO, "apprenticeship": YES_NO,
}
# Columns whose Chinese name is accepted as well as the code (the district takes its code only).
CODED_BY_LABEL = frozenset(CODED) - {"district"}

# The template workbook's code sheet: not a file of the submission, so the parser skips it.
CODE_SHEET_TITLES = frozenset({"代码表", "codes"})

# One example row per file, in codes. It says 示例 (example) in its names; left in an upload, it is an error
# (parsing.example_row), never imported.
EXAMPLES: dict[str, dict[str, str]] = {
    "institutions": {"code": "EX-410200", "name": "开封市示例职业学校", "type": "secondary_vocational",
                     "district": "410202", "quality_vocational": "0", "parent_code": ""},
    "certificates": {"cert_code": "EX-CERT", "name": "老年照护（示例）", "issuer": "示例培训评价组织"},
    "majors": {"institution_code": "EX-410200", "major_code": "EX-720501", "major_name": "老年保健与管理（示例）",
               "cert_codes": "EX-CERT"},
    "students": {"year": "2025", "institution_code": "EX-410200", "major_code": "EX-720501",
                 "learner_id": "EX-S2025001", "name": "张示例", "apprenticeship": "0", "phone": ""},
    "records": {"record_id": "EX-R2025001", "kind": "training", "learner_id": "EX-S2025001", "name": "张示例",
                "birth_year": "1968", "district": "410202", "institution_code": "EX-410200",
                "programme_code": "EX-P01", "programme_name": "老年照护培训（示例）", "category": "vocational",
                "cert_code": "", "cert_level": "", "date": "2025-05-10", "hours": "32", "result": "completed",
                "certificate_no": "", "phone": ""},
}


def example_value(key: str, value: str, *, chinese: bool) -> str:
    """An example cell as a template shows it: coded columns by their Chinese name in the Chinese template."""
    if chinese and value and key in CODED_BY_LABEL:
        return CODED[key].get(value, value)
    return value


def is_example_row(name: str, row: dict[str, str]) -> bool:
    """Whether ``row`` of file ``name`` is the template's example row (in either template's spelling)."""
    example = EXAMPLES.get(name)
    if not example:
        return False
    return all(row.get(key, "") in (value, example_value(key, value, chinese=True))
               for key, value in example.items() if value)

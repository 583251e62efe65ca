"""The files and columns of data exchange format v1, with English keys and Chinese labels."""

from dataclasses import dataclass

from bianxue.institutions.models import CertificateLevel, InstitutionType
from bianxue.vocab import Category, RecordKind, RecordResult, spec_labels


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

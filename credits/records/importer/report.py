"""What an import reports: every error (file, row, column, reason in Chinese and English) and counts."""

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class ImportIssue:
    file: str
    row: int  # header = row 1; 0 for the submission as a whole
    column: str
    zh: str
    en: str

    @property
    def message(self) -> str:
        return f"{self.zh}。{self.en}."

    def __str__(self) -> str:
        where = f"{self.file}" + (f" 第{self.row}行 row {self.row}" if self.row else "")
        return f"{where} [{self.column or '-'}] {self.message}"


@dataclass
class FileCounts:
    created: int = 0
    unchanged: int = 0
    corrected: int = 0  # records and students replaced by a correction; reference rows updated

    def as_dict(self) -> dict:
        return asdict(self)


def file_counts(items: list[dict]) -> FileCounts:
    """How many rows of one file of a plan are created, unchanged and corrected."""
    counts = FileCounts()
    for item in items:
        setattr(counts, item["status"], getattr(counts, item["status"]) + 1)
    return counts


@dataclass
class ImportReport:
    errors: list[ImportIssue] = field(default_factory=list)
    counts: dict[str, FileCounts] = field(default_factory=dict)
    dry_run: bool = False
    correction: bool = False
    batch_id: int | None = None
    credit_bank: str = ""  # what happened on the hand-off to the credit bank
    review_by_bureau: int = 0  # outcomes outside accreditation, waiting in the bureau's queue
    files: dict[str, str] = field(default_factory=dict)  # file → what the submission called it (book.xlsx:records)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "dry_run": self.dry_run,
            "correction": self.correction,
            "batch_id": self.batch_id,
            "credit_bank": self.credit_bank,
            "review_by_bureau": self.review_by_bureau,
            "counts": {name: c.as_dict() for name, c in self.counts.items()},
            "errors": [asdict(e) for e in self.errors],
        }

    def summary_lines(self) -> list[str]:
        return [
            f"{self.files.get(name, name + '.csv')}: created {c.created}, unchanged {c.unchanged}, "
            f"corrected {c.corrected}"
            for name, c in self.counts.items()
        ]

"""The Plan: what validation hands the writer, every row already classified."""

from dataclasses import dataclass, field

from .report import FileCounts, file_counts


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
    # (identifier, institution code) → mobile recorded for the learner there (real-name binding codes)
    phones: dict[tuple[str, str], str] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)  # the files present, in spec order
    displays: dict[str, str] = field(default_factory=dict)  # file → what the submission called it (book.xlsx:records)

    def display(self, name: str) -> str:
        return self.displays.get(name, f"{name}.csv")

    def counts(self) -> dict[str, FileCounts]:
        """Rows created, unchanged and corrected, per file present."""
        return {name: file_counts(getattr(self, name)) for name in self.files}

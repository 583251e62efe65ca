"""Checking every row of a parsed submission against every rule of the spec, collecting every error.

Nothing here writes. The database is read in a bounded number of chunked queries (``lookups``),
never per row. The result is a Plan the writer applies, with each row already classified as
created, unchanged or corrected. The checks live by file: ``references`` (institutions,
certificates, majors), ``students``, ``records``; then ``resubmissions`` compares with what is stored.
"""

from dataclasses import replace

from .checker import Checker
from .lookups import learners_load, references_load
from .parsing import ParsedSubmission
from .plan import Plan
from .records import records_check
from .references import certificates_check, institutions_check, majors_check
from .report import ImportIssue
from .resubmissions import records_classify, students_classify
from .students import students_check


def submission_validate(submission: ParsedSubmission, *, allowed_codes: set[str] | None, correction: bool
                        ) -> tuple[Plan, list[ImportIssue], Checker]:
    """Check everything; return the plan and every error (the plan must not be written if any)."""
    checker = Checker(submission, allowed_codes=allowed_codes, correction=correction)
    references_load(checker)
    institutions_check(checker)
    certificates_check(checker)
    majors_check(checker)
    students_check(checker)
    records_check(checker)
    learners_load(checker, set(checker.plan.learners))
    students_classify(checker)
    records_classify(checker)
    checker.plan.files = [name for name in ("institutions", "certificates", "majors", "students", "records")
                          if name in submission.files]
    checker.plan.displays = {name: parsed.display for name, parsed in submission.files.items()}
    return checker.plan, errors_as_the_files_named_them(submission, checker.errors), checker


def errors_as_the_files_named_them(submission: ParsedSubmission, errors: list[ImportIssue]) -> list[ImportIssue]:
    """Each error's column as its file named it (``姓名`` when the file used Chinese headers, not ``name``).
    The checks name columns by key; only here, at the end, are they put back in the file's words."""
    files = {parsed.display: parsed for parsed in submission.files.values()}
    out = []
    for error in errors:
        parsed = files.get(error.file)
        if parsed is not None and error.column and error.column in parsed.spec.keys:
            error = replace(error, column=parsed.column_name(error.column))
        out.append(error)
    return out

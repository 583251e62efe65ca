"""Demo data: a generated Kaifeng submission (2024–2025) imported through the same importer. Idempotent:
the same seed gives the same rows, so a second run reports them all unchanged.

Then three demo residents for trying real-name binding (/me/identity/), imported with the ``phone`` column:
two with a mobile recorded by their institution (the code appears in the server log: the dev SMS backend
logs it), one without (staff of the institution confirm at /me/identity/requests/)."""

import csv
import tempfile
from pathlib import Path

from bianxue.institutions.models import Certificate, Institution

from .generate import generate_submission
from .imports import submission_import
from .indicators import snapshots_refresh

VOCATIONAL = [("KF-HV-KFZH", "410221", False), ("KF-HV-KFU", "410202", True), ("KF-SV-WLXX", "410203", True),
              ("KF-HV-YRCW", "410205", True), ("KF-HV-HNDW", "410212", False)]
MAJORS = [("KF-HV-KFZH", "520802", "X-LNZH;X-SZZH"), ("KF-HV-KFZH", "520201", "X-MYHL"),
          ("KF-HV-KFU", "510201", "X-WEB"), ("KF-HV-KFU", "530302", "X-ZNCS"), ("KF-HV-YRCW", "460305", "X-GYJQR"),
          ("KF-HV-HNDW", "530701", "X-DSSJ"), ("KF-HV-HNDW", "530802", "X-WLGL"), ("KF-SV-WLXX", "740201", "")]
CERTIFICATES = ["X-LNZH", "X-SZZH", "X-MYHL", "X-WEB", "X-GYJQR", "X-ZNCS", "X-DSSJ", "X-WLGL"]
# Fictitious residents (valid check characters) for the real-name binding demo:
# (resident ID, name, mobile or "", institution, programme, category, hours)
BINDING_DEMO = [
    ("410204195308120021", "张桂英", "13800000002", "KF-EU", "智能手机应用", "elderly", "24"),
    ("410221197803050038", "刘建国", "13800000003", "KF-HV-KFZH", "老年照护实务", "vocational", "32"),
    ("410203196509210048", "陈淑珍", "", "KF-HV-KFZH", "健康管理基础", "vocational", "40"),
]
DISTRICTS = ["410202", "410203", "410204", "410205", "410212", "410221", "410222", "410223", "410225"]


def load(*, stdout) -> None:
    community = [(f"KF-CC-{d}", d, "community_college") for d in DISTRICTS]
    community += [(f"KF-EC-{d}", d, "elderly_center") for d in DISTRICTS]
    community += [("KF-OU", "410202", "open_university"), ("KF-EU", "410204", "elderly_university")]
    needed = {c for c, _, _ in VOCATIONAL} | {c for c, _, _ in community}
    present = set(Institution.objects.filter(code__in=needed).values_list("code", flat=True))
    community = [c for c in community if c[0] in present]
    vocational = [v for v in VOCATIONAL if v[0] in present]
    if not vocational:
        stdout.write("  records: demo institutions missing, skipped")
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "kaifeng-demo"
        generate_submission(folder, records=4000, years=(2024, 2025), seed=4102, vocational=vocational,
                            community=community, certificates=CERTIFICATES, include_reference=False,
                            majors=[m for m in MAJORS if m[0] in present], prefix="DEMO-",
                            certificate_names=dict(Certificate.objects.values_list("code", "name")))
        # As a correction: a demo loaded by an earlier version (other programme names) is brought up to date.
        report = submission_import(path_or_file=folder, actor=None, correction=True, refresh_snapshots=False)
    if not report.ok:
        stdout.write("  records: demo submission refused: " + "; ".join(str(e) for e in report.errors[:5]))
        return
    snapshots = snapshots_refresh(years=[2024, 2025], institutions=False)
    stdout.write("  records: " + "; ".join(report.summary_lines()) + f"; {snapshots} indicator snapshots")
    _binding_demo(stdout, present)


def _binding_demo(stdout, present: set[str]) -> None:
    rows = [r for r in BINDING_DEMO if r[3] in present]
    if not rows:
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "binding-demo"
        folder.mkdir()
        with open(folder / "records.csv", "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["record_id", "kind", "learner_id", "name", "institution_code", "programme_code",
                             "programme_name", "category", "date", "hours", "result", "phone"])
            for number, (ident, name, phone, inst, programme, category, hours) in enumerate(rows, start=1):
                writer.writerow([f"BIND-DEMO-{number}", "training", ident, name, inst, f"BIND-DEMO-P{number}",
                                 programme, category, "2025-06-20", hours, "completed", phone])
        report = submission_import(path_or_file=folder, actor=None, refresh_snapshots=False)
    if not report.ok:
        stdout.write("  real-name binding demo refused: " + "; ".join(str(e) for e in report.errors[:5]))
        return
    stdout.write("  real-name binding demo (sign up, then /me/identity/ with the name and ID number):")
    for ident, name, phone, inst, *_rest in rows:
        how = (f"code to {phone[:3]}****{phone[-4:]} appears in the server log" if phone
               else f"no mobile recorded: staff of {inst} confirm at /me/identity/requests/")
        stdout.write(f"    {name} {ident}  {how}")

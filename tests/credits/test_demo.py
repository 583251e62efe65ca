"""credits/demo.py: the demo learner's declarations wait for the demo credit officer, each with a real generated PDF
as evidence (a certificate, an attendance statement), entered by the learner; loading again adds nothing."""

import io

import pytest
from pypdf import PdfReader

pytestmark = pytest.mark.django_db

QUIET = type("S", (), {"write": staticmethod(lambda s: None)})()


def _load():
    from bianxue.accounts.demo_loader import load as load_accounts
    from bianxue.institutions.demo_loader import load as load_institutions
    from bianxue.people.demo_loader import load as load_people

    from credits import demo

    load_institutions(stdout=QUIET)
    load_accounts(stdout=QUIET)
    load_people(stdout=QUIET)
    demo.load(stdout=QUIET)


def test_demo_declarations_carry_real_pdf_evidence_and_loading_again_adds_nothing():
    from credits.models import Outcome, OutcomeSource, OutcomeStatus

    _load()
    _load()
    declarations = list(Outcome.objects.filter(source=OutcomeSource.DECLARATION).select_related(
        "account__learner__user", "institution").order_by("title"))
    assert [(o.title, o.status, o.institution.code) for o in declarations] == [
        ("家庭急救员培训（红十字会）", OutcomeStatus.SUBMITTED, "KF-OU"),
        ("社区志愿者助老服务培训", OutcomeStatus.SUBMITTED, "KF-OU"),
    ]
    for outcome in declarations:
        assert outcome.entered_by == outcome.account.learner.user  # four eyes: the officer decides, not the learner
        assert outcome.evidence_type == "application/pdf" and outcome.evidence_name.endswith(".pdf")
        with outcome.evidence.open("rb") as fh:
            data = fh.read()
        assert len(data) > 2048
        text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
        assert "王秀兰" in text and "4102**********0023" in text and "0203140023" not in text
        assert outcome.title.split("（")[0] in text.replace("\n", "")
    assert "8 次课" in PdfReader(declarations[1].evidence.open("rb")).pages[0].extract_text()

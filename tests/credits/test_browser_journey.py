"""Browser journey: a learner declares a certificate, a credit officer (password + TOTP) approves it,
the learner downloads the transcript and the public verification page confirms it."""

import datetime
import re

import pytest
from bianxue.accounts.models import Role

pytestmark = pytest.mark.browser

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def _totp_now() -> str:
    from tests.factories import totp_code

    return totp_code(margin=10)


def test_declare_approve_transcript_verify(new_page, login, tmp_path):
    from bianxue.people.services import learner_for_user_get_or_create

    from credits.models import ValuationRule
    from tests.factories import InstitutionFactory, UserFactory, mfa_enable, staff_user

    institution = InstitutionFactory(name="开封开放大学（测试）", type="open_university")
    ValuationRule.objects.create(code="hours", name="学时", kind="hours", valid_from=datetime.date(2020, 1, 1))
    learner_user = UserFactory(display_name="王秀兰")
    learner = learner_for_user_get_or_create(user=learner_user)
    learner.name = "王秀兰"
    learner.save(update_fields=["name"])
    officer = staff_user(institution=institution, role=Role.CREDIT_OFFICER)
    mfa_enable(officer)

    # 1. the learner declares a certificate with evidence (plain form, file upload)
    page = new_page()
    login(page, learner_user)
    page.goto("/credits/declare/")
    page.select_option("select[name=outcome_type]", "training")
    page.fill("input[name=title]", "家庭急救员培训证书")
    page.select_option("select[name=institution]", str(institution.pk))
    page.fill("input[name=date]", "2025-05-01")
    page.fill("input[name=hours]", "32")
    evidence = tmp_path / "证书.png"
    evidence.write_bytes(PNG)
    page.set_input_files("input[name=evidence]", str(evidence))
    page.locator("form[enctype] button[type=submit]").click()
    page.wait_for_url("**/credits/")
    assert "家庭急救员培训证书" in page.content() and "已提交" in page.content()

    # 2. the credit officer signs in with password and TOTP and approves it
    staff = new_page()
    login(staff, officer, via_form=True, password="pass-word-123", next_url="/credits/staff/")
    if staff.locator("input[name=code]").count():
        staff.fill("input[name=code]", _totp_now())
        staff.locator("form:has(input[name=code]) [type=submit]").first.click()
        staff.wait_for_load_state()
    staff.goto("/credits/staff/")
    staff.get_by_role("link", name="家庭急救员培训证书").click()
    staff.fill("textarea[name=reason]", "证书原件核对无误")
    staff.get_by_role("button", name="认证").click()
    staff.wait_for_load_state()
    assert "已认证" in staff.content()

    # 3. the learner sees the credits and downloads the transcript
    page.goto("/credits/")
    assert page.get_by_test_id("balance").inner_text() == "2.0"
    with page.expect_download() as download:
        page.get_by_role("button", name="生成并下载学习成果证明（PDF）").click()
    code = re.search(r"transcript-([A-Z0-9]+)\.pdf", download.value.suggested_filename).group(1)
    pdf_path = tmp_path / "t.pdf"
    download.value.save_as(pdf_path)
    import pypdf

    text = pypdf.PdfReader(str(pdf_path)).pages[0].extract_text()
    assert "王秀兰" in text and "家庭急救员培训证书" in text

    # 4. anyone can verify it (no login)
    public = new_page(javascript=False)
    public.goto("/credits/verify/")
    public.fill("input[name=code]", code)
    public.get_by_role("button", name="核验").click()
    assert "有效" in public.get_by_test_id("verdict").inner_text()
    assert "王**" in public.content() and "王秀兰" not in public.content()

"""Credential downloads are private (owner or issuing institution's officers); the public credential page shows
the masked name. Revoking a converted outcome shows on the verification page, the transcript and the
applications."""

import io
from decimal import Decimal

import pypdf
import pytest

from credits import credentials, services
from credits.documents import transcript_issue, transcript_pdf, transcript_validity
from credits.models import ConversionRule
from tests.factories import UserFactory, bureau_admin, mfa_enable


@pytest.fixture
def certified(make_record, rules, learner, certificate):
    return make_record(learner=learner, kind="exam", category="x_certificate", result="passed", hours=None,
                       certificate_id=certificate.pk, cert_level="intermediate",
                       name="老年照护职业技能等级证书（中级）").outcomes.get()


def test_credential_json_is_for_the_owner_and_the_issuing_officers(client, certified, learner_user, officer,
                                                                   other_officer):
    cred = credentials.credential_issue(outcome=certified)
    url = f"/credits/credentials/{cred.pk}.json"
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    client.force_login(UserFactory())  # another resident who learned the id
    assert client.get(url).status_code == 404
    for user in (other_officer,):  # an officer of another institution
        mfa_enable(user)
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(learner_user)
    mine = client.get(url)
    assert mine.status_code == 200 and mine["Cache-Control"] == "private, no-store"
    assert mine.json()["credential"]["credentialSubject"]["identifier"][0]["identityHash"] == "王秀兰"
    for user in (officer, bureau_admin()):
        mfa_enable(user)
        client.force_login(user)
        assert client.get(url).status_code == 200
    client.logout()
    assert client.get("/credits/credentials/00000000-0000-0000-0000-000000000000.json").status_code == 302


def test_public_credential_page_shows_the_masked_name_and_revocation(client, certified, officer):
    cred = credentials.credential_issue(outcome=certified)
    page = client.get(f"/credits/credentials/{cred.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "王**" in text and "王秀兰" not in text and certified.account.number in text
    assert "老年照护职业技能等级证书（中级）" in text and "有效" in text
    services.outcome_revoke(actor=officer, outcome=certified, reason="证书被发证机构注销")
    text = client.get(f"/credits/credentials/{cred.pk}/").content.decode()
    assert "已撤销" in text and "证书被发证机构注销" in text
    assert client.get("/credits/credentials/00000000-0000-0000-0000-000000000000/").status_code == 404


@pytest.fixture
def applied(certified, institution, certificate, learner_user, officer):
    rule = ConversionRule.objects.create(
        institution=institution, programme_code="P", programme_name="老年保健与管理", course_code="C1",
        course_name="老年照护实务", credits=Decimal("4"), outcome_type="x_certificate", certificate=certificate)
    app = services.conversion_application_submit(user=learner_user, institution_id=institution.pk,
                                                 programme_code="P", items=[(certified.pk, rule.pk)])
    app = services.conversion_application_approve(actor=officer, application=app)
    return services.conversion_application_apply(actor=officer, application=app)


def test_revoking_a_converted_outcome_shows_everywhere(client, applied, certified, learner_user, officer):
    from bianxue.accounts.models import AuditEntry

    transcript = transcript_issue(account=certified.account)
    assert transcript.statement["conversions"][0]["outcome_id"] == certified.pk
    page = client.get(f"/credits/verify/{transcript.code}/").content.decode()
    assert "有效：本证明所列成果目前均有效。" in page and "所依据的成果已撤销" not in page

    services.outcome_revoke(actor=officer, outcome=certified, reason="证书注销")

    validity = transcript_validity(transcript=transcript)
    assert validity["valid"] is False and validity["revoked_ids"] == [certified.pk]
    assert [c["course"] for c in validity["revoked_conversions"]] == [transcript.statement["conversions"][0]["course"]]
    page = client.get(f"/credits/verify/{transcript.code}/").content.decode()
    assert "已失效" in page and 'data-testid="conversion-revoked"' in page
    pdf = transcript_pdf(transcript=transcript, verify_url="http://testserver/v/")
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages).replace("\n", "")  # cells wrap
    assert "部分成果已撤销" in text and "成果已撤销revoked" in text.replace(" ", "") and "已撤销 revoked" in text
    # a transcript issued after the revocation still lists the conversion, flagged
    later = transcript_issue(account=certified.account)
    assert transcript_validity(transcript=later)["revoked_conversions"]
    # the receiving institution is told: audit trail and the flagged item on both application pages
    assert AuditEntry.objects.filter(action="credits.conversion.outcome_revoked",
                                     institution_id=applied.institution_id).exists()
    client.force_login(learner_user)
    assert 'data-testid="item-revoked"' in client.get(f"/credits/applications/{applied.pk}/").content.decode()
    mfa_enable(officer)
    client.force_login(officer)
    assert 'data-testid="item-revoked"' in client.get(
        f"/credits/staff/applications/{applied.pk}/").content.decode()


def test_transcripts_issued_before_conversion_ids_still_verify(client, applied, certified):
    """Transcripts stored before conversions carried an outcome id keep working."""
    transcript = transcript_issue(account=certified.account)
    for c in transcript.statement["conversions"]:
        c.pop("outcome_id")
    transcript.save(update_fields=["statement"])
    assert transcript_validity(transcript=transcript)["valid"] is True
    assert client.get(f"/credits/verify/{transcript.code}/").status_code == 200

"""Transcripts, the verification page, and Open Badges 3.0 credentials (issued, verified, altered, refused)."""

import io
import json
import os
import re
from decimal import Decimal
from pathlib import Path

import pypdf
import pytest
from django.core.management import call_command

from credits import credentials, services
from credits.documents import transcript_issue, transcript_pdf


@pytest.fixture
def certified(make_record, rules, learner, certificate):
    make_record(learner=learner, hours=Decimal("32"), name="中老年养生保健（春季班）", category="elderly")
    return make_record(learner=learner, kind="exam", category="x_certificate", result="passed", hours=None,
                       certificate_id=certificate.pk, cert_level="intermediate",
                       name="老年照护职业技能等级证书（中级）").outcomes.get()


def test_transcript_pdf_text_in_chinese(certified):
    transcript = transcript_issue(account=certified.account)
    pdf = transcript_pdf(transcript=transcript, verify_url=f"http://testserver/credits/verify/{transcript.code}/")
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    for expected in ("学习成果证明", "Transcript", "王秀兰", "老年照护职业技能等级证书（中级）", "中老年养生保健（春季班）",
                     certified.account.number, transcript.code, "累计学分 Total credits：6.0", "Account number"):
        assert expected in text


def test_transcript_download_and_public_verification(client, learner_user, certified, officer):
    client.force_login(learner_user)
    response = client.post("/credits/transcripts/new/")
    assert response.status_code == 302
    pdf = client.get(response["Location"])
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    code = response["Location"].rsplit("/", 1)[1].removesuffix(".pdf")
    client.logout()
    page = client.get(f"/credits/verify/{code}/").content.decode()
    assert "王**" in page and "王秀兰" not in page and certified.account.number in page
    assert "有效：本证明所列成果目前均有效。" in page
    services.outcome_revoke(actor=officer, outcome=certified, reason="证书撤销")
    page = client.get(f"/credits/verify/{code}/").content.decode()
    assert "已失效" in page and "已撤销" in page
    assert client.get("/credits/verify/NOPE123456/").status_code == 404
    # another learner cannot download someone's transcript
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(response["Location"]).status_code == 404


def test_credential_issued_verified_altered_refused(certified, officer, tmp_path, capsys):
    cred = credentials.credential_issue(outcome=certified)
    assert credentials.credential_issue(outcome=certified) == cred  # one per outcome
    result = credentials.credential_verify(cred.jwt)
    payload = result["credential"]
    assert result == {"valid": True, "revoked": False, "credential": payload}
    assert payload["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert payload["credentialSubject"]["type"] == ["AchievementSubject"]
    assert payload["credentialSubject"]["achievement"]["name"] == "老年照护职业技能等级证书（中级）"
    # Chinese survives byte for byte: the signed payload is the exact UTF-8 of the credential
    raw = credentials.b64url_decode(cred.jwt.split(".")[1])
    assert "老年照护职业技能等级证书（中级）".encode() in raw
    assert json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode() == raw
    assert payload["credentialSubject"]["identifier"][0]["identityHash"] == "王秀兰"

    # altered: change one Chinese character in the payload, keep the signature
    altered_payload = raw.decode().replace("中级", "高级").encode()
    header, _, sig = cred.jwt.split(".")
    altered = f"{header}.{credentials.b64url(altered_payload)}.{sig}"
    with pytest.raises(credentials.CredentialInvalid):
        credentials.credential_verify(altered)
    # another key: refused
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    other = Ed25519PrivateKey.generate().public_key().public_bytes(serialization.Encoding.Raw,
                                                                   serialization.PublicFormat.Raw)
    with pytest.raises(credentials.CredentialInvalid):
        credentials.credential_verify(cred.jwt, public_key=other)

    good, bad = tmp_path / "good.jwt", tmp_path / "bad.jwt"
    good.write_text(cred.jwt)
    bad.write_text(altered)
    call_command("verify_credential", str(good))
    assert "VALID (not revoked)" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exc:
        call_command("verify_credential", str(bad))
    assert exc.value.code == 1 and "INVALID" in capsys.readouterr().out

    # offline with the published JWK and a downloaded status list
    jwk = tmp_path / "key.json"
    jwk.write_text(json.dumps(credentials.public_jwk()))
    services.outcome_revoke(actor=officer, outcome=certified, reason="证书撤销")
    status = tmp_path / "status.jwt"
    status.write_text(credentials.status_list_credential(1))
    with pytest.raises(SystemExit) as exc:
        call_command("verify_credential", str(good), "--jwk", str(jwk), "--status-list", str(status))
    assert exc.value.code == 2 and "REVOKED" in capsys.readouterr().out
    assert credentials.credential_verify(cred.jwt)["revoked"] is True


def test_public_key_issuer_and_status_endpoints(client, certified, learner_user):
    key = client.get("/credits/keys/ed25519.json").json()
    assert key["type"] == "Multikey" and key["publicKeyMultibase"].startswith("z6Mk")
    assert key["publicKeyJwk"]["crv"] == "Ed25519"
    issuer = client.get("/credits/issuer.json").json()
    assert issuer["type"] == ["Profile"] and "学分银行" in issuer["name"]
    client.force_login(learner_user)
    response = client.get(f"/credits/outcomes/{certified.pk}/credential.jwt")
    assert response["Content-Type"] == "application/vc+jwt"
    token = response.content.decode()
    status_jwt = client.get("/credits/status/1/").content.decode()
    index = int(credentials.jws_verify(token)["credentialStatus"]["statusListIndex"])
    assert credentials.status_bit_from_list(status_jwt, index) is False


def test_signing_key_from_settings(settings, tmp_path):
    import base64

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    raw = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                            serialization.NoEncryption())
    settings.CREDENTIAL_SIGNING_KEY = base64.b64encode(raw).decode()
    token = credentials.jws_sign({"name": "测试"})
    assert credentials.jws_verify(token, public_key=key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)) == {"name": "测试"}


# --- fonts and layout of the PDF ------------------------------------------------------------------------------

def _embedded_glyph_check(pdf: bytes) -> tuple[set[str], list[str]]:
    """(characters drawn, problems): every font of the PDF must be embedded, and every character drawn must map,
    through the font's ToUnicode table and its embedded cmap, to a real glyph (not .notdef, the empty box)."""
    from fontTools.ttLib import TTFont

    fonts: dict = {}

    def font_tables(font) -> tuple[dict, object] | None:
        key = font.indirect_reference or id(font)
        if key not in fonts:
            descriptor = font.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            if "/FontFile2" not in descriptor:
                fonts[key] = None
            else:
                embedded = TTFont(io.BytesIO(descriptor["/FontFile2"].get_object().get_data()))
                to_unicode = font["/ToUnicode"].get_object().get_data().decode("latin-1")
                codes = {chr(int(u, 16)): int(c, 16)
                         for c, u in re.findall(r"<([0-9A-Fa-f]{2})>\s*<([0-9A-Fa-f]{4,8})>", to_unicode)}
                fonts[key] = (codes, embedded)
        return fonts[key]

    drawn, problems = set(), []

    def visit(text, cm, tm, font, size):
        if font is None or not text.strip():
            return
        tables = font_tables(font)
        if tables is None:
            problems.append(f"{font.get('/BaseFont')} is not embedded")
            return
        codes, embedded = tables
        cmap = {c: g for t in embedded["cmap"].tables for c, g in t.cmap.items()}
        for char in text:
            if char.isspace():
                continue
            drawn.add(char)
            glyph = cmap.get(codes.get(char, -1))
            if glyph is None or embedded.getGlyphID(glyph) == 0:
                problems.append(f"{char!r} has no glyph in {font.get('/BaseFont')}")

    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
        for name, ref in page["/Resources"]["/Font"].items():
            if font_tables(ref.get_object()) is None:
                problems.append(f"{name} {ref.get_object().get('/BaseFont')} is not embedded")
    return drawn, problems


@pytest.mark.parametrize("name", [
    "王秀兰",
    pytest.param("王喆堃", marks=pytest.mark.skipif(  # 喆, 堃: outside GB 2312, from the system's Noto CJK
        not Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc").is_file(),
        reason="fonts-noto-cjk is not installed (CI installs it)")),
])
def test_transcript_pdf_embeds_glyphs_for_every_character_and_wraps(certified, institution, name):
    from bianxue.people.models import Learner

    institution.name = "开封市祥符区乡镇（街道）社区教育中心·陈留镇居民学习体验基地（老年教育分校）"
    institution.save(update_fields=["name"])
    Learner.objects.filter(pk=certified.account.learner_id).update(name=name)
    certified.account.learner.refresh_from_db()
    transcript = transcript_issue(account=certified.account)
    url = f"https://bianxue.kaifeng.gov.cn/credits/verify/{transcript.code}/?lang=zh-hans&source=transcript-pdf"
    pdf = transcript_pdf(transcript=transcript, verify_url=url)
    if os.environ.get("BIANXUE_PDF_OUT"):  # to look at it: pdftoppm -png -r 60 $BIANXUE_PDF_OUT out
        Path(os.environ["BIANXUE_PDF_OUT"]).write_bytes(pdf)

    drawn, problems = _embedded_glyph_check(pdf)
    assert not problems, problems[:5]
    assert {"·", "王"} | set(name) <= drawn
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "汴学·开封终身学习平台" in text and name in text
    flat = re.sub(r"\s+", "", text)
    assert url in flat  # the whole address, wrapped over lines rather than cut off
    assert re.sub(r"\s+", "", institution.name) in flat  # the long name wraps inside its column


def test_transcript_dates_are_shanghai_dates(certified, settings):
    import datetime

    from django.utils import timezone

    transcript = transcript_issue(account=certified.account)
    late = datetime.datetime(2026, 3, 1, 17, 30, tzinfo=datetime.UTC)  # 01:30 on 2 March in Kaifeng
    type(transcript).objects.filter(pk=transcript.pk).update(issued_at=late)
    transcript.refresh_from_db()
    assert timezone.localtime(late).date().isoformat() == "2026-03-02"
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(
        transcript_pdf(transcript=transcript, verify_url="https://example.cn/v/"))).pages)
    assert "2026-03-02" in text and "2026-03-01" not in text

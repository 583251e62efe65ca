"""English across the platform (language cookie or /i18n/setlang/), Chinese by default, and a complete catalog.

The single English catalog is frontend/locale/en/LC_MESSAGES/django.po (msgids are the Chinese originals).
The catalog tests fail when a marked string has no English: run `makemessages -l en` (see the README), fill
the empty msgstr, and `make messages`.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.translation import templatize

from tests.factories import InstitutionFactory, UserFactory, bureau_admin, mfa_enable

PO_PATH = Path(settings.BASE_DIR) / "frontend" / "locale" / "en" / "LC_MESSAGES" / "django.po"
CJK = re.compile(r"[\u3400-\u9fff]")
PLACEHOLDER = re.compile(r"%\([A-Za-z_][A-Za-z0-9_]*\)[sdfr]|%[sdf]|\{[A-Za-z_][A-Za-z0-9_]*\}")


# --- a tiny .po reader (polib is not a dependency) ----------------------------------------------------------

def _unquote(text: str) -> str:
    body = text.strip()[1:-1]
    return re.sub(r'\\(.)', lambda m: {"n": "\n", "t": "\t", "r": "\r"}.get(m.group(1), m.group(1)), body)


def po_entries(text: str) -> list[dict]:
    """Entries as dicts: 'flags' (set), 'msgctxt', 'msgid', 'msgid_plural', 'msgstr' or 'msgstr[n]', 'obsolete'."""
    entries = []
    for block in re.split(r"\n\s*\n", text):
        entry: dict = {"flags": set(), "obsolete": False}
        key = None
        for line in block.strip("\n").split("\n"):
            if line.startswith("#~"):
                entry["obsolete"] = True
            elif line.startswith("#,"):
                entry["flags"] |= {f.strip() for f in line[2:].split(",")}
            elif line.startswith("#") or not line.strip():
                continue
            elif line.startswith('"'):
                entry[key] += _unquote(line)
            else:
                key, _, rest = line.partition(" ")
                entry[key] = _unquote(rest)
        if "msgid" in entry:
            entries.append(entry)
    return entries


def _translations(entry: dict) -> list[str]:
    return [v for k, v in entry.items() if k.startswith("msgstr")]


@pytest.fixture(scope="module")
def catalog() -> list[dict]:
    return [e for e in po_entries(PO_PATH.read_text(encoding="utf-8")) if e["msgid"] and not e["obsolete"]]


# --- the catalog -------------------------------------------------------------------------------------------

def test_catalog_header_declares_english_and_plural_forms():
    header = next(e for e in po_entries(PO_PATH.read_text(encoding="utf-8")) if e["msgid"] == "")
    assert "Language: en\n" in header["msgstr"]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header["msgstr"]


def test_catalog_has_no_empty_or_fuzzy_entries(catalog):
    empty = [e["msgid"] for e in catalog if any(s == "" for s in _translations(e))]  # " " is a deliberate blank
    fuzzy = [e["msgid"] for e in catalog if "fuzzy" in e["flags"]]
    assert not empty, f"{len(empty)} msgids without English, e.g. {empty[:5]}"
    assert not fuzzy, f"fuzzy entries to check: {fuzzy[:5]}"


def test_translations_are_english_and_keep_placeholders(catalog):
    for entry in catalog:
        wanted = sorted(PLACEHOLDER.findall(entry["msgid"]))
        for key, text in entry.items():
            if not key.startswith("msgstr"):
                continue
            # Chinese only as a deliberate gloss in brackets, e.g. "Elder mode (长辈版)"
            assert not CJK.search(re.sub(r"\([^)]*\)", "", text)), f"Chinese left in the English for {entry['msgid']!r}"
            assert sorted(PLACEHOLDER.findall(text)) == wanted, f"placeholders differ: {entry['msgid']!r} -> {text!r}"
        if "msgid_plural" in entry:
            assert {"msgstr[0]", "msgstr[1]"} <= entry.keys(), entry["msgid"]


# Latin words a Chinese msgid may carry: file formats and units, product and programme names, and the codes a
# user types into an import file or a CMS field. Anything else is an English label glued to the Chinese (a
# bilingual msgid such as "姓名 name"), which the Chinese interface would show as is.
LATIN_IN_CHINESE = {
    "Excel", "CSV", "PDF", "JPEG", "PNG", "JSON", "WebVTT", "MB", "https", "csv", "xlsx", "Ed25519",  # formats, units
    "passed", "failed", "elderly", "slug", "X", "v1",  # codes typed into imports and the CMS, ID digits, versions
}
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'’-]*")
NOT_WORDS = re.compile(PLACEHOLDER.pattern + r"|1\+X|/[a-z/]+/|<[^>]+>|\w+\.(?:csv|xlsx)")


def latin_words_in_chinese(msgid: str) -> list[str]:
    """English words in a Chinese msgid that are not on the allow-list (an empty list for English msgids)."""
    if not CJK.search(msgid):
        return []
    return [w for w in LATIN_WORD.findall(NOT_WORDS.sub(" ", msgid)) if w not in LATIN_IN_CHINESE]


def test_latin_words_in_chinese_detects_bilingual_msgids():
    assert latin_words_in_chinese("姓名 name") == ["name"]
    assert latin_words_in_chinese("手机号（可不填） Mobile number (optional)") == ["Mobile", "number", "optional"]
    assert latin_words_in_chinese("导出 Excel") == [] and latin_words_in_chinese("1+X证书") == []
    assert latin_words_in_chinese("第 %(number)s 行：%(messages)s") == [] and latin_words_in_chinese("Search") == []


def test_chinese_msgids_carry_no_english_label(catalog):
    """One language per screen: a msgid is the Chinese text alone, its English lives in the catalog only."""
    bilingual = {e["msgid"]: words for e in catalog if (words := latin_words_in_chinese(e["msgid"]))}
    assert not bilingual, f"{len(bilingual)} Chinese msgids carry English words: {list(bilingual.items())[:8]}"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) is not installed")
def test_marked_chinese_strings_carry_no_english_label(tmp_path):
    bilingual = {m: w for m in _marked_msgids(tmp_path) if (w := latin_words_in_chinese(m))}
    assert not bilingual, f"{len(bilingual)} marked Chinese strings carry English words: {list(bilingual.items())[:8]}"


def _marked_msgids(tmp_path: Path) -> set[str]:
    """Every msgid marked in the project's .py and .html files, extracted as makemessages does (templatize +
    xgettext with Django's keywords), but into a temporary file so the shared catalog is never touched."""
    root = Path(settings.BASE_DIR)
    skip = {".venv", "var", "build", "node_modules", ".git", "test-artifacts"}
    sources = []
    for path in sorted(root.rglob("*")):
        parts = path.relative_to(root).parts
        if path.suffix not in {".py", ".html", ".txt"} or any(p in skip or p.startswith(".") for p in parts):
            continue
        if path.suffix == ".py":
            sources.append(path)
        else:
            out = tmp_path / (("__".join(parts)) + ".py")
            out.write_text(templatize(path.read_text(encoding="utf-8"), origin=str(path)), encoding="utf-8")
            sources.append(out)
    pot = tmp_path / "extracted.pot"
    subprocess.run(
        ["xgettext", "--language=Python", "--from-code=UTF-8", "--keyword=gettext_noop", "--keyword=gettext_lazy",
         "--keyword=ngettext_lazy:1,2", "--keyword=pgettext:1c,2", "--keyword=npgettext:1c,2,3",
         "--keyword=pgettext_lazy:1c,2", "--keyword=npgettext_lazy:1c,2,3", "--no-location", "--force-po",
         f"--output={pot}", "--files-from=-"],
        input="\n".join(str(s) for s in sources), text=True, check=True, capture_output=True,
    )
    return {e["msgid"] for e in po_entries(pot.read_text(encoding="utf-8")) if e["msgid"]}


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) is not installed")
def test_every_marked_string_is_in_the_catalog(catalog, tmp_path):
    in_catalog = {e["msgid"] for e in catalog}
    missing = sorted(_marked_msgids(tmp_path) - in_catalog)
    assert not missing, (
        f"{len(missing)} marked strings are not in the English catalog (run makemessages -l en and translate "
        f"them), e.g. {missing[:8]}"
    )


# --- pages in English ---------------------------------------------------------------------------------------

def _english(client):
    client.cookies["django_language"] = "en"
    return client


def _h(html: str, level: int = 1) -> list[str]:
    return [re.sub(r"<[^>]+>|\s+", " ", h).strip() for h in re.findall(rf"<h{level}[^>]*>(.*?)</h{level}>", html, re.S)]


@pytest.mark.django_db
def test_chinese_by_default(client):
    home = client.get("/")
    assert home["Content-Language"] == "zh-hans" and 'lang="zh-CN"' in home.content.decode()
    assert "搜索课程" in home.content.decode()
    assert "登录" in "".join(_h(client.get("/accounts/login/").content.decode()))
    signup = client.get("/accounts/signup/").content.decode()
    assert "手机号或邮箱至少填一项" in signup and "可不填" not in signup and "Mobile number" not in signup
    assert _h(client.get("/community/").content.decode()) == ["学习社区"]
    client.force_login(UserFactory())
    assert "我的学分银行" in _h(client.get("/credits/").content.decode())
    assert "我的账户" in _h(client.get("/me/").content.decode())


@pytest.mark.django_db
def test_home_login_signup_and_community_in_english(client):
    _english(client)
    home = client.get("/")
    html = home.content.decode()
    assert home["Content-Language"] == "en" and 'lang="en"' in html
    for text in ("Skip to main content", "Search courses", "Credit bank", "Elder mode", "Open university",
                 "Sign in", "Sign up"):
        assert text in html, text
    assert _h(client.get("/accounts/login/").content.decode()) == ["Sign In"]
    signup = client.get("/accounts/signup/").content.decode()
    assert _h(signup) == ["Sign Up"] and "Give a mobile number or an email: at least one of them." in signup
    assert "(optional)" not in signup
    community = client.get("/community/").content.decode()
    assert _h(community) == ["Learning community"]
    assert "Find a circle" in community and "Boards of my courses" in community
    assert not CJK.search(community.split("<main", 1)[1].split("</main>", 1)[0])


@pytest.mark.django_db
def test_set_language_then_profile_and_credit_bank_in_english(client):
    from credits.documents import transcript_issue
    from credits.services import account_for_user_get_or_create

    user = UserFactory()
    client.force_login(user)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/me/"})
    assert response.status_code == 302 and response["Location"] == "/me/"

    me = client.get("/me/").content.decode()
    assert _h(me) == ["My account"] and "Account security" in _h(me, 2)
    assert "Two-step verification" in me and "Link your ID number" in me

    credits_home = client.get("/credits/").content.decode()
    assert _h(credits_home) == ["My credit bank"]
    for heading in ("Learner account", "Learning outcomes", "Transcript", "Credit history"):
        assert heading in _h(credits_home, 2), heading
    assert "No learning outcomes yet." in credits_home

    assert _h(client.get("/credits/declare/").content.decode()) == ["Declare a learning outcome"]
    assert _h(client.get("/me/identity/").content.decode()) == ["Identity link"]

    transcript = transcript_issue(account=account_for_user_get_or_create(user=user))
    client.logout()  # the verification page is public
    verify = _english(client).get(f"/credits/verify/{transcript.code}/").content.decode()
    assert _h(verify) == ["Transcript verification"]
    assert "Valid: every outcome on this transcript is currently valid." in verify
    assert "Total credits" in verify and "Issued at" in verify


@pytest.mark.django_db
def test_records_dashboard_and_import_in_english(client):
    admin = bureau_admin()
    mfa_enable(admin)
    client.force_login(admin)
    _english(client)
    dashboard = client.get("/records/dashboard/", {"year": 2025}).content.decode()
    assert _h(dashboard)[0].startswith("Plan indicators dashboard · 2025 · Whole city")
    for text in ("Choose the year and scope", "Export PDF", "Recompute now", "Numerator", "By district"):
        assert text in dashboard, text
    upload = client.get("/records/import/").content.decode()
    assert _h(upload) == ["Import learning records (data exchange format v1)"]
    assert "Upload and validate" in upload and "Excel template (English column names)" in upload


@pytest.mark.django_db
def test_staff_pages_in_english(client):
    admin = bureau_admin()
    mfa_enable(admin)
    InstitutionFactory(code="T-EN-1")
    client.force_login(admin)
    _english(client)
    assert _h(client.get("/me/memberships/grant/").content.decode())[0] == "Grant an institution role"
    overview = client.get("/me/institution/T-EN-1/").content.decode()
    assert "Staff" in _h(overview, 2) and "No staff yet." in overview


@pytest.mark.django_db
def test_import_errors_in_english_with_plural(client, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from credits.records.models import ImportBatch
    from tests.credits.records.factories import base_files, write_folder

    admin = bureau_admin()
    mfa_enable(admin)
    client.force_login(admin)
    _english(client)
    files = base_files()
    files["records"][0]["kind"] = "lecture"
    folder = write_folder(tmp_path / "up", files)
    uploads = [SimpleUploadedFile(p.name, p.read_bytes(), content_type="text/csv") for p in sorted(folder.iterdir())]
    client.post("/records/import/", {"files": uploads})
    batch = ImportBatch.objects.get()
    html = client.get(f"/records/import/{batch.pk}/").content.decode()
    assert _h(html)[0].startswith("Import #")
    assert f"Found {batch.error_count} error" in html and "nothing was written" in html
    assert "Errors (row numbers: the header is row 1)" in html and "Upload again" in html


def test_dates_follow_the_readers_language_in_kaifeng_time():
    import datetime

    from django.template import Context, Template
    from django.utils import translation

    moment = datetime.datetime(2026, 3, 1, 17, 30, tzinfo=datetime.UTC)  # 01:30 on 2 March in Kaifeng
    template = Template('{{ t|date:"MONTH_DAY_FORMAT" }} {{ t|time:"H:i" }} · {{ t|date:"DATE_FORMAT" }}')
    with translation.override("zh-hans"):
        assert template.render(Context({"t": moment})) == "3月2日 01:30 · 2026年3月2日"
    with translation.override("en"):
        assert template.render(Context({"t": moment})) == "March 2 01:30 · March 2, 2026"


def test_scripts_carry_no_chinese_interface_text():
    """Scripts read translated text from data-* attributes (e.g. the lesson player's status): a Chinese string in a
    script would show in the English interface too."""
    root = Path(settings.BASE_DIR)
    scripts = [p for p in root.rglob("*.js") if not {".venv", "node_modules", "vendor", "var", "static_collected"}
               & set(p.relative_to(root).parts) and not p.name.endswith(".min.js")]
    offenders = []
    for path in scripts:
        code = re.sub(r"//[^\n]*|/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.S)  # comments may
        if CJK.search(code):
            offenders.append(str(path.relative_to(root)))
    assert scripts and not offenders, offenders

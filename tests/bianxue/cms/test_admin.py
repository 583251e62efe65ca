"""The CMS admin's policy and language: the same strict script-src as the public site (no 'unsafe-inline', no
'unsafe-eval'), Chinese for Chinese users (Wagtail's missing strings from bianxue.cms's catalog, our labels),
English for a user who chose it."""

import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import reverse

from courses.services import catalog_setup
from tests.factories import InstitutionFactory, staff_user

ROOT = Path(__file__).resolve().parents[3]
PROD_ENV = {
    "SECRET_KEY": "x7#kq2!vL9@pR4$wZ8^mN3&bT6*cY1(hJ5)dF0-gS2+aQ7=eU4_iO9",
    "PII_HASH_KEY": "test-hash-key-for-production-settings",
    "PII_ENCRYPTION_KEY": "hFv3q1H0n3l6gOZ7fQ1rO7o1Nw3wM0b1p8J3dXh0Y2s=",
    "ALLOWED_HOSTS": "bianxue.example.cn",
}
# Names, not English sentences: the product, the language switch's own name, the page's code fields.
ALLOWED_WORDS = {"Wagtail", "English", "JavaScript"}


def script_src(header: str) -> list[str]:
    directives = dict((d.strip().split(" ", 1) + [""])[:2] for d in header.split(";") if d.strip())
    return directives["script-src"].split()


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class VisibleText(HTMLParser):
    """The text a reader sees: not inside script, style, template, noscript or a ``hidden`` element."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.stack: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            hidden = tag in ("script", "style", "template", "noscript") or "hidden" in dict(attrs)
            self.stack.append((tag, hidden))

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if data.strip() and not any(hidden for _tag, hidden in self.stack):
            self.parts.append(data.strip())


def _our_model_label_words() -> set[str]:
    """English words of our models' own bilingual labels ("课程 course"): they are being made one-language in the
    language work of issue 12 (stream words); this test is about the CMS's own strings."""
    from django.apps import apps

    ours = ("bianxue.", "courses", "credits", "community", "search", "frontend")
    labels = []
    for model in apps.get_models():
        if model._meta.app_config.name.startswith(ours):
            labels += [str(model._meta.verbose_name), str(model._meta.verbose_name_plural)]
            labels += [str(getattr(f, "verbose_name", "")) for f in model._meta.get_fields()]
    return set(re.findall(r"[A-Za-z]{4,}", " ".join(labels)))


def english_words(html: str) -> set[str]:
    parser = VisibleText()
    parser.feed(html)
    words = set(re.findall(r"[A-Za-z]{4,}", " ".join(parser.parts)))
    return words - ALLOWED_WORDS - _our_model_label_words()


@pytest.fixture
def teacher(db):
    setup = catalog_setup()
    user = staff_user(institution=InstitutionFactory(name="开封职业学院"))
    user.groups.add(setup["staff_group"])
    return user


def test_public_site_and_admin_refuse_inline_scripts(client, teacher):
    public = client.get("/")
    client.force_login(teacher)
    admin = client.get(reverse("wagtailadmin_home"))
    for response in (public, admin):
        sources = script_src(response["Content-Security-Policy"])
        assert sources == ["'self'"], sources


def test_production_policy_refuses_inline_scripts():
    probe = ("import importlib, json; s = importlib.import_module('bianxue.settings.production'); "
             "print(json.dumps(s.CONTENT_SECURITY_POLICY['DIRECTIVES']))")
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "bianxue.settings.production", **PROD_ENV}
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True,
                         check=True)
    directives = json.loads(out.stdout)
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in directives.get("default-src", [])


def test_admin_is_in_chinese_for_a_chinese_user(client, teacher):
    client.force_login(teacher)
    home = client.get(reverse("wagtailadmin_home"), HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9").content.decode()
    section = catalog_setup()["sections"][0]
    explore = client.get(reverse("wagtailadmin_explore", args=[section.pk])).content.decode()
    add = client.get(reverse("wagtailadmin_pages:add", args=["courses", "coursepage", section.pk])).content.decode()

    assert '<html lang="zh-hans"' in home
    assert "汴学管理后台" in home and "新建课程" in home and "搜索所有页面…" in home
    assert english_words(home) == set()
    assert english_words(explore) == set()
    assert english_words(add) == set()


def test_admin_follows_the_language_a_user_chose(client, teacher):
    from wagtail.users.models import UserProfile

    UserProfile.get_for_user(teacher).__class__.objects.filter(user=teacher).update(preferred_language="en")
    client.force_login(teacher)
    home = client.get(reverse("wagtailadmin_home")).content.decode()

    assert '<html lang="en"' in home
    assert "New course" in home and "Search all pages" in home
    assert "新建课程" not in home


def test_admin_scripts_catalog_has_chinese_for_every_string(client, teacher):
    """Wagtail's admin scripts (sidebar, autosave, block editor) read their words from its JavaScript catalog;
    every string it declares has a Chinese translation (Wagtail's own or bianxue.cms's djangojs.po)."""
    import wagtail.admin

    po = (Path(wagtail.admin.__file__).parent / "locale/en/LC_MESSAGES/djangojs.po").read_text(encoding="utf-8")
    declared = ["".join(re.findall(r'"(.*)"', block)) for block in re.findall(r'^msgid ((?:".*"\n)+)', po, re.M)]
    client.force_login(teacher)
    catalog = client.get(reverse("wagtailadmin_javascript_catalog"), HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    start = catalog.index("const newcatalog = ") + len("const newcatalog = ")
    translated = json.loads(catalog[start:catalog.index(";\n", start)])

    missing = [msgid for msgid in declared if msgid and not translated.get(msgid)]
    assert len(declared) > 50
    assert missing == []
    assert translated["Changes have been autosaved."] == "修改已自动保存。"

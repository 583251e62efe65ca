"""The audit log shows actions as words: every action code the code base records has a label in both languages."""

import re
from pathlib import Path

from bianxue.accounts.audit_labels import AUDIT_ACTIONS, audit_action_label
from bianxue.accounts.models import AuditEntry
from django.conf import settings
from django.utils import translation

CJK = re.compile(r"[\u4e00-\u9fff]")


def _recorded_actions() -> set[str]:
    root = Path(settings.BASE_DIR)
    found = set()
    for path in root.rglob("*.py"):
        parts = path.relative_to(root).parts
        if parts[0] in {".venv", "tests", "var", "node_modules"} or "migrations" in parts:
            continue
        text = path.read_text(encoding="utf-8")
        if "audit_record" in text:
            found |= set(re.findall(r'action="([a-z_]+(?:\.[a-z_]+)+)"', text))
    return found


def test_every_recorded_action_has_a_label():
    missing = _recorded_actions() - set(AUDIT_ACTIONS)
    assert not missing, f"audit actions without a label in bianxue/accounts/audit_labels.py: {sorted(missing)}"


def test_labels_in_the_readers_language():
    entry = AuditEntry(action="credits.outcome.reject")
    with translation.override("zh-hans"):
        assert entry.action_label() == "不予认证学习成果"
    with translation.override("en"):
        assert entry.action_label() == "Learning outcome not certified"
        assert all(not CJK.search(audit_action_label(code)) for code in AUDIT_ACTIONS)
    assert audit_action_label("unknown.code") == "unknown.code"

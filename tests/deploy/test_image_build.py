"""The production image's build steps (deploy/build-image, which the Dockerfile runs) run here without
Docker: what they leave is what the image gets. This would have caught the image without Chart.js, with the
development tools inside and with the project installed in editable mode."""

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEV_ONLY = {"pytest", "pytest-django", "pytest-xdist", "playwright", "ruff", "hypothesis", "factory-boy",
            "import-linter", "pypdf", "uv"}
PROD_ENV = {
    "DJANGO_SETTINGS_MODULE": "bianxue.settings.production",
    "SECRET_KEY": "x7#kq2!vL9@pR4$wZ8^mN3&bT6*cY1(hJ5)dF0-gS2+aQ7=eU4_iO9",
    "PII_HASH_KEY": "test-hash-key-for-production-settings",
    "PII_ENCRYPTION_KEY": "hFv3q1H0n3l6gOZ7fQ1rO7o1Nw3wM0b1p8J3dXh0Y2s=",
    "ALLOWED_HOSTS": "bianxue.example.cn",
}


@pytest.fixture(scope="module")
def image(tmp_path_factory) -> Path:
    prefix = tmp_path_factory.mktemp("image")
    proc = subprocess.run([str(ROOT / "deploy" / "build-image"), str(prefix)], cwd=ROOT, env=dict(os.environ),
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return prefix


def installed(image: Path, code: str, **env: str) -> subprocess.CompletedProcess:
    """Run Python from the built environment, outside the source tree, with nothing from this test process."""
    clean = {"PATH": f"{image / 'venv' / 'bin'}:/usr/bin:/bin", "HOME": str(image), **env}
    return subprocess.run([str(image / "venv" / "bin" / "python"), "-c", code], cwd=image, env=clean,
                          capture_output=True, text=True, timeout=300)


def test_static_manifest_has_the_dashboards_chart_library(image):
    manifest = json.loads((image / "static" / "staticfiles.json").read_text())
    assert "frontend/vendor/chart.umd.min.js" in manifest["paths"]
    assert (image / "static" / manifest["paths"]["frontend/vendor/chart.umd.min.js"]).stat().st_size > 100_000


def test_only_production_dependencies_are_installed(image):
    proc = installed(image, "import importlib.metadata as m; print('\\n'.join(sorted("
                            "d.metadata['Name'].lower() for d in m.distributions())))")
    assert proc.returncode == 0, proc.stderr
    names = set(proc.stdout.split())
    assert {"django", "wagtail", "daphne", "celery", "bianxue"} <= names
    assert not names & DEV_ONLY, sorted(names & DEV_ONLY)
    locked = {line.split("==")[0].lower() for line in (ROOT / "requirements.lock").read_text().splitlines()
              if "==" in line and not line.startswith("#")}
    assert not locked & DEV_ONLY


def test_the_project_is_a_regular_install_with_compiled_bytecode_and_translations(image):
    proc = installed(image, "import importlib.metadata as m, json, credits, frontend, bianxue.settings.base as b;"
                            "print(json.dumps([m.distribution('bianxue').read_text('direct_url.json'),"
                            " credits.__file__, str(b.LOCALE_PATHS[0])]))", DJANGO_SETTINGS_MODULE="")
    assert proc.returncode == 0, proc.stderr
    direct_url, credits_file, locale = json.loads(proc.stdout.strip().splitlines()[-1])
    assert '"editable": true' not in (direct_url or "") and "dir_info" not in (direct_url or "")
    site = image / "venv" / "lib" / "python3.11" / "site-packages"
    assert credits_file == str(site / "credits" / "__init__.py")
    assert not list(site.glob("__editable__*")) and not list(site.glob("*.egg-link"))
    assert Path(locale, "en", "LC_MESSAGES", "django.mo").is_file()
    assert list((site / "bianxue" / "settings" / "__pycache__").glob("production.cpython-311.pyc"))


def test_the_installed_platform_passes_check_deploy_and_renders_its_templates(image):
    proc = installed(image, "import django; django.setup();"
                            "from django.core.management import call_command;"
                            "call_command('check', '--deploy', '--fail-level', 'WARNING');"
                            "from django.template.loader import get_template;"
                            "from django.utils import translation; translation.activate('en');"
                            "from django.utils.translation import gettext as _;"
                            "print(get_template('404.html').origin.name); print(_('查看我的学分银行'))",
                     **PROD_ENV, STATIC_ROOT=str(image / "static"))
    assert proc.returncode == 0, proc.stderr
    origin, english = proc.stdout.strip().splitlines()[-2:]
    assert "site-packages" in origin
    assert english == "View my credit bank"


def test_the_dockerfile_runs_these_steps_and_keeps_code_read_only():
    text = (ROOT / "Dockerfile").read_text()
    assert "RUN deploy/build-image /opt/bianxue" in text
    assert "-e ." not in text and "PYTHONDONTWRITEBYTECODE" not in text
    final = text.split("\nFROM ")[-1]
    assert "COPY . ." not in final  # the source tree stays in the build stage
    assert re.search(r"^COPY --from=build /opt/bianxue /opt/bianxue$", final, re.M)  # root-owned
    assert "chown -R bianxue:bianxue var" in final

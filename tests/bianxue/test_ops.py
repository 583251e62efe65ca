"""Operations: /healthz, production security headers, error pages, JSON logging, check --deploy."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from bianxue import views
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import path

ROOT = Path(__file__).resolve().parents[2]
PROD_ENV = {
    "SECRET_KEY": "x7#kq2!vL9@pR4$wZ8^mN3&bT6*cY1(hJ5)dF0-gS2+aQ7=eU4_iO9",
    "PII_HASH_KEY": "test-hash-key-for-production-settings",
    "PII_ENCRYPTION_KEY": "hFv3q1H0n3l6gOZ7fQ1rO7o1Nw3wM0b1p8J3dXh0Y2s=",
    "ALLOWED_HOSTS": "bianxue.example.cn",
    "TRUSTED_PROXY_COUNT": "1",  # as in docker-compose.yml: the TLS proxy in front of web
}


def clean_env(**env: str) -> dict:
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/tmp"), **env}


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- /healthz -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_ok_without_redis(client, settings):
    settings.REDIS_URL = ""
    resp = client.get("/healthz")
    assert resp.status_code == 200
    assert resp["Content-Type"] == "application/json"
    assert resp.json() == {"status": "ok", "checks": {"database": "ok"}}
    assert "no-cache" in resp["Cache-Control"]


@pytest.mark.django_db
def test_healthz_503_when_redis_is_down(client, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port()}/0"
    resp = client.get("/healthz")
    assert resp.status_code == 503
    body = resp.json()
    assert body["status"] == "error"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["redis"].startswith("error: ")


@pytest.mark.django_db
def test_healthz_503_when_the_database_fails(client, settings, monkeypatch):
    settings.REDIS_URL = ""

    def broken_cursor(*args, **kwargs):
        raise connection.Database.OperationalError("database is gone")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    resp = client.get("/healthz")
    assert resp.status_code == 503
    assert resp.json()["checks"]["database"] == "error: OperationalError"


@pytest.mark.redis
@pytest.mark.django_db
def test_healthz_checks_the_real_redis(client, settings):
    settings.REDIS_URL = os.environ["REDIS_URL"]
    resp = client.get("/healthz")
    assert resp.status_code == 200
    assert resp.json()["checks"] == {"database": "ok", "redis": "ok"}


@pytest.mark.django_db(transaction=True)
def test_container_healthcheck_probe(live_server, settings):
    """python -m bianxue.healthcheck (the compose health check) against a running server."""
    settings.REDIS_URL = ""
    settings.ALLOWED_HOSTS = [".example.cn"]  # as in production: only the site's own host
    env = clean_env(HEALTHCHECK_URL=f"{live_server.url}/healthz", ALLOWED_HOSTS=".example.cn,localhost")
    ok = subprocess.run([sys.executable, "-m", "bianxue.healthcheck"], env=env, capture_output=True, text=True,
                        timeout=60)
    assert ok.returncode == 0, ok.stderr
    assert '"status": "ok"' in ok.stdout
    down = subprocess.run(
        [sys.executable, "-m", "bianxue.healthcheck"],
        env=clean_env(HEALTHCHECK_URL=f"http://127.0.0.1:{closed_port()}/healthz", HEALTHCHECK_TIMEOUT="2"),
        capture_output=True, text=True, timeout=60,
    )
    assert down.returncode == 1


# --- production security headers -------------------------------------------------------------

SECURITY_SETTINGS = [
    "SECURE_SSL_REDIRECT", "SECURE_REDIRECT_EXEMPT", "SECURE_PROXY_SSL_HEADER", "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
    "X_FRAME_OPTIONS", "SECURE_REFERRER_POLICY", "SECURE_CONTENT_TYPE_NOSNIFF", "CONTENT_SECURITY_POLICY",
]


@pytest.fixture(scope="module")
def production_security():
    """The security settings exactly as bianxue.settings.production computes them."""
    code = (
        "import json, sys, importlib; s = importlib.import_module('bianxue.settings.production'); "
        f"print(json.dumps({{n: getattr(s, n) for n in {SECURITY_SETTINGS!r}}}))"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean_env(**PROD_ENV), capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    values = json.loads(proc.stdout.strip().splitlines()[-1])
    values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


@pytest.fixture
def production_like(settings, production_security):
    for name, value in production_security.items():
        setattr(settings, name, value)
    return settings


@pytest.mark.django_db
def test_production_headers_on_https_responses(client, production_like):
    resp = client.get("/healthz", HTTP_X_FORWARDED_PROTO="https")
    assert resp.status_code == 200
    assert resp["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert resp["X-Frame-Options"] == "DENY"
    assert resp["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert resp["X-Content-Type-Options"] == "nosniff"
    csp = resp["Content-Security-Policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'self'",
                      "base-uri 'self'", "form-action 'self'"):
        assert directive in csp


def test_production_websockets_may_only_reach_the_sites_own_hosts(production_security):
    connect = production_security["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["connect-src"]
    assert connect == ["'self'", "wss://bianxue.example.cn"]


def test_production_believes_forwarded_headers_only_from_configured_proxies():
    code = ("import json, importlib; s = importlib.import_module('bianxue.settings.production'); "
            "print(json.dumps([getattr(s, 'SECURE_PROXY_SSL_HEADER', None), s.ALLAUTH_TRUSTED_PROXY_COUNT]))")
    without = {k: v for k, v in PROD_ENV.items() if k != "TRUSTED_PROXY_COUNT"}
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean_env(**without), capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == [None, 0]


def test_rate_limits_take_the_client_address_from_the_trusted_proxy_only(rf, settings):
    """A client cannot pick the address its sign-in attempts are counted under by sending X-Forwarded-For."""
    from allauth.account.adapter import get_adapter

    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    direct = rf.get("/", HTTP_X_FORWARDED_FOR="203.0.113.9", REMOTE_ADDR="198.51.100.7")
    assert get_adapter().get_client_ip(direct) == "198.51.100.7"
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    proxied = rf.get("/", HTTP_X_FORWARDED_FOR="203.0.113.9, 192.0.2.44", REMOTE_ADDR="10.0.0.2")
    assert get_adapter().get_client_ip(proxied) == "192.0.2.44"  # what our proxy appended, not the spoof


@pytest.mark.django_db
def test_production_headers_on_html_pages(client, production_like):
    resp = client.get("/no-such-page/", HTTP_X_FORWARDED_PROTO="https")
    assert resp.status_code == 404
    assert "Content-Security-Policy" in resp
    assert resp["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" in resp


@pytest.mark.django_db
def test_production_redirects_plain_http_except_healthz(client, production_like):
    resp = client.get("/accounts/login/")
    assert resp.status_code == 301
    assert resp["Location"] == "https://testserver/accounts/login/"
    # the container health check speaks plain HTTP inside the network
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_production_cookies_are_secure(client, production_like):
    resp = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
    assert resp.status_code == 200
    assert resp.cookies["csrftoken"]["secure"] is True


def test_check_deploy_passes_without_warnings():
    proc = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=clean_env(DJANGO_SETTINGS_MODULE="bianxue.settings.production", **PROD_ENV),
        capture_output=True, text=True, timeout=180,
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output and "security.W" not in output


def test_no_security_check_is_silenced(production_security):
    code = "import json, bianxue.settings.production as s; print(json.dumps(getattr(s, 'SILENCED_SYSTEM_CHECKS', [])))"
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean_env(**PROD_ENV), capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert not [c for c in json.loads(proc.stdout.splitlines()[-1]) if c.startswith("security.")]


# --- error pages ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_404_page_in_chinese_by_default(client):
    resp = client.get("/no-such-page/")
    assert resp.status_code == 404
    html = resp.content.decode()
    assert "页面不存在" in html
    assert 'href="/"' in html


@pytest.mark.django_db
def test_404_page_in_english(client):
    resp = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en")
    assert resp.status_code == 404
    assert resp["Content-Language"] == "en"
    assert "Page not found" in resp.content.decode()


@pytest.mark.django_db
def test_404_for_a_missing_app_url(client):
    resp = client.get("/learn/definitely-not-here/xyz/")
    assert resp.status_code == 404
    assert "页面不存在" in resp.content.decode()


def test_500_handler_renders_without_the_database():
    request = RequestFactory().get("/broken/")
    with pytest.MonkeyPatch.context() as mp:  # any database access would fail the test
        mp.setattr("django.db.backends.utils.CursorWrapper.execute",
                   lambda *a, **k: pytest.fail("the 500 page touched the database"))
        resp = views.server_error(request)
    assert resp.status_code == 500
    html = resp.content.decode()
    assert "服务器出错了" in html
    assert "Server error" in html


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [
    path("boom/", _boom),
    path("fine/", lambda request: HttpResponse("fine")),
]
handler500 = "bianxue.views.server_error"


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_500_page_through_the_handler(client):
    client.raise_request_exception = False
    resp = client.get("/boom/")
    assert resp.status_code == 500
    html = resp.content.decode()
    assert "服务器出错了" in html and "Server error" in html


@pytest.mark.django_db
def test_a_crash_under_the_root_urlconf_gets_the_bilingual_500_page(client, settings):
    """The root URLconf's error handlers, whatever they are, with one crashing view added in front."""
    import types

    from bianxue import urls as root

    crashing = types.ModuleType("root_with_a_crash")
    crashing.__dict__.update({k: v for k, v in vars(root).items() if k.startswith("handler")})
    crashing.urlpatterns = [path("boom/", _boom), *root.urlpatterns]
    settings.ROOT_URLCONF = crashing
    client.raise_request_exception = False
    resp = client.get("/boom/")
    assert resp.status_code == 500
    html = resp.content.decode()
    assert "服务器出错了" in html and "Server error" in html
    missing = client.get("/no-such-page-at-all/")
    assert missing.status_code == 404 and "页面不存在" in missing.content.decode()


# --- structured logging ---------------------------------------------------------------------

LOG_PROBE = r"""
import logging, django
django.setup()
log = logging.getLogger("bianxue.probe")
log.warning("学分已转换 credit converted", extra={"learner": 42})
try:
    1 / 0
except ZeroDivisionError:
    log.exception("failed")
logging.getLogger("bianxue.probe").debug("hidden at INFO")
"""


@pytest.mark.parametrize("settings_module", ["bianxue.settings.dev", "bianxue.settings.production"])
def test_logs_are_json_lines_on_stdout(settings_module):
    env = clean_env(DJANGO_SETTINGS_MODULE=settings_module, **PROD_ENV)
    proc = subprocess.run([sys.executable, "-c", LOG_PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    records = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    assert len(records) == 2
    first, second = records
    assert first["level"] == "WARNING"
    assert first["logger"] == "bianxue.probe"
    assert first["message"] == "学分已转换 credit converted"
    assert "学分已转换" in proc.stdout  # not \u-escaped: readable by the operators
    assert first["learner"] == 42
    assert "time" in first
    assert second["level"] == "ERROR"
    assert "ZeroDivisionError" in second["exc_info"]

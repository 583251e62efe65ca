"""docker-compose.yml, Dockerfile and .env.example, checked by parsing them (Docker does not run on
the development machines): every service, image, command, health check and volume, and every
environment variable the production settings read."""

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ("web", "worker", "beat")
# Read by the settings but deliberately not passed in production, with the reason.
NOT_FOR_PRODUCTION = {
    "SQLITE_PATH": "only read when DATABASE_URL is empty",
    "DEBUG": "production.py forces DEBUG = False",
}
# Read outside the settings modules (os.environ) and needed in production.
READ_ELSEWHERE = {"CREDENTIAL_SIGNING_KEY"}  # credits/credentials.py, refuses to start without it
REQUIRED = {"SECRET_KEY", "PII_HASH_KEY", "PII_ENCRYPTION_KEY", "CREDENTIAL_SIGNING_KEY", "ALLOWED_HOSTS",
            "CSRF_TRUSTED_ORIGINS", "POSTGRES_PASSWORD", "ELASTIC_PASSWORD"}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def command(service: dict) -> list[str]:
    cmd = service["command"]
    return cmd if isinstance(cmd, list) else cmd.split()


def settings_env_names() -> set[str]:
    """Every NAME in env("NAME", ...) / env_bool("NAME", ...) in bianxue/settings/*.py."""
    names = set()
    for path in (ROOT / "platform" / "bianxue" / "settings").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in {"env", "env_bool"} and node.args
                    and isinstance(node.args[0], ast.Constant)):
                names.add(node.args[0].value)
    return names


def interpolate(value: str, variables: dict[str, str]) -> str:
    """Compose's ${VAR}, ${VAR:-default}, ${VAR:?error} and $$ escapes."""

    def sub(match: re.Match) -> str:
        if match.group(0) == "$$":
            return "$"
        name, op, arg = match.group("name"), match.group("op"), match.group("arg") or ""
        current = variables.get(name, "")
        if op == ":?" and not current:
            raise KeyError(f"{name}: {arg}")
        if op == ":-" and not current:
            return arg
        return current

    return re.sub(r"\$\$|\$\{(?P<name>[A-Z_][A-Z0-9_]*)(?:(?P<op>:[?-])(?P<arg>[^}]*))?\}", sub, value)


def dotenv_example() -> dict[str, str]:
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


# --- services, images, commands -------------------------------------------------------------


def test_services(services):
    assert set(services) == {"web", "worker", "beat", "postgres", "redis", "elasticsearch", "migrate"}


def test_images(services):
    assert services["postgres"]["image"] == "postgres:16"
    assert services["redis"]["image"] == "redis:7"
    assert re.fullmatch(r"docker\.elastic\.co/elasticsearch/elasticsearch:8\.\d+\.\d+",
                        services["elasticsearch"]["image"])
    for name in (*APP_SERVICES, "migrate"):  # one image built from this repository
        assert services[name]["build"] == "."
        assert services[name]["image"] == "bianxue:latest"


def test_web_serves_asgi_with_daphne(services):
    cmd = command(services["web"])
    assert cmd[0] == "daphne"
    assert cmd[-1] == "bianxue.asgi:application"
    assert cmd[cmd.index("--bind") + 1] == "0.0.0.0"
    assert cmd[cmd.index("--port") + 1] == "8000"
    assert "--proxy-headers" in cmd  # X-Forwarded-For from the TLS proxy
    assert services["web"]["ports"] == ["${WEB_PORT:-8000}:8000"]


def test_worker_and_beat_commands(services):
    assert command(services["worker"])[:4] == ["celery", "-A", "bianxue", "worker"]
    beat = command(services["beat"])
    assert beat[:4] == ["celery", "-A", "bianxue", "beat"]
    assert "--enable-remote-control" in beat  # what its health check pings
    assert command(services["migrate"]) == ["python", "manage.py", "migrate", "--noinput"]
    assert services["migrate"]["restart"] == "no"


def test_only_web_publishes_a_port(services):
    assert [name for name, s in services.items() if s.get("ports")] == ["web"]


# --- health checks and start order ----------------------------------------------------------


def test_every_long_running_service_has_a_health_check(services):
    for name, service in services.items():
        if name == "migrate":
            assert service["healthcheck"] == {"disable": True}
            continue
        check = service["healthcheck"]
        assert check["test"][0] in {"CMD", "CMD-SHELL"}, name
        assert {"interval", "timeout", "retries"} <= set(check), name


def test_health_check_commands(services):
    web = services["web"]["healthcheck"]["test"]
    assert web == ["CMD", "python", "-m", "bianxue.healthcheck"]
    probe = (ROOT / "platform" / "bianxue" / "healthcheck.py").read_text()
    assert '"http://127.0.0.1:8000/healthz"' in probe
    assert "celery -A bianxue inspect ping --destination celery@$$HOSTNAME" in services["worker"]["healthcheck"]["test"][1]
    assert "--destination celerybeat@$$HOSTNAME" in services["beat"]["healthcheck"]["test"][1]
    assert "celerybeat@%h" in command(services["beat"])
    assert "pg_isready -U bianxue -d bianxue" in services["postgres"]["healthcheck"]["test"][1]
    assert services["redis"]["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]
    es = services["elasticsearch"]["healthcheck"]["test"][1]
    assert "_cluster/health?wait_for_status=yellow" in es and "elastic:$$ELASTIC_PASSWORD" in es


def test_start_order_waits_for_healthy_services_and_migrations(services):
    for name in APP_SERVICES:
        depends = services[name]["depends_on"]
        assert depends["migrate"] == {"condition": "service_completed_successfully"}, name
        for backing in ("postgres", "redis", "elasticsearch"):
            assert depends[backing] == {"condition": "service_healthy"}, (name, backing)
    assert services["migrate"]["depends_on"] == {
        "postgres": {"condition": "service_healthy"}, "redis": {"condition": "service_healthy"},
    }


# --- elasticsearch ---------------------------------------------------------------------------


def test_elasticsearch_single_node_with_explicit_security(services):
    env = services["elasticsearch"]["environment"]
    assert env["discovery.type"] == "single-node"
    assert env["xpack.security.enabled"] == "true"
    assert env["xpack.security.http.ssl.enabled"] == "false"
    assert env["ELASTIC_PASSWORD"].startswith("${ELASTIC_PASSWORD:?")
    assert re.search(r"-Xms\d+[mg] -Xmx\d+[mg]", env["ES_JAVA_OPTS"])
    assert "9200" not in json.dumps(services["elasticsearch"].get("ports", []))


# --- volumes --------------------------------------------------------------------------------


def test_volumes(compose, services):
    declared = set(compose["volumes"])
    assert declared == {"postgres", "redis", "elasticsearch", "media", "beat"}
    assert "postgres:/var/lib/postgresql/data" in services["postgres"]["volumes"]
    assert "redis:/data" in services["redis"]["volumes"]
    assert "elasticsearch:/usr/share/elasticsearch/data" in services["elasticsearch"]["volumes"]
    for name in APP_SERVICES:
        assert "media:/app/var/media" in services[name]["volumes"]
    assert "beat:/app/var/beat" in services["beat"]["volumes"]
    used = {v.split(":")[0] for s in services.values() for v in s.get("volumes", [])}
    assert used == declared
    assert "--appendonly" in command(services["redis"])


# --- environment ----------------------------------------------------------------------------


def test_the_scan_finds_the_settings_variables():
    names = settings_env_names()
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ELASTICSEARCH_URL", "ALLOWED_HOSTS"} <= names


@pytest.mark.parametrize("name", APP_SERVICES)
def test_every_variable_the_settings_read_is_provided(services, name):
    env = services[name]["environment"]
    assert env["DJANGO_SETTINGS_MODULE"] == "bianxue.settings.production"
    needed = (settings_env_names() - set(NOT_FOR_PRODUCTION)) | READ_ELSEWHERE
    missing = sorted(needed - set(env))
    assert not missing, f"{name} lacks {missing}"
    for var in NOT_FOR_PRODUCTION:
        assert var not in env


@pytest.mark.parametrize("name", APP_SERVICES)
def test_secrets_are_required_and_come_from_dotenv(services, name):
    env = services[name]["environment"]
    for var in REQUIRED - {"POSTGRES_PASSWORD", "ELASTIC_PASSWORD"}:
        assert env[var] == f"${{{var}:?set {var} in .env}}", var
    assert env["DATABASE_URL"] == "postgres://bianxue:${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}@postgres:5432/bianxue"
    assert env["REDIS_URL"] == "redis://redis:6379/0"
    assert env["ELASTICSEARCH_URL"].startswith("http://elastic:${ELASTIC_PASSWORD:?")
    assert env["ELASTICSEARCH_URL"].endswith("@elasticsearch:9200")


def test_env_example_lists_every_variable_compose_interpolates():
    text = (ROOT / "docker-compose.yml").read_text()
    used = set(re.findall(r"\$\{([A-Z_][A-Z0-9_]*)", text))
    example = (ROOT / ".env.example").read_text()
    documented = set(re.findall(r"^#?\s*([A-Z_][A-Z0-9_]*)=", example, re.M))
    assert used - documented == set()
    assert REQUIRED <= set(dotenv_example())  # present, to be filled in
    assert ".env" in (ROOT / ".gitignore").read_text().split()


def test_compose_refuses_to_start_without_the_secrets(services):
    env = services["web"]["environment"]
    with pytest.raises(KeyError, match="SECRET_KEY"):
        interpolate(env["SECRET_KEY"], {})


def test_production_settings_load_with_the_compose_environment(services):
    """Resolve web's environment as compose would (with generated secrets) and import the settings."""
    from cryptography.fernet import Fernet

    dotenv = {
        **dotenv_example(),
        "SECRET_KEY": "k" + os.urandom(40).hex(),
        "PII_HASH_KEY": os.urandom(24).hex(),
        "PII_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "CREDENTIAL_SIGNING_KEY": "c2VjcmV0",
        "POSTGRES_PASSWORD": "pg-secret",
        "ELASTIC_PASSWORD": "es-secret",
    }
    resolved = {k: interpolate(str(v), dotenv) for k, v in services["web"]["environment"].items()}
    probe = (
        "import json, bianxue.settings.production as s; print(json.dumps({"
        "'db': [s.DATABASES['default'][k] for k in ('ENGINE', 'HOST', 'NAME', 'USER', 'PASSWORD')],"
        "'broker': s.CELERY_BROKER_URL, 'layer': s.CHANNEL_LAYERS['default']['BACKEND'],"
        "'cache': s.CACHES['default']['BACKEND'], 'search': s.WAGTAILSEARCH_BACKENDS['default']['BACKEND'],"
        "'hosts': s.ALLOWED_HOSTS, 'csrf': s.CSRF_TRUSTED_ORIGINS, 'media': str(s.MEDIA_ROOT)}))"
    )
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": "/tmp", **resolved}
    proc = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    s = json.loads(proc.stdout.splitlines()[-1])
    assert s["db"] == ["django.db.backends.postgresql", "postgres", "bianxue", "bianxue", "pg-secret"]
    assert s["broker"] == "redis://redis:6379/0"
    assert s["layer"] == "channels_redis.core.RedisChannelLayer"
    assert s["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert s["search"] == "wagtail.search.backends.elasticsearch8"
    assert s["hosts"] == ["bianxue.example.cn"]
    assert s["csrf"] == ["https://bianxue.example.cn"]
    assert s["media"] == "/app/var/media"


# --- Dockerfile -----------------------------------------------------------------------------


def test_dockerfile():
    text = (ROOT / "Dockerfile").read_text()
    stages = re.findall(r"^FROM (\S+)", text, re.M)
    assert stages and all(image == "python:3.11-slim" for image in stages)
    assert "pip install -r requirements.lock" in text
    assert "pip install --no-deps -e ." in text
    assert "manage.py compilemessages" in text
    assert "manage.py collectstatic --noinput" in text
    assert "DJANGO_SETTINGS_MODULE=bianxue.settings.production" in text
    assert re.search(r"^USER bianxue$", text, re.M)  # not root
    assert 'CMD ["daphne"' in text and "bianxue.asgi:application" in text
    assert 'HEALTHCHECK' in text and "bianxue.healthcheck" in text


def test_dockerignore_keeps_secrets_and_local_state_out():
    ignored = (ROOT / ".dockerignore").read_text().split()
    for entry in (".env", ".git", ".venv", "var"):
        assert entry in ignored

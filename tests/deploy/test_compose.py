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
            "CSRF_TRUSTED_ORIGINS", "POSTGRES_PASSWORD", "APP_DB_PASSWORD", "ELASTIC_PASSWORD"}
APP_DATABASE_URL = "postgres://bianxue_app:${APP_DB_PASSWORD:?set APP_DB_PASSWORD in .env}@postgres:5432/bianxue"
OWNER_DATABASE_URL = "postgres://bianxue:${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}@postgres:5432/bianxue"


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


# --- services, commands and health checks, checked against each other -------------------------


def test_the_app_services_run_one_image_built_from_this_repository(services):
    builds = {name: (services[name].get("build"), services[name].get("image")) for name in (*APP_SERVICES, "migrate")}
    assert len(set(builds.values())) == 1, builds
    assert next(iter(builds.values()))[0] == "."


def test_only_web_and_public_media_publish_a_port_on_the_loopback(services):
    assert sorted(name for name, s in services.items() if s.get("ports")) == ["media", "web"]
    for name in ("media", "web"):
        assert all(port.startswith("127.0.0.1:") for port in services[name]["ports"]), name


def test_public_media_serves_images_only_read_only_and_never_private_files(services):
    media = services["media"]
    assert "media:/srv/media:ro" in media["volumes"]
    assert not any(v.startswith("private:") for v in media["volumes"])
    conf = (ROOT / "deploy" / "nginx-media.conf").read_text()
    served = re.findall(r"location (/media/\S*) \{", conf)
    assert served == ["/media/images/", "/media/original_images/"]  # not /media/documents/: Wagtail checks those
    assert re.search(r"location / \{ return 404; \}", conf)


def test_web_is_reached_only_through_the_proxy_and_trusts_no_forwarded_header_itself(services, compose):
    assert services["web"]["ports"] == ["127.0.0.1:${WEB_PORT:-8000}:8000"]
    assert "--proxy-headers" not in command(services["web"])
    assert "--proxy-headers" not in (ROOT / "Dockerfile").read_text()
    assert compose["x-app-environment"]["TRUSTED_PROXY_COUNT"] == "${TRUSTED_PROXY_COUNT:-1}"


def test_the_web_health_check_probes_the_port_web_serves(services):
    cmd = command(services["web"])
    port = cmd[cmd.index("--port") + 1]
    published = services["web"]["ports"][0].rsplit(":", 1)[1]
    probe = (ROOT / "platform" / "bianxue" / "healthcheck.py").read_text()
    assert f"127.0.0.1:{port}/healthz" in probe and published == port
    assert services["web"]["healthcheck"]["test"][1:] == ["python", "-m", "bianxue.healthcheck"]


def test_celery_health_checks_ping_the_node_names_the_commands_give(services):
    beat = " ".join(command(services["beat"]))
    node = re.search(r"(?:-n|--hostname) (\S+)@%h", beat)
    assert node, "beat runs under a node name of its own (so its health check can address it)"
    assert f"--destination {node.group(1)}@$$HOSTNAME" in services["beat"]["healthcheck"]["test"][1]
    worker = " ".join(command(services["worker"]))
    assert "-n " not in worker and "--hostname" not in worker  # celery's default node name: celery@%h
    assert "--destination celery@$$HOSTNAME" in services["worker"]["healthcheck"]["test"][1]


def test_every_long_running_service_has_a_health_check(services):
    for name, service in services.items():
        if name == "migrate":
            assert service["healthcheck"] == {"disable": True}
            continue
        check = service["healthcheck"]
        assert check["test"][0] in {"CMD", "CMD-SHELL"}, name
        assert {"interval", "timeout", "retries"} <= set(check), name


def test_app_services_start_after_migrations_and_healthy_backing_services(services):
    for name in (*APP_SERVICES, "migrate"):
        for target, condition in services[name]["depends_on"].items():
            if target == "migrate":
                assert condition == {"condition": "service_completed_successfully"}, name
            else:  # waiting for "healthy" needs a health check there
                assert condition == {"condition": "service_healthy"}, (name, target)
                assert "test" in services[target]["healthcheck"], target
    for name in APP_SERVICES:
        assert {"migrate", "postgres", "redis", "elasticsearch"} <= set(services[name]["depends_on"]), name


def test_connection_urls_name_the_services_and_their_credentials(services):
    env, pg = services["web"]["environment"], services["postgres"]["environment"]
    owner = re.fullmatch(r"postgres://(\w+):(.+)@(\w+):5432/(\w+)", services["migrate"]["environment"]["DATABASE_URL"])
    assert owner and owner.group(3) in services
    assert (owner.group(1), owner.group(2), owner.group(4)) == (pg["POSTGRES_USER"], pg["POSTGRES_PASSWORD"],
                                                                pg["POSTGRES_DB"])
    db = re.fullmatch(r"postgres://(\w+):(.+)@(\w+):5432/(\w+)", env["DATABASE_URL"])
    assert db and (db.group(3), db.group(4)) == (owner.group(3), owner.group(4))
    assert db.group(1) != pg["POSTGRES_USER"]  # the application's role, not the owner
    assert re.fullmatch(r"redis://(\w+):6379/\d+", env["REDIS_URL"]).group(1) in services
    es = re.fullmatch(r"http://elastic:(.+)@(\w+):9200", env["ELASTICSEARCH_URL"])
    assert es and es.group(2) in services
    assert es.group(1) == services["elasticsearch"]["environment"]["ELASTIC_PASSWORD"]
    assert services["elasticsearch"]["environment"]["xpack.security.enabled"] == "true"  # the password is needed


def test_volumes_are_declared_and_used(compose, services):
    declared = set(compose["volumes"])
    used = {v.split(":")[0] for s in services.values() for v in s.get("volumes", [])}
    bind_mounts = {v for v in used if v.startswith("./")}  # configuration files from this repository
    assert all((ROOT / v).is_file() for v in bind_mounts), bind_mounts
    assert used - bind_mounts == declared
    media = {v for name in APP_SERVICES for v in services[name]["volumes"] if v.startswith("media:")}
    assert len(media) == 1, "web, worker and beat share one media volume"


def test_private_files_are_on_their_own_volume_shared_by_the_app_services(compose, services):
    """Import uploads (written by web, read by worker) and evidence must survive a redeploy and never sit
    under MEDIA_ROOT."""
    for name in APP_SERVICES:
        assert "private:/app/var/private" in services[name]["volumes"], name
        assert services[name]["environment"]["PRIVATE_MEDIA_ROOT"] == "/app/var/private"
        assert not services[name]["environment"]["PRIVATE_MEDIA_ROOT"].startswith(
            services[name]["environment"]["MEDIA_ROOT"])
    assert "private" in compose["volumes"]


# --- the database roles: the owner migrates, the application connects as a role that only appends to the ledger


def test_the_migrate_service_migrates_as_the_owner_then_grants_the_application_role(services):
    migrate = services["migrate"]
    env = migrate["environment"]
    assert env["DATABASE_URL"] == OWNER_DATABASE_URL
    assert env["DJANGO_SETTINGS_MODULE"] == "bianxue.settings.production"
    cmd = command(migrate)
    assert cmd[:2] == ["sh", "-ec"]  # -e: a failed migrate stops before the grants, and fails the service
    steps = [line.split() for line in cmd[2].splitlines() if line.strip()]
    assert steps[0] == ["django-admin", "migrate", "--noinput"]
    role_step = steps[1]
    assert role_step[:2] == ["django-admin", "db_app_role"]
    role = role_step[role_step.index("--role") + 1]
    password_env = role_step[role_step.index("--password-env") + 1]
    assert env[password_env] == f"${{{password_env}:?set {password_env} in .env}}"
    app_user = re.fullmatch(r"postgres://(\w+):\$\{(\w+):.*", services["web"]["environment"]["DATABASE_URL"])
    assert (app_user.group(1), app_user.group(2)) == (role, password_env)  # the role web connects as, same password
    assert (ROOT / "credits" / "management" / "commands" / "db_app_role.py").exists()


@pytest.mark.parametrize("name", APP_SERVICES)
def test_the_application_services_never_get_the_owners_password(services, name):
    env = services[name]["environment"]
    assert env["DATABASE_URL"] == APP_DATABASE_URL
    assert not any("POSTGRES_PASSWORD" in str(value) for value in env.values())
    assert "APP_DB_PASSWORD" not in env  # only inside their DATABASE_URL


# --- environment ----------------------------------------------------------------------------


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
    for var in REQUIRED - {"POSTGRES_PASSWORD", "APP_DB_PASSWORD", "ELASTIC_PASSWORD"}:
        assert env[var] == f"${{{var}:?set {var} in .env}}", var
    assert env["DATABASE_URL"] == APP_DATABASE_URL
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
        "APP_DB_PASSWORD": "app-secret",
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
    assert s["db"] == ["django.db.backends.postgresql", "postgres", "bianxue", "bianxue_app", "app-secret"]
    assert s["broker"] == "redis://redis:6379/0"
    assert s["layer"] == "channels_redis.core.RedisChannelLayer"
    assert s["cache"] == "bianxue.cache.ResilientRedisCache"
    assert s["search"] == "wagtail.search.backends.elasticsearch8"
    assert s["hosts"] == ["bianxue.example.cn"]
    assert s["csrf"] == ["https://bianxue.example.cn"]
    assert s["media"] == "/app/var/media"


# --- Dockerfile -----------------------------------------------------------------------------


def test_the_dockerfile_runs_modules_that_exist_as_a_user_that_is_not_root():
    import importlib.util

    text = (ROOT / "Dockerfile").read_text()
    cmd = json.loads(re.search(r"^CMD (\[.*\])$", text, re.M).group(1))
    assert cmd == command({"command": cmd}) and cmd[-1].endswith(":application")
    assert importlib.util.find_spec(cmd[-1].split(":")[0]) is not None
    health = json.loads(re.search(r"^HEALTHCHECK .* CMD (\[.*\])$", text, re.M).group(1))
    assert importlib.util.find_spec(health[health.index("-m") + 1]) is not None
    users = re.findall(r"^USER (\S+)$", text, re.M)
    assert users and users[-1] not in {"root", "0"}


def test_dockerignore_keeps_secrets_and_local_state_out():
    ignored = (ROOT / ".dockerignore").read_text().split()
    for entry in (".env", ".git", ".venv", "var"):
        assert entry in ignored

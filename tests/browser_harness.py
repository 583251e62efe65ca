"""Browser test harness: the platform on a live ASGI server (HTTP + websockets) driven by Debian's Chromium.

Registered from tests/conftest.py (``pytest_plugins = ["tests.browser_harness"]``). Fixtures:

``live_server_url``     "http://127.0.0.1:<port>" of a daphne process serving ``bianxue.asgi`` (HTTP and
                        websockets, static files through the finders) against the *test* database. Using it
                        makes the test transactional with serialized rollback: data you create in the test is
                        committed so the server process sees it, and the migration data (Wagtail home page,
                        Site, Locale) is restored before every test.
``live_server_ws_url``  the same server as "ws://127.0.0.1:<port>".
``browser``             session-wide Playwright Chromium from /usr/bin/chromium (never a downloaded browser).
``page``                a fresh browser context + page per test, base_url = live_server_url; a full-page
                        screenshot lands in test-artifacts/ when the test fails.
``elder_page``          the same with the 长辈版 cookie (bx_elder=1) already set.
``js_off_page``         the same with JavaScript disabled.
``new_page``            factory: ``new_page(elder=False, javascript=True, viewport=(1280, 900), cookies=None)``.
``login``               ``login(page, user)`` signs ``user`` in by a session cookie (fast, skips MFA stage);
                        ``login(page, user, via_form=True, password=...)`` types into the allauth form.
``axe_check``           ``axe_check(page)`` injects axe-core (served locally from /static/frontend/vendor/)
                        and returns the serious/critical WCAG 2.1 A/AA violations as a list of dicts.
``screenshot``          ``screenshot(page, "name")`` saves test-artifacts/screenshots/name.png.

Server-side settings overrides (the ``settings`` fixture) do not reach the server process; mail sent by
the server stays in the server process. Do not put a ``django_db`` marker on browser tests: the fixtures
choose the database mode themselves. Mark them ``@pytest.mark.browser``.

SQLite: an in-memory database cannot be shared with another process, so when the selected tests use the
live server the SQLite *test* database is a file (var/test-live-<pid>[-gwN].sqlite3, removed at the end). PostgreSQL
(DATABASE_URL) works as is.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
INSTALL_HINT = "apt-get install -y chromium fonts-noto-cjk"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_STATIC = "frontend/vendor/axe.min.js"
AXE_FILES = [
    REPO / "frontend" / "design" / "static" / AXE_STATIC,
    REPO / "frontend" / "design" / "node_modules" / "axe-core" / "axe.min.js",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ELDER_COOKIE = "bx_elder"
DEFAULT_PASSWORD = "pass-word-123"  # tests/factories.py UserFactory


def _missing(reason: str) -> None:
    """Fail in CI (CI=true), skip locally."""
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


def _uses_live_server(items) -> bool:
    return any("live_server_url" in getattr(item, "fixturenames", ()) for item in items)


# --- reports for screenshots on failure --------------------------------------------------------
@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"_bx_rep_{report.when}", report)


def _failed(request) -> bool:
    node = request.node
    return any(getattr(getattr(node, f"_bx_rep_{when}", None), "failed", False) for when in ("setup", "call"))


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_")[:150]


# --- database: a file for SQLite so that the server process can share it ----------------------
@pytest.fixture(scope="session")
def django_db_modify_db_settings(request, django_db_modify_db_settings_parallel_suffix) -> None:
    """Overrides pytest-django's fixture: SQLite test DB on disk when a live server is used."""
    from django.conf import settings

    if not _uses_live_server(request.session.items):
        return
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.sqlite3":
        return
    test = db.setdefault("TEST", {})
    if test.get("NAME"):
        return
    # One file per test run (several people and CI jobs may share the checkout); Django deletes it at the end.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    name = REPO / "var" / f"test-live-{os.getpid()}{'-' + worker if worker else ''}.sqlite3"
    name.parent.mkdir(parents=True, exist_ok=True)
    test["NAME"] = str(name)


# --- the live server ------------------------------------------------------------------------
def _make_application():
    """Runs in the server process. Static files are served the way production serves them (WhiteNoise, which
    answers Range requests, so that media can seek), but from the app folders (finders): no collectstatic."""
    from channels.routing import ProtocolTypeRouter
    from django.conf import settings
    from django.core.handlers.asgi import ASGIHandler

    from tests.websocket_probe import probe_application

    settings.WHITENOISE_USE_FINDERS = True
    application = probe_application()  # the project's routes plus the test-only probe consumer
    # bianxue.asgi may have been imported (and its middleware built) in the test process before the fork:
    # build the HTTP handler afresh so that WhiteNoise reads the setting above.
    return ProtocolTypeRouter({**application.application_mapping, "http": ASGIHandler()})


class _ServerSetup:
    """Runs in the forked server process before it serves: database access on, output to a log file."""

    def __init__(self, blocker, log_path: Path):
        self.blocker = blocker
        self.log_path = log_path

    def __call__(self):
        import logging

        log = open(self.log_path, "ab", buffering=0)  # lives as long as the process
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
        # pytest's output capture replaced sys.stdout/sys.stderr (inherited by the fork): without this the
        # server's log lines would land in the captured output of whichever test happens to be running.
        old = {id(sys.stdout), id(sys.stderr)}
        sys.stdout = open(1, "w", encoding="utf-8", buffering=1, closefd=False)
        sys.stderr = open(2, "w", encoding="utf-8", buffering=1, closefd=False)
        for logger in [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]:
            for handler in getattr(logger, "handlers", ()):
                if isinstance(handler, logging.StreamHandler) and id(handler.stream) in old:
                    handler.setStream(sys.stdout)
        self.blocker.unblock()


@pytest.fixture(scope="session")
def _live_server(request, django_db_setup, django_db_blocker) -> Iterator[str]:
    from daphne.testing import DaphneProcess
    from django.db import connections

    for connection in connections.all():
        if connection.vendor == "sqlite" and connection.is_in_memory_db():
            pytest.fail(
                "The live server needs a file or PostgreSQL test database; "
                "tests.browser_harness sets one up unless DATABASES['default']['TEST']['NAME'] is in-memory.",
                pytrace=False,
            )
    serialized = _serialized_contents()
    ARTIFACTS.mkdir(exist_ok=True)
    # The server process is forked: it must not inherit open database connections.
    connections.close_all()
    process = DaphneProcess("127.0.0.1", _make_application, setup=_ServerSetup(
        django_db_blocker, ARTIFACTS / "live-server.log"))
    process.daemon = True
    process.start()
    while not process.ready.wait(timeout=1):
        if not process.is_alive():
            detail = "" if process.errors.empty() else process.errors.get(False)[1]
            pytest.fail(f"the live server did not start\n{detail}", pytrace=False)
    url = f"http://127.0.0.1:{process.port.value}"
    yield url
    process.terminate()
    process.join(10)
    if request.config.getoption("reuse_db", False):
        # The database is kept for the next run, which serializes it as it finds it: leave it as migrated,
        # not emptied by the last test's flush (or that run would have no home page, Site, Locale...).
        with django_db_blocker.unblock():
            for alias, contents in serialized.items():
                _prepare_restore(alias, contents)
                connections[alias].creation.deserialize_db_from_string(contents)


_SERIALIZED: dict[str, tuple[list[tuple[int, str, str]], set[str]]] = {}


def _serialized_summary(alias: str, serialized: str) -> tuple[list[tuple[int, str, str]], set[str]]:
    """(content types as (pk, app_label, model), labels of the serialized models), parsed once per alias."""
    if alias not in _SERIALIZED:
        objects = json.loads(serialized)
        _SERIALIZED[alias] = (
            [(obj["pk"], obj["fields"]["app_label"], obj["fields"]["model"])
             for obj in objects if obj["model"] == "contenttypes.contenttype"],
            {obj["model"] for obj in objects},
        )
    return _SERIALIZED[alias]


@pytest.fixture(autouse=True)
def _live_server_db_restorable(request) -> None:
    """Before a live-server test: put the database where its serialized rollback can restore the migration data.

    Serialized rollback (Django's TransactionTestCase) re-creates the rows serialized when the test database was
    created, keeping their primary keys, and its teardown empties the database without firing post_migrate. Two
    things broke that restore on PostgreSQL in the full suite (IntegrityError on django_content_type
    (app_label, model)), and can break it on SQLite too:

    1. The database was not empty. A plain transactional test (``transaction=True``, Django's ``live_server``)
       that ran before ends with a flush that fires post_migrate, which re-creates content types and
       permissions under new primary keys (PostgreSQL does not reset sequences on flush). The restore then
       inserts the original rows next to them. Fix: unless the database is already empty, empty it here
       (flush without post_migrate), as a serialized-rollback teardown would have.
    2. Restoring creates content types itself. Deserializing a Wagtail page subclass (e.g. HomePage) calls
       Page.__init__, which calls ContentType.objects.get_for_model(); on a miss in the in-process content type
       cache (stale or cleared by that post_migrate) it INSERTs a content type under a new key before the
       serialized content types are loaded. Fix: insert the serialized content types first, with their keys,
       and clear the cache, so that lookups during the restore find them (the restore then updates them).

    Autouse so that it runs before pytest-django's database fixture whatever order the test requests fixtures in.
    Also for tests that use ``restored_db`` (the same database mode, without a server).
    """
    if "live_server_url" not in request.fixturenames and "restored_db" not in request.fixturenames:
        return
    request.getfixturevalue("django_db_setup")
    with request.getfixturevalue("django_db_blocker").unblock():
        for alias, serialized in _serialized_contents().items():
            _prepare_restore(alias, serialized)


def _serialized_contents() -> dict[str, str]:
    """The migration data serialized at test database creation, per alias restored by serialized rollback."""
    from django.db import connections

    found = {}
    for alias in connections:
        serialized = getattr(connections[alias], "_test_serialized_contents", None)
        if serialized is None:
            continue
        if "wagtailcore.site" not in _serialized_summary(alias, serialized)[1]:
            pytest.fail(f"The test database {alias!r} had no migration data (Wagtail Site) when this run started: "
                        "a --reuse-db database emptied by an earlier run's last flush? Run once with --create-db.",
                        pytrace=False)
        found[alias] = serialized
    return found


def _prepare_restore(alias: str, serialized: str) -> None:
    """Empty the database unless it is empty; insert the serialized content types; clear their cache."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command

    if ContentType.objects.using(alias).exists():
        call_command("flush", database=alias, interactive=False, inhibit_post_migrate=True,
                     reset_sequences=False, verbosity=0)
    ContentType.objects.using(alias).bulk_create(
        [ContentType(pk=pk, app_label=app_label, model=model)
         for pk, app_label, model in _serialized_summary(alias, serialized)[0]])
    ContentType.objects.clear_cache()


@pytest.fixture
def live_server_url(_live_server, transactional_db, django_db_serialized_rollback) -> str:
    """URL of the live ASGI server; the test runs transactionally so the server sees its data."""
    return _live_server


@pytest.fixture
def restored_db(transactional_db, django_db_serialized_rollback) -> None:
    """A transactional test whose database holds the migration data (Wagtail's home page, Site, Locale, the
    permissions) whatever ran before: serialized rollback, prepared as for the live server. Use it instead of a
    ``django_db`` marker, e.g. for tests where another thread (a Celery worker, racing requests) must see
    committed data."""


@pytest.fixture
def live_server_ws_url(live_server_url) -> str:
    return "ws" + live_server_url.removeprefix("http")


# --- Chromium through Playwright --------------------------------------------------------------
@pytest.fixture(scope="session")
def _playwright(_live_server) -> Iterator[object]:
    # Depends on the server so that the server process is forked before Playwright starts.
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright (Python) is not installed: run `make install`")
    if not os.access(CHROMIUM, os.X_OK):
        _missing(f"Headless Chromium is missing at {CHROMIUM}. Install it with: {INSTALL_HINT}")
    from django.db import connections

    # Django keeps database connections per thread, but per asyncio context once an event loop runs in
    # the thread, and Playwright's sync API runs one here. The connection objects the tests use from now
    # on are therefore new ones: give them the serialized migration data (for serialized rollback).
    # The ORM also refuses to run while an event loop runs in the thread unless told that it is safe
    # (it is: the loop is idle between Playwright calls); set for as long as Playwright runs.
    stash = {alias: getattr(connections[alias], "_test_serialized_contents", None) for alias in connections}
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    manager = sync_playwright().start()
    for alias, contents in stash.items():
        if contents is not None and not hasattr(connections[alias], "_test_serialized_contents"):
            connections[alias]._test_serialized_contents = contents
    yield manager
    manager.stop()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(_playwright):
    """Chromium launched headless from /usr/bin/chromium with a fresh temporary profile."""
    browser = _playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def _async_unsafe_ok(monkeypatch):
    # Playwright's sync API keeps an event loop in this thread; Django's ORM refuses to run
    # while one is running unless told it is safe (it is: the loop is idle between calls).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def new_page(request, browser, live_server_url, _async_unsafe_ok) -> Iterator[Callable]:
    """Factory for pages in fresh contexts; every page is screenshotted if the test fails."""
    contexts = []

    def make(*, elder: bool = False, javascript: bool = True, viewport: tuple[int, int] = (1280, 900),
             cookies: list[dict] | None = None, locale: str = "zh-CN"):
        context = browser.new_context(
            base_url=live_server_url,
            java_script_enabled=javascript,
            viewport={"width": viewport[0], "height": viewport[1]},
            locale=locale,
        )
        context.set_default_timeout(15_000)
        extra = list(cookies or [])
        if elder:
            extra.append({"name": ELDER_COOKIE, "value": "1"})
        if extra:
            context.add_cookies([{"url": live_server_url, **c} for c in extra])
        contexts.append(context)
        return context.new_page()

    yield make

    failed = _failed(request)
    for i, context in enumerate(contexts):
        if failed:
            ARTIFACTS.mkdir(exist_ok=True)
            for j, pg in enumerate(context.pages):
                try:
                    pg.screenshot(path=str(ARTIFACTS / f"{_slug(request.node.nodeid)}-{i}-{j}.png"), full_page=True)
                except Exception as exc:  # a failed screenshot must not hide the test failure
                    sys.stderr.write(f"screenshot failed: {exc}\n")
        context.close()


@pytest.fixture
def page(new_page):
    """A page in a fresh context at 1280x900, normal mode."""
    return new_page()


@pytest.fixture
def elder_page(new_page):
    """A page in a fresh context with the 长辈版 cookie set."""
    return new_page(elder=True)


@pytest.fixture
def js_off_page(new_page):
    """A page in a fresh context with JavaScript disabled."""
    return new_page(javascript=False)


# --- helpers ----------------------------------------------------------------------------------
def login_page(page, user, *, base_url: str, via_form: bool = False, password: str = DEFAULT_PASSWORD,
               next_url: str = "/"):
    """Sign ``user`` in for ``page``'s context. Returns the page (on ``next_url`` when via_form)."""
    if via_form:
        page.goto(f"/accounts/login/?next={next_url}")
        page.fill("input[name=login]", user.email)
        page.fill("input[name=password]", password)
        page.locator("form:has(input[name=password]) [type=submit]").first.click()
        page.wait_for_load_state()
        return page
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base_url}])
    return page


@pytest.fixture
def login(live_server_url) -> Callable:
    """``login(page, user, via_form=False, password="pass-word-123")``."""

    def do_login(page, user, **kwargs):
        return login_page(page, user, base_url=live_server_url, **kwargs)

    return do_login


def axe_violations(page, *, impacts: tuple[str, ...] = ("serious", "critical"), tags=None,
                   disable: tuple[str, ...] = ()) -> list[dict]:
    """Inject axe-core into ``page`` and return the violations of the given impacts."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        from django.conf import settings

        static = AXE_FILES[0]
        if static.exists():
            page.add_script_tag(url=f"{settings.STATIC_URL}{AXE_STATIC}")
        elif AXE_FILES[1].exists():  # evaluated through the DevTools protocol: not subject to the CSP
            page.evaluate(AXE_FILES[1].read_text(encoding="utf-8"))
        else:
            _missing("axe-core is not built: run `make assets` (npm ci + frontend/design/build_assets.py)")
    options = {"runOnly": {"type": "tag", "values": list(tags or AXE_TAGS)}, "resultTypes": ["violations"]}
    if disable:
        options["rules"] = {rule: {"enabled": False} for rule in disable}
    result = page.evaluate("async (options) => await window.axe.run(document, options)", options)
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [{"target": n["target"], "summary": n.get("failureSummary", "")} for n in v["nodes"][:10]],
        }
        for v in result["violations"]
        if v.get("impact") in impacts
    ]


def format_violations(violations: list[dict]) -> str:
    return json.dumps(violations, ensure_ascii=False, indent=1)


@pytest.fixture
def axe_check(live_server_url) -> Callable:
    """``axe_check(page)`` -> list of serious/critical WCAG 2.1 A/AA violations (empty when clean)."""
    return axe_violations


@pytest.fixture
def screenshot() -> Callable:
    def take(page, name: str, *, full_page: bool = True) -> Path:
        folder = ARTIFACTS / "screenshots"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{_slug(name)}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take


# --- measurements used by the elder-mode tests -------------------------------------------------
SMALL_TARGETS_JS = """
(minimum) => {
  const visible = (el) => {
    const s = getComputedStyle(el);
    if (s.visibility === 'hidden' || s.display === 'none') return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const out = [];
  for (const el of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]')) {
    if (!visible(el)) continue;
    if (el.closest('.skip-link')) continue;
    const r = el.getBoundingClientRect();
    let w = r.width, h = r.height;
    if (el.matches('input[type=checkbox], input[type=radio]')) {
      const label = el.closest('label') || (el.id && document.querySelector(`label[for="${el.id}"]`));
      if (label) { const lr = label.getBoundingClientRect(); w = Math.max(w, lr.width); h = Math.max(h, lr.height); }
    }
    if (w + 0.5 < minimum || h + 0.5 < minimum) {
      out.push({tag: el.tagName.toLowerCase(), text: (el.innerText || el.value || el.name || '').trim().slice(0, 40),
                width: Math.round(w), height: Math.round(h)});
    }
  }
  return out;
}
"""


def small_targets(page, minimum: int = 60) -> list[dict]:
    """Visible links, buttons and form controls smaller than ``minimum`` CSS px in either direction."""
    return page.evaluate(SMALL_TARGETS_JS, minimum)


# The compact elder-mode header (brand and one menu button) may take at most this much of a phone's first screen.
HEADER_BUDGET = 190

FIRST_SCREEN_JS = """
(selectors) => {
  const top = (el) => el.getBoundingClientRect().top + window.scrollY;
  const main = top(document.querySelector('main'));
  const header = document.querySelector('header').getBoundingClientRect().height;
  return {height: window.innerHeight, header, items: selectors.map((s) => {
    const el = document.querySelector(s);
    if (!el) return {selector: s, missing: true};
    const r = el.getBoundingClientRect();
    return {selector: s, bottom: r.bottom + window.scrollY, below_main: r.bottom + window.scrollY - main};
  })};
}
"""


def off_first_screen(page, selectors: list[str], *, header_budget: int = HEADER_BUDGET) -> list[dict]:
    """The elements (first match of each selector) not wholly on the first screen (the viewport's height, page
    not scrolled). The page's own content must fit below a header of ``header_budget`` px; when the header is
    within that budget the real first screen is checked too."""
    page.evaluate("window.scrollTo(0, 0)")
    info = page.evaluate(FIRST_SCREEN_JS, selectors)
    height = info["height"]
    problems = []
    for item in info["items"]:
        if item.get("missing"):
            problems.append(item)
        elif item["below_main"] > height - header_budget or (
                info["header"] <= header_budget and item["bottom"] > height):
            problems.append({**item, "header": info["header"], "screen": height})
    return problems

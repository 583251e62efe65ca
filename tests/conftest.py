"""Shared fixtures. Tests that need a real service are marked; locally they skip without it,
in CI (CI=true) a missing service fails the run instead of skipping."""

import os

import pytest

pytest_plugins = ["tests.browser_harness"]


def _service_missing(marker: str) -> str | None:
    if marker == "redis" and not os.environ.get("REDIS_URL"):
        return "REDIS_URL is not set"
    if marker == "postgres" and not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return "DATABASE_URL does not point at PostgreSQL"
    return None


def pytest_runtest_setup(item):
    for marker in ("redis", "postgres"):
        if item.get_closest_marker(marker):
            missing = _service_missing(marker)
            if missing:
                if os.environ.get("CI"):
                    pytest.fail(f"CI requires this service: {missing}")
                pytest.skip(missing)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def districts(db):
    from bianxue.institutions import demo
    from bianxue.institutions.services import district_upsert

    return [district_upsert(code=c, name=n, kind=k) for c, n, k in demo.DISTRICTS]

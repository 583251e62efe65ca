"""Under load a production-shaped server holds a bounded number of database and Redis connections: daphne
with the production settings on PostgreSQL and Redis, 8 and then 32 concurrent clients. Before the pool, 8
clients held 88 of PostgreSQL's 100 connections within 8 seconds and /healthz answered 503."""

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import connection

from tests.bianxue.test_settings import PROD_ENV

ROOT = Path(__file__).resolve().parents[2]
POOL, REDIS_POOL, REDIS_DB = 4, 4, 13
pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server():
    settings = connection.settings_dict
    database = (f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/"
                f"{settings['NAME']}?application_name=bianxue-load-test")
    redis_url = os.environ["REDIS_URL"].rsplit("/", 1)[0] + f"/{REDIS_DB}"
    port = _free_port()
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), **PROD_ENV,
           "DJANGO_SETTINGS_MODULE": "bianxue.settings.production", "ALLOWED_HOSTS": "127.0.0.1",
           "SECURE_SSL_REDIRECT": "false", "DATABASE_URL": database, "REDIS_URL": redis_url,
           "DB_POOL_MAX_SIZE": str(POOL), "REDIS_MAX_CONNECTIONS": str(REDIS_POOL),
           "CREDENTIAL_SIGNING_KEY": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="}
    process = subprocess.Popen([sys.executable, "-m", "daphne", "--port", str(port), "bianxue.asgi:application"],
                               cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(f"{url}/healthz", timeout=2).read()
            break
        except OSError:
            if process.poll() is not None:
                pytest.fail(process.stderr.read().decode()[-3000:])
            time.sleep(0.1)
    yield url, redis_url
    process.terminate()
    process.wait(timeout=20)


def _database_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'bianxue-load-test'")
        return cursor.fetchone()[0]


def _redis_connections(redis_url: str) -> int:
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        return sum(1 for c in client.client_list() if int(c.get("db", -1)) == REDIS_DB) - 1  # minus this one
    finally:
        client.close()


@pytest.mark.parametrize("clients", [8, 32])
def test_connections_stay_bounded_under_concurrent_clients(server, clients):
    url, redis_url = server
    peak = {"db": 0, "redis": 0}
    done = threading.Event()

    def watch():
        while not done.is_set():
            peak["db"] = max(peak["db"], _database_connections())
            peak["redis"] = max(peak["redis"], _redis_connections(redis_url))
            time.sleep(0.05)

    def get(_):
        with urllib.request.urlopen(f"{url}/healthz", timeout=60) as response:
            return response.status

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        with ThreadPoolExecutor(clients) as pool:
            statuses = list(pool.map(get, range(clients * 6)))
    finally:
        done.set()
        watcher.join()
    assert statuses == [200] * (clients * 6)  # waiting for a pooled connection, never refused
    assert 1 <= peak["db"] <= POOL, peak
    assert peak["redis"] <= REDIS_POOL, peak

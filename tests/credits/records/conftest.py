"""Fixtures of the records tests."""

import pytest

from tests.factories import bureau_admin, mfa_enable


@pytest.fixture
def admin_client(client):
    """A bureau administrator signed in with the second factor."""
    admin = bureau_admin()
    mfa_enable(admin)
    client.force_login(admin)
    return client


"""Private storage and the streaming upload limit."""

from pathlib import Path

import pytest
from bianxue.files import LimitedUploadHandler, private_storage, upload_limit_for
from django.core.files.base import ContentFile
from django.core.files.uploadhandler import StopUpload
from django.test import RequestFactory


def test_the_longest_matching_prefix_sets_the_limit(settings):
    settings.UPLOAD_MAX_BYTES = 10
    settings.UPLOAD_LIMITS = {"/records/": 20, "/records/import/": 30}
    assert upload_limit_for("/records/import/") == 30
    assert upload_limit_for("/records/other/") == 20
    assert upload_limit_for("/credits/declare/") == 10


def test_the_handler_stops_at_the_limit_and_marks_the_request(settings):
    settings.UPLOAD_LIMITS = {"/x/": 100}
    request = RequestFactory().post("/x/")
    handler = LimitedUploadHandler(request)
    assert handler.receive_data_chunk(b"a" * 100, 0) == b"a" * 100  # passes the bytes on
    with pytest.raises(StopUpload):
        handler.receive_data_chunk(b"a", 100)
    assert request.upload_refused == 100


def test_a_declared_body_far_over_the_limit_is_refused_before_any_byte_is_read(settings):
    settings.UPLOAD_LIMITS = {"/x/": 100}
    request = RequestFactory().post("/x/")
    with pytest.raises(StopUpload):
        LimitedUploadHandler(request).handle_raw_input(None, {}, 100 + 2 * 1024 * 1024, b"b")


def test_private_storage_is_outside_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    name = private_storage.save("evidence/a.txt", ContentFile(b"x"))
    path = Path(private_storage.path(name))
    assert path.is_relative_to(tmp_path / "private") and not path.is_relative_to(tmp_path / "media")

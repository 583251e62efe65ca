"""Private files and upload limits: one private storage (import uploads, declaration evidence) that no public
URL serves, and an upload handler that stops a request body as soon as it passes its limit.

Private files live under ``PRIVATE_MEDIA_ROOT`` (default: ``private/`` beside ``MEDIA_ROOT``; a compose volume
in production) and are read only through views that check permission.
"""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.utils.functional import cached_property
from django.utils.translation import gettext as _


class PrivateStorage(FileSystemStorage):
    """Files that are never served under /media/: read through a view that checks permission."""

    @cached_property
    def base_location(self):
        return str(private_root())

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting in ("MEDIA_ROOT", "PRIVATE_MEDIA_ROOT"):
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)


def private_root() -> Path:
    root = getattr(settings, "PRIVATE_MEDIA_ROOT", None)
    return Path(root or Path(settings.MEDIA_ROOT).parent / "private")


private_storage = PrivateStorage()


def upload_limit_for(path: str) -> int:
    """The largest request body with files that ``path`` accepts (``UPLOAD_LIMITS``: longest prefix wins)."""
    limits = sorted(settings.UPLOAD_LIMITS.items(), key=lambda kv: -len(kv[0]))
    return next((limit for prefix, limit in limits if path.startswith(prefix)), settings.UPLOAD_MAX_BYTES)


def upload_refused_message(limit: int) -> str:
    return _("上传的文件太大：上限为 %(mb)s MB。") % {"mb": f"{limit / 1024 / 1024:g}"}


class LimitedUploadHandler(FileUploadHandler):
    """First in FILE_UPLOAD_HANDLERS: counts the bytes of every file while they stream in and stops the
    upload at the limit of the request's path, before anything is written to disk or memory beyond it.

    The view finds ``request.upload_refused`` (the limit in bytes) and answers with
    :func:`upload_refused_message`; the files are simply absent from ``request.FILES``.
    """

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = upload_limit_for(request.path if request is not None else "")
        self.received = 0

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length and content_length > self.limit + 1024 * 1024:  # the form's other fields: ≤ 1 MB
            self._refuse()

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self._refuse()
        return raw_data

    def file_complete(self, file_size):
        return None

    def _refuse(self):
        if self.request is not None:
            self.request.upload_refused = self.limit
        raise StopUpload(connection_reset=False)

"""Streaming multipart uploads: each file part goes straight to disk, never whole in memory.

The request body is parsed chunk by chunk; a file part is written to a temporary file in the
media store's incoming folder, and the upload is abandoned (files removed) as soon as it passes
the size limit. Small text fields are kept in memory (at most ``MAX_FIELD`` bytes each).
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from kinechain.store.media import MediaStore

MAX_FIELD = 10_000
MAX_PARTS = 10


class UploadError(Exception):
    """The upload cannot be accepted; the message says why and what to do."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class UploadedFile:
    """A file part written to disk."""

    name: str
    filename: str
    content_type: str
    path: Path
    size: int = 0


@dataclass
class ParsedUpload:
    """Text fields and files of one multipart request."""

    fields: dict[str, str] = field(default_factory=dict)
    files: dict[str, UploadedFile] = field(default_factory=dict)

    def discard(self) -> None:
        """Remove every temporary file."""
        for f in self.files.values():
            f.path.unlink(missing_ok=True)


def _too_large(limit: int) -> UploadError:
    return UploadError(
        f"the upload is larger than the {limit / 1e6:.0f} MB limit; trim the clip to the test "
        "(10-20 seconds is enough) or export it at a lower resolution.",
        status=413,
    )


class _Collector:
    """Multipart parser callbacks that route part data to memory (fields) or disk (files)."""

    def __init__(self, media: MediaStore, limit: int) -> None:
        self.media, self.limit = media, limit
        self.out = ParsedUpload()
        self.total = 0
        self._headers: dict[str, str] = {}
        self._hname = b""
        self._hvalue = b""
        self._field: bytearray | None = None
        self._file: UploadedFile | None = None
        self._fh: IO[bytes] | None = None
        self._name = ""

    def on_part_begin(self) -> None:
        self._headers = {}

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._hname += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._hvalue += data[start:end]

    def on_header_end(self) -> None:
        self._headers[self._hname.decode("latin-1").lower()] = self._hvalue.decode("latin-1")
        self._hname, self._hvalue = b"", b""

    def on_headers_finished(self) -> None:
        if len(self.out.fields) + len(self.out.files) >= MAX_PARTS:
            raise UploadError("the form has too many parts; send one video at a time.")
        _, params = parse_options_header(self._headers.get("content-disposition", ""))
        self._name = params.get(b"name", b"").decode("utf-8", "replace")
        if b"filename" in params:
            name = params[b"filename"].decode("utf-8", "replace")
            ctype = self._headers.get("content-type", "application/octet-stream")
            self._file = UploadedFile(self._name, name, ctype, self.media.temp_path())
            self.out.files[self._name] = self._file
            fd = os.open(self._file.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            self._fh = os.fdopen(fd, "wb")
        else:
            self._field = bytearray()

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        chunk = data[start:end]
        if self._fh is not None and self._file is not None:
            self._file.size += len(chunk)
            self.total += len(chunk)
            if self.total > self.limit:
                raise _too_large(self.limit)
            self._fh.write(chunk)
        elif self._field is not None:
            if len(self._field) + len(chunk) > MAX_FIELD:
                raise UploadError(f"the form field {self._name!r} is too long.")
            self._field += chunk

    def on_part_end(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
        elif self._field is not None:
            self.out.fields[self._name] = self._field.decode("utf-8", "replace")
        self._file, self._field = None, None

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()


def _boundary(request: Request) -> bytes:
    ctype, params = parse_options_header(request.headers.get("content-type", ""))
    if ctype != b"multipart/form-data" or b"boundary" not in params:
        raise UploadError("send the video as multipart/form-data (an HTML form with a file field).")
    return params[b"boundary"]


async def receive_upload(request: Request, media: MediaStore, limit: int) -> ParsedUpload:
    """Parse a multipart request, writing file parts to the media store's incoming folder.

    Raises
    ------
    UploadError
        Not multipart, larger than ``limit`` bytes (413; checked from Content-Length first, then
        while streaming), or malformed. Partial files are removed.
    """
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit + 64_000:
        raise _too_large(limit)
    collector = _Collector(media, limit)
    callbacks = {
        name: getattr(collector, name)
        for name in (
            "on_part_begin",
            "on_header_field",
            "on_header_value",
            "on_header_end",
            "on_headers_finished",
            "on_part_data",
            "on_part_end",
        )
    }
    parser = MultipartParser(_boundary(request), callbacks)  # type: ignore[arg-type]
    try:
        async for chunk in request.stream():
            parser.write(chunk)
        parser.finalize()
    except MultipartParseError as exc:
        collector.close()
        collector.out.discard()
        raise UploadError("the upload was cut short or is malformed; send the video again.") from exc
    except BaseException:
        collector.close()
        collector.out.discard()
        raise
    return collector.out


def discard_quietly(parsed: ParsedUpload | None) -> None:
    """Remove an upload's temporary files, ignoring files already moved."""
    if parsed is not None:
        with contextlib.suppress(OSError):
            parsed.discard()

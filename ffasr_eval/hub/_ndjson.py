"""Reading the NDJSON body of the commit endpoint without holding big files in memory twice.

A request body is spooled to memory (small) or to a temporary file (big). Lines are JSON
objects; a line too long to parse comfortably (a big file's base64 content) is read in
place: the ``content`` string is cut out of the line, the rest parsed as JSON, and the base64
decoded chunk by chunk straight into the git object store.
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import mmap
import re
import tempfile
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from ffasr_eval.hub._errors import HubHTTPError, bad_request
from ffasr_eval.hub._git import Operation
from ffasr_eval.hub._ids import COMMIT_SHA, check_path

#: Bodies up to this size stay in memory; bigger ones are spooled to a temporary file.
MEMORY_BODY = 8 * 1024 * 1024
#: Lines up to this size are parsed with `json.loads`; longer ones are streamed.
PARSED_LINE = 16 * 1024 * 1024
#: Largest commit body accepted.
MAX_BODY = 2 * 1024 ** 3
#: Largest header line (commit title, description, parent commit).
MAX_HEADER = 1024 * 1024
_CONTENT = re.compile(rb'"content"\s*:\s*"')
_CHUNK = 4 * 1024 * 1024  # multiple of 4: whole base64 quanta


@dataclass
class CommitRequest:
    """A parsed commit: its header and operations (blobs already in the quarantine)."""

    summary: str
    description: str
    parent_commit: str | None
    operations: list[Operation] = field(default_factory=list)


class SpooledBody:
    """A request body held in memory or in a temporary file, readable as lines."""

    def __init__(self, data: bytes | None = None, file: BinaryIO | None = None) -> None:
        self._data = data
        self._file = file

    @classmethod
    async def receive(cls, chunks: AsyncIterator[bytes], length: int | None, spool_dir: Path) -> SpooledBody:
        """Read a request body (``request.stream()``), in memory when it is small."""
        if length is not None and length > MAX_BODY:
            raise HubHTTPError(413, f"Commit body of {length} bytes is larger than the {MAX_BODY} bytes allowed.")
        if length is not None and length <= MEMORY_BODY:
            buffer = bytearray()
            async for chunk in chunks:
                buffer += chunk
                if len(buffer) > MEMORY_BODY:
                    raise bad_request("Request body is longer than its Content-Length.")
            return cls(data=bytes(buffer))
        file = tempfile.TemporaryFile(dir=spool_dir)  # noqa: SIM115 - owned by the returned Body
        total = 0
        try:
            async for chunk in chunks:
                total += len(chunk)
                if total > MAX_BODY:
                    raise HubHTTPError(413, f"Commit body is larger than the {MAX_BODY} bytes allowed.")
                file.write(chunk)
        except BaseException:
            file.close()
            raise
        file.flush()
        return cls(file=file)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()

    def lines(self) -> Iterator[memoryview | bytes | mmap.mmap]:
        """Yield each non-empty line; long lines as a memoryview over the mapped file."""
        if self._data is not None:
            for line in self._data.split(b"\n"):
                if line.strip():
                    yield line
            return
        assert self._file is not None
        if self._file.seek(0, io.SEEK_END) == 0:
            return
        with mmap.mmap(self._file.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            start = 0
            size = len(mapped)
            while start < size:
                end = mapped.find(b"\n", start)
                end = size if end < 0 else end
                if end - start > PARSED_LINE:
                    yield _LongLine(mapped, start, end)  # type: ignore[misc]
                elif mapped[start:end].strip():
                    yield mapped[start:end]
                start = end + 1


@dataclass
class _LongLine:
    mapped: mmap.mmap
    start: int
    end: int


class _Base64Reader(io.RawIOBase):
    """A file-like object decoding a base64 region of a mapped file chunk by chunk."""

    def __init__(self, mapped: mmap.mmap, start: int, end: int, path: str) -> None:
        self._mapped, self._pos, self._end, self._path = mapped, start, end, path
        self._pending = b""
        self.produced = 0

    def read(self, size: int = -1) -> bytes:
        while (size < 0 or len(self._pending) < size) and self._pos < self._end:
            stop = min(self._end, self._pos + _CHUNK)
            self._pending += _decode(self._mapped[self._pos:stop], self._path)
            self._pos = stop
        if size < 0:
            size = len(self._pending)
        data, self._pending = self._pending[:size], self._pending[size:]
        self.produced += len(data)
        return data


def _decode(text: bytes | str, path: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as error:
        raise bad_request(f"Invalid base64 content for file {path!r}: {error}.") from error


def _decoded_size(mapped: mmap.mmap, start: int, end: int, path: str) -> int:
    length = end - start
    if length % 4:
        raise bad_request(f"Invalid base64 content for file {path!r}: length {length} is not a multiple of 4.")
    padding = 0 if length == 0 else (mapped[end - 2:end].count(b"="))
    return length // 4 * 3 - padding


def parse_commit(body: SpooledBody, add_blob: Callable[[BinaryIO, int], bytes]) -> CommitRequest:
    """Parse a commit body; store each file through ``add_blob(stream, size) -> sha``.

    Raises:
        HubHTTPError: 400 with a message naming the line and what is wrong.
    """
    request: CommitRequest | None = None
    for number, line in enumerate(body.lines(), start=1):
        if isinstance(line, _LongLine):
            if request is None:
                raise bad_request(f"Commit line {number}: the header line is larger than {MAX_HEADER} bytes.")
            request.operations.append(_long_file(line, number, add_blob))
            continue
        if request is None and len(line) > MAX_HEADER:
            raise bad_request(f"Commit line {number}: the header line is larger than {MAX_HEADER} bytes.")
        item = _json(line, number)
        key, value = item.get("key"), item.get("value")
        if not isinstance(value, dict):
            raise bad_request(f"Commit line {number}: 'value' must be an object.")
        if request is None:
            if key != "header":
                raise bad_request(f"Commit line {number}: the first line must be the header, got key {key!r}.")
            request = _header(value, number)
        elif key == "file":
            path = _path(value, number)
            if value.get("encoding", "base64") != "base64" or not isinstance(value.get("content"), str):
                raise bad_request(f"Commit line {number}: file {path!r} needs base64 'content' and encoding 'base64'.")
            data = _decode(value["content"], path)
            request.operations.append(Operation("add", path, add_blob(io.BytesIO(data), len(data))))
        elif key == "deletedFile":
            request.operations.append(Operation("delete_file", _path(value, number)))
        elif key == "deletedFolder":
            raw = value.get("path")
            if not isinstance(raw, str):
                raise bad_request(f"Commit line {number}: 'path' must be a string.")
            request.operations.append(Operation("delete_folder", check_path(raw, allow_root=True)))
        elif key == "lfsFile":
            raise bad_request(
                f"Commit line {number}: LFS files are not supported by this server; upload the content inline "
                "(preupload answers 'regular' for every file)."
            )
        else:
            raise bad_request(f"Commit line {number}: unknown key {key!r} (expected file, deletedFile, deletedFolder).")
    if request is None:
        raise bad_request("Empty commit body: the first line must be the header.")
    return request


def _json(line: bytes | memoryview | mmap.mmap, number: int) -> dict[str, Any]:
    try:
        item = json.loads(bytes(line))
    except (ValueError, UnicodeDecodeError) as error:
        raise bad_request(f"Commit line {number} is not valid JSON: {error}.") from error
    if not isinstance(item, dict):
        raise bad_request(f"Commit line {number} must be a JSON object.")
    return item


def _header(value: dict[str, Any], number: int) -> CommitRequest:
    summary, description = value.get("summary"), value.get("description", "")
    parent = value.get("parentCommit")
    if not isinstance(summary, str) or not summary.strip():
        raise bad_request(f"Commit line {number}: the header needs a non-empty 'summary' (the commit title).")
    if not isinstance(description, str):
        raise bad_request(f"Commit line {number}: 'description' must be a string.")
    if parent is not None and (not isinstance(parent, str) or not COMMIT_SHA.fullmatch(parent)):
        raise bad_request(f"Commit line {number}: 'parentCommit' must be a 40-character commit sha.")
    return CommitRequest(summary.strip(), description, parent)


def _path(value: dict[str, Any], number: int) -> str:
    path = value.get("path")
    if not isinstance(path, str):
        raise bad_request(f"Commit line {number}: 'path' must be a string.")
    return check_path(path)


def _long_file(line: _LongLine, number: int, add_blob: Callable[[BinaryIO, int], bytes]) -> Operation:
    mapped = line.mapped
    match = _CONTENT.search(mapped, line.start, line.end)  # type: ignore[call-overload]
    if match is None:
        raise bad_request(f"Commit line {number} is larger than {PARSED_LINE} bytes and is not a file line.")
    start = match.end()
    end = mapped.find(b'"', start, line.end)
    if end < 0:
        raise bad_request(f"Commit line {number} is not valid JSON: unterminated content string.")
    item = _json(mapped[line.start:start] + mapped[end:line.end], number)
    value = item.get("value")
    if item.get("key") != "file" or not isinstance(value, dict) or value.get("encoding", "base64") != "base64":
        raise bad_request(f"Commit line {number} is larger than {PARSED_LINE} bytes and is not a base64 file line.")
    path = _path(value, number)
    size = _decoded_size(mapped, start, end, path)
    reader = _Base64Reader(mapped, start, end, path)
    blob = add_blob(reader, size)
    if reader.produced != size or reader.read(1):
        raise bad_request(f"Invalid base64 content for file {path!r}: misplaced padding.")
    return Operation("add", path, blob)

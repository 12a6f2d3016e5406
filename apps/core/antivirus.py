"""Antivirus scanning of uploaded files by a ClamAV daemon (clamd), over its own protocol.

    scan(data) -> ScanResult(scanned=True, engine="ClamAV 1.4.6/…")   the file is clean
               raises InfectedFile(signature)      refuse the file (422, the signature named)
               raises FileTooLargeToScan           above CLAMD_MAX_BYTES / clamd's StreamMaxLength (413)
               raises ScannerUnavailable           clamd down, slow or answering an error (503)
    ping() -> bool                                 clamd answers PING with PONG (health checks)

CLAMD_URL says where clamd listens: "tcp://host:3310" or "unix:///run/clamav/clamd.ctl".
Empty means no scanner: `scan` then accepts every file and says so —
ScanResult(scanned=False, engine="") — and the caller stores that flag with the file (the
embedded default and dev run without clamd; the prod profile refuses an empty CLAMD_URL, so
`scanned=False` never happens in production). A caller keeps `scanned`/`engine` next to the
file so an unscanned file can be rescanned later.

The protocol (clamd(8), "INSTREAM"): the client sends "zINSTREAM\\0", then the file as chunks,
each a 4-byte big-endian length followed by that many bytes, then a zero length; clamd
answers one NUL-terminated line: "stream: OK", "stream: <signature> FOUND" or
"<message> ERROR" ("INSTREAM size limit exceeded. ERROR" past its StreamMaxLength, after
which it may close the connection while we still send). "zPING\\0" -> "PONG",
"zVERSION\\0" -> "ClamAV 1.4.6/<database version>/<date>". One connection per command
(clamd's IDSESSION is not worth it for uploads). Files are held in memory by the callers
already (uploads are bounded), so `scan` takes bytes.
"""

from __future__ import annotations

import logging
import socket
import struct
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy

from .errors import DomainError

logger = logging.getLogger(__name__)

CHUNK_BYTES = 64 * 1024
_VERSION_TTL_SECONDS = 600.0
_versions: dict[str, tuple[float, str]] = {}


@dataclass(frozen=True)
class ScanResult:
    scanned: bool  # False: no scanner configured (CLAMD_URL empty), the file was not looked at
    engine: str  # what scanned it: "ClamAV 1.4.6/27480/Thu Dec  3 08:32:52 2026"; "" when not scanned


def _infected_message(signature: str) -> str:
    return gettext("The file contains a virus (%(signature)s): it was refused.") % {"signature": signature}


class InfectedFile(DomainError):
    """clamd found a signature in the file: refuse it (never store it, even quarantined)."""

    code = "infected_file"
    status = 422
    default_message = gettext_lazy("The file contains a virus: it was refused.")

    def __init__(self, signature: str, *, field: str | None = "file"):
        self.signature = signature
        super().__init__(lazy(_infected_message, str)(signature), field=field, signature=signature)


class FileTooLargeToScan(DomainError):
    """The file is larger than the scanner accepts (CLAMD_MAX_BYTES, clamd's StreamMaxLength)."""

    code = "file_too_large_to_scan"
    status = 413
    default_message = gettext_lazy("The file is too large to be checked by the antivirus.")


class ScannerUnavailable(DomainError):
    """clamd cannot be reached, timed out or answered an error: the file is neither accepted
    nor refused; the caller says "try again" (never stores the file as scanned)."""

    code = "scanner_unavailable"
    status = 503
    default_message = gettext_lazy("The antivirus check is unavailable: try again in a few minutes.")


@dataclass(frozen=True)
class _Address:
    family: int
    target: tuple[str, int] | str

    def __str__(self) -> str:
        return self.target if isinstance(self.target, str) else f"{self.target[0]}:{self.target[1]}"


def parse_url(url: str) -> _Address:
    """A CLAMD_URL ("tcp://host:port" or "unix:///path") -> an address; else ImproperlyConfigured."""
    parts = urlsplit(url.strip())
    if parts.scheme == "tcp":
        try:
            port = parts.port
        except ValueError:
            port = None
        if not parts.hostname or not port:
            raise ImproperlyConfigured(f"CLAMD_URL {url!r}: tcp://host:port, e.g. tcp://127.0.0.1:3310")
        family = socket.AF_INET6 if ":" in parts.hostname else socket.AF_INET
        return _Address(family, (parts.hostname, port))
    if parts.scheme == "unix":
        path = (parts.netloc + parts.path) if parts.netloc else parts.path
        if not path.startswith("/"):
            raise ImproperlyConfigured(f"CLAMD_URL {url!r}: unix:///absolute/path/to/clamd.ctl")
        return _Address(socket.AF_UNIX, path)
    raise ImproperlyConfigured(f"CLAMD_URL {url!r}: tcp://host:port or unix:///path (or empty: no scanner)")


def configured() -> bool:
    return bool(settings.CLAMD_URL.strip())


def _connect(address: _Address) -> socket.socket:
    sock = socket.socket(address.family, socket.SOCK_STREAM)
    try:
        sock.settimeout(settings.CLAMD_CONNECT_TIMEOUT_SECONDS)
        sock.connect(address.target)
        sock.settimeout(settings.CLAMD_TIMEOUT_SECONDS)
    except OSError as exc:
        sock.close()
        raise ScannerUnavailable(detail=f"cannot connect to clamd at {address}: {exc}") from exc
    return sock


def _read_reply(sock: socket.socket) -> str:
    reply = b""
    while not reply.endswith(b"\0") and len(reply) < 4096:
        chunk = sock.recv(4096)
        if not chunk:
            break
        reply += chunk
    return reply.rstrip(b"\0").strip().decode("utf-8", "replace")


def _command(name: bytes) -> str:
    address = parse_url(settings.CLAMD_URL)
    with _connect(address) as sock:
        try:
            sock.sendall(b"z" + name + b"\0")
            return _read_reply(sock)
        except OSError as exc:
            raise ScannerUnavailable(detail=f"clamd at {address}: {exc}") from exc


def ping() -> bool:
    """clamd answers PONG (False when not configured, down or slow; never raises)."""
    if not configured():
        return False
    try:
        return _command(b"PING") == "PONG"
    except (ScannerUnavailable, ImproperlyConfigured):
        return False


def version() -> str:
    """clamd's VERSION line ("ClamAV 1.4.6/27480/…"), cached ten minutes per address."""
    url = settings.CLAMD_URL
    now = time.monotonic()
    cached = _versions.get(url)
    if cached and now - cached[0] < _VERSION_TTL_SECONDS:
        return cached[1]
    try:
        line = _command(b"VERSION") or "ClamAV"
    except ScannerUnavailable:
        line = "ClamAV"
    _versions[url] = (now, line)
    return line


def scan(data: bytes) -> ScanResult:
    """Scan `data` with clamd. Clean: a ScanResult; otherwise raises InfectedFile,
    FileTooLargeToScan or ScannerUnavailable. No CLAMD_URL: ScanResult(scanned=False)."""
    if not configured():
        return ScanResult(scanned=False, engine="")
    limit = settings.CLAMD_MAX_BYTES
    if len(data) > limit:
        raise FileTooLargeToScan(field="file", limit=limit)
    address = parse_url(settings.CLAMD_URL)
    started = time.monotonic()
    with _connect(address) as sock:
        try:
            reply = _stream(sock, memoryview(data))
        except TimeoutError as exc:
            raise ScannerUnavailable(detail=f"clamd at {address} timed out") from exc
        except OSError as exc:
            raise ScannerUnavailable(detail=f"clamd at {address}: {exc}") from exc
    elapsed_ms = round((time.monotonic() - started) * 1000)
    if reply.endswith(" FOUND"):
        signature = reply.removeprefix("stream:").removesuffix(" FOUND").strip()
        logger.warning("antivirus.infected", extra={"signature": signature, "bytes": len(data)})
        raise InfectedFile(signature)
    if reply == "stream: OK":
        logger.info("antivirus.clean", extra={"bytes": len(data), "ms": elapsed_ms})
        return ScanResult(scanned=True, engine=version())
    if "size limit exceeded" in reply:
        raise FileTooLargeToScan(field="file", limit=limit)
    logger.error("antivirus.error", extra={"reply": reply[:200]})
    raise ScannerUnavailable(detail=f"clamd answered {reply[:200]!r}")


def _stream(sock: socket.socket, view: memoryview) -> str:
    sock.sendall(b"zINSTREAM\0")
    try:
        for offset in range(0, len(view), CHUNK_BYTES):
            chunk = view[offset : offset + CHUNK_BYTES]
            sock.sendall(struct.pack(">I", len(chunk)))
            sock.sendall(chunk)
        sock.sendall(struct.pack(">I", 0))
    except (BrokenPipeError, ConnectionResetError):
        # clamd stops reading past its StreamMaxLength and says why before closing
        try:
            reply = _read_reply(sock)
        except OSError:
            reply = ""
        if "size limit exceeded" in reply:
            return reply
        raise
    return _read_reply(sock)

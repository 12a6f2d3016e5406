"""apps.core.antivirus against a real clamd (the test command starts one with a database
holding only the EICAR test signature, scripts/setup.d/35-clamav.sh, and sets CLAMD_URL).
The client's own paths (no scanner, bad URLs, a dead address, an error reply) need no clamd."""

import os
import socket
import threading

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

from apps.core import antivirus

# The EICAR test file: every antivirus reports it, it does nothing. Built in two halves so this
# source file is not itself reported by a scanner run over the repository.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
CLAMD_URL = os.environ.get("CLAMD_URL", "")
needs_clamd = pytest.mark.skipif(
    not CLAMD_URL,
    reason="CLAMD_URL is not set: no clamd to scan with (scripts/test.sh starts one; "
    "dev: bash /work/devsvc/clamd.sh, then export CLAMD_URL=tcp://127.0.0.1:53310)",
)


@pytest.fixture
def clamd(settings):
    settings.CLAMD_URL = CLAMD_URL
    return settings


def _dead_address() -> str:
    with socket.socket() as sock:  # a port nobody listens on once closed
        sock.bind(("127.0.0.1", 0))
        return f"tcp://127.0.0.1:{sock.getsockname()[1]}"


@needs_clamd
def test_eicar_is_refused_with_its_signature_name(clamd):
    with pytest.raises(antivirus.InfectedFile) as caught:
        antivirus.scan(EICAR)
    assert caught.value.signature.startswith("Eicar-Test-Signature")
    assert (
        caught.value.status == 422 and caught.value.code == "infected_file" and caught.value.field == "file"
    )
    with translation.override("fr"):
        assert str(caught.value.message) == (
            f"Le fichier contient un virus ({caught.value.signature}) : il a été refusé."
        )
    with translation.override("en"):
        assert "virus (Eicar-Test-Signature" in str(caught.value.message)


@needs_clamd
def test_eicar_inside_a_larger_file_is_found_across_chunks(clamd):
    # the signature is a hash of the whole file: EICAR padded is a different file, clean
    assert antivirus.scan(EICAR + b"\n" * 10).scanned is True
    # an exact EICAR file sent in chunks smaller than itself is still the EICAR file
    original, antivirus.CHUNK_BYTES = antivirus.CHUNK_BYTES, 7
    try:
        with pytest.raises(antivirus.InfectedFile):
            antivirus.scan(EICAR)
    finally:
        antivirus.CHUNK_BYTES = original


@needs_clamd
def test_a_clean_file_passes_and_names_the_engine(clamd):
    result = antivirus.scan(b"%PDF-1.7\nquittance de loyer\n%%EOF\n" * 2000)
    assert result == antivirus.ScanResult(scanned=True, engine=result.engine)
    assert result.engine.startswith("ClamAV ")
    assert antivirus.scan(b"").scanned is True  # an empty stream is clean too
    assert antivirus.ping() is True


@needs_clamd
def test_a_file_over_the_limit_gives_a_clear_error(clamd):
    clamd.CLAMD_MAX_BYTES = 1024  # refused before anything is sent
    with pytest.raises(antivirus.FileTooLargeToScan) as caught:
        antivirus.scan(b"x" * 1025)
    assert caught.value.status == 413 and caught.value.params["limit"] == 1024
    with translation.override("fr"):
        assert (
            str(caught.value.message) == "Le fichier est trop volumineux pour être vérifié par l'antivirus."
        )
    # clamd's own StreamMaxLength (1M in the test configuration) when ours is set higher:
    clamd.CLAMD_MAX_BYTES = 64 * 1024 * 1024
    with pytest.raises(antivirus.FileTooLargeToScan):
        antivirus.scan(b"y" * (3 * 1024 * 1024))
    assert antivirus.ping() is True  # and clamd is still there


def test_a_dead_address_gives_scanner_unavailable(settings):
    settings.CLAMD_URL = _dead_address()
    with pytest.raises(antivirus.ScannerUnavailable) as caught:
        antivirus.scan(b"hello")
    assert caught.value.status == 503 and "cannot connect" in caught.value.params["detail"]
    assert antivirus.ping() is False
    settings.CLAMD_URL = "unix:///nonexistent/clamd.ctl"
    with pytest.raises(antivirus.ScannerUnavailable):
        antivirus.scan(b"hello")


def test_a_silent_or_erring_daemon_gives_scanner_unavailable(settings):
    """A server that accepts and answers an error line, or says nothing and hangs up."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    replies = [b"Command read timed out. ERROR\0", b""]

    def serve():
        for reply in replies:
            conn, _ = server.accept()
            with conn:
                conn.settimeout(5)
                try:
                    while b"\0\0\0\0" not in conn.recv(65536):
                        pass
                except OSError:
                    pass
                conn.sendall(reply)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    settings.CLAMD_URL = f"tcp://127.0.0.1:{server.getsockname()[1]}"
    settings.CLAMD_TIMEOUT_SECONDS = 5
    for _ in replies:
        with pytest.raises(antivirus.ScannerUnavailable):
            antivirus.scan(b"hello")
    thread.join(5)
    server.close()


def test_without_a_scanner_files_are_accepted_and_marked_unscanned(settings):
    settings.CLAMD_URL = ""
    assert antivirus.scan(EICAR) == antivirus.ScanResult(scanned=False, engine="")
    assert antivirus.ping() is False


def test_clamd_urls():
    assert antivirus.parse_url("tcp://127.0.0.1:3310").target == ("127.0.0.1", 3310)
    assert antivirus.parse_url("tcp://clamav:3310").target == ("clamav", 3310)
    assert antivirus.parse_url("tcp://[::1]:3310").family == socket.AF_INET6
    assert antivirus.parse_url("unix:///run/clamav/clamd.ctl").target == "/run/clamav/clamd.ctl"
    for bad in ("clamav:3310", "tcp://clamav", "http://clamav:3310", "unix://relative", "tcp://h:99999"):
        with pytest.raises(ImproperlyConfigured):
            antivirus.parse_url(bad)


def test_the_prod_profile_refuses_no_scanner_or_a_malformed_address():
    from tests.core.test_settings_profiles import PROD_ENV, run_manage

    env = {k: v for k, v in PROD_ENV.items() if k != "CLAMD_URL"}
    result = run_manage(["check"], env)
    assert result.returncode != 0 and "CLAMD_URL must name the ClamAV daemon" in result.stderr
    result = run_manage(["check"], dict(PROD_ENV, CLAMD_URL="clamav:3310"))
    assert result.returncode != 0 and "CLAMD_URL 'clamav:3310': tcp://host:port" in result.stderr

"""Envelope encryption (apps/core/crypto.py, moved from kyc): a round trip, the associated
data binding a file to its row, key rotation by re-wrapping, malformed key lists refused,
and the master keys' setting read from HOKWE_MASTER_KEYS or the older KYC_MASTER_KEYS."""

import base64
import os

import pytest
from django.core.exceptions import ImproperlyConfigured

from apps.core import crypto
from tests.helpers import django_shell

KEY_A = "core-a:" + base64.b64encode(b"A" * 32).decode()
KEY_B = "core-b:" + base64.b64encode(b"B" * 32).decode()
AAD = b"tests.crypto|0001"


def test_round_trip_and_the_stored_form(settings):
    settings.HOKWE_MASTER_KEYS = KEY_A
    plaintext = b"bail de location, Cotonou\n" * 50
    blob, wrapped = crypto.encrypt(plaintext, aad=AAD)
    assert blob.startswith(crypto.MAGIC) and plaintext[:32] not in blob
    assert wrapped.key_id == "core-a" and len(wrapped.wrapped) == crypto.NONCE_BYTES + 32 + 16
    assert crypto.decrypt(blob, wrapped, aad=AAD) == plaintext
    again, _ = crypto.encrypt(plaintext, aad=AAD)
    assert again != blob  # a fresh data key and nonce per file


def test_wrong_aad_tampering_and_foreign_blobs_fail(settings):
    settings.HOKWE_MASTER_KEYS = KEY_A
    blob, wrapped = crypto.encrypt(b"secret", aad=AAD)
    with pytest.raises(crypto.DecryptionFailed):
        crypto.decrypt(blob, wrapped, aad=b"tests.crypto|0002")  # another row's identity
    with pytest.raises(crypto.DecryptionFailed):
        crypto.decrypt(blob[:-1] + bytes([blob[-1] ^ 1]), wrapped, aad=AAD)
    with pytest.raises(crypto.DecryptionFailed):
        crypto.decrypt(blob, crypto.WrappedKey(wrapped.key_id, wrapped.wrapped[:-1] + b"\0"), aad=AAD)
    with pytest.raises(crypto.DecryptionFailed):
        crypto.decrypt(b"plain bytes", wrapped, aad=AAD)
    other_blob, other_wrapped = crypto.encrypt(b"other", aad=AAD)
    with pytest.raises(crypto.DecryptionFailed):  # a file with another file's key
        crypto.decrypt(blob, other_wrapped, aad=AAD)


def test_rotation_rewraps_the_data_key_and_retires_the_old_master(settings):
    settings.HOKWE_MASTER_KEYS = KEY_A
    blob, wrapped = crypto.encrypt(b"rent receipt", aad=AAD)
    settings.HOKWE_MASTER_KEYS = f"{KEY_B},{KEY_A}"  # the new key first; the old one still opens
    assert crypto.current_key().id == "core-b"
    assert crypto.decrypt(blob, wrapped, aad=AAD) == b"rent receipt"
    rewrapped = crypto.rewrap(wrapped, aad=AAD)
    assert rewrapped.key_id == "core-b"
    assert crypto.unwrap(rewrapped, aad=AAD) == crypto.unwrap(wrapped, aad=AAD)  # same data key
    settings.HOKWE_MASTER_KEYS = KEY_B  # the old key retired: the file itself never changed
    assert crypto.decrypt(blob, rewrapped, aad=AAD) == b"rent receipt"
    with pytest.raises(crypto.StorageKeyUnavailable):
        crypto.decrypt(blob, wrapped, aad=AAD)
    with pytest.raises(crypto.DecryptionFailed):  # the rewrapped key is bound to its aad too
        crypto.unwrap(rewrapped, aad=b"elsewhere")


def test_generated_key_lines_parse_and_bad_lists_are_refused():
    line = crypto.generate_key_line("prod-2027")
    (key,) = crypto.parse_master_keys(line)
    assert key.id == "prod-2027" and len(key.key) == 32
    for bad in ("", "nokey", "a:" + base64.b64encode(b"short").decode(), f"{KEY_A},{KEY_A}", "a:!!!", ":x"):
        with pytest.raises(ImproperlyConfigured, match="HOKWE_MASTER_KEYS"):
            crypto.parse_master_keys(bad)


def _setting_in_subprocess(extra: dict) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("HOKWE_MASTER_KEYS", "KYC_MASTER_KEYS")}
    env.update(extra, DJANGO_SETTINGS_MODULE="hokwe.settings.test")
    result = django_shell(
        "from django.conf import settings; print(settings.HOKWE_MASTER_KEYS)", env, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout.strip().splitlines()[-1]


def test_the_setting_reads_hokwe_master_keys_then_the_older_kyc_variable():
    assert _setting_in_subprocess({"KYC_MASTER_KEYS": KEY_A}) == KEY_A  # deployments set before the move
    assert _setting_in_subprocess({"HOKWE_MASTER_KEYS": KEY_B, "KYC_MASTER_KEYS": KEY_A}) == KEY_B
    assert _setting_in_subprocess({}).startswith("dev-insecure:")

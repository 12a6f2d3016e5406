"""Envelope encryption of stored files (AES-256-GCM, `cryptography`): KYC documents, the
cms vault's files, other modules' sealed exports. Moved from apps/kyc/crypto.py (the
format and the key-wrapping associated data are unchanged: existing files still open).

Each file gets its own random 256-bit data key (DEK). The file is encrypted with the DEK;
the DEK is encrypted ("wrapped") with a master key from the environment and stored in the
database next to the id of that master key. The master keys never touch the database or
the object store, the DEKs never touch the object store:

    stored file   = b"HKE1" | nonce (12) | AES-GCM(DEK, nonce, plaintext, aad=document id)
    owner's row   = key_id, wrapped_key = nonce (12) | AES-GCM(master[key_id], nonce, DEK, aad)

HOKWE_MASTER_KEYS (settings; read from the HOKWE_MASTER_KEYS environment variable, else the
older KYC_MASTER_KEYS one) lists "id:base64key" pairs, comma-separated: the FIRST one wraps
new data keys, every one listed can unwrap. Rotation (manage.py kyc_rotate_keys for KYC
documents) re-wraps each row's DEK under the first key; the files themselves are never
re-encrypted. The associated data binds a file and its wrapped key to their row: swapping
files between rows fails authentication. Each caller chooses an `aad` that names its row
uniquely (a UUID's bytes; prefix it, e.g. b"cms.vault|" + id, when ids could collide across
callers).
"""

from __future__ import annotations

import base64
import binascii
import os
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MAGIC = b"HKE1"
NONCE_BYTES = 12
DEV_KEY_PREFIX = "dev"  # ids of keys that prod settings refuse


@dataclass(frozen=True)
class MasterKey:
    id: str
    key: bytes


@dataclass(frozen=True)
class WrappedKey:
    key_id: str
    wrapped: bytes


class StorageKeyUnavailable(Exception):
    """The master key that wrapped a file's data key is not configured (HOKWE_MASTER_KEYS)."""


class DecryptionFailed(Exception):
    """The ciphertext or its wrapped key was altered, or belongs to another document."""


def parse_master_keys(value: str) -> tuple[MasterKey, ...]:
    keys = []
    for item in (part.strip() for part in (value or "").split(",")):
        if not item:
            continue
        key_id, sep, encoded = item.partition(":")
        if not sep or not key_id.strip():
            raise ImproperlyConfigured("HOKWE_MASTER_KEYS entries look like 'id:base64key'")
        try:
            raw = base64.b64decode(encoded.strip(), validate=True)
        except (binascii.Error, ValueError):
            raise ImproperlyConfigured(f"HOKWE_MASTER_KEYS: key {key_id!r} is not valid base64") from None
        if len(raw) != 32:
            raise ImproperlyConfigured(f"HOKWE_MASTER_KEYS: key {key_id!r} must be 32 bytes (AES-256)")
        keys.append(MasterKey(id=key_id.strip(), key=raw))
    if not keys:
        raise ImproperlyConfigured("HOKWE_MASTER_KEYS is empty: files cannot be encrypted")
    if len({k.id for k in keys}) != len(keys):
        raise ImproperlyConfigured("HOKWE_MASTER_KEYS: key ids must be unique")
    return tuple(keys)


@lru_cache(maxsize=8)
def _keys_for(value: str) -> tuple[MasterKey, ...]:
    return parse_master_keys(value)


def master_keys() -> tuple[MasterKey, ...]:
    return _keys_for(settings.HOKWE_MASTER_KEYS)


def current_key() -> MasterKey:
    return master_keys()[0]


def _key(key_id: str) -> MasterKey:
    for key in master_keys():
        if key.id == key_id:
            return key
    raise StorageKeyUnavailable(f"master key {key_id!r} is not in HOKWE_MASTER_KEYS")


def _wrap_aad(aad: bytes) -> bytes:
    # "kyc" kept from the module's first home: every wrapped key written since carries it.
    return b"hokwe.kyc.dek|" + aad


def wrap(dek: bytes, *, aad: bytes) -> WrappedKey:
    master = current_key()
    nonce = os.urandom(NONCE_BYTES)
    return WrappedKey(master.id, nonce + AESGCM(master.key).encrypt(nonce, dek, _wrap_aad(aad)))


def unwrap(wrapped: WrappedKey, *, aad: bytes) -> bytes:
    master = _key(wrapped.key_id)
    blob = bytes(wrapped.wrapped)
    try:
        return AESGCM(master.key).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], _wrap_aad(aad))
    except InvalidTag:
        raise DecryptionFailed("wrapped key rejected") from None


def encrypt(plaintext: bytes, *, aad: bytes) -> tuple[bytes, WrappedKey]:
    """-> (stored file bytes, wrapped data key)."""
    dek = AESGCM.generate_key(bit_length=256)
    nonce = os.urandom(NONCE_BYTES)
    blob = MAGIC + nonce + AESGCM(dek).encrypt(nonce, plaintext, aad)
    return blob, wrap(dek, aad=aad)


def decrypt(blob: bytes, wrapped: WrappedKey, *, aad: bytes) -> bytes:
    if not blob.startswith(MAGIC):
        raise DecryptionFailed("not a Hokwe encrypted file")
    dek = unwrap(wrapped, aad=aad)
    body = blob[len(MAGIC) :]
    try:
        return AESGCM(dek).decrypt(body[:NONCE_BYTES], body[NONCE_BYTES:], aad)
    except InvalidTag:
        raise DecryptionFailed("file rejected") from None


def rewrap(wrapped: WrappedKey, *, aad: bytes) -> WrappedKey:
    """The same data key, wrapped under the current (first) master key."""
    return wrap(unwrap(wrapped, aad=aad), aad=aad)


def generate_key_line(key_id: str) -> str:
    """A new "id:base64key" entry for HOKWE_MASTER_KEYS."""
    return f"{key_id}:{base64.b64encode(os.urandom(32)).decode()}"

"""Sealing of other modules' sensitive files with the KYC document encryption (apps/core/crypto.py:
AES-256-GCM with a per-file data key wrapped by HOKWE_MASTER_KEYS, rotated by kyc_rotate_keys's
keys). Used by scoring's bureau exports: one encryption design for every sensitive file.

The associated data binds a file to its owner's id (`aad`): a file and its wrapped key moved
to another row fail authentication."""

from __future__ import annotations

from dataclasses import dataclass

from apps.core import crypto


@dataclass(frozen=True)
class Sealed:
    blob: bytes  # what is stored (b"HKE1" | nonce | ciphertext)
    key_id: str  # the master key that wrapped the data key
    wrapped_key: bytes  # nonce | AES-GCM(master, data key)


def seal(plaintext: bytes, *, aad: bytes) -> Sealed:
    blob, wrapped = crypto.encrypt(plaintext, aad=aad)
    return Sealed(blob=blob, key_id=wrapped.key_id, wrapped_key=bytes(wrapped.wrapped))


def unseal(blob: bytes, *, key_id: str, wrapped_key: bytes, aad: bytes) -> bytes:
    """The plain file; crypto.DecryptionFailed (re-raised as ValueError) when altered or moved."""
    try:
        return crypto.decrypt(bytes(blob), crypto.WrappedKey(key_id, bytes(wrapped_key)), aad=aad)
    except crypto.DecryptionFailed as exc:
        raise ValueError(str(exc)) from None

"""Where static and private files are served from (issue 24, "CDN"; docs/operations.md,
"CDN and private media").

Static files: the prod profile stores them under hashed names (whitenoise's manifest storage);
`StaticFilesMiddleware` serves a hashed name with "public, max-age=31536000, immutable". With
CDN_URL set, STATIC_URL points at the CDN, whose origin is the app's own /static/.

Private files (receipts, vault documents, the photos of a lease's inspection, …) are never
public objects. `private_url(name)` is the one way to link to one, a short-lived signed URL:
1. a CloudFront signed URL (canned policy, RSA-SHA1 as CloudFront requires) when
   CLOUDFRONT_KEY_ID, CLOUDFRONT_PRIVATE_KEY and CLOUDFRONT_MEDIA_URL are set;
2. otherwise an S3 presigned URL (SigV4, X-Amz-Expires) when the storage is S3;
3. otherwise (the embedded default, files on disk) a URL of the app signed with SECRET_KEY,
   served by `private_file` (apps/core/web/files.py).
KYC documents are encrypted at rest: a CDN would serve ciphertext, so they keep kyc's own
view (a link bound to the viewer, decrypted after a permission check, audited).
"""

from __future__ import annotations

import base64
import functools
import time
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import storages
from django.urls import reverse
from django.utils.encoding import filepath_to_uri
from whitenoise.middleware import WhiteNoiseMiddleware

SIGNING_SALT = "hokwe.core.private-file"
MAX_EXPIRES_IN = 7 * 24 * 3600  # S3 SigV4's own limit; links meant for minutes anyway


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """whitenoise with a year for hashed names (its own default is ten): the common ceiling
    of caches and CDNs, and a year is longer than any release lives."""

    FOREVER = 365 * 24 * 3600

    def add_cache_headers(self, headers, path, url):
        super().add_cache_headers(headers, path, url)
        # Public files, loaded by pages of other sites too (pay.hokwepay.me from the CDN's
        # host): the gateway's default, same-site, would block them.
        headers["Cross-Origin-Resource-Policy"] = "cross-origin"


# --- private files -----------------------------------------------------------------------


def private_url(name: str, *, expires_in: int | None = None, storage_alias: str = "default") -> str:
    """A URL that opens the stored file `name` for `expires_in` seconds, then never again."""
    if not name:
        raise ValueError("private_url needs a stored file's name")
    ttl = settings.PRIVATE_MEDIA_TTL_SECONDS if expires_in is None else int(expires_in)
    if not 0 < ttl <= MAX_EXPIRES_IN:
        raise ValueError(f"expires_in must be between 1 and {MAX_EXPIRES_IN} seconds")
    storage = storages[storage_alias]
    if cloudfront_configured():
        return cloudfront_signed_url(object_key(storage, name), expires_in=ttl)
    if _is_s3(storage):
        if not storage.querystring_auth:  # its url() would be the plain, public object URL
            raise ImproperlyConfigured(
                "private files need the S3 storage's querystring_auth (AWS_QUERYSTRING_AUTH)"
            )
        return storage.url(name, expire=ttl)  # boto3 signs locally, no network call
    return _local_signed_url(storage_alias, name, ttl)


def object_key(storage, name: str) -> str:
    """The object's key in the bucket (the storage's location prefix included)."""
    if _is_s3(storage):
        from storages.utils import clean_name

        return storage._normalize_name(clean_name(name))
    return name.lstrip("/")


def _is_s3(storage) -> bool:
    try:
        from storages.backends.s3 import S3Storage
    except ImportError:  # pragma: no cover - django-storages[s3] is pinned
        return False
    return isinstance(storage, S3Storage)


# CloudFront ---------------------------------------------------------------------------------


def cloudfront_configured() -> bool:
    return bool(
        settings.CLOUDFRONT_KEY_ID and settings.CLOUDFRONT_PRIVATE_KEY and settings.CLOUDFRONT_MEDIA_URL
    )


@functools.lru_cache(maxsize=4)
def load_private_key(pem: str):
    """The RSA key from CLOUDFRONT_PRIVATE_KEY: PEM text, or the PEM base64-encoded on one
    line (what an .env file can hold)."""
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    text = pem.strip()
    data = text.encode() if text.startswith("-----BEGIN") else base64.b64decode(text, validate=True)
    key = load_pem_private_key(data, password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("CLOUDFRONT_PRIVATE_KEY must be an RSA private key (CloudFront's key pairs)")
    return key


def cloudfront_signed_url(key: str, *, expires_in: int, now: datetime | None = None) -> str:
    """CLOUDFRONT_MEDIA_URL/<key>?Expires=…&Signature=…&Key-Pair-Id=… (canned policy)."""
    from botocore.signers import CloudFrontSigner
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    private_key = load_private_key(settings.CLOUDFRONT_PRIVATE_KEY)

    def rsa_signer(message: bytes) -> bytes:
        return private_key.sign(message, padding.PKCS1v15(), hashes.SHA1())  # noqa: S303 -- CloudFront's algorithm

    url = f"{settings.CLOUDFRONT_MEDIA_URL.rstrip('/')}/{filepath_to_uri(key.lstrip('/'))}"
    expires = (now or datetime.now(UTC)) + timedelta(seconds=expires_in)
    return CloudFrontSigner(settings.CLOUDFRONT_KEY_ID, rsa_signer).generate_presigned_url(
        url, date_less_than=expires
    )


# The embedded default: a link signed by the app -------------------------------------------


def _local_signed_url(storage_alias: str, name: str, ttl: int) -> str:
    token = signing.dumps({"s": storage_alias, "n": name, "e": int(time.time()) + ttl}, salt=SIGNING_SALT)
    return reverse("core:private-file", args=[token])


def private_file_name(token: str) -> tuple[str, str] | None:
    """(storage alias, name) of a link `_local_signed_url` made, None if forged or expired."""
    try:
        claims = signing.loads(token, salt=SIGNING_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(claims, dict) or not isinstance(claims.get("e"), int) or claims["e"] < time.time():
        return None
    alias, name = claims.get("s"), claims.get("n")
    if alias not in settings.STORAGES or not isinstance(name, str) or not name:
        return None
    return alias, name

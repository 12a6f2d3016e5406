"""The file adapter of bureau reporting: the month's positive rent data as a CSV file,
signed with Ed25519 and stored encrypted (the KYC document encryption, kyc.seal_file).

Layout (docs/scoring.md « Credit bureau reporting » has the table): UTF-8, comma-separated,
RFC 4180 quoting, LF line ends, a header line, then one `D` line per tenant-month and a
closing `T` line:

    record_type,member_code,period,subject_ref,full_name,phone,id_verified,contract_ref,
    creditor_ref,contract_type,due_date,amount_due,amount_paid,currency,days_late,status
    D,HOKWE,2026-11,<uuid>,Awa Dossou,+22997000001,1,<lease uuid>,<org uuid>,RENT,2026-11-05,
      150000,150000,XOF,0,on_time
    T,HOKWE,2026-11,<lines>,<sum of amount_paid>,,,,,,,,,,,

Amounts are integers in the currency's minor units (XOF has none). The signature is the
Ed25519 signature of the exact file bytes (base64), stored on the export row and delivered
as `<file>.sig` next to the file; the bureau verifies with our public key
(`manage.py scoring_bureau --public-key`)."""

from __future__ import annotations

import base64
import csv
import hashlib
import io

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from ..models import BureauExport
from .bureau import BureauRecord, BureauResult

HEADER = [
    "record_type",
    "member_code",
    "period",
    "subject_ref",
    "full_name",
    "phone",
    "id_verified",
    "contract_ref",
    "creditor_ref",
    "contract_type",
    "due_date",
    "amount_due",
    "amount_paid",
    "currency",
    "days_late",
    "status",
]
STORAGE_ALIAS = "default"


def signing_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(base64.b64decode(settings.SCORING_BUREAU_SIGNING_KEY))


def public_key_b64() -> str:
    raw = signing_key().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def verify(content: bytes, signature_b64: str, public_b64: str | None = None) -> bool:
    from cryptography.exceptions import InvalidSignature

    key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_b64 or public_key_b64()))
    try:
        key.verify(base64.b64decode(signature_b64), content)
    except InvalidSignature:
        return False
    return True


def render(period: str, records: list[BureauRecord]) -> bytes:
    member = settings.SCORING_BUREAU_MEMBER_CODE
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for r in records:
        writer.writerow(
            [
                "D",
                member,
                r.period,
                r.subject,
                r.full_name,
                r.phone,
                1 if r.identity_verified else 0,
                r.lease,
                r.landlord,
                "RENT",
                r.due_date.isoformat(),
                r.amount_due,
                r.amount_paid,
                r.currency,
                r.days_late,
                r.status,
            ]
        )
    trailer = ["T", member, period, len(records), sum(r.amount_paid for r in records)]
    writer.writerow(trailer + [""] * (len(HEADER) - len(trailer)))
    return out.getvalue().encode("utf-8")


def _aad(export: BureauExport) -> bytes:
    return f"scoring.bureau_export|{export.public_id}".encode()


def read(export: BureauExport) -> bytes:
    """The plain file back (staff's download in the admin), checked against its digest."""
    from apps.kyc import api as kyc

    with storages[STORAGE_ALIAS].open(export.storage_name, "rb") as handle:
        blob = handle.read()
    content = kyc.unseal_file(
        blob, key_id=export.key_id, wrapped_key=bytes(export.wrapped_key), aad=_aad(export)
    )
    if hashlib.sha256(content).hexdigest() != export.sha256:
        raise ValueError("bureau export does not match its digest")
    return content


class FileBureau:
    name = "file"

    def submit(self, export: BureauExport, records: list[BureauRecord]) -> BureauResult:
        from apps.kyc import api as kyc

        content = render(export.period, records)
        signature = base64.b64encode(signing_key().sign(content)).decode()
        sealed = kyc.seal_file(content, aad=_aad(export))
        member = settings.SCORING_BUREAU_MEMBER_CODE
        export.file_name = f"{member}_RENT_{export.period.replace('-', '')}.csv"
        export.storage_name = storages[STORAGE_ALIAS].save(
            f"scoring/bureau/{export.period}/{export.public_id.hex}.bin", ContentFile(sealed.blob)
        )
        export.key_id = sealed.key_id
        export.wrapped_key = sealed.wrapped_key
        export.sha256 = hashlib.sha256(content).hexdigest()
        export.signature = signature
        return BureauResult(status=BureauExport.Status.BUILT)

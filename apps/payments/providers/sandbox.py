"""The sandbox provider: a local simulator for the embedded default and the demos.

It keeps its own book (SandboxTransaction), as a real provider would, and has its own page
(/pay/sandbox/<reference>) where the payer approves or declines, clearly labelled as a
simulation. Approving sends a signed webhook through the same ingestion as real providers.
Prod settings refuse it (PAYMENT_PROVIDERS must not include "sandbox").

Payouts: they succeed, except to a number ending in 0000 (to show a failure).

Account lookup (a payout number's holder): the demo numbers answer their demo person's name
(DEMO_ACCOUNT_HOLDERS, plus SANDBOX_ACCOUNT_HOLDERS from the settings), labelled as a
simulation; a number ending in 9999 answers another person's name (to show a mismatch);
any other number is unknown to the sandbox (staff review).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets

from django.conf import settings
from django.urls import reverse

from .base import (
    AccountHolder,
    BaseProvider,
    Capability,
    Checkout,
    CheckoutRequest,
    PayoutDestination,
    PayoutResult,
    RefundResult,
    TransactionInfo,
    TxStatus,
    WebhookMessage,
    WebhookRejected,
    constant_time_equal,
    header,
)

STATUS_MAP = {
    "SUCCESS": TxStatus.SUCCEEDED,
    "PENDING": TxStatus.PENDING,
    "FAILED": TxStatus.FAILED,
    "REVERTED": TxStatus.REVERTED,
}


# The demo people's numbers (identity's and estate's demo data) and their names, as the
# mobile money operator would know them.
DEMO_ACCOUNT_HOLDERS = {
    "+2290196000001": "Mathieu Adjovi",
}
MISMATCH_NAME = ("Koffi", "Simulé")


def webhook_secret() -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), b"hokwe-payments-sandbox-webhook", hashlib.sha256
    ).hexdigest()


def _book():
    from ..models import SandboxTransaction

    return SandboxTransaction


class SandboxProvider(BaseProvider):
    name = "sandbox"
    label = "Sandbox (simulation)"
    capabilities = frozenset(Capability)
    methods = frozenset({"mobile_money", "card"})

    def _new(self, *, kind: str, amount: int, currency: str, partner: str = "", phone: str = ""):
        return _book().objects.create(
            reference=f"sbx_{secrets.token_urlsafe(12)}",
            kind=kind,
            amount=amount,
            currency=currency,
            partner_reference=partner,
            phone=phone,
        )

    def start_checkout(self, request: CheckoutRequest) -> Checkout:
        row = self._new(
            kind="collect",
            amount=request.amount,
            currency=request.currency,
            partner=request.attempt_token,
            phone=request.payer_phone,
        )
        url = reverse("payments:sandbox", args=[row.reference])
        return Checkout(kind="sandbox", url=url, provider_reference=row.reference)

    def push(self, request: CheckoutRequest, *, phone: str, operator: str = "") -> Checkout:
        row = self._new(
            kind="collect",
            amount=request.amount,
            currency=request.currency,
            partner=request.attempt_token,
            phone=phone,
        )
        return Checkout(
            kind="push",
            url=reverse("payments:sandbox", args=[row.reference]),
            provider_reference=row.reference,
        )

    def _info(self, row) -> TransactionInfo:
        return TransactionInfo(
            reference=row.reference,
            status=STATUS_MAP.get(row.status, TxStatus.PENDING),
            amount=row.amount,
            currency=row.currency,
            fees=0,
            source="MOBILE_MONEY",
            source_name="sandbox",
            performed_at=row.updated_at,
            partner_reference=row.partner_reference,
            raw={"status": row.status, "amount": row.amount, "transactionId": row.reference},
        )

    def verify(self, reference: str) -> TransactionInfo:
        row = _book().objects.filter(reference=reference, kind="collect").first()
        if row is None:
            return TransactionInfo(reference=reference, status=TxStatus.NOT_FOUND)
        return self._info(row)

    def refund(self, reference: str, *, amount: int, full: bool, key: str = "") -> RefundResult:
        if key:
            done = _book().objects.filter(kind="refund", partner_reference=key[:64]).first()
            if done is not None:  # the same refund asked again: once per key
                return RefundResult(reference=done.reference, status=TxStatus.REVERTED)
        row = _book().objects.filter(reference=reference, kind="collect").first()
        if row is None or row.status not in ("SUCCESS", "REVERTED"):
            from .base import ProviderRejected

            raise ProviderRejected("sandbox: nothing to refund")
        if full:
            _book().objects.filter(pk=row.pk).update(status="REVERTED")
        refund = self._new(
            kind="refund", amount=amount, currency=row.currency, partner=(key or reference)[:64]
        )
        _book().objects.filter(pk=refund.pk).update(status="SUCCESS")
        return RefundResult(reference=refund.reference, status=TxStatus.REVERTED)

    def list_transactions(self, *, start, end):
        rows = (
            _book().objects.filter(kind="collect", created_at__gte=start, created_at__lt=end).order_by("id")
        )
        for row in rows.iterator():
            yield self._info(row)

    def payout(
        self, *, reference: str, amount: int, currency: str, destination: PayoutDestination
    ) -> PayoutResult:
        row = self._new(
            kind="payout", amount=amount, currency=currency, partner=reference, phone=destination.phone
        )
        status = "FAILED" if (destination.phone or destination.account_number).endswith("0000") else "SUCCESS"
        _book().objects.filter(pk=row.pk).update(status=status)
        return PayoutResult(reference=row.reference, status="processing")

    def payout_status(self, reference: str) -> PayoutResult:
        row = _book().objects.filter(reference=reference, kind="payout").first()
        if row is None:
            return PayoutResult(reference=reference, status="failed", reason="unknown payout")
        status = {"SUCCESS": "paid", "FAILED": "failed"}.get(row.status, "processing")
        return PayoutResult(
            reference=reference,
            status=status,
            reason="sandbox: number ending in 0000" if status == "failed" else "",
        )

    def find_payout(self, reference: str) -> PayoutResult | None:
        row = _book().objects.filter(kind="payout", partner_reference=reference).first()
        return None if row is None else PayoutResult(reference=row.reference, status="processing")

    def account_holder(self, phone: str) -> AccountHolder | None:
        holders = {**DEMO_ACCOUNT_HOLDERS, **(getattr(settings, "SANDBOX_ACCOUNT_HOLDERS", None) or {})}
        name = holders.get(phone)
        if name:
            given, _sep, family = str(name).partition(" ")
            return AccountHolder(
                given_name=given, family_name=family, status="ACTIVE", source=self.name, simulated=True
            )
        if phone.endswith("9999"):
            given, family = MISMATCH_NAME
            return AccountHolder(
                given_name=given, family_name=family, status="ACTIVE", source=self.name, simulated=True
            )
        return None

    # The simulator's webhooks: the same shape as Kkiapay's, signed with a derived secret.
    def webhook_body(self, row) -> bytes:
        return json.dumps(
            {
                "transactionId": row.reference,
                "isPaymentSucces": row.status == "SUCCESS",
                "event": "transaction.success" if row.status == "SUCCESS" else "transaction.failed",
                "amount": row.amount,
                "partnerId": row.partner_reference,
            }
        ).encode()

    def verify_webhook(self, *, headers, body: bytes) -> None:
        given = header(headers, "x-sandbox-secret")
        if not given or not constant_time_equal(given, webhook_secret()):
            raise WebhookRejected("bad x-sandbox-secret")

    def parse_webhook(self, body: bytes) -> WebhookMessage:
        try:
            payload = json.loads(body)
        except ValueError as exc:
            raise WebhookRejected("body is not JSON") from exc
        if not isinstance(payload, dict) or not payload.get("transactionId"):
            raise WebhookRejected("no transactionId")
        reference = str(payload["transactionId"])
        event = str(payload.get("event") or "transaction.failed")
        return WebhookMessage(
            event_id=f"{reference}:{event}",
            event_type=event,
            reference=reference,
            partner_reference=str(payload.get("partnerId") or ""),
        )

"""A local Kkiapay: the admin API as its public SDKs use it (kkiapay 0.0.6 for Python, the
PHP and Node SDKs), served by pytest-httpserver.

    POST /api/v1/transactions/status  {"transactionId"}   200 transaction | 4xx {"status": …}
    POST /api/v1/transactions/revert  {"transactionId"}   200 {"code","description","transactionId"}
    headers: X-API-KEY, X-PRIVATE-KEY, X-SECRET-KEY, Accept: application/json

Error shapes: wrong keys → 401 {"status": 4001, "reason": "INVALID_CREDENTIALS"}; an
unknown id → 400 {"status": "TRANSACTION_NOT_FOUND", "reason": …} (the SDKs read any 4xx
as not found); a revert of a transaction that is not SUCCESS → 400
{"status": "TRANSACTION_NOT_ELIGIBLE", …}. `down` simulates an outage ("500" or "timeout").
Tests/payments/test_kkiapay_sdk.py checks this server against the community SDK.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from dataclasses import dataclass, field

from werkzeug.wrappers import Request, Response

PUBLIC, PRIVATE, SECRET = "pk_test_hokwe", "tpk_test_hokwe", "tsk_test_hokwe"
WEBHOOK_SECRET = "whsec_kkiapay_hokwe"


@dataclass
class FakeKkiapay:
    transactions: dict = field(default_factory=dict)
    down: str = ""  # "", "500" or "timeout"
    calls: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(
        self,
        *,
        amount: int,
        status: str = "SUCCESS",
        partner: str = "",
        fees: int | None = None,
        reference: str | None = None,
    ) -> str:
        reference = reference or secrets.token_urlsafe(6)
        self.transactions[reference] = {
            "performed_at": "2026-11-24T09:30:00.000Z",
            "received_at": 1795512600000,
            "type": "DEBIT",
            "status": status,
            "source": "MOBILE_MONEY",
            "source_common_name": "mtn-benin",
            "amount": amount,
            "fees": fees if fees is not None else amount * 19 // 1000,
            "net": 0,
            "externalTransactionId": f"ext-{reference}",
            "transactionId": reference,
            "reason": None,
            "partnerId": partner,
        }
        return reference

    def set_status(self, reference: str, status: str) -> None:
        self.transactions[reference]["status"] = status

    def install(self, httpserver) -> None:
        httpserver.expect_request("/api/v1/transactions/status", method="POST").respond_with_handler(
            self.status
        )
        httpserver.expect_request("/api/v1/transactions/revert", method="POST").respond_with_handler(
            self.revert
        )

    def _guard(self, request: Request) -> Response | None:
        with self.lock:
            self.calls.append((request.path, request.get_data(as_text=True)))
        if self.down == "timeout":
            time.sleep(0.8)  # longer than the client timeout the tests set (0.5 s)
            return Response("", status=504)
        if self.down == "500":
            return Response("<html>Internal Server Error</html>", status=500, content_type="text/html")
        headers = request.headers
        if (
            headers.get("X-API-KEY") != PUBLIC
            or headers.get("X-PRIVATE-KEY") != PRIVATE
            or headers.get("X-SECRET-KEY") != SECRET
        ):
            return self._json({"status": 4001, "reason": "INVALID_CREDENTIALS"}, 401)
        return None

    @staticmethod
    def _json(body, status=200) -> Response:
        return Response(json.dumps(body), status=status, content_type="application/json")

    def _transaction_id(self, request: Request) -> str:
        try:
            return str(json.loads(request.get_data() or b"{}").get("transactionId") or "")
        except ValueError:
            return ""

    def status(self, request: Request) -> Response:
        refused = self._guard(request)
        if refused is not None:
            return refused
        transaction = self.transactions.get(self._transaction_id(request))
        if transaction is None:
            return self._json({"status": "TRANSACTION_NOT_FOUND", "reason": "Transaction not found"}, 400)
        return self._json(transaction)

    def revert(self, request: Request) -> Response:
        refused = self._guard(request)
        if refused is not None:
            return refused
        reference = self._transaction_id(request)
        transaction = self.transactions.get(reference)
        if transaction is None:
            return self._json({"status": "TRANSACTION_NOT_FOUND", "reason": "Transaction not found"}, 400)
        if transaction["status"] != "SUCCESS":
            return self._json({"status": "TRANSACTION_NOT_ELIGIBLE", "reason": "Not eligible"}, 400)
        transaction["status"] = "REVERTED"
        return self._json({"code": "SUCCESS", "description": "REVERTED", "transactionId": reference})


def webhook_body(reference: str, *, success: bool = True, amount: int = 0, partner: str = "") -> bytes:
    return json.dumps(
        {
            "transactionId": reference,
            "isPaymentSucces": success,
            "event": "transaction.success" if success else "transaction.failed",
            "amount": amount,
            "fees": 0,
            "method": "MOBILE_MONEY",
            "partnerId": partner,
            "performedAt": "2026-11-24T09:30:00.000Z",
            "stateData": {},
            "failureCode": None if success else "declined",
            "failureMessage": None if success else "Declined by the payer",
        }
    ).encode()

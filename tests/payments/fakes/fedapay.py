"""A local FedaPay (https://docs.fedapay.com, and its official SDKs): Bearer secret key,
objects wrapped under their type ("v1/transaction"), tokens, pushes, payouts, listings.
Errors: 401 {"message": "Unauthenticated."}; 404 {"message": "…not found"}. `lose_answer`
holds (method, path) pairs answered 502 after the work is done (the answer lost on the way
back), for the sweeper's tests."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from werkzeug.wrappers import Request, Response

SECRET = "sk_sandbox_hokwe"
WEBHOOK_SECRET = "wh_sandbox_hokwe"


@dataclass
class FakeFedapay:
    transactions: dict = field(default_factory=dict)
    payouts: dict = field(default_factory=dict)
    pushed: list = field(default_factory=list)
    next_id: int = 1000
    down: str = ""
    # the answer is lost after the work is done (a gateway error once the provider created
    # the object): for these paths, create, then answer 502
    lose_answer: set = field(default_factory=set)

    def install(self, httpserver) -> None:
        for method in ("GET", "POST", "PUT"):
            httpserver.expect_request(re.compile(r"^/v1/.*"), method=method).respond_with_handler(self.handle)

    @staticmethod
    def _json(body, status=200):
        return Response(json.dumps(body), status=status, content_type="application/json")

    def _id(self) -> int:
        self.next_id += 1
        return self.next_id

    def handle(self, request: Request) -> Response:
        if self.down == "500":
            return Response("oops", status=500)
        if request.headers.get("Authorization") != f"Bearer {SECRET}":
            return self._json({"message": "Unauthenticated."}, 401)
        path, method = request.path, request.method
        body = json.loads(request.get_data() or b"{}") if request.get_data() else {}
        response = self._handle(request, path, method, body)
        if (method, path) in self.lose_answer:
            return Response("<html>502 Bad Gateway</html>", status=502, content_type="text/html")
        return response

    def _handle(self, request: Request, path: str, method: str, body: dict) -> Response:
        if path == "/v1/transactions" and method == "POST":
            tid = self._id()
            self.transactions[tid] = {
                "id": tid,
                "reference": f"trx_{tid}",
                "amount": body["amount"],
                "currency": {"iso": body["currency"]["iso"]},
                "status": "pending",
                "custom_metadata": body.get("custom_metadata", {}),
                "created_at": "2026-11-24T09:30:00.000Z",
            }
            return self._json({"v1/transaction": self.transactions[tid]})
        if (m := re.fullmatch(r"/v1/transactions/(\d+)/token", path)) and method == "POST":
            return self._json(
                {"token": f"tok_{m.group(1)}", "url": f"https://process.fedapay.com/tok_{m.group(1)}"}
            )
        if (m := re.fullmatch(r"/v1/transactions/(\d+)", path)) and method == "GET":
            row = self.transactions.get(int(m.group(1)))
            if row is None:
                return self._json({"message": "Transaction not found"}, 404)
            return self._json({"v1/transaction": row})
        if path == "/v1/transactions" and method == "GET":
            return self._json(
                {
                    "v1/transactions": list(self.transactions.values()),
                    "meta": {"current_page": 1, "last_page": 1},
                }
            )
        if path == "/v1/payouts" and method == "POST":
            pid = self._id()
            self.payouts[pid] = {
                "id": pid,
                "amount": body["amount"],
                "status": "pending",
                "customer": body["customer"],
                "custom_metadata": body.get("custom_metadata", {}),
            }
            return self._json({"v1/payout": self.payouts[pid]})
        if path == "/v1/payouts" and method == "GET":
            return self._json(
                {"v1/payouts": list(self.payouts.values()), "meta": {"current_page": 1, "last_page": 1}}
            )
        if path == "/v1/payouts/start" and method == "PUT":
            for item in body.get("payouts", []):
                self.payouts[int(item["id"])]["status"] = "started"
            return self._json({"v1/payouts": [self.payouts[int(i["id"])] for i in body.get("payouts", [])]})
        if (m := re.fullmatch(r"/v1/payouts/(\d+)", path)) and method == "GET":
            row = self.payouts.get(int(m.group(1)))
            if row is None:
                return self._json({"message": "Payout not found"}, 404)
            return self._json({"v1/payout": row})
        if (m := re.fullmatch(r"/v1/([a-z_]+)", path)) and method == "POST":
            self.pushed.append((m.group(1), body.get("token")))
            return self._json({"message": "Request sent"})
        return self._json({"message": "Not found"}, 404)

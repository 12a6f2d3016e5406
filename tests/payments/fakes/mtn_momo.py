"""A local MTN MoMo Open API (https://momodeveloper.mtn.com: the Collection and Disbursement
products as documented — CreateAccessToken, RequesttoPay, RequesttoPayTransactionStatus,
Transfer, GetTransferStatus, GetBasicUserinfo, ValidateAccountHolderStatus), served by
pytest-httpserver.

- `POST /{product}/token/`: HTTP Basic (API user : API key) and the PRODUCT's
  Ocp-Apim-Subscription-Key; `{"access_token", "token_type": "access_token", "expires_in"}`;
  wrong credentials: 401 `{"error": "login_failed"}`;
- every other call: Bearer token issued for that product, its subscription key,
  X-Target-Environment (another one: 500 NOT_ALLOWED_TARGET_ENVIRONMENT, as MTN answers);
  an unknown or expired token: 401 `{"statusCode": 401, "message": "Access token is missing or invalid"}`;
- `POST /collection/v1_0/requesttopay`, `POST /disbursement/v1_0/transfer`: X-Reference-Id
  must be a UUID version 4 (else 400 `{"code": "INVALID_REFERENCE_ID"}`…); a reference id
  already used: 409 `{"code": "RESOURCE_ALREADY_EXIST", "message": "Duplicated reference id…"}`;
  a currency other than the environment's: 500 `{"code": "INVALID_CURRENCY"}`; a number in
  `refuse`: that HTTP status and code (e.g. 404 PAYER_NOT_FOUND); else 202, no body, and the
  transaction is PENDING (or the number's `outcome` at once, as the sandbox's test numbers);
- `GET /collection/v1_0/requesttopay/{id}`, `GET /disbursement/v1_0/transfer/{id}`: 200 the
  request's fields + status, reason, financialTransactionId; unknown: 404 RESOURCE_NOT_FOUND;
- `GET /{product}/v1_0/accountholder/msisdn/{msisdn}/basicuserinfo` and `/active`;
- callbacks: `callback_body(reference)` is what MTN PUTs on X-Callback-Url (the status body,
  without the reference id).

`down` answers 500 INTERNAL_PROCESSING_ERROR (or 503 for the token); `lose_answer` holds
(method, path) pairs answered 500 after the work is done (MTN got it, the answer was lost).
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import threading
import uuid
from dataclasses import dataclass, field

from werkzeug.wrappers import Request, Response

API_USER = "4a1c3f6e-8b7d-4e2a-9c10-5f0d2b7e6a31"
API_KEY = "f1e2d3c4b5a6978877665544332211aa"
DISBURSEMENT_KEY = "0123456789abcdef0123456789abcdef"
COLLECTION_KEY = "fedcba9876543210fedcba9876543210"
TARGET = "sandbox"
KEYS = {"collection": COLLECTION_KEY, "disbursement": DISBURSEMENT_KEY}


@dataclass
class FakeMtnMomo:
    currency: str = "EUR"
    holders: dict = field(default_factory=dict)  # msisdn (digits) -> {"given_name", "family_name"}
    tokens: dict = field(default_factory=dict)  # token -> product
    transactions: dict = field(default_factory=dict)  # (product, reference id) -> body + status
    refuse: dict = field(default_factory=dict)  # msisdn -> (http status, code): refused at once
    outcome: dict = field(default_factory=dict)  # msisdn -> (status, reason): final at once
    calls: list = field(default_factory=list)  # (method, path, headers)
    bodies: list = field(default_factory=list)  # (path, json body) of the POSTs received
    down: bool = False
    lose_answer: set = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def install(self, httpserver) -> None:
        for method in ("GET", "POST"):
            httpserver.expect_request(
                re.compile(r"^/(collection|disbursement)/.*"), method=method
            ).respond_with_handler(self.handle)

    # --- what a test sets up or does ---------------------------------------------------------

    def add(self, phone: str, given_name: str, family_name: str) -> None:
        self.holders[_digits(phone)] = {"given_name": given_name, "family_name": family_name}

    def expire_tokens(self) -> None:
        self.tokens.clear()

    def settle(self, reference: str, status: str = "SUCCESSFUL", reason: str = "") -> dict:
        """The payer approved (or refused) on the phone; the transfer went through (or not)."""
        for (_product, ref), row in self.transactions.items():
            if ref == reference:
                row["status"] = status
                if status == "SUCCESSFUL":
                    row["financialTransactionId"] = str(secrets.randbelow(10**9) + 10**9)
                    row.pop("reason", None)
                if reason:
                    row["reason"] = reason
                return row
        raise KeyError(reference)

    def callback_body(self, reference: str, **changes) -> bytes:
        """What MTN sends to X-Callback-Url: the status body (no reference id)."""
        row = next(r for (_p, ref), r in self.transactions.items() if ref == reference)
        return json.dumps({**row, **changes}).encode()

    def posts(self, path: str) -> list:
        return [body for p, body in self.bodies if p == path]

    # --- the server ------------------------------------------------------------------------

    @staticmethod
    def _json(body, status=200):
        return Response(json.dumps(body), status=status, content_type="application/json")

    def handle(self, request: Request) -> Response:
        with self.lock:
            self.calls.append((request.method, request.path, dict(request.headers)))
        product = request.path.split("/")[1]
        if request.path == f"/{product}/token/" and request.method == "POST":
            return self._token(request, product)
        if self.down:
            return self._json(
                {"code": "INTERNAL_PROCESSING_ERROR", "message": "An internal error occurred."}, 500
            )
        authorization = request.headers.get("Authorization", "")
        token = authorization.removeprefix("Bearer ") if authorization.startswith("Bearer ") else ""
        if (
            self.tokens.get(token) != product
            or request.headers.get("Ocp-Apim-Subscription-Key") != KEYS[product]
        ):
            return self._json({"statusCode": 401, "message": "Access token is missing or invalid"}, 401)
        if request.headers.get("X-Target-Environment") != TARGET:
            return self._json(
                {
                    "code": "NOT_ALLOWED_TARGET_ENVIRONMENT",
                    "message": "Access to target environment is forbidden.",
                },
                500,
            )
        response = self._route(request, product)
        if (request.method, request.path) in self.lose_answer:
            return self._json(
                {"code": "INTERNAL_PROCESSING_ERROR", "message": "An internal error occurred."}, 500
            )
        return response

    def _token(self, request: Request, product: str) -> Response:
        if self.down:
            return Response("upstream error", status=503)
        expected = "Basic " + base64.b64encode(f"{API_USER}:{API_KEY}".encode()).decode()
        if request.headers.get("Authorization") != expected or request.headers.get(
            "Ocp-Apim-Subscription-Key"
        ) != KEYS.get(product):
            return self._json({"error": "login_failed"}, 401)
        token = secrets.token_urlsafe(24)
        self.tokens[token] = product
        return self._json({"access_token": token, "token_type": "access_token", "expires_in": 3600})

    def _route(self, request: Request, product: str) -> Response:
        path, method = request.path, request.method
        kind = "requesttopay" if product == "collection" else "transfer"
        if method == "POST" and path == f"/{product}/v1_0/{kind}":
            return self._create(request, product)
        if method == "GET" and (m := re.fullmatch(rf"/{product}/v1_0/{kind}/([^/]+)", path)):
            row = self.transactions.get((product, m.group(1)))
            if row is None:
                return self._json(
                    {"code": "RESOURCE_NOT_FOUND", "message": "Requested resource was not found."}, 404
                )
            return self._json(row)
        if method == "GET" and (
            m := re.fullmatch(rf"/{product}/v1_0/accountholder/msisdn/(\d+)/(\w+)", path)
        ):
            holder = self.holders.get(m.group(1))
            if m.group(2) == "active":
                return self._json({"result": holder is not None})
            if holder is None:
                return self._json(
                    {"code": "RESOURCE_NOT_FOUND", "message": "Requested resource was not found."}, 404
                )
            return self._json(
                {**holder, "birthdate": "1976-10-13", "locale": "fr-BJ", "gender": "MALE", "status": "ACTIVE"}
            )
        return self._json({"code": "RESOURCE_NOT_FOUND", "message": "Requested resource was not found."}, 404)

    def _create(self, request: Request, product: str) -> Response:
        reference = request.headers.get("X-Reference-Id", "")
        try:
            valid = uuid.UUID(reference).version == 4 and str(uuid.UUID(reference)) == reference.lower()
        except ValueError:
            valid = False
        if not valid:
            return self._json(
                {"code": "INVALID_REFERENCE_ID", "message": "X-Reference-Id is not a UUID v4."}, 400
            )
        try:
            body = json.loads(request.get_data() or b"{}")
        except ValueError:
            return self._json({"code": "BAD_REQUEST", "message": "Body is not JSON."}, 400)
        with self.lock:
            self.bodies.append((request.path, body))
        if (product, reference) in self.transactions:
            return self._json(
                {
                    "code": "RESOURCE_ALREADY_EXIST",
                    "message": "Duplicated reference id. Creation of resource failed.",
                },
                409,
            )
        party_key = "payer" if product == "collection" else "payee"
        party = body.get(party_key) or {}
        number = str(party.get("partyId") or "")
        if (
            party.get("partyIdType") != "MSISDN"
            or not number.isdigit()
            or not re.fullmatch(r"\d+(\.\d+)?", str(body.get("amount")))
        ):
            return self._json(
                {"code": "BAD_REQUEST", "message": "Request does not follow the specification."}, 400
            )
        if "'" in json.dumps(body):
            return self._json({"code": "BAD_REQUEST", "message": "Unsupported character."}, 400)
        if body.get("currency") != self.currency:
            return self._json({"code": "INVALID_CURRENCY", "message": "Currency not supported."}, 500)
        if number in self.refuse:
            status, code = self.refuse[number]
            return self._json({"code": code, "message": f"{code.replace('_', ' ').capitalize()}."}, status)
        row = {
            "amount": str(body["amount"]),
            "currency": body["currency"],
            "externalId": str(body.get("externalId") or ""),
            party_key: {"partyIdType": "MSISDN", "partyId": number},
            "payerMessage": body.get("payerMessage", ""),
            "payeeNote": body.get("payeeNote", ""),
            "status": "PENDING",
        }
        self.transactions[(product, reference)] = row
        if number in self.outcome:
            status, reason = self.outcome[number]
            self.settle(reference, status, reason)
        return Response("", status=202)


def _digits(phone: str) -> str:
    return "".join(ch for ch in phone if ch.isdigit())

"""A local MTN MoMo Open API (Disbursements): the OAuth token and the account holder's basic
user info, as documented at https://momodeveloper.mtn.com (API "Disbursement",
operations CreateAccessToken and GetBasicUserinfo).

- `POST /disbursement/token/`: HTTP Basic (API user : API key) and Ocp-Apim-Subscription-Key;
  `{"access_token", "token_type": "access_token", "expires_in": 3600}`; wrong credentials:
  401 `{"error": "login_failed"}`;
- `GET /disbursement/v1_0/accountholder/msisdn/{msisdn}/basicuserinfo`: Bearer token,
  X-Target-Environment, subscription key; 200 `{given_name, family_name, birthdate, locale,
  gender, status}`; an unknown number: 404 `{"code": "RESOURCE_NOT_FOUND", "message": …}`;
  an expired or unknown token: 401 `{"statusCode": 401, "message": "Access token is missing or invalid"}`.
"""

from __future__ import annotations

import base64
import json
import re
import secrets
from dataclasses import dataclass, field

from werkzeug.wrappers import Request, Response

API_USER = "4a1c3f6e-8b7d-4e2a-9c10-5f0d2b7e6a31"
API_KEY = "f1e2d3c4b5a6978877665544332211aa"
SUBSCRIPTION_KEY = "0123456789abcdef0123456789abcdef"
TARGET = "sandbox"


@dataclass
class FakeMtn:
    holders: dict = field(default_factory=dict)  # msisdn (digits) -> {"given_name", "family_name"}
    tokens: set = field(default_factory=set)
    calls: list = field(default_factory=list)  # (method, path, headers)
    down: bool = False

    def install(self, httpserver) -> None:
        httpserver.expect_request("/disbursement/token/", method="POST").respond_with_handler(self.token)
        httpserver.expect_request(
            re.compile(r"^/disbursement/v1_0/accountholder/msisdn/[^/]+/basicuserinfo$"), method="GET"
        ).respond_with_handler(self.basic_user_info)

    def add(self, phone: str, given_name: str, family_name: str) -> None:
        self.holders["".join(ch for ch in phone if ch.isdigit())] = {
            "given_name": given_name,
            "family_name": family_name,
        }

    def expire_tokens(self) -> None:
        self.tokens.clear()

    @staticmethod
    def _json(body, status=200):
        return Response(json.dumps(body), status=status, content_type="application/json")

    def _log(self, request: Request) -> None:
        self.calls.append((request.method, request.path, dict(request.headers)))

    def token(self, request: Request) -> Response:
        self._log(request)
        if self.down:
            return Response("upstream error", status=503)
        expected = "Basic " + base64.b64encode(f"{API_USER}:{API_KEY}".encode()).decode()
        if (
            request.headers.get("Authorization") != expected
            or request.headers.get("Ocp-Apim-Subscription-Key") != SUBSCRIPTION_KEY
        ):
            return self._json({"error": "login_failed"}, 401)
        token = secrets.token_urlsafe(24)
        self.tokens.add(token)
        return self._json({"access_token": token, "token_type": "access_token", "expires_in": 3600})

    def basic_user_info(self, request: Request) -> Response:
        self._log(request)
        if self.down:
            return Response("upstream error", status=503)
        authorization = request.headers.get("Authorization", "")
        if (
            not authorization.startswith("Bearer ")
            or authorization.removeprefix("Bearer ") not in self.tokens
            or request.headers.get("Ocp-Apim-Subscription-Key") != SUBSCRIPTION_KEY
        ):
            return self._json({"statusCode": 401, "message": "Access token is missing or invalid"}, 401)
        if request.headers.get("X-Target-Environment") != TARGET:
            return self._json(
                {
                    "code": "NOT_ALLOWED_TARGET_ENVIRONMENT",
                    "message": "Access to target environment is forbidden.",
                },
                403,
            )
        msisdn = request.path.split("/")[-2]
        holder = self.holders.get(msisdn)
        if holder is None:
            return self._json(
                {"code": "RESOURCE_NOT_FOUND", "message": "Requested resource was not found."}, 404
            )
        return self._json(
            {
                **holder,
                "birthdate": "1976-10-13",
                "locale": "fr-BJ",
                "gender": "MALE",
                "status": "ACTIVE",
            }
        )

"""A local Matomo speaking the Tracking HTTP API's bulk requests
(developer.matomo.org/api-reference/tracking-api), served by pytest-httpserver:

    POST /matomo.php  {"requests": ["?idsite=1&rec=1&…", …], "token_auth": "…"}
        -> 200 {"status": "success", "tracked": N, "invalid": M, "invalid_indices": […]}
        -> 400 {"status": "error", "message": …} for a body that is not bulk JSON
        -> 401 {"status": "error", …} for a wrong token (bulk requests with `cdt` need it)

A request is valid when it names the site (`idsite`), has `rec=1`, and, being an event,
a category and an action (`e_c`, `e_a`); `_id` must be 16 hexadecimal characters. Tracked
requests are kept parsed (`fake.tracked`, one dict each), every body is recorded (`fake.bodies`).
`fake.fail("500")` answers the next request with that status.
"""

from __future__ import annotations

import json
import re
import threading
from urllib.parse import parse_qs

from werkzeug.wrappers import Request, Response

TOKEN = "matomo-test-token"
SITE_ID = 3


class FakeMatomo:
    def __init__(self, *, token: str = TOKEN, site_id: int = SITE_ID):
        self.token = token
        self.site_id = site_id
        self.bodies: list[dict] = []
        self.tracked: list[dict] = []
        self._failures: list[str] = []
        self.lock = threading.Lock()
        self.url = ""

    def install(self, httpserver) -> FakeMatomo:
        httpserver.expect_request("/matomo.php", method="POST").respond_with_handler(self.handle)
        self.url = httpserver.url_for("/matomo.php")
        return self

    def fail(self, status: str) -> None:
        self._failures.append(status)

    @staticmethod
    def _answer(status: int, body: dict) -> Response:
        return Response(json.dumps(body), status=status, content_type="application/json")

    def handle(self, request: Request) -> Response:
        with self.lock:
            if self._failures:
                return self._answer(int(self._failures.pop(0)), {"status": "error"})
            try:
                body = json.loads(request.get_data())
            except ValueError:
                return self._answer(400, {"status": "error", "message": "not JSON"})
            self.bodies.append(body)
            if not isinstance(body, dict) or not isinstance(body.get("requests"), list):
                return self._answer(400, {"status": "error", "message": "requests is required"})
            if body.get("token_auth") != self.token:
                return self._answer(401, {"status": "error", "message": "token_auth is not valid"})
            invalid = []
            for index, raw in enumerate(body["requests"]):
                params = {k: v[0] for k, v in parse_qs(str(raw).lstrip("?")).items()}
                if self._valid(params):
                    self.tracked.append(params)
                else:
                    invalid.append(index)
            return self._answer(
                200,
                {
                    "status": "success",
                    "tracked": len(body["requests"]) - len(invalid),
                    "invalid": len(invalid),
                    "invalid_indices": invalid,
                },
            )

    def _valid(self, params: dict) -> bool:
        if params.get("idsite") != str(self.site_id) or params.get("rec") != "1":
            return False
        if not (params.get("e_c") and params.get("e_a")):
            return False
        if "_id" in params and not re.fullmatch(r"[0-9a-fA-F]{16}", params["_id"]):
            return False
        return True

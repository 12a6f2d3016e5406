"""A local LLM speaking OpenAI's chat-completions API (apps/ai/providers/llm.py), served by
pytest-httpserver under "/llm/v1" — what vLLM and Ollama's OpenAI-compatible servers expose.

    POST /llm/v1/chat/completions
        "stream": false  -> 200 {"choices": [{"message": {content, tool_calls}, finish_reason}], "usage"}
        "stream": true   -> 200 text/event-stream: "data: {chunk}\\n\\n"… "data: [DONE]\\n\\n";
                            tool-call arguments arrive in pieces, the usage in a last chunk
                            when stream_options.include_usage
        400 {"error": {...}} for a body a real server refuses, 401 for a wrong key

It checks what a real server would: the bearer key, the model, the messages' roles, the
tools' shape, stream_options only with stream. Each request is recorded (`fake.requests`,
`fake.bodies`).

A test scripts the next answers, in order (without one, the answer is DEFAULT_TEXT):

    fake.reply("Bonjour !")                                    # text (streamed in 3 pieces)
    fake.reply(["Bon", "jour"])                                # exactly these deltas
    fake.reply(tool_calls=[Call("lease_balance", {"lease": "L-1"})])
    fake.reply(tool_calls=[Call("pay", "[1, 2]")])             # arguments sent as is
    fake.reply("…", usage=False)                               # no usage reported
    fake.fail("500" | "429" | "hang" | "malformed" | "truncated" | "error_event",
              retry_after=1, text="Bon")                       # one failing answer
    fake.outage("500" | "hang" | "")                           # every request, until ""

"hang" waits on a threading.Event before answering anything, released by `outage("")`,
`release()` or the end of `serve_llm`, so no test sleeps longer than its client's timeout.
"malformed" is a body that is not JSON (a non-JSON chunk when streaming); "truncated"
streams `text` and ends without [DONE]; "error_event" streams `text` then an error chunk.
The server is threaded: a hung request does not hold the next one.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from pytest_httpserver import HTTPServer
from werkzeug.wrappers import Request, Response

from apps.ai.providers.llm import OpenAICompatibleLLM

API_KEY = "sk-test-hokwe-llm"
MODEL = "hokwe-test-model"
DEFAULT_TEXT = "Bonjour, je suis HokweAI."
HANG_LIMIT_SECONDS = 10.0  # a hung request gives up by itself after this (a safety net)
ROLES = {"system", "user", "assistant", "tool", "developer"}
FAILURES = {"500", "429", "hang", "malformed", "truncated", "error_event"}


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str  # without the prefix
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body)


@dataclass(frozen=True)
class Call:
    """A tool call the model makes: `arguments` a dict (sent as JSON) or a string (as is)."""

    name: str
    arguments: dict | str = field(default_factory=dict)
    id: str = ""

    def wire_arguments(self) -> str:
        return self.arguments if isinstance(self.arguments, str) else json.dumps(self.arguments)


@dataclass(frozen=True)
class Script:
    failure: str = ""  # "" for an answer
    text: str | list[str] = ""
    tool_calls: tuple[Call, ...] = ()
    finish_reason: str | None = None
    usage: bool = True
    prompt_tokens: int = 40
    completion_tokens: int | None = None
    retry_after: str | None = None

    @property
    def pieces(self) -> list[str]:
        if isinstance(self.text, list):
            return self.text
        if not self.text:
            return []
        size = max(1, -(-len(self.text) // 3))
        return [self.text[i : i + size] for i in range(0, len(self.text), size)]

    @property
    def full_text(self) -> str:
        return "".join(self.pieces)

    @property
    def finish(self) -> str:
        return self.finish_reason or ("tool_calls" if self.tool_calls else "stop")

    def usage_json(self) -> dict:
        completion = self.completion_tokens
        if completion is None:
            completion = max(1, len(self.full_text) // 4) + 10 * len(self.tool_calls)
        return {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": completion,
            "total_tokens": self.prompt_tokens + completion,
        }


def error(status: int, message: str, kind: str = "invalid_request_error", **headers) -> Response:
    body = {"error": {"message": message, "type": kind, "param": None, "code": None}}
    return Response(json.dumps(body), status=status, content_type="application/json", headers=headers)


def sse(payload) -> bytes:
    return f"data: {payload if isinstance(payload, str) else json.dumps(payload)}\n\n".encode()


class FakeLLM:
    def __init__(self, *, api_key: str = API_KEY, model: str = MODEL):
        self.api_key = api_key
        self.model = model
        self.prefix = ""
        self.base_url = ""
        self.requests: list[Recorded] = []
        self.mode = ""
        self._scripts: deque[Script] = deque()
        self._released = threading.Event()
        self._released.set()
        self._ids = itertools.count(1)
        self.lock = threading.RLock()

    def install(self, httpserver, prefix: str = "/llm") -> None:
        self.prefix = prefix.rstrip("/")
        self.base_url = httpserver.url_for(self.prefix + "/v1")
        pattern = re.compile("^" + re.escape(self.prefix) + "/.*$")
        httpserver.expect_request(pattern).respond_with_handler(self.handle)

    # --- what a test decides ---

    def reply(
        self,
        text: str | list[str] = "",
        *,
        tool_calls=(),
        finish_reason: str | None = None,
        usage: bool = True,
        prompt_tokens: int = 40,
        completion_tokens: int | None = None,
    ) -> None:
        """The next answer (after those already scripted)."""
        self._scripts.append(
            Script(
                text=text,
                tool_calls=tuple(tool_calls),
                finish_reason=finish_reason,
                usage=usage,
                prompt_tokens=prompt_tokens,
                completion_tokens=completion_tokens,
            )
        )

    def fail(self, mode: str, *, retry_after: float | str | None = None, text: str | list[str] = "") -> None:
        """The next answer fails (module docstring)."""
        if mode not in FAILURES:
            raise ValueError(mode)
        self._scripts.append(
            Script(failure=mode, text=text, retry_after=None if retry_after is None else str(retry_after))
        )
        if mode == "hang":
            self._released.clear()

    def outage(self, mode: str) -> None:
        """Every request answers 500 ("500") or hangs ("hang"); "" ends it and releases."""
        if mode not in ("", "500", "hang"):
            raise ValueError(mode)
        self.mode = mode
        if mode == "hang":
            self._released.clear()
        else:
            self._released.set()

    def release(self) -> None:
        self._released.set()

    def client(
        self, *, timeout: float = 2.0, retries: int = 1, api_key: str | None = None
    ) -> OpenAICompatibleLLM:
        return OpenAICompatibleLLM(
            self.base_url,
            self.api_key if api_key is None else api_key,
            self.model,
            timeout=timeout,
            retries=retries,
        )

    @property
    def bodies(self) -> list[dict]:
        return [r.json() for r in self.requests]

    # --- the API ---

    def handle(self, request: Request) -> Response:
        path = request.path[len(self.prefix) :]
        with self.lock:
            self.requests.append(Recorded(request.method, path, dict(request.headers), request.get_data()))
            script = self._scripts.popleft() if self._scripts else Script(text=DEFAULT_TEXT)
        if self.mode == "hang" or script.failure == "hang":
            self._released.wait(HANG_LIMIT_SECONDS)
            return error(504, "gave up", "timeout")
        if self.mode == "500" or script.failure == "500":
            return error(500, "The server had an error while processing your request.", "server_error")
        if script.failure == "429":
            headers = {"Retry-After": script.retry_after} if script.retry_after is not None else {}
            return error(429, "Rate limit reached.", "rate_limit_error", **headers)
        if path != "/v1/chat/completions":
            return error(404, f"no route {path}")
        if request.method != "POST":
            return error(405, "method not allowed")
        if self.api_key and request.headers.get("Authorization") != f"Bearer {self.api_key}":
            return error(401, "Incorrect API key provided.", "invalid_api_key")
        try:
            body = json.loads(request.get_data())
        except ValueError:
            return error(400, "the body is not JSON")
        wrong = self._check(body)
        if wrong:
            return error(400, wrong)
        if body.get("stream"):
            include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
            return Response(self._chunks(script, include_usage), content_type="text/event-stream")
        if script.failure == "malformed":
            return Response('{"choices": [{"message": ', content_type="application/json")
        return Response(json.dumps(self._completion(script)), content_type="application/json")

    def _check(self, body) -> str:
        if not isinstance(body, dict):
            return "the body must be a JSON object"
        if body.get("model") != self.model:
            return f"The model `{body.get('model')}` does not exist."
        messages = body.get("messages")
        if not isinstance(messages, list) or not messages:
            return "messages: a non-empty array is required"
        for i, message in enumerate(messages):
            if not isinstance(message, dict) or message.get("role") not in ROLES:
                return f"messages[{i}]: an object with a role is required"
            if message["role"] == "tool" and not message.get("tool_call_id"):
                return f"messages[{i}]: tool_call_id is required"
        tools = body.get("tools")
        if tools is not None:
            if not isinstance(tools, list) or not tools:
                return "tools: a non-empty array"
            for i, tool in enumerate(tools):
                function = tool.get("function") if isinstance(tool, dict) else None
                if (
                    tool.get("type") != "function"
                    or not isinstance(function, dict)
                    or not function.get("name")
                ):
                    return f"tools[{i}]: {{'type': 'function', 'function': {{'name', 'parameters'}}}}"
        if not isinstance(body.get("stream", False), bool):
            return "stream: a boolean"
        if "stream_options" in body and not body.get("stream"):
            return "stream_options is only allowed when stream is true"
        for name in ("max_tokens",):
            if name in body and (type(body[name]) is not int or body[name] < 1):
                return f"{name}: a positive integer"
        if "temperature" in body and not isinstance(body["temperature"], int | float):
            return "temperature: a number"
        return ""

    def _completion(self, script: Script) -> dict:
        message: dict = {"role": "assistant", "content": script.full_text or None}
        if script.tool_calls:
            message["tool_calls"] = [
                {
                    "id": call.id or f"call_{i}",
                    "type": "function",
                    "function": {"name": call.name, "arguments": call.wire_arguments()},
                }
                for i, call in enumerate(script.tool_calls)
            ]
        answer = {
            "id": f"chatcmpl-{next(self._ids)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": self.model,
            "choices": [{"index": 0, "message": message, "finish_reason": script.finish}],
        }
        if script.usage:
            answer["usage"] = script.usage_json()
        return answer

    def _chunks(self, script: Script, include_usage: bool) -> Iterator[bytes]:
        head = {
            "id": f"chatcmpl-{next(self._ids)}",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": self.model,
        }

        def chunk(delta: dict, finish_reason=None) -> bytes:
            return sse({**head, "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}]})

        yield chunk({"role": "assistant", "content": ""})
        for piece in script.pieces:
            yield chunk({"content": piece})
        if script.failure == "truncated":
            return
        if script.failure == "malformed":
            yield b'data: {"choices": [{"delta": \n\n'
            yield sse("[DONE]")
            return
        if script.failure == "error_event":
            yield sse({"error": {"message": "the model crashed", "type": "server_error"}})
            return
        for i, call in enumerate(script.tool_calls):
            yield chunk(
                {
                    "tool_calls": [
                        {
                            "index": i,
                            "id": call.id or f"call_{i}",
                            "type": "function",
                            "function": {"name": call.name, "arguments": ""},
                        }
                    ]
                }
            )
            arguments = call.wire_arguments()
            for start in range(0, len(arguments), 5):
                yield chunk(
                    {"tool_calls": [{"index": i, "function": {"arguments": arguments[start : start + 5]}}]}
                )
        yield chunk({}, script.finish)
        if include_usage and script.usage:
            yield sse({**head, "choices": [], "usage": script.usage_json()})
        yield sse("[DONE]")


@contextmanager
def local_server() -> Iterator[HTTPServer]:
    """A threaded pytest-httpserver of its own (a hung request does not hold the next)."""
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    try:
        yield server
    finally:
        server.clear()
        server.stop()


@contextmanager
def installed(fake, httpserver=None, prefix: str = ""):
    """`fake` (a FakeLLM, a FakeSpeech: `install(server, prefix)` / `release()`) on
    `httpserver`, or on a threaded server of its own; released at the end."""
    if httpserver is None:
        with local_server() as server, installed(fake, server, prefix):
            yield fake
        return
    fake.install(httpserver, prefix)
    try:
        yield fake
    finally:
        fake.release()


@contextmanager
def serve_llm(httpserver=None, *, prefix: str = "/llm", **kwargs) -> Iterator[FakeLLM]:
    """A FakeLLM on `httpserver`, or on a threaded server of its own; released at the end."""
    with installed(FakeLLM(**kwargs), httpserver, prefix) as fake:
        yield fake

"""The LLM over the OpenAI chat-completions API: a hosted model, vLLM or Ollama's
OpenAI-compatible server (docs/ai.md « Settings »).

    POST {base_url}/chat/completions     base_url includes /v1, e.g. http://127.0.0.1:11434/v1
    Authorization: Bearer {api_key}      only when a key is set
    {"model", "messages", "max_tokens", "temperature", "stream", "tools"?, "stream_options"?}

    complete(messages, tools) -> Completion        choices[0].message (content, tool_calls), usage
    stream(messages, tools)   -> ("delta", text)…, then ("done", Completion)

Streaming is Server-Sent Events: "data: {chunk JSON}" lines, events separated by a blank
line, ending with "data: [DONE]". Content arrives as choices[0].delta.content pieces; a tool
call as choices[0].delta.tool_calls[] pieces keyed by `index` (its id and function.name in the
first piece, function.arguments spread over the following ones); the usage comes in a last
chunk with no choices because we ask `stream_options: {"include_usage": true}`. A server that
reports no usage gets an estimate (4 characters a token) so the daily budget still counts.

Failures: `LLMUnavailable` (timeout, connection error, 5xx, 429 with `retry_after`, any other
refusal with its `status`), `LLMMalformed` (not the documented JSON, tool arguments that are
not a JSON object, a stream that breaks or ends before [DONE]). A request is sent again
(`retries` times) only when it failed before any byte of the answer arrived: a connection
error, a timeout waiting for the status line, a 5xx, or a 429 whose Retry-After is at most
MAX_RETRY_AFTER_SECONDS (waited). Nothing is retried once an answer started: a stream the user
already saw half of is never replayed.
"""

from __future__ import annotations

import email.utils
import json
import logging
import math
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

import httpx
from django.conf import settings

from apps.core.http import http_client

from .base import Completion, LLMMalformed, LLMUnavailable, ToolCallRequest

__all__ = ["MAX_RETRY_AFTER_SECONDS", "OpenAICompatibleLLM", "llm_client"]

logger = logging.getLogger(__name__)

MAX_RETRY_AFTER_SECONDS = 2.0  # a 429 asking to wait longer is not retried
RETRY_PAUSE_SECONDS = 0.2  # before retrying a 5xx, a 429 without Retry-After or a connection error
MAX_ANSWER_BYTES = 4 * 1024 * 1024
CHARS_PER_TOKEN = 4  # the estimate when a server reports no usage


class OpenAICompatibleLLM:
    def __init__(
        self,
        base_url: str,
        api_key: str = "",
        model: str = "",
        timeout: float = 20.0,
        retries: int = 1,
    ):
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.model = model
        self.timeout = timeout
        self.retries = max(0, int(retries))

    # --- the API ---

    def complete(
        self,
        messages: list[dict],
        tools: list[dict] | None = None,
        *,
        max_tokens: int = 600,
        temperature: float = 0.2,
    ) -> Completion:
        body = self._body(messages, tools, max_tokens=max_tokens, temperature=temperature, stream=False)
        with self._client() as http:
            response = self._send(http, body)
            try:
                raw = _read(response)
            finally:
                response.close()
        return _parse_completion(_json(raw), messages)

    def stream(
        self,
        messages: list[dict],
        tools: list[dict] | None = None,
        *,
        max_tokens: int = 600,
        temperature: float = 0.2,
    ) -> Iterator[tuple[str, object]]:
        """("delta", text) for each piece of content, then ("done", Completion). The request is
        sent on the first next()."""
        body = self._body(messages, tools, max_tokens=max_tokens, temperature=temperature, stream=True)
        with self._client() as http:
            response = self._send(http, body)
            try:
                content_type = response.headers.get("content-type", "")
                if content_type.startswith("application/json"):
                    # a server that ignored "stream": the whole answer at once
                    completion = _parse_completion(_json(_read(response)), messages)
                    if completion.text:
                        yield ("delta", completion.text)
                    yield ("done", completion)
                    return
                if not content_type.startswith("text/event-stream"):
                    raise LLMMalformed(f"a stream was asked, the answer is {content_type or 'untyped'}")
                yield from _read_stream(response, messages)
            finally:
                response.close()

    # --- the wire ---

    def _client(self) -> httpx.Client:
        headers = {"Accept": "application/json, text/event-stream"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        # retries=0: this class decides what is sent again (docstring)
        return http_client(
            service="llm", base_url=self.base_url, timeout=self.timeout, headers=headers, retries=0
        )

    def _body(
        self,
        messages: list[dict],
        tools: list[dict] | None,
        *,
        max_tokens: int,
        temperature: float,
        stream: bool,
    ) -> dict:
        body: dict = {
            "model": self.model,
            "messages": messages,
            "max_tokens": max_tokens,
            "temperature": temperature,
            "stream": stream,
        }
        if tools:
            body["tools"] = tools
        if stream:
            body["stream_options"] = {"include_usage": True}
        return body

    def _send(self, http: httpx.Client, body: dict) -> httpx.Response:
        """The response, its status 2xx and its body unread (the caller closes it)."""
        failure = LLMUnavailable("no attempt")
        for attempt in range(self.retries + 1):
            if attempt:
                logger.warning("llm: trying again after %s", failure)
            try:
                response = http.send(http.build_request("POST", "/chat/completions", json=body), stream=True)
            except httpx.TimeoutException as exc:
                failure = LLMUnavailable(f"timeout: {exc!r}")
                continue
            except httpx.TransportError as exc:
                failure = LLMUnavailable(f"connection: {exc!r}")
                _pause(RETRY_PAUSE_SECONDS, attempt, self.retries)
                continue
            status = response.status_code
            if status < 300:
                return response
            detail = _error_detail(response)
            if status == 429 or status >= 500:
                retry_after = _retry_after(response.headers)
                failure = LLMUnavailable(f"HTTP {status}: {detail}", status=status, retry_after=retry_after)
                if retry_after is not None and retry_after > MAX_RETRY_AFTER_SECONDS:
                    raise failure
                _pause(RETRY_PAUSE_SECONDS if retry_after is None else retry_after, attempt, self.retries)
                continue
            raise LLMUnavailable(f"HTTP {status}: {detail}", status=status)
        raise failure


def llm_client() -> OpenAICompatibleLLM | None:
    """The LLM of the settings (AI_LLM_*), or None when AI_LLM_BASE_URL is empty (the offline
    assistant answers)."""
    if not settings.AI_LLM_BASE_URL:
        return None
    return OpenAICompatibleLLM(
        settings.AI_LLM_BASE_URL,
        settings.AI_LLM_API_KEY,
        settings.AI_LLM_MODEL,
        timeout=settings.AI_LLM_TIMEOUT_SECONDS,
        retries=settings.AI_LLM_RETRIES,
    )


# --- helpers ---


def _pause(seconds: float, attempt: int, retries: int) -> None:
    if attempt < retries and seconds > 0:
        time.sleep(min(seconds, MAX_RETRY_AFTER_SECONDS))


def _retry_after(headers: httpx.Headers) -> float | None:
    """Seconds from `retry-after-ms` (OpenAI's) or `Retry-After` (seconds or an HTTP date)."""
    text = headers.get("retry-after-ms", "").strip()
    if text:
        try:
            return max(0.0, float(text) / 1000)
        except ValueError:
            pass
    text = headers.get("retry-after", "").strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - datetime.now(UTC)).total_seconds()
    return max(0.0, seconds) if math.isfinite(seconds) else None


def _error_detail(response: httpx.Response) -> str:
    try:
        raw = response.read()[:2000]
    except httpx.HTTPError:
        return ""
    finally:
        response.close()
    try:
        error = json.loads(raw).get("error")
        if isinstance(error, dict) and isinstance(error.get("message"), str):
            return error["message"][:300]
    except (ValueError, AttributeError):
        pass
    return raw.decode("utf-8", "replace")[:300]


def _read(response: httpx.Response) -> bytes:
    """The whole body of a 2xx answer: past its first byte, nothing is retried."""
    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > MAX_ANSWER_BYTES:
                raise LLMMalformed(f"the answer exceeds {MAX_ANSWER_BYTES} bytes")
            chunks.append(chunk)
    except httpx.TimeoutException as exc:
        raise LLMUnavailable(f"timeout while reading the answer: {exc!r}") from None
    except httpx.HTTPError as exc:
        raise LLMMalformed(f"the answer broke: {exc!r}") from None
    return b"".join(chunks)


def _json(raw: bytes | str):
    try:
        return json.loads(raw)
    except ValueError:
        text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
        raise LLMMalformed(f"not JSON: {text[:200]!r}") from None


def _text(content) -> str:
    """message.content: a string, null, or a list of {"type": "text", "text"} parts."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list) and all(isinstance(p, dict) for p in content):
        return "".join(
            p["text"] for p in content if p.get("type") == "text" and isinstance(p.get("text"), str)
        )
    raise LLMMalformed(f"content is neither text nor null: {content!r:.200}")


def _arguments(raw, name: str) -> dict:
    """function.arguments: a string holding a JSON object ("" meaning none)."""
    if isinstance(raw, dict):
        return raw
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return {}
    if not isinstance(raw, str):
        raise LLMMalformed(f"the arguments of {name} are not a string: {raw!r:.200}")
    try:
        value = json.loads(raw)
    except ValueError:
        raise LLMMalformed(f"the arguments of {name} are not JSON: {raw[:200]!r}") from None
    if not isinstance(value, dict):
        raise LLMMalformed(f"the arguments of {name} are not a JSON object: {raw[:200]!r}")
    return value


def _tool_call(call_id, name, arguments, position: int) -> ToolCallRequest:
    if not isinstance(name, str) or not name:
        raise LLMMalformed(f"tool call {position} has no function name")
    call_id = call_id if isinstance(call_id, str) and call_id else f"call_{position}"
    return ToolCallRequest(id=call_id, name=name, arguments=_arguments(arguments, name))


def _usage_tokens(usage) -> int | None:
    if not isinstance(usage, dict):
        return None
    total = usage.get("total_tokens")
    if isinstance(total, int) and not isinstance(total, bool):
        return max(0, total)
    parts = [usage.get("prompt_tokens"), usage.get("completion_tokens")]
    if all(isinstance(p, int) and not isinstance(p, bool) for p in parts):
        return max(0, sum(parts))
    return None


def _estimate_tokens(messages: list[dict], text: str, calls: Iterable[ToolCallRequest]) -> int:
    sent = len(json.dumps(messages, ensure_ascii=False, default=str))
    received = len(text) + sum(len(json.dumps(c.arguments, ensure_ascii=False)) + len(c.name) for c in calls)
    return math.ceil((sent + received) / CHARS_PER_TOKEN)


def _parse_completion(data, messages: list[dict]) -> Completion:
    if not isinstance(data, dict):
        raise LLMMalformed("the answer is not a JSON object")
    choices = data.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        raise LLMMalformed(f"no choices in the answer: {json.dumps(data)[:200]}")
    message = choices[0].get("message")
    if not isinstance(message, dict):
        raise LLMMalformed("choices[0].message is missing")
    text = _text(message.get("content"))
    raw_calls = message.get("tool_calls") or []
    if not isinstance(raw_calls, list):
        raise LLMMalformed("tool_calls is not a list")
    calls = []
    for position, raw in enumerate(raw_calls):
        function = raw.get("function") if isinstance(raw, dict) else None
        if not isinstance(function, dict):
            raise LLMMalformed(f"tool call {position} has no function")
        calls.append(_tool_call(raw.get("id"), function.get("name"), function.get("arguments"), position))
    tokens = _usage_tokens(data.get("usage"))
    if tokens is None:
        tokens = _estimate_tokens(messages, text, calls)
    finish_reason = choices[0].get("finish_reason")
    return Completion(
        text=text,
        tool_calls=tuple(calls),
        tokens=tokens,
        finish_reason=finish_reason if isinstance(finish_reason, str) else "",
    )


def sse_data(lines: Iterable[str]) -> Iterator[str]:
    """The data of each Server-Sent Event (the WHATWG event-stream format): "data:" lines (one
    optional space after the colon) joined by newlines, dispatched by a blank line; comments
    (":…") and other fields ignored. An event cut by the end of the stream is dropped, except
    a last "[DONE]" whose blank line is missing."""
    data: list[str] = []
    for line in lines:
        if not line:
            if data:
                yield "\n".join(data)
                data = []
            continue
        if line.startswith(":"):
            continue
        field, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        if field == "data":
            data.append(value)
    if data == ["[DONE]"]:
        yield "[DONE]"


class _StreamedAnswer:
    """The pieces of a streamed answer, put together."""

    def __init__(self):
        self.text: list[str] = []
        self.calls: dict[int, dict] = {}
        self.finish_reason = ""
        self.tokens: int | None = None

    def feed(self, chunk) -> str:
        """Takes one chunk; returns its content delta ("" when none)."""
        if not isinstance(chunk, dict):
            raise LLMMalformed(f"a chunk is not a JSON object: {chunk!r:.200}")
        if chunk.get("error") is not None:
            raise LLMUnavailable(f"the stream reported an error: {json.dumps(chunk['error'])[:300]}")
        tokens = _usage_tokens(chunk.get("usage"))
        if tokens is not None:
            self.tokens = tokens
        choices = chunk.get("choices") or []
        if not isinstance(choices, list):
            raise LLMMalformed("choices is not a list")
        piece = ""
        for choice in choices:
            if not isinstance(choice, dict):
                raise LLMMalformed("a choice is not a JSON object")
            if choice.get("index", 0) != 0:
                continue
            if isinstance(choice.get("finish_reason"), str) and choice["finish_reason"]:
                self.finish_reason = choice["finish_reason"]
            delta = choice.get("delta") or {}
            if not isinstance(delta, dict):
                raise LLMMalformed("delta is not a JSON object")
            content = _text(delta.get("content"))
            if content:
                self.text.append(content)
                piece += content
            self._feed_calls(delta.get("tool_calls") or [])
        return piece

    def _feed_calls(self, pieces) -> None:
        if not isinstance(pieces, list):
            raise LLMMalformed("delta.tool_calls is not a list")
        for piece in pieces:
            if not isinstance(piece, dict):
                raise LLMMalformed("a tool call delta is not a JSON object")
            index = piece.get("index")
            if not isinstance(index, int) or isinstance(index, bool):
                raise LLMMalformed(f"a tool call delta has no index: {piece!r:.200}")
            call = self.calls.setdefault(index, {"id": "", "name": "", "arguments": []})
            if isinstance(piece.get("id"), str) and piece["id"]:
                call["id"] = piece["id"]
            function = piece.get("function") or {}
            if not isinstance(function, dict):
                raise LLMMalformed("a tool call delta's function is not a JSON object")
            if isinstance(function.get("name"), str) and function["name"] and not call["name"]:
                call["name"] = function["name"]
            arguments = function.get("arguments")
            if isinstance(arguments, str):
                call["arguments"].append(arguments)
            elif arguments is not None:
                raise LLMMalformed(f"a tool call's arguments piece is not a string: {arguments!r:.200}")

    def completion(self, messages: list[dict]) -> Completion:
        text = "".join(self.text)
        calls = [
            _tool_call(call["id"], call["name"], "".join(call["arguments"]), position)
            for position, (_, call) in enumerate(sorted(self.calls.items()))
        ]
        tokens = self.tokens if self.tokens is not None else _estimate_tokens(messages, text, calls)
        return Completion(text=text, tool_calls=tuple(calls), tokens=tokens, finish_reason=self.finish_reason)


def _read_stream(response: httpx.Response, messages: list[dict]) -> Iterator[tuple[str, object]]:
    answer = _StreamedAnswer()
    done = False
    try:
        for data in sse_data(response.iter_lines()):
            if data == "[DONE]":
                done = True
                break
            piece = answer.feed(_json(data))
            if piece:
                yield ("delta", piece)
    except httpx.TimeoutException as exc:
        raise LLMUnavailable(f"the stream stalled: {exc!r}") from None
    except httpx.HTTPError as exc:
        raise LLMMalformed(f"the stream broke: {exc!r}") from None
    if not done:
        raise LLMMalformed("the stream ended before data: [DONE]")
    yield ("done", answer.completion(messages))

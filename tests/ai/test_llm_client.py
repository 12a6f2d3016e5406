"""OpenAICompatibleLLM against a local chat-completions server (tests/ai/fake_llm.py)."""

from __future__ import annotations

import pytest

from apps.ai.providers.base import Completion, LLMMalformed, LLMUnavailable, ToolCallRequest
from apps.ai.providers.llm import OpenAICompatibleLLM, llm_client, sse_data
from tests.ai.fake_llm import API_KEY, DEFAULT_TEXT, MODEL, Call, local_server, serve_llm

MESSAGES = [
    {"role": "system", "content": "Tu es HokweAI."},
    {"role": "user", "content": "Quel est mon solde ?"},
]
TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "lease_balance",
            "description": "Le solde d'un bail",
            "parameters": {
                "type": "object",
                "properties": {"lease": {"type": "string"}},
                "required": ["lease"],
            },
        },
    }
]


@pytest.fixture(scope="module")
def server():
    with local_server() as server:
        yield server


@pytest.fixture
def httpserver_(server):
    """The module's threaded server, its handlers removed after each test."""
    yield server
    server.clear()


@pytest.fixture
def fake(httpserver_):
    with serve_llm(httpserver_) as fake:
        yield fake


def drain(iterator) -> tuple[list[str], Completion]:
    deltas, done = [], []
    for kind, value in iterator:
        assert kind in ("delta", "done")
        (deltas if kind == "delta" else done).append(value)
    assert len(done) == 1
    return deltas, done[0]


# --- complete ---


def test_complete_answers_text_and_usage(fake):
    fake.reply("Votre solde est de 25 000 FCFA.", prompt_tokens=30, completion_tokens=12)

    completion = fake.client().complete(MESSAGES, max_tokens=200, temperature=0.1)

    assert completion == Completion(
        text="Votre solde est de 25 000 FCFA.", tool_calls=(), tokens=42, finish_reason="stop"
    )
    [sent] = fake.requests
    assert sent.path == "/v1/chat/completions"
    assert sent.headers["Authorization"] == f"Bearer {API_KEY}"
    body = sent.json()
    assert body == {
        "model": MODEL,
        "messages": MESSAGES,
        "max_tokens": 200,
        "temperature": 0.1,
        "stream": False,
    }


def test_complete_parses_tool_calls(fake):
    fake.reply(
        tool_calls=[Call("lease_balance", {"lease": "L-0042"}, id="call_abc"), Call("my_leases", "")],
        prompt_tokens=50,
        completion_tokens=20,
    )

    completion = fake.client().complete(MESSAGES, TOOLS)

    assert completion.text == ""
    assert completion.finish_reason == "tool_calls"
    assert completion.tokens == 70
    assert completion.tool_calls == (
        ToolCallRequest(id="call_abc", name="lease_balance", arguments={"lease": "L-0042"}),
        ToolCallRequest(id="call_1", name="my_leases", arguments={}),
    )
    assert fake.bodies[0]["tools"] == TOOLS


def test_no_key_no_authorization_header(httpserver_):
    with serve_llm(httpserver_, api_key="") as fake:
        fake.client().complete(MESSAGES)
        assert "Authorization" not in fake.requests[0].headers


def test_without_usage_the_tokens_are_estimated(fake):
    fake.reply("D'accord.", usage=False)

    completion = fake.client().complete(MESSAGES)

    assert completion.text == "D'accord."
    assert completion.tokens > 0


def test_a_wrong_key_is_unavailable_and_not_retried(fake):
    with pytest.raises(LLMUnavailable) as caught:
        fake.client(api_key="sk-wrong", retries=3).complete(MESSAGES)

    assert caught.value.status == 401
    assert "Incorrect API key" in str(caught.value)
    assert len(fake.requests) == 1


# --- stream ---


def test_stream_yields_the_deltas_then_the_completion(fake):
    fake.reply(["Votre ", "solde est ", "de 25 000 FCFA."], prompt_tokens=30, completion_tokens=9)

    deltas, completion = drain(fake.client().stream(MESSAGES))

    assert deltas == ["Votre ", "solde est ", "de 25 000 FCFA."]
    assert completion == Completion(
        text="Votre solde est de 25 000 FCFA.", tool_calls=(), tokens=39, finish_reason="stop"
    )
    body = fake.bodies[0]
    assert body["stream"] is True
    assert body["stream_options"] == {"include_usage": True}


def test_stream_joins_the_pieces_of_tool_call_arguments(fake):
    arguments = {"lease": "L-0042", "note": "loyer de mars, « payé » ?", "months": [1, 2, 3]}
    fake.reply(
        "Je regarde.",
        tool_calls=[Call("lease_balance", arguments, id="call_x"), Call("my_leases", {}, id="call_y")],
        prompt_tokens=60,
        completion_tokens=25,
    )

    deltas, completion = drain(fake.client().stream(MESSAGES, TOOLS))

    assert "".join(deltas) == "Je regarde."
    assert completion.tool_calls == (
        ToolCallRequest(id="call_x", name="lease_balance", arguments=arguments),
        ToolCallRequest(id="call_y", name="my_leases", arguments={}),
    )
    assert completion.finish_reason == "tool_calls"
    assert completion.tokens == 85


def test_stream_without_usage_estimates(fake):
    fake.reply("Bien sûr.", usage=False)

    deltas, completion = drain(fake.client().stream(MESSAGES))

    assert deltas and completion.text == "Bien sûr."
    assert completion.tokens > 0


def test_sse_parsing_follows_the_format():
    lines = [
        ": a comment",
        "event: message",
        'data: {"a":',
        "data:1}",
        "id: 7",
        "",
        "",
        "data: [DONE]",
    ]
    assert list(sse_data(lines)) == ['{"a":\n1}', "[DONE]"]
    assert list(sse_data(["data: cut by the end"])) == []


# --- retries ---


def test_a_500_is_retried_then_answers(fake):
    fake.fail("500")
    fake.reply("Voilà.")

    completion = fake.client(retries=1).complete(MESSAGES)

    assert completion.text == "Voilà."
    assert len(fake.requests) == 2


def test_500s_beyond_the_retries_are_unavailable(fake):
    fake.outage("500")

    with pytest.raises(LLMUnavailable) as caught:
        fake.client(retries=2).complete(MESSAGES)

    assert caught.value.status == 500
    assert len(fake.requests) == 3


def test_a_stream_is_retried_before_it_starts(fake):
    fake.fail("500")
    fake.reply("Voilà.")

    deltas, completion = drain(fake.client(retries=1).stream(MESSAGES))

    assert "".join(deltas) == completion.text == "Voilà."
    assert len(fake.requests) == 2


def test_a_429_honours_a_short_retry_after(fake):
    fake.fail("429", retry_after=0)
    fake.reply("Voilà.")

    assert fake.client(retries=1).complete(MESSAGES).text == "Voilà."
    assert len(fake.requests) == 2


def test_a_429_asking_for_a_long_wait_is_not_retried(fake):
    fake.fail("429", retry_after=30)

    with pytest.raises(LLMUnavailable) as caught:
        fake.client(retries=3).complete(MESSAGES)

    assert caught.value.status == 429
    assert caught.value.retry_after == 30
    assert len(fake.requests) == 1


def test_a_timeout_is_unavailable(fake):
    fake.outage("hang")

    with pytest.raises(LLMUnavailable, match="timeout"):
        fake.client(timeout=0.3, retries=0).complete(MESSAGES)

    assert len(fake.requests) == 1


def test_a_timeout_is_retried_once(fake):
    fake.fail("hang")
    fake.reply("Enfin.")

    assert fake.client(timeout=0.3, retries=1).complete(MESSAGES).text == "Enfin."
    assert len(fake.requests) == 2


def test_no_retry_once_the_stream_started(fake):
    fake.fail("truncated", text=["Votre ", "solde"])
    fake.reply("never asked")

    stream = fake.client(retries=3).stream(MESSAGES)
    seen = []
    with pytest.raises(LLMMalformed, match=r"\[DONE\]"):
        for kind, value in stream:
            seen.append((kind, value))

    assert seen == [("delta", "Votre "), ("delta", "solde")]
    assert len(fake.requests) == 1


def test_an_error_event_mid_stream_is_unavailable_and_not_retried(fake):
    fake.fail("error_event", text="Votre")

    with pytest.raises(LLMUnavailable, match="crashed"):
        drain(fake.client(retries=3).stream(MESSAGES))

    assert len(fake.requests) == 1


def test_an_unreachable_server_is_unavailable():
    with local_server() as stopped:
        client = OpenAICompatibleLLM(stopped.url_for("/v1"), "", MODEL, timeout=1.0, retries=1)
    # the server is stopped: connection refused, twice
    with pytest.raises(LLMUnavailable, match="connection"):
        client.complete(MESSAGES)


# --- malformed answers ---


def test_a_body_that_is_not_json_is_malformed(fake):
    fake.fail("malformed")

    with pytest.raises(LLMMalformed, match="not JSON"):
        fake.client().complete(MESSAGES)

    assert len(fake.requests) == 1


def test_a_chunk_that_is_not_json_is_malformed(fake):
    fake.fail("malformed", text="Bon")

    with pytest.raises(LLMMalformed, match="not JSON"):
        drain(fake.client().stream(MESSAGES))


@pytest.mark.parametrize("arguments", ["[1, 2]", '"lease"', "{not json", "42"])
def test_tool_arguments_that_are_not_an_object_are_malformed(fake, arguments):
    fake.reply(tool_calls=[Call("lease_balance", arguments)])
    fake.reply(tool_calls=[Call("lease_balance", arguments)])

    with pytest.raises(LLMMalformed, match="lease_balance"):
        fake.client().complete(MESSAGES, TOOLS)
    with pytest.raises(LLMMalformed, match="lease_balance"):
        drain(fake.client().stream(MESSAGES, TOOLS))


# --- the factory ---


def test_llm_client_follows_the_settings(settings):
    settings.AI_LLM_BASE_URL = ""
    assert llm_client() is None

    settings.AI_LLM_BASE_URL = "http://127.0.0.1:11434/v1/"
    settings.AI_LLM_MODEL = "qwen2.5:7b"
    settings.AI_LLM_API_KEY = ""
    settings.AI_LLM_TIMEOUT_SECONDS = 7.5
    settings.AI_LLM_RETRIES = 2
    client = llm_client()
    assert isinstance(client, OpenAICompatibleLLM)
    assert (client.base_url, client.model, client.api_key, client.timeout, client.retries) == (
        "http://127.0.0.1:11434/v1",
        "qwen2.5:7b",
        "",
        7.5,
        2,
    )


def test_the_default_answer(fake):
    assert fake.client().complete(MESSAGES).text == DEFAULT_TEXT

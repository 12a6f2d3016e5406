"""HokweAI over REST: conversations, questions (JSON, or server-sent events with `Accept:
text/event-stream`), ratings, the hand-off to a human, voice questions, and the prepared
actions the user confirms with the step-up code. Everything the caller's own."""

from __future__ import annotations

import json

from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import BaseRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from apps.core.throttling import ScopedThrottle, UserThrottle

from .. import selectors
from ..services import actions, assistant, conversations, present, safety, voice
from . import serializers as s


class EventStreamRenderer(BaseRenderer):
    """Lets a client ask `Accept: text/event-stream` (the answer then streams, _stream); a
    refusal before the stream starts is still a problem document."""

    media_type = "text/event-stream"
    format = "sse"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return json.dumps(data, ensure_ascii=False, default=str).encode()


ASK_RENDERERS = [*api_settings.DEFAULT_RENDERER_CLASSES, EventStreamRenderer]


def _parse(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


@extend_schema(tags=["ai"])
class ThreadListView(APIView):
    """GET: your conversations with the assistant, the latest first. POST: ask a first question
    (a new conversation); `Accept: text/event-stream` streams the answer."""

    throttle_classes = [UserThrottle, ScopedThrottle]
    throttle_scope = "ai.messages"
    renderer_classes = ASK_RENDERERS

    def get_throttles(self):
        return super().get_throttles() if self.request.method == "POST" else [UserThrottle()]

    @extend_schema(responses=s.AiThreadOut(many=True))
    def get(self, request, **kwargs):
        rows = selectors.threads_of(request.user)[:50]
        return Response([s.AiThreadOut(present.thread(row)).data for row in rows])

    @extend_schema(request=s.AiAskIn, responses={200: s.AiAnswerOut})
    def post(self, request, **kwargs):
        return _answer(request, thread=None)


@extend_schema(tags=["ai"])
class ThreadDetailView(APIView):
    """GET: one of your conversations with its messages. DELETE: erase it."""

    @extend_schema(responses=s.AiThreadDetailOut)
    def get(self, request, thread_id, **kwargs):
        row = selectors.thread_of(request.user, thread_id)
        body = {**present.thread(row), "messages": [present.message(m) for m in selectors.messages_of(row)]}
        return Response(s.AiThreadDetailOut(body).data)

    @extend_schema(responses={204: None})
    def delete(self, request, thread_id, **kwargs):
        conversations.erase(actor=request.user, thread=thread_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _answer(request, *, thread):
    data = _parse(s.AiAskIn, request.data)
    text = safety.clean(data["text"])
    if thread is not None:
        thread = assistant.thread_for(request.user, thread)  # another's: 404 before anything
    if "text/event-stream" in request.headers.get("Accept", ""):
        return _stream(request, thread=thread, text=text)
    reply = assistant.ask(actor=request.user, thread=thread, text=text)
    # 200, not 201: an answer is not a resource the client creates (and asking again is a new
    # question: no Idempotency-Key, which would hold a transaction around the model's call)
    return Response(s.AiAnswerOut(present.answer(reply)).data)


def _event(name: str, data) -> bytes:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False, default=str)}\n\n".encode()


def _stream(request, *, thread, text):
    """Server-sent events: `delta` {text} while the answer is written, `reset` when a failed
    model's partial answer is withdrawn, `message` (the answer, as the JSON reply) last."""
    actor = request.user

    def events():
        for kind, value in assistant.turn(actor=actor, thread=thread, text=text, stream=True):
            if kind == "message":
                yield _event("message", s.AiAnswerOut(present.answer(value)).data)
            else:
                yield _event(kind, {"text": value})

    response = StreamingHttpResponse(events(), content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # the gateway passes events as they come
    return response


@extend_schema(tags=["ai"])
class MessageCreateView(APIView):
    """Ask a question in one of your conversations (`Accept: text/event-stream` streams it)."""

    throttle_classes = [UserThrottle, ScopedThrottle]
    throttle_scope = "ai.messages"
    renderer_classes = ASK_RENDERERS

    @extend_schema(
        request=s.AiAskIn,
        responses={
            (200, "application/json"): s.AiAnswerOut,
            (200, "text/event-stream"): OpenApiResponse(OpenApiTypes.STR, description="server-sent events"),
        },
    )
    def post(self, request, thread_id, **kwargs):
        return _answer(request, thread=thread_id)


@extend_schema(tags=["ai"], request=s.AiRateIn, responses=s.AiMessageOut)
class RateView(APIView):
    """Rate one of the assistant's answers: 1 useful, -1 not useful."""

    def post(self, request, message_id, **kwargs):
        data = _parse(s.AiRateIn, request.data)
        row = conversations.rate(actor=request.user, message=message_id, rating=data["rating"])
        return Response(s.AiMessageOut(present.message(row)).data)


@extend_schema(tags=["ai"], request=None, responses=s.AiThreadOut)
class HandoffView(APIView):
    """Hand the conversation to a human: a support ticket with its transcript (once)."""

    def post(self, request, thread_id, **kwargs):
        row = conversations.handoff(actor=request.user, thread=thread_id)
        return Response(s.AiThreadOut(present.thread(row)).data)


@extend_schema(tags=["ai"])
class VoiceView(APIView):
    """« AFI »: a spoken question (multipart `audio`: Opus/OGG, WAV, M4A, WebM, MP3; 5 MB and
    2 minutes at most), transcribed and answered, in text and in audio (base64)."""

    parser_classes = [MultiPartParser, FormParser]
    throttle_classes = [UserThrottle, ScopedThrottle]
    throttle_scope = "ai.messages"

    @extend_schema(
        request={"multipart/form-data": s.AiVoiceIn},
        responses={200: s.AiVoiceOut},
        parameters=[
            OpenApiParameter(
                "thread",
                OpenApiTypes.UUID,
                OpenApiParameter.QUERY,
                required=False,
                description="The conversation to continue (a new one without it).",
            )
        ],
    )
    def post(self, request, **kwargs):
        data = _parse(s.AiVoiceIn, request.data)
        upload = data["audio"]
        result = voice.ask_voice(
            actor=request.user,
            thread=request.query_params.get("thread") or None,
            audio=upload.read(),
            filename=upload.name or "audio",
            speak=data["speak"],
        )
        body = {
            **present.answer(result.reply),
            "transcript": result.transcript,
            "audio": result.audio_base64,
            "audio_type": result.audio_type,
        }
        return Response(s.AiVoiceOut(body).data)


@extend_schema(tags=["ai"], responses=s.AiActionOut)
class ActionDetailView(APIView):
    """An action the assistant prepared, waiting for your confirmation."""

    def get(self, request, action_id, **kwargs):
        return Response(s.AiActionOut(present.action(selectors.action_of(request.user, action_id))).data)


@extend_schema(tags=["ai"], request=s.AiConfirmIn, responses=s.AiActionOut)
class ActionConfirmView(APIView):
    """Confirm a prepared action with the step-up code's proof (always asked): it is done
    once, through the module that owns it."""

    def post(self, request, action_id, **kwargs):
        data = _parse(s.AiConfirmIn, request.data)
        row = actions.confirm_action(
            actor=request.user, action=action_id, step_up_token=data.get("step_up_token") or None
        )
        return Response(s.AiActionOut(present.action(row)).data)


@extend_schema(tags=["ai"], request=None, responses=s.AiActionOut)
class ActionCancelView(APIView):
    """Cancel a prepared action: nothing is done."""

    def post(self, request, action_id, **kwargs):
        row = actions.cancel_action(actor=request.user, action=action_id)
        return Response(s.AiActionOut(present.action(row)).data)

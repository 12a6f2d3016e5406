"""Mounted under /api/v1/ (paths start with `ai/`)."""

from django.urls import path

from . import views as v

urlpatterns: list = [
    path("ai/threads", v.ThreadListView.as_view(), name="ai-threads"),
    path("ai/threads/<uuid:thread_id>", v.ThreadDetailView.as_view(), name="ai-thread"),
    path("ai/threads/<uuid:thread_id>/messages", v.MessageCreateView.as_view(), name="ai-thread-messages"),
    path("ai/threads/<uuid:thread_id>/handoff", v.HandoffView.as_view(), name="ai-thread-handoff"),
    path("ai/messages/<uuid:message_id>/rating", v.RateView.as_view(), name="ai-message-rating"),
    path("ai/voice", v.VoiceView.as_view(), name="ai-voice"),
    path("ai/actions/<uuid:action_id>", v.ActionDetailView.as_view(), name="ai-action"),
    path("ai/actions/<uuid:action_id>/confirm", v.ActionConfirmView.as_view(), name="ai-action-confirm"),
    path("ai/actions/<uuid:action_id>/cancel", v.ActionCancelView.as_view(), name="ai-action-cancel"),
]

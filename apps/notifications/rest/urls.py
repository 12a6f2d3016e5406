"""Mounted under /api/v1/ (hokwe/urls.py discovers it)."""

from django.urls import path

from . import views, webhooks

urlpatterns = [
    path("notifications/inbox", views.InboxListView.as_view(), name="notifications-inbox"),
    path(
        "notifications/inbox/unread-count", views.UnreadCountView.as_view(), name="notifications-unread-count"
    ),
    path("notifications/inbox/read-all", views.InboxReadAllView.as_view(), name="notifications-read-all"),
    path(
        "notifications/inbox/<uuid:message_id>", views.InboxDetailView.as_view(), name="notifications-message"
    ),
    path(
        "notifications/inbox/<uuid:message_id>/read", views.InboxReadView.as_view(), name="notifications-read"
    ),
    path("notifications/devices", views.DeviceListView.as_view(), name="notifications-devices"),
    path(
        "notifications/devices/<uuid:device_id>",
        views.DeviceDetailView.as_view(),
        name="notifications-device",
    ),
    path("notifications/preferences", views.PreferenceView.as_view(), name="notifications-preferences"),
    path(
        "notifications/callbacks/twilio",
        webhooks.TwilioCallbackView.as_view(),
        name="notifications-callback-twilio",
    ),
    path(
        "notifications/callbacks/africastalking/<str:token>",
        webhooks.AfricasTalkingCallbackView.as_view(),
        name="notifications-callback-africastalking",
    ),
    path(
        "notifications/callbacks/orange/<str:token>",
        webhooks.OrangeCallbackView.as_view(),
        name="notifications-callback-orange",
    ),
]

"""REST of ads' social part (paths start with `ads/`)."""

from django.urls import path

from . import views_social as v

urlpatterns: list = [
    path("ads/social/connections", v.ConnectionsView.as_view(), name="ads-social-connections"),
    path(
        "ads/social/connections/<uuid:connection_id>",
        v.ConnectionView.as_view(),
        name="ads-social-connection",
    ),
    path(
        "ads/social/connections/<uuid:connection_id>/disconnect",
        v.DisconnectView.as_view(),
        name="ads-social-disconnect",
    ),
    path("ads/social/connect", v.ConnectStartView.as_view(), name="ads-social-connect"),
    path("ads/social/connect/callback", v.ConnectCallbackView.as_view(), name="ads-social-connect-callback"),
    path("ads/social/posts", v.PostsView.as_view(), name="ads-social-posts"),
    path("ads/social/posts/<uuid:post_id>", v.PostView.as_view(), name="ads-social-post"),
    path("ads/social/posts/<uuid:post_id>/boost", v.BoostView.as_view(), name="ads-social-boost"),
    path("ads/social/posts/<uuid:post_id>/retry", v.RetryView.as_view(), name="ads-social-retry"),
]

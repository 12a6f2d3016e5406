"""The app's URL map plus a bare view (same middleware stack, no work): the ceiling."""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from hokwe.urls import *  # noqa: F403
from hokwe.urls import urlpatterns as app_urlpatterns


@csrf_exempt
def bare(request):
    return HttpResponse(b'{"ok": true}', content_type="application/json")


urlpatterns = [path("bench/bare", bare), *app_urlpatterns]

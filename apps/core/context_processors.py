from django.conf import settings
from django.utils.functional import SimpleLazyObject

from . import navigation


def hokwe(request):
    """Values every page template may use. `nav` is the signed-in user's menu
    (apps/core/navigation.py), computed on first use and once per request."""
    return {
        "HOKWE_ENVIRONMENT": settings.HOKWE_ENVIRONMENT,
        "HOKWE_VERSION": settings.HOKWE_VERSION,
        "HOKWE_SANDBOX": "sandbox" in settings.PAYMENT_PROVIDERS,
        "nav": SimpleLazyObject(lambda: navigation.for_request(request)),
    }

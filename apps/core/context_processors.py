from django.conf import settings


def hokwe(request):
    """Values every page template may use."""
    return {
        "HOKWE_ENVIRONMENT": settings.HOKWE_ENVIRONMENT,
        "HOKWE_VERSION": settings.HOKWE_VERSION,
        "HOKWE_SANDBOX": "sandbox" in settings.PAYMENT_PROVIDERS,
    }

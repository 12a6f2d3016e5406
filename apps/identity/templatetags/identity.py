from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def oidc_enabled() -> bool:
    """True when the SSO (Keycloak / OIDC) login is configured."""
    return bool(settings.OIDC_ISSUER)

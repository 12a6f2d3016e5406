from django import template
from django.conf import settings
from django.utils.translation import gettext_noop

register = template.Library()


@register.simple_tag
def oidc_enabled() -> bool:
    """True when the SSO (Keycloak / OIDC) login is configured."""
    return bool(settings.OIDC_ISSUER)


# Used by templates/manager/login.html (a project template): listed here so that
# makemessages puts them in identity's catalogue.
LOGIN_PAGE_STRINGS = [
    gettext_noop("Log in with a code by SMS"),
    gettext_noop("Log in with Hokwe SSO (Keycloak)"),
]

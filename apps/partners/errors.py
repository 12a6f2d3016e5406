"""Partners' refusals (problem details, translated)."""

from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError


class InvalidScopes(DomainError):
    code = "invalid_scopes"
    status = 400
    default_message = _("Choose at least one permission among those offered.")


class KeyRevoked(DomainError):
    code = "key_revoked"
    status = 409
    default_message = _("This key is already revoked.")


class InvalidEndpointUrl(DomainError):
    code = "invalid_url"
    status = 400
    default_message = _("Enter a full https:// address that our servers can reach.")


class InvalidEvents(DomainError):
    code = "invalid_events"
    status = 400
    default_message = _("Choose at least one event among those offered.")


class EndpointDisabled(DomainError):
    code = "endpoint_disabled"
    status = 409
    default_message = _("This endpoint is disabled: enable it again before sending to it.")

"""Why a send is refused. Re-exported by api.py; REST renders them as problem details."""

from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError, NotFound


class UnknownTemplate(DomainError):
    code = "notification_template_unknown"
    default_message = _("Unknown notification template.")


class TemplateVariableMissing(DomainError):
    code = "notification_variable_missing"
    default_message = _("A template variable is missing.")


class TemplateVariableUnknown(DomainError):
    code = "notification_variable_unknown"
    default_message = _("This template has no such variable.")


class TemplateVariableInvalid(DomainError):
    code = "notification_variable_invalid"
    default_message = _("A template variable has an invalid value.")


class InvalidRecipient(DomainError):
    code = "notification_recipient_invalid"
    default_message = _("The recipient is neither a known user, a valid phone number nor an e-mail address.")


class InvalidChannel(DomainError):
    code = "notification_channel_invalid"
    default_message = _("This template cannot be sent on this channel.")


class InvalidInput(DomainError):
    code = "notification_input_invalid"
    default_message = _("Invalid value.")


class InvalidPriority(DomainError):
    code = "notification_priority_invalid"
    default_message = _("Unknown priority.")


class MessageNotFound(NotFound):
    code = "notification_not_found"
    default_message = _("Message not found.")


class DeviceNotFound(NotFound):
    code = "push_device_not_found"
    default_message = _("Device not found.")

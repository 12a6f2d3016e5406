"""`{{ photo.image|private_url }}`: a short-lived signed link to a private file
(apps.core.media.private_url) instead of the storage's own URL."""

from django import template
from django.core.files.storage import default_storage, storages

from apps.core.media import private_url as sign

register = template.Library()


@register.filter
def private_url(value) -> str:
    """A FieldFile (or a stored name) of the default storage; "" when there is no file."""
    name = getattr(value, "name", value)
    if not name:
        return ""
    storage = getattr(value, "storage", None)
    if storage is not None and storage is not default_storage and storage is not storages["default"]:
        return value.url  # a field with a storage of its own keeps that storage's URL
    return sign(str(name))

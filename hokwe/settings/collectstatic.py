"""Build-time profile for `collectstatic` in the Docker image: the prod static storage
(hashed, compressed files) without needing the prod services."""

from .dev import *

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

"""Private files of the embedded default (files on disk): served to whoever holds a link
`apps.core.media.private_url` signed, until it expires. In production the storage is S3 and
the links are presigned or CloudFront URLs; this view is never reached there (nginx answers
404 under /media/)."""

import mimetypes
from pathlib import PurePosixPath

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import storages
from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe

from apps.core.media import private_file_name


@require_safe
def private_file(request, token: str):
    found = private_file_name(token)
    if found is None:
        raise Http404
    alias, name = found
    storage = storages[alias]
    try:
        handle = storage.open(name, "rb")
    except (OSError, ValueError, SuspiciousFileOperation):  # missing, or a name outside the root
        raise Http404 from None
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type, filename=PurePosixPath(name).name)
    response["Cache-Control"] = "private, no-store"
    # An uploaded file is data: never a page that runs scripts on this origin.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response

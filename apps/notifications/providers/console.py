"""Development providers: nothing leaves the machine.

`console` prints each SMS / push clearly on standard output (the "console outbox" of the
demo) and, when SMS_CONSOLE_FILE is set, also appends it as one JSON line to that file.
`file` only appends to the file. Production settings refuse both.
"""

from __future__ import annotations

import json
import sys
import threading
import uuid

from django.conf import settings
from django.utils import timezone

from ..sms_encoding import measure
from .base import Accepted

_lock = threading.Lock()


def _append(kind: str, record: dict) -> None:
    path = settings.SMS_CONSOLE_FILE
    if not path:
        return
    line = json.dumps({"kind": kind, "at": timezone.now().isoformat(), **record}, ensure_ascii=False)
    with _lock, open(path, "a", encoding="utf-8") as handle:
        handle.write(line + "\n")


def _print(title: str, lines: list[str]) -> None:
    out = [f"┌── {title} " + "─" * max(0, 60 - len(title))]
    out += [f"│ {line}" for text in lines for line in text.splitlines() or [""]]
    out.append("└" + "─" * 64)
    with _lock:
        sys.stdout.write("\n".join(out) + "\n")
        sys.stdout.flush()


class ConsoleSms:
    name = "console"

    def __init__(self, *, echo: bool = True):
        self.echo = echo

    def send(self, *, to: str, body: str, reference: str) -> Accepted:
        provider_id = f"console-{uuid.uuid4().hex[:16]}"
        if self.echo:
            size = measure(body)
            _print(
                "SMS (console provider, not sent)",
                [f"To: {to}", f"Ref: {reference}", f"{size.segments} segment(s), {size.encoding}", "", body],
            )
        _append("sms", {"to": to, "body": body, "reference": reference, "id": provider_id})
        return Accepted(provider_message_id=provider_id)


class FileSms(ConsoleSms):
    name = "file"

    def __init__(self):
        super().__init__(echo=False)


class ConsolePush:
    name = "console"

    def send(self, *, token: str, title: str, body: str, data: dict[str, str]) -> Accepted:
        _print("PUSH (console provider, not sent)", [f"Device: {token[:24]}…", f"Title: {title}", "", body])
        _append("push", {"token": token[:24], "title": title, "body": body, "data": data})
        return Accepted(provider_message_id=f"console-{uuid.uuid4().hex[:16]}")

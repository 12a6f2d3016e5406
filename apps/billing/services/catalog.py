"""The catalog's use cases (publish, lock on first use, a new version from an old one) and
the demo catalog. (Part: catalog.)"""

from __future__ import annotations

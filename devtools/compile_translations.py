"""Compile every .po catalogue (locale/ and apps/*/locale/) to .mo with Babel.

Babel is a runtime dependency, so neither command needs GNU gettext. Fuzzy entries are
left out (as msgfmt does); a fuzzy header alone does not skip the whole catalogue.
"""

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    catalogues = sorted(ROOT.glob("locale/*/LC_MESSAGES/django.po")) + sorted(
        ROOT.glob("apps/*/locale/*/LC_MESSAGES/django.po")
    )
    for po_path in catalogues:
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=po_path.parent.parent.name)
        catalog.fuzzy = False
        with po_path.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
    print(f"compiled {len(catalogues)} translation catalogues")
    return 0


if __name__ == "__main__":
    sys.exit(main())

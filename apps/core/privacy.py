"""How a person's name shows on a public page (a receipt check, a payment receipt): one
rule everywhere, enough to recognise, not to find someone."""


def mask_name(name: str) -> str:
    """ "Brice Zinsou" -> "Brice Z."; an empty name -> "—"."""
    parts = [p for p in (name or "").split() if p]
    if not parts:
        return "—"
    return " ".join([parts[0], *[f"{p[0]}." for p in parts[1:]]])

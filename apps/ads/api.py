"""PUBLIC: the functions other modules may call. They return plain values or frozen
dataclasses from contracts.py, never querysets."""

__all__: list[str] = ["deliver"]


def deliver(context, *, count: int = 1):
    """The ads to show for an AdContext (a placement, the viewer, the place): up to `count`
    DeliveredAd, best first, each with its label « Sponsorisé » and signed beacon URLs (load
    `impression_url` once shown, open `click_url`). UnknownPlacement (400) for a placement
    ads does not have. Modules above ads (ai's assistant, analytics) call it; those below
    register a slot instead (market's sponsored source, cms's page extra)."""
    from .services.delivery import deliver as run

    return run(context, count=count)

"""Identity verification providers behind one protocol (base.KycProvider)."""

from django.conf import settings


def get(name: str | None = None):
    """The provider named `name` (default: settings.KYC_PROVIDER)."""
    from . import manual, onfido, smile_id

    name = name or settings.KYC_PROVIDER
    factories = {
        "manual": manual.ManualProvider,
        "smile_id": smile_id.SmileIdProvider,
        "onfido": onfido.OnfidoProvider,
    }
    if name not in factories:
        raise ValueError(f"Unknown KYC provider {name!r}")
    return factories[name]()

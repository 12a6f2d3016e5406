"""Cms's manager pages, mounted under /manager/cms/ (namespace manager:): the organization's
vault (HokweDoc), the help centre from inside the manager. Each part appends its block."""

urlpatterns: list = []


# --- help ---
from django.urls import path as _help_path  # noqa: E402

from . import help as _help  # noqa: E402

urlpatterns += [
    _help_path("help/contact/", _help.manager_contact, name="cms-help-contact"),
    _help_path("help/tickets/", _help.manager_tickets, name="cms-help-tickets"),
]


# --- vault ---
from django.urls import path as _vault_path  # noqa: E402

from . import vault as _vault  # noqa: E402

urlpatterns += [
    _vault_path("vault/", _vault.manager_vault, name="cms-vault"),
]

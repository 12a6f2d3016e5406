"""Cms's public routes, mounted at the site root: Wagtail's editor at /cms/ (Hokwe's content
staff only), the help centre, news, the vault's share links. Each part appends its block."""

from django.urls import include, path
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.utils.urlpatterns import decorate_urlpatterns

from .editor import require_verified_staff

urlpatterns = [
    # staff with TOTP only (web/editor.py); Wagtail's own check (access_admin) runs inside
    path("cms/", include(decorate_urlpatterns(list(wagtailadmin_urls.urlpatterns), require_verified_staff))),
]


# --- sites ---
from . import paylink as _sites_paylink  # noqa: E402

urlpatterns += [
    path("pay-link/", _sites_paylink.find_pay_link, name="cms-sites-paylink"),
]


# --- help ---
from django.urls import path as _help_path  # noqa: E402

from . import help as _help  # noqa: E402

urlpatterns += [
    _help_path("help/", _help.home, name="cms-help"),
    _help_path("help/search", _help.search, name="cms-help-search"),
    _help_path("help/suggest", _help.suggest, name="cms-help-suggest"),
    _help_path("help/contact/", _help.contact, name="cms-help-contact"),
    _help_path("help/a/<slug:slug>/", _help.article, name="cms-help-article"),
    _help_path("help/a/<slug:slug>/feedback", _help.feedback, name="cms-help-feedback"),
]


# --- news ---


# --- vault ---
from . import vault as _vault  # noqa: E402

urlpatterns += [
    # a user's own vault (a tenant's quittances), the document pages of every vault
    path("me/vault/", _vault.my_vault, name="cms-vault-mine"),
    path("vault/upload/", _vault.upload, name="cms-vault-upload"),
    path("vault/folders/", _vault.folder_create, name="cms-vault-folder-create"),
    path("vault/log/", _vault.access_log, name="cms-vault-log"),
    path("vault/d/<uuid:document_id>/", _vault.document_page, name="cms-vault-document-page"),
    path("vault/d/<uuid:document_id>/download", _vault.document_download, name="cms-vault-download"),
    path("vault/d/<uuid:document_id>/delete", _vault.document_delete, name="cms-vault-delete"),
    path("vault/d/<uuid:document_id>/share", _vault.share, name="cms-vault-share-create"),
    path("vault/shares/<uuid:share_id>/revoke", _vault.share_revoke, name="cms-vault-share-revoke-page"),
    # anyone with the link
    path("vault/s/<str:token>/", _vault.share_link, name="cms-vault-share"),
]

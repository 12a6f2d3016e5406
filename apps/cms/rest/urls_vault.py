"""Cms vault: REST routes (paths start with `cms/`), owned by the vault part."""

from django.urls import path

from . import views_vault as v

urlpatterns: list = [
    path("cms/vault/documents", v.VaultDocumentListView.as_view(), name="cms-vault-documents"),
    path("cms/vault/documents/<uuid:document_id>", v.VaultDocumentView.as_view(), name="cms-vault-document"),
    path(
        "cms/vault/documents/<uuid:document_id>/download",
        v.VaultDocumentDownloadView.as_view(),
        name="cms-vault-document-download",
    ),
    path(
        "cms/vault/documents/<uuid:document_id>/shares",
        v.VaultShareListView.as_view(),
        name="cms-vault-document-shares",
    ),
    path(
        "cms/vault/shares/<uuid:share_id>/revoke",
        v.VaultShareRevokeView.as_view(),
        name="cms-vault-share-revoke",
    ),
    path("cms/vault/folders", v.VaultFolderListView.as_view(), name="cms-vault-folders"),
    path("cms/vault/folders/<uuid:folder_id>", v.VaultFolderView.as_view(), name="cms-vault-folder"),
    path("cms/vault/access-log", v.VaultAccessLogView.as_view(), name="cms-vault-access-log"),
]

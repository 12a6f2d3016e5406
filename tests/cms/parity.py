"""cms's REST/GraphQL parity (checked by tests/core/test_transport_parity.py). Each part
appends its own block to the four tables."""

BOTH: dict[str, str] = {}

REST_ONLY: dict[str, str] = {}

GRAPHQL_ONLY: dict[str, str] = {}

MISSING: dict[str, tuple] = {}


# --- sites ---


# --- help ---
BOTH.update(
    {
        "POST /api/v1/cms/help/articles/{slug}/feedback": "cmsHelpFeedback",
        "POST /api/v1/cms/help/tickets": "cmsHelpContact",
    }
)


# --- news ---
# Read only (GET /api/v1/cms/news and /api/v1/cms/news/{post_id}, GraphQL cmsNews and cmsNewsPost):
# no write to list. Posts are written in Wagtail's editor (/cms/).


# --- vault ---
BOTH.update(
    {
        "PATCH /api/v1/cms/vault/documents/{document_id}": "cmsVaultDocumentUpdate",
        "DELETE /api/v1/cms/vault/documents/{document_id}": "cmsVaultDocumentDelete",
        "POST /api/v1/cms/vault/documents/{document_id}/shares": "cmsVaultShareCreate",
        "POST /api/v1/cms/vault/shares/{share_id}/revoke": "cmsVaultShareRevoke",
        "POST /api/v1/cms/vault/folders": "cmsVaultFolderCreate",
        "PATCH /api/v1/cms/vault/folders/{folder_id}": "cmsVaultFolderUpdate",
        "DELETE /api/v1/cms/vault/folders/{folder_id}": "cmsVaultFolderDelete",
    }
)
REST_ONLY.update(
    {
        "POST /api/v1/cms/vault/documents": "an upload is a multipart body, which GraphQL does not carry",
    }
)

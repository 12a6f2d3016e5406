"""cms's part of the isolation suite (tests/isolation/cases.py merges it). Each part appends
its block under a `# --- <part> ---` comment."""

from __future__ import annotations

from tests.isolation.framework import GraphQLCase, RestCase, World

SEEDERS: list = []
REST_CASES: dict = {}
GRAPHQL_CASES: dict = {}
PUBLIC_ROUTES: dict = {}
PUBLIC_GRAPHQL: dict = {}
SELF_SCOPED_GRAPHQL: dict = {}


# --- sites ---
# The public sites' pages (Wagtail, published content only) and Wagtail's password form of a
# private page (none are private): anyone may load them, none shows A's data. Their paths are
# regexes or integers, so each gets a concrete one.
def _public_page(path: str):
    def case(world: World) -> RestCase:
        return RestCase(path=path, methods=("GET",), owned=False, anonymous_allowed=True)

    return case


REST_CASES["wagtail_serve"] = _public_page("/hokwe-co/")
REST_CASES["cms-sites-serve-en"] = _public_page("/en/hokwe-co/")
REST_CASES["wagtailcore_authenticate_with_password"] = _public_page("/_util/authenticate_with_password/1/1/")


# --- help ---
PUBLIC_ROUTES.update(
    {
        "cms-help": "the help centre's home (published articles only)",
        "cms-help-search": "search of the published help articles (page)",
        "cms-help-suggest": "articles suggested as one types in the contact form (published only)",
        "cms-help-contact": "the contact form: anyone writes to support (throttled)",
        "cms-help-search-api": "search of the published help articles (public content)",
        "cms-help-categories-api": "the help centre's categories (public content)",
        "cms-help-tickets-api": "POST: anyone writes to support (throttled); GET: the caller's own tickets",
    }
)
# The help centre is public content (published articles only): anyone may read, search and
# rate it, and anyone may write to support (a ticket is then the caller's own).
PUBLIC_ROUTES.update(
    {
        "cms-help-article-api": "a published help article (public content)",
        "cms-help-feedback-api": "« was this helpful? » on a published article (anyone, throttled)",
        "cms-help-article": "a published help article's page (public content)",
        "cms-help-feedback": "« was this helpful? » from the article's page (anyone, throttled)",
    }
)
PUBLIC_GRAPHQL.update(
    {
        "query.cmsHelpSearch": "search of the published help articles (public content)",
        "query.cmsHelpArticle": "a published help article (public content)",
        "mutation.cmsHelpFeedback": "« was this helpful? » (anyone, throttled)",
        "mutation.cmsHelpContact": "the contact form opens a ticket of the caller's own (throttled)",
    }
)


# --- news ---
PUBLIC_ROUTES["cms-news"] = "the published news posts (public content)"
PUBLIC_ROUTES["cms-news-post"] = "a published news post (public content)"
PUBLIC_GRAPHQL["query.cmsNewsPost"] = "a published news post (public content)"


# --- vault: A's vault (a document filed by a module, an upload-free folder, a share link);
# B's owner, the outsider and anonymous callers neither list, open, download, share, rename,
# move nor delete them; every route naming A's document, folder or share is a 404 for them ---


def _vault(world: World) -> None:
    from apps.cms import api as cms
    from apps.cms.contracts import OpenedDocument
    from apps.cms.models import VaultDocument, VaultFolder
    from apps.cms.services import vault as svc

    cms.register_document_source(
        "tests.isolation",
        lambda source_id: OpenedDocument(b"%PDF-1.4 secret de A", "application/pdf", "a.pdf"),
    )
    (public_id,) = cms.file_generated_document(
        kind="owner_statement",
        title="Relevé secret de A",
        source="tests.isolation",
        source_id="a-1",
        organization_id=world.org_a.pk,
        metadata={"owner": "Propriétaire secret de A"},
    ).public_ids
    document = VaultDocument.objects.get(public_id=public_id)
    folder = VaultFolder.objects.create(organization=world.org_a, name="Dossier secret de A")
    share, _token = svc.share_create(actor=world.user_a, document_id=public_id, hours=24)
    world.provide("document_id", document.public_id, "Relevé secret de A", "Propriétaire secret de A")
    world.provide("folder_id", folder.public_id, "Dossier secret de A")
    world.provide("share_id", share.public_id)
    world.vault_document = document


SEEDERS.append(_vault)

PUBLIC_ROUTES["cms-vault-share"] = (
    "a share link: its token is the secret (unknown: 404, expired or revoked: 410)"
)


def _vault_mutation(field: str, args: str, payload: str = ""):
    def case(world: World) -> GraphQLCase:
        rendered = args.format(
            document=world.ids["document_id"], folder=world.ids["folder_id"], share=world.ids["share_id"]
        )
        return GraphQLCase(query=f"mutation {{ {field}({rendered}) {{ ok errors {{ code }} {payload} }} }}")

    return case


GRAPHQL_CASES["mutation.cmsVaultDocumentUpdate"] = _vault_mutation(
    "cmsVaultDocumentUpdate", 'documentId: "{document}", name: "Pris par B"', "document { id name }"
)
GRAPHQL_CASES["mutation.cmsVaultDocumentDelete"] = _vault_mutation(
    "cmsVaultDocumentDelete", 'documentId: "{document}"'
)
GRAPHQL_CASES["mutation.cmsVaultShareCreate"] = _vault_mutation(
    "cmsVaultShareCreate", 'documentId: "{document}"', "share { url }"
)
GRAPHQL_CASES["mutation.cmsVaultShareRevoke"] = _vault_mutation(
    "cmsVaultShareRevoke", 'shareId: "{share}"', "share { id state }"
)
GRAPHQL_CASES["mutation.cmsVaultFolderUpdate"] = _vault_mutation(
    "cmsVaultFolderUpdate", 'folderId: "{folder}", name: "Pris par B"', "folder { id name }"
)
GRAPHQL_CASES["mutation.cmsVaultFolderDelete"] = _vault_mutation(
    "cmsVaultFolderDelete", 'folderId: "{folder}"'
)


def _vault_folder_create(world: World) -> GraphQLCase:
    return GraphQLCase(
        query=f'mutation {{ cmsVaultFolderCreate(organization: "{world.org_a.public_id}", name: "Intrus") '
        "{ ok errors { code } folder { id name } } }"
    )


GRAPHQL_CASES["mutation.cmsVaultFolderCreate"] = _vault_folder_create
GRAPHQL_CASES["query.cmsVaultDocuments"] = lambda world: GraphQLCase(
    query=f'{{ cmsVaultDocuments(organization: "{world.org_a.public_id}") {{ items {{ id name metadata }} }} }}'
)
GRAPHQL_CASES["query.cmsVaultFolders"] = lambda world: GraphQLCase(
    query=f'{{ cmsVaultFolders(organization: "{world.org_a.public_id}") {{ id name }} }}'
)
GRAPHQL_CASES["query.cmsVaultAccessLog"] = lambda world: GraphQLCase(
    query=f'{{ cmsVaultAccessLog(organization: "{world.org_a.public_id}") {{ documentName }} }}'
)


def _vault_list(name: str, param: str = "organization", *, api: bool = True):
    def case(world: World) -> RestCase:
        from django.urls import reverse

        path = reverse(name, kwargs={"version": "v1"}) if api else reverse(name)
        return RestCase(path=f"{path}?{param}={world.org_a.public_id}", methods=("GET",))

    return case


REST_CASES["cms-vault-documents"] = _vault_list("cms-vault-documents")
REST_CASES["cms-vault-folders"] = _vault_list("cms-vault-folders")
REST_CASES["cms-vault-access-log"] = _vault_list("cms-vault-access-log")
REST_CASES["manager:cms-vault"] = _vault_list("manager:cms-vault", "org", api=False)
REST_CASES["cms-vault-log"] = _vault_list("cms-vault-log", "org", api=False)

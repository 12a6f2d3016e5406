"""kyc's part of the isolation suite (tests/isolation/cases.py merges it): organization A's
owner has an identity verification with a document, and A has a KYB draft with a director;
B's owner, an outsider and an anonymous caller must never reach them (nor fill in, add to,
remove from, upload to or submit A's KYB over GraphQL)."""

import base64

from tests.isolation.framework import GraphQLCase, RestCase, World

from .helpers import jpeg_bytes, pdf_bytes

SEEDERS = []
REST_CASES = {}
GRAPHQL_CASES = {}

PUBLIC_ROUTES = {
    "kyc-callback-smile-id": "provider callback, Smile ID signature (HMAC of timestamp + partner id) verified",
    "kyc-callback-onfido": "provider webhook, X-SHA2-Signature (HMAC-SHA256 of the body) verified",
}
SELF_SCOPED_GRAPHQL = {
    "mutation.kycUpdateSubmission": "fills in the caller's own draft verification",
    "mutation.kycSubmit": "submits the caller's own draft verification",
    # the old names, deprecated aliases (issue 14)
    "mutation.updateKycSubmission": "fills in the caller's own draft verification",
    "mutation.submitKyc": "submits the caller's own draft verification",
}


def kyc_data(world: World) -> None:
    from apps.kyc.services import documents, submissions

    draft = submissions.draft_for_user(actor=world.user_a)
    submissions.submission_update(
        actor=world.user_a, submission=draft, first_name="Prénom-Alpha-Secret", id_number="ID-ALPHA-0777"
    )
    document = documents.document_upload(actor=world.user_a, kind="id_card", data=jpeg_bytes())
    world.provide("document_id", document.public_id, "Prénom-Alpha-Secret", "ID-ALPHA-0777")
    world.kyc_link = documents.document_link(actor=world.user_a, document=document).url

    kyb = submissions.draft_for_organization(actor=world.user_a, organization_id=world.org_a.pk)
    submissions.submission_update(actor=world.user_a, submission=kyb, rccm_number="RB/ALPHA/24 B 0777")
    director = submissions.director_add(
        actor=world.user_a, organization_id=world.org_a.pk, full_name="Dirigeant Alpha"
    )
    world.provide("director_id", director.public_id, "Dirigeant Alpha", "RB/ALPHA/24 B 0777")


SEEDERS.append(kyc_data)


def kyc_file(world: World) -> RestCase:
    """A signed link issued to A's owner, replayed by others: refused (bound to the viewer)."""
    return RestCase(path=world.kyc_link, methods=("GET",))


REST_CASES["kyc-file"] = kyc_file


def gql_upload(field: str):
    def case(world: World) -> GraphQLCase:
        return GraphQLCase(
            query=f"mutation($kind: String!, $content: String!) {{ {field}(kind: $kind, contentBase64: $content) "
            "{ ok errors { code } document { id kind } } }",
            variables={"kind": "selfie", "content": base64.b64encode(jpeg_bytes()).decode()},
            owned=False,
        )

    return case


def gql_delete(field: str):
    def case(world: World) -> GraphQLCase:
        return GraphQLCase(
            query=f"mutation($id: UUID!) {{ {field}(id: $id) {{ ok errors {{ code }} }} }}",
            variables={"id": str(world.ids["document_id"])},
        )

    return case


# the new names, and the old ones (deprecated aliases, issue 14)
for _field in ("kycUploadDocument", "uploadKycDocument"):
    GRAPHQL_CASES[f"mutation.{_field}"] = gql_upload(_field)
for _field in ("kycDeleteDocument", "deleteKycDocument"):
    GRAPHQL_CASES[f"mutation.{_field}"] = gql_delete(_field)


def gql_kyb(
    field: str,
    args: dict,
    selection: str = "{ ok errors { code } kyb { submission { status legalName rccmNumber } } }",
):
    """A KYB mutation on organization A, with typed variables: {"fullName": ("String!", …)}."""

    def case(world: World) -> GraphQLCase:
        values = {"organizationId": ("UUID!", str(world.ids["org_id"]))}
        for name, (type_, value) in args.items():
            values[name] = (type_, value(world) if callable(value) else value)
        declared = ", ".join(f"${name}: {type_}" for name, (type_, _value) in values.items())
        call = ", ".join(f"{name}: ${name}" for name in values)
        return GraphQLCase(
            query=f"mutation({declared}) {{ {field}({call}) {selection} }}",
            variables={name: value for name, (_type, value) in values.items()},
        )

    return case


GRAPHQL_CASES["mutation.kycUpdateOrganizationKyb"] = gql_kyb(
    "kycUpdateOrganizationKyb", {"rccmNumber": ("String", "RB/B/24 B 0001")}
)
GRAPHQL_CASES["mutation.kycAddDirector"] = gql_kyb(
    "kycAddDirector",
    {"fullName": ("String!", "Dirigeant de B")},
    "{ ok errors { code } director { id fullName } }",
)
GRAPHQL_CASES["mutation.kycRemoveDirector"] = gql_kyb(
    "kycRemoveDirector", {"directorId": ("UUID!", lambda world: str(world.ids["director_id"]))}
)
GRAPHQL_CASES["mutation.kycUploadOrganizationDocument"] = gql_kyb(
    "kycUploadOrganizationDocument",
    {"kind": ("String!", "rccm"), "contentBase64": ("String!", base64.b64encode(pdf_bytes()).decode())},
    "{ ok errors { code } document { id kind } }",
)
GRAPHQL_CASES["mutation.kycSubmitOrganizationKyb"] = gql_kyb("kycSubmitOrganizationKyb", {})

"""estate's part of the isolation suite (tests/isolation/cases.py merges it): organization A
manages a property of an owner, with a unit, a lease, its dues, a paid due's receipt, a
ticket, an inspection and an owner statement. B's owner, an outsider (a tenant of no lease
of A) and an anonymous caller must never reach them, on REST, pages and GraphQL."""

from django.urls import reverse

from tests.isolation.framework import GraphQLCase, RestCase, World

SEEDERS = []
REST_CASES = {}
GRAPHQL_CASES = {}

PUBLIC_ROUTES = {
    "estate:pay-due": "pay link from the avis d'échéance SMS: the random token is the secret",
    "estate:receipt-verify": "rent receipt verification by the code printed on it (masked names only)",
    # the tenant space (/pay/): its other pages need a login and are generated from the seeders'
    # lease_id / receipt_id / ticket_id / inspection_id (A's objects: a 404 for anyone else)
    "estate:tenant-login": "tenant space login, step 1: a phone number (identity's rate limits)",
    "estate:tenant-login-code": "tenant space login, step 2: the SMS code of the phone in the session",
}
SELF_SCOPED_GRAPHQL = {}


def estate_data(world: World) -> None:
    from django.utils import timezone

    from apps.estate import domain, services
    from tests.identity.factories import MembershipFactory, OrganizationFactory, UserFactory

    owner = OrganizationFactory(name="Famille Propriétaire Alpha", kind="owner")
    MembershipFactory(organization=owner, user=world.user_a, role="viewer")  # the owner invited A's manager
    mandate = services.mandate_create(
        actor=world.user_a,
        agency_id=world.org_a.pk,
        owner_id=owner.pk,
        commission_bps=1000,
        start_date=domain.add_months(timezone.localdate(), -12),
    )
    prop = services.property_create(
        actor=world.user_a,
        organization_id=world.org_a.pk,
        owner_id=owner.pk,
        name="Résidence Alpha Secrète",
        city="Cotonou",
        neighbourhood="Quartier Alpha",
        mandate=mandate,
    )
    unit = services.unit_create(
        actor=world.user_a, property=prop, label="ALPHA-U1", kind="apartment", market_rent=61_313
    )
    tenant = UserFactory(full_name="Locataire Alpha Secret")
    lease = services.lease_create(
        actor=world.user_a,
        unit=unit,
        tenants=[services.TenantInput(phone=str(tenant.phone), full_name=tenant.full_name)],
        start_date=domain.add_months(domain.month_start(timezone.localdate()), -1),
        rent=61_313,
        charges=0,
    )
    services.payment_record(
        actor=world.user_a, lease=lease, amount=61_313, method="bank_transfer", reference="VIR-ALPHA-SECRET"
    )
    dues = list(lease.dues.order_by("period"))
    ticket = services.ticket_open(actor=world.user_a, property=prop, title="Fuite secrète Alpha")
    inspection = services.inspection_create(
        actor=world.user_a,
        lease=lease,
        kind="move_in",
        inspected_on=lease.start_date,
        items=[{"room": "Salon Alpha", "element": "Mur", "condition": "good"}],
    )
    statement = services.statement_get_or_refresh(
        actor=world.user_a, organization_id=world.org_a.pk, owner_id=owner.pk, period=lease.start_date
    )
    world.provide("property_id", prop.public_id, "Résidence Alpha Secrète", "Quartier Alpha")
    world.provide("unit_id", unit.public_id, "ALPHA-U1")
    world.provide(
        "lease_id",
        lease.public_id,
        tenant.public_id,
        "Locataire Alpha Secret",
        tenant.phone,
        "VIR-ALPHA-SECRET",
    )
    world.provide("due_id", dues[-1].public_id)
    world.provide("receipt_id", dues[0].quittance.public_id, dues[0].quittance.code)
    world.provide("ticket_id", ticket.public_id, "Fuite secrète Alpha")
    world.provide("inspection_id", inspection.public_id, "Salon Alpha")
    world.provide("statement_id", statement.public_id)
    world.provide("owner_id", owner.public_id, "Famille Propriétaire Alpha")
    world.mark(mandate.public_id, "61313", "61 313")
    world.estate_period = lease.start_date.isoformat()
    from apps.estate.services.leases import settings_update

    settings_update(actor=world.user_a, organization_id=world.org_a.pk, first_period_rule="full")


SEEDERS.append(estate_data)


def _settings_snapshot(world: World):
    from apps.estate.models import EstateSettings

    return lambda: list(
        EstateSettings.objects.filter(organization_id=world.org_a.pk).values_list(
            "first_period_rule", "updated_at"
        )
    )


def _settings_rest(world: World) -> RestCase:
    """B names A's organization: 404 on GET and PATCH; without naming it, B reads its own."""
    return RestCase(
        path=reverse("estate-settings", kwargs={"version": "v1"}),
        body={"organization": str(world.org_a.public_id), "first_period_rule": "next"},
        owned=False,
        check_unchanged=_settings_snapshot(world),
    )


def _settings_page(world: World) -> RestCase:
    """B's settings page lists B's organizations only; a POST naming A's changes nothing."""
    return RestCase(
        path=reverse("manager:estate-settings"),
        body={"organization": str(world.org_a.pk), "first_period_rule": "next"},
        owned=False,
        check_unchanged=_settings_snapshot(world),
    )


REST_CASES["estate-settings"] = _settings_rest
REST_CASES["manager:estate-settings"] = _settings_page


def _lease_action(world: World) -> RestCase:
    return RestCase(
        path=reverse("manager:estate-lease-action", args=[world.ids["lease_id"], "end"]),
        methods=("POST",),
        body={"end_date": "2026-12-31"},
    )


def _export(world: World) -> RestCase:
    return RestCase(path=reverse("manager:estate-dues-export", args=["csv"]), methods=("GET",), owned=False)


def _statements(world: World) -> RestCase:
    """GET needs its query (a path with a query string would not resolve): B's GET gets 400;
    B's POST names A's owner and must prepare nothing of A's."""
    from apps.estate.models import OwnerStatement

    return RestCase(
        path=reverse("estate-statement", kwargs={"version": "v1"}),
        body={"owner": str(world.ids["owner_id"]), "period": world.estate_period},
        owned=False,
        check_unchanged=lambda: sorted(
            OwnerStatement.objects.filter(organization_id=world.org_a.pk).values_list(
                "public_id", "period", "updated_at"
            )
        ),
    )


REST_CASES["manager:estate-lease-action"] = _lease_action
REST_CASES["manager:estate-dues-export"] = _export
REST_CASES["estate-statement"] = _statements


def _rest_post(name: str, kwarg: str, body: dict):
    def case(world: World) -> RestCase:
        return RestCase(path=reverse(name, kwargs={"version": "v1", kwarg: world.ids[kwarg]}), body=body)

    return case


# Valid bodies, so a view that forgot its scope would act instead of failing validation.
REST_CASES.update(
    {
        "estate-lease-payments": _rest_post(
            "estate-lease-payments", "lease_id", {"amount": 1000, "method": "bank_transfer"}
        ),
        "estate-lease-terms": _rest_post(
            "estate-lease-terms", "lease_id", {"effective_from": "2030-01-01", "rent": 1}
        ),
        "estate-lease-notice": _rest_post(
            "estate-lease-notice", "lease_id", {"given_on": "2026-01-01", "end_date": "2030-01-01"}
        ),
        "estate-lease-end": _rest_post("estate-lease-end", "lease_id", {"end_date": "2030-01-01"}),
        "estate-lease-deposit": _rest_post("estate-lease-deposit", "lease_id", {"deductions": []}),
        "estate-due-adjustments": _rest_post(
            "estate-due-adjustments", "due_id", {"kind": "discount", "amount": 1}
        ),
        "estate-due-write-off": _rest_post("estate-due-write-off", "due_id", {"reason": "B"}),
        # the tenant app's « pay my lease »: another tenant's (or a manager's) is 404
        "estate-my-lease-pay": _rest_post("estate-my-lease-pay", "lease_id", {"choice": "balance"}),
        "estate-units": _rest_post("estate-units", "property_id", {"label": "B-UNIT", "kind": "studio"}),
        "estate-announcements": _rest_post(
            "estate-announcements", "property_id", {"title": "B", "message": "B"}
        ),
    }
)


def _case(
    field: str, args: dict, selection: str = "{ ok errors { code } }", kind: str = "mutation", **options
) -> GraphQLCase:
    declared = ", ".join(f"${name}: {type_}" for name, (type_, _v) in args.items())
    call = ", ".join(f"{name}: ${name}" for name in args)
    return GraphQLCase(
        query=f"{kind}({declared}) {{ {field}({call}) {selection} }}",
        variables={name: value for name, (_t, value) in args.items()},
        **options,
    )


def _id(world, name):
    return str(world.ids[name])


GRAPHQL_CASES.update(
    {
        "query.estateSettings": lambda w: _case(
            "estateSettings",
            {"organizationId": ("UUID", str(w.org_a.public_id))},
            "{ organizationId firstPeriodRule }",
            kind="query",
        ),
        "mutation.estateUpdateSettings": lambda w: _case(
            "estateUpdateSettings",
            {"organizationId": ("UUID", str(w.org_a.public_id)), "firstPeriodRule": ("String!", "next")},
            "{ ok settings { firstPeriodRule } errors { code } }",
        ),
        "query.estateStatement": lambda w: _case(
            "estateStatement",
            {"ownerId": ("UUID!", _id(w, "owner_id")), "period": ("Date!", w.estate_period)},
            "{ id net { amount } }",
            kind="query",
        ),
        "mutation.estateCreateProperty": lambda w: _case(
            "estateCreateProperty",
            {
                "organizationId": ("UUID!", str(w.org_a.public_id)),
                "name": ("String!", "Bien de B"),
                "city": ("String!", "Cotonou"),
            },
        ),
        "mutation.estateCreateUnit": lambda w: _case(
            "estateCreateUnit",
            {
                "propertyId": ("UUID!", _id(w, "property_id")),
                "label": ("String!", "B1"),
                "kind": ("String!", "studio"),
            },
        ),
        "mutation.estateCreateLease": lambda w: _case(
            "estateCreateLease",
            {
                "unitId": ("UUID!", _id(w, "unit_id")),
                "tenants": ("[EstateTenantInput!]!", [{"phone": "+2290161777777"}]),
                "startDate": ("Date!", "2031-01-01"),
                "rent": ("Amount!", 1000),
            },
        ),
        "mutation.estateChangeLeaseTerms": lambda w: _case(
            "estateChangeLeaseTerms",
            {
                "leaseId": ("UUID!", _id(w, "lease_id")),
                "effectiveFrom": ("Date!", "2031-01-01"),
                "rent": ("Amount!", 1),
            },
        ),
        "mutation.estateEndLease": lambda w: _case(
            "estateEndLease", {"leaseId": ("UUID!", _id(w, "lease_id")), "endDate": ("Date!", "2031-01-01")}
        ),
        "mutation.estateRecordPayment": lambda w: _case(
            "estateRecordPayment",
            {
                "leaseId": ("UUID!", _id(w, "lease_id")),
                "amount": ("Amount!", 1000),
                "method": ("String!", "bank_transfer"),
            },
        ),
        "mutation.estateAdjustDue": lambda w: _case(
            "estateAdjustDue",
            {"dueId": ("UUID!", _id(w, "due_id")), "kind": ("String!", "discount"), "amount": ("Amount!", 1)},
        ),
        "mutation.estateRequestPayLink": lambda w: _case(
            "estateRequestPayLink",
            {"dueId": ("UUID!", _id(w, "due_id"))},
            "{ ok errors { code } payLink { payUrl } }",
        ),
        "mutation.estateOpenTicket": lambda w: _case(
            "estateOpenTicket", {"title": ("String!", "B"), "leaseId": ("UUID", _id(w, "lease_id"))}
        ),
        "mutation.estateUpdateTicket": lambda w: _case(
            "estateUpdateTicket",
            {"ticketId": ("UUID!", _id(w, "ticket_id")), "status": ("String", "canceled")},
        ),
        "mutation.estateSendAnnouncement": lambda w: _case(
            "estateSendAnnouncement",
            {
                "propertyId": ("UUID!", _id(w, "property_id")),
                "title": ("String!", "B"),
                "message": ("String!", "B"),
            },
        ),
        "mutation.estateCloseStatement": lambda w: _case(
            "estateCloseStatement", {"statementId": ("UUID!", _id(w, "statement_id"))}
        ),
        "mutation.estatePrepareStatement": lambda w: _case(
            "estatePrepareStatement",
            {"ownerId": ("UUID!", _id(w, "owner_id")), "period": ("Date!", w.estate_period)},
        ),
        "mutation.estateUpdateProperty": lambda w: _case(
            "estateUpdateProperty",
            {"propertyId": ("UUID!", _id(w, "property_id")), "name": ("String", "Bien de B")},
        ),
        "mutation.estateUpdateUnit": lambda w: _case(
            "estateUpdateUnit", {"unitId": ("UUID!", _id(w, "unit_id")), "label": ("String", "B1")}
        ),
        # B names A as the agency and A's owner: no mandate may be signed in A's name
        "mutation.estateCreateMandate": lambda w: _case(
            "estateCreateMandate",
            {
                "agencyId": ("UUID!", str(w.org_a.public_id)),
                "ownerId": ("UUID!", _id(w, "owner_id")),
                "commissionBps": ("Int!", 500),
                "startDate": ("Date!", "2031-01-01"),
            },
        ),
        "mutation.estateGiveLeaseNotice": lambda w: _case(
            "estateGiveLeaseNotice",
            {
                "leaseId": ("UUID!", _id(w, "lease_id")),
                "givenOn": ("Date!", "2030-01-01"),
                "endDate": ("Date!", "2030-06-30"),
            },
        ),
        "mutation.estateSettleDeposit": lambda w: _case(
            "estateSettleDeposit",
            {"leaseId": ("UUID!", _id(w, "lease_id")), "idempotencyKey": ("String", "B-deposit")},
        ),
        "mutation.estatePayMyLease": lambda w: _case(
            "estatePayMyLease",
            {
                "leaseId": ("UUID!", _id(w, "lease_id")),
                "choice": ("String!", "balance"),
                "idempotencyKey": ("String", "B-pay-lease"),
            },
            "{ ok errors { code } intent { intentId payUrl } }",
        ),
        "mutation.estateWriteOffDue": lambda w: _case(
            "estateWriteOffDue",
            {"dueId": ("UUID!", _id(w, "due_id")), "idempotencyKey": ("String", "B-write-off")},
        ),
    }
)


# The former mutation names (deprecated aliases) are checked too, with the same cases.
MUTATION_ALIASES = {
    "createEstateProperty": "estateCreateProperty",
    "createEstateUnit": "estateCreateUnit",
    "createEstateLease": "estateCreateLease",
    "changeEstateLeaseTerms": "estateChangeLeaseTerms",
    "endEstateLease": "estateEndLease",
    "recordEstatePayment": "estateRecordPayment",
    "adjustEstateDue": "estateAdjustDue",
    "requestEstatePayLink": "estateRequestPayLink",
    "openEstateTicket": "estateOpenTicket",
    "updateEstateTicket": "estateUpdateTicket",
    "sendEstateAnnouncement": "estateSendAnnouncement",
    "closeEstateStatement": "estateCloseStatement",
}


def _alias_case(old: str, new: str):
    def case(world: World) -> GraphQLCase:
        built = GRAPHQL_CASES[f"mutation.{new}"](world)
        built.query = built.query.replace(f"{{ {new}(", f"{{ {old}(", 1)
        return built

    return case


GRAPHQL_CASES.update({f"mutation.{old}": _alias_case(old, new) for old, new in MUTATION_ALIASES.items()})


# --- statement import and matching (issue 16): A's imports, lines and rules ------------------------


def estate_statements(world: World) -> None:
    """A imports a MoMo statement: two lines from relatives' phones naming A's lease with
    another amount (to review); A confirms the second, which learns a rule."""
    from apps.estate.models import Lease, StatementLine, StatementRule
    from apps.estate.services import statements

    lease = Lease.objects.get(public_id=world.ids["lease_id"])
    csv = (
        "Date;ID de transaction;Type;Statut;De;Nom de l'expéditeur;Montant;Devise;Message\n"
        f"01/01/2026;ALPHA-TX-REVIEW;Transfert reçu;Réussi;+2290197333331;Payeur Alpha Secret;1 234;XOF;"
        f"pour {lease.reference}\n"
        f"02/01/2026;ALPHA-TX-RULE;Transfert reçu;Réussi;+2290197333332;Cousin Alpha Secret;1 111;XOF;"
        f"pour {lease.reference}\n"
    ).encode()
    result = statements.statement_import(
        actor=world.user_a, organization_id=world.org_a.pk, fmt="mtn_momo", filename="alpha.csv", content=csv
    )
    review = StatementLine.objects.get(statement=result.statement, transaction_id="ALPHA-TX-REVIEW")
    confirmed = StatementLine.objects.get(statement=result.statement, transaction_id="ALPHA-TX-RULE")
    statements.line_confirm(actor=world.user_a, line=confirmed)
    rule = StatementRule.objects.get(organization_id=world.org_a.pk, phone="+2290197333332")
    world.provide("statement_import_id", result.statement.public_id, "alpha.csv")
    world.provide(
        "statement_line_id", review.public_id, "ALPHA-TX-REVIEW", "Payeur Alpha Secret", "+2290197333331"
    )
    world.provide("statement_rule_id", rule.public_id, "+2290197333332")
    world.mark("ALPHA-TX-RULE", "Cousin Alpha Secret")


SEEDERS.append(estate_statements)


def _statement_rows(world: World):
    from apps.estate.models import StatementImport, StatementLine, StatementRule

    return lambda: (
        list(StatementImport.objects.filter(organization_id=world.org_a.pk).values_list("id", "updated_at")),
        list(
            StatementLine.objects.filter(organization_id=world.org_a.pk).values_list(
                "id", "status", "updated_at"
            )
        ),
        list(StatementRule.objects.filter(organization_id=world.org_a.pk).values_list("id")),
    )


def _statement_upload(world: World) -> RestCase:
    """B names A's organization on the upload: nothing is imported for A."""
    return RestCase(
        path=reverse("estate-statement-imports", kwargs={"version": "v1"}),
        body={"organization": str(world.org_a.public_id), "format": "mtn_momo"},
        owned=False,
        check_unchanged=_statement_rows(world),
    )


def _statement_confirm(world: World) -> RestCase:
    return RestCase(
        path=reverse(
            "estate-statement-line-confirm",
            kwargs={"version": "v1", "statement_line_id": world.ids["statement_line_id"]},
        ),
        body={"learn": True},
        check_unchanged=_statement_rows(world),
    )


REST_CASES["estate-statement-imports"] = _statement_upload
REST_CASES["estate-statement-line-confirm"] = _statement_confirm

_ALPHA_CSV_B64 = (
    "RGF0ZTtJRCBkZSB0cmFuc2FjdGlvbjtUeXBlO1N0YXR1dDtEZTtOb20gZGUgbCdleHDDqWRpdGV1cjtNb250YW50O0RldmlzZTtN"
    "ZXNzYWdlCjAzLzAxLzIwMjY7QkVUQS1UWDtUcmFuc2ZlcnQgcmXDp3U7UsOpdXNzaTsrMjI5MDE5NzMzMzMzOTtCO"
    "zEgMDAwO1hPRjtCCg=="
)

GRAPHQL_CASES.update(
    {
        "mutation.estateImportStatement": lambda w: _case(
            "estateImportStatement",
            {
                "organizationId": ("UUID", str(w.org_a.public_id)),
                "format": ("String!", "mtn_momo"),
                "filename": ("String!", "b.csv"),
                "contentBase64": ("String!", _ALPHA_CSV_B64),
            },
        ),
        "mutation.estateConfirmStatementLine": lambda w: _case(
            "estateConfirmStatementLine",
            {"lineId": ("UUID!", _id(w, "statement_line_id")), "idempotencyKey": ("String", "B-confirm")},
        ),
        "mutation.estateIgnoreStatementLine": lambda w: _case(
            "estateIgnoreStatementLine",
            {"lineId": ("UUID!", _id(w, "statement_line_id"))},
        ),
        "mutation.estateDeleteStatementRule": lambda w: _case(
            "estateDeleteStatementRule",
            {"ruleId": ("UUID!", _id(w, "statement_rule_id"))},
        ),
    }
)

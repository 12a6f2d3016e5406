"""billing's part of the isolation suite (tests/isolation/cases.py merges it): organization
A's subscription, invoices, credit notes, usage and payment method are never read nor changed
by B's owner, the outsider or anonymous callers. Each part appends its block."""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode

from tests.isolation.framework import GraphQLCase, RestCase, World

SEEDERS: list = []
REST_CASES: dict = {}
GRAPHQL_CASES: dict = {}
PUBLIC_ROUTES: dict = {}
PUBLIC_GRAPHQL: dict = {}
SELF_SCOPED_GRAPHQL: dict = {}


# --- surfaces: A is subscribed to « Agence », has an invoice to pay and a credit note; its
# saved mobile-money number is a marker ---


def _billing(world: World) -> None:
    from apps.billing.contracts import CreditNoteReason, InvoiceKind, LineKind, LineSpec
    from apps.billing.services import invoices as core
    from tests.billing import surfaces
    from tests.fixtures.billing import make_plan

    agence = make_plan("iso-agence", name="Agence", flat=15_000, position=1)
    pro = make_plan("iso-pro", name="Pro", flat=40_000, position=2)
    customer = core.customer_for(world.org_a.id)
    customer.payer_phone, customer.provider = "+2290197123987", "sandbox"
    customer.tax_id = "3209988776655"
    customer.save()
    sub = surfaces.subscription(customer, agence)
    draft = core.draft(
        customer=customer,
        kind=InvoiceKind.SUBSCRIPTION,
        origin_key="iso:billing:a",
        subscription=sub,
        lines=[LineSpec(kind=LineKind.RECURRING, description="Abonnement secret de A", amount=13_579)],
    )
    invoice = core.finalize(draft)
    other = core.finalize(
        core.draft(
            customer=customer,
            kind=InvoiceKind.ONE_OFF,
            origin_key="iso:billing:b",
            lines=[LineSpec(kind=LineKind.OTHER, description="Geste secret de A", amount=2_468)],
        )
    )
    note = core.credit(
        other,
        lines=[LineSpec(kind=LineKind.OTHER, description="Avoir secret de A", amount=1_000)],
        reason=CreditNoteReason.GOODWILL,
        origin_key="iso:billing:note",
    )
    world.provide("invoice_id", invoice.public_id, invoice.number, "Abonnement secret de A", "13579")
    world.provide("credit_note_id", note.public_id, note.number, "Avoir secret de A")
    world.mark(
        other.public_id, other.number, "Geste secret de A", "+2290197123987", "0197123987", "3209988776655"
    )
    world.billing_sub = sub
    world.billing_customer = customer
    world.billing_pro = pro


SEEDERS.append(_billing)


def _state(world: World):
    from apps.billing.models import Customer, Invoice, Subscription

    sub = Subscription.objects.get(pk=world.billing_sub.pk)
    customer = Customer.objects.get(pk=world.billing_customer.pk)
    return (
        sub.version_id,
        sub.pending_version_id,
        sub.cancel_at_period_end,
        sub.status,
        customer.method,
        customer.payer_phone,
        Invoice.objects.filter(customer=customer).count(),
    )


def _org(world: World) -> str:
    return "?" + urlencode({"organization": world.org_a.public_id})


def _api(world: World, name: str, body: dict | None = None, **kwargs) -> RestCase:
    path = reverse(name, kwargs={"version": "v1", **kwargs}) + _org(world)
    body = {"organization": str(world.org_a.public_id), **body} if body is not None else None
    return RestCase(path=path, body=body, check_unchanged=lambda: _state(world))


REST_CASES["billing-subscription"] = lambda world: _api(
    world, "billing-subscription", {"plan": str(world.billing_pro.public_id)}
)
REST_CASES["billing-subscription-change"] = lambda world: _api(
    world, "billing-subscription-change", {"plan": str(world.billing_pro.public_id), "timing": "now"}
)
REST_CASES["billing-subscription-cancel"] = lambda world: _api(world, "billing-subscription-cancel", {})
REST_CASES["billing-subscription-resume"] = lambda world: _api(world, "billing-subscription-resume", {})
REST_CASES["billing-plans"] = lambda world: _api(world, "billing-plans")
REST_CASES["billing-usage"] = lambda world: _api(world, "billing-usage")
REST_CASES["billing-invoices"] = lambda world: _api(world, "billing-invoices")
REST_CASES["billing-credit-notes"] = lambda world: _api(world, "billing-credit-notes")
REST_CASES["billing-payment-method"] = lambda world: _api(world, "billing-payment-method", {"method": "card"})
REST_CASES["billing-credits"] = lambda world: _api(world, "billing-credits", {"amount": 1_000})


def _page(world: World, name: str, *args, body: dict | None = None) -> RestCase:
    body = {"organization": str(world.org_a.public_id), **body} if body is not None else None
    return RestCase(
        path=reverse(name, args=args) + _org(world), body=body, check_unchanged=lambda: _state(world)
    )


REST_CASES["manager:billing"] = lambda world: _page(world, "manager:billing")
REST_CASES["manager:billing-plans"] = lambda world: _page(world, "manager:billing-plans")
REST_CASES["manager:billing-invoices"] = lambda world: _page(world, "manager:billing-invoices")
REST_CASES["manager:billing-plan-choose"] = lambda world: _page(
    world,
    "manager:billing-plan-choose",
    world.billing_pro.public_id,
    body={"timing": "now", "key": "iso", "confirm_step": "confirm"},
)
REST_CASES["manager:billing-cancel"] = lambda world: _page(
    world, "manager:billing-cancel", body={"key": "iso", "confirm_step": "confirm", "acknowledge": "on"}
)
REST_CASES["manager:billing-payment-method"] = lambda world: _page(
    world,
    "manager:billing-payment-method",
    body={"method": "mobile_money", "payer_phone": "0197000000", "provider": "sandbox"},
)
REST_CASES["manager:billing-credits"] = lambda world: _page(
    world, "manager:billing-credits", body={"amount": "1000", "key": "iso"}
)
# the staff report: finance staff only (B's owner, the outsider and anonymous are refused)
REST_CASES["manager:billing-staff"] = lambda world: RestCase(path=reverse("manager:billing-staff"))


def _gql_read(field: str, selection: str):
    return lambda world: GraphQLCase(
        query=f'{{ {field}(organization: "{world.org_a.public_id}") {{ {selection} }} }}'
    )


GRAPHQL_CASES["query.billingOrganizations"] = lambda world: GraphQLCase(
    query="{ billingOrganizations { id name } }", owned=False
)
GRAPHQL_CASES["query.billingAccount"] = _gql_read(
    "billingAccount", "organization { name } subscription { id plan } paymentMethod { payerPhone }"
)
GRAPHQL_CASES["query.billingPlans"] = _gql_read("billingPlans", "id plan")
GRAPHQL_CASES["query.billingUsage"] = _gql_read("billingUsage", "periodStart usage { metric }")
GRAPHQL_CASES["query.billingInvoices"] = _gql_read("billingInvoices", "id number lines { description }")
GRAPHQL_CASES["query.billingCreditNotes"] = _gql_read("billingCreditNotes", "id number")
GRAPHQL_CASES["query.billingInvoice"] = lambda world: GraphQLCase(
    query=f'{{ billingInvoice(invoiceId: "{world.ids["invoice_id"]}") {{ id number lines {{ description }} }} }}'
)


def _gql_write(field: str, args: str, selection: str):
    def case(world: World) -> GraphQLCase:
        org = world.org_a.public_id
        pro = world.billing_pro.public_id
        rendered = args.format(org=org, pro=pro, invoice=world.ids["invoice_id"])
        return GraphQLCase(query=f"mutation {{ {field}({rendered}) {{ ok errors {{ code }} {selection} }} }}")

    return case


ACCOUNT = "account { subscription { id plan } paymentMethod { payerPhone } }"
GRAPHQL_CASES["mutation.billingSubscribe"] = _gql_write(
    "billingSubscribe", 'organization: "{org}", plan: "{pro}", idempotencyKey: "iso"', ACCOUNT
)
GRAPHQL_CASES["mutation.billingChangePlan"] = _gql_write(
    "billingChangePlan",
    'organization: "{org}", plan: "{pro}", timing: "now", idempotencyKey: "iso"',
    "change { subscription { id plan } }",
)
GRAPHQL_CASES["mutation.billingCancelSubscription"] = _gql_write(
    "billingCancelSubscription", 'organization: "{org}", idempotencyKey: "iso"', ACCOUNT
)
GRAPHQL_CASES["mutation.billingResumeSubscription"] = _gql_write(
    "billingResumeSubscription", 'organization: "{org}", idempotencyKey: "iso"', ACCOUNT
)
GRAPHQL_CASES["mutation.billingSetPaymentMethod"] = _gql_write(
    "billingSetPaymentMethod", 'organization: "{org}", method: "card"', "paymentMethod { payerPhone }"
)
GRAPHQL_CASES["mutation.billingBuyCredits"] = _gql_write(
    "billingBuyCredits", 'organization: "{org}", amount: 1000, idempotencyKey: "iso"', "invoice { id number }"
)
GRAPHQL_CASES["mutation.billingCreateInvoicePayLink"] = _gql_write(
    "billingCreateInvoicePayLink", 'invoiceId: "{invoice}"', "payLink { payUrl amount { amount } }"
)

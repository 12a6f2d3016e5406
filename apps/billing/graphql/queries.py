"""BillingQueries: every root field starts with `billing` (docs/api.md, "GraphQL naming").
The same selectors as REST and the billing page: an organization's finance members read its
billing; another organization's invoice is null."""

import graphene
from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError
from apps.core.graphql.mutations import clamp_first, current_user
from apps.identity.api import authenticated

from .. import selectors
from ..services import overview
from .types import (
    BillingAccountType,
    BillingCreditNoteType,
    BillingInvoiceType,
    BillingOrganizationType,
    BillingPlanType,
    BillingUsageType,
)

ORG_HELP = _("The organization (required when you handle the billing of several)")


def or_none(func):
    """A resolver whose 404 refusals (not found, not yours: NotFound or InvoiceNotFound)
    resolve to null."""

    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except DomainError as exc:
            if getattr(exc, "status", None) == 404:
                return None
            raise

    wrapper.__name__ = getattr(func, "__name__", "resolver")
    return wrapper


def _org(info, organization):
    return selectors.organization(authenticated(current_user(info)), organization)


class BillingQueries(graphene.ObjectType):
    billing_organizations = graphene.List(
        graphene.NonNull(BillingOrganizationType),
        required=True,
        description=_("The organizations whose billing you handle."),
    )
    billing_account = graphene.Field(
        BillingAccountType,
        organization=graphene.UUID(description=ORG_HELP),
        description=_("The subscription, payment method, prepaid credits and what invoices still owe."),
    )
    billing_plans = graphene.List(
        graphene.NonNull(BillingPlanType),
        required=True,
        organization=graphene.UUID(description=ORG_HELP),
        description=_("The plans offered, in the organization's currency."),
    )
    billing_usage = graphene.Field(
        BillingUsageType,
        organization=graphene.UUID(description=ORG_HELP),
        description=_("The current period's usage so far and the next invoice's estimate."),
    )
    billing_invoices = graphene.List(
        graphene.NonNull(BillingInvoiceType),
        required=True,
        organization=graphene.UUID(description=ORG_HELP),
        first=graphene.Int(default_value=50),
        description=_("The organization's invoices, newest first."),
    )
    billing_invoice = graphene.Field(
        BillingInvoiceType,
        invoice_id=graphene.UUID(required=True),
        description=_("One invoice with its lines and credit notes."),
    )
    billing_credit_notes = graphene.List(
        graphene.NonNull(BillingCreditNoteType),
        required=True,
        organization=graphene.UUID(description=ORG_HELP),
        first=graphene.Int(default_value=50),
        description=_("The organization's credit notes, newest first."),
    )

    @staticmethod
    def resolve_billing_organizations(root, info):
        return selectors.organizations(authenticated(current_user(info)))

    @staticmethod
    @or_none
    def resolve_billing_account(root, info, organization=None):
        return overview.account(_org(info, organization))

    @staticmethod
    def resolve_billing_plans(root, info, organization=None):
        org = _org(info, organization)
        cust = selectors.customer(org)
        return selectors.plans_offered(cust.currency if cust else (org.currencies or ("XOF",))[0])

    @staticmethod
    @or_none
    def resolve_billing_usage(root, info, organization=None):
        return overview.usage_summary(_org(info, organization))

    @staticmethod
    def resolve_billing_invoices(root, info, organization=None, first=50):
        return list(selectors.invoices(_org(info, organization))[: clamp_first(first)])

    @staticmethod
    @or_none
    def resolve_billing_invoice(root, info, invoice_id):
        return selectors.invoice(authenticated(current_user(info)), invoice_id)

    @staticmethod
    def resolve_billing_credit_notes(root, info, organization=None, first=50):
        return list(selectors.credit_notes(_org(info, organization))[: clamp_first(first)])

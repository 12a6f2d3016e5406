"""Thin views (under /api/v1/billing/…): parse, call a service, render. Every route reads or
changes the billing of one organization the caller is a finance member of (`organization`
in the query or the body, or the caller's only one); another organization's invoice is a 404.
Writes take an Idempotency-Key."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, OpenApiTypes, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.idempotency import HEADER, clean_key
from apps.core.pagination import CursorPagination
from apps.core.rest import idempotent

from .. import selectors
from ..contracts import ChangeTiming
from ..models import Invoice
from ..services import customer as customer_service
from ..services import overview
from . import serializers as s

ORG_PARAM = OpenApiParameter(
    "organization", OpenApiTypes.UUID, required=False, description=str(s.ORGANIZATION_HELP)
)


def _parse(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _org(request, *, manage: bool = False, data=None):
    if data is None:  # a list's other parameters (cursor, page_size) are the paginator's
        query = request.query_params
        data = _parse(
            s.BillingOrganizationQuery,
            {"organization": query["organization"]} if "organization" in query else {},
        )
    source = data
    return selectors.organization(request.user, source.get("organization"), manage=manage)


def _key(request) -> str:
    return clean_key(request.headers.get(HEADER, ""))


@extend_schema(tags=["billing"])
class SubscriptionView(APIView):
    """GET: the organization's subscription (null on the free plan), its payment method,
    prepaid credits and what its invoices still owe. POST: subscribe to an offered plan
    (201; Idempotency-Key required; a trial first when the plan has one)."""

    @extend_schema(parameters=[ORG_PARAM], responses=s.BillingAccountOut)
    def get(self, request, **kwargs):
        return Response(s.BillingAccountOut(overview.account(_org(request))).data)

    @extend_schema(request=s.BillingSubscribeIn, responses={201: s.BillingAccountOut})
    @idempotent()
    def post(self, request, **kwargs):
        from ..services import subscriptions

        data = _parse(s.BillingSubscribeIn, request.data)
        org = _org(request, manage=True, data=data)
        version = selectors.offered_version(data["plan"])
        subscriptions.subscribe(
            actor=request.user,
            organization_id=org.id,
            version=version,
            coupon=data.get("coupon") or "",
            idempotency_key=_key(request),
        )
        return Response(s.BillingAccountOut(overview.account(org)).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["billing"], request=s.BillingChangePlanIn, responses=s.BillingChangeOut)
class ChangePlanView(APIView):
    """Move to another offered plan: `now` (prorated: a credit note for the unused part of the
    current plan, an invoice for the new one for the rest of the period) or at the end of the
    term (`period_end`). A retry with the same Idempotency-Key prorates once."""

    @idempotent()
    def post(self, request, **kwargs):
        from ..services import subscriptions

        data = _parse(s.BillingChangePlanIn, request.data)
        org = _org(request, manage=True, data=data)
        sub = selectors.live_subscription(org)
        change = subscriptions.change_plan(
            actor=request.user,
            subscription=sub,
            to_version=selectors.offered_version(data["plan"]),
            timing=ChangeTiming(data["timing"]),
            idempotency_key=_key(request),
        )
        return Response(s.BillingChangeOut(overview.change_summary(change)).data)


@extend_schema(tags=["billing"], request=s.BillingOrganizationIn, responses=s.BillingAccountOut)
class CancelView(APIView):
    """Cancel at the end of the term: the plan runs until the period's end, then stops (no
    further invoice)."""

    @idempotent()
    def post(self, request, **kwargs):
        from ..services import subscriptions

        data = _parse(s.BillingOrganizationIn, request.data)
        org = _org(request, manage=True, data=data)
        subscriptions.cancel(
            actor=request.user, subscription=selectors.live_subscription(org), idempotency_key=_key(request)
        )
        return Response(s.BillingAccountOut(overview.account(org)).data)


@extend_schema(tags=["billing"], request=s.BillingOrganizationIn, responses=s.BillingAccountOut)
class ResumeView(APIView):
    """Resume a paused subscription: its period moves later by the days it was paused."""

    @idempotent()
    def post(self, request, **kwargs):
        from ..services import subscriptions

        data = _parse(s.BillingOrganizationIn, request.data)
        org = _org(request, manage=True, data=data)
        subscriptions.resume(
            actor=request.user, subscription=selectors.live_subscription(org), idempotency_key=_key(request)
        )
        return Response(s.BillingAccountOut(overview.account(org)).data)


@extend_schema(tags=["billing"], parameters=[ORG_PARAM], responses=s.BillingPlanOut(many=True))
class PlanListView(APIView):
    """The plans offered (each public plan's newest published version, in the organization's
    currency), with their prices and entitlements."""

    def get(self, request, **kwargs):
        org = _org(request)
        cust = selectors.customer(org)
        currency = cust.currency if cust else ((org.currencies or ("XOF",))[0])
        return Response(s.BillingPlanOut(selectors.plans_offered(currency), many=True).data)


class InvoicePages(CursorPagination):
    ordering = ("-created_at", "-id")


@extend_schema(tags=["billing"], parameters=[ORG_PARAM])
class InvoiceListView(generics.ListAPIView):
    """The organization's invoices (finalized: to pay, paid, void, uncollectible), newest
    first, a page at a time."""

    serializer_class = s.BillingInvoiceOut
    pagination_class = InvoicePages

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Invoice.objects.none()
        return selectors.invoices(_org(self.request))


@extend_schema(tags=["billing"], responses=s.BillingInvoiceDetailOut)
class InvoiceDetailView(APIView):
    """One invoice with its lines (TVA per line), the seller and buyer it was issued to, and
    its credit notes."""

    def get(self, request, invoice_id, **kwargs):
        return Response(s.BillingInvoiceDetailOut(selectors.invoice(request.user, invoice_id)).data)


@extend_schema(
    tags=["billing"],
    responses={
        (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The invoice (PDF)")
    },
)
class InvoicePdfView(APIView):
    """The invoice as a PDF (French, with the legal mentions)."""

    def get(self, request, invoice_id, **kwargs):
        from .. import documents

        row = selectors.invoice(request.user, invoice_id)
        response = HttpResponse(documents.invoice_pdf(row), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{row.number}.pdf"'
        return response


@extend_schema(
    tags=["billing"],
    responses={
        (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The credit note (PDF)")
    },
)
class CreditNotePdfView(APIView):
    """A credit note as a PDF."""

    def get(self, request, credit_note_id, **kwargs):
        from .. import documents

        note = selectors.credit_note(request.user, credit_note_id)
        response = HttpResponse(documents.credit_note_pdf(note), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{note.number}.pdf"'
        return response


@extend_schema(tags=["billing"], parameters=[ORG_PARAM], responses=s.BillingCreditNoteOut(many=True))
class CreditNoteListView(generics.ListAPIView):
    """The organization's credit notes, newest first, a page at a time."""

    serializer_class = s.BillingCreditNoteOut
    pagination_class = InvoicePages

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            from ..models import CreditNote

            return CreditNote.objects.none()
        return selectors.credit_notes(_org(self.request))


@extend_schema(tags=["billing"], request=None, responses={201: s.BillingPayLinkOut})
class PayLinkView(APIView):
    """A link to pay what the invoice still owes (mobile money or card): paying is money in,
    so no confirmation code is asked. The same link while the amount due is the same."""

    @idempotent()
    def post(self, request, invoice_id, **kwargs):
        from ..services import payment

        row = selectors.invoice(request.user, invoice_id)
        selectors.organization(request.user, selectors.invoice_organization(row).public_id, manage=True)
        url = payment.pay_link(row)
        row.refresh_from_db()
        body = {"invoice": row.public_id, "pay_url": url, "amount": row.amount_due, "currency": row.currency}
        return Response(s.BillingPayLinkOut(body).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["billing"])
class PaymentMethodView(APIView):
    """How the organization pays: a mobile-money number and provider (renewals and the
    reminders push to it) or a card (each invoice's pay link); prepaid credits first or not."""

    @extend_schema(parameters=[ORG_PARAM], responses=s.BillingPaymentMethodOut)
    def get(self, request, **kwargs):
        org = _org(request)
        cust = selectors.customer(org)
        body = cust or {
            "method": "mobile_money",
            "payer_phone": "",
            "provider": "",
            "use_credits_first": True,
        }
        return Response(s.BillingPaymentMethodOut(body).data)

    @extend_schema(request=s.BillingPaymentMethodIn, responses=s.BillingPaymentMethodOut)
    @idempotent()
    def put(self, request, **kwargs):
        data = _parse(s.BillingPaymentMethodIn, request.data)
        org = _org(request, manage=True, data=data)
        cust = customer_service.payment_method_set(
            actor=request.user,
            organization_id=org.id,
            method=data["method"],
            payer_phone=data.get("payer_phone") or "",
            provider=data.get("provider") or "",
            use_credits_first=data.get("use_credits_first"),
        )
        return Response(s.BillingPaymentMethodOut(cust).data)


@extend_schema(tags=["billing"], request=s.BillingBuyCreditsIn, responses={201: s.BillingInvoiceDetailOut})
class BuyCreditsView(APIView):
    """Buy prepaid credits (201; Idempotency-Key required): an invoice of the credits (no TVA
    until they are used), paid like any invoice; once paid the credits pay the next invoices."""

    @idempotent()
    def post(self, request, **kwargs):
        from ..services import payment
        from ..services.invoices import customer_for

        data = _parse(s.BillingBuyCreditsIn, request.data)
        org = _org(request, manage=True, data=data)
        row = payment.buy_credits(
            actor=request.user,
            customer=customer_for(org.id),
            amount=data["amount"],
            idempotency_key=_key(request),
        )
        detail = selectors.invoice(request.user, row.public_id)
        return Response(s.BillingInvoiceDetailOut(detail).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["billing"], parameters=[ORG_PARAM], responses=s.BillingUsageOut)
class UsageView(APIView):
    """The current period's usage so far (SMS sent, …) and the next invoice's estimate: the
    next period's recurring fees and the usage so far, with TVA."""

    def get(self, request, **kwargs):
        return Response(s.BillingUsageOut(overview.usage_summary(_org(request))).data)

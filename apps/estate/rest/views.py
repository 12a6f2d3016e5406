"""REST for the apps: managers (everything) and tenants (/estate/me/…). Thin: parse, call a
service, render. Every object goes through a scoped selector: another organization's is 404."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.errors import NotFound
from apps.core.idempotency import HEADER
from apps.core.pagination import CursorPagination
from apps.core.rest import idempotent
from apps.identity import api as identity

from .. import documents, selectors, services
from ..models import Ticket, Unit
from ..services.collections import lease_pay_intent
from ..services.leases import settings_get, settings_organization, settings_update
from . import serializers as s


def _parse(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _org_id(actor, public_id) -> int:
    """An organization the actor belongs to (else 404)."""
    for membership in identity.memberships_of(actor):
        if membership.organization_public_id == public_id:
            return membership.organization_id
    raise NotFound(field="organization")


class Pages(CursorPagination):
    ordering = ("-created_at", "-id")


class DuePages(CursorPagination):
    ordering = ("-due_date", "-id")


# --- properties, units, mandates -------------------------------------------------------------------


@extend_schema(tags=["estate"])
class PropertyListView(generics.ListAPIView):
    """Properties my organizations manage."""

    serializer_class = s.EstatePropertyOut
    pagination_class = Pages

    def get_queryset(self):
        return selectors.properties_for(self.request.user)

    @extend_schema(request=s.EstatePropertyIn, responses={201: s.EstatePropertyOut})
    @idempotent()
    def post(self, request, **kwargs):
        data = _parse(s.EstatePropertyIn, request.data)
        organization_id = _org_id(request.user, data.pop("organization"))
        owner = data.pop("owner", None)
        owner_id = identity.get_organization(owner).id if owner else None
        prop = services.property_create(
            actor=request.user, organization_id=organization_id, owner_id=owner_id, **data
        )
        return Response(
            s.EstatePropertyOut(selectors.property_get(request.user, prop.public_id)).data, status=201
        )


@extend_schema(tags=["estate"])
class PropertyDetailView(APIView):
    @extend_schema(responses=s.EstatePropertyOut)
    def get(self, request, property_id, **kwargs):
        return Response(s.EstatePropertyOut(selectors.property_get(request.user, property_id)).data)

    @extend_schema(request=s.EstatePropertyPatch, responses=s.EstatePropertyOut)
    def patch(self, request, property_id, **kwargs):
        prop = selectors.property_get(request.user, property_id)
        data = _parse(s.EstatePropertyPatch, request.data)
        services.property_update(actor=request.user, property=prop, **data)
        return Response(s.EstatePropertyOut(selectors.property_get(request.user, property_id)).data)


@extend_schema(tags=["estate"])
class UnitListView(generics.ListAPIView):
    serializer_class = s.EstateUnitOut
    pagination_class = Pages

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Unit.objects.none()
        prop = selectors.property_get(self.request.user, self.kwargs["property_id"])
        return selectors.units_for(self.request.user).filter(property=prop)

    @extend_schema(request=s.EstateUnitIn, responses={201: s.EstateUnitOut})
    @idempotent()
    def post(self, request, property_id, **kwargs):
        prop = selectors.property_get(request.user, property_id)
        data = _parse(s.EstateUnitIn, request.data)
        unit = services.unit_create(actor=request.user, property=prop, **data)
        return Response(s.EstateUnitOut(unit).data, status=201)


@extend_schema(tags=["estate"])
class UnitDetailView(APIView):
    @extend_schema(responses=s.EstateUnitOut)
    def get(self, request, unit_id, **kwargs):
        return Response(s.EstateUnitOut(selectors.unit_get(request.user, unit_id)).data)

    @extend_schema(request=s.EstateUnitPatch, responses=s.EstateUnitOut)
    def patch(self, request, unit_id, **kwargs):
        unit = selectors.unit_get(request.user, unit_id)
        data = _parse(s.EstateUnitPatch, request.data)
        return Response(s.EstateUnitOut(services.unit_update(actor=request.user, unit=unit, **data)).data)


@extend_schema(tags=["estate"])
class AnnouncementView(APIView):
    @extend_schema(request=s.EstateAnnouncementIn, responses={201: s.EstateAnnouncementOut})
    @idempotent()
    def post(self, request, property_id, **kwargs):
        prop = selectors.property_get(request.user, property_id)
        data = _parse(s.EstateAnnouncementIn, request.data)
        sent = services.announcement_send(actor=request.user, property=prop, **data)
        return Response(s.EstateAnnouncementOut(sent).data, status=201)


@extend_schema(tags=["estate"])
class MandateListView(generics.ListAPIView):
    serializer_class = s.EstateMandateOut
    pagination_class = Pages

    def get_queryset(self):
        return selectors.mandates_for(self.request.user)

    @extend_schema(request=s.EstateMandateIn, responses={201: s.EstateMandateOut})
    @idempotent()
    def post(self, request, **kwargs):
        data = _parse(s.EstateMandateIn, request.data)
        mandate = services.mandate_create(
            actor=request.user,
            agency_id=_org_id(request.user, data["agency"]),
            owner_id=identity.get_organization(data["owner"]).id,
            commission_bps=data["commission_bps"],
            start_date=data["start_date"],
            end_date=data.get("end_date"),
            payout_frequency=data["payout_frequency"],
        )
        return Response(
            s.EstateMandateOut(selectors.mandates_for(request.user).get(pk=mandate.pk)).data, status=201
        )


# --- leases -------------------------------------------------------------------------------------


def _lease_out(request, lease, code=200):
    return Response(s.EstateLeaseOut(selectors.lease_get(request.user, lease.public_id)).data, status=code)


@extend_schema(tags=["estate"])
@extend_schema_view(get=extend_schema(parameters=[s.EstateLeaseQuery]))
class LeaseListView(generics.ListAPIView):
    """Leases of my organizations (query: status)."""

    serializer_class = s.EstateLeaseOut
    pagination_class = Pages

    def get_queryset(self):
        qs = selectors.leases_for(self.request.user).prefetch_related("lease_tenants__user")
        filters = _parse(s.EstateLeaseQuery, self.request.query_params.dict())
        return qs.filter(status=filters["status"]) if "status" in filters else qs

    @extend_schema(request=s.EstateLeaseIn, responses={201: s.EstateLeaseOut})
    @idempotent()
    def post(self, request, **kwargs):
        data = _parse(s.EstateLeaseIn, request.data)
        unit = selectors.unit_get(request.user, data.pop("unit"))
        tenants = [services.TenantInput(**t) for t in data.pop("tenants")]
        lease = services.lease_create(actor=request.user, unit=unit, tenants=tenants, **data)
        return _lease_out(request, lease, 201)


@extend_schema(tags=["estate"])
class LeaseDetailView(APIView):
    @extend_schema(responses=s.EstateLeaseOut)
    def get(self, request, lease_id, **kwargs):
        return Response(s.EstateLeaseOut(selectors.lease_get(request.user, lease_id)).data)


@extend_schema(tags=["estate"])
class LeaseTermsView(APIView):
    @extend_schema(request=s.EstateTermsIn, responses=s.EstateLeaseOut)
    def post(self, request, lease_id, **kwargs):
        lease = selectors.lease_get(request.user, lease_id)
        services.lease_change_terms(actor=request.user, lease=lease, **_parse(s.EstateTermsIn, request.data))
        return _lease_out(request, lease)


@extend_schema(tags=["estate"])
class LeaseNoticeView(APIView):
    @extend_schema(request=s.EstateNoticeIn, responses=s.EstateLeaseOut)
    def post(self, request, lease_id, **kwargs):
        lease = selectors.lease_get(request.user, lease_id)
        services.lease_give_notice(actor=request.user, lease=lease, **_parse(s.EstateNoticeIn, request.data))
        return _lease_out(request, lease)


@extend_schema(tags=["estate"])
class LeaseEndView(APIView):
    @extend_schema(request=s.EstateEndIn, responses=s.EstateLeaseOut)
    def post(self, request, lease_id, **kwargs):
        lease = selectors.lease_get(request.user, lease_id)
        services.lease_end(actor=request.user, lease=lease, **_parse(s.EstateEndIn, request.data))
        return _lease_out(request, lease)


@extend_schema(tags=["estate"])
class LeasePaymentView(APIView):
    @extend_schema(
        request=s.EstatePaymentIn,
        responses={201: s.EstatePaymentOut},
        examples=[
            OpenApiExample(
                "Cash at the agency",
                value={"amount": 85000, "method": "cash", "received_on": "2026-06-03"},
                request_only=True,
            ),
            OpenApiExample(
                "A bank transfer for a named due",
                value={
                    "amount": 85000,
                    "method": "bank_transfer",
                    "due": "3c9d2e71-5f0a-4b6c-8d1e-7a2f9b0c4d5e",
                    "reference": "VIR-BOA-2026-06-0412",
                },
                request_only=True,
            ),
        ],
    )
    @idempotent()
    def post(self, request, lease_id, **kwargs):
        """Record cash (through payments: an intent paid in cash, numbered receipt) or a bank
        transfer (ledger). Oldest dues first unless `due` is named; any excess is tenant
        credit. Send an Idempotency-Key."""
        lease = selectors.lease_get(request.user, lease_id)
        data = _parse(s.EstatePaymentIn, request.data)
        due = None
        if data.get("due"):
            due = lease.dues.filter(public_id=data["due"]).first()
            if due is None:
                raise NotFound(field="due")
        key = request.headers.get(HEADER)
        payment = services.payment_record(
            actor=request.user,
            lease=lease,
            amount=data["amount"],
            method=data["method"],
            received_on=data.get("received_on"),
            due=due,
            reference=data["reference"],
            idempotency_key=f"rest:{request.user.pk}:{key}" if key else None,
        )
        return Response(s.EstatePaymentOut(payment).data, status=201)


@extend_schema(tags=["estate"])
class DepositSettlementView(APIView):
    @extend_schema(request=s.EstateDepositSettlementIn, responses={201: s.EstateDepositSettlementOut})
    @idempotent()
    def post(self, request, lease_id, **kwargs):
        """Move-out: deductions listed, the rest refunded to the tenant through payments
        (step-up OTP token for the refund). Send an Idempotency-Key."""
        lease = selectors.lease_get(request.user, lease_id)
        data = _parse(s.EstateDepositSettlementIn, request.data)
        settlement = services.deposit_settle(
            actor=request.user,
            lease=lease,
            deductions=[dict(d) for d in data["deductions"]],
            step_up_token=data["step_up_token"] or None,
        )
        return Response(s.EstateDepositSettlementOut(settlement).data, status=201)


# --- dues ---------------------------------------------------------------------------------------


@extend_schema(tags=["estate"], parameters=[s.EstateDueQuery])
class DueListView(generics.ListAPIView):
    """Dues of my organizations, filtered by estate's one due filter set (status, period,
    lease, property, q: the same as GraphQL `estateDues` and the dues page)."""

    serializer_class = s.EstateDueOut
    pagination_class = DuePages

    def get_queryset(self):
        filters = _parse(s.EstateDueQuery, self.request.query_params.dict())
        filters.pop("cursor", None)
        filters.pop("page_size", None)
        return selectors.dues_filtered(self.request.user, selectors.DueFilter(**filters))


@extend_schema(tags=["estate"])
class DueDetailView(APIView):
    @extend_schema(responses=s.EstateDueOut)
    def get(self, request, due_id, **kwargs):
        return Response(s.EstateDueOut(selectors.due_get(request.user, due_id)).data)


@extend_schema(tags=["estate"])
class DueAdjustView(APIView):
    @extend_schema(request=s.EstateAdjustmentIn, responses={201: s.EstateDueOut})
    @idempotent()
    def post(self, request, due_id, **kwargs):
        due = selectors.due_get(request.user, due_id)
        services.due_adjust(actor=request.user, due=due, **_parse(s.EstateAdjustmentIn, request.data))
        return Response(s.EstateDueOut(selectors.due_get(request.user, due_id)).data, status=201)


@extend_schema(tags=["estate"])
class DueWriteOffView(APIView):
    @extend_schema(request=s.EstateWriteOffIn, responses=s.EstateDueOut)
    @idempotent()
    def post(self, request, due_id, **kwargs):
        due = selectors.due_get(request.user, due_id)
        services.due_write_off(actor=request.user, due=due, **_parse(s.EstateWriteOffIn, request.data))
        return Response(s.EstateDueOut(selectors.due_get(request.user, due_id)).data)


@extend_schema(tags=["estate"])
class DuePayLinkView(APIView):
    @extend_schema(request=None, responses={201: s.EstatePayLinkOut})
    @idempotent()
    def post(self, request, due_id, **kwargs):
        """A pay link (payment intent) for what is still owed on the due: for its tenant
        (the tenant app) or a manager."""
        due = _due_for_tenant_or_manager(request.user, due_id)
        return Response(
            s.EstatePayLinkOut(services.due_pay_link(actor=request.user, due=due)).data, status=201
        )


def _due_for_tenant_or_manager(actor, due_id):
    try:
        return selectors.tenant_due_get(actor, due_id)
    except NotFound:
        return selectors.due_get(actor, due_id)


# --- tickets, statements, dashboard --------------------------------------------------------------------


@extend_schema(tags=["estate"])
class TicketListView(generics.ListAPIView):
    serializer_class = s.EstateTicketOut
    pagination_class = Pages

    def get_queryset(self):
        return selectors.tickets_for(self.request.user)

    @extend_schema(request=s.EstateTicketIn, responses={201: s.EstateTicketOut})
    @idempotent()
    def post(self, request, **kwargs):
        data = _parse(s.EstateTicketIn, request.data)
        prop = selectors.property_get(request.user, data.pop("property"))
        ticket = services.ticket_open(actor=request.user, property=prop, **data)
        return Response(s.EstateTicketOut(ticket).data, status=201)


@extend_schema(tags=["estate"])
class TicketDetailView(APIView):
    @extend_schema(responses=s.EstateTicketOut)
    def get(self, request, ticket_id, **kwargs):
        return Response(s.EstateTicketOut(selectors.ticket_get(request.user, ticket_id)).data)

    @extend_schema(request=s.EstateTicketPatch, responses=s.EstateTicketOut)
    def patch(self, request, ticket_id, **kwargs):
        ticket = selectors.ticket_get(request.user, ticket_id)
        data = _parse(s.EstateTicketPatch, request.data)
        ticket = services.ticket_update(actor=request.user, ticket=ticket, **data)
        return Response(
            s.EstateTicketOut(Ticket.objects.select_related("property", "unit").get(pk=ticket.pk)).data
        )


@extend_schema(tags=["estate"])
class StatementView(APIView):
    @extend_schema(parameters=[s.EstateStatementQuery], responses=s.EstateStatementOut)
    def get(self, request, **kwargs):
        """The owner statement of a month, read: a closed one as stored, a draft with its
        figures as of now. Reading writes nothing: a draft not prepared yet has `id` null."""
        filters = _parse(s.EstateStatementQuery, request.query_params.dict())
        statement = selectors.statement_read(
            request.user,
            owner_id=filters["owner"],
            period=filters["period"],
            organization_id=filters.get("organization"),
        )
        return Response(s.EstateStatementOut(statement).data)

    @extend_schema(request=s.EstateStatementQuery, responses={201: s.EstateStatementOut})
    @idempotent()
    def post(self, request, **kwargs):
        """Prepare the month's statement: the draft is stored with its figures as of now
        (its `id` is then the one to close). Preparing again refreshes a draft; a closed
        statement is returned as it is."""
        data = _parse(s.EstateStatementQuery, request.data)
        organization_id, owner_id = selectors.statement_scope(
            request.user, owner_id=data["owner"], organization_id=data.get("organization")
        )
        statement = services.statement_get_or_refresh(
            actor=request.user, organization_id=organization_id, owner_id=owner_id, period=data["period"]
        )
        return Response(
            s.EstateStatementOut(selectors.statement_get(request.user, statement.public_id)).data, status=201
        )


@extend_schema(tags=["estate"])
class StatementCloseView(APIView):
    @extend_schema(request=None, responses=s.EstateStatementOut)
    @idempotent()
    def post(self, request, statement_id, **kwargs):
        statement = selectors.statement_get(request.user, statement_id)
        if statement.organization_id not in selectors.managed_ids(request.user):
            raise NotFound()
        services.statement_close(actor=request.user, statement=statement)
        return Response(s.EstateStatementOut(selectors.statement_get(request.user, statement_id)).data)


@extend_schema(tags=["estate"], responses=s.EstateDashboardOut)
class DashboardView(APIView):
    def get(self, request, **kwargs):
        d = selectors.dashboard(request.user)
        if d["currency"] is None:  # no organization: no portfolio
            raise NotFound()
        return Response(
            s.EstateDashboardOut(
                {
                    "period": d["period"],
                    "currency": d["currency"],
                    "expected": d["expected"],
                    "collected": d["collected"],
                    "collection_rate": d["rate"],
                    "units": d["units"],
                    "occupied": d["occupied"],
                    "occupancy": d["occupancy"],
                    "arrears": d["arrears"],
                    "arrears_count": d["arrears_count"],
                    "leases_ending_60_days": len(d["ending"]),
                    "open_tickets": d["tickets_open"],
                }
            ).data
        )


# --- tenants (the tenant app) ---------------------------------------------------------------------


@extend_schema(tags=["estate-tenant"])
class MyLeasesView(generics.ListAPIView):
    """My leases (as a tenant)."""

    serializer_class = s.EstateLeaseOut
    pagination_class = Pages

    def get_queryset(self):
        return selectors.tenant_leases(self.request.user).prefetch_related("lease_tenants__user")


@extend_schema(tags=["estate-tenant"])
class MyDuesView(generics.ListAPIView):
    """My dues, newest first, each with its `pay_url` (null when nothing is owed); pay a
    whole lease with POST /estate/me/leases/{id}/pay."""

    serializer_class = s.EstateDueOut
    pagination_class = DuePages

    def get_queryset(self):
        return selectors.tenant_dues(self.request.user)


@extend_schema(tags=["estate-tenant"])
class MyDueDetailView(APIView):
    @extend_schema(responses=s.EstateDueOut)
    def get(self, request, due_id, **kwargs):
        """One of my dues: kind, period, amounts, status and its current `pay_url`."""
        return Response(s.EstateDueOut(selectors.tenant_due_get(request.user, due_id)).data)


@extend_schema(tags=["estate-tenant"])
class MyLeasePayView(APIView):
    @extend_schema(
        request=s.EstateLeasePayIn,
        responses={201: s.EstateLeasePayOut},
        examples=[
            OpenApiExample("Everything the lease owes", value={"choice": "balance"}, request_only=True),
            OpenApiExample(
                "A part (from the lease's floor)",
                value={"choice": "part", "amount": 40000},
                request_only=True,
            ),
            OpenApiExample(
                "The intent to pay",
                value={
                    "intent": "7d3e9a10-2b4c-4e8f-a1d6-9c0b5e7f3a21",
                    "status": "created",
                    "amount": {"amount": 170000, "currency": "XOF", "formatted": "170 000 FCFA"},
                    "pay_url": "https://app.hokwe.com/pay/pl_4hV9kQ2mX7",
                    "provider": "",
                    "method": "",
                    "expires_at": "2026-06-08T10:00:00Z",
                    "choice": "balance",
                },
                response_only=True,
                status_codes=["201"],
            ),
        ],
    )
    @idempotent()
    def post(self, request, lease_id, **kwargs):
        """Pay my lease, with the pay link's rules: `balance` (all it owes), `part` (`amount`,
        from the lease's floor up to the balance) or `ahead` (the balance and the next month).
        Returns the payment intent: open its `pay_url`. Refusals: `part_below_floor`,
        `amount_above_balance`, `nothing_due`; another's lease is 404. Send an
        Idempotency-Key: a retry returns the same intent."""
        lease = selectors.tenant_lease_get(request.user, lease_id)
        data = _parse(s.EstateLeasePayIn, request.data)
        intent = lease_pay_intent(lease=lease, choice=data["choice"], amount=data.get("amount"))
        return Response(s.EstateLeasePayOut(intent).data, status=201)


@extend_schema(tags=["estate-tenant"])
class MyReceiptsView(APIView):
    @extend_schema(
        parameters=[s.EstateReceiptQuery],
        responses=s.EstateReceiptPage,
    )
    def get(self, request, **kwargs):
        """My receipts of both kinds, newest first: quittances (rent, deposit, fee: Q…, PDF)
        and the receipts of my payments (R…), each with its verification URL."""
        from rest_framework.utils.urls import replace_query_param

        query = _parse(s.EstateReceiptQuery, request.query_params.dict())
        size = query.get("page_size") or CursorPagination.page_size
        lines, cursor = selectors.tenant_receipts(request.user, limit=size, cursor=query.get("cursor"))
        next_url = (
            replace_query_param(request.build_absolute_uri(), "cursor", cursor)
            if cursor is not None
            else None
        )
        return Response(
            {"next": next_url, "previous": None, "results": s.EstateReceiptOut(lines, many=True).data}
        )


@extend_schema(
    tags=["estate-tenant"],
    responses={
        (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The receipt (PDF)")
    },
)
class ReceiptPdfView(APIView):
    def get(self, request, receipt_id, **kwargs):
        """A receipt as PDF: its tenant or its manager."""
        quittance = selectors.quittance_visible(request.user, receipt_id)
        response = HttpResponse(documents.quittance_pdf(quittance), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="quittance-{quittance.number}.pdf"'
        return response


@extend_schema(tags=["estate-tenant"])
class MyTicketsView(generics.ListAPIView):
    """My maintenance tickets; POST opens one on my lease."""

    serializer_class = s.EstateTicketOut
    pagination_class = Pages

    def get_queryset(self):
        return selectors.tenant_tickets(self.request.user)

    @extend_schema(request=s.EstateTenantTicketIn, responses={201: s.EstateTicketOut})
    @idempotent()
    def post(self, request, **kwargs):
        data = _parse(s.EstateTenantTicketIn, request.data)
        lease = selectors.tenant_lease_get(request.user, data.pop("lease"))
        ticket = services.ticket_open(actor=request.user, lease=lease, **data)
        return Response(s.EstateTicketOut(ticket).data, status=status.HTTP_201_CREATED)


# --- settings -------------------------------------------------------------------------------------


def _settings_out(found) -> dict:
    return {
        "organization": identity.get_organization(id=found.organization_id).public_id,
        "first_period_rule": found.first_period_rule,
    }


@extend_schema(tags=["estate"])
class SettingsView(APIView):
    @extend_schema(parameters=[s.EstateSettingsQuery], responses=s.EstateSettingsOut)
    def get(self, request, **kwargs):
        """The organization's estate settings (created with the defaults on first read)."""
        query = _parse(s.EstateSettingsQuery, request.query_params.dict())
        found = settings_get(
            actor=request.user, organization_id=settings_organization(request.user, query.get("organization"))
        )
        return Response(s.EstateSettingsOut(_settings_out(found)).data)

    @extend_schema(request=s.EstateSettingsIn, responses=s.EstateSettingsOut)
    def patch(self, request, **kwargs):
        """Change the rule for the first month of a lease starting after the 1st (signed
        leases keep theirs)."""
        data = _parse(s.EstateSettingsIn, request.data)
        found = settings_update(
            actor=request.user,
            organization_id=settings_organization(request.user, data.get("organization")),
            first_period_rule=data["first_period_rule"],
        )
        return Response(s.EstateSettingsOut(_settings_out(found)).data)

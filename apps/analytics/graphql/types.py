"""GraphQL object and input types (money through apps.core.graphql.types.MoneyField)."""

# --- reports (analyticsReport): the same shape as REST's GET /api/v1/analytics/reports/<key> ---
import graphene
from graphene.types.generic import GenericScalar

from apps.core.graphql.types import Amount


class AnalyticsReportColumnType(graphene.ObjectType):
    key = graphene.String(required=True)
    label = graphene.String(required=True)
    kind = graphene.String(
        required=True, description="money: minor units of the row's currency; percent: basis points"
    )


class AnalyticsReportSeriesType(graphene.ObjectType):
    label = graphene.String(required=True)
    kind = graphene.String(required=True, description="bar or line")
    values = graphene.List(
        graphene.NonNull(Amount), required=True, description="Integers (minor units, days, basis points)"
    )


class AnalyticsReportChartType(graphene.ObjectType):
    title = graphene.String(required=True)
    kind = graphene.String(required=True)
    currency = graphene.String(required=True)
    labels = graphene.List(graphene.NonNull(graphene.String), required=True)
    series = graphene.List(graphene.NonNull(AnalyticsReportSeriesType), required=True)


class AnalyticsReportType(graphene.ObjectType):
    key = graphene.String(required=True)
    title = graphene.String(required=True)
    description = graphene.String(required=True)
    organization = graphene.UUID(required=True)
    start = graphene.Date(required=True)
    end = graphene.Date(required=True)
    columns = graphene.List(graphene.NonNull(AnalyticsReportColumnType), required=True)
    rows = graphene.List(
        graphene.NonNull(GenericScalar), required=True, description="Keyed by the columns' keys"
    )
    count = graphene.Int(required=True)
    truncated = graphene.Boolean(required=True)
    totals = graphene.List(graphene.NonNull(GenericScalar), required=True, description="One per currency")
    chart = graphene.Field(AnalyticsReportChartType, required=True)
    notes = graphene.List(graphene.NonNull(graphene.String), required=True)
    drifts = graphene.Int(required=True)


# --- the dashboard (analyticsDashboard): the same shape as REST's GET /api/v1/analytics/dashboard ---
class AnalyticsTileType(graphene.ObjectType):
    key = graphene.String(required=True)
    label = graphene.String(required=True)
    unit = graphene.String(required=True, description="money (minor units of `currency`), bps or days")
    currency = graphene.String(required=True)
    value = Amount(description="This month; null when there is no figure")
    previous = Amount(description="Last month")
    trend = Amount(
        description="Against last month: basis points of change for money, the difference otherwise"
    )
    better = graphene.String(required=True, description="up or down: which way is good")


class AnalyticsDashboardType(graphene.ObjectType):
    view = graphene.String(required=True)
    organization = graphene.UUID()
    month = graphene.Date(required=True)
    currency = graphene.String(required=True)
    has_data = graphene.Boolean(required=True)
    tiles = graphene.List(graphene.NonNull(AnalyticsTileType), required=True)
    months = graphene.List(graphene.NonNull(graphene.Date), required=True)
    expected = graphene.List(graphene.NonNull(Amount), required=True)
    collected = graphene.List(graphene.NonNull(Amount), required=True)

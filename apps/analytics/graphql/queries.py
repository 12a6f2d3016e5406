"""AnalyticsQueries: every root field starts with `analytics` (docs/api.md, "GraphQL naming")."""

import graphene


class AnalyticsQueries(graphene.ObjectType):
    # --- reports: the same filters and figures as the pages and REST (services/reports.py) ---
    analytics_report = graphene.Field(
        "apps.analytics.graphql.types.AnalyticsReportType",
        key=graphene.String(
            required=True,
            description="rent-roll, delinquency, income, occupancy, payment-methods, collectors, cash-flow",
        ),
        organization_id=graphene.UUID(description="Default: your first organization"),
        start=graphene.Date(),
        end=graphene.Date(),
        property_id=graphene.UUID(),
        owner_id=graphene.UUID(),
    )

    @staticmethod
    def resolve_analytics_report(
        root, info, key, organization_id=None, start=None, end=None, property_id=None, owner_id=None
    ):
        """A standard report of your organization: columns, the first 1,000 rows, totals per
        currency and the chart's series; null for another organization or an unknown report."""
        from apps.core.errors import NotFound
        from apps.core.graphql.mutations import current_user

        from ..services.reports import report_json, report_run

        user = current_user(info)
        if user is None:
            return None
        data = {
            "organization": organization_id,
            "start": start,
            "end": end,
            "property": property_id,
            "owner": owner_id,
        }
        language = getattr(info.context, "LANGUAGE_CODE", "fr") or "fr"
        try:
            org, filters, result = report_run(actor=user, key=key, data=data, language=language, limit=1000)
        except NotFound:
            return None
        return report_json(org, filters, result)

    # --- the dashboard: the same figures as the panels and REST (services/dashboard.py) ---
    analytics_dashboard = graphene.Field(
        "apps.analytics.graphql.types.AnalyticsDashboardType",
        view=graphene.String(description="agency (default) or owner"),
        organization_id=graphene.UUID(description="agency: default your first organization"),
    )

    @staticmethod
    def resolve_analytics_dashboard(root, info, view="agency", organization_id=None):
        """Your figures of the month against last month and the last 12 months; null for an
        organization whose reports you may not read."""
        from django.utils import timezone

        from apps.core.errors import NotFound
        from apps.core.graphql.mutations import current_user

        from ..errors import InvalidReportFilter
        from ..services.dashboard import dashboard_json, dashboard_of

        user = current_user(info)
        if user is None:
            return None
        if view not in ("agency", "owner"):
            raise InvalidReportFilter(field="view")
        try:
            org, board = dashboard_of(
                user, view=view, organization=organization_id, today=timezone.localdate()
            )
        except NotFound:
            return None
        return dashboard_json(org, view, board)

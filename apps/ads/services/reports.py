"""The advertiser's report (docs/ads.md, "Report"): impressions, clicks, CTR, conversions,
spend and cost per conversion, per day and in total — only what was counted (robots and
duplicates filtered out, shown apart)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Sum

from ..models import Campaign, CampaignDay


@dataclass(frozen=True)
class ReportLine:
    day: date | None  # None: the total
    impressions: int
    clicks: int
    conversions: int
    spend: int  # minor units (thousandths rounded down)
    filtered: int
    currency: str

    @property
    def ctr_bp(self) -> int:
        """Clicks per impression, in basis points (1 % = 100)."""
        return self.clicks * 10_000 // self.impressions if self.impressions else 0

    @property
    def cost_per_conversion(self) -> int | None:
        return self.spend // self.conversions if self.conversions else None


def report(campaign: Campaign, *, days: int = 31) -> tuple[ReportLine, list[ReportLine]]:
    """(the total, the last `days` days newest first) of one campaign."""
    rows = list(CampaignDay.objects.filter(campaign=campaign).order_by("-day")[:days])
    lines = [
        ReportLine(
            r.day,
            r.impressions,
            r.clicks,
            r.conversions,
            r.spent_milli // 1000,
            r.filtered,
            campaign.currency,
        )
        for r in rows
    ]
    totals = CampaignDay.objects.filter(campaign=campaign).aggregate(filtered=Sum("filtered"))
    spend = campaign.charged if campaign.pricing == "flat" else campaign.spent_milli // 1000
    total = ReportLine(
        None,
        campaign.impressions,
        campaign.clicks,
        campaign.conversions,
        spend,
        totals["filtered"] or 0,
        campaign.currency,
    )
    return total, lines


def totals_by_campaign(campaigns) -> dict[int, ReportLine]:
    return {
        c.pk: ReportLine(
            None,
            c.impressions,
            c.clicks,
            c.conversions,
            c.charged if c.pricing == "flat" else c.spent_milli // 1000,
            0,
            c.currency,
        )
        for c in campaigns
    }

"""The advertiser's pages (/manager/ads/, manager:ads-…): the advertiser and its prepaid
balance with a top-up, the campaigns with their figures, a new campaign promoting one of the
organization's listings, a campaign's page (report per day, creatives, add a text ad or a
banner, activate / pause / end behind a confirmation). Everything goes through the services,
scoped to the user: another advertiser's campaign is a 404."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_http_methods

from apps.core.errors import DomainError
from apps.core.money import format_amount
from apps.core.web.confirm import Confirmation, confirm_flow
from apps.identity import api as identity
from apps.market import api as market

from ..contracts import Audience, CampaignStatus, Placement, Pricing
from ..models import Campaign, TopUp
from ..models.advertising import CREATIVE_STATUS_LABELS, KIND_LABELS, PRICING_LABELS, STATUS_LABELS
from ..selectors import advertiser_of, advertisers_visible_to
from ..services import advertisers as advertisers_service
from ..services import campaigns as svc
from ..services import reports, topups
from .pages import signed_in_page

PLACEMENT_LABELS = {
    Placement.MARKET_SEARCH: gettext_lazy("Featured in market search (« Sponsorisé »)"),
    Placement.APP_HOME: gettext_lazy("Banner on the apps' home"),
    Placement.APP_LISTING: gettext_lazy("Banner under a listing in the apps"),
    Placement.SITE_BANNER: gettext_lazy("Banner on Hokwe's websites"),
    Placement.NEWS_EMAIL: gettext_lazy("Slot in the news e-mail"),
}
AUDIENCE_LABELS = {
    Audience.SEEKERS: gettext_lazy("Home seekers"),
    Audience.TENANTS: gettext_lazy("Tenants"),
    Audience.LANDLORDS: gettext_lazy("Landlords"),
}
# what the pages offer: the news e-mail's slot waits for cms to send the news by e-mail
OFFERED = frozenset(Placement) - {Placement.NEWS_EMAIL}
TONES = {
    "active": "paid",
    "paused": "pending",
    "exhausted": "failed",
    "ended": "",
    "draft": "",
    "archived": "",
}


def ads_page(view):
    """Signed-in users only (else the login); what is not theirs is the 404 page."""
    return signed_in_page(view)


def _money(amount, currency) -> str:
    return format_amount(amount, currency)


def _percent(basis_points: int) -> str:
    text = f"{basis_points / 100:.2f}"
    return (text.replace(".", ",") if translation_language() == "fr" else text) + "\u202f%"


def translation_language() -> str:
    from django.utils.translation import get_language

    return (get_language() or "fr")[:2]


def _organizations(user):
    return [m for m in identity.memberships_of(user) if m.role in ("owner", "manager")]


class OpenForm(forms.Form):
    organization = forms.ChoiceField(label=gettext_lazy("Advertise as"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = [
            (str(m.organization_public_id), identity.get_organization(m.organization_public_id).name)
            for m in _organizations(user)
        ] + [("", _("Myself (no organization)"))]


class TopUpForm(forms.Form):
    amount = forms.IntegerField(label=gettext_lazy("Amount to add"), min_value=1)
    phone = forms.CharField(label=gettext_lazy("Mobile money number"), required=False, max_length=20)


@ads_page
@require_http_methods(["GET", "POST"])
def home(request):
    """The advertiser, its balance and top-ups, and its campaigns."""
    advertiser = advertiser_of(request.user, organization=request.GET.get("advertiser") or None)
    if advertiser is None:
        form = OpenForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            try:
                advertisers_service.advertiser_open(
                    actor=request.user, organization=form.cleaned_data["organization"] or None
                )
            except DomainError as exc:
                form.add_error(None, str(exc.message))
            else:
                messages.success(
                    request, _("Your advertiser account is open: top up its balance, then create a campaign.")
                )
                return redirect("manager:ads-home")
        return render(request, "ads/manager/open.html", {"form": form}, status=400 if form.errors else 200)
    campaigns = list(Campaign.objects.filter(advertiser=advertiser).order_by("-created_at")[:100])
    totals = reports.totals_by_campaign(campaigns)
    rows = [
        {
            "c": c,
            "status": STATUS_LABELS[CampaignStatus(c.status)],
            "tone": TONES.get(c.status, ""),
            "pricing": PRICING_LABELS[Pricing(c.pricing)],
            "bid": _money(c.bid, c.currency),
            "budget": _money(c.total_budget, c.currency),
            "spend": _money(totals[c.pk].spend, c.currency),
            "ctr": _percent(totals[c.pk].ctr_bp),
        }
        for c in campaigns
    ]
    balance = advertisers_service.balance_of(advertiser)
    return render(
        request,
        "ads/manager/home.html",
        {
            "advertiser": advertiser,
            "balance": _money(balance, advertiser.currency),
            "rows": rows,
            "topups": [
                {"t": t, "amount": _money(t.amount, t.currency), "status": t.get_status_display()}
                for t in TopUp.objects.filter(advertiser=advertiser)[:5]
            ],
            "topup_form": TopUpForm(),
            "others": list(advertisers_visible_to(request.user).exclude(pk=advertiser.pk)[:10]),
        },
    )


@ads_page
@require_http_methods(["POST"])
def topup(request, advertiser_id):
    advertiser = advertiser_of(request.user, manage=True)
    if advertiser is None or str(advertiser.public_id) != str(advertiser_id):
        from ..selectors import advertiser_get

        advertiser = advertiser_get(request.user, advertiser_id, manage=True)
    form = TopUpForm(request.POST)
    if form.is_valid():
        try:
            row = topups.topup_create(
                actor=request.user,
                advertiser=advertiser,
                amount=form.cleaned_data["amount"],
                phone=form.cleaned_data.get("phone", ""),
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            return redirect(row.pay_url)
    else:
        messages.error(request, _("Give the amount to add."))
    return redirect("manager:ads-home")


class CampaignForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=120)
    listing = forms.ChoiceField(label=gettext_lazy("Listing to promote"), required=False)
    pricing = forms.ChoiceField(
        label=gettext_lazy("Pricing"), choices=[(p.value, PRICING_LABELS[p]) for p in Pricing]
    )
    bid = forms.IntegerField(
        label=gettext_lazy("Bid (FCFA)"),
        min_value=1,
        help_text=gettext_lazy("Per click, per 1,000 impressions, or the flat fee"),
    )
    total_budget = forms.IntegerField(label=gettext_lazy("Total budget (FCFA)"), min_value=1, required=False)
    daily_budget = forms.IntegerField(label=gettext_lazy("Daily budget (FCFA)"), min_value=1, required=False)
    starts_on = forms.DateField(
        label=gettext_lazy("Starts on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ends_on = forms.DateField(
        label=gettext_lazy("Ends on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    placements = forms.MultipleChoiceField(
        label=gettext_lazy("Where"),
        choices=[(p.value, PLACEMENT_LABELS[p]) for p in Placement if p in OFFERED],
        widget=forms.CheckboxSelectMultiple,
    )
    cities = forms.CharField(
        label=gettext_lazy("Cities (comma-separated; empty: everywhere)"), required=False, max_length=500
    )
    neighbourhoods = forms.CharField(
        label=gettext_lazy("Neighbourhoods (comma-separated)"), required=False, max_length=500
    )
    audiences = forms.MultipleChoiceField(
        label=gettext_lazy("Audience (none ticked: everyone)"),
        required=False,
        choices=[(a.value, AUDIENCE_LABELS[a]) for a in Audience],
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, listings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["listing"].choices = [("", _("— none: I will add a banner or a text ad —"))] + [
            (x.public_id, f"{x.title} — {x.neighbourhood + ', ' if x.neighbourhood else ''}{x.city}")
            for x in listings
        ]


def _listings_of(advertiser):
    offered = market.listings_offered_by(
        organization_id=advertiser.organization_id, owner_id=advertiser.owner_id
    )
    return [x for x in offered if x.verified]


@ads_page
@require_http_methods(["GET", "POST"])
def campaign_new(request):
    advertiser = advertiser_of(request.user, organization=request.GET.get("advertiser") or None, manage=True)
    if advertiser is None:
        return redirect("manager:ads-home")
    listings = _listings_of(advertiser)
    initial = {
        "starts_on": timezone.localdate(),
        "placements": [Placement.MARKET_SEARCH.value],
        "pricing": Pricing.CPC.value,
        "bid": 100,
        "total_budget": 10_000,
        "listing": request.GET.get("listing", ""),
    }
    form = CampaignForm(request.POST or None, listings=listings, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        listing = data.pop("listing")
        data["cities"] = [c for c in data["cities"].split(",") if c.strip()]
        data["neighbourhoods"] = [c for c in data["neighbourhoods"].split(",") if c.strip()]
        if data["pricing"] == Pricing.FLAT:
            data.pop("total_budget", None)
        elif data.get("total_budget") is None:
            form.add_error("total_budget", _("Give the total budget."))
        if not form.errors:
            try:
                from django.db import transaction

                with transaction.atomic():
                    campaign = svc.campaign_create(actor=request.user, advertiser=advertiser, **data)
                    if listing:
                        svc.creative_create(
                            actor=request.user, campaign=campaign, kind="listing", listing=listing
                        )
            except DomainError as exc:
                field = exc.field if exc.field in form.fields else None
                form.add_error(field, str(exc.message))
            else:
                messages.success(request, _("Campaign created. Check it, then start it."))
                return redirect("manager:ads-campaign", campaign.public_id)
    return render(
        request,
        "ads/manager/campaign_new.html",
        {"form": form, "advertiser": advertiser, "no_listing": not listings},
        status=400 if form.errors else 200,
    )


class CreativeForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), choices=[("text", KIND_LABELS["text"]), ("banner", KIND_LABELS["banner"])]
    )
    headline = forms.CharField(label=gettext_lazy("Headline"), max_length=90, required=False)
    body = forms.CharField(
        label=gettext_lazy("Text"), max_length=200, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    link_url = forms.CharField(label=gettext_lazy("Link (https://…)"), max_length=500, required=False)
    image = forms.FileField(label=gettext_lazy("Image (JPEG, PNG, WebP; 512 KB at most)"), required=False)


@ads_page
@require_http_methods(["GET", "POST"])
def campaign_page(request, campaign_id):
    campaign = svc.campaign_get(request.user, campaign_id)
    can_manage = identity.can(request.user, "ads.advertiser.manage", campaign.advertiser)
    form = CreativeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and can_manage and form.is_valid():
        data = dict(form.cleaned_data)
        image = data.pop("image")
        from django.conf import settings

        try:
            svc.creative_create(
                actor=request.user,
                campaign=campaign,
                image=image.read(settings.ADS_IMAGE_MAX_BYTES + 1) if image else None,
                **data,
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            messages.success(request, _("Ad added: Hokwe checks it before it is shown."))
            return redirect("manager:ads-campaign", campaign.public_id)
    total, days = reports.report(campaign)
    cur = campaign.currency

    def line(x):
        return {
            "day": x.day,
            "impressions": x.impressions,
            "clicks": x.clicks,
            "ctr": _percent(x.ctr_bp),
            "conversions": x.conversions,
            "spend": _money(x.spend, cur),
            "cpa": _money(x.cost_per_conversion, cur) if x.cost_per_conversion is not None else "—",
            "filtered": x.filtered,
        }

    creatives = [
        {
            "c": c,
            "kind": KIND_LABELS[c.kind],
            "status": CREATIVE_STATUS_LABELS[c.status],
            "title": c.headline or (_("Listing") if c.listing else ""),
        }
        for c in campaign.creatives.all()
    ]
    return render(
        request,
        "ads/manager/campaign.html",
        {
            "campaign": campaign,
            "status": STATUS_LABELS[CampaignStatus(campaign.status)],
            "tone": TONES.get(campaign.status, ""),
            "pricing": PRICING_LABELS[Pricing(campaign.pricing)],
            "bid": _money(campaign.bid, cur),
            "budget": _money(campaign.total_budget, cur),
            "daily": _money(campaign.daily_budget, cur) if campaign.daily_budget else "—",
            "charged": _money(campaign.charged, cur),
            "total": line(total),
            "days": [line(d) for d in days],
            "creatives": creatives,
            "placements": [PLACEMENT_LABELS[Placement(p)] for p in campaign.placements],
            "form": form,
            "can_manage": can_manage,
            "actions": [
                a
                for a in ("activate", "pause", "end")
                if can_manage
                and svc.CAMPAIGN_STATES.can(
                    campaign.status, {"activate": "active", "pause": "paused", "end": "ended"}[a]
                )
                and not (
                    a == "activate"
                    and campaign.status == CampaignStatus.EXHAUSTED
                    and not _budget_left(campaign)
                )
            ],
            "can_edit": can_manage and campaign.status not in (CampaignStatus.ENDED, CampaignStatus.ARCHIVED),
        },
        status=400 if form.errors else 200,
    )


def _budget_left(campaign) -> bool:
    from ..services.delivery import cost_milli

    return campaign.total_budget * 1000 - campaign.spent_milli >= cost_milli(campaign)


class EditForm(CampaignForm):
    """What may change once a campaign exists (services/campaigns.py EDITABLE_LIVE): the new
    campaign's form without the listing, the pricing, the bid, the start and the audience."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("listing", "pricing", "bid", "starts_on", "audiences"):
            del self.fields[name]


@ads_page
@require_http_methods(["GET", "POST"])
def campaign_edit(request, campaign_id):
    """Change a campaign's name, budgets, end date, placements and places (raising the budget
    of a spent campaign lets it run again)."""
    campaign = svc.campaign_get(request.user, campaign_id, manage=True)
    initial = {
        "name": campaign.name,
        "total_budget": campaign.total_budget,
        "daily_budget": campaign.daily_budget,
        "ends_on": campaign.ends_on,
        "placements": campaign.placements,
        "cities": ", ".join(campaign.cities),
        "neighbourhoods": ", ".join(campaign.neighbourhoods),
    }
    form = EditForm(request.POST or None, initial=initial)
    if campaign.pricing == Pricing.FLAT:
        del form.fields["total_budget"], form.fields["daily_budget"]
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["cities"] = [c for c in data["cities"].split(",") if c.strip()]
        data["neighbourhoods"] = [c for c in data["neighbourhoods"].split(",") if c.strip()]
        if data.get("total_budget") is None:
            data.pop("total_budget", None)
        try:
            svc.campaign_update(actor=request.user, campaign=campaign, **data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            messages.success(request, _("Campaign changed."))
            return redirect("manager:ads-campaign", campaign.public_id)
    return render(
        request,
        "ads/manager/campaign_edit.html",
        {"form": form, "campaign": campaign},
        status=400 if form.errors else 200,
    )


ACTIONS = {
    "activate": (
        svc.campaign_activate,
        gettext_lazy("Start the campaign"),
        pgettext_lazy("campaign action", "Start"),
    ),
    "pause": (
        svc.campaign_pause,
        gettext_lazy("Pause the campaign"),
        pgettext_lazy("campaign action", "Pause"),
    ),
    "end": (svc.campaign_end, gettext_lazy("End the campaign"), gettext_lazy("End for good")),
}


@ads_page
@require_http_methods(["POST"])
def campaign_action(request, campaign_id, action):
    if action not in ACTIONS:
        raise Http404
    campaign = svc.campaign_get(request.user, campaign_id, manage=True)
    service, title, button = ACTIONS[action]
    cur = campaign.currency
    facts = [
        (_("Campaign"), campaign.name),
        (_("Pricing"), str(PRICING_LABELS[Pricing(campaign.pricing)])),
        (_("Bid"), _money(campaign.bid, cur)),
        (_("Total budget"), _money(campaign.total_budget, cur)),
        (_("Ad balance"), _money(advertisers_service.balance_of(campaign.advertiser), cur)),
    ]
    if action == "activate":
        question = (
            _("Charge the flat fee of %(fee)s to your ad balance now and start the campaign?")
            % {"fee": _money(campaign.bid, cur)}
            if campaign.pricing == Pricing.FLAT
            else _("Start showing « %(name)s »? Up to %(budget)s may be drawn from your ad balance.")
            % {"name": campaign.name, "budget": _money(campaign.total_budget, cur)}
        )
        warning = _(
            "Spend is drawn from your prepaid ad balance as the ads are seen or clicked; it never exceeds the budget."
        )
    elif action == "pause":
        question, warning = _("Stop showing « %(name)s » for now?") % {"name": campaign.name}, ""
    else:
        question = _("End « %(name)s » for good?") % {"name": campaign.name}
        warning = _(
            "An ended campaign cannot run again; what is left of its budget stays in your ad balance."
        )
    fee = action == "activate" and campaign.pricing == Pricing.FLAT and not campaign.flat_transfer
    confirmation = Confirmation(
        title=str(title),
        question=question,
        facts=facts,
        warning=warning,
        action_url=request.path,
        cancel_url=reverse("manager:ads-campaign", args=[campaign.public_id]),
        button=str(button),
        step_up=fee,  # a flat fee leaves the balance at once: the authenticator app's code
        strong=fee,
    )
    target, amount = str(campaign.public_id), campaign.bid

    def send_code():
        challenge = identity.step_up_start(
            actor=request.user, action=svc.STEP_UP_FLAT, target=target, amount=amount, currency=cur
        )
        return challenge.challenge_id, challenge.phone_hint

    def perform(*, challenge, code):
        kwargs = {}
        if fee:
            proof = (
                identity.step_up_verify(actor=request.user, challenge_id=challenge, code=code)
                if challenge
                else None
            )
            kwargs["step_up_token"] = proof.token if proof else None
        service(actor=request.user, campaign=campaign, **kwargs)
        messages.success(request, _("Done."))
        return redirect("manager:ads-campaign", campaign.public_id)

    return confirm_flow(
        request,
        confirmation,
        key=f"ads.campaign.{action}:{campaign.public_id}",
        perform=perform,
        send_code=send_code if fee else None,
    )

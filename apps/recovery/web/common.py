"""What recovery's manager pages share: the `page` decorator (login, NotFound as the 404
page), form errors from a service's refusal, the organization a page shows, the words of
the timeline and of the statuses."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.utils.translation import gettext as _

from apps.core.errors import DomainError, NotFound
from apps.identity import api as identity
from apps.identity.contracts import OrgRole

from .. import selectors

BUCKETS = ("current", "d1_30", "d31_60", "d61_90", "d90_plus")


def bucket_labels() -> dict[str, str]:
    return {
        "current": _("not yet late"),
        "d1_30": _("1–30 days"),
        "d31_60": _("31–60 days"),
        "d61_90": _("61–90 days"),
        "d90_plus": _("over 90 days"),
    }


def event_labels() -> dict[str, str]:
    """The timeline's words (the model's choices are the raw codes)."""
    return {
        "opened": _("Case opened"),
        "reminder": _("Reminder sent"),
        "whatsapp": _("WhatsApp message ready"),
        "task": _("Task for the collector"),
        "call": _("Call"),
        "visit": _("Visit"),
        "payment": _("Payment received"),
        "cash": _("Cash collected"),
        "promise": _("Promise to pay"),
        "promise_kept": _("Promise kept"),
        "promise_broken": _("Promise broken"),
        "plan_proposed": _("Payment plan proposed"),
        "plan_accepted": _("Payment plan accepted"),
        "installment_missed": _("Installment missed"),
        "plan_completed": _("Payment plan completed"),
        "formal_notice": _("Formal notice"),
        "late_fee": _("Late fee"),
        "legal": _("Legal"),
        "note": _("Note"),
        "assigned": _("Collector assigned"),
        "reopened": _("Case reopened"),
        "closed": _("Case closed"),
    }


def commitment_labels() -> dict[str, str]:
    """Promise, plan and installment statuses."""
    return {
        "pending": _("pending"),
        "kept": _("kept"),
        "broken": _("broken"),
        "canceled": _("canceled"),
        "proposed": _("waiting for the tenant"),
        "active": _("running"),
        "completed": _("completed"),
        "paid": _("paid"),
        "missed": _("missed"),
    }


def page(view):
    """Logged-in users only; NotFound (and a service's 404 refusal) becomes the 404 page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404 from None
        except DomainError as exc:
            if getattr(exc, "status", 400) == 404:
                raise Http404 from None
            raise

    return wrapper


def lang(request) -> str:
    return getattr(request, "LANGUAGE_CODE", "fr") or "fr"


def form_error(form, exc: DomainError) -> None:
    field = (getattr(exc, "field", "") or "").split(".")[0]
    form.add_error(field if field in form.fields else None, str(exc.message))


def report_org(request) -> int:
    """The organization whose recovery the page shows: the user's only one, or ?org=."""
    orgs = selectors.report_org_ids(request.user)
    if not orgs:
        raise NotFound()
    wanted = request.GET.get("org") or request.POST.get("org")
    if wanted:
        return selectors.organization_for_report(request.user, wanted)
    return min(orgs)


def org_people(organization_id: int, roles) -> list:
    return identity.members_of(organization_id=organization_id, roles=roles)


def collector_choices(organization_id: int, *, blank: str) -> list[tuple[str, str]]:
    people = org_people(organization_id, [OrgRole.COLLECTOR, OrgRole.MANAGER, OrgRole.OWNER])
    return [("", blank)] + [(str(u.public_id), u.full_name or str(u.phone)) for u in people]

"""HokweCreatorStudio's pages.

The agency's (under /manager/ads/jobs/, manager:ads-jobs …): its advertisers' creator jobs, a
form to order content for one of its listings (the price held on the prepaid balance), a
job's page with the delivered files (approve / reject each), send back with feedback, accept
(a confirmation page says the price goes to the creator and the photos onto the listing) and
cancel (confirmation too).

The creator's (public routes under /creators/…, ads-creators-…): sign-in by an SMS code
(identity's login code, as the tenant space), the profile (sign-up needs KYC tier 1), open
jobs near them, their jobs, a job's page (take it, upload photos and videos, send for review).

Everything goes through services/creators.py, scoped to the user: another's job is a 404.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.core.files.storage import default_storage
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core.errors import DomainError, NotFound
from apps.identity import api as identity
from apps.market import api as market

from ..errors import CreatorNotFound
from ..models import Creator, CreatorJob, Deliverable
from ..selectors import advertisers_visible_to
from ..services import creators as svc
from ..services.advertisers import balance_of
from .pages import signed_in_page

LIST_LIMIT = 100
SESSION_PHONE = "ads_creators_login_phone"


def agency_page(view):
    """Signed-in users only (else the manager's login); a job not theirs is the 404 page."""
    return signed_in_page(view)


def creator_page(view):
    """Signed-in users only (else the creators' SMS sign-in); a job not theirs is a 404."""
    return signed_in_page(
        view,
        login=lambda request: redirect(
            f"{reverse('ads:creators-login')}?{urlencode({'next': request.get_full_path()})}"
        ),
    )


def _error(request, form, exc: DomainError) -> None:
    message = str(exc.message)
    if form is not None and exc.field in form.fields:
        form.add_error(exc.field, message)
    elif form is not None:
        form.add_error(None, message)
    else:
        messages.error(request, message)


def _deliverables(job) -> list[dict]:
    rows = []
    for item in svc.deliverables_of(job):
        rows.append(
            {
                "item": item,
                "url": default_storage.url(item.web.name) if item.web.name else "",
                "poster": default_storage.url(item.poster.name) if item.poster.name else "",
                "failure": svc.failure_label(item.failure),
            }
        )
    return rows


# --- the agency ---------------------------------------------------------------------------------


class JobForm(forms.Form):
    advertiser = forms.ChoiceField(label=gettext_lazy("Advertiser"))
    listing = forms.ChoiceField(label=gettext_lazy("Listing"))
    title = forms.CharField(label=gettext_lazy("Title"), max_length=120)
    brief = forms.CharField(
        label=gettext_lazy("Brief"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=CreatorJob.Kind.choices)
    price = forms.IntegerField(label=gettext_lazy("Price (FCFA)"), min_value=1)
    due_on = forms.DateField(
        label=gettext_lazy("Due on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    revenue_share_bp = forms.IntegerField(
        label=gettext_lazy("Revenue share (basis points)"),
        min_value=0,
        max_value=5000,
        initial=0,
        help_text=gettext_lazy(
            "Optional: 100 = 1 % of the ad spend on this listing, paid daily to the creator."
        ),
    )

    def __init__(self, *args, advertisers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["advertiser"].choices = [(str(a.public_id), a.name) for a in advertisers]
        choices = []
        for adv in advertisers:  # the listings online of each advertiser (the service checks again)
            for x in market.listings_offered_by(organization_id=adv.organization_id, owner_id=adv.owner_id):
                place = f"{x.neighbourhood}, {x.city}" if x.neighbourhood else x.city
                label = f"{x.title} — {place}" + (f" ({adv.name})" if len(advertisers) > 1 else "")
                choices.append((x.public_id, label))
        self.fields["listing"].choices = choices


@require_http_methods(["GET", "POST"])
@agency_page
def jobs_page(request):
    """The jobs of the advertisers the user reads, and the form to order content (managers)."""
    status = request.GET.get("status", "")
    if status not in CreatorJob.Status.values:
        status = ""
    rows = list(svc.jobs_of_advertisers(request.user, status=status)[:LIST_LIMIT])
    advertisers = list(advertisers_visible_to(request.user, manage=True).order_by("name"))
    form = JobForm(
        request.POST or None, advertisers=advertisers, initial={"listing": request.GET.get("listing", "")}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = svc.job_post(actor=request.user, **data)
        except DomainError as exc:
            _error(request, form, exc)
        else:
            messages.success(request, _("Job posted: its price is set aside on your ad balance."))
            return redirect("manager:ads-job", job.public_id)
    balances = [{"advertiser": a, "balance": balance_of(a)} for a in advertisers]
    return render(
        request,
        "ads/creators/agency_jobs.html",
        {
            "rows": rows,
            "form": form,
            "balances": balances,
            "status": status,
            "statuses": CreatorJob.Status.choices,
        },
        status=400 if form.errors else 200,
    )


class FeedbackForm(forms.Form):
    feedback = forms.CharField(
        label=gettext_lazy("What to change"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


def _manages(request, job) -> bool:
    return advertisers_visible_to(request.user, manage=True).filter(pk=job.advertiser_id).exists()


@require_GET
@agency_page
def job_page(request, job_id):
    job = svc.job_for_agency(request.user, job_id)
    return render(
        request,
        "ads/creators/agency_job.html",
        {
            "job": job,
            "files": _deliverables(job),
            "manages": _manages(request, job),
            "feedback_form": FeedbackForm(),
            "shares": list(svc.shares_of(job)[:60]),
        },
    )


@require_POST
@agency_page
def review_page(request, job_id, deliverable_id):
    job = svc.job_for_agency(request.user, job_id, manage=True)
    if not Deliverable.objects.filter(job=job, public_id=deliverable_id).exists():
        raise Http404
    try:
        svc.deliverable_review(
            actor=request.user, deliverable=deliverable_id, approve=request.POST.get("decision") == "approve"
        )
    except DomainError as exc:
        if isinstance(exc, NotFound):
            raise
        messages.error(request, str(exc.message))
    return redirect("manager:ads-job", job.public_id)


@require_POST
@agency_page
def changes_page(request, job_id):
    job = svc.job_for_agency(request.user, job_id, manage=True)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            svc.job_request_changes(actor=request.user, job=job, feedback=form.cleaned_data["feedback"])
        except DomainError as exc:
            if isinstance(exc, NotFound):
                raise
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Sent back to the creator with your feedback."))
    else:
        messages.error(request, _("Say what to change."))
    return redirect("manager:ads-job", job.public_id)


def _confirm(request, job_id, *, action, template_key):
    job = svc.job_for_agency(request.user, job_id, manage=True)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            action(actor=request.user, job=job)
        except DomainError as exc:
            if isinstance(exc, NotFound):
                raise
            messages.error(request, str(exc.message))
        else:
            messages.success(
                request,
                _("Accepted: the creator is being paid.")
                if template_key == "accept"
                else _("Job cancelled: its price is back on your balance."),
            )
        return redirect("manager:ads-job", job.public_id)
    approved = sum(
        1
        for f in svc.deliverables_of(job)
        if f.review != Deliverable.Review.REJECTED and f.status == Deliverable.Status.READY
    )
    return render(
        request,
        "ads/creators/agency_confirm.html",
        {"job": job, "action": template_key, "approved": approved},
    )


@require_http_methods(["GET", "POST"])
@agency_page
def accept_page(request, job_id):
    """A confirmation page, then the acceptance (money to the creator)."""
    return _confirm(request, job_id, action=svc.job_accept, template_key="accept")


@require_http_methods(["GET", "POST"])
@agency_page
def cancel_page(request, job_id):
    return _confirm(request, job_id, action=svc.job_cancel, template_key="cancel")


# --- the creator: sign-in by SMS code -----------------------------------------------------------


def _next(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("ads:creators-home")


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=gettext_lazy("Your phone number"),
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel", "autofocus": True}),
    )


class CodeForm(forms.Form):
    code = forms.RegexField(
        regex=r"^\d{6}$",
        label=gettext_lazy("Code received by SMS"),
        error_messages={"invalid": gettext_lazy("The code has 6 digits.")},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": 6, "autofocus": True}
        ),
    )


@require_http_methods(["GET", "POST"])
def login_page(request):
    """Step 1: the phone number; identity sends the code (its rate limits apply)."""
    if request.user.is_authenticated and request.method == "GET":
        return redirect(_next(request))
    form = PhoneForm(request.POST or None, initial={"phone": request.session.get(SESSION_PHONE, "")})
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["phone"].strip()
        try:
            identity.login_code_request(phone=phone, language=getattr(request, "LANGUAGE_CODE", "fr"))
        except DomainError as exc:
            _error(request, form, exc)
        else:
            request.session[SESSION_PHONE] = phone
            return redirect(f"{reverse('ads:creators-login-code')}?{urlencode({'next': _next(request)})}")
    return render(
        request,
        "ads/creators/login.html",
        {"form": form, "next": _next(request), "step": "phone"},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def login_code_page(request):
    """Step 2: the 6-digit code; right, the session opens."""
    phone = request.session.get(SESSION_PHONE)
    if not phone:
        return redirect(f"{reverse('ads:creators-login')}?{urlencode({'next': _next(request)})}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            identity.session_login_with_code(request, phone=phone, code=form.cleaned_data["code"])
        except DomainError as exc:
            _error(request, form, exc)
        else:
            request.session.pop(SESSION_PHONE, None)
            return redirect(_next(request))
    return render(
        request,
        "ads/creators/login.html",
        {"form": form, "next": _next(request), "step": "code", "phone": phone},
        status=400 if form.errors else 200,
    )


@require_POST
def logout_page(request):
    logout(request)
    return redirect("ads:creators-login")


# --- the creator's pages ------------------------------------------------------------------------


class CreatorForm(forms.Form):
    display_name = forms.CharField(label=gettext_lazy("Name shown to clients"), max_length=80)
    skills = forms.MultipleChoiceField(
        label=gettext_lazy("What you do"), choices=Creator.Skill.choices, widget=forms.CheckboxSelectMultiple
    )
    city = forms.CharField(label=gettext_lazy("City"), max_length=100, required=False)
    bio = forms.CharField(
        label=gettext_lazy("About you"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    revenue_share = forms.BooleanField(
        label=gettext_lazy("Share in the ad results of my content (when a job offers it)"), required=False
    )


@require_http_methods(["GET", "POST"])
@creator_page
def home_page(request):
    """The creator's profile: sign up (KYC tier 1) or change it; what Hokwe owes them."""
    creator = svc.creator_of(request.user)
    initial = (
        {
            "display_name": creator.display_name,
            "skills": creator.skills,
            "city": creator.city,
            "bio": creator.bio,
            "revenue_share": creator.revenue_share,
        }
        if creator
        else {"display_name": getattr(request.user, "full_name", "") or ""}
    )
    form = CreatorForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            creator = svc.creator_signup(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            _error(request, form, exc)
        else:
            messages.success(request, _("Your creator profile is saved."))
            return redirect("ads:creators-home")
    earnings = svc.earnings_of(request.user) if creator else 0
    return render(
        request,
        "ads/creators/creator_home.html",
        {"creator": creator, "form": form, "earnings": earnings},
        status=400 if form.errors else 200,
    )


def _creator_or_home(request):
    try:
        return svc.creator_get(request.user), None
    except CreatorNotFound:
        messages.info(request, _("Create your creator profile first."))
        return None, redirect("ads:creators-home")


@require_GET
@creator_page
def open_jobs_page(request):
    creator, back = _creator_or_home(request)
    if back:
        return back
    city = request.GET.get("city", creator.city).strip()[:100]
    rows = list(svc.open_jobs(request.user, city=city)[:LIST_LIMIT])
    return render(request, "ads/creators/creator_open.html", {"rows": rows, "city": city, "creator": creator})


@require_GET
@creator_page
def my_jobs_page(request):
    creator, back = _creator_or_home(request)
    if back:
        return back
    rows = list(svc.jobs_of_creator(request.user)[:LIST_LIMIT])
    return render(request, "ads/creators/creator_jobs.html", {"rows": rows, "creator": creator})


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Photo or video"),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,video/mp4,video/quicktime,video/webm"}
        ),
    )
    caption = forms.CharField(label=gettext_lazy("Caption"), max_length=200, required=False)


def _creator_job(request, job_id, *, form=None, status=200):
    job = svc.job_for_creator(request.user, job_id)
    mine = job.creator_id is not None and job.creator.user_id == request.user.pk
    return render(
        request,
        "ads/creators/creator_job.html",
        {
            "job": job,
            "mine": mine,
            "files": _deliverables(job) if mine else [],
            "upload_form": form or UploadForm(),
            "can_upload": mine and job.status in svc.UPLOADABLE,
        },
        status=status,
    )


@require_GET
@creator_page
def job_page_creator(request, job_id):
    return _creator_job(request, job_id)


@require_POST
@creator_page
def take_page(request, job_id):
    job = svc.job_for_creator(request.user, job_id)
    try:
        svc.job_take(actor=request.user, job=job)
    except DomainError as exc:
        if isinstance(exc, NotFound):
            raise
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The job is yours: shoot, then upload your files here."))
    return redirect("ads:creators-job", job.public_id)


@require_POST
@creator_page
def upload_page(request, job_id):
    job = svc.job_for_creator(request.user, job_id)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            item = svc.deliverable_upload(
                actor=request.user,
                job=job,
                upload=form.cleaned_data["file"],
                caption=form.cleaned_data["caption"],
            )
        except DomainError as exc:
            if isinstance(exc, NotFound):
                raise
            _error(request, form, exc)
        else:
            messages.success(
                request,
                _("Video received: it is being converted for the web.")
                if item.kind == Deliverable.Kind.VIDEO
                else _("Photo added."),
            )
            return redirect("ads:creators-job", job.public_id)
    return _creator_job(request, job_id, form=form, status=400)


@require_POST
@creator_page
def deliver_page(request, job_id):
    job = svc.job_for_creator(request.user, job_id)
    try:
        svc.job_deliver(actor=request.user, job=job)
    except DomainError as exc:
        if isinstance(exc, NotFound):
            raise
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Sent for review: the agency is told."))
    return redirect("ads:creators-job", job.public_id)

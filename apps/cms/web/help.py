"""The help centre's pages (docs/cms.md, "Help centre"): /help/ (categories by audience and a
search box), /help/search (results), /help/a/<slug>/ (an article and « was this helpful? »),
/help/contact/ (the contact form: articles suggested as one types, then a ticket), the
suggestions' small JSON endpoint, and the same contact form inside the manager
(/manager/cms/help/contact/). French first; the locale is the page's language (?lang=en
forces English). Works without JavaScript: the suggestions are a progressive enhancement
(static/cms/help.js), the form shows them again on a first submit without a choice."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core import ratelimit
from apps.core.errors import DomainError

from ..contracts import HELP_AUDIENCES
from ..errors import HelpArticleNotFound
from ..models.help import HelpAudience, HelpFeedback, SupportTicket
from ..services import help as help_service

AUDIENCE_CHOICES = [("", _("Everyone"))] + [
    (value, label) for value, label in HelpAudience.choices if value != HelpAudience.EVERYONE
]


def page_locale(request) -> str:
    wanted = request.GET.get("lang") or (get_language() or "fr")
    return "en" if wanted.lower().startswith("en") else "fr"


def _audience(request) -> str:
    value = request.GET.get("audience", "")
    return value if value in HELP_AUDIENCES and value != "everyone" else ""


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the help centre"), max_length=200, required=False)
    audience = forms.ChoiceField(label=_("I am"), choices=AUDIENCE_CHOICES, required=False)


class FeedbackForm(forms.Form):
    helpful = forms.TypedChoiceField(
        choices=[("yes", _("Yes")), ("no", _("No"))], coerce=lambda v: v == "yes", widget=forms.RadioSelect
    )
    reason = forms.ChoiceField(
        label=_("Why?"), choices=[("", "—"), *HelpFeedback.Reason.choices], required=False
    )
    comment = forms.CharField(
        label=_("Tell us more (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"), required=False)
    phone = forms.CharField(label=_("Phone number"), max_length=32, required=False)
    audience = forms.ChoiceField(label=_("I am"), choices=AUDIENCE_CHOICES, required=False)
    subject = forms.CharField(
        label=_("Your question in a few words"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "data-help-suggest": "1"}),
    )
    message = forms.CharField(label=_("Details"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))
    seen = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user if user is not None and user.is_authenticated else None
        if self.user is not None:
            self.fields["name"].required = False
            self.fields["name"].initial = user.full_name

    def clean(self):
        data = super().clean()
        if not data.get("email") and not (data.get("phone") or "").strip() and self.user is None:
            self.add_error("email", gettext("Give an e-mail address or a phone number so we can answer you."))
        return data


def _error(form, exc: DomainError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, str(exc.message))


@require_GET
def home(request):
    locale, audience = page_locale(request), _audience(request)
    form = SearchForm(initial={"audience": audience})
    groups = help_service.categories(locale=locale, audience=audience or None)
    return render(
        request,
        "cms/help/home.html",
        {
            "form": form,
            "groups": groups,
            "audience": audience,
            "audiences": AUDIENCE_CHOICES,
            "locale": locale,
        },
    )


@require_GET
def search(request):
    locale = page_locale(request)
    form = SearchForm(request.GET)
    hits = []
    if form.is_valid() and form.cleaned_data["q"].strip():
        ratelimit.hit("cms.help_search", key=ratelimit.client_key(request))
        hits = help_service.search(
            form.cleaned_data["q"], locale=locale, audience=form.cleaned_data["audience"] or None
        )
    return render(request, "cms/help/search.html", {"form": form, "hits": hits, "locale": locale})


@require_GET
def suggest(request):
    """The contact form's suggestions as one types: {"results": [{title, summary, url}]}."""
    ratelimit.hit("cms.help_search", key=ratelimit.client_key(request))
    text = (request.GET.get("q") or "")[:200]
    audience = _audience(request) or None
    from django.conf import settings

    hits = help_service.search(
        text, locale=page_locale(request), audience=audience, limit=settings.CMS_HELP_SUGGEST_LIMIT
    )
    return JsonResponse({"results": [{"title": h.title, "summary": h.summary, "url": h.url} for h in hits]})


@require_GET
def article(request, slug):
    locale = page_locale(request)
    try:
        item = help_service.article_get(slug, locale=locale)
    except HelpArticleNotFound:
        return render(request, "cms/help/missing.html", {"locale": locale}, status=404)
    return render(
        request,
        "cms/help/article.html",
        {
            "article": item,
            "form": FeedbackForm(),
            "translations": help_service.article_translations(item),
            "thanks": request.GET.get("merci") == "1",
            "locale": locale,
        },
    )


@require_POST
def feedback(request, slug):
    locale = page_locale(request)
    try:
        item = help_service.article_get(slug, locale=locale)
    except HelpArticleNotFound:
        return render(request, "cms/help/missing.html", {"locale": locale}, status=404)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        ratelimit.hit("cms.help_feedback", key=ratelimit.client_key(request))
        help_service.feedback_record(
            article=item,
            helpful=form.cleaned_data["helpful"],
            reason=form.cleaned_data["reason"],
            comment=form.cleaned_data["comment"],
            user=request.user,
        )
        url = (
            reverse("cms-help-article", args=[item.slug])
            + "?merci=1"
            + ("&lang=en" if locale == "en" else "")
        )
        return redirect(url + "#feedback")
    return render(
        request,
        "cms/help/article.html",
        {
            "article": item,
            "form": form,
            "translations": help_service.article_translations(item),
            "locale": locale,
        },
        status=400,
    )


def _contact(request, *, source: str, template: str, done_url: str):
    locale = page_locale(request)
    user = request.user if request.user.is_authenticated else None
    suggestions = []
    if request.method == "POST":
        form = ContactForm(request.POST, user=user)
        if form.is_valid():
            data = form.cleaned_data
            if not data.get("seen"):
                # a first submit shows the articles that may already answer (no JavaScript needed)
                suggestions = help_service.search(
                    data["subject"] + " " + data["message"][:200],
                    locale=locale,
                    audience=data["audience"] or None,
                    limit=3,
                )
            if not suggestions:
                try:
                    ratelimit.hit("cms.help_contact", key=ratelimit.client_key(request))
                    ticket = help_service.ticket_open(
                        user=user,
                        name=data["name"],
                        email=data["email"],
                        phone=data["phone"],
                        subject=data["subject"],
                        message=data["message"],
                        audience=data["audience"] or "everyone",
                        language=locale,
                        source=source,
                    )
                except ratelimit.RateLimited:
                    form.add_error(None, gettext("Too many requests from you: try again in a while."))
                except DomainError as exc:
                    _error(form, exc)
                else:
                    return render(
                        request,
                        "cms/help/contact_done.html",
                        {"ticket": ticket, "done_url": done_url, "locale": locale},
                    )
            else:
                form = ContactForm({**request.POST.dict(), "seen": "1"}, user=user)
                form.is_valid()
        status = 400 if form.errors else 200
    else:
        form = ContactForm(user=user, initial={"subject": request.GET.get("q", "")[:200]})
        status = 200
    return render(
        request, template, {"form": form, "suggestions": suggestions, "locale": locale}, status=status
    )


@require_http_methods(["GET", "POST"])
def contact(request):
    return _contact(
        request,
        source=SupportTicket.Source.WEB,
        template="cms/help/contact.html",
        done_url=reverse("cms-help"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def manager_contact(request):
    return _contact(
        request,
        source=SupportTicket.Source.MANAGER,
        template="cms/help/manager_contact.html",
        done_url=reverse("manager:cms-help-tickets"),
    )


@login_required
@require_GET
def manager_tickets(request):
    """The signed-in user's own tickets (never anyone else's)."""
    tickets = help_service.tickets_of(request.user)[:50]
    return render(request, "cms/help/manager_tickets.html", {"tickets": tickets})

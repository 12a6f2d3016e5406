"""Statement import and matching pages (/manager/estate/bank/…): upload a MoMo or bank
statement (a preview first: what would be applied, what goes to review), the import's
result, the review queue (one-click confirm of the suggestion, another due, a split, or
ignore) and the learned rules. Finance roles (owner, manager, accountant) only."""

from __future__ import annotations

import hashlib

from django import forms
from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from apps.core.errors import DomainError
from apps.identity import api as identity

from ... import selectors
from ...errors import InvalidInput
from ...models import RentDue, StatementImport
from ...services import statements
from ...services.statements_formats import CAMT053
from ..forms import OrgChoiceMixin
from .common import _error, _orgs, page

PREVIEW_TTL = 3600  # seconds a previewed file waits for « Import now »
REASON_LABELS = {
    "due_reference": gettext_lazy("due reference"),
    "lease_reference": gettext_lazy("lease reference"),
    "rule": gettext_lazy("learned rule"),
    "phone": gettext_lazy("tenant's phone"),
    "amount": gettext_lazy("exact amount"),
    "date": gettext_lazy("date near the due date"),
}
OUTCOME_LABELS = {  # one line's outcome: the same words as its status
    "auto": pgettext_lazy("statement line", "applied automatically"),
    "review": pgettext_lazy("statement line", "to review"),
    "none": pgettext_lazy("statement line", "no match"),
}


class StatementUploadForm(OrgChoiceMixin, forms.Form):
    organization = forms.ChoiceField(label=gettext_lazy("Organization"))
    format = forms.ChoiceField(label=gettext_lazy("Statement"), choices=StatementImport.Format.choices)
    currency = forms.CharField(
        label=gettext_lazy("Currency"),
        max_length=3,
        required=False,
        help_text=gettext_lazy("Empty: the organization's own (camt.053 names its currency)."),
    )
    file = forms.FileField(label=gettext_lazy("File (.csv or .xml)"))


def _finance_orgs(request):
    return _orgs(request, identity.FINANCE_ROLES)


def _reasons(reasons) -> str:
    return ", ".join(str(REASON_LABELS.get(r, r)) for r in reasons or [])


def _preview_key(user, digest: str) -> str:
    return f"estate:statement-preview:{user.pk}:{digest}"


def _decorate(result):
    for line in result.lines:
        line["outcome_label"] = OUTCOME_LABELS.get(line["outcome"], line["outcome"])
        line["reasons_label"] = _reasons(line["reasons"])
    return result


@page
@require_http_methods(["GET", "POST"])
def statement_upload(request):
    """Step 1: the file and its format → a dry run (nothing written). Step 2: « Import now »
    imports the previewed file (kept for an hour)."""
    orgs = _finance_orgs(request)
    if not orgs:
        raise Http404
    form = StatementUploadForm(request.POST or None, request.FILES or None)
    form.set_orgs(orgs)
    result = None
    if request.method == "POST" and request.POST.get("preview"):
        digest = request.POST["preview"]
        held = cache.get(_preview_key(request.user, digest))
        if held is None:
            messages.error(request, _("The preview expired: choose the file again."))
            return redirect(reverse("manager:estate-bank-import"))
        try:
            result = statements.statement_import(actor=request.user, dry_run=False, **held)
        except DomainError as exc:
            messages.error(request, str(exc.message))
            return redirect(reverse("manager:estate-bank-import"))
        cache.delete(_preview_key(request.user, digest))
        if result.already_imported:
            messages.warning(request, _("This file was already imported: nothing was imported again."))
        else:
            messages.success(
                request,
                _("Statement imported: %(auto)s line(s) applied, %(review)s to review.")
                % {
                    "auto": result.counts.get("auto", 0),
                    "review": result.counts.get("review", 0) + result.counts.get("unmatched", 0),
                },
            )
        return redirect(reverse("manager:estate-bank-import-detail", args=[result.statement.public_id]))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read(statements.MAX_BYTES + 1)
        arguments = {
            "organization_id": int(form.cleaned_data["organization"]),
            "fmt": form.cleaned_data["format"],
            "filename": upload.name or "releve",
            "content": content,
            "currency": (form.cleaned_data["currency"] or "").strip().upper() or None,
        }
        if arguments["organization_id"] not in {i for i, _n in orgs}:
            raise Http404
        try:
            result = _decorate(statements.statement_import(actor=request.user, dry_run=True, **arguments))
            result.preview_key = hashlib.sha256(content).hexdigest()
            if not result.already_imported:
                cache.set(_preview_key(request.user, result.preview_key), arguments, PREVIEW_TTL)
        except DomainError as exc:
            _error(form, exc)
    recent = list(selectors.statement_imports_for(request.user)[:10])
    return render(
        request,
        "estate/statements_upload.html",
        {"form": form, "result": result, "recent": recent, "camt053": CAMT053},
    )


@page
def statement_import_detail(request, statement_import_id):
    statement = selectors.statement_import_get(request.user, statement_import_id)
    lines = Paginator(
        selectors.statement_lines_for(request.user, statement=statement).order_by("line_number", "id"), 100
    ).get_page(request.GET.get("page"))
    for line in lines:
        line.reasons_label = _reasons(line.reasons)
    first, last = statements.statement_dates(statement)
    return render(
        request,
        "estate/statements_import.html",
        {"statement": statement, "lines": lines, "page": lines, "first": first, "last": last},
    )


@page
def statement_review(request):
    """The review queue: lines to confirm (partial matches) and lines without any match."""
    if not _finance_orgs(request):
        raise Http404
    lines = Paginator(selectors.statement_review_for(request.user), 50).get_page(request.GET.get("page"))
    for line in lines:
        line.reasons_label = _reasons(line.reasons)
    return render(request, "estate/statements_review.html", {"lines": lines, "page": lines})


@page
@require_http_methods(["GET", "POST"])
def statement_line(request, statement_line_id):
    """One line: its candidates, confirm the suggestion or another due, split it, or ignore
    it. Every POST lands back on the queue with what happened."""
    line = selectors.statement_line_get(request.user, statement_line_id)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "ignore":
                statements.line_ignore(actor=request.user, line=line)
                messages.success(request, _("Line ignored."))
            elif action == "confirm":
                due = _due(request, line, request.POST.get("due"))
                statements.line_confirm(
                    actor=request.user, line=line, due=due, learn=request.POST.get("learn", "1") == "1"
                )
                messages.success(request, _("Line confirmed: the payment is recorded."))
            elif action == "split":
                parts = []
                for i in range(1, 4):
                    due_id, amount = (
                        request.POST.get(f"due_{i}"),
                        (request.POST.get(f"amount_{i}") or "").strip(),
                    )
                    if not due_id and not amount:
                        continue
                    if not amount.isdigit():
                        raise InvalidInput(_("Each part must be a positive amount."), field="parts")
                    parts.append((_due(request, line, due_id), int(amount)))
                statements.line_confirm(actor=request.user, line=line, parts=parts)
                messages.success(request, _("Line split and confirmed."))
            else:
                raise Http404
        except DomainError as exc:
            messages.error(request, str(exc.message))
            return redirect(reverse("manager:estate-bank-line", args=[line.public_id]))
        return redirect(request.POST.get("next") or reverse("manager:estate-bank-review"))
    choices = selectors.statement_due_choices(request.user, line)
    scores = {c.get("due"): c for c in line.candidates or []}
    for due in choices:
        found = scores.get(due.pk)
        due.match_score = found["score"] if found else None
        due.match_reasons = _reasons(found["reasons"]) if found else ""
    return render(
        request,
        "estate/statements_line.html",
        {
            "line": line,
            "choices": choices,
            "reasons_label": _reasons(line.reasons),
            "parts": line.parts.select_related("lease", "due", "payment"),
            "split_rows": range(1, 4),
        },
    )


def _due(request, line, public_id) -> RentDue | None:
    if not public_id:
        return None
    due = (
        selectors.dues_for(request.user)
        .filter(public_id=selectors._uuid(public_id), organization_id=line.organization_id)
        .first()
    )
    if due is None:
        raise Http404
    return due


@page
def statement_rules(request):
    if not _finance_orgs(request):
        raise Http404
    rules = Paginator(selectors.statement_rules_for(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "estate/statements_rules.html", {"rules": rules, "page": rules})


@page
@require_POST
def statement_rule_delete(request, statement_rule_id):
    rule = selectors.statement_rule_get(request.user, statement_rule_id)
    try:
        statements.rule_delete(actor=request.user, rule=rule)
        messages.success(request, _("Rule removed: the next imports no longer use it."))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect(reverse("manager:estate-bank-rules"))

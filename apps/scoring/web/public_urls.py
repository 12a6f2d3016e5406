"""Scoring's pages outside /manager/, mounted at the site root (hokwe/urls.py): the
tenant's own score. Shared: each part appends its block."""

from django.urls import path

app_name = "scoring"

urlpatterns: list = []


# --- the tenant's own score: /scoring/… (web/score.py) ---
from . import score as _score  # noqa: E402

urlpatterns += [
    path("scoring/", _score.home, name="score"),
    path("scoring/lines", _score.lines, name="score-lines"),
    path("scoring/disputes/new", _score.dispute_new, name="score-dispute-new"),
    path("scoring/disputes/<uuid:dispute_id>", _score.dispute_detail, name="score-dispute"),
    path("scoring/bureau", _score.bureau_consent, name="score-bureau"),
]


# --- tenant screening: the applicant's consent page (the token in the SMS link) ---
from . import screening_public as _screening_public  # noqa: E402

urlpatterns += [
    path("screening/consent/<str:token>/", _screening_public.consent, name="screening-consent"),
]

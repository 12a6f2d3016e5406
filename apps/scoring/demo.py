"""Demo scoring: a scorecard trained on a simulated population (small, so the demo stays fast)
when no version is active yet, then every demo tenant scored — a number, a band and the reasons
for tenants with enough rent history, « not enough history yet » and how to build one for the
others (estate's demo leases started 2 to 7 months ago). Idempotent: an active model is kept,
and a second run changes no score (the nightly batch writes only what changed).

Each part appends a function `_seed_<part>(ctx)` and one call line at the end of `seed`."""

from __future__ import annotations

import logging

from django.utils import timezone

log = logging.getLogger(__name__)

DEMO_TRAINING_ROWS = 4000  # the simulated population the demo's scorecard learns from
DEMO_SEED = 2026


def _seed_model(ctx) -> None:
    """Train and activate a scorecard on simulated data if none is active (training)."""
    import numpy as np

    from .errors import ModelRejected
    from .models import ScoreModel
    from .services.model import features_matrix, save_model
    from .services.simulate import simulated_rows
    from .services.sources import registered_specs
    from .services.training import train, version_name

    active = ScoreModel.objects.filter(active=True).values_list("spec", flat=True).first()
    if active is not None:
        # kept unless a feature source registered since (lending's loans) is unknown to it
        known = {v.get("name") for v in active.get("variables", ())} | set(active.get("dropped") or ())
        if set(registered_specs()) <= known:
            return
    rows = simulated_rows(DEMO_TRAINING_ROWS, seed=DEMO_SEED)
    X = features_matrix([features for features, _bad in rows])
    y = np.asarray([bad for _features, bad in rows], dtype=bool)
    try:
        result = train(X, y, seed=DEMO_SEED, source="simulated")
    except ModelRejected:  # the provisional hand-set scorecard keeps scoring
        log.warning("scoring demo: the simulated training was refused; the provisional scorecard stays")
        return
    save_model(
        result.spec,
        version=version_name("simulated", timezone.now()),
        trained_on=f"simulated population of {DEMO_TRAINING_ROWS} tenants (demo)",
        metrics=result.metrics,
        make_active=True,
    )


def _seed_scores(ctx) -> None:
    """Every demo tenant scored (the nightly batch, run now)."""
    from .services.scores import rescore_all

    totals = rescore_all(timezone.localdate())
    ctx["scoring_scores"] = totals


def _seed_valuation(ctx) -> None:
    """HokweValuation: a hedonic rent model trained on generated rents (Cotonou,
    Abomey-Calavi, Abidjan: services/valuation_simulate.py) if no version is active, so the
    demo property pages show each unit's estimate and range (the demo's own leases are its
    comparables)."""
    from .errors import ModelRejected
    from .models import ValuationModel
    from .services.valuation_training import train_simulated

    if ValuationModel.objects.filter(active=True).exists():
        return
    try:
        row = train_simulated(3000, seed=DEMO_SEED, max_iter=150)
    except ModelRejected:  # estimates then use the comparables alone
        log.warning("scoring demo: the valuation model was refused; estimates use comparables only")
        return
    ctx["scoring_valuation_model"] = row.version


def seed(ctx) -> None:
    _seed_model(ctx)
    _seed_scores(ctx)
    _seed_valuation(ctx)
    _seed_screening(ctx)
    _seed_tenant_side(ctx)


# --- tenant screening ---
DEMO_SCREENING_TOKEN = "demo-screening-consent-1"  # /screening/consent/demo-screening-consent-1/


def _seed_screening(ctx) -> None:
    """The demo agency (its owner +2290197000001) has two screenings of applicants for its units:
    one waiting for the applicant's consent — open /screening/consent/demo-screening-consent-1/,
    ask for the code (the console shows the SMS), declare an income and consent; then on
    /manager/scoring/screening/ issue the report, download the PDF, decide — and one already
    consented with its report issued (a demo tenant with rent history: score, lines, reasons)."""
    from django.contrib.auth import get_user_model

    from apps.estate import api as estate

    from .models import ScreeningRequest
    from .services import screening

    agency = (ctx.get("organizations") or {}).get("agency")
    manager = get_user_model().objects.filter(phone="+2290197000001").first()
    if (
        agency is None
        or manager is None
        or ScreeningRequest.objects.filter(organization_id=agency.pk).exists()
    ):
        return
    units = estate.screening_units_of([agency.pk])
    if not units:
        return
    vacant = [u for u in units if u.status == "vacant"] or units
    tenants = [t for t in (ctx.get("tenants") or []) if getattr(t, "phone", None)]
    walk_phone = str(tenants[0].phone) if tenants else "+2290196000077"
    pending = screening.request_create(
        actor=manager, unit=vacant[0].public_id, phone=walk_phone, note="Démo : candidat à accompagner"
    )
    ScreeningRequest.objects.filter(pk=pending.pk).update(consent_token=DEMO_SCREENING_TOKEN)
    logins = getattr(ctx, "logins", None)
    if logins is not None:
        logins.append(
            (
                "screening applicant: /screening/consent/" + DEMO_SCREENING_TOKEN + "/",
                walk_phone,
                "(SMS code)",
            )
        )
    if len(tenants) < 2:
        return
    applicant = tenants[1]
    done = screening.request_create(
        actor=manager, unit=vacant[-1].public_id, phone=str(applicant.phone), note="Démo : rapport établi"
    )
    done = screening.consent_give(done, applicant=applicant, declared_income=max(done.rent * 3, 150_000))
    screening.report_issue(actor=manager, req=done)


# --- the tenant's side ---


def _seed_tenant_side(ctx) -> None:
    """A demo tenant with a late or unpaid month has contested it (open, in the admin's queue
    /admin/scoring/rentlinedispute/) and agreed to bureau reporting: /scoring/ shows the score,
    the chart, the contested line and the consent. Idempotent: a tenant who already has a
    dispute is left as is."""
    from django.contrib.auth import get_user_model

    from apps.estate import api as estate

    from .models import RentLineDispute
    from .services import bureau, disputes
    from .services.features import rent_lines

    users = get_user_model().objects
    for public_id in estate.tenants_after(None, limit=200):
        lines = [line for line in rent_lines(public_id) if line.code != "on_time"]
        if not lines:
            continue
        user = users.get(public_id=public_id)
        if not RentLineDispute.objects.filter(user=user).exists():
            line = lines[-1]
            disputes.open_dispute(
                actor=user,
                lease=line.lease,
                month=line.month,
                reason="paid_on_time",
                details="Payé par MoMo le jour de l'échéance (démo).",
            )
        bureau.give_consent(actor=user)
        ctx["scoring_tenant_side"] = str(user.phone)
        return

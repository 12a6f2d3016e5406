"""The score's life (docs/scoring.md « The rent score »).

    rescore(user_id, reason=)            one user, after an event (a Celery task runs it):
                                          features → the active model → stored, history kept when the
                                          score, band or model changed, the latest result cached in Redis
    rescore_all(today=, chunk=)          everyone, nightly (beat): features set-based per chunk, scored
                                          vectorised, rows written in bulk, only what changed
    get_score(user_id, viewer=, why=)    the cached result (else the stored one, else computed now);
                                          every read is logged in ScoreAccess (who, whose, why)

The score is a function of the facts (the modules' records), not a running total of events: an
event delivered twice cannot count twice. ProcessedEvent (services.scores.rescore_for_event)
also makes the second delivery do nothing at all.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from uuid import UUID, uuid4

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.utils import timezone, translation

from apps.core.bulk import update_rows
from apps.core.errors import Forbidden, NotFound
from apps.identity import api as identity

from ..contracts import Reason, ScoreBand, ScoreFeatures, ScoreInfo
from ..models import ProcessedEvent, Score, ScoreAccess, ScoreHistory
from . import model as scorecard
from .features import DEFAULT_CHUNK, features_for, features_for_all

LANGUAGES = ("fr", "en")
CACHE_VERSION = 1

# Why a score is read (ScoreAccess.why). "self": the user themselves; "staff": Hokwe's risk and
# compliance staff (the admin, a dispute); "screening": a landlord's report, after the applicant's
# consent by OTP (S4 checks it before calling); "lending": an emergency loan the user applied for;
# "system": the platform's own jobs (the bureau export, the fairness report).
WHY_SELF, WHY_STAFF, WHY_SCREENING, WHY_LENDING, WHY_SYSTEM = (
    "self",
    "staff",
    "screening",
    "lending",
    "system",
)
PURPOSES = (WHY_SELF, WHY_STAFF, WHY_SCREENING, WHY_LENDING, WHY_SYSTEM)


def cache_key(user_public_id) -> str:
    return f"scoring:score:v{CACHE_VERSION}:{user_public_id}"


def _cache_seconds() -> int:
    return int(getattr(settings, "SCORING_CACHE_SECONDS", 26 * 3600))


# ---------------------------------------------------------------------------------------------
# Results as stored rows and cached payloads


def _reasons_json(by_language: dict[str, tuple[Reason, ...]]) -> list[dict]:
    """[{code, direction, weight, text: {fr, en}}] from the same result in each language."""
    first = by_language[LANGUAGES[0]]
    return [
        {
            "code": r.code,
            "direction": r.direction,
            "weight": r.weight,
            "text": {lang: by_language[lang][i].text for lang in LANGUAGES},
        }
        for i, r in enumerate(first)
    ]


def _payload(
    user_public_id, *, score, band, reasons, features: dict, model_version, loyalty_tier, computed_at
) -> dict:
    return {
        "user": str(user_public_id),
        "score": score,
        "band": str(band),
        "reasons": reasons,
        "features": features,
        "model_version": model_version,
        "loyalty_tier": loyalty_tier,
        "computed_at": computed_at.isoformat(),
    }


def _row_payload(row: Score, user_public_id) -> dict:
    return _payload(
        user_public_id,
        score=row.score,
        band=row.band,
        reasons=row.reasons,
        features=row.features,
        model_version=row.model_version,
        loyalty_tier=row.loyalty_tier,
        computed_at=row.computed_at,
    )


def _info(payload: dict, language: str | None = None) -> ScoreInfo:
    lang = (language or translation.get_language() or "fr")[:2]
    lang = lang if lang in LANGUAGES else LANGUAGES[0]
    known = {f.name for f in dataclasses.fields(ScoreFeatures)}
    return ScoreInfo(
        user=UUID(payload["user"]),
        score=payload["score"],
        band=ScoreBand(payload["band"]),
        reasons=tuple(
            Reason(
                code=r["code"],
                direction=r["direction"],
                text=r["text"].get(lang) or r["text"].get(LANGUAGES[0], ""),
                weight=r["weight"],
            )
            for r in payload["reasons"]
        ),
        model_version=payload["model_version"],
        loyalty_tier=payload["loyalty_tier"],
        computed_at=payload["computed_at"],
        features=_features(payload["features"], known),
    )


_FEATURE_FIELDS = tuple(f.name for f in dataclasses.fields(ScoreFeatures))


def _features_json(features: ScoreFeatures) -> dict:
    """The features as stored (JSON): `extra` as [[variable, value], …], so that a row read back
    compares equal and an unchanged user costs no write."""
    out = {name: getattr(features, name) for name in _FEATURE_FIELDS}
    out["extra"] = [[name, value] for name, value in features.extra]
    return out


def _features(stored: dict, known: set) -> ScoreFeatures:
    """ScoreFeatures from a stored row or a cached payload (JSON: `extra` comes back as lists;
    rows stored before the feature sources have none)."""
    values = {k: v for k, v in stored.items() if k in known}
    values["extra"] = tuple((str(name), value) for name, value in values.get("extra") or ())
    return ScoreFeatures(**values)


def _score_batch(features: list[ScoreFeatures]):
    """(model, [(score, band, reasons json)], [loyalty tier]) for features, vectorised."""
    model = scorecard.active_model()
    by_language = {lang: scorecard.score_many(features, model=model, language=lang) for lang in LANGUAGES}
    tiers = scorecard.loyalty_tiers(features)
    results = []
    built: dict[tuple, list] = {}  # score_many shares one reasons tuple per group of alike rows
    for i in range(len(features)):
        first = by_language[LANGUAGES[0]][i]
        each = {lang: by_language[lang][i].reasons for lang in LANGUAGES}
        key = tuple(id(each[lang]) for lang in LANGUAGES)
        reasons = built.get(key)
        if reasons is None:
            reasons = built[key] = _reasons_json(each)
        results.append((first.score, first.band, reasons))
    return model, results, tiers


def _changed(old: Score | None, score, band, model_version) -> bool:
    return old is None or (old.score, old.band, old.model_version) != (score, str(band), model_version)


# ---------------------------------------------------------------------------------------------
# One user


def rescore(user_id, *, reason: str, today: date | None = None, language: str | None = None) -> ScoreInfo:
    """Compute one user's score now, store it, keep a history row when the score, band or model
    changed, and cache the result (after commit). `reason` says what triggered it."""
    return _info(_rescore(user_id, reason=reason, today=today), language)


def _rescore(user_id, *, reason: str, today: date | None = None) -> dict:
    public_id = UUID(str(user_id))
    internal = identity.user_ids([public_id]).get(public_id)
    if internal is None:
        raise NotFound()
    features = features_for([public_id], today=today)[public_id]
    model, [(score, band, reasons)], [tier] = _score_batch([features])
    now = timezone.now()
    values = {
        "score": score,
        "band": str(band),
        "reasons": reasons,
        "features": _features_json(features),
        "model_version": model.version,
        "loyalty_tier": tier,
        "computed_at": now,
    }
    with transaction.atomic():
        old = Score.objects.select_for_update().filter(user_id=internal).first()
        if _changed(old, score, band, model.version):
            ScoreHistory.objects.create(
                user_id=internal,
                score=score,
                band=str(band),
                reasons=reasons,
                model_version=model.version,
                trigger=reason[:80],
                computed_at=now,
            )
        if old is None:
            row = Score.objects.create(user_id=internal, **values)
        else:
            for field, value in values.items():
                setattr(old, field, value)
            old.save()
            row = old
        payload = _row_payload(row, public_id)
        transaction.on_commit(lambda: _cache_set(public_id, payload), robust=True)
    return payload


def _cache_set(public_id, payload: dict) -> None:
    cache.set(cache_key(public_id), payload, timeout=_cache_seconds())


def rescore_for_event(user_ids, *, event_id: str, event_name: str, reason: str = "") -> int:
    """Rescore the users an event touched, once per event: the event id is recorded with the
    rescore in one transaction, a second delivery finds it and changes nothing. Returns how
    many users were rescored (0 for a repeat)."""
    ids = list(dict.fromkeys(UUID(str(u)) for u in user_ids if u))
    internal = identity.user_ids(ids)
    ids = [u for u in ids if u in internal]
    with transaction.atomic():
        try:
            with transaction.atomic():
                ProcessedEvent.objects.create(
                    event_id=event_id,
                    name=event_name[:120],
                    user_id=internal[ids[0]] if len(ids) == 1 else None,
                )
        except IntegrityError:
            return 0
        for user in ids:
            rescore(user, reason=reason or event_name)
    return len(ids)


# ---------------------------------------------------------------------------------------------
# Everyone (nightly)


_SCORE_FIELDS = ("score", "band", "reasons", "features", "model_version", "loyalty_tier")
_HISTORY_FIELDS = ("user_id", "score", "band", "reasons", "model_version", "trigger", "computed_at")


def rescore_chunk(features_by_user: dict[UUID, ScoreFeatures], *, reason: str = "nightly") -> dict:
    """Score and store one chunk: the stored rows read in one query, new rows and history rows
    inserted in bulk (COPY on PostgreSQL), changed rows updated in one statement per batch
    (apps.core.bulk.update_rows), history rows for score/band/model changes, the cache
    refreshed for what changed. Returns counts."""
    publics = list(features_by_user)
    internal = _internal_ids(publics)
    publics = [u for u in publics if u in internal]
    features = [features_by_user[u] for u in publics]
    if not publics:
        return {"users": 0, "created": 0, "updated": 0, "history": 0}
    model, results, tiers = _score_batch(features)
    now = timezone.now()
    existing = {row.user_id: row for row in _stored([internal[u] for u in publics])}
    create, update, history, payloads = [], [], [], {}
    for public_id, feats, (score, band, reasons), tier in zip(publics, features, results, tiers, strict=True):
        uid = internal[public_id]
        values = {
            "score": score,
            "band": str(band),
            "reasons": reasons,
            "features": _features_json(feats),
            "model_version": model.version,
            "loyalty_tier": tier,
        }
        old = existing.get(uid)
        if _changed(old, score, band, model.version):
            history.append((uid, score, str(band), reasons, model.version, reason, now))
        if old is None:
            create.append((uid, values))
        elif any(getattr(old, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(old, k, v)
            old.computed_at = now
            old.updated_at = now
            update.append(old)
        else:
            continue
        payloads[cache_key(public_id)] = _payload(public_id, computed_at=now, **values)
    with transaction.atomic():
        _insert_scores(create, now)
        update_rows(Score, update, [*_SCORE_FIELDS, "computed_at", "updated_at"])
        _insert_history(history, now)
        if payloads:
            transaction.on_commit(lambda: cache.set_many(payloads, timeout=_cache_seconds()), robust=True)
    return {"users": len(publics), "created": len(create), "updated": len(update), "history": len(history)}


def _internal_ids(publics: list[UUID]) -> dict[UUID, int]:
    """The users' internal keys (identity.user_ids; on PostgreSQL the same read with the ids as
    one array parameter on the public ids' unique index, not an IN list of thousands of UUIDs)."""
    if connection.vendor != "postgresql":
        return identity.user_ids(publics)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT public_id, id FROM identity_user WHERE public_id = ANY(%s::uuid[])",
            ["{" + ",".join(str(u) for u in publics) + "}"],
        )
        return dict(cursor.fetchall())


def _stored(user_ids: list[int]):
    """The stored Score rows of these users (one query; an array parameter on PostgreSQL)."""
    if connection.vendor != "postgresql":
        return Score.objects.filter(user_id__in=user_ids)
    return Score.objects.filter(
        RawSQL('"scoring_score"."user_id" = ANY(%s)', (user_ids,), output_field=BooleanField())
    )


def _copy(table: str, columns: tuple[str, ...], rows) -> None:
    """COPY rows into `table` (PostgreSQL): JSON values given as their text."""
    quote = connection.ops.quote_name
    sql = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def _insert_scores(create: list[tuple[int, dict]], now) -> None:
    if not create:
        return
    if connection.vendor != "postgresql":
        Score.objects.bulk_create(
            [Score(user_id=uid, computed_at=now, **values) for uid, values in create], batch_size=2000
        )
        return
    _copy(
        Score._meta.db_table,
        ("public_id", "created_at", "updated_at", "user_id", *_SCORE_FIELDS, "computed_at"),
        (
            (
                uuid4(),
                now,
                now,
                uid,
                values["score"],
                values["band"],
                json.dumps(values["reasons"]),
                json.dumps(values["features"]),
                values["model_version"],
                values["loyalty_tier"],
                now,
            )
            for uid, values in create
        ),
    )


def _insert_history(history: list[tuple], now) -> None:
    if not history:
        return
    if connection.vendor != "postgresql":
        ScoreHistory.objects.bulk_create(
            [ScoreHistory(**dict(zip(_HISTORY_FIELDS, row, strict=True))) for row in history], batch_size=2000
        )
        return
    _copy(
        ScoreHistory._meta.db_table,
        ("public_id", "created_at", "updated_at", *_HISTORY_FIELDS),
        (
            (uuid4(), now, now, uid, score, band, json.dumps(reasons), version, trigger, computed_at)
            for uid, score, band, reasons, version, trigger, computed_at in history
        ),
    )


def rescore_all(today: date | None = None, chunk: int = DEFAULT_CHUNK) -> dict:
    """Every tenant's score, chunk by chunk (features_for_all): the nightly batch."""
    totals = {"users": 0, "created": 0, "updated": 0, "history": 0}
    for features_by_user in features_for_all(today or timezone.localdate(), chunk):
        for key, value in rescore_chunk(features_by_user).items():
            totals[key] += value
    return totals


# ---------------------------------------------------------------------------------------------
# Reading a score (logged)


def _viewer(viewer):
    """(internal id or None, label, is_staff, public id or None) of a user object, a UserInfo,
    a public id, or None (a platform job)."""
    if viewer is None:
        return None, "system", False, None
    if isinstance(viewer, (str, UUID)):
        viewer = identity.get_user(viewer)
    internal = getattr(viewer, "id", None) or getattr(viewer, "pk", None)
    label = getattr(viewer, "full_name", "") or str(getattr(viewer, "phone", "") or "")
    return internal, label[:150], bool(getattr(viewer, "is_staff", False)), getattr(viewer, "public_id", None)


def get_score(user_id, *, viewer, why: str, language: str | None = None) -> ScoreInfo:
    """The user's latest score (ScoreInfo, reasons in `language` or the active one), from the
    cache, else the stored row, else computed now. Every call is logged (who, whose, why).

    Who may read: the user themselves (why="self"), Hokwe staff (why="staff"), a platform job
    (viewer=None, why="system"), and a module acting on the user's consent (why="screening": S4
    checks the applicant's OTP consent before calling; why="lending": the user's own loan
    application). Anyone else: Forbidden, and the refusal is not logged as a read."""
    if why not in PURPOSES:
        raise ValueError(f"unknown purpose {why!r} (one of {', '.join(PURPOSES)})")
    public_id = UUID(str(user_id))
    subject = identity.user_ids([public_id]).get(public_id)
    if subject is None:
        raise NotFound()
    viewer_id, label, is_staff, viewer_public = _viewer(viewer)
    if why == WHY_SELF and (viewer_public is None or UUID(str(viewer_public)) != public_id):
        raise Forbidden()
    if why == WHY_STAFF and not is_staff:
        raise Forbidden()
    if why == WHY_SYSTEM and viewer is not None and not is_staff:
        raise Forbidden()
    ScoreAccess.objects.create(subject_id=subject, viewer_id=viewer_id, viewer_label=label, why=why)
    payload = cache.get(cache_key(public_id))
    if payload is None:
        row = Score.objects.filter(user_id=subject).first()
        if row is None:
            payload = _rescore(public_id, reason="first read")
        else:
            payload = _row_payload(row, public_id)
            _cache_set(public_id, payload)
    return _info(payload, language)


def history(user_id, *, limit: int = 36) -> list[ScoreHistory]:
    """The user's score history, oldest first (the last `limit` changes)."""
    public_id = UUID(str(user_id))
    rows = ScoreHistory.objects.filter(user__public_id=public_id).order_by("-computed_at", "-id")[:limit]
    return list(reversed(list(rows)))

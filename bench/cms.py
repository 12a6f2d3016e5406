"""HokweCMS benchmark (issue 24, "Performance"): the help search over --n articles (10,000 by
default; target p95 < 30 ms), against a baseline in the same run: the same queries as an
ILIKE scan of the folded title, keywords and body (what a search without the tsvector and
trigram indexes would do). Other sections (the vault's listing, the public home page) plug in
through SECTIONS (bench/cms_vault.py, bench/cms_sites.py register theirs when present).

    .venv/bin/python bench/cms.py                        # starts its own PostgreSQL + Redis
    DATABASE_URL=postgres://u@h:p/x REDIS_URL=redis://h:p/0 .venv/bin/python bench/cms.py
    .venv/bin/python bench/cms.py --n 2000 --runs 50     # quicker
    .venv/bin/python bench/cms.py --only help

With DATABASE_URL it creates (and drops) its own database `hokwe_bench_cms` on that server.

  data       --n live articles (half French, half English; four audiences and everyone's),
             titles, keywords and bodies drawn from a vocabulary of the help centre's words,
             the demo's twelve real articles among them; one bulk insert, then ANALYZE
  help       services.help.search: --runs queries (two or three words, a quarter with a typo,
             an audience half of the time, both locales): p50/p95 in ms, and which step answered
  baseline   the same queries as `ILIKE '%word%'` on every word over the folded text, ranked
             in SQL: p50/p95, and the ratio baseline p50 / search p50
Results go to var/bench-cms.json.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

BENCH_DB = "hokwe_bench_cms"
VERBOSE = False

# name -> measure(args) -> dict; other helpers' files add theirs (register_section)
SECTIONS: dict[str, Callable[[argparse.Namespace], dict]] = {}


def register_section(name: str, measure: Callable[[argparse.Namespace], dict]) -> None:
    """A bench section of cms (the vault's listing, the home page's requests/s): `measure(args)`
    returns its figures, printed and written with the help search's."""
    SECTIONS[name] = measure


WORDS_FR = (
    "payer loyer momo mobile money quittance recu paiement echoue lien sms compte numero telephone "
    "bail locataire proprietaire agence gestionnaire versement banque virement avis echeance relance "
    "caution depot garantie logement appartement chambre compteur electricite eau charges contrat "
    "resiliation preavis etat lieux reparation entretien plainte voisin retard penalite marchand guichet "
    "especes annuler operation remboursement facture abonnement tarif inscription connexion code securite"
).split()
WORDS_EN = (
    "pay rent momo mobile money receipt payment failed link sms account number phone lease tenant "
    "landlord agency manager payout bank transfer notice reminder deposit guarantee home flat room meter "
    "electricity water charges contract termination notice inspection repair maintenance complaint "
    "neighbour late penalty merchant counter cash cancel operation refund invoice subscription price"
).split()
AUDIENCES = ("everyone", "tenant", "landlord", "agency", "merchant")


def _log(*args) -> None:
    if VERBOSE:
        print(*args, flush=True)


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 1)
    return (
        word[:i] + word[i + 1 :] if rng.random() < 0.5 else word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    )


def generate(n: int, *, seed: int = 24) -> dict:
    """n live articles (plus the demo's), bulk-inserted with their derived search fields."""
    from django.db import connection, transaction
    from django.utils import timezone
    from wagtail.models import Locale

    from apps.cms.demo import seed_help
    from apps.cms.models import HelpArticle, HelpCategory

    rng = random.Random(seed)
    started = time.perf_counter()
    seed_help({})
    locales = {code: Locale.objects.get_or_create(language_code=code)[0] for code in ("fr", "en")}
    categories = {code: list(HelpCategory.objects.filter(locale=locale)) for code, locale in locales.items()}
    now = timezone.now()
    batch: list = []
    with transaction.atomic():
        for i in range(n):
            code = "fr" if i % 2 == 0 else "en"
            words = WORDS_FR if code == "fr" else WORDS_EN
            title = " ".join(rng.sample(words, rng.randint(4, 8))).capitalize()
            keywords = " ".join(rng.sample(words, 5))
            body = "".join(
                "<p>" + " ".join(rng.choice(words) for _ in range(rng.randint(20, 40))) + ".</p>"
                for _ in range(rng.randint(2, 5))
            )
            article = HelpArticle(
                locale=locales[code],
                category=rng.choice(categories[code]),
                audience=rng.choice(AUDIENCES),
                title=title,
                slug=f"bench-{i}",
                summary=title,
                keywords=keywords,
                body=body,
                position=rng.randint(1, 500),
                live=True,
                first_published_at=now,
                last_published_at=now,
            )
            article.derive(language=code)
            batch.append(article)
            if len(batch) >= 2000:
                HelpArticle.objects.bulk_create(batch)
                batch = []
        if batch:
            HelpArticle.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cms_helparticle")
    total = HelpArticle.objects.filter(live=True).count()
    return {"articles": total, "seconds": round(time.perf_counter() - started, 1)}


def queries(runs: int, *, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    out = []
    for _ in range(runs):
        locale = "fr" if rng.random() < 0.7 else "en"
        words = rng.sample(WORDS_FR if locale == "fr" else WORDS_EN, rng.randint(2, 3))
        if rng.random() < 0.25:
            words[0] = _typo(words[0], rng)
        out.append(
            {
                "text": " ".join(words),
                "locale": locale,
                "audience": rng.choice(AUDIENCES[1:]) if rng.random() < 0.5 else None,
            }
        )
    out[0] = {"text": "payer loyer momo", "locale": "fr", "audience": "tenant"}
    return out


def _pct(values: list[float]) -> dict:
    ordered = sorted(values)
    p95 = ordered[max(0, int(round(0.95 * len(ordered))) - 1)]
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(p95 * 1000, 2),
        "n": len(ordered),
    }


def _baseline(q: dict) -> list:
    from django.db import connection

    from apps.cms.models.help import fold

    words = [w for w in fold(q["text"]).split() if len(w) > 1]
    where = ["a.live", "a.language = %s"]
    params: list = [q["locale"]]
    if q["audience"]:
        where.append("a.audience IN (%s, 'everyone')")
        params.append(q["audience"])
    score = []
    for word in words:
        where.append("(a.search_terms ILIKE %s OR a.body_text ILIKE %s)")
        params += [f"%{word}%", f"%{word}%"]
    for word in words:
        score.append("(CASE WHEN a.search_terms ILIKE %s THEN 2 ELSE 1 END)")
        params.append(f"%{word}%")
    sql = (
        f"SELECT a.id, {' + '.join(score) or '0'} AS s FROM cms_helparticle a "
        f"WHERE {' AND '.join(where)} ORDER BY s DESC, a.position LIMIT 10"
    )
    # the score's params come after the WHERE's in the text: reorder
    n_where = 1 + (1 if q["audience"] else 0) + 2 * len(words)
    ordered = params[n_where:] + params[:n_where]
    with connection.cursor() as cursor:
        cursor.execute(sql, ordered)
        return cursor.fetchall()


def measure_help(n: int, runs: int, *, generate_data: bool = True) -> dict:
    from apps.cms.services import help as help_service

    out: dict = {}
    if generate_data:
        out["data"] = generate(n)
        _log(f"data      {out['data']['articles']:,} live articles in {out['data']['seconds']} s")
    qs = queries(runs)
    for q in qs[:5]:  # warm the caches and the plans
        help_service.search(q["text"], locale=q["locale"], audience=q["audience"])
    times, empty = [], 0
    for q in qs:
        started = time.perf_counter()
        hits = help_service.search(q["text"], locale=q["locale"], audience=q["audience"])
        times.append(time.perf_counter() - started)
        empty += not hits
    out["help"] = {**_pct(times), "no_result": empty}
    first = help_service.search("payer loyer momo", locale="fr", audience="tenant")
    out["help"]["momo_first"] = bool(first) and first[0].title == "Comment payer mon loyer par MoMo ?"
    base = []
    for q in qs:
        started = time.perf_counter()
        _baseline(q)
        base.append(time.perf_counter() - started)
    out["baseline"] = _pct(base)
    out["ratio"] = round(out["baseline"]["p50_ms"] / max(out["help"]["p50_ms"], 0.001), 1)
    _log(
        f"help      p50 {out['help']['p50_ms']} ms  p95 {out['help']['p95_ms']} ms  (target p95 < 30 ms; "
        f"{empty} of {runs} without a result)"
    )
    _log(
        f"baseline  p50 {out['baseline']['p50_ms']} ms  p95 {out['baseline']['p95_ms']} ms  (ILIKE scan)  ×{out['ratio']}"
    )
    return out


def _load_sections() -> None:
    """bench/cms_vault.py, bench/cms_sites.py (when present) call register_section."""
    for name in ("cms_vault", "cms_sites"):
        path = ROOT / "bench" / f"{name}.py"
        if path.is_file():
            spec = importlib.util.spec_from_file_location(name, path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            hook = getattr(module, "register", None)
            if callable(hook):
                hook(register_section)


register_section("help", lambda args: measure_help(args.n, args.runs))


def main() -> int:
    from _services import django_bench_database, peak_rss_mib

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=10_000, help="help articles")
    parser.add_argument("--runs", type=int, default=200, help="help searches measured")
    parser.add_argument("--only", action="append", help="run only these sections (help, vault, home…)")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    _load_sections()
    args, _ = parser.parse_known_args()
    global VERBOSE
    VERBOSE = True

    with django_bench_database("hokwe-bench-cms-", BENCH_DB, keep=args.keep):
        out: dict = {}
        for name, section in SECTIONS.items():
            if args.only and name not in args.only:
                continue
            _log(f"--- {name}")
            out[name] = section(args)
        out["machine"] = {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load": os.getloadavg(),
        }
        out["peak_rss_mib"] = peak_rss_mib()
        target = ROOT / "var" / "bench-cms.json"
        target.parent.mkdir(exist_ok=True)
        target.write_text(json.dumps(out, indent=2, default=str))
        _log(f"load {os.getloadavg()}  → {target}")
        return 0


if __name__ == "__main__":
    sys.exit(main())

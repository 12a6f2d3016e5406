"""HokweDoc benchmark (issue 24, Performance): the vault listing of one organization holding
--n documents (default 1,000,000), keyset pages against OFFSET pages in the same run.

    .venv/bin/python bench/cms_vault.py                      # starts its own PostgreSQL + Redis
    DATABASE_URL=postgres://u@h:p/x REDIS_URL=redis://h:p/0 .venv/bin/python bench/cms_vault.py
    .venv/bin/python bench/cms_vault.py --n 50000 --runs 100   # quicker

With DATABASE_URL it creates (and drops) its own database `hokwe_bench_cms_vault` there.
What it measures, in one process:

  data      --n documents of organization A (and --n / 10 of organization B, so A's listing
            reads an index shared with others), written by one INSERT … SELECT
            generate_series, then ANALYZE
  keyset    selectors.vault_page(selectors.vault_documents(owner), cursor=…): a page of 50
            after a cursor drawn uniformly over the whole vault (deep pages included), through
            the same code as REST/GraphQL/pages; --runs runs: p50/p95 in ms (target p95 < 50)
  search    the same with a query (« quittance B2 »: the GIN index on search_text)
  offset    the baseline: the same pages by OFFSET (`[offset:offset + 50]`); ratio = offset
            p50 / keyset p50
  plans     EXPLAIN (ANALYZE) of a deep keyset page and of the OFFSET one
Results go to var/bench-cms-vault.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
BENCH_DB = "hokwe_bench_cms_vault"
PAGE = 50


def _pct(values: list[float]) -> dict:
    values = sorted(values)
    return {
        "p50_ms": round(statistics.median(values), 2),
        "p95_ms": round(values[max(0, int(len(values) * 0.95) - 1)], 2),
        "runs": len(values),
    }


def generate(n: int) -> dict:
    from django.db import connection

    from tests.identity.factories import OrganizationFactory

    org_a = OrganizationFactory(name="Agence Bench A")
    org_b = OrganizationFactory(name="Agence Bench B")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for org, count in ((org_a, n), (org_b, max(1, n // 10))):
            cursor.execute(
                """
                INSERT INTO cms_vaultdocument (public_id, created_at, updated_at, organization_id, name,
                  kind, origin, metadata, size, content_type, checksum, source, source_id, storage_name,
                  key_id, wrapped_key, search_text)
                SELECT md5(%s || '-' || i)::uuid, now() - (i || ' seconds')::interval, now(), %s,
                  'Quittance ' || (i %% 12 + 1) || '/2026 · B' || (i %% 40),
                  (ARRAY['quittance','invoice','notice','owner_statement','upload'])[i %% 5 + 1],
                  'generated', jsonb_build_object('unit', 'B' || (i %% 40), 'n', i), 0,
                  'application/pdf', '', 'bench', %s || '-' || i, '', '', '',
                  'quittance ' || (i %% 12 + 1) || ' 2026 b' || (i %% 40)
                FROM generate_series(1, %s) AS i
                """,
                [str(org.pk), org.pk, str(org.pk), count],
            )
        cursor.execute("ANALYZE cms_vaultdocument")
    return {"org_a": org_a, "documents": n, "insert_s": round(time.perf_counter() - started, 1)}


def measure(n: int, runs: int, offset_runs: int) -> dict:
    from django.db import connection

    from apps.cms import selectors
    from apps.cms.services.vault import Owner

    data = generate(n)
    owner = Owner(organization_id=data["org_a"].pk)
    rng = random.Random(7)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT min(id), max(id) FROM cms_vaultdocument WHERE organization_id = %s",
            [owner.organization_id],
        )
        low, high = cursor.fetchone()

    def keyset(query: str = "") -> list[float]:
        timings = []
        for _ in range(runs):
            cursor = selectors.vault_cursor_encode(rng.randint(low + PAGE, high + 1))
            started = time.perf_counter()
            page, _next = selectors.vault_page(
                selectors.vault_documents(owner, query=query), cursor=cursor, limit=PAGE
            )
            timings.append((time.perf_counter() - started) * 1000)
            assert len(page) <= PAGE
        return timings

    def offset() -> list[float]:
        timings = []
        for _ in range(offset_runs):
            start = rng.randint(0, max(0, n - PAGE))
            started = time.perf_counter()
            rows = list(selectors.vault_documents(owner).prefetch_related("tags")[start : start + PAGE])
            timings.append((time.perf_counter() - started) * 1000)
            assert len(rows) <= PAGE
        return timings

    out = {"documents": n, "insert_s": data["insert_s"], "page": PAGE}
    out["keyset"] = _pct(keyset())
    out["search"] = _pct(keyset("quittance b2"))
    out["offset"] = _pct(offset())
    out["ratio_offset_over_keyset_p50"] = round(
        out["offset"]["p50_ms"] / max(out["keyset"]["p50_ms"], 0.01), 1
    )
    deep = selectors.vault_documents(owner).filter(id__lt=low + PAGE * 2)[:PAGE]
    shallow_offset = selectors.vault_documents(owner)[max(0, n - PAGE * 2) : n - PAGE]
    out["plans"] = {
        "keyset_deep": deep.explain(analyze=True),
        "offset_deep": shallow_offset.explain(analyze=True),
    }
    out["load_average"] = os.getloadavg()
    return out


def main() -> int:
    from _services import django_bench_database, peak_rss_mib

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=1_000_000, help="documents in organization A's vault")
    parser.add_argument("--runs", type=int, default=300, help="keyset pages (random depth)")
    parser.add_argument("--offset-runs", type=int, default=30, help="OFFSET pages (random depth)")
    parser.add_argument("--keep", action="store_true", help="keep the database (for EXPLAIN by hand)")
    args = parser.parse_args()

    with django_bench_database("hokwe-bench-cms-vault-", BENCH_DB, keep=args.keep):
        out = measure(args.n, args.runs, args.offset_runs)
        out["machine"] = {"python": platform.python_version(), "cpus": os.cpu_count()}
        out["peak_rss_mib"] = peak_rss_mib()
        print(f"vault listing, {out['documents']:,} documents in one organization (pages of {PAGE}):")
        for name in ("keyset", "search", "offset"):
            r = out[name]
            print(f"  {name:7} p50 {r['p50_ms']:8.2f} ms   p95 {r['p95_ms']:8.2f} ms   ({r['runs']} runs)")
        print(f"  OFFSET / keyset (p50): ×{out['ratio_offset_over_keyset_p50']}   target keyset p95 < 50 ms")
        print(f"  load average {out['load_average']}")
        print("  keyset plan:\n    " + out["plans"]["keyset_deep"].replace("\n", "\n    "))
        target = ROOT / "var" / "bench-cms-vault.json"
        target.parent.mkdir(exist_ok=True)
        target.write_text(json.dumps(out, indent=2, default=str))
        return 0


if __name__ == "__main__":
    sys.exit(main())

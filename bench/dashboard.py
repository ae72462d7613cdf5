"""Benchmark: the staff dashboard (/dashboard/) at the scale of a whole sub-district (issue 7).

    uv run python bench/dashboard.py --db sqlite
    uv run python bench/dashboard.py --db postgres      # database jinzang_bench

Uses the data of bench/pages.py (`manage.py seed_large`: 40,000 households, 100,000
residents, a year of requests, 30,000 visits, care records, 160 volunteer teams with a
year of weekly activities, a fund per compound with five years of entries), seeding it
when it is not there yet. The dashboard is rendered in this process with Django's test
client (production settings, DEBUG off) for an administrator (every community: the
worst case) and for the neighbourhood-committee staff of one community, `--runs` times
each after one warm-up request; it prints the median, the fastest and the slowest time
and the number of SQL queries, and writes them to bench/results/dashboard-<db>.json.
The target is well under 200 ms a page.
"""

import argparse
import json
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import pages  # noqa: E402 (bench/pages.py: the data and the settings)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--database-url", help="default: as bench/pages.py")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--reseed", action="store_true")
    pages.add_seed_arguments(parser)
    args = parser.parse_args(argv)
    pages.DATA.mkdir(parents=True, exist_ok=True)
    url = args.database_url or (
        pages.POSTGRES_URL if args.db == "postgres" else f"sqlite:///{pages.DATA / 'pages.sqlite3'}"
    )
    vendor = "postgresql" if url.startswith(("postgres", "pgsql")) else "sqlite"
    args.db = "postgres" if vendor == "postgresql" else "sqlite"
    if vendor == "postgresql":
        pages.create_postgres(url)
    os.environ.update(pages.environment(url, vendor))

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from residents.models import AccessGrant, Community, Household, Resident

    seed = pages.prepare_data(args, vendor)
    call_command("collectstatic", interactive=False, verbosity=0)
    admin = pages.admin_user()
    community = Community.objects.order_by("pk").first()
    staff, _new = get_user_model().objects.get_or_create(username="bench-staff")
    if not AccessGrant.objects.filter(user=staff).exists():
        AccessGrant.objects.create(
            user=staff,
            role=AccessGrant.Role.NEIGHBOURHOOD_STAFF,
            community=community,
            reason="bench",
        )
    results = {}
    for label, user in (("administrator (all communities)", admin), ("community staff", staff)):
        client = Client()
        client.force_login(user)
        client.get("/dashboard/")  # warm-up: templates, connection
        times = []
        for _run in range(args.runs):
            started = time.perf_counter()
            response = client.get("/dashboard/")
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
        with CaptureQueriesContext(connection) as queries:
            client.get("/dashboard/")
        results[label] = {
            "median_ms": round(statistics.median(times), 1),
            "min_ms": round(min(times), 1),
            "max_ms": round(max(times), 1),
            "queries": len(queries),
        }
    facts = {
        "database": vendor,
        "residents": Resident.objects.count(),
        "households": Household.objects.count(),
        "runs": args.runs,
        "load_average": os.getloadavg(),
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "seed": seed,
    }
    print(f"dashboard on {vendor}, {facts['residents']:,} residents, {args.runs} runs")
    print(f"{'user':<34} {'median ms':>10} {'min':>7} {'max':>7} {'queries':>8}")
    for label, r in results.items():
        print(
            f"{label:<34} {r['median_ms']:>10} {r['min_ms']:>7} {r['max_ms']:>7} {r['queries']:>8}"
        )
    pages.RESULTS.mkdir(parents=True, exist_ok=True)
    out = pages.RESULTS / f"dashboard-{args.db}.json"
    out.write_text(json.dumps({"facts": facts, "results": results}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: printing the access letters of a large compound, 1,000 letters (issue 20).

Builds, in a fresh database, one compound of 400 households (10 buildings, 4 units, 5
floors of 2 doors) with 1,000 residents aged 18 or over (2 or 3 a household, one in ten
of unknown age) and 100 children, who get no letter. Then, as the community's
neighbourhood-committee staff, prints the whole compound's letters `--runs` times through
the print page (a POST to `residents:letters_compound`, as staff do: the query of the
residents, 1,000 codes, the PDF, the printing, the revocations and the 1,000 letters written),
each printing revoking the one before. Each run reports its wall time, CPU time and SQL
queries; the process's peak resident memory (getrusage ru_maxrss) is reported at the end.
One more printing runs under tracemalloc for the peak of Python's own allocations (slower:
not timed).

Checks, outside the timings: the PDF has one page a letter, each page's code (read back
with pypdf) matches a stored digest, and the compound holds exactly 1,000 usable letters.

    uv run python bench/letters.py [--runs 3] [--paper A4|A5]
    uv run python bench/letters.py --database-url postgres://postgres@127.0.0.1:5432/jz_bench_letters

Targets: under 20 s and under 300 MB. Results go to bench/results/letters-<db>.json.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import re
import resource
import secrets
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
BUILDINGS, UNITS, FLOORS, DOORS = 10, 4, 5, 2
LETTERS = 1000
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何罗高林"
GIVEN = "建国秀英桂兰志强丽华明军红梅晓燕永福玉珍德胜海涛春花文斌"
TIME_TARGET_S, MEMORY_TARGET_MB = 20, 300


def setup_django(url: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "jinzang.settings"
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "False"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def build_compound():
    """The compound, its 1,000 adults and 100 children, and a staff user of its community."""
    import random

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from residents.models import (
        AccessGrant,
        Building,
        Community,
        Compound,
        Household,
        Membership,
        Resident,
        Unit,
    )

    rng = random.Random(20)
    community = Community.objects.create(name="金仓社区")
    compound = Compound.objects.create(community=community, name="大院小区")
    buildings = Building.objects.bulk_create(
        Building(compound=compound, number=str(b + 1), floors=FLOORS) for b in range(BUILDINGS)
    )
    units = Unit.objects.bulk_create(
        Unit(building=b, number=str(u + 1)) for b in buildings for u in range(UNITS)
    )
    households = Household.objects.bulk_create(
        Household(unit=u, door_number=f"{f + 1}{d + 1:02d}", area=70)
        for u in units
        for f in range(FLOORS)
        for d in range(DOORS)
    )
    year = timezone.localdate().year
    people, ties = [], []
    adults = 0
    for i, household in enumerate(households):
        for j in range(3 if i % 2 == 0 else 2):
            born = None if adults % 10 == 0 else rng.randint(1935, year - 18)
            people.append(
                Resident(
                    name=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                    birth_year=born,
                )
            )
            ties.append((household, "owner" if j == 0 else "family"))
            adults += 1
        if i % 4 == 0:
            people.append(Resident(name=rng.choice(SURNAMES) + "小宝", birth_year=year - 6))
            ties.append((household, "family"))
    assert adults == LETTERS, adults
    people = Resident.objects.bulk_create(people)
    Membership.objects.bulk_create(
        Membership(resident=p, household=h, relation=rel)
        for p, (h, rel) in zip(people, ties, strict=True)
    )
    user = get_user_model().objects.create(
        username="liaoshuying", first_name="书英", last_name="廖"
    )
    AccessGrant.objects.create(
        user=user, role=AccessGrant.Role.NEIGHBOURHOOD_STAFF, community=community, reason="bench"
    )
    return compound, user


def print_once(client, url, paper):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def cpu():
        r = resource.getrusage(resource.RUSAGE_SELF)
        return r.ru_utime + r.ru_stime

    data = {"purpose": "resident", "paper": paper, "valid_days": "60"}
    with CaptureQueriesContext(connection) as queries:
        start, start_cpu = time.perf_counter(), cpu()
        response = client.post(url, data, secure=True)  # DEBUG off: HTTPS only
        seconds, cpu_seconds = time.perf_counter() - start, cpu() - start_cpu
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf", (
        response.status_code,
        response.content[:500],
    )
    return response.content, seconds, cpu_seconds, len(queries)


def usable_digests(compound) -> set[str]:
    from residents.models import AccessLetter

    usable = AccessLetter.objects.usable().filter(household__unit__building__compound=compound)
    return set(usable.values_list("code_digest", flat=True))


def check(pdf: bytes, compound) -> dict:
    from pypdf import PdfReader

    from residents.accounts.codes import code_digest

    pages = PdfReader(io.BytesIO(pdf)).pages
    found = [
        re.findall(r"\b[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}\b", p.extract_text()) for p in pages
    ]
    stored = usable_digests(compound)
    return {
        "one_page_a_letter": len(pages) == LETTERS,
        "one_code_a_page": all(len(codes) == 1 for codes in found),
        "codes_match_their_digests": {code_digest(c[0]) for c in found if c} == stored,
        "usable_letters_1000": len(stored) == LETTERS,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--paper", choices=["A4", "A5"], default="A4")
    parser.add_argument("--database-url", help="PostgreSQL; a temporary SQLite file if absent")
    args = parser.parse_args(argv)

    folder = Path(tempfile.mkdtemp(prefix="jinzang-bench-letters-"))
    try:
        setup_django(args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}")
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.urls import reverse

        settings.ALLOWED_HOSTS = ["testserver"]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
                if cursor.fetchone()[0]:
                    sys.exit("the PostgreSQL database must be empty")
        call_command("migrate", interactive=False, verbosity=0)
        compound, user = build_compound()
        client = Client()
        client.force_login(user)
        url = reverse("residents:letters_compound", args=[compound.pk])
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        runs, pdf = [], b""
        for i in range(args.runs):
            load = os.getloadavg()
            pdf, seconds, cpu_seconds, queries = print_once(client, url, args.paper)
            runs.append(
                {
                    "wall_s": round(seconds, 2),
                    "cpu_s": round(cpu_seconds, 2),
                    "queries": queries,
                    "pdf_mb": round(len(pdf) / 1e6, 2),
                    "load_before": [round(x, 2) for x in load],
                }
            )
            print(f"run {i + 1}: {runs[-1]}", flush=True)
        peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        checks = check(pdf, compound)
        tracemalloc.start()
        print_once(client, url, args.paper)
        traced_peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        checks["usable_letters_after_traced_run"] = len(usable_digests(compound)) == LETTERS
        if connection.vendor == "postgresql":
            call_command("flush", interactive=False, verbosity=0)
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    median_s = statistics.median(r["wall_s"] for r in runs)
    summary = {
        "letters": LETTERS,
        "paper": args.paper,
        "database": connection.vendor,
        "median_wall_s": median_s,
        "median_cpu_s": statistics.median(r["cpu_s"] for r in runs),
        "peak_rss_mb": round(peak_rss, 1),
        "rss_before_printing_mb": round(rss_before, 1),
        "tracemalloc_peak_mb": round(traced_peak, 1),
        "runs": runs,
        "checks": checks,
        "within_targets": median_s < TIME_TARGET_S and peak_rss < MEMORY_TARGET_MB,
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"letters-{connection.vendor}.json"
    out.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    print(
        f"{LETTERS} letters ({args.paper}, {connection.vendor}): median {median_s} s "
        f"(CPU {summary['median_cpu_s']} s), {runs[0]['queries']} queries, "
        f"peak RSS {summary['peak_rss_mb']} MB (before printing {summary['rss_before_printing_mb']} MB), "
        f"tracemalloc peak {summary['tracemalloc_peak_mb']} MB"
    )
    passed = all(checks.values())
    print(f"checks: {'all passed' if passed else 'CHECK FAILED'} {checks}")
    print(
        f"targets (< {TIME_TARGET_S} s, < {MEMORY_TARGET_MB} MB): "
        f"{'met' if summary['within_targets'] else 'MISSED'}"
    )
    print(f"written to {out.relative_to(ROOT)}")
    return 0 if passed and summary["within_targets"] else 1


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: importing a register of 40,000 households and 100,000 residents (issue 8).

Writes one sheet (XLSX by default, or CSV) in the template's columns: 10 compounds of
50 buildings, 4 units a building, 10 floors of 2 doors a unit (40,000 households), and 2 or
3 residents a household (100,000 residents, each with a valid ID number and a phone).
Then, in a fresh process per run, on a fresh SQLite file (migrated, holding the 10 compounds
and their 500 buildings, as the import needs the buildings registered), as
neighbourhood-committee staff of the community:

1. the dry run (`register_import(write=False)`: read, check, compare, report);
2. the import (`register_import(write=True)`: all of that again inside one transaction,
   then the bulk writes with their history rows);
3. the dry run of the same sheet again, which must find every row unchanged.

Each run reports its wall times and its peak resident memory (getrusage ru_maxrss).
The figures are the median of `--runs` runs (default 3); the load average is printed
too, as the machine is shared.

    uv run python bench/import_register.py [--format xlsx|csv] [--runs 3] [--households 40000]

Results go to bench/results/import-register-<format>-<N>.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
COMPOUNDS, UNITS, FLOORS, DOORS = 10, 4, 10, 2
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何罗高林"
GIVEN = "建国秀英桂兰志强丽华明军红梅晓燕永福玉珍德胜海涛春花文斌"
RELATIONS = ("业主", "家庭成员", "家庭成员")


def id_number(n: int, year: int) -> str:
    from residents.validators import id_check_char

    # unique: n picks the region code (52xxxx) and the 3-digit serial
    first17 = f"52{n // 1000:04d}{year:04d}{1 + n % 12:02d}{1 + n % 28:02d}{n % 1000:03d}"
    return first17 + id_check_char(first17)


def rows(households: int):
    """The sheet's rows, header first: 2 or 3 residents a household, 2.5 on average."""
    from residents.imports.importer import COLUMNS

    rng = random.Random(8)
    yield [aliases[0] for aliases in COLUMNS.values()]
    per_compound = households // COMPOUNDS
    n = 0
    for h in range(households):
        c, rest = divmod(h, per_compound)
        b, rest = divmod(rest, UNITS * FLOORS * DOORS)
        u, rest = divmod(rest, FLOORS * DOORS)
        floor, door = divmod(rest, DOORS)
        place = [f"小区{c + 1:02d}", str(b + 1), str(u + 1), f"{floor + 1}{door + 1:02d}"]
        household = [f"{rng.uniform(48.5, 98):.2f}", "自住", "否", ""]
        for i in range(2 + h % 2):
            year = 1940 + n % 60
            n += 1
            name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
            yield (
                place
                + household
                + [
                    name,
                    RELATIONS[i],
                    "男女"[n % 2],
                    str(year),
                    f"13{n:09d}",
                    id_number(n, year),
                    "是" if n % 20 == 0 else "否",
                    "否",
                    "",
                ]
            )


def write_sheet(path: Path, households: int) -> None:
    if path.suffix == ".csv":
        with open(path, "w", encoding="utf-8-sig", newline="") as f:
            csv.writer(f).writerows(rows(households))
        return
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("register")
    for row in rows(households):
        sheet.append(row)
    book.save(path)


def setup_django(url: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "jinzang.settings"
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "False"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def one_run(sheet: Path, households: int) -> dict:
    """In this process: a fresh database, then dry run, import, dry run again."""
    import resource

    folder = Path(tempfile.mkdtemp(prefix="jinzang-bench-"))
    try:
        setup_django(f"sqlite:///{folder / 'bench.sqlite3'}")
        from django.contrib.auth import get_user_model
        from django.core.management import call_command

        from residents.imports.importer import register_import
        from residents.models import (
            AccessGrant,
            Building,
            Community,
            Compound,
            Household,
            Membership,
            Resident,
        )

        call_command("migrate", interactive=False, verbosity=0)
        community = Community.objects.create(name="金仓社区")
        for c in range(COMPOUNDS):
            compound = Compound.objects.create(community=community, name=f"小区{c + 1:02d}")
            Building.objects.bulk_create(
                Building(compound=compound, number=str(b + 1), floors=FLOORS)
                for b in range(-(-households // COMPOUNDS // (UNITS * FLOORS * DOORS)))
            )
        user = get_user_model().objects.create(username="liaoshuying")
        AccessGrant.objects.create(user=user, role="staff", community=community, reason="benchmark")

        def cpu():
            r = resource.getrusage(resource.RUSAGE_SELF)
            return r.ru_utime + r.ru_stime

        start, start_cpu = time.perf_counter(), cpu()
        dry = register_import(path=sheet, user=user)
        dry_s, dry_cpu = time.perf_counter() - start, cpu() - start_cpu
        start, start_cpu = time.perf_counter(), cpu()
        done = register_import(path=sheet, user=user, write=True)
        import_s, import_cpu = time.perf_counter() - start, cpu() - start_cpu
        start = time.perf_counter()
        again = register_import(path=sheet, user=user)
        again_s = time.perf_counter() - start
        counts = {
            "households": Household.objects.count(),
            "residents": Resident.objects.count(),
            "memberships": Membership.objects.count(),
            "household_history": Household.history.count(),
            "resident_history": Resident.history.filter(history_user=user).count(),
        }
        checks = {
            "dry_run_clean": dry.is_clean and dry.counts["create"] == dry.changes,
            "imported_everything": done.is_clean and counts["households"] == households,
            "reimport_changes_nothing": again.changes == 0 and again.is_clean,
            "history_names_the_importer": counts["resident_history"] == counts["residents"],
        }
        return {
            "dry_run_s": round(dry_s, 2),
            "import_s": round(import_s, 2),
            "reimport_dry_run_s": round(again_s, 2),
            "dry_run_cpu_s": round(dry_cpu, 2),
            "import_cpu_s": round(import_cpu, 2),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "counts": counts,
            "rows": sum(dry.counts.values()),
            "checks": checks,
        }
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--households", type=int, default=40_000)
    parser.add_argument("--once", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.households % COMPOUNDS:
        sys.exit("--households must be a multiple of 10")
    if args.once:
        print(json.dumps(one_run(Path(args.once), args.households)))
        return 0

    folder = Path(tempfile.mkdtemp(prefix="jinzang-sheet-"))
    try:
        sys.path.insert(0, str(ROOT))
        setup_django("sqlite://:memory:")
        sheet = folder / f"register.{args.format}"
        start = time.perf_counter()
        write_sheet(sheet, args.households)
        print(
            f"sheet: {sheet.stat().st_size / 1e6:.1f} MB {args.format}, "
            f"written in {time.perf_counter() - start:.1f} s"
        )
        runs = []
        for i in range(args.runs):
            load = os.getloadavg()
            out = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--once",
                    str(sheet),
                    "--households",
                    str(args.households),
                ],
                check=True,
                capture_output=True,
                text=True,
                cwd=ROOT,
            ).stdout
            run = json.loads(out.strip().splitlines()[-1])
            run["load_before"] = [round(x, 2) for x in load]
            runs.append(run)
            print(
                f"run {i + 1}: dry run {run['dry_run_s']} s, import {run['import_s']} s, "
                f"dry run again {run['reimport_dry_run_s']} s, peak RSS {run['peak_rss_mb']} MB, "
                f"CPU: dry run {run['dry_run_cpu_s']} s, import {run['import_cpu_s']} s, "
                f"load {run['load_before']}, checks {run['checks']}"
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    def median(key):
        return statistics.median(r[key] for r in runs)

    summary = {
        "format": args.format,
        "households": args.households,
        "rows": runs[0]["rows"],
        "counts": runs[0]["counts"],
        "median": {
            key: median(key)
            for key in (
                "dry_run_s",
                "import_s",
                "reimport_dry_run_s",
                "dry_run_cpu_s",
                "import_cpu_s",
                "peak_rss_mb",
            )
        },
        "runs": runs,
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "all_checks_passed": all(all(r["checks"].values()) for r in runs),
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"import-register-{args.format}-{args.households}.json"
    out.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    m = summary["median"]
    print(
        f"median of {len(runs)}: dry run {m['dry_run_s']} s, import {m['import_s']} s, "
        f"dry run again {m['reimport_dry_run_s']} s, peak RSS {m['peak_rss_mb']} MB"
    )
    print(f"checks: {'all passed' if summary['all_checks_passed'] else 'CHECK FAILED'}")
    print(f"written to {out.relative_to(ROOT)}")
    return 0 if summary["all_checks_passed"] else 1


if __name__ == "__main__":
    sys.exit(main())

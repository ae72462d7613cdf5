"""Benchmark: the consent tallies of a large renovation project (issue 5).

Builds a throw-away database holding one compound of N households (default
5,000) with their owners, a voluntary co-funding project covering every unit
(about 70% of households recorded) and a formal owners' decision (renovation,
Civil Code Art. 278) whose vote is opened with `vote_open` (the roll of N
households is frozen) and answered by about 80% of the owners. It then
measures, for `decision_tally`, `cofunding_progress` and `answer_counts` (in
meetings/projects/tally.py), the number of SQL queries and the wall time, and
does the same at N/10 to show that the number of queries does not grow with
the project.

Run from the project root; it is not a test and is run by hand:

    uv run python bench/tally.py [--households 5000] [--repeat 7]
    uv run python bench/tally.py --database-url postgres://postgres@127.0.0.1:5432/jinzang_bench

Without --database-url it uses a temporary SQLite file. A PostgreSQL database
is created when missing (an existing one must be empty) and dropped at the
end. The table is printed and written as JSON to
bench/results/tally-<sqlite|postgresql>-<N>.json.
"""

from __future__ import annotations

import argparse
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
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
TALLIES = ("decision_tally", "cofunding_progress", "answer_counts")

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何罗高林"
GIVEN = "建国秀英桂兰志强丽华明军红梅晓燕永福玉珍德胜海涛春花文斌"


# --- the throw-away database ------------------------------------------------------------


def _is_postgres(url: str) -> bool:
    return urlsplit(url).scheme in ("postgres", "postgresql", "pgsql", "psql")


def prepare_database(url: str | None):
    """Return (DATABASE_URL, cleanup) for a database the benchmark may fill and drop."""
    if url is None:
        folder = Path(tempfile.mkdtemp(prefix="jinzang-bench-"))
        return f"sqlite:///{folder / 'bench.sqlite3'}", lambda: shutil.rmtree(folder, True)
    parts = urlsplit(url)
    if parts.scheme.startswith("sqlite"):
        path = Path(unquote(parts.path))
        if path.exists():
            sys.exit(f"{path} exists; the benchmark needs a file it may create and delete.")
        return url, lambda: path.unlink(missing_ok=True)
    if not _is_postgres(url):
        sys.exit(f"unsupported database URL: {url}")
    return url, _create_postgres(url)


def _create_postgres(url: str):
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import make_conninfo

    name = unquote(urlsplit(url).path.lstrip("/"))
    if not name:
        sys.exit("name the database in --database-url, e.g. .../jinzang_bench")
    url = url.replace("postgres://", "postgresql://", 1) if url.startswith("postgres://") else url
    admin = make_conninfo(url, dbname="postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            with psycopg.connect(make_conninfo(url), autocommit=True) as db:
                (tables,) = db.execute(
                    "SELECT count(*) FROM information_schema.tables "
                    "WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
                ).fetchone()
            if tables:
                sys.exit(
                    f"database {name!r} exists and holds {tables} tables; the benchmark empties "
                    f"and drops its database, so give it a new name (or drop {name!r} first)."
                )
        else:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))

    def drop():
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )

    return drop


def setup_django(url: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "jinzang.settings"
    os.environ["DATABASE_URL"] = url
    # Production-like: without DEBUG, Django does not wrap every cursor to log its queries.
    os.environ["DEBUG"] = "False"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    sys.path.insert(0, str(ROOT))

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)


# --- the data ---------------------------------------------------------------------------


def _person(rng: random.Random):
    from residents.models import Resident

    return Resident(
        name=rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2)))),
        gender=rng.choice(Resident.Gender.values),
        birth_year=rng.randint(1935, 2005),
    )


def build(n: int, rng: random.Random) -> dict:
    """One compound of `n` households, its owners, and the two projects (bulk writes)."""
    from committees.models import Body
    from meetings.models import ConsentRecord, Project
    from residents.models import (
        Building,
        Community,
        Compound,
        Household,
        Membership,
        Resident,
        Unit,
    )
    from residents.owners.owners_vote import Matter

    started = time.perf_counter()
    community = Community.objects.create(
        name=f"基准社区 {n}", district="云岩区", sub_district="黔东街道"
    )
    compound = Compound.objects.create(community=community, name="基准小区", built="1990s")
    body = Body.objects.create(
        kind=Body.Kind.OWNERS, name="基准小区业主委员会", community=community, compound=compound
    )

    # Buildings of 3 or 4 units (stairwells), 6 or 7 floors, two doors a floor.
    plan, left, number = [], n, 0
    while left > 0:
        number += 1
        floors = rng.choice((6, 7))
        for unit_number in range(1, rng.choice((3, 4)) + 1):
            if left <= 0:
                break
            plan.append((number, floors, unit_number))
            left -= 2 * floors
    floors_of = {b: f for b, f, _u in plan}
    buildings = {
        b.number: b
        for b in Building.objects.bulk_create(
            Building(compound=compound, number=str(b), floors=f) for b, f in floors_of.items()
        )
    }
    units = Unit.objects.bulk_create(
        Unit(building=buildings[str(b)], number=str(u)) for b, _f, u in plan
    )

    Occ = Household.Occupancy
    households = []
    for unit, (_b, floors, _u) in zip(units, plan, strict=True):
        base = [rng.randint(4850, 9800) for _door in range(2)]  # cents of m², as the demo
        for floor in range(1, floors + 1):
            for position in (1, 2):
                if len(households) == n:
                    break
                cents = min(9800, max(4850, base[position - 1] + rng.randint(-80, 80)))
                roll = rng.random()
                unsold = roll < 0.01
                households.append(
                    Household(
                        unit=unit,
                        door_number=f"{floor}{position:02d}",
                        area=Decimal(cents).scaleb(-2),
                        developer_unsold=unsold,
                        occupancy=Occ.VACANT
                        if roll < 0.06
                        else Occ.RENTED
                        if roll < 0.20
                        else Occ.OWNER_OCCUPIED,
                    )
                )
    Household.objects.bulk_create(households)

    # Owners: ~1% of sold households with no owner on record, ~3% of owners hold 2 or 3
    # households, ~15% of households have a co-owner; plus family members and tenants.
    R = Membership.Relation
    residents, links = [], []

    def person():
        residents.append(_person(rng))
        return len(residents) - 1

    sold = [h for h in households if not h.developer_unsold]
    rng.shuffle(sold)
    i = 0
    while i < len(sold):
        draw = rng.random()
        if draw < 0.01:
            i += 1
            continue
        owner = person()
        held = rng.choice((2, 2, 3)) if draw < 0.04 else 1
        for h in sold[i : i + held]:
            links.append((owner, h, R.OWNER))
            if rng.random() < 0.15:
                links.append((person(), h, R.CO_OWNER))
        i += held
    for h in households:
        if h.occupancy == Occ.RENTED:
            links.append((person(), h, R.TENANT))
        elif h.occupancy == Occ.OWNER_OCCUPIED and rng.random() < 0.5:
            links.append((person(), h, R.FAMILY))
    Resident.objects.bulk_create(residents)
    Membership.objects.bulk_create(
        Membership(resident=residents[r], household=h, relation=rel) for r, h, rel in links
    )

    # The co-funding project: ~70% of households recorded.
    start = datetime(2025, 3, 1, 1, 0, tzinfo=UTC)
    C = ConsentRecord.Answer
    cofunding = Project.objects.create(
        name="基准：铸铁管更换（自筹）",
        body=body,
        consent_kind=Project.ConsentKind.COFUNDING,
        threshold=Decimal("0.800"),
        status=Project.Status.COLLECTING,
        starts_on=start.date(),
    )
    cofunding.units.set(units)
    records = []
    for h in households:
        if rng.random() >= 0.70:
            continue
        draw = rng.random()
        answer = C.AGREE if draw < 0.75 else C.DECLINE if draw < 0.85 else C.UNDECIDED
        agrees = answer == C.AGREE
        records.append(
            ConsentRecord(
                project=cofunding,
                household=h,
                answer=answer,
                contribution=Decimal(rng.randrange(80000, 300001, 5000)).scaleb(-2)
                if agrees
                else None,
                conditions="修复墙面" if agrees and rng.random() < 0.1 else "",
                channel=rng.choice(ConsentRecord.Channel.values),
                recorded_at=start + timedelta(days=rng.randrange(60), minutes=rng.randrange(600)),
            )
        )
    ConsentRecord.objects.bulk_create(records)

    decision = Project.objects.create(
        name="基准：楼栋改造（业主共同决定）",
        body=body,
        consent_kind=Project.ConsentKind.OWNERS_DECISION,
        matter=Matter.RENOVATE,
        starts_on=start.date(),
    )
    decision.units.set(units)
    return {
        "cofunding": cofunding,
        "decision": decision,
        "households": len(households),
        "residents": len(residents),
        "memberships": len(links),
        "buildings": len(buildings),
        "units": len(units),
        "cofunding_records": len(records),
        "setup_s": time.perf_counter() - started,
    }


def open_and_answer(decision, rng: random.Random) -> dict:
    """Open the vote (timed, once), then record answers for ~80% of the owners (bulk)."""
    from django.db import connection

    from meetings.models import ConsentRecord
    from meetings.projects.consent import vote_open
    from residents.models import OwnerRollEntry

    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        decision = vote_open(project=decision)
        elapsed = time.perf_counter() - started

    owners = defaultdict(list)
    for key, household_id in OwnerRollEntry.objects.filter(roll=decision.roll_id).values_list(
        "owner_key", "household_id"
    ):
        owners[key].append(household_id)
    C = ConsentRecord.Answer
    answers = {}
    for key in rng.sample(sorted(owners), round(0.8 * len(owners))):
        draw = rng.random()
        answers[key] = C.AGREE if draw < 0.80 else C.DISAGREE if draw < 0.92 else C.ABSTAIN
    recorded_at = datetime(2025, 4, 12, 2, 0, tzinfo=UTC)
    records = [
        ConsentRecord(
            project=decision,
            household_id=household_id,
            answer=answer,
            channel=ConsentRecord.Channel.MEETING,
            recorded_at=recorded_at,
        )
        for key, answer in answers.items()
        for household_id in owners[key]
    ]
    ConsentRecord.objects.bulk_create(records)
    return {
        "decision": decision,
        "answers": answers,
        "owners": len(owners),
        "decision_records": len(records),
        "vote_open": {"queries": queries, "ms": elapsed * 1000},
    }


# --- measuring --------------------------------------------------------------------------


def measure(function, project, repeat: int) -> dict:
    """Queries of one call (captured, which also warms up), then `repeat` timed calls."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        function(project)
    times = []
    for _run in range(repeat):
        started = time.perf_counter()
        function(project)
        times.append((time.perf_counter() - started) * 1000)
    return {
        "queries": len(captured.captured_queries),
        "median_ms": statistics.median(times),
        "min_ms": min(times),
        "max_ms": max(times),
        "runs_ms": times,
        "sql": [q["sql"] for q in captured.captured_queries],
    }


def check(estate: dict, voting: dict) -> list[str]:
    """Compare the database tallies with the same counts made in Python (untimed)."""
    from meetings.models import ConsentRecord
    from meetings.projects.tally import answer_counts, cofunding_progress, decision_tally
    from residents.owners.owners_vote import tally

    problems = []
    decision, cofunding = voting["decision"], estate["cofunding"]
    expected = tally(
        electorate=decision.roll.electorate(), answers=voting["answers"], matter=decision.matter
    )
    got = decision_tally(decision)
    for name in ("electorate", "participating", "agree", "disagree", "abstain"):
        if getattr(got, name) != getattr(expected, name):
            problems.append(
                f"decision_tally {name} is {getattr(got, name)}; counted in Python over the "
                f"roll (residents.owners.owners_vote.tally) it is {getattr(expected, name)}"
            )
    if (got.participation_reached, got.approved) != (
        expected.participation_reached,
        expected.approved,
    ):
        problems.append("decision_tally reaches another verdict than the count in Python")

    records = list(cofunding.consents.values_list("answer", "contribution"))
    progress = cofunding_progress(cofunding)
    units = [u for b in progress for u in b.units]
    got = (
        sum(u.households for u in units),
        sum(u.agree for u in units),
        sum(u.decline for u in units),
        sum(u.undecided for u in units),
        sum((u.pledged for u in units), Decimal(0)),
    )
    answered = Counter(a for a, _c in records)
    want = (
        estate["households"],
        answered["agree"],
        answered["decline"],
        answered["undecided"],
        sum((c for a, c in records if a == "agree"), Decimal(0)),
    )
    if got != want:
        problems.append(f"cofunding_progress totals {got} differ from the records' {want}")

    for project, missing in (
        (cofunding, ConsentRecord.Answer.NOT_REACHED),
        (decision, ConsentRecord.Answer.NOT_VOTED),
    ):
        want = Counter(project.consents.values_list("answer", flat=True))
        want[missing] += estate["households"] - want.total()
        want["total"] = estate["households"]
        if answer_counts(project) != dict(want):
            problems.append(f"answer_counts of the {project.consent_kind} project differs")
    return problems


def run_size(n: int, repeat: int, vendor: str) -> dict:
    from django.core.management import call_command
    from django.db import connection

    from meetings.projects import tally

    call_command("flush", interactive=False, verbosity=0)
    rng = random.Random(f"jinzang-bench:{n}")
    estate = build(n, rng)
    voting = open_and_answer(estate["decision"], rng)
    if vendor == "postgresql":
        # Fresh bulk loads have no planner statistics until autovacuum runs; give them.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    projects = {
        "decision_tally": voting["decision"],
        "cofunding_progress": estate["cofunding"],
        "answer_counts": estate["cofunding"],
    }
    tallies = {name: measure(getattr(tally, name), projects[name], repeat) for name in TALLIES}
    result = tally.decision_tally(voting["decision"])
    return {
        "households": estate["households"],
        "owners": voting["owners"],
        "buildings": estate["buildings"],
        "units": estate["units"],
        "residents": estate["residents"],
        "memberships": estate["memberships"],
        "cofunding_records": estate["cofunding_records"],
        "decision_records": voting["decision_records"],
        "setup_s": round(estate["setup_s"], 2),
        "vote_open": voting["vote_open"],
        "tallies": tallies,
        "verdict": {
            "passed": result.passed,
            "participation_owners": f"{float(result.participation_share[0]):.1%}",
            "participation_area": f"{float(result.participation_share[1]):.1%}",
            "agree_owners": f"{float(result.agree_share[0]):.1%}",
            "agree_area": f"{float(result.agree_share[1]):.1%}",
        },
        "problems": check(estate, voting),
    }


def machine() -> dict:
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "platform": platform.platform(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
    }


def commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        return ""


def database_info() -> dict:
    import django
    from django.db import connection

    connection.ensure_connection()
    if connection.vendor == "postgresql":
        version = connection.cursor().connection.info.server_version
        version = f"PostgreSQL {version // 10000}.{version % 10000}"
    else:
        import sqlite3

        version = f"SQLite {sqlite3.sqlite_version}"
    return {"vendor": connection.vendor, "version": version, "django": django.get_version()}


def print_table(report: dict) -> None:
    db = report["database"]
    print(
        f"\nJinzang tally benchmark · {db['version']} · Django {db['django']} · "
        f"{report['machine']['cores']} cores · repeat {report['repeat']} · {report['date']}"
        f" · commit {report['commit']}"
    )
    for size in report["sizes"]:
        print(
            f"  {size['households']:,} households, {size['owners']:,} owners on the roll, "
            f"{size['cofunding_records']:,} + {size['decision_records']:,} records, "
            f"set up in {size['setup_s']} s; verdict: "
            + ("passes" if size["verdict"]["passed"] else "fails")
            + " ({participation_area} of area, {participation_owners} of owners took part; "
            "{agree_area} / {agree_owners} agree)".format(**size["verdict"])
        )
    header = f"{'':<20}{'households':>11}{'queries':>9}{'median ms':>11}{'min ms':>9}{'max ms':>9}"
    print("\n" + header + "\n" + "-" * len(header))
    for name in TALLIES:
        for size in report["sizes"]:
            t = size["tallies"][name]
            print(
                f"{name:<20}{size['households']:>11,}{t['queries']:>9}"
                f"{t['median_ms']:>11.1f}{t['min_ms']:>9.1f}{t['max_ms']:>9.1f}"
            )
    for size in report["sizes"]:
        v = size["vote_open"]
        print(f"{'vote_open (once)':<20}{size['households']:>11,}{v['queries']:>9}{v['ms']:>11.1f}")
    print(
        "\nqueries independent of the number of households: "
        + ("yes" if report["constant_queries"] else "NO")
    )
    for size in report["sizes"]:
        for problem in size["problems"]:
            print(f"CHECK FAILED at {size['households']:,} households: {problem}")


def write_json(report: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"tally-{report['database']['vendor']}-{report['households']}.json"
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n")
    tmp.replace(path)
    return path


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, default=5000, help="default 5000")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per tally (default 7)")
    parser.add_argument(
        "--database-url",
        help="a throw-away database, e.g. postgres://postgres@127.0.0.1:5432/jinzang_bench "
        "(default: a temporary SQLite file)",
    )
    args = parser.parse_args(argv)
    if args.households < 10 or args.repeat < 1:
        parser.error("--households must be at least 10 and --repeat at least 1")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    url, cleanup = prepare_database(args.database_url)
    try:
        setup_django(url)
        info = database_info()
        sizes = [
            run_size(n, args.repeat, info["vendor"])
            for n in (args.households // 10, args.households)
        ]
        report = {
            "benchmark": "tally",
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "commit": commit(),
            "households": args.households,
            "repeat": args.repeat,
            "machine": machine(),
            "database": info,
            "constant_queries": all(
                len({s["tallies"][name]["queries"] for s in sizes}) == 1 for name in TALLIES
            ),
            "sizes": sizes,
        }
        print_table(report)
        print(f"\nwritten to {write_json(report).relative_to(ROOT)}")
        ok = report["constant_queries"] and not any(s["problems"] for s in sizes)
        return 0 if ok else 1
    finally:
        if "django.db" in sys.modules:
            from django.db import connections

            connections.close_all()
        cleanup()


if __name__ == "__main__":
    sys.exit(main())

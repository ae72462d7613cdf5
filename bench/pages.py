"""Benchmark: Jinzang's pages served by gunicorn at the scale of a whole sub-district (issue 9).

One command, run by hand from the project root:

    uv run python bench/pages.py --db sqlite
    uv run python bench/pages.py --db postgres      # database jinzang_bench on 127.0.0.1:5432

It fills a database with `manage.py seed_large` (40,000 households, 100,000
residents, 5 years of meetings, 200 projects; the database is kept and reused
while the seed's options and code are unchanged), serves the site with
gunicorn on 127.0.0.1 with production settings (DEBUG off, persistent
connections), logs in through the login form as an administrator, and drives
each page with wrk for a fixed time: the bare view (the limit), the Django
admin's changelist of residents (what a user would pick instead), and our
pages. SQL queries per request are counted in this process with Django's test
client. It prints a table and writes it as JSON to bench/results/pages-<db>.json.

Adding a page is one line in PAGES below; a page whose URL does not resolve yet
is skipped.
"""

from __future__ import annotations

import argparse
import hashlib
import http.cookiejar
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"  # gitignored: the SQLite file, static files, seed markers
RESULTS = ROOT / "bench" / "results"
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/jinzang_bench"
USERNAME, PASSWORD = "bench-admin", "bench-admin-password"


@dataclass
class Page:
    name: str
    label: str
    path: str  # formatted with the sample objects found in the data (see samples())
    share: float | None = None  # target throughput as a share of the bare view


# The pages measured, in order. `share` is issue 9's target against the bare view;
# every page must also reach 5x the admin changelist and a p95 under 50 ms.
PAGES = [
    Page("bare", "the limit: bare view (session only)", "/bench/bare/"),
    Page("admin", "Django admin: residents changelist", "/admin/residents/resident/"),
    Page("residents", "resident list, first page", "/residents/", 0.50),
    Page("residents_deep", "resident list, deep page", "/residents/?after={deep_resident}", 0.50),
    Page("search_phone", "search by phone tail", "/residents/?q={phone_tail}", 0.50),
    Page("search_name", "search by name", "/residents/?q={name}", 0.50),
    Page("household", "household page", "/households/{household}/", 0.50),
    Page("grid", "consent grid of a building", "/projects/{project}/buildings/{building}/", 0.25),
    Page("tally", "project page, 5,000-household tally", "/projects/{project}/", 0.25),
    Page("dashboard", "dashboard", "/dashboard/", 0.25),
    Page("notices", "public notices", "/notices/"),
]
BASELINES = ("bare", "admin")


# --- the database ------------------------------------------------------------------------


def add_seed_arguments(parser) -> None:
    """The options of `manage.py seed_large` that make the data (seed_options), the same
    for every benchmark that seeds them (pages.py, browse.py, dashboard.py)."""
    seed = parser.add_argument_group("data (manage.py seed_large)")
    seed.add_argument("--households", type=int, default=40_000)
    seed.add_argument("--residents", type=int, default=100_000)
    seed.add_argument("--years", type=int, default=5)
    seed.add_argument("--projects", type=int, default=200)
    seed.add_argument("--large-project", type=int, default=5_000)
    seed.add_argument("--seed", type=int, default=9)


def seed_options(args) -> dict:
    return {
        "households": args.households,
        "residents": args.residents,
        "years": args.years,
        "projects": args.projects,
        "large_project": args.large_project,
        "seed": args.seed,
    }


def seed_marker(options: dict) -> dict:
    """What the data were made from: the options and the code of seed_large (the command
    and its generator)."""
    code = b"".join(
        (ROOT / path).read_bytes()
        for path in ("jinzang/management/commands/seed_large.py", "jinzang/demo/large.py")
    )
    return {**options, "seed_large": hashlib.sha256(code).hexdigest()[:16]}


def environment(url: str, vendor: str) -> dict:
    """Production settings, plus the bench page, for this process and for gunicorn."""
    return {
        "DJANGO_SETTINGS_MODULE": "jinzang.settings",
        "DATABASE_URL": url,
        "DEBUG": "False",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_COOKIES": "False",  # plain HTTP on 127.0.0.1
        "SECURE_SSL_REDIRECT": "False",
        "SECURE_HSTS_SECONDS": "0",
        "CONN_MAX_AGE": "600",
        "STATIC_ROOT": str(DATA / "static"),
        "BENCH": "True",
        "LOG_LEVEL": "ERROR",
        "PAGE_CACHE_SECONDS": os.environ.get("PAGE_CACHE_SECONDS", "60"),
    }


def create_postgres(url: str) -> None:
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import make_conninfo

    name = urllib.parse.unquote(urllib.parse.urlsplit(url).path.lstrip("/"))
    url = url.replace("postgres://", "postgresql://", 1)
    with psycopg.connect(make_conninfo(url, dbname="postgres"), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def prepare_data(args, vendor: str) -> dict:
    """Migrate, then seed unless the same seed is already there. Returns seed facts."""
    from django.core.management import call_command
    from django.db import connection

    from residents.models import Household, Resident

    call_command("migrate", interactive=False, verbosity=0)
    options = seed_options(args)
    marker_file = DATA / f"seed-{vendor}.json"
    wanted = {**seed_marker(options), "database": os.environ["DATABASE_URL"]}
    found = json.loads(marker_file.read_text()) if marker_file.exists() else None
    seeded = (
        found is not None
        and {k: v for k, v in found.items() if k != "seconds"} == wanted
        and Resident.objects.count() == options["residents"]
        and Household.objects.count() == options["households"]
    )
    if seeded and not args.reseed:
        print(f"reusing the data seeded in {found['seconds']} s ({marker_file.name})")
        return {"reused": True, "seconds": found["seconds"]}
    if Resident.objects.exists() and found is None and not args.reseed:
        sys.exit(
            "this database holds a register that the benchmark did not seed; "
            "pass --reseed to empty it (every row is deleted)"
        )
    marker_file.unlink(missing_ok=True)
    call_command("flush", interactive=False, verbosity=0)
    print("seeding: " + ", ".join(f"{k}={v:,}" for k, v in options.items()), flush=True)
    started = time.monotonic()
    call_command("seed_large", **options, verbosity=1)
    seconds = round(time.monotonic() - started, 1)
    if vendor == "postgresql":
        # A fresh bulk load has no planner statistics until autovacuum comes by.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    marker_file.write_text(json.dumps({**wanted, "seconds": seconds}, indent=2) + "\n")
    return {"reused": False, "seconds": seconds}


def admin_user():
    from django.contrib.auth import get_user_model

    User = get_user_model()
    user = User.objects.filter(username=USERNAME).first()
    if user is None:
        user = User.objects.create_superuser(USERNAME, "", PASSWORD)
    return user


def samples() -> dict:
    """The objects the pages are asked about: deep in the lists, in the largest project."""
    from django.db.models import Count

    from meetings.models import Project
    from residents.models import Building, Household, Resident

    residents = Resident.objects.order_by("name", "pk")
    n = residents.count()
    with_phone = Resident.objects.exclude(phone="").order_by("pk")
    project = Project.objects.annotate(n=Count("units__households")).order_by("-n", "pk").first()
    building = (
        Building.objects.filter(units__projects=project)
        .annotate(n=Count("units__households", distinct=True))
        .order_by("-n", "pk")
        .first()
    )
    return {
        "deep_resident": residents.values_list("pk", flat=True)[n // 2],
        "phone_tail": with_phone.values_list("phone", flat=True)[n // 3][-4:],
        "name": urllib.parse.quote(residents.values_list("name", flat=True)[n // 4]),
        "household": Household.objects.order_by("pk").values_list("pk", flat=True)[
            Household.objects.count() // 2
        ],
        "project": project.pk,
        "project_households": project.n,
        "building": building.pk,
        "building_households": building.n,
    }


def resolves(path: str) -> bool:
    from django.urls import Resolver404, resolve

    try:
        resolve(urllib.parse.urlsplit(path).path)
    except Resolver404:
        return False
    return True


def count_queries(user, pages: list[Page], sample: dict) -> dict[str, dict]:
    """SQL queries of a request to each page: the first after a warm-up ("render"), then
    the next ("queries"). They were apart while a page cache kept whole pages; since its
    removal (issue 22) they are the same."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    counts = {}
    for page in pages:
        path = page.path.format(**sample)
        client.get(path)  # warm: the project page's own figures cache, the language
        with CaptureQueriesContext(connection) as rendered:
            client.get(path)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        counts[page.name] = {
            "status": response.status_code,
            "queries": len(captured.captured_queries),
            "queries_rendered": len(rendered.captured_queries),
            "bytes": len(response.content),
            "sql": [q["sql"] for q in rendered.captured_queries],
        }
    return counts


# --- serving and loading -----------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(env: dict, port: int, workers: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "jinzang.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-tmp-dir",
            "/dev/shm" if Path("/dev/shm").is_dir() else "/tmp",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2)
            return server
        except OSError:
            if server.poll() is not None:
                sys.exit("gunicorn stopped; see its messages above")
            time.sleep(0.3)
    server.terminate()
    sys.exit("gunicorn did not answer within 30 s")


def workers_of(server: subprocess.Popen) -> list[int]:
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def memory_kb(pid: int) -> dict[str, int]:
    """Resident set size now and at its peak (VmRSS, VmHWM), in kB."""
    figures = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            figures[key] = int(value.split()[0])
    return figures


def log_in(base: str) -> str:
    """Log in through the real login form; return the Cookie header of the session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(f"{base}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": USERNAME, "password": PASSWORD}
    ).encode()
    opener.open(
        urllib.request.Request(
            f"{base}/accounts/login/", data=data, headers={"Referer": f"{base}/accounts/login/"}
        )
    )
    cookies = {c.name: c.value for c in jar}
    if "sessionid" not in cookies:
        sys.exit("logging in through the login form failed")
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def fetch(url: str, cookie: str) -> int:
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    try:
        with urllib.request.urlopen(request) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def load(url: str, cookie: str, args) -> dict:
    """Drive `url` with wrk for the configured time; figures from bench/wrk.lua."""
    result = subprocess.run(
        [
            "wrk",
            f"-t{args.threads}",
            f"-c{args.connections}",
            f"-d{args.duration}s",
            "--timeout",
            "10s",
            "-s",
            str(ROOT / "bench" / "wrk.lua"),
            url,
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "BENCH_COOKIE": cookie},
    )
    line = next((s for s in result.stdout.splitlines() if s.startswith("BENCH ")), None)
    if line is None:
        sys.exit(f"wrk failed on {url}:\n{result.stdout}\n{result.stderr}")
    figures = json.loads(line[len("BENCH ") :])
    return {
        "rps": figures["requests"] / (figures["duration_us"] / 1e6),
        "p50_ms": figures["p50_us"] / 1000,
        "p95_ms": figures["p95_us"] / 1000,
        "p99_ms": figures["p99_us"] / 1000,
        "max_ms": figures["max_us"] / 1000,
        "requests": figures["requests"],
        "errors": figures["non2xx"] + figures["socket_errors"],
    }


# --- the report --------------------------------------------------------------------------


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
        "load_average": os.getloadavg(),
    }


def database_info() -> dict:
    import django
    from django.db import connection

    connection.ensure_connection()
    if connection.vendor == "postgresql":
        v = connection.connection.info.server_version
        version = f"PostgreSQL {v // 10000}.{v % 10000}"
    else:
        import sqlite3

        version = f"SQLite {sqlite3.sqlite_version}"
    return {"vendor": connection.vendor, "version": version, "django": django.get_version()}


def verdicts(report: dict) -> None:
    """Set each page's ratios and whether it meets issue 9's targets."""
    results = report["pages"]
    bare, admin = report["bare_rps"], results["admin"]["rps"]
    for name, r in results.items():
        r["x_bare"] = r["rps"] / bare
        r["x_admin"] = r["rps"] / admin
        if name in BASELINES:
            r["meets_targets"] = None
            continue
        share = r["share_target"]
        r["meets_targets"] = (
            (share is None or r["x_bare"] >= share)
            and r["x_admin"] >= 5
            and r["p95_ms"] < 50
            and r["errors"] == 0
        )


def print_table(report: dict) -> None:
    db, m = report["database"], report["machine"]
    caching = f"{report['page_cache_seconds']} s" if report["page_cache_seconds"] else "off"
    print(
        f"\nJinzang pages · {db['version']} · Django {db['django']} · gunicorn "
        f"{report['workers']} sync workers · page cache {caching} · "
        f"wrk {report['threads']} threads, "
        f"{report['connections']} connections, {report['duration_s']} s a page · "
        f"{m['cores']} cores · commit {report['commit']} · {report['date']}"
    )
    s = report["sample"]
    print(
        f"data: {report['seed']['households']:,} households, {report['seed']['residents']:,} "
        f"residents; project of {s['project_households']:,} households, its grid building of "
        f"{s['building_households']} households; seeded in {report['seed_seconds']} s"
    )
    header = (
        f"{'page':<38}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'queries':>8}{'render':>7}"
        f"{'x bare':>8}{'x admin':>8}{'target':>8}  ok"
    )
    print("\n" + header + "\n" + "-" * len(header))
    for page in PAGES:
        r = report["pages"].get(page.name)
        if r is None:
            continue
        target = f"{r['share_target']:.0%}" if r["share_target"] else ""
        ok = {None: "", True: "yes", False: "NO"}[r["meets_targets"]]
        print(
            f"{page.label:<38}{r['rps']:>8.0f}{r['p50_ms']:>8.1f}{r['p95_ms']:>8.1f}"
            f"{r['queries']:>8}{r['queries_rendered']:>7}{r['x_bare']:>8.0%}"
            f"{r['x_admin']:>7.1f}x{target:>8}  {ok}"
        )
    rss = report["worker_rss_kb"]
    print(
        f"\nbare view: {report['bare_rps_runs'][0]:.0f} req/s before the pages and "
        f"{report['bare_rps_runs'][1]:.0f} after; ratios use their mean."
        f"\nworker RSS after the run: {max(w['VmRSS'] for w in rss) / 1024:.0f} MB "
        f"(peak {max(w['VmHWM'] for w in rss) / 1024:.0f} MB; target under 150 MB)"
    )
    if report["skipped"]:
        print("skipped (URL does not resolve yet): " + ", ".join(report["skipped"]))


def commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        return ""


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument(
        "--database-url",
        help=f"default: bench/data/pages.sqlite3, or {POSTGRES_URL} with --db postgres",
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds of load a page")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--only", help="comma-separated page names (the baselines always run)")
    parser.add_argument("--reseed", action="store_true", help="empty the database and seed again")
    parser.add_argument(
        "--no-page-cache",
        action="store_true",
        help="render every request (PAGE_CACHE_SECONDS=0); results go to pages-<db>-rendered.json",
    )
    add_seed_arguments(parser)
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk")
    DATA.mkdir(parents=True, exist_ok=True)
    if args.database_url:
        url = args.database_url
    elif args.db == "postgres":
        url = POSTGRES_URL
    else:
        url = f"sqlite:///{DATA / 'pages.sqlite3'}"
    vendor = "postgresql" if url.startswith(("postgres", "pgsql")) else "sqlite"
    if vendor == "postgresql":
        create_postgres(url)
    if args.no_page_cache:
        os.environ["PAGE_CACHE_SECONDS"] = "0"
    env = environment(url, vendor)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))

    import django
    from django.core.management import call_command

    django.setup()
    seed = prepare_data(args, vendor)
    call_command("collectstatic", interactive=False, verbosity=0)
    user = admin_user()
    sample = samples()
    wanted = set(args.only.split(",")) if args.only else None
    pages = [p for p in PAGES if wanted is None or p.name in wanted or p.name in BASELINES]
    skipped = [p.name for p in pages if not resolves(p.path.format(**sample))]
    pages = [p for p in pages if p.name not in skipped]
    queries = count_queries(user, pages, sample)
    bad = {name: q["status"] for name, q in queries.items() if q["status"] != 200}
    if bad:
        sys.exit(f"pages that do not answer 200: {bad}")

    from django.db import connections

    connections.close_all()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(env, port, args.workers)
    try:
        cookie = log_in(base)
        results, bare_runs = {}, []
        for page in [*pages, pages[0]]:  # the bare view again at the end
            url = base + page.path.format(**sample)
            for _warm in range(3):
                status = fetch(url, cookie)
            if status != 200:
                sys.exit(f"{page.name} answered {status} through gunicorn")
            print(f"  {page.name:<16} {url}", flush=True)
            figures = load(url, cookie, args)
            if page.name == "bare":
                bare_runs.append(figures["rps"])
                if len(bare_runs) == 2:
                    break
            results[page.name] = {
                **figures,
                "label": page.label,
                "path": page.path.format(**sample),
                "share_target": page.share,
                "queries": queries[page.name]["queries"],
                "queries_rendered": queries[page.name]["queries_rendered"],
                "bytes": queries[page.name]["bytes"],
            }
        rss = [{"pid": pid, **memory_kb(pid)} for pid in workers_of(server)]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    report = {
        "benchmark": "pages",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": commit(),
        "machine": machine(),
        "database": database_info(),
        "seed": seed_options(args),
        "seed_seconds": seed["seconds"],
        "seed_reused": seed["reused"],
        "sample": sample,
        "workers": args.workers,
        "threads": args.threads,
        "connections": args.connections,
        "duration_s": args.duration,
        "page_cache_seconds": int(env["PAGE_CACHE_SECONDS"]),
        "bare_rps_runs": bare_runs,
        "bare_rps": sum(bare_runs) / len(bare_runs),
        "worker_rss_kb": rss,
        "skipped": skipped,
        "pages": results,
        "sql": {name: q["sql"] for name, q in queries.items()},
    }
    results["bare"]["rps"] = report["bare_rps"]
    verdicts(report)
    print_table(report)
    RESULTS.mkdir(parents=True, exist_ok=True)
    suffix = "-rendered" if args.no_page_cache else ""
    path = RESULTS / f"pages-{report['database']['vendor']}{suffix}.json"
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n")
    print(f"\nwritten to {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

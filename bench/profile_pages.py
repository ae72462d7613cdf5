"""Where a page's time goes: each page of bench/browse.py rendered in this process at
random objects, with the page cache off, timed and profiled with cProfile.

    uv run python bench/profile_pages.py --database-url sqlite:////tmp/big.sqlite3
    uv run python bench/profile_pages.py --database-url ... --only household --top 40

For each page: the median time of a render (`--renders` random objects after a
warm-up), its queries, and the functions with the most cumulative time in Jinzang's
code and in Django's (template rendering, SQL compiling, executing), so that a page's
time can be split into SQL run, SQL built, templates and the rest.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import browse  # noqa: E402
import pages  # noqa: E402

# Django's functions whose cumulative time says where a page's time goes.
BUCKETS = {
    "SQL executed": ("execute", "django/db/backends/utils.py"),
    "SQL compiled": ("as_sql", "django/db/models/sql/compiler.py"),
    "rows to objects": ("__iter__", "django/db/models/query.py"),
    "templates": ("render", "django/template/base.py"),
}


def bucket_times(stats: pstats.Stats) -> dict[str, float]:
    """Cumulative seconds of the outermost call of each bucket's function."""
    found = {}
    for (filename, _line, function), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():
        for name, (fn, path) in BUCKETS.items():
            if function == fn and filename.endswith(path):
                found[name] = max(found.get(name, 0), ct)
    return found


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--only", help="comma-separated page names")
    parser.add_argument("--renders", type=int, default=30)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--user", default=pages.USERNAME, help="who browses (default: admin)")
    parser.add_argument(
        "--sort", default="cumulative", help="pstats order: cumulative, or tottime for own time"
    )
    parser.add_argument(
        "--functions",
        default=r"jinzang|residents|committees|meetings|template",
        help="regular expression of the functions listed (. for all, Django's included)",
    )
    args = parser.parse_args(argv)
    url = args.database_url
    vendor = "postgresql" if url.startswith(("postgres", "pgsql")) else "sqlite"
    os.environ.update({**pages.environment(url, vendor), "PAGE_CACHE_SECONDS": "0"})
    sys.path.insert(0, str(pages.ROOT))

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    pages.admin_user()
    files = browse.url_lists(pages.DATA / f"browse-{vendor}")
    client = Client()
    client.force_login(get_user_model().objects.get(username=args.user))
    wanted = set(args.only.split(",")) if args.only else None
    rng = random.Random(22)
    for b in browse.BROWSE:
        if b.name in ("bare", "admin") or (wanted and b.name not in wanted):
            continue
        paths = files[b.name].read_text().split()
        for path in rng.sample(paths, min(3, len(paths))):
            client.get(path)  # warm up: templates compiled, caches filled
        chosen = [rng.choice(paths) for _ in range(args.renders)]
        times, queries = [], []
        for path in chosen:
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - started) * 1000)
            queries.append(len(captured))
            assert response.status_code == 200, (path, response.status_code)
        profiler = cProfile.Profile()
        profiler.enable()
        for path in chosen:
            client.get(path)
        profiler.disable()
        stats = pstats.Stats(profiler)
        buckets = bucket_times(stats)
        total = sum(times) / 1000
        print(
            f"\n== {b.name}: median {statistics.median(times):.1f} ms a render "
            f"(min {min(times):.1f}, max {max(times):.1f}), queries {min(queries)}-{max(queries)}"
        )
        print(
            "   "
            + ", ".join(
                f"{name} {seconds / len(chosen) * 1000:.1f} ms" for name, seconds in buckets.items()
            )
            + f" (a render, profiled; unprofiled total {total / len(chosen) * 1000:.1f} ms)"
        )
        out = io.StringIO()
        stats.stream = out
        stats.sort_stats(args.sort).print_stats(args.functions, args.top)
        print("\n".join(line for line in out.getvalue().splitlines()[6:] if line.strip()))
    return 0


if __name__ == "__main__":
    sys.exit(main())

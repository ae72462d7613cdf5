"""Django templates or Jinja2 for the heaviest rows (issue 22): the same markup, the same
context, rendered by both engines in this process.

    uv run python bench/engines.py --database-url sqlite:///bench/data/pages.sqlite3

Two pages of bench/browse.py carry most of their markup in rows: the resident list (50
residents a page, each with its households) and the consent grid (a building's ~100
doors). For random objects of each (as browse.py draws them), the page is asked for
through Django's test client (the whole request: middleware, view, queries, template),
then its template alone is rendered again from the view's context, and the rows'
markup, copied into bench/engines/ once as a Django template and once as Jinja2 (the
same HTML, checked), is rendered by each engine from the same context. Medians of
`--renders` random objects, in ms, CPU time of this process (not disturbed by other
work on the machine as wall time is). Figures go to bench/results/engines-<db>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import browse  # noqa: E402
import pages  # noqa: E402

HERE = Path(__file__).resolve().parent / "engines"
SNIPPETS = {"residents": "resident_rows", "grid": "grid_table"}


def cpu_ms(fn, repeat: int = 5) -> float:
    """The median CPU time of `fn()` in ms, over `repeat` calls."""
    times = []
    for _ in range(repeat):
        started = time.process_time()
        fn()
        times.append((time.process_time() - started) * 1000)
    return statistics.median(times)


def squeezed(html: str) -> str:
    return re.sub(r"\s+", " ", html).replace("> <", "><").strip()


def jinja_environment():
    from django.contrib.humanize.templatetags.humanize import intcomma
    from django.utils.translation import gettext, ngettext
    from jinja2 import Environment, FileSystemLoader

    env = Environment(
        loader=FileSystemLoader(HERE), autoescape=True, extensions=["jinja2.ext.i18n"]
    )
    env.install_gettext_callables(gettext, ngettext, newstyle=True)
    env.filters["intcomma"] = intcomma
    return env


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--renders", type=int, default=30)
    parser.add_argument("--language", default="zh-hans")
    args = parser.parse_args(argv)
    url = args.database_url
    vendor = "postgresql" if url.startswith(("postgres", "pgsql")) else "sqlite"
    os.environ.update(pages.environment(url, vendor))
    sys.path.insert(0, str(pages.ROOT))

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.template import engines
    from django.test import Client
    from django.utils import translation

    pages.admin_user()
    files = browse.url_lists(pages.DATA / f"browse-{vendor}")
    client = Client()
    client.force_login(get_user_model().objects.get(username=pages.USERNAME))
    client.cookies["django_language"] = args.language
    django_engine = engines["django"]
    jinja = jinja_environment()
    rng = random.Random(22)
    report = {
        "benchmark": "engines",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": pages.commit(),
        "database": vendor,
        "language": args.language,
        "renders": args.renders,
        "pages": {},
    }
    for name, snippet in SNIPPETS.items():
        paths = files[name].read_text().split()
        django_rows = django_engine.from_string((HERE / f"{snippet}.django.html").read_text())
        jinja_rows = jinja.get_template(f"{snippet}.jinja.html")
        figures = {"page": [], "page template": [], "rows, Django": [], "rows, Jinja2": []}
        for index, path in enumerate([rng.choice(paths) for _ in range(args.renders + 3)]):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            request = response.wsgi_request
            context = response.context_data
            template = response.resolve_template(response.template_name)
            with translation.override(args.language):
                a = django_rows.render(context, request)
                b = jinja_rows.render(context)
                if squeezed(a) != squeezed(b):
                    sys.exit(f"{name}: the two engines' rows differ at {path}")
                if index < 3:
                    continue  # warm-up: templates compiled, caches filled
                figures["page"].append(cpu_ms(lambda p=path: client.get(p), repeat=3))
                figures["page template"].append(
                    cpu_ms(lambda t=template, c=context, r=request: t.render(c, r))
                )
                figures["rows, Django"].append(
                    cpu_ms(lambda c=context, r=request, t=django_rows: t.render(c, r))
                )
                figures["rows, Jinja2"].append(cpu_ms(lambda c=context, t=jinja_rows: t.render(c)))
        medians = {key: round(statistics.median(values), 3) for key, values in figures.items()}
        report["pages"][name] = medians
        print(
            f"{name:<10} page {medians['page']:6.2f} ms · its template {medians['page template']:6.2f}"
            f" · rows: Django {medians['rows, Django']:6.2f}, Jinja2 {medians['rows, Jinja2']:6.2f}"
            f" ({medians['rows, Django'] / medians['rows, Jinja2']:.1f}×)"
        )
    out = pages.ROOT / "bench" / "results" / f"engines-{vendor}.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"figures: {out.relative_to(pages.ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

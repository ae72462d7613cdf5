"""Soak test: N concurrent clients for S seconds against two gunicorn instances that share
one PostgreSQL database and one Redis (cache and sessions), over a mix of reads and writes.

    uv run python bench/soak.py                       # 50 clients, 60 s, ports 8110 and 8111
    uv run python bench/soak.py --clients 20 --seconds 20

It builds its own database (default jinzang_soak, the demo data), empties its Redis
database (default /5), starts the two servers with DEBUG off, runs the clients (each
request goes to either server at random, so a session made on one is used on the other)
and stops the servers. It reports errors (5xx, refused connections, unexpected answers:
goal 0), latency percentiles, and lost writes (goal 0): the rows counted in the database
afterwards against the writes the servers confirmed. Two kinds of write: requests
received (POST, answered with a redirect) and the log of each full phone number shown on
a resident's page (one insert per page view). Figures go to bench/results/soak.json.
"""

import argparse
import json
import os
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
USERNAME, PASSWORD = "liaoshuying", "jinzang-demo"  # demo staff: sees personal data


def parse():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--clients", type=int, default=50)
    p.add_argument("--seconds", type=int, default=60)
    p.add_argument("--ports", type=int, nargs="+", default=[8110, 8111])
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers per instance")
    p.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    p.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="server URL")
    p.add_argument("--database", default="jinzang_soak")
    p.add_argument("--redis", default="redis://127.0.0.1:6379/5")
    p.add_argument("--write-share", type=float, default=0.2, help="share of POSTs")
    return p.parse_args()


def run(*command, env):
    subprocess.run(command, cwd=PROJECT, env=env, check=True, stdout=subprocess.DEVNULL)


def prepare(args, env):
    subprocess.run(
        ["psql", f"{args.pg}/postgres", "-qc", f"DROP DATABASE IF EXISTS {args.database}"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    subprocess.run(
        ["psql", f"{args.pg}/postgres", "-qc", f"CREATE DATABASE {args.database}"], check=True
    )
    run(sys.executable, "manage.py", "demo", "--no-serve", env=env)
    run(sys.executable, "manage.py", "collectstatic", "--noinput", env=env)
    import redis

    redis.Redis.from_url(args.redis).flushdb()


def start_servers(args, env):
    servers = []
    for port in args.ports:
        servers.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "jinzang.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    str(args.workers),
                    "--threads",
                    str(args.threads),
                    "--log-level",
                    "warning",
                ],
                cwd=PROJECT,
                env=env,
            )
        )
    deadline = time.monotonic() + 60
    for port in args.ports:
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit(f"gunicorn on port {port} did not start") from None
                time.sleep(0.3)
    return servers


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    """One browser: its own cookies; each request to one of the servers at random."""

    def __init__(self, ports):
        self.ports = ports
        self.cookies = {}
        self.opener = urllib.request.build_opener(NoRedirect())

    def call(self, path, data=None, timeout=30):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(
            f"http://127.0.0.1:{random.choice(self.ports)}{path}", data=body
        )
        if self.cookies:
            req.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        try:
            with self.opener.open(req, timeout=timeout) as response:
                status, text, headers = response.status, response.read().decode(), response.headers
        except urllib.error.HTTPError as error:
            status, text, headers = error.code, error.read().decode(errors="replace"), error.headers
        for value in headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return status, text, headers

    def csrf(self, text):
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text).group(1)

    def login(self):
        # Before the clock starts; 50 password hashes at once take a while on a small machine.
        status, text, _ = self.call("/accounts/login/", timeout=300)
        status, text, headers = self.call(
            "/accounts/login/",
            {"csrfmiddlewaretoken": self.csrf(text), "username": USERNAME, "password": PASSWORD},
            timeout=300,
        )
        if status != 302:
            raise RuntimeError(f"login failed: {status}")


def options(text, name):
    block = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', text, re.S)
    return re.findall(r'<option value="(\d+)"', block.group(1)) if block else []


def client_loop(client, args, start, window, targets, out, lock):
    mine = {"latencies": [], "errors": [], "reads": 0, "created": 0, "reveals": 0}
    try:
        client.login()
    except Exception as error:  # noqa: BLE001 - counted and reported
        mine["errors"].append(f"login: {error}")
    start.wait()  # every client logged in: the clock starts
    deadline = window[0]
    while time.monotonic() < deadline:
        started = time.perf_counter()
        try:
            if random.random() < args.write_share:
                status, text, _ = client.call("/requests/new/")
                ok = status == 200
                if ok:
                    status, text, headers = client.call(
                        "/requests/new/",
                        {
                            "csrfmiddlewaretoken": client.csrf(text),
                            "community": options(text, "community")[0],
                            "category": random.choice(options(text, "category")),
                            "compound": random.choice(options(text, "compound")),
                            "title": f"浸泡测试 {secrets.token_hex(4)}",
                            "received_through": "in_person",
                            "received_at": re.search(
                                r'name="received_at" value="([^"]+)"', text
                            ).group(1),
                        },
                    )
                    ok = status == 302 and "/requests/" in headers.get("Location", "")
                    if ok:
                        mine["created"] += 1
                kind = "write"
            elif random.random() < 0.3:
                status, text, _ = client.call(f"/residents/{random.choice(targets)}/")
                ok = status == 200
                if ok:
                    mine["reveals"] += 1
                kind = "resident"
            else:
                path = random.choice(
                    ["/", "/dashboard/", "/residents/", "/meetings/", "/requests/", "/projects/"]
                )
                status, text, _ = client.call(path)
                ok = status == 200
                mine["reads"] += 1
                kind = path
            if not ok:
                mine["errors"].append(f"{kind}: {status}")
        except Exception as error:  # noqa: BLE001 - counted and reported
            mine["errors"].append(f"{type(error).__name__}: {error}")
        mine["latencies"].append(time.perf_counter() - started)
    with lock:
        for key in ("latencies", "errors"):
            out[key].extend(mine[key])
        for key in ("reads", "created", "reveals"):
            out[key] += mine[key]


def main():
    args = parse()
    static = tempfile.mkdtemp(prefix="jinzang-soak-static-")
    env = {
        **os.environ,
        "DATABASE_URL": f"{args.pg}/{args.database}",
        "REDIS_URL": args.redis,
        "DEBUG": "False",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "False",
        "SECURE_COOKIES": "False",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": static,
        "CONN_MAX_AGE": "60",
    }
    print(f"preparing {args.database} (demo data) and Redis {args.redis} ...", flush=True)
    prepare(args, env)
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "jinzang.settings"
    sys.path.insert(0, str(PROJECT))
    import django

    django.setup()
    from committees.models import ResidentRequest
    from residents.models import PersonalDataReveal, Resident

    targets = list(Resident.objects.exclude(phone="").values_list("pk", flat=True)[:200])
    before = (ResidentRequest.objects.count(), PersonalDataReveal.objects.count())
    servers = start_servers(args, env)
    out = {"latencies": [], "errors": [], "reads": 0, "created": 0, "reveals": 0}
    lock = threading.Lock()
    try:
        window = [0.0, 0.0]

        def open_window():
            window[1] = time.monotonic()
            window[0] = window[1] + args.seconds

        start = threading.Barrier(args.clients, action=open_window)
        threads = [
            threading.Thread(
                target=client_loop,
                args=(Client(args.ports), args, start, window, targets, out, lock),
            )
            for _ in range(args.clients)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - window[1]
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)
    after = (ResidentRequest.objects.count(), PersonalDataReveal.objects.count())
    latencies = sorted(out["latencies"])
    q = (
        statistics.quantiles(latencies, n=100, method="inclusive")
        if len(latencies) > 1
        else [0] * 99
    )
    report = {
        "clients": args.clients,
        "seconds": args.seconds,
        "servers": len(args.ports),
        "gunicorn": f"{args.workers} workers x {args.threads} threads each",
        "requests": len(latencies),
        "requests_per_second": round(len(latencies) / elapsed, 1),
        "errors": len(out["errors"]),
        "error_samples": sorted(set(out["errors"]))[:10],
        "p50_ms": round(q[49] * 1000, 1),
        "p95_ms": round(q[94] * 1000, 1),
        "p99_ms": round(q[98] * 1000, 1),
        "max_ms": round(latencies[-1] * 1000, 1) if latencies else 0,
        "requests_created_confirmed": out["created"],
        "requests_created_counted": after[0] - before[0],
        "lost_request_writes": out["created"] - (after[0] - before[0]),
        "reveals_confirmed": out["reveals"],
        "reveals_counted": after[1] - before[1],
        "lost_reveal_writes": out["reveals"] - (after[1] - before[1]),
    }
    results = PROJECT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "soak.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()

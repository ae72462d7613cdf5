"""The WSGI application of bench/browse.py: Jinzang's own, with the page cache timed.

gunicorn serves `probe:application` (with `--pythonpath bench`) so that each response
of a page behind `jinzang.pagecache` says, in headers the benchmark's wrk script adds
up, whether it was served from the cache, how long the page's own rendering took and
how long the cache's work around it took on that request:

- `X-Bench-Page-Cache`: `hit` (served from the cache) or `miss` (rendered);
- `X-Bench-Render-Us`: the view's own time, in microseconds, without the cache's work;
- `X-Bench-Cache-Us`: the cache's work: reading the cache and the versions, noting the
  tables of every SQL statement, storing the page.

Nothing here changes what a page shows. Without the page cache (removed, or off), the
headers are simply missing or say `miss` with no cache time worth counting.
"""

import time

from jinzang.wsgi import application

try:
    from jinzang import pagecache
except ImportError:  # the page cache removed: nothing to time
    pagecache = None


if pagecache is not None:
    _serve = pagecache.serve
    _reads_call = pagecache.Reads.__call__
    _clock = time.perf_counter_ns

    def _timed_reads_call(self, execute, sql, params, many, context):
        """The tables a statement names, timed apart from running it."""
        started = _clock()
        inner = []

        def run(*args):
            begun = _clock()
            try:
                return execute(*args)
            finally:
                inner.append(_clock() - begun)

        try:
            return _reads_call(self, run, sql, params, many, context)
        finally:
            self.bench_ns = getattr(self, "bench_ns", 0) + _clock() - started - sum(inner)

    class _Reads(pagecache.Reads):
        __call__ = _timed_reads_call

    pagecache.Reads = _Reads

    def serve(request, produce, params=()):
        spent = {"produce": 0, "reads": None}

        def produced():
            started = _clock()
            try:
                response = produce()
                if callable(getattr(response, "render", None)):
                    response.render()
                return response
            finally:
                spent["produce"] = _clock() - started

        created = []

        class Counting(_Reads):
            def __init__(self):
                super().__init__()
                created.append(self)

        pagecache.Reads = Counting
        started = _clock()
        try:
            response = _serve(request, produced, params)
        finally:
            pagecache.Reads = _Reads
        total = _clock() - started
        scanning = sum(getattr(r, "bench_ns", 0) for r in created)
        render = spent["produce"] - scanning
        response["X-Bench-Page-Cache"] = "miss" if spent["produce"] else "hit"
        response["X-Bench-Render-Us"] = str(max(render, 0) // 1000)
        response["X-Bench-Cache-Us"] = str((total - render) // 1000)
        return response

    pagecache.serve = serve

__all__ = ["application"]

"""The demo: Jincang Community's story, loaded by `manage.py demo`, and the benchmark's
generated sub-district, loaded by `manage.py seed_large`.

- `story`: the report's places, bodies, people, dates and figures, written once;
- `helpers`: what the loaders share;
- one loader per domain, a module each (`register`, `bodies`, `funds`...) with its
  `load_demo()`;
- `loaders`: their order, written once (`LOADERS`), `load_all()`, and `loaders_for()`
  for tests that load a part;
- `summary`: what `manage.py demo` prints;
- `large`: the benchmark's generator.

Demo data is not production code: nothing outside this package and the two commands
imports it.
"""

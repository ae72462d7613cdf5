"""The demo: Jincang Community's story, loaded by `manage.py demo`, and the benchmark's
generated sub-district, loaded by `manage.py seed_large`.

- `story`: the report's places, bodies, people, dates and figures, written once;
- `helpers`: what the loaders share;
- one loader per domain (`register`, `bodies`, `requests`, `meetings`, `projects`,
  `notices`, `visits`, `volunteers`, `funds`, `facilities`), each a `load_demo()`;
- `loaders`: their order (`LOADERS`) and `load_all()`;
- `summary`: what `manage.py demo` prints;
- `large`: the benchmark's generator.

Demo data is not production code: nothing outside this package and the two commands
imports it.
"""

"""Every export button says what it exports ("Attendance (CSV)"), not a lone format name."""

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"

# A link whose URL names a file format, and the text it shows.
EXPORT_LINK = re.compile(r"""<a\b[^>]*href="[^"]*'(?:csv|xlsx)'[^"]*"[^>]*>(.*?)</a>""", re.S)
TRANSLATED = re.compile(r"""\{%\s*translate\s+"([^"]*)"\s*%\}""")
# What it exports, then the format: "Consent records (Excel)".
SAYS_WHAT = re.compile(r"\w.*\w \((?:CSV|Excel)\)")


def export_links():
    for path in sorted(TEMPLATES.rglob("*.html")):
        for label in EXPORT_LINK.findall(path.read_text(encoding="utf-8")):
            yield path.relative_to(TEMPLATES), TRANSLATED.sub(r"\1", label).strip()


def test_every_export_button_says_what_it_exports():
    links = list(export_links())
    assert len(links) >= 8  # register (list, compound, admin), attendance, consent records
    vague = [(str(path), label) for path, label in links if not SAYS_WHAT.fullmatch(label)]
    assert not vague, f"say what each exports, e.g. “Attendance (CSV)”: {vague}"

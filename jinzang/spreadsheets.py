"""Spreadsheets in and out, shared by every import and export.

Reading streams the file (openpyxl's read-only mode, the csv module), so a
40,000-row sheet never sits in memory as cells. Writing neutralises anything a
spreadsheet would run as a formula. Uploads wait between the dry run and the
confirmation as files under MEDIA_ROOT/imports, named by their owner and a
random token.
"""

import csv
import datetime
import io
import re
import secrets
import time
import zipfile
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _

from jinzang.templatetags.jinzang import listing

MAX_SPREADSHEET_BYTES = 50 * 1024 * 1024
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("xlsx", "csv")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class SpreadsheetError(ValidationError):
    """The file as a whole cannot be read: nothing in it is imported."""


# --- writing ----------------------------------------------------------------------------


def neutralise(value) -> str:
    """A cell as text that no spreadsheet runs: one starting with = + - @ gets a quote."""
    text = "" if value is None else str(value)
    if text[:1] in _FORMULA_START:
        return "'" + text
    return text


def export_response(rows: Iterable[list], *, fmt: str, name: str, sheet: str) -> HttpResponse:
    """`rows` (the header first) as a CSV (UTF-8 with BOM, which Excel reads) or XLSX download.
    Every cell is neutralised here, so no caller can forget it."""
    if fmt == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")
        writer = csv.writer(buffer)
        for row in rows:
            writer.writerow([neutralise(c) for c in row])
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        ws = book.create_sheet(sheet[:31])
        for row in rows:
            # Strings only: openpyxl would store a string starting with = as a formula.
            ws.append([neutralise(c) for c in row])
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


# --- reading ----------------------------------------------------------------------------


def header_key(text) -> str:
    """A header as compared with the known names: no spaces, no unit in brackets, lower case."""
    text = str(text or "").strip().lower()
    text = re.sub(r"[\(（\[【].*?[\)）\]】]", "", text)
    return re.sub(r"[\s_\-:：*＊]", "", text)


def map_headers(header: list, columns: dict[str, tuple[str, ...]], required) -> dict[str, int]:
    """{column: index in the row} for the known columns the header names (first match wins)."""
    known = {header_key(alias): key for key, aliases in columns.items() for alias in aliases}
    found: dict[str, int] = {}
    for index, text in enumerate(header):
        key = known.get(header_key(text))
        if key and key not in found:
            found[key] = index
    missing = [columns[key][0] for key in required if key not in found]
    if missing:
        raise SpreadsheetError(
            _("The first row must name the columns; missing: %(columns)s.")
            % {"columns": listing(missing)},
            code="missing_columns",
        )
    return found


def cell_text(value) -> str:
    """A cell as the text a person typed: 68.5 not 68.500000001, 301 not 301.0."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return str(Decimal(repr(value)))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()[:10]
    return str(value).replace("\x00", "").strip()


def _decode(data: bytes) -> str:
    if b"\x00" in data:
        raise SpreadsheetError(_wrong_encoding(), code="encoding")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SpreadsheetError(_wrong_encoding(), code="encoding")


def _wrong_encoding():
    return _(
        "The file is neither UTF-8 nor GBK/GB18030 text. Save it from Excel as “CSV UTF-8” "
        "or as an Excel workbook (.xlsx) and upload it again."
    )


def read_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(row number as the spreadsheet shows it, cells as text) of the first sheet or the CSV,
    header included, blank rows skipped."""
    with open(path, "rb") as f:
        head = f.read(4)
    if head == b"PK\x03\x04":
        yield from _xlsx_rows(path)
        return
    if head[:2] in (b"\xd0\xcf",):
        raise SpreadsheetError(
            _("Old Excel files (.xls) cannot be read: save the sheet as .xlsx or CSV."),
            code="xls",
        )
    with open(path, "rb") as f:
        # A CSV of 40,000 households is a few MB: decoded at once, then read line by line.
        text = _decode(f.read())
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for number, row in enumerate(reader, start=1):
            cells = [c.strip() for c in row]
            if any(cells):
                yield number, cells
    except csv.Error as error:
        raise SpreadsheetError(
            _("The CSV file cannot be read: %(error)s") % {"error": error}, code="csv"
        ) from None


def _xlsx_rows(path):
    from openpyxl import load_workbook

    # A file object, not a name: openpyxl judges a name by its extension.
    f = open(path, "rb")  # noqa: SIM115 (closed below, after the last row is read)
    try:
        try:
            book = load_workbook(f, read_only=True, data_only=True)
            sheet = book.worksheets[0]
        except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, IndexError):
            raise SpreadsheetError(
                _("The file is not a readable Excel workbook (.xlsx)."), code="xlsx"
            ) from None
        try:
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                cells = [cell_text(v) for v in row]
                if any(cells):
                    yield number, cells
        finally:
            book.close()
    finally:
        f.close()


def template_response(header: list[str], example: list[list[str]], *, fmt: str, name: str):
    return export_response([header, *example], fmt=fmt, name=name, sheet=name)


# --- uploads waiting for confirmation ---------------------------------------------------

_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,40}$")
KEEP_SECONDS = 24 * 3600


def _folder() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def upload_keep(upload, *, user, kind: str) -> str:
    """Store an upload for the confirmation step; return its token."""
    if upload.size > MAX_SPREADSHEET_BYTES:
        raise SpreadsheetError(_("The file is larger than 50 MB."), code="too_large")
    _sweep()
    token = secrets.token_urlsafe(18)
    with open(upload_path(user=user, kind=kind, token=token, check=False), "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return token


def upload_path(*, user, kind: str, token: str, check: bool = True) -> Path:
    """The kept file of this user and token; 404 when there is none (or it is someone else's)."""
    if not _TOKEN_RE.match(token or ""):
        raise Http404
    path = _folder() / f"{kind}-{user.pk}-{token}.upload"
    if check and not path.exists():
        raise Http404
    return path


def sidecar(path: Path, suffix: str) -> Path:
    return path.with_suffix(suffix)


def upload_discard(path: Path) -> None:
    for p in (path, sidecar(path, ".report"), sidecar(path, ".json")):
        p.unlink(missing_ok=True)


def _sweep():
    """Forget uploads nobody confirmed within a day."""
    limit = time.time() - KEEP_SECONDS
    for p in _folder().iterdir():
        try:
            if p.stat().st_mtime < limit:
                p.unlink()
        except OSError:
            pass


# --- what an import would do, row by row ------------------------------------------------

CREATE, UPDATE, UNCHANGED, REJECT = "create", "update", "unchanged", "reject"
ACTIONS = (REJECT, CREATE, UPDATE, UNCHANGED)


class Report:
    """The outcome of every row of a sheet: kept in order, counted by action."""

    def __init__(self):
        self.rows: list[tuple[int, str, str, str, str]] = []
        self.counts = dict.fromkeys(ACTIONS, 0)
        self.notes: list[str] = []

    def add(self, number: int, action: str, place: str, who: str, detail: str) -> None:
        self.rows.append((number, action, place, who, detail))
        self.counts[action] += 1

    @property
    def is_clean(self) -> bool:
        return self.counts[REJECT] == 0

    @property
    def changes(self) -> int:
        return self.counts[CREATE] + self.counts[UPDATE]

    def save(self, path: Path) -> None:
        """Write the rows next to the upload, for the preview page to page through."""
        with open(path, "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["#", *(self.counts[a] for a in ACTIONS), *self.notes])
            writer.writerows(self.rows)


def report_page(path: Path, *, action: str | None, page: int, per_page: int = 200):
    """(counts, notes, rows of the page, number of pages) from a saved report."""
    if not path.exists():
        raise Http404
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        first = next(reader)
        counts = dict(zip(ACTIONS, (int(n) for n in first[1:5]), strict=True))
        notes = first[5:]
        total = counts[action] if action else sum(counts.values())
        pages = max(1, -(-total // per_page))
        page = min(max(page, 1), pages)
        start, rows, seen = (page - 1) * per_page, [], 0
        for row in reader:
            if action and row[1] != action:
                continue
            if seen >= start:
                rows.append(row)
                if len(rows) == per_page:
                    break
            seen += 1
    return counts, notes, rows, page, pages

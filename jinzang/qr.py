"""QR codes made on the server, for paper that leads online (docs/domain.md, "Paper that
leads online"): the access letters' PDF draws them, the print pages carry them as inline
SVG. No outside service and no script: reportlab's own encoder, error correction M, one
fixed mask.
"""

import itertools
from collections.abc import Iterator

from django.utils.html import format_html
from django.utils.safestring import SafeString
from reportlab.graphics.barcode import qrencoder

# One mask for every code. The encoder would otherwise try all eight and score each, which
# is most of the work of a letter (a thousand letters took 9.1 s of CPU so, 3.8 s with one
# mask); any mask makes a valid code, and 300 letters' codes, A4 and A5, rendered at
# 100 dpi, all scanned back to their links with zbar.
QR_MASK = 2
QR_QUIET_ZONE = 4  # modules of white around the code, as the standard asks


def qr_matrix(text: str) -> list[list[bool]]:
    """The modules of `text` as a QR code, row by row from the top (True: dark), without
    the quiet zone."""
    qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    qr.addData(text)
    qr.version = qr.calculate_version()
    qr.makeImpl(False, QR_MASK)
    return [[bool(module) for module in row] for row in qr.modules]


def qr_runs(matrix: list[list[bool]]) -> Iterator[tuple[int, int, int]]:
    """The dark runs of each row as (row, column, length), the quiet zone added to both:
    drawing these as 1-module-high rectangles draws the code."""
    for r, row in enumerate(matrix):
        col = 0
        for dark, run in itertools.groupby(row):
            length = len(list(run))
            if dark:
                yield r + QR_QUIET_ZONE, col + QR_QUIET_ZONE, length
            col += length


def qr_svg(text: str, *, label: str) -> SafeString:
    """`text` as an inline SVG QR code: a white square (the quiet zone included) and one
    path of the dark runs, in module units, so that it prints crisp at any size. Its size
    comes from CSS (`.qr svg` in print.css); `label` names it for screen readers."""
    matrix = qr_matrix(text)
    side = len(matrix) + 2 * QR_QUIET_ZONE
    path = "".join(f"M{col} {row}h{length}v1h-{length}z" for row, col, length in qr_runs(matrix))
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side} {side}" role="img" '
        'aria-label="{label}" shape-rendering="crispEdges"><title>{label}</title>'
        '<rect width="{side}" height="{side}" fill="#fff"/><path fill="#000" d="{path}"/></svg>',
        side=side,
        label=label,
        path=path,
    )

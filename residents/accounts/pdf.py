"""The access letters as one PDF, one page a letter, A4 or A5.

Written for an elderly resident reading on paper: the masked name and door, a large QR
code, the code in large print, what to do in plain words, the date it ends and what the
committee never asks. Chinese is set in reportlab's built-in CID font STSong-Light (no font
file needed); codes and links in Helvetica, so that they can be read back from the PDF
(tests/residents/test_letters.py does). What is the same on every page (the steps, the
warning, the dates, the link) is laid out once and drawn again on each page: a thousand
letters cost a thousand QR codes and little else.
"""

import datetime
import io
from dataclasses import dataclass

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph
from reportlab.platypus.flowables import Flowable

from jinzang.qr import QR_QUIET_ZONE, qr_matrix, qr_runs
from residents.accounts import codes
from residents.validators import mask_name

CJK_FONT = "STSong-Light"
CODE_FONT = "Helvetica-Bold"
LINK_FONT = "Helvetica"
LATIN_FONT = "Helvetica"  # the words of a letter in a language without Chinese
pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))


@dataclass(frozen=True)
class Layout:
    """Sizes for one paper size, in points."""

    size: tuple[float, float]
    margin: float
    title: float
    name: float
    code: float
    body: float
    small: float
    qr: float


LAYOUTS = {
    "A4": Layout(A4, 16 * mm, 28, 21, 36, 16, 12, 62 * mm),
    "A5": Layout(A5, 10 * mm, 17, 13.5, 24, 11.5, 9, 40 * mm),
}


def _style(name, size, *, cjk, leading=1.45, **kwargs) -> ParagraphStyle:
    return ParagraphStyle(
        name,
        fontName=CJK_FONT if cjk else LATIN_FONT,
        fontSize=size,
        leading=size * leading,
        wordWrap="CJK" if cjk else None,
        **kwargs,
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class _Static:
    """What every page of one printing shares, laid out once."""

    def __init__(self, layout: Layout, *, expires_at, printed_at, join_link: str):
        self.layout = layout
        cjk = (translation.get_language() or "").startswith("zh")
        # The name and the door are Chinese in any language; the rest is in the letter's.
        self.font = CJK_FONT if cjk else LATIN_FONT
        width = layout.size[0] - 2 * layout.margin
        body = _style("body", layout.body, cjk=cjk)
        valid_until = formats.date_format(timezone.localtime(expires_at).date(), "DATE_FORMAT")
        self.title = _("Your access letter")
        self.code_label = _("Your code")
        self.valid = _("Valid until %(date)s") % {"date": valid_until}
        self.once = _("It can be used once only.")
        self.join_link = join_link
        self.printed = _("Printed on %(date)s.") % {
            "date": formats.date_format(timezone.localtime(printed_at).date(), "DATE_FORMAT")
        }
        steps = [
            _("Scan the QR code with your phone's camera and open the link."),
            _("Or open this address on a phone or computer and type the code:"),
            _(
                "Choose a username and a password. You may add your mobile number to sign in with it later."
            ),
            _(
                "Then you can see your household as the register holds it, follow your requests and take part in owners' decisions."
            ),
        ]
        self.heading = Paragraph(
            _escape(_("How to open your own page")), _style("h", layout.name, cjk=cjk)
        )
        step = ParagraphStyle(
            "step",
            parent=body,
            leftIndent=layout.body * 1.6,
            bulletIndent=0,
            bulletFontName=LINK_FONT,
            bulletFontSize=layout.body,
        )
        self.steps = [
            Paragraph(_escape(text), step, bulletText=f"{n}.")
            for n, text in enumerate(steps, start=1)
        ]
        warning_style = _style("warning", layout.body, cjk=cjk)
        self.warning = [
            Paragraph(
                _escape(_("Keep this letter safe."))
                + ("" if cjk else " ")  # Chinese sentences run on without a space
                + _escape(
                    _(
                        "The committee will never ask you for this code: not by phone, not by message, not at your door. Never tell it to anyone."
                    )
                ),
                warning_style,
            ),
            Paragraph(
                _escape(
                    _(
                        "If this letter is not meant for you, or you did not expect it, tell the neighbourhood committee."
                    )
                ),
                warning_style,
            ),
        ]
        self.heights = {
            "heading": self.heading.wrap(width, 10_000)[1],
            "steps": [p.wrap(width, 10_000)[1] for p in self.steps],
            "warning": [p.wrap(width - 2 * layout.body, 10_000)[1] for p in self.warning],
        }


def _draw_qr(c, text: str, x: float, y: float, size: float):
    """`text` as a QR code (`jinzang.qr`) filling a square of `size` at (x, y), its quiet
    zone included: one path of the dark runs of each row, drawn in module units."""
    matrix = qr_matrix(text)
    side = len(matrix) + 2 * QR_QUIET_ZONE
    c.saveState()
    c.translate(x, y)
    module = size / side
    c.scale(module, module)
    path = c.beginPath()
    for row, col, length in qr_runs(matrix):
        path.rect(col, side - row - 1, length, 1)  # PDF's y runs up, the rows down
    c.drawPath(path, stroke=0, fill=1)
    c.restoreState()


def _draw_flowable(c, flowable: Flowable, x, top, height):
    flowable.drawOn(c, x, top - height)
    return top - height


def _draw_letter(c, s: _Static, recipient, link: str):
    layout = s.layout
    width, height = layout.size
    left, right = layout.margin, width - layout.margin
    y = height - layout.margin

    c.setFont(s.font, layout.title)
    y -= layout.title
    c.drawString(left, y, s.title)
    y -= layout.name * 1.9
    c.setFont(CJK_FONT, layout.name)
    c.drawString(left, y, _("For: %(name)s") % {"name": mask_name(recipient.name)})
    y -= layout.name * 1.6
    c.drawString(left, y, _("Door: %(door)s") % {"door": recipient.door})
    y -= layout.name * 0.9
    c.setStrokeColor(colors.black)
    c.setLineWidth(1)
    c.line(left, y, right, y)

    # The QR code, and beside it the code in large print with its dates.
    y -= layout.body * 0.4
    _draw_qr(c, link, left - layout.qr * 0.05, y - layout.qr, layout.qr)
    text_x = left + layout.qr + layout.body
    ty = y - layout.qr * 0.22
    c.setFont(s.font, layout.body)
    c.drawString(text_x, ty, s.code_label)
    ty -= layout.code * 1.25
    c.setFont(CODE_FONT, layout.code)
    grouped = codes.code_grouped(recipient.code)
    # The code must fit beside the QR code: narrower type rather than a cut code.
    room = right - text_x
    size = min(layout.code, layout.code * room / c.stringWidth(grouped, CODE_FONT, layout.code))
    c.setFont(CODE_FONT, size)
    c.drawString(text_x, ty, grouped)
    ty -= layout.body * 2
    c.setFont(s.font, layout.body)
    c.drawString(text_x, ty, s.valid)
    ty -= layout.body * 1.5
    c.drawString(text_x, ty, s.once)
    y -= layout.qr + layout.body * 0.6

    y = _draw_flowable(c, s.heading, left, y, s.heights["heading"])
    y -= layout.body * 0.4
    for n, (step, step_height) in enumerate(zip(s.steps, s.heights["steps"], strict=True)):
        y = _draw_flowable(c, step, left, y, step_height)
        if n == 1:
            # The address to type, in Helvetica so that it reads back as typed.
            y -= layout.body * 1.3
            c.setFont(LINK_FONT, layout.body * 1.1)
            c.drawString(left + layout.body * 1.6, y, s.join_link)
            y -= layout.body * 0.5
        y -= layout.body * 0.35

    # What the committee never asks, in a box.
    pad = layout.body
    box_height = sum(s.heights["warning"]) + pad * 2.4
    y -= layout.body * 0.6
    c.setLineWidth(2)
    c.rect(left, y - box_height, right - left, box_height, stroke=1, fill=0)
    wy = y - pad
    for paragraph, paragraph_height in zip(s.warning, s.heights["warning"], strict=True):
        wy = _draw_flowable(c, paragraph, left + pad, wy, paragraph_height) - pad * 0.4

    c.setFont(s.font, layout.small)
    c.drawString(left, layout.margin * 0.6, s.printed)


def letters_pdf(
    recipients, *, paper: str, expires_at: datetime.datetime, printed_at: datetime.datetime
) -> bytes:
    """One page a recipient (`residents.accounts.letters.Recipient`), in the active language."""
    from residents.accounts.letters import join_link, letter_link

    layout = LAYOUTS[paper]
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=layout.size, pageCompression=1, invariant=False)
    c.setTitle(_("Access letters"))
    static = _Static(layout, expires_at=expires_at, printed_at=printed_at, join_link=join_link())
    for recipient in recipients:
        _draw_letter(c, static, recipient, letter_link(recipient.code))
        c.showPage()
    c.save()
    return buffer.getvalue()

"""Reading QR codes back as a phone would: the code a page drew, rendered to a bitmap and
decoded by zxing-cpp, an independent reader. Shared by the tests of each printed page."""

import re
import xml.etree.ElementTree as ET

import zxingcpp
from PIL import Image, ImageDraw
from pypdf.generic import ContentStream

SVG = "{http://www.w3.org/2000/svg}"
QR_SVG = re.compile(r"<svg\b[^>]*>.*?</svg>", re.S)
PIXELS = 8  # a module's side in the bitmap


def svg_codes(html: str) -> list[ET.Element]:
    """The inline SVG QR codes of a page, parsed (as XML: they must be well-formed)."""
    return [ET.fromstring(svg) for svg in QR_SVG.findall(html)]


def _path_rectangles(d: str):
    """The closed subpaths of an SVG path made of moves and horizontal and vertical lines
    (M/m, H/h, V/v, Z/z: what a QR code needs), each as its bounding box."""
    x = y = 0.0
    points: list[tuple[float, float]] = []
    for command, args in re.findall(r"([MmHhVvZz])([^MmHhVvZz]*)", d):
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", args)]
        if command in "Mm":
            x, y = (numbers[0], numbers[1]) if command == "M" else (x + numbers[0], y + numbers[1])
            points = [(x, y)]
        elif command in "Hh":
            for n in numbers:
                x = n if command == "H" else x + n
                points.append((x, y))
        elif command in "Vv":
            for n in numbers:
                y = n if command == "V" else y + n
                points.append((x, y))
        else:
            xs, ys = [p[0] for p in points], [p[1] for p in points]
            yield min(xs), min(ys), max(xs), max(ys)


def svg_image(svg: ET.Element) -> Image.Image:
    """The SVG drawn in black on white: its viewBox scaled to PIXELS a unit, each closed
    subpath of its paths filled (a QR code's paths are rectangles)."""
    _x, _y, width, height = (float(n) for n in svg.get("viewBox").split())
    image = Image.new("L", (round(width * PIXELS), round(height * PIXELS)), 255)
    draw = ImageDraw.Draw(image)
    for path in svg.iter(f"{SVG}path"):
        for left, top, right, bottom in _path_rectangles(path.get("d")):
            draw.rectangle(
                [left * PIXELS, top * PIXELS, right * PIXELS - 1, bottom * PIXELS - 1], fill=0
            )
    return image


def _image_of_rectangles(rectangles, *, flip: bool) -> Image.Image:
    """Rectangles (left, top, right, bottom) in module units drawn black on white, with as
    much white around as the leftmost one leaves (the quiet zone); `flip` for PDF's
    upward y."""
    margin = min(r[0] for r in rectangles)
    side = round(max(r[2] for r in rectangles) + margin)
    image = Image.new("L", (side * PIXELS, side * PIXELS), 255)
    draw = ImageDraw.Draw(image)
    for left, top, right, bottom in rectangles:
        if flip:
            top, bottom = side - bottom, side - top
        draw.rectangle(
            [left * PIXELS, top * PIXELS, right * PIXELS - 1, bottom * PIXELS - 1], fill=0
        )
    return image


def pdf_page_qr_images(page) -> list[Image.Image]:
    """The QR codes a pypdf page draws as reportlab draws them (residents/accounts/pdf.py):
    a filled path of many rectangles, in module units under the page's scaling."""
    images, path = [], []
    for operands, operator in ContentStream(page.get_contents(), page.pdf).operations:
        if operator == b"re":
            x, y, width, height = (float(n) for n in operands)
            path.append((x, y, x + width, y + height))
        elif operator in (b"f", b"f*", b"F"):
            if len(path) > 20:  # a box or a rule is a rectangle or two, a code hundreds
                images.append(_image_of_rectangles(path, flip=True))
            path = []
        elif operator in (b"S", b"s", b"n", b"B", b"B*", b"b", b"b*"):
            path = []
    return images


def decoded(image: Image.Image) -> list[str]:
    """The texts of the QR codes zxing-cpp finds in `image`."""
    return [
        result.text
        for result in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    ]


def page_qr_urls(html: str) -> list[str]:
    """What each QR code of a page reads as, one text a code."""
    texts = []
    for svg in svg_codes(html):
        found = decoded(svg_image(svg))
        assert len(found) == 1, f"a QR code on the page did not read as one code: {found}"
        texts.append(found[0])
    return texts

"""QR codes made on the server (jinzang/qr.py) and the `qr_code` tag that puts one on a
printed page: each reads back, with an independent reader, as exactly what it was made of."""

import pytest
from django.template import Context, Template
from django.test import override_settings
from django.utils import translation

from jinzang.links import absolute_url
from jinzang.qr import QR_QUIET_ZONE, qr_matrix, qr_svg
from tests.qr import decoded, page_qr_urls, svg_codes, svg_image

SITE = "https://jinzang.example"


@pytest.mark.parametrize(
    "text",
    [
        "https://jinzang.example/notices/7/",
        "https://jinzang.example/projects/12/households/3456/",
        "http://127.0.0.1:8000/projects/123456/summary/",
        "https://jinzang.example.org/join/K7MQ-3XPA-9TRD/",
    ],
)
def test_a_qr_code_reads_back_as_its_text(text):
    [svg] = svg_codes(qr_svg(text, label="QR"))

    assert decoded(svg_image(svg)) == [text]


def test_the_svg_is_one_crisp_path_named_for_screen_readers_and_sized_with_its_quiet_zone():
    text = "https://jinzang.example/notices/7/"
    [svg] = svg_codes(qr_svg(text, label="QR code: <7>"))

    side = len(qr_matrix(text)) + 2 * QR_QUIET_ZONE
    assert svg.get("viewBox") == f"0 0 {side} {side}"
    assert svg.get("shape-rendering") == "crispEdges"
    assert svg.get("role") == "img"
    assert svg.get("aria-label") == "QR code: <7>"  # escaped in the markup, read back whole
    assert svg.find("{http://www.w3.org/2000/svg}title").text == "QR code: <7>"
    assert len(list(svg.iter("{http://www.w3.org/2000/svg}path"))) == 1
    # no width or height of its own: print.css sizes it, and no style attribute (the CSP)
    assert svg.get("width") is None and svg.get("style") is None


def test_the_quiet_zone_is_white_on_every_side():
    image = svg_image(svg_codes(qr_svg("https://jinzang.example/notices/7/", label="QR"))[0])
    border = QR_QUIET_ZONE * 8  # tests.qr.PIXELS a module
    width, height = image.size
    for box in [(0, 0, width, border), (0, height - border, width, height)] + [
        (0, 0, border, height),
        (width - border, 0, width, height),
    ]:
        assert image.crop(box).getextrema() == (255, 255), box


@override_settings(SITE_URL=SITE)
def test_an_absolute_url_is_the_site_address_and_the_path():
    assert absolute_url("/notices/7/") == "https://jinzang.example/notices/7/"


@override_settings(SITE_URL=SITE)
def test_the_qr_code_tag_shows_the_code_its_caption_and_the_address_to_type():
    template = Template(
        '{% load i18n jinzang %}{% translate "Scan to read this notice online" as caption %}'
        '{% qr_code "/notices/7/" caption %}'
    )
    with translation.override("en"):
        html = template.render(Context())

    assert page_qr_urls(html) == ["https://jinzang.example/notices/7/"]
    assert "<figcaption>Scan to read this notice online<br>" in html
    assert '<a class="qr-url" href="https://jinzang.example/notices/7/">' in html
    assert 'aria-label="QR code: https://jinzang.example/notices/7/"' in html

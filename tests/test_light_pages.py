"""Light pages: compressed by the application with BREACH in mind, static files under hashed
names kept by browsers for good (README, "Light pages"). What a page costs in a browser is
measured in tests/e2e/test_phone_layout.py."""

import gzip
import re

import pytest
from django.middleware.csrf import _unmask_cipher_token
from django.templatetags.static import static
from django.test import Client
from django.urls import reverse

from jinzang.staticfiles import hashed_static_files

pytestmark = pytest.mark.django_db(transaction=True)

TOKENS = re.compile(r'(?:name="csrfmiddlewaretoken" value=|"X-CSRFToken": )"([^"]+)"')


def gzip_name_length(body: bytes) -> int:
    """The length of the file name in a gzip header: where Django hides the length."""
    assert body[:2] == b"\x1f\x8b" and body[3] & 0x08  # gzip, with FNAME set
    return body.index(b"\x00", 10) - 10


def test_a_page_is_gzipped_for_a_browser_that_accepts_it(staff_client, register):
    response = staff_client.get(reverse("residents:resident_list"), HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    html = gzip.decompress(response.content).decode()
    assert "李华玉" in html
    plain = staff_client.get(reverse("residents:resident_list"))
    assert not plain.has_header("Content-Encoding") and "李华玉" in plain.content.decode()


def test_every_csrf_token_on_a_page_is_masked_afresh_for_each_response(staff_user, register):
    """BREACH guesses a secret repeated in many compressed responses: the CSRF token is
    never the same twice, in the forms or in htmx's header, though it stands for the same
    secret."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    page = reverse("residents:resident_list")
    pages = [client.get(page).content.decode() for _ in range(3)]
    tokens = [TOKENS.findall(html) for html in pages]
    assert all(len(found) >= 3 for found in tokens)  # htmx's header, the two header forms
    # One token per response, for all its forms and htmx ...
    assert all(len(set(found)) == 1 for found in tokens)
    # ... never the same in two responses ...
    assert len({found[0] for found in tokens}) == 3
    # ... and each stands for the one secret of the session.
    assert len({_unmask_cipher_token(found[0]) for found in tokens}) == 1


def test_a_compressed_page_hides_its_length_with_random_padding(staff_client, register):
    page = reverse("residents:resident_list")
    names = {
        gzip_name_length(staff_client.get(page, HTTP_ACCEPT_ENCODING="gzip").content)
        for _ in range(8)
    }
    assert len(names) > 1  # the same length eight times would come once in 10^14


def test_static_files_are_named_by_their_hash_and_kept_for_good(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.DEBUG = True  # as in the demo: Django's storage would give the plain name
    with hashed_static_files():
        url = static("css/jinzang.css")
        assert re.fullmatch(r"/static/css/jinzang\.[0-9a-f]{12}\.css", url)
        assert (tmp_path / url.removeprefix("/static/")).with_suffix(".css.gz").exists()
        response = Client().get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200
        assert response["Cache-Control"] == "max-age=315360000, public, immutable"
        assert response["Content-Encoding"] == "gzip"
        body = gzip.decompress(b"".join(response.streaming_content)).decode()
        assert ".site-header" in body
        # A page names the same files.
        html = Client().get(reverse("notices:notice_list")).content.decode()
        assert url in html and re.search(r"/static/js/htmx\.min\.[0-9a-f]{12}\.js", html)


def test_without_a_manifest_in_development_the_files_keep_their_names(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "jinzang.staticfiles.HashedStaticFilesStorage"},
    }
    settings.STATIC_ROOT = "/nonexistent-jinzang-static"
    settings.DEBUG = True
    assert static("css/jinzang.css") == "/static/css/jinzang.css"

"""Uploads (jinzang/uploads.py): photos and PDFs are accepted only when they decode whole,
and a file replaced or deleted in the admin leaves storage (the app's own replacements are
tested where they happen: tests/projects/test_views.py for consent scans)."""

import io

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from pypdf import PdfWriter

from jinzang.admin import StoredFilesMixin
from jinzang.uploads import file_fields, validate_image_or_pdf
from tests.notices.factories import image_bytes, pdf_bytes, png_bytes

UNREADABLE = (
    "This file could not be read as a photo or a PDF: it is damaged, or another kind of file. "
    "Upload a photo (JPEG, PNG, GIF, WebP) or a PDF."
)


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def written_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def refusal(name, content):
    with pytest.raises(ValidationError) as refused:
        validate_image_or_pdf(upload(name, content))
    return refused.value.messages


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("现场.png", png_bytes()),
        ("现场.jpg", image_bytes("JPEG")),
        ("现场.gif", image_bytes("GIF")),
        ("现场.webp", image_bytes("WEBP")),
        ("协议.pdf", pdf_bytes()),
        ("协议.pdf", written_pdf()),
    ],
    ids=["png", "jpeg", "gif", "webp", "small pdf", "pdf written by pypdf"],
)
def test_whole_photos_and_pdfs_are_accepted_and_left_to_be_read_again(name, content):
    file = upload(name, content)

    validate_image_or_pdf(file)

    assert file.read() == content


def test_a_gif_header_followed_by_html_is_refused():
    polyglot = b"GIF89a" + b"<html><script>alert(document.cookie)</script></html>"

    assert refusal("x.gif", polyglot) == [UNREADABLE]


def test_a_truncated_png_is_refused():
    assert refusal("现场.png", png_bytes()[:-20]) == [UNREADABLE]


def test_a_truncated_jpeg_is_refused():
    photo = image_bytes("JPEG", size=(64, 64))

    assert refusal("现场.jpg", photo[: len(photo) // 2]) == [UNREADABLE]


def test_text_with_a_pdf_header_but_no_pdf_structure_is_refused():
    assert refusal("协议.pdf", b"%PDF-1.4\nThis is only text, named as a PDF.\n%%EOF\n") == [
        UNREADABLE
    ]


def test_a_pdf_without_pages_is_refused():
    writer = PdfWriter()
    out = io.BytesIO()
    writer.write(out)

    assert refusal("空白.pdf", out.getvalue()) == [UNREADABLE]


def test_a_file_of_another_kind_is_refused_by_its_first_bytes():
    assert refusal("x.pdf", b"hello") == ["Upload a photo (JPEG, PNG, GIF, WebP) or a PDF."]


def holds_files(model, seen=()) -> bool:
    """Whether deleting a row of `model` can delete a stored file: its own, or one of the
    rows deleted with it."""
    if model in seen:
        return False
    if file_fields(model):
        return True
    return any(
        rel.on_delete is models.CASCADE and holds_files(rel.related_model, (*seen, model))
        for rel in model._meta.related_objects
    )


def test_every_admin_that_can_replace_or_delete_a_file_removes_it_from_storage():
    concerned = [
        model_admin
        for model, model_admin in admin.site._registry.items()
        if holds_files(model) or any(holds_files(i.model) for i in model_admin.inlines)
    ]

    assert {type(a).__name__ for a in concerned} >= {"ConsentRecordAdmin", "NoticeAdmin"}
    assert [a for a in concerned if not isinstance(a, StoredFilesMixin)] == []

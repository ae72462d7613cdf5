"""Notices and their attachments, with Chinese text (Faker zh_CN)."""

import datetime
import io
import struct
import zlib

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from committees.models import Notice, NoticeAttachment
from tests.factories import BodyFactory


def png_bytes() -> bytes:
    """A real 1×1 PNG (white)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def image_bytes(fmt: str = "PNG", size=(8, 6)) -> bytes:
    """A real image in `fmt` (JPEG, PNG, GIF, WEBP), made by Pillow."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format=fmt)
    return out.getvalue()


def pdf_bytes() -> bytes:
    """A small one-page PDF."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def days_ago(n: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=n)


class NoticeFactory(factory.django.DjangoModelFactory):
    """A notice for the whole community of its body, published yesterday, not expiring.

    `compounds`, `courtyards` and `buildings` take lists to address it to some places.
    """

    class Meta:
        model = Notice
        skip_postgeneration_save = True

    body = factory.SubFactory(BodyFactory)
    title = factory.Faker("sentence", nb_words=6, locale="zh_CN")
    text = factory.Faker("paragraph", nb_sentences=3, locale="zh_CN")
    category = Notice.Category.ANNOUNCEMENT
    for_whole_community = True
    publish_at = factory.LazyFunction(lambda: days_ago(1))
    expires_at = None
    pinned = False

    @factory.post_generation
    def compounds(self, create, extracted, **kwargs):
        if create and extracted:
            self.compounds.set(extracted)

    @factory.post_generation
    def courtyards(self, create, extracted, **kwargs):
        if create and extracted:
            self.courtyards.set(extracted)

    @factory.post_generation
    def buildings(self, create, extracted, **kwargs):
        if create and extracted:
            self.buildings.set(extracted)


class NoticeAttachmentFactory(factory.django.DjangoModelFactory):
    """A PNG attached to a notice."""

    class Meta:
        model = NoticeAttachment

    notice = factory.SubFactory(NoticeFactory)
    title = "公示照片.png"
    file = factory.LazyFunction(lambda: upload("公示照片.png", png_bytes(), "image/png"))

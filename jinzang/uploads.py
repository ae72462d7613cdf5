"""Uploads every app accepts: photos and PDFs, checked by decoding them whole, size-limited;
and the removal of a stored file once it is replaced or its row deleted."""

import math
import warnings

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models, router, transaction
from django.db.models.deletion import Collector
from django.utils.translation import gettext_lazy as _
from PIL import Image
from pypdf import PdfReader

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
EXTENSIONS = ["pdf", "jpg", "jpeg", "png", "gif", "webp"]
extension_validator = FileExtensionValidator(EXTENSIONS)

_SIGNATURES = (b"%PDF-", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")
_IMAGE_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}


def validate_image_or_pdf(upload) -> None:
    """An image (JPEG, PNG, GIF, WebP) or a PDF, at most 5 MB, that decodes whole: an image
    Pillow verifies and loads, a PDF pypdf reads with at least one page. The first bytes
    alone let through a GIF header followed by HTML. A stored file was checked when it came
    in and is not read again."""
    if getattr(upload, "_committed", False):
        return
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is %(size)s MB; the limit is 5 MB.")
            # rounded up, so that a file just over the limit never reads "5.00"
            % {"size": f"{math.ceil(upload.size * 100 / 1024 / 1024) / 100:.2f}"},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(12)
    upload.seek(0)
    is_webp = head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    if not (head.startswith(_SIGNATURES) or is_webp):
        raise ValidationError(
            _("Upload a photo (JPEG, PNG, GIF, WebP) or a PDF."),
            code="bad_type",
        )
    try:
        readable = _pdf_reads(upload) if head.startswith(b"%PDF-") else _image_decodes(upload)
    finally:
        upload.seek(0)
    if not readable:
        raise ValidationError(
            _(
                "This file could not be read as a photo or a PDF: it is damaged, or another "
                "kind of file. Upload a photo (JPEG, PNG, GIF, WebP) or a PDF."
            ),
            code="unreadable",
        )


def _image_decodes(upload) -> bool:
    # A picture too large to decode safely counts as unreadable, like a broken one.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(upload) as image:
                if image.format not in _IMAGE_FORMATS:
                    return False
                image.verify()  # the structure and checksums; leaves the image unusable
            upload.seek(0)
            with Image.open(upload) as image:
                image.load()  # every pixel: a truncated or forged body fails here
        except Exception:  # Pillow raises many kinds (OSError, SyntaxError, ValueError, ...)
            return False
    return True


def _pdf_reads(upload) -> bool:
    try:
        reader = PdfReader(upload)
        if reader.is_encrypted and not reader.decrypt(""):
            return False
        return len(reader.pages) > 0
    except Exception:  # pypdf raises its own errors and, on odd input, Python's
        return False


# Removing stored files. A file goes only once the transaction that replaced it or deleted
# its row commits: a rollback leaves the row pointing at it.


def file_fields(model):
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def files_discard(files) -> None:
    """Delete `files` (FieldFiles, or (storage, name) pairs) from storage on commit."""
    pairs = [f if isinstance(f, tuple) else (f.storage, f.name) for f in files if f]
    pairs = [(storage, name) for storage, name in pairs if name]

    def delete():
        for storage, name in pairs:
            storage.delete(name)

    if pairs:
        transaction.on_commit(delete)


def files_of_deletion(objs) -> list[tuple]:
    """(storage, name) of every file held by `objs` (a queryset or a list of rows of one
    model) and by the rows deleting them would delete with them."""
    objs = list(objs)
    if not objs:
        return []
    collector = Collector(using=router.db_for_write(type(objs[0])))
    collector.collect(objs)
    files = []
    for model, rows in collector.data.items():
        for field in file_fields(model):
            files += [(field.storage, getattr(row, field.attname)) for row in rows]
    for rows in collector.fast_deletes:
        for field in file_fields(rows.model):
            files += [(field.storage, name) for name in rows.values_list(field.attname, flat=True)]
    return [(storage, str(name)) for storage, name in files if name]


def files_replaced(form) -> list:
    """The stored files a bound model form (valid, not yet saved) replaces or clears."""
    replaced = []
    for field in file_fields(form._meta.model):
        old = form.initial.get(field.name)
        new = getattr(form.instance, field.attname)
        if field.name in form.changed_data and old and old.name != (new.name if new else ""):
            replaced.append(old)
    return replaced

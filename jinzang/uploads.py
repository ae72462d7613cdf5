"""Uploads every app accepts: photos and PDFs, checked by their content, size-limited."""

import math

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
EXTENSIONS = ["pdf", "jpg", "jpeg", "png", "gif", "webp"]
extension_validator = FileExtensionValidator(EXTENSIONS)

_SIGNATURES = (b"%PDF-", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")


def validate_image_or_pdf(upload) -> None:
    """An image (JPEG, PNG, GIF, WebP) or a PDF, by its first bytes, at most 5 MB."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is %(size)s MB; the limit is 5 MB.")
            # rounded up, so that a file just over the limit never reads "5.00"
            % {"size": f"{math.ceil(upload.size * 100 / 1024 / 1024) / 100:.2f}"},
            code="too_large",
        )
    head = upload.read(12)
    upload.seek(0)
    is_webp = head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    if not (head.startswith(_SIGNATURES) or is_webp):
        raise ValidationError(
            _("Upload a photo (JPEG, PNG, GIF, WebP) or a PDF."),
            code="bad_type",
        )

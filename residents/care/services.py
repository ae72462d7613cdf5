"""Writes for care records."""

from django.db import transaction

from residents.models import CareRecord


@transaction.atomic
def care_record_save(*, record: CareRecord) -> CareRecord:
    """Validate and save `record` (new or changed), with its history row."""
    record.full_clean()
    record.save()
    return record

"""Personal information (docs/domain.md, "Personal information"): every showing of a
resident's full numbers logged, and ID numbers that cannot be registered refused without
telling whose they are."""

import logging

from django.core.cache import cache
from django.utils.translation import gettext_lazy

from residents.models import PersonalDataReveal, Resident

logger = logging.getLogger(__name__)


def personal_data_reveal(
    *, user, residents, path: str, fields=("phone", "id_number"), reason: str = ""
) -> None:
    """Log that `user` was shown the full `fields` (phone, ID number) of `residents`, those
    they have, on the page `path`, for `reason` (a PersonalDataReveal.Reason, when they
    asked for them on a page): one insert, whatever the number of residents."""
    rows = []
    for resident in residents:
        shown = [f for f in fields if getattr(resident, f)]
        if shown and resident.pk:
            rows.append(
                PersonalDataReveal(
                    user=user if user.is_authenticated else None,
                    resident=resident,
                    fields=",".join(shown),
                    path=path[:300],
                    reason=reason,
                )
            )
    PersonalDataReveal.objects.bulk_create(rows)


def personal_data_export_log(
    *, user, path: str, resident_count: int, fields=("phone", "id_number")
) -> None:
    """Log that `user` exported the full `fields` of `resident_count` residents from `path`
    (with its query string): one row per export, however many residents it held; nothing
    when it held none."""
    if resident_count:
        PersonalDataReveal.objects.create(
            user=user if user.is_authenticated else None,
            kind=PersonalDataReveal.Kind.EXPORT,
            resident=None,
            resident_count=resident_count,
            fields=",".join(fields),
            path=path[:300],
        )


# ID numbers are unique in the whole register (a database constraint), so one held outside the
# part whose personal data a user may see cannot be registered there, and refusing it tells
# that it is registered. Numbers of one place and birth date differ only in their three serial
# digits: a thousand tries would find a resident's full number. So the refusal names nothing,
# each one is logged, and past this many a day a user's every new number gets it, registered
# or not, so that trying numbers stops telling anything.
ELSEWHERE_PER_DAY = 5
ELSEWHERE_SECONDS = 24 * 60 * 60
ID_NUMBER_REFUSED = gettext_lazy("This ID number cannot be registered here; ask the administrator.")


def id_numbers_refused(*, user, id_numbers, where: str) -> set[str]:
    """Of `id_numbers`, none of them held by a resident whose personal data `user` may see,
    those that `user` may not register (at the page or import `where`): those held by a
    resident elsewhere, or all of them once the user has met ELSEWHERE_PER_DAY of those."""
    wanted = sorted(set(id_numbers))
    if not wanted:
        return set()
    held = {}
    for start in range(0, len(wanted), 500):
        held.update(
            Resident.objects.filter(id_number__in=wanted[start : start + 500]).values_list(
                "id_number", "pk"
            )
        )
    key = f"residents:id-numbers-elsewhere:{user.pk}"
    met = cache.get(key, 0)
    if held:
        try:
            met = cache.incr(key, len(held))
        except ValueError:  # the first of the day (or the day just ended)
            met = len(held)
            cache.set(key, met, ELSEWHERE_SECONDS)
    for pk in held.values():
        logger.warning(
            "ID number registration refused: user #%s (%s) at %s gave the ID number of "
            "resident #%s, outside their part (%s this day)",
            user.pk,
            user.get_username(),
            where,
            pk,
            met,
        )
    if met >= ELSEWHERE_PER_DAY:
        return set(wanted)
    return set(held)

"""Printing and revoking access letters (docs/domain.md, "The residents' own door").

A printing reads the residents of the households in one query, renders the PDF (the
codes exist only in it: the database keeps their digests) and then writes the printing,
the revocations of the residents' older letters and the new letters in one short
transaction. A large compound's thousand letters cost the same number of queries as one.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jinzang.links import absolute_url
from residents.accounts import codes
from residents.models import AccessLetter, LetterPrinting, Membership

ADULT_AGE = 18
VALID_DAYS = 60


def letter_path(grouped_code: str) -> str:
    """The path a letter's QR code opens: the sign-in's page of the code."""
    return reverse("join_code", kwargs={"code": grouped_code})


def join_path() -> str:
    """The page where a resident types the code by hand."""
    return reverse("join")


def letter_link(code: str) -> str:
    """The absolute link printed (as a QR code) on a letter: SITE_URL and the code grouped
    as printed, so that the link and the code read alike."""
    return absolute_url(letter_path(codes.code_grouped(codes.code_normalised(code))))


def join_link() -> str:
    return absolute_url(join_path())


@dataclass(frozen=True)
class Recipient:
    """One letter to print: whom for, which door, and the code (only ever in memory)."""

    resident_id: int
    household_id: int
    name: str
    door: str
    code: str


def adult_q(prefix: str = "", today: datetime.date | None = None) -> Q:
    """Residents aged 18 or over this year, by year of birth; an unknown age counts as
    adult (the register often lacks it, and a letter too many harms less than none)."""
    year = (today or timezone.localdate()).year
    return Q(**{f"{prefix}birth_year__isnull": True}) | Q(
        **{f"{prefix}birth_year__lte": year - ADULT_AGE}
    )


OWNER_RELATIONS = (Membership.Relation.OWNER, Membership.Relation.CO_OWNER)


def recipients_q(purpose: str) -> Q:
    """The memberships a letter of `purpose` goes to: every adult, or every owner and
    co-owner (whose letters serve owners' decisions, an owner of any age voting)."""
    if purpose == AccessLetter.Purpose.OWNER:
        return Q(relation__in=OWNER_RELATIONS)
    return adult_q("resident__")


def letters_counts(households) -> dict:
    """How many letters each purpose would print for `households`, and how many of those
    residents hold an account already: one query, for the print form."""
    memberships = Membership.objects.filter(household__in=households)
    return memberships.aggregate(
        adults=Count("resident", distinct=True, filter=recipients_q(AccessLetter.Purpose.RESIDENT)),
        owners=Count("resident", distinct=True, filter=recipients_q(AccessLetter.Purpose.OWNER)),
        with_account=Count("resident", distinct=True, filter=Q(resident__account__isnull=False)),
    )


def letters_recipients(*, households, purpose: str, skip_bound: bool = False) -> list[Recipient]:
    """One recipient per resident (the first of their doors among `households`, in the
    order of delivery), each with a fresh code."""
    rows = (
        Membership.objects.filter(household__in=households)
        .filter(recipients_q(purpose))
        .order_by(
            "household__unit__building__compound__name",
            "household__unit__building__number",
            "household__unit__number",
            "household__door_number",
            "relation",
            "resident__name",
            "pk",
        )
        .values_list(
            "resident_id",
            "resident__name",
            "household_id",
            "household__unit__building__compound__name",
            "household__unit__building__number",
            "household__unit__number",
            "household__door_number",
        )
    )
    if skip_bound:
        rows = rows.filter(resident__account__isnull=True)
    seen, recipients = set(), []
    for resident_id, name, household_id, compound, building, unit, door in rows:
        if resident_id in seen:
            continue
        seen.add(resident_id)
        recipients.append(
            Recipient(
                resident_id=resident_id,
                household_id=household_id,
                name=name,
                door=_("%(compound)s building %(building)s unit %(unit)s, %(door)s")
                % {"compound": compound, "building": building, "unit": unit, "door": door},
                code=codes.code_new(),
            )
        )
    return recipients


def letters_print(
    *,
    households,
    by,
    purpose: str,
    paper: str,
    valid_days: int = VALID_DAYS,
    place: str = "",
    skip_bound: bool = False,
    now: datetime.datetime | None = None,
) -> tuple[LetterPrinting, bytes]:
    """Print a letter for each resident aged 18 or over (or each owner and co-owner, for
    `purpose` owner) of `households`: the logged printing and the PDF, one page a letter.

    The residents' older letters not used yet are revoked (a new letter revokes the old;
    `revoked_by` stays empty for these). Nobody to print for is refused with the reason,
    and nothing is written."""
    from residents.accounts.pdf import letters_pdf

    if purpose not in AccessLetter.Purpose.values:
        raise ValidationError(_("Choose whom the letters are for."))
    if paper not in LetterPrinting.Paper.values:
        raise ValidationError(_("Choose A4 or A5 paper."))
    if not 1 <= valid_days <= 365:
        raise ValidationError(_("A letter is valid for 1 to 365 days."))
    now = now or timezone.now()
    expires_at = now + datetime.timedelta(days=valid_days)
    recipients = letters_recipients(households=households, purpose=purpose, skip_bound=skip_bound)
    if not recipients:
        if purpose == AccessLetter.Purpose.OWNER:
            raise ValidationError(_("No owner or co-owner is registered here: no letter to print."))
        raise ValidationError(
            _("No resident aged 18 or over is registered here, or all have an account already.")
            if skip_bound
            else _("No resident aged 18 or over is registered here: no letter to print.")
        )
    # The codes are rendered before anything is written: a failure leaves no letter that
    # nobody holds, and the transaction stays short.
    pdf = letters_pdf(recipients, paper=paper, expires_at=expires_at, printed_at=now)
    with transaction.atomic():
        printing = LetterPrinting.objects.create(
            printed_by=by,
            printed_at=now,
            place=place[:200],
            paper=paper,
            letter_count=len(recipients),
        )
        AccessLetter.objects.filter(
            resident_id__in=[r.resident_id for r in recipients],
            used_at__isnull=True,
            revoked_at__isnull=True,
        ).update(revoked_at=now)
        AccessLetter.objects.bulk_create(
            AccessLetter(
                resident_id=r.resident_id,
                household_id=r.household_id,
                purpose=purpose,
                code_digest=codes.code_digest(r.code),
                printing=printing,
                expires_at=expires_at,
            )
            for r in recipients
        )
    return printing, pdf


def letter_revoke(*, letter: AccessLetter, by, now=None) -> AccessLetter:
    """Revoke one letter that has not been used: its code no longer binds an account. A
    used letter's account stays (revoking would not undo it) and is refused, as is a
    letter revoked already."""
    now = now or timezone.now()
    with transaction.atomic():
        letter = AccessLetter.objects.select_for_update().get(pk=letter.pk)
        if letter.used_at:
            raise ValidationError(
                _("This letter has been used already: the resident's account exists.")
            )
        if letter.revoked_at:
            raise ValidationError(_("This letter was revoked already."))
        letter.revoked_at = now
        letter.revoked_by = by
        letter.save(update_fields=["revoked_at", "revoked_by"])
    return letter


def letters_revoke_household(*, household, by, now=None) -> int:
    """Revoke every letter delivered to `household` that has not been used or revoked:
    the number revoked (0 when none was left)."""
    now = now or timezone.now()
    with transaction.atomic():
        return AccessLetter.objects.filter(
            household=household, used_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now, revoked_by=by)

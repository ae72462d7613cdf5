"""Writes on the three bodies: terms, seats (and the access they grant), elections."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from committees.models import Ballot, Body, Candidate, Election, Member, Term
from residents.models import AccessGrant, Household, Membership
from residents.owners.owners_vote import tally_election
from residents.owners.services import owner_roll_freeze


def _lock(body: Body) -> Body:
    """Serialise writes on one body's terms and seats (a no-op lock on SQLite)."""
    return Body.objects.select_for_update().get(pk=body.pk)


def _grant_for(member: Member) -> AccessGrant | None:
    """The access a seat gives: staff of the community, or a member of the body's place."""
    if member.user_id is None:
        return None
    body = member.term.body
    ends_on = member.ends_on or member.term.ends_on
    with translation.override(settings.LANGUAGE_CODE):  # stored text: the site's language
        reason = _("%(role)s of %(body)s, term %(number)s") % {
            "role": member.get_role_display(),
            "body": body.name,
            "number": member.term.number,
        }
    fields = {
        "user_id": member.user_id,
        "community_id": body.community_id,
        "role": (
            AccessGrant.Role.NEIGHBOURHOOD_STAFF
            if body.kind == Body.Kind.NEIGHBOURHOOD
            else AccessGrant.Role.COMMITTEE_MEMBER
        ),
        "compound_id": body.compound_id,
        "courtyard_id": body.courtyard_id,
        "reason": reason[:200],
        "starts_on": member.starts_on,
        "ends_on": ends_on,
    }
    grant = member.access_grant or AccessGrant()
    for name, value in fields.items():
        setattr(grant, name, value)
    grant.save()
    return grant


def _validate(obj) -> None:
    obj.full_clean()


@transaction.atomic
def term_start(
    *,
    body: Body,
    number: int,
    starts_on: datetime.date,
    formed_by: str = Term.FormedBy.ELECTION,
    ends_on: datetime.date | None = None,
    notes: str = "",
) -> Term:
    """Start a term. A running term without an end date ends the day before, with its seats."""
    body = _lock(body)
    running = body.terms.filter(ends_on__isnull=True, starts_on__lt=starts_on).first()
    if running is not None:
        term_end(term=running, ends_on=starts_on - datetime.timedelta(days=1))
    term = Term(
        body=body,
        number=number,
        starts_on=starts_on,
        ends_on=ends_on,
        formed_by=formed_by,
        notes=notes,
    )
    _validate(term)
    term.save()
    return term


@transaction.atomic
def term_end(*, term: Term, ends_on: datetime.date) -> Term:
    """End a term and every seat still open in it (and the access those seats gave)."""
    if ends_on < term.starts_on:
        raise ValidationError({"ends_on": _("A term cannot end before it starts.")})
    term.ends_on = ends_on
    term.save(update_fields=["ends_on"])
    for member in term.members.filter(ends_on__isnull=True).select_related("access_grant"):
        member_end(member=member, ends_on=max(ends_on, member.starts_on))
    return term


@transaction.atomic
def member_add(
    *,
    term: Term,
    role: str,
    starts_on: datetime.date,
    resident=None,
    user=None,
    name: str = "",
    is_party_member: bool = False,
) -> Member:
    """Give someone a seat in a term; a login account gets the access the seat carries."""
    _lock(term.body)
    member = Member(
        term=term,
        resident=resident,
        user=user,
        name=name,
        is_party_member=is_party_member if resident is None else False,
        role=role,
        starts_on=starts_on,
    )
    _validate(member)
    if term.ends_on and starts_on > term.ends_on:
        raise ValidationError({"starts_on": _("The seat starts after the term has ended.")})
    if starts_on < term.starts_on:
        raise ValidationError({"starts_on": _("The seat starts before the term does.")})
    member.save()
    member.access_grant = _grant_for(member)
    member.save(update_fields=["access_grant"])
    return member


@transaction.atomic
def member_end(*, member: Member, ends_on: datetime.date) -> Member:
    """End a seat, and the access it gave on the same day."""
    if ends_on < member.starts_on:
        raise ValidationError({"ends_on": _("A seat cannot end before it starts.")})
    member.ends_on = ends_on
    member.save(update_fields=["ends_on"])
    if member.access_grant_id:
        member.access_grant.ends_on = ends_on
        member.access_grant.save(update_fields=["ends_on"])
    return member


def body_households(body: Body):
    """The households of the place an owners' committee serves."""
    households = Household.objects.filter(unit__building__compound=body.compound_id)
    if body.courtyard_id:
        households = households.filter(unit__building__courtyard=body.courtyard_id)
    return households


@transaction.atomic
def election_open(*, term: Term, seats: int, held_on: datetime.date) -> Election:
    """Open the election of an owners' committee term, freezing its owners and areas."""
    body = term.body
    if body.kind != Body.Kind.OWNERS:
        raise ValidationError(_("Only owners' committees are elected by the owners."))
    if term.formed_by != Term.FormedBy.ELECTION:
        raise ValidationError(_("This term was formed by appointment, not by an election."))
    if Election.objects.filter(term=term).exists():
        raise ValidationError(_("This term already has an election."))
    with translation.override(settings.LANGUAGE_CODE):  # stored text: the site's language
        description = _("Owners of %(place)s, election of term %(number)s") % {
            "place": body.place,
            "number": term.number,
        }
    roll = owner_roll_freeze(households=body_households(body), description=description)
    return Election.objects.create(term=term, seats=seats, held_on=held_on, roll=roll)


def _require_open(election: Election) -> None:
    if election.status != Election.Status.OPEN:
        raise ValidationError(_("The election is closed; its ballots can no longer change."))


@transaction.atomic
def candidate_add(*, election: Election, resident) -> Candidate:
    election = Election.objects.select_for_update().get(pk=election.pk)
    _require_open(election)
    candidate = Candidate(election=election, resident=resident)
    _validate(candidate)
    candidate.save()
    return candidate


@transaction.atomic
def ballot_record(
    *, election: Election, household, voter, candidates, recorded_by, recorded_at=None
) -> Ballot:
    """Record one owner's ballot. Refused: a non-owner, a household not on the roll, a
    second ballot from the same owner, more choices than seats, a closed election.
    `recorded_at` is when the paper ballot was cast, if not now."""
    election = Election.objects.select_for_update().select_related("roll").get(pk=election.pk)
    _require_open(election)
    entry = election.roll.entries.filter(household=household).first()
    if entry is None:
        raise ValidationError(
            {"household": _("This household is not on the election's roll of owners.")}
        )
    is_owner = Membership.objects.filter(
        household=household,
        resident=voter,
        relation__in=[Membership.Relation.OWNER, Membership.Relation.CO_OWNER],
    ).exists()
    if not is_owner:
        raise ValidationError(
            {"voter": _("Only an owner or co-owner of the household can cast its ballot.")}
        )
    if Ballot.objects.filter(election=election, owner_key=entry.owner_key).exists():
        raise ValidationError(
            {
                "household": _(
                    "This owner has already voted (co-owners vote together, and an owner of "
                    "several units votes once)."
                )
            }
        )
    candidates = list(candidates)
    if len(candidates) > election.seats:
        raise ValidationError(
            {
                "choices": _("A ballot may name at most %(seats)s candidates.")
                % {"seats": election.seats}
            }
        )
    if any(c.election_id != election.pk for c in candidates):
        raise ValidationError({"choices": _("Choose among this election's candidates.")})
    ballot = Ballot.objects.create(
        election=election,
        household=household,
        voter=voter,
        owner_key=entry.owner_key,
        recorded_by=recorded_by,
        recorded_at=recorded_at or timezone.now(),
    )
    ballot.choices.set(candidates)
    return ballot


def election_result(election: Election):
    """The count so far (or final): participation and each candidate's votes by head and area."""
    ballots: dict[str, list] = {}
    for key in election.ballots.values_list("owner_key", flat=True):
        ballots[key] = []
    candidates = list(election.candidates.select_related("resident"))
    by_pk = {c.pk: c for c in candidates}
    for key, candidate_id in Ballot.choices.through.objects.filter(
        ballot__election=election
    ).values_list("ballot__owner_key", "candidate_id"):
        ballots[key].append(by_pk[candidate_id])
    return tally_election(
        electorate=election.roll.electorate(),
        ballots=ballots,
        candidates=candidates,
        seats=election.seats,
    )


@transaction.atomic
def election_close(*, election: Election, seat_elected: bool = True) -> Election:
    """Close the count; the elected take seats in the term unless they already hold one."""
    election = Election.objects.select_for_update().select_related("term").get(pk=election.pk)
    _require_open(election)
    result = election_result(election)
    election.status = Election.Status.CLOSED
    election.save(update_fields=["status"])
    if seat_elected and result.participation_reached:
        term = election.term
        seated = set(
            term.members.filter(ends_on__isnull=True).values_list("resident_id", flat=True)
        )
        for candidate in result.elected:
            if candidate.resident_id not in seated:
                member_add(
                    term=term,
                    role=Member.Role.MEMBER,
                    starts_on=max(term.starts_on, election.held_on),
                    resident=candidate.resident,
                )
    return election

"""Writes on the three bodies: terms, seats (and the access they grant), elections with their
run-offs, the chair the elected choose and the filing of the election.

Each round of an election is an owners' decision: drafted (`election_create`, or
`election_runoff`), announced, opened, closed and published through the generic steps of
committees/decisions.py (docs/domain.md, "Owners' decisions"); what is counted and how is
here."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from committees import decisions as steps
from committees.models import (
    Ballot,
    Body,
    Candidate,
    ChairChoice,
    Election,
    ElectionFiling,
    Member,
    Term,
)
from committees.models.bodies import FILING_DAYS, validate_committee_size
from committees.models.decisions import Stage
from residents.models import AccessGrant, Household, Membership, OwnerRoll
from residents.owners.owners_vote import (
    CandidateResult,
    ElectionResult,
    Heads,
    Matter,
    rule_text,
    tally_election,
)
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


def _roll(term: Term, round: int):
    """Freeze the owners and areas of the body's place for one round of the term's election."""
    body = term.body
    with translation.override(settings.LANGUAGE_CODE):  # stored text: the site's language
        if round == 1:
            description = _("Owners of %(place)s, election of term %(number)s") % {
                "place": body.place,
                "number": term.number,
            }
        else:
            description = _("Owners of %(place)s, election of term %(number)s, run-off %(n)s") % {
                "place": body.place,
                "number": term.number,
                "n": round - 1,
            }
    return owner_roll_freeze(households=body_households(body), description=description)


def _ballot_question(seats: int) -> str:
    with translation.override(settings.LANGUAGE_CODE):  # stored text: the site's language
        return _(
            "Name at most %(seats)s of the candidates; a blank ballot still counts towards "
            "participation."
        ) % {"seats": seats}


def _check_order(opens_at, closes_at) -> None:
    if opens_at and closes_at and closes_at <= opens_at:
        raise ValidationError({"closes_at": _("Voting must close after it opens.")})


@transaction.atomic
def election_create(
    *,
    term: Term,
    seats: int,
    held_on: datetime.date,
    text: str = "",
    opens_at: datetime.datetime | None = None,
    closes_at: datetime.datetime | None = None,
) -> Election:
    """Draft the election of an owners' committee term: its seats, the text put to the
    owners and the voting period; the candidates are named next, then the election is
    announced (docs/domain.md, "Owners' decisions"). The committee has 5 to 11 members,
    an odd number (docs/domain.md, "The three bodies")."""
    body = term.body
    if body.kind != Body.Kind.OWNERS:
        raise ValidationError(_("Only owners' committees are elected by the owners."))
    if term.formed_by != Term.FormedBy.ELECTION:
        raise ValidationError(_("This term was formed by appointment, not by an election."))
    try:
        validate_committee_size(seats)
    except ValidationError as error:
        raise ValidationError({"seats": error}) from None
    _check_order(opens_at, closes_at)
    _lock(body)
    if Election.objects.filter(term=term).exists():
        raise ValidationError(
            _(
                "This term already has an election; a tie for the last seats is settled by "
                "a run-off, held from the election's page."
            )
        )
    election = Election(
        term=term,
        round=1,
        seats=seats,
        held_on=held_on,
        text=text.strip(),
        ballot=_ballot_question(seats),
        opens_at=opens_at,
        closes_at=closes_at,
    )
    _validate(election)
    election.save()
    return election


def _locked(election: Election) -> Election:
    return (
        Election.objects.select_for_update(of=("self",))
        .select_related("term__body__compound", "term__body__courtyard", "roll")
        .get(pk=election.pk)
    )


@transaction.atomic
def candidate_add(*, election: Election, resident) -> Candidate:
    """Name a candidate while the election is a draft: the announcement names them all."""
    election = _locked(election)
    if election.is_runoff:
        raise ValidationError(
            _("A run-off is among the candidates tied in the round before; nobody else stands.")
        )
    if election.stage() != Stage.DRAFT:
        raise ValidationError(
            _("The election is announced with its candidates: nobody can stand any more.")
        )
    candidate = Candidate(election=election, resident=resident)
    _validate(candidate)
    candidate.save()
    return candidate


def _audience(body: Body) -> dict:
    """The notice board of the place the committee serves."""
    if body.courtyard_id:
        return {"courtyards": [body.courtyard]}
    return {"compounds": [body.compound]}


def _when(at) -> str:
    return f"{timezone.localtime(at):%Y-%m-%d %H:%M}"


def _names(election: Election) -> str:
    return _("、").join(election.candidates.order_by("pk").values_list("resident__name", flat=True))


@transaction.atomic
def election_announce(*, election: Election, by, now=None) -> Election:
    """Announce the election (docs/domain.md, "Owners' decisions", step 2): the notice of
    the seats, the candidates and the voting period goes up on the notice board of the
    committee's place; voting may open once the notice period is over."""
    election = _locked(election)
    body = election.term.body
    if not election.candidates.exists():
        raise ValidationError(_("Name the candidates before announcing: the notice names them."))
    if election.is_runoff:
        opening = _(
            "%(body)s announces a run-off of the owners' election of term %(number)s, for "
            "the owners of %(place)s: the candidates tied for the last seats stand again, "
            "among themselves only."
        )
    else:
        opening = _(
            "%(body)s announces the owners' election of term %(number)s of the committee, "
            "for the owners of %(place)s."
        )
    text = "\n\n".join(
        part
        for part in [
            opening % {"body": body.name, "number": election.term.number, "place": body.place},
            _("Seats: %(seats)s. Candidates: %(names)s.")
            % {"seats": election.seats, "names": _names(election)},
            election.text.strip(),
            _("The ballot: %(ballot)s") % {"ballot": election.ballot.strip()},
            _(
                "Voting opens at %(opens)s and closes at %(closes)s. Each owner casts one "
                "ballot: an owner of several units votes once, co-owners vote together."
            )
            % {
                "opens": _when(election.opens_at) if election.opens_at else "",
                "closes": _when(election.closes_at) if election.closes_at else "",
            },
            rule_text(Matter.ELECT_COMMITTEE),
        ]
        if part
    )
    return steps.decision_announce(
        decision=election,
        body=body,
        title=str(election),
        text=text,
        audience=_audience(body),
        by=by,
        now=now,
    )


@transaction.atomic
def election_vote_open(*, election: Election, by=None, now=None) -> Election:
    """Open the vote once the notice period is over, freezing the owners and areas of the
    committee's place (the denominator)."""
    now = now or timezone.now()
    election = _locked(election)
    steps.check_may_open(election, now)
    election.roll = _roll(election.term, election.round)
    OwnerRoll.objects.filter(pk=election.roll_id).update(created_at=now)
    election.vote_opened_at, election.opened_by = now, by
    election.save(update_fields=["roll", "vote_opened_at", "opened_by"])
    return election


@transaction.atomic
def ballot_record(
    *, election: Election, household, voter, candidates, recorded_by, recorded_at=None
) -> Ballot:
    """Record one owner's ballot, cast while the vote is open (from its opening to its
    closing time). Refused: a ballot outside the voting period, a non-owner, a household
    not on the roll, a second ballot from the same owner, more choices than seats.
    `recorded_at` is when the paper ballot was cast, if not now."""
    election = (
        Election.objects.select_for_update(of=("self",)).select_related("roll").get(pk=election.pk)
    )
    recorded_at = recorded_at or timezone.now()
    if election.status == Election.Status.CLOSED:
        raise ValidationError(_("The election is closed; its ballots can no longer change."))
    try:
        election.check_accepts_answers(recorded_at)
    except ValidationError as error:
        raise ValidationError(
            _("No ballot can be recorded: %(why)s") % {"why": " ".join(error.messages)}
        ) from None
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
        recorded_at=recorded_at,
    )
    ballot.choices.set(candidates)
    return ballot


def _count(election: Election) -> ElectionResult:
    """The live count: participation and each candidate's votes by head and area."""
    candidates = list(election.candidates.select_related("resident"))
    if election.roll_id is None:  # not open yet: nobody has voted
        return ElectionResult(
            electorate=Heads(),
            participating=Heads(),
            participation_reached=False,
            candidates=tuple(CandidateResult(c, Heads(), False) for c in candidates),
        )
    ballots: dict[str, list] = {}
    for key in election.ballots.values_list("owner_key", flat=True):
        ballots[key] = []
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


def _heads(pair) -> Heads:
    return Heads(pair[0], Decimal(pair[1]))


def result_snapshot(election: Election, result: ElectionResult) -> dict:
    """The result as frozen at the close (JSON, areas as exact text): participation, each
    candidate's votes by head and area, who is elected and who tied. Names of candidates
    and counts are public; voters are not in it."""
    return {
        "matter": str(Matter.ELECT_COMMITTEE),
        "seats": election.seats,
        "ballots": election.ballots.count(),
        "electorate": [result.electorate.owners, str(result.electorate.area)],
        "participating": [result.participating.owners, str(result.participating.area)],
        "participation_reached": result.participation_reached,
        "candidates": [
            {
                "candidate": row.candidate.pk,
                "name": row.candidate.resident.name,
                "votes": [row.votes.owners, str(row.votes.area)],
                "majority": row.majority,
                "elected": row.elected,
            }
            for row in result.candidates
        ],
        "tied": [c.pk for c in result.tied],
        "rule": rule_text(Matter.ELECT_COMMITTEE),
    }


def _from_snapshot(election: Election) -> ElectionResult:
    data = election.result
    by_pk = {c.pk: c for c in election.candidates.select_related("resident")}
    return ElectionResult(
        electorate=_heads(data["electorate"]),
        participating=_heads(data["participating"]),
        participation_reached=data["participation_reached"],
        candidates=tuple(
            CandidateResult(
                candidate=by_pk[row["candidate"]],
                votes=_heads(row["votes"]),
                majority=row["majority"],
                elected=row["elected"],
            )
            for row in data["candidates"]
        ),
        tied=tuple(by_pk[pk] for pk in data["tied"]),
    )


def election_result(election: Election) -> ElectionResult:
    """The election's result: after the close, the snapshot frozen then (never counted
    again); before, the count so far."""
    if election.result is not None:
        return _from_snapshot(election)
    return _count(election)


def ballot_count(election: Election) -> int:
    if election.result is not None and "ballots" in election.result:
        return election.result["ballots"]
    return election.ballots.count()


def runoff_due(election: Election, result) -> tuple[list[Candidate], int] | None:
    """Who stands in a run-off after this closed round, and for how many seats; None when
    the round needs none (docs/domain.md, "The three bodies").

    A tie for the last seats leaves them unfilled: the tied candidates stand again for
    those seats, and the elected stay elected. A run-off that did not draw two thirds of
    the owners settled nothing: it is held again. Nothing else breaks a tie.
    """
    if election.status != Election.Status.CLOSED:
        return None
    if result.tied:
        return list(result.tied), election.seats - len(result.elected)
    if election.is_runoff and not result.participation_reached:
        return [row.candidate for row in result.candidates], election.seats
    return None


def election_is_over(term: Term) -> bool:
    """Whether the term's election has a final result: its last round is closed and needs
    no run-off."""
    last = term.elections.order_by("-round").select_related("roll").first()
    if last is None or last.status != Election.Status.CLOSED:
        return False
    return runoff_due(last, election_result(last)) is None


@transaction.atomic
def election_close(*, election: Election, by=None, reason: str = "", now=None) -> Election:
    """Close the vote (docs/domain.md, "Owners' decisions", step 4): at its closing time by
    itself (no `by`: the first page view or `manage.py close_decisions` after it), or
    early by a manager who gives a reason. The result is frozen (`result_snapshot`); the
    elected take seats in the term (a seat they already hold is marked as won in this
    election). When the result is final and anyone was elected, the filing of the
    election falls due 30 days after this round was held."""
    election = _locked(election)
    if election.status == Election.Status.CLOSED:
        raise ValidationError(_("The election is closed; its ballots can no longer change."))
    result = _count(election)
    closed = steps.decision_close(
        decision=election,
        result=result_snapshot(election, result),
        by=by,
        reason=reason,
        now=now,
    )
    closed.status = Election.Status.CLOSED
    closed.save(update_fields=["status"])
    term = election.term
    if result.participation_reached:
        seated = {
            m.resident_id: m
            for m in term.members.filter(ends_on__isnull=True, resident__isnull=False)
        }
        for candidate in result.elected:
            seat = seated.get(candidate.resident_id)
            if seat is None:
                seat = member_add(
                    term=term,
                    role=Member.Role.MEMBER,
                    starts_on=max(term.starts_on, election.held_on),
                    resident=candidate.resident,
                )
            seat.elected_in = closed
            seat.save(update_fields=["elected_in"])
    if runoff_due(closed, result) is None and term.members.filter(elected_in__term=term).exists():
        ElectionFiling.objects.get_or_create(
            term=term,
            defaults={"due_on": election.held_on + datetime.timedelta(days=FILING_DAYS)},
        )
    return closed


def election_close_due(election: Election, now=None) -> Election:
    """Close an election whose voting period is over: what a page view (or `manage.py
    close_decisions`) does the first time it finds one. Returns the election as it now
    stands."""
    now = now or timezone.now()
    if not election.vote_opened_at or election.closed_at:
        return election
    if election.stage(now) != Stage.CLOSED:
        return election
    with transaction.atomic():
        locked = Election.objects.select_for_update().get(pk=election.pk)
        if locked.closed_at:
            return locked
        return election_close(election=locked, now=now)


def result_text(election: Election) -> str:
    """The result notice (公示) of a closed round, from its frozen result: the candidates'
    names and votes, participation, who is elected; never a voter's name."""
    data, body = election.result, election.term.body
    lines = [
        _("%(body)s publishes the result of the owners' election: %(election)s.")
        % {"body": body.name, "election": election},
        _("Voting ran from %(opens)s to %(closes)s. Seats: %(seats)s.")
        % {
            "opens": _when(election.vote_opened_at),
            "closes": _when(election.closed_at),
            "seats": election.seats,
        },
    ]
    if election.closed_by_id:
        lines.append(_("The vote was closed early: %(reason)s") % {"reason": election.close_reason})
    electorate, voted = _heads(data["electorate"]), _heads(data["participating"])
    lines.append(
        _(
            "Owners on the roll: %(owners)d, holding %(area)s m². Ballots cast: %(ballots)d, "
            "by %(voted)d owners holding %(voted_area)s m²."
        )
        % {
            "owners": electorate.owners,
            "area": electorate.area,
            "ballots": data.get("ballots", voted.owners),
            "voted": voted.owners,
            "voted_area": voted.area,
        }
    )
    rows = []
    tied = set(data["tied"])
    for row in data["candidates"]:
        votes = _heads(row["votes"])
        if row["elected"]:
            outcome = _("elected")
        elif row["candidate"] in tied:
            outcome = _("tied for the last seats")
        else:
            outcome = _("not elected")
        rows.append(
            _("- %(name)s: %(owners)d owners, %(area)s m², %(outcome)s")
            % {"name": row["name"], "owners": votes.owners, "area": votes.area, "outcome": outcome}
        )
    lines.append("\n".join(rows))
    if not data["participation_reached"]:
        lines.append(
            _("Fewer than two thirds of the owners or of the area took part: nobody is elected.")
        )
    else:
        elected = [row["name"] for row in data["candidates"] if row["elected"]]
        lines.append(
            _("Elected: %(names)s.") % {"names": _("、").join(elected)}
            if elected
            else _("Nobody is elected.")
        )
    if tied:
        lines.append(
            _("Candidates tied for the last seats stand again in a run-off among themselves.")
        )
    lines.append(data["rule"])
    return "\n\n".join(lines)


@transaction.atomic
def election_publish(*, election: Election, by, now=None) -> Election:
    """Publish the result notice of a closed round (docs/domain.md, "Owners' decisions",
    step 6); it cannot be withdrawn during its period."""
    election = election_close_due(election, now)
    election = Election.objects.select_related("term__body__compound", "term__body__courtyard").get(
        pk=election.pk
    )
    if election.result is None:
        raise ValidationError(_("Only a closed vote's result can be published."))
    body = election.term.body
    return steps.decision_publish(
        decision=election,
        body=body,
        title=_("Result: %(election)s") % {"election": election},
        text=result_text(election),
        audience=_audience(body),
        by=by,
        now=now,
    )


@transaction.atomic
def election_runoff(
    *,
    election: Election,
    held_on: datetime.date,
    opens_at: datetime.datetime | None = None,
    closes_at: datetime.datetime | None = None,
) -> Election:
    """Draft a run-off after a closed round whose count left seats unfilled by a tie: a new
    round of the term's election, among the tied candidates only, for the unfilled seats
    only. It goes through the same steps: announced, opened after the notice period on a
    roll frozen anew, closed, published."""
    _lock(election.term.body)
    election = Election.objects.select_related("term__body", "roll").get(pk=election.pk)
    if election.term.elections.filter(round__gt=election.round).exists():
        raise ValidationError(_("A later round of this election has already been held."))
    due = runoff_due(election, election_result(election))
    if due is None:
        raise ValidationError(
            _("This round left no seat unfilled by a tie: there is no run-off to hold.")
        )
    if held_on < election.held_on:
        raise ValidationError(
            {"held_on": _("A run-off is held after the round it settles, not before.")}
        )
    _check_order(opens_at, closes_at)
    candidates, seats = due
    with translation.override(settings.LANGUAGE_CODE):  # stored text: the site's language
        text = _(
            "In the round held on %(date)s, %(names)s tied for the last seats. They stand "
            "again, among themselves only, for the %(seats)s seats left unfilled; those "
            "elected before stay elected."
        ) % {
            "date": election.held_on.isoformat(),
            "names": "、".join(c.resident.name for c in candidates),
            "seats": seats,
        }
    runoff = Election(
        term=election.term,
        round=election.round + 1,
        seats=seats,
        held_on=held_on,
        text=text,
        ballot=_ballot_question(seats),
        opens_at=opens_at,
        closes_at=closes_at,
    )
    _validate(runoff)
    runoff.save()
    Candidate.objects.bulk_create(
        Candidate(election=runoff, resident_id=c.resident_id) for c in candidates
    )
    return runoff


@transaction.atomic
def chair_choose(
    *,
    term: Term,
    chair: Member,
    vice_chair: Member | None = None,
    chosen_on: datetime.date,
    recorded_by,
) -> ChairChoice:
    """Record the chair (and vice-chair) the elected members chose among themselves, once
    the election is over; the seats take their roles from it, and the chair and
    vice-chair chosen before become members (docs/domain.md, "The three bodies")."""
    _lock(term.body)
    if not election_is_over(term):
        raise ValidationError(
            _("The election is not over: the chair is chosen once every seat has its result.")
        )
    elected = term.members.filter(ends_on__isnull=True, elected_in__isnull=False)
    for field, seat in (("chair", chair), ("vice_chair", vice_chair)):
        if seat is not None and not elected.filter(pk=seat.pk).exists():
            raise ValidationError(
                {field: _("Only a member elected in this term's election can be chosen.")}
            )
    if vice_chair is not None and vice_chair.pk == chair.pk:
        raise ValidationError({"vice_chair": _("The chair and the vice-chair are two members.")})
    last = term.elections.order_by("-round").first()
    if chosen_on < last.held_on:
        raise ValidationError(
            {"chosen_on": _("The chair is chosen after the election, not before it.")}
        )
    choice = ChairChoice(
        term=term,
        chair=chair,
        vice_chair=vice_chair,
        chosen_on=chosen_on,
        recorded_by=recorded_by,
    )
    _validate(choice)
    choice.save()
    chosen = {chair.pk: Member.Role.CHAIR}
    if vice_chair is not None:
        chosen[vice_chair.pk] = Member.Role.VICE_CHAIR
    seats = term.members.filter(ends_on__isnull=True).select_related("term__body", "access_grant")
    # The chair and vice-chair chosen before step down first: a term has one chair.
    for seat in seats.filter(role__in=[Member.Role.CHAIR, Member.Role.VICE_CHAIR]).exclude(
        pk__in=list(chosen)
    ):
        _take_role(seat, Member.Role.MEMBER)
    for seat in seats.filter(pk__in=list(chosen)):
        _take_role(seat, chosen[seat.pk])
    return choice


def _take_role(seat: Member, role: str) -> None:
    if seat.role == role:
        return
    seat.role = role
    seat.save(update_fields=["role"])
    if seat.access_grant_id:
        _grant_for(seat)  # the grant says why: the seat's role


@transaction.atomic
def filing_record(
    *,
    filing: ElectionFiling,
    filed_on: datetime.date,
    filed_with: str,
    reference: str = "",
    recorded_by,
) -> ElectionFiling:
    """Record that the election was filed (备案): when, with which office, under which number."""
    filing = ElectionFiling.objects.select_for_update().get(pk=filing.pk)
    if filing.filed_on is not None:
        raise ValidationError(_("This filing is already recorded."))
    held_on = filing.term.elections.order_by("round").values_list("held_on", flat=True).first()
    if held_on is not None and filed_on < held_on:
        raise ValidationError({"filed_on": _("The election is filed after it was held.")})
    if filed_on > timezone.localdate():
        raise ValidationError({"filed_on": _("A filing is recorded once it is made.")})
    filing.filed_on = filed_on
    filing.filed_with = filed_with
    filing.reference = reference
    filing.recorded_by = recorded_by
    filing.recorded_at = timezone.now()
    _validate(filing)
    filing.save()
    return filing

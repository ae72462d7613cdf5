"""The demo's three bodies (三会), loaded on top of the demo register (jinzang.demo.register).

The Jincang neighbourhood committee, the owners' committees of Bailajing and
Qingfeng No.1 and the self-management committee of Qingfeng No.2, with their
terms and seats, and the owners' election that formed Bailajing's 2nd term in
2017 (announced, voted, closed and its result published, all in the past), with
the chair its members chose and its filing with the sub-district.
Bodies, dates, chairs and figures come from the story (`jinzang.demo.story`); the
other members and the ballots are drawn from the generated register by seeded
random generators over lists in household order, so one register always gives
the same committees. Writes go through `committees.bodies.services` wherever it has a
function for them: the demo accounts get their access from their seats, as
they would in use.

Idempotent: users, bodies, terms, seats, the election, the chair's choice and the
filing are looked up by their natural keys first; a second run creates and changes
nothing.
"""

import datetime
import random

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from committees.bodies import services
from committees.models import Ballot, Body, Election, ElectionFiling, Member, Term
from jinzang.demo.helpers import account, at, household_order, places, reporter
from jinzang.demo.story import (
    ACCOUNTS,
    BAILAJING,
    BAILAJING_CHAIR,
    BAILAJING_CHAIR_CHOSEN,
    BAILAJING_COMMITTEE,
    BAILAJING_ELECTION,
    BAILAJING_FILING,
    BAILAJING_PARTY_MEMBERS,
    BAILAJING_SEATS,
    BAILAJING_TERMS,
    BAILAJING_VOLUNTEERS,
    COMMUNITY,
    LI_HUAYU,
    LIAO_SHUYING,
    NAMED_PEOPLE,
    NEIGHBOURHOOD_COMMITTEE,
    NEIGHBOURHOOD_FOUNDED,
    NEIGHBOURHOOD_STAFF,
    NEIGHBOURHOOD_TERM,
    NEIGHBOURHOOD_TERM_STARTS,
    QINGFENG,
    QINGFENG_1,
    QINGFENG_1_CHAIR,
    QINGFENG_1_COMMITTEE,
    QINGFENG_1_TERMS,
    QINGFENG_2,
    QINGFENG_2_COMMITTEE,
    QINGFENG_2_TERMS,
    QUASI_PROPERTY,
    STAFF,
    ZHAO_XIANGQIAN,
)
from residents.models import Household, Membership, Resident

SEED = "jinzang-demo:committees"

Kind = Body.Kind
Role = Member.Role
ELECTED = Term.FormedBy.ELECTION
APPOINTED = Term.FormedBy.APPOINTMENT
date = datetime.date

BAILAJING_NOTES = [
    "经过两个月、近1000次入户动员，业主选举产生第一届业主委员会；盐务街街道提供3万元启动资金。"
    f"第一届业委会不请物业公司，实行“{QUASI_PROPERTY}”管理：由业委会自己安排保洁和日常管理，"
    "费用从启动资金和公共收益中列支。",
    f"2017年业主选举产生，{BAILAJING_SEATS}名委员：{BAILAJING_PARTY_MEMBERS}名党员、"
    f"{BAILAJING_VOLUNTEERS}名居民志愿者；主任{ZHAO_XIANGQIAN}。",
]
ELECTION_TEXT = (
    "百腊井小区业主大会以书面投票方式选举第二届业主委员会。投票箱设在小区活动室，"
    "盐务街街道办事处和金仓社区居委会派员监督，投票结束后当场公开计票。"
)
# Share of the owners who cast a ballot; how likely a voter names each elected
# candidate, and each of the two who were not elected.
TURNOUT = 0.8
FOR_ELECTED, FOR_OTHERS = 0.8, 0.3

# Seats of a committee of five other than its chair, in the order they are filled.
ROLES_OF_FOUR = [Role.VICE_CHAIR, Role.SECRETARY, Role.MEMBER, Role.MEMBER]
ROLES_OF_FIVE = [Role.CHAIR, *ROLES_OF_FOUR]


def _named(name: str) -> Resident:
    """A named person of the report, found at their door."""
    person = next(p for p in NAMED_PEOPLE if p.name == name)
    return Resident.objects.get(
        name=name,
        memberships__household__door_number=person.door,
        memberships__household__unit__number=person.unit,
        memberships__household__unit__building__number=person.building,
        memberships__household__unit__building__compound__name=person.compound,
        memberships__household__unit__building__compound__community__name=COMMUNITY["name"],
    )


def _owners(households, *, born: tuple[int, int]) -> list[Resident]:
    """Owners who live in their own flat, born within `born`, in household order: the
    people committee members are drawn from (the report's named people excluded)."""
    links = (
        Membership.objects.filter(
            household__in=households,
            household__occupancy=Household.Occupancy.OWNER_OCCUPIED,
            relation=Membership.Relation.OWNER,
            resident__birth_year__range=born,
        )
        .exclude(resident__name__in=[p.name for p in NAMED_PEOPLE])
        .select_related("resident", "household__unit__building")
        .order_by()
    )
    links = sorted(links, key=lambda m: (household_order(m.household), m.resident.name))
    return list({m.resident_id: m.resident for m in links}.values())


def _voters(election: Election) -> list[tuple[Household, Resident]]:
    """One (household, voter) per owner on the election's roll, in household order.

    The voter is an owner (else a co-owner) of the owner's first household that has
    one; owners with no owner on the register cannot vote and are left out.
    """
    entries = list(election.roll.entries.values_list("owner_key", "household_id"))
    households = Household.objects.select_related("unit__building").in_bulk(
        [household_id for _key, household_id in entries]
    )
    owners_of: dict[int, list[Membership]] = {}
    for link in (
        Membership.objects.filter(
            household__in=list(households),
            relation__in=[Membership.Relation.OWNER, Membership.Relation.CO_OWNER],
        )
        .select_related("resident")
        .order_by()
    ):
        owners_of.setdefault(link.household_id, []).append(link)
    by_key: dict[str, list[Household]] = {}
    for key, household_id in entries:
        by_key.setdefault(key, []).append(households[household_id])
    voters = []
    for owned in by_key.values():
        for household in sorted(owned, key=household_order):
            links = sorted(
                owners_of.get(household.pk, []),
                key=lambda m: (m.relation != Membership.Relation.OWNER, m.resident.name),
            )
            if links:
                voters.append((household, links[0].resident))
                break
    return sorted(voters, key=lambda voter: household_order(voter[0]))


class _Loader:
    def __init__(self, created: dict, say):
        self.created = created
        self.say = say
        self.community, self.compounds, self.courtyards = places()
        self.users = {}

    def user(self, username: str, family: str, given: str):
        user, new = account(username, last_name=family, first_name=given)
        if new:
            self.created["users"] += 1
        elif (user.first_name, user.last_name) == (family + given, ""):
            # Loaded by an earlier demo, the whole name in the given name: split once.
            user.last_name, user.first_name = family, given
            user.save(update_fields=["last_name", "first_name"])
        self.users[username] = user
        return user

    def body(self, *, kind, name, compound=None, courtyard=None, founded_on, notes="") -> Body:
        """The active body of this kind for this place (its natural key), created if missing."""
        body = (
            Body.objects.active()
            .filter(kind=kind, community=self.community, compound=compound, courtyard=courtyard)
            .first()
        )
        if body is None:
            body = Body(
                kind=kind,
                name=name,
                community=self.community,
                compound=compound,
                courtyard=courtyard,
                founded_on=founded_on,
                notes=notes,
            )
            body.full_clean()
            body.save()
            self.created["bodies"] += 1
        return body

    def term(self, body: Body, number: int, starts_on: date, formed_by, notes="") -> Term:
        """Term `number` of the body; starting it ends the running one, with its seats."""
        term = body.terms.filter(number=number).first()
        if term is None:
            term = services.term_start(
                body=body, number=number, starts_on=starts_on, formed_by=formed_by, notes=notes
            )
            self.created["terms"] += 1
        return term

    def seat(self, term: Term, role, *, resident=None, user=None, name="", is_party_member=False):
        """A seat for the whole term, found by term and resident or account (else name).

        By account too: a database loaded by an earlier demo has seats made from its
        hand-made grants (committees migration 0002), with the account but no resident.
        """
        if resident is None and user is None:
            seats = term.members.filter(resident=None, user=None, name=name)
        else:
            seats = term.members.filter(
                (Q(resident=resident) if resident else Q(pk__in=[]))
                | (Q(user=user) if user else Q(pk__in=[]))
            )
        if seats.exists():
            return
        member = services.member_add(
            term=term,
            role=role,
            starts_on=term.starts_on,
            resident=resident,
            user=user,
            name=name,
            is_party_member=is_party_member,
        )
        self.created["members"] += 1
        self.created["access_grants"] += member.access_grant_id is not None
        if term.ends_on:
            services.member_end(member=member, ends_on=term.ends_on)

    def neighbourhood_committee(self):
        body = self.body(
            kind=Kind.NEIGHBOURHOOD,
            name=NEIGHBOURHOOD_COMMITTEE,
            founded_on=NEIGHBOURHOOD_FOUNDED,
            notes="主管主导“三会”联动：居委会、业委会、自管会。党支部书记廖书英。",
        )
        term = self.term(body, NEIGHBOURHOOD_TERM, NEIGHBOURHOOD_TERM_STARTS, ELECTED)
        self.seat(term, Role.CHAIR, user=self.users[STAFF], name=LIAO_SHUYING, is_party_member=True)
        for name, role, is_party_member in NEIGHBOURHOOD_STAFF:
            self.seat(term, Role(role), name=name, is_party_member=is_party_member)

    def bailajing(self):
        body = self.body(
            kind=Kind.OWNERS,
            name=BAILAJING_COMMITTEE,
            compound=self.compounds[BAILAJING],
            founded_on=BAILAJING_TERMS[0],
            notes=(
                f"协同推进。2013年成立，第一届实行“{QUASI_PROPERTY}”管理，由业委会自己管理小区；"
                f"2017年换届选举产生第二届，主任{ZHAO_XIANGQIAN}。"
            ),
        )
        rng = random.Random(f"{SEED}:{BAILAJING_COMMITTEE}")
        zhao, login = _named(ZHAO_XIANGQIAN), self.users[BAILAJING_CHAIR]
        pool = rng.sample(_owners(services.body_households(body), born=(1950, 1975)), 10)

        # 赵湘黔 was not on the first term: he watched it as a bystander (docs/domain.md).
        first = self.term(body, 1, BAILAJING_TERMS[0], ELECTED, BAILAJING_NOTES[0])
        self.seat(first, Role.CHAIR, resident=pool[0])
        for role, resident in zip(ROLES_OF_FOUR, [*pool[1:4], pool[8]], strict=True):
            self.seat(first, role, resident=resident)

        second = self.term(body, 2, BAILAJING_TERMS[1], ELECTED, BAILAJING_NOTES[1])
        # The party members (赵湘黔 among them) and the resident volunteers the report counts.
        split = 2 + BAILAJING_PARTY_MEMBERS - 1
        party, volunteers = pool[2:split], pool[split : split + BAILAJING_VOLUNTEERS]
        Resident.objects.filter(
            pk__in=[r.pk for r in [zhao, *party]], is_party_member=False
        ).update(is_party_member=True)
        Resident.objects.filter(pk__in=[r.pk for r in volunteers]).exclude(
            is_party_member=False, is_volunteer=True
        ).update(is_party_member=False, is_volunteer=True)
        elected = [zhao, *party, *volunteers]
        # 赵湘黔's seat carries his account; the count seats the others.
        self.seat(second, Role.MEMBER, resident=zhao, user=login)
        self.election(second, elected=elected, others=pool[split + BAILAJING_VOLUNTEERS :])
        self.chair(second, chair=zhao, vice_chair=elected[1])
        self.filing(second, *BAILAJING_FILING)

    def chair(self, term: Term, *, chair: Resident, vice_chair: Resident):
        """The chair and vice-chair the elected members chose, recorded once."""
        if term.chair_choices.exists():
            return
        seats = {m.resident_id: m for m in term.members.filter(ends_on__isnull=True)}
        services.chair_choose(
            term=term,
            chair=seats[chair.pk],
            vice_chair=seats[vice_chair.pk],
            chosen_on=BAILAJING_CHAIR_CHOSEN,
            recorded_by=self.users[STAFF],
        )
        self.created["chair_choices"] += 1

    def filing(self, term: Term, filed_on: date, filed_with: str, reference: str):
        """The filing of the term's election with the sub-district, recorded once."""
        filing = ElectionFiling.objects.filter(term=term, filed_on__isnull=True).first()
        if filing is None:
            return
        services.filing_record(
            filing=filing,
            filed_on=filed_on,
            filed_with=filed_with,
            reference=reference,
            recorded_by=self.users[STAFF],
        )
        self.created["filings"] += 1

    def election(self, term: Term, *, elected: list[Resident], others: list[Resident]):
        """The 2017 election through its steps (docs/domain.md, "Owners' decisions"):
        drafted with its candidates, announced 16 days before the day of the vote, open on
        that day (the roll frozen, the paper ballots cast), closed by itself at the end of
        the day (the close seats the elected as members) and its result published the
        next morning."""
        if Election.objects.filter(term=term).exists():
            return
        opens, closes = at(BAILAJING_ELECTION, 8, 30), at(BAILAJING_ELECTION, 18)
        staff = self.users[STAFF]
        election = services.election_create(
            term=term,
            seats=BAILAJING_SEATS,
            held_on=BAILAJING_ELECTION,
            text=ELECTION_TEXT,
            opens_at=opens,
            closes_at=closes,
        )
        candidates = [
            services.candidate_add(election=election, resident=resident)
            for resident in [*elected, *others]
        ]
        election = services.election_announce(
            election=election, by=staff, now=opens - datetime.timedelta(days=16)
        )
        election = services.election_vote_open(election=election, by=staff, now=opens)
        winners, losers = candidates[: len(elected)], candidates[len(elected) :]
        rng = random.Random(f"{SEED}:{term.body.name}:{term.number}:election")
        ballots = []
        for household, voter in _voters(election):
            if rng.random() >= TURNOUT:
                continue
            chosen = [c for c in winners if rng.random() < FOR_ELECTED]
            chosen += [c for c in losers if rng.random() < FOR_OTHERS]
            if len(chosen) > election.seats:
                chosen = rng.sample(chosen, election.seats)
            ballots.append(
                services.ballot_record(
                    election=election,
                    household=household,
                    voter=voter,
                    candidates=chosen,
                    recorded_by=staff,
                    recorded_at=opens,
                )
            )
        seconds = sorted(rng.randrange(9 * 3600) for _ballot in ballots)
        for ballot, second in zip(ballots, seconds, strict=True):
            ballot.recorded_at = opens + datetime.timedelta(seconds=second)
        Ballot.objects.bulk_update(ballots, ["recorded_at"])

        result = services.election_result(election)
        if not result.participation_reached or {c.pk for c in result.elected} != {
            c.pk for c in winners
        }:
            raise RuntimeError(f"The demo election of {term.body.name} did not elect its winners.")
        seats = term.members.count()
        election = services.election_close(election=election, now=closes)
        services.election_publish(
            election=election, by=staff, now=at(BAILAJING_ELECTION + datetime.timedelta(days=1), 9)
        )
        self.created["members"] += term.members.count() - seats
        self.created["elections"] += 1
        self.created["candidates"] += len(candidates)
        self.created["ballots"] += len(ballots)
        self.say(
            _(
                "%(body)s, election of %(date)s: %(voted)d of %(owners)d owners voted, "
                "%(area)s of %(total)s m²; %(seats)d elected."
            )
            % {
                "body": term.body.name,
                "date": BAILAJING_ELECTION.isoformat(),
                "voted": result.participating.owners,
                "owners": result.electorate.owners,
                "area": result.participating.area,
                "total": result.electorate.area,
                "seats": len(result.elected),
            }
        )

    def qingfeng_1(self):
        body = self.body(
            kind=Kind.OWNERS,
            name=QINGFENG_1_COMMITTEE,
            compound=self.compounds[QINGFENG],
            courtyard=self.courtyards[QINGFENG_1],
            founded_on=QINGFENG_1_TERMS[0],
            notes="协同推进。2014年成立，主任李华玉。",
        )
        rng = random.Random(f"{SEED}:{QINGFENG_1_COMMITTEE}")
        li, login = _named(LI_HUAYU), self.users[QINGFENG_1_CHAIR]
        pool = rng.sample(_owners(services.body_households(body), born=(1950, 1980)), 8)
        for number, starts_on in enumerate(QINGFENG_1_TERMS, start=1):
            term = self.term(body, number, starts_on, ELECTED)
            self.seat(term, Role.CHAIR, resident=li, user=login)
            others = pool[2 * (number - 1) : 2 * (number - 1) + 4]
            for role, resident in zip(ROLES_OF_FOUR, others, strict=True):
                self.seat(term, role, resident=resident)

    def qingfeng_2(self):
        body = self.body(
            kind=Kind.SELF_MANAGEMENT,
            name=QINGFENG_2_COMMITTEE,
            compound=self.compounds[QINGFENG],
            courtyard=self.courtyards[QINGFENG_2],
            founded_on=QINGFENG_2_TERMS[0],
            notes="互促互助。2014年成立，庆丰二号院没有业主委员会，由居民自我管理。",
        )
        rng = random.Random(f"{SEED}:{QINGFENG_2_COMMITTEE}")
        pool = rng.sample(_owners(services.body_households(body), born=(1950, 1980)), 7)
        for number, starts_on in enumerate(QINGFENG_2_TERMS, start=1):
            term = self.term(body, number, starts_on, APPOINTED)
            others = pool[2 * (number - 1) : 2 * (number - 1) + 5]
            for role, resident in zip(ROLES_OF_FIVE, others, strict=True):
                self.seat(term, role, resident=resident)


def load_demo(*, stdout=None) -> dict:
    """Load the demo's bodies on the demo register; returns how many of each were created.

    Needs `jinzang.demo.register.load_demo()` first. The demo accounts other than the
    administrator are created here, and get their access only from their seats.
    """
    say = reporter(stdout)
    created = dict.fromkeys(
        [
            "users",
            "bodies",
            "terms",
            "members",
            "access_grants",
            "elections",
            "candidates",
            "ballots",
            "chair_choices",
            "filings",
        ],
        0,
    )
    with transaction.atomic():
        loader = _Loader(created, say)
        for username, (family, given) in ACCOUNTS.items():
            loader.user(username, family, given)
        loader.neighbourhood_committee()
        loader.bailajing()
        loader.qingfeng_1()
        loader.qingfeng_2()
        if created["bodies"] or created["terms"] or created["members"]:
            say(
                _("Bodies: %(bodies)d new, %(terms)d terms and %(members)d seats.")
                % {
                    "bodies": created["bodies"],
                    "terms": created["terms"],
                    "members": created["members"],
                }
            )
    return created

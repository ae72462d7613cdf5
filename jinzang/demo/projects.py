"""The demo's renovation projects, loaded on top of the demo meetings (jinzang.demo.meetings).

- The 2013 "新型社区·温馨家园" renovation of the underground pipe network and
  the ground of Bailajing and Qingfeng, sponsored by the neighbourhood committee
  (no owners' committee had been formed yet), done; linked to its courtyard
  opinion-collection meetings and to the mobilisation visits of those months
  (jinzang.demo.visits), whose households gave their opinion on it.
- The 2022 cast-iron pipe renovation of Qingfeng No.1 (voluntary co-funding),
  with exactly the figures reported at the work meeting of 18 November 2022:
  building 18 units 2 and 4, all 18 of their households agreed; building 17
  unit 3, all 7 of its households; a unit goes ahead only when all its
  households agree; the other buildings still being surveyed (no household
  there has agreed yet). It is linked to that meeting, whose decision (the
  agreement 廖书英 signed with the contractor) concerns it, and to the earlier
  meetings on the pipes.
- Two formal owners' decisions (Civil Code Art. 278) that show the double
  majority, each announced, voted, closed at its closing time and its result
  published (docs/domain.md, "Owners' decisions"): Bailajing using the
  maintenance fund, which passes by head and by area, and a renovation in
  Qingfeng No.2 that needs three quarters and reaches it by head but not by area.
- Two decisions around the day of loading: one announced and waiting for its
  notice period to end, one open with some owners' answers in.

Households and owners are taken in register order (building, unit, door) and
every choice comes from a seeded random generator, so one register always gives
the same records; dates are fixed in the past, except those of the two decisions around
the day of loading. Writes go through
`meetings.projects.consent`. Idempotent: projects are looked up by (body, name), and a
household that already has a record is left as it is; a second run creates and
changes nothing.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.models import Body
from jinzang.demo.helpers import accounts, at, household_order, percent, reporter
from jinzang.demo.meetings import OPINION_MEETINGS
from jinzang.demo.story import (
    BAILAJING,
    BAILAJING_CHAIR,
    BAILAJING_COMMITTEE,
    COMMUNITY,
    CONTRACTOR,
    NAMED_PEOPLE,
    NEIGHBOURHOOD_COMMITTEE,
    PIPES,
    PIPES_AGREED_17_UNIT_3,
    PIPES_AGREED_18_UNITS_2_4,
    PIPES_AGREEMENT,
    PIPES_BUILDINGS,
    PIPES_MEETING_DAY,
    PIPES_MEETING_TITLE,
    QINGFENG,
    QINGFENG_1_CHAIR,
    QINGFENG_1_COMMITTEE,
    QINGFENG_2,
    STAFF,
    WARM_HOMES,
    WARM_HOMES_ENDS,
    WARM_HOMES_STARTS,
)
from meetings.models import ConsentRecord, Decision, Meeting, Project
from meetings.projects import consent, tally
from residents.models import Household, Membership, OwnerRoll, Unit
from residents.owners.owners_vote import Matter, approval_threshold

SEED = "jinzang-demo:projects"

date = datetime.date
Answer = ConsentRecord.Answer
Channel = ConsentRecord.Channel

# The 2013 renovation of Bailajing and Qingfeng (docs/domain.md, "Projects and consent").
WARM_HOMES_DESCRIPTION = (
    "2013年，贵阳市“新型社区·温馨家园”建设为百腊井小区和庆丰小区改造地下管网和地面："
    "更换老化的雨污管网和给水管网，平整硬化院坝和道路。\n"
    "改造前，社区在各院落召开意见征集会，党员、志愿者和社区工作人员两个月里入户动员近千次，"
    "逐户听取住户意见；百腊井小区借这次改造成立了第一届业主委员会。"
)


# The cast-iron pipes of Qingfeng No.1 (docs/domain.md, "Meetings").
PIPES_DESCRIPTION = (
    "庆丰一号院15—18栋的铸铁排水管使用多年，老化渗漏，住户反复报修。"
    "改造由住户自愿共同出资，各户出资按住房面积分摊。\n"
    "以单元为单位推进：一根排水管是整个单元共用的，一个单元的住户全部同意出资，"
    "这个单元才开工；其他单元继续入户摸底。\n"
    "住户提出管道更换后必须修复墙面，施工方已同意，由施工方负责修复。"
)
PIPES_STARTS = date(2022, 9, 1)
# The units the meeting reported on: every household of each agreed.
PIPES_REPORTED = {("18", "2"), ("18", "4"), ("17", "3")}
# Every other unit is still being surveyed: the share of its households visited so far.
PIPES_SURVEYED = {"15": 0.15, "16": 0.2, "17": 0.4, "18": 0.4}
# When the survey of each building began: the day of its courtyard opinion meeting, else
# after the National Day holiday; it runs up to the day before the meeting of 18 November.
PIPES_MEETINGS = {m.building: m.day for m in OPINION_MEETINGS if m.building}
PIPES_SURVEY_FROM = date(2022, 10, 10)
PIPES_SURVEY_TO = PIPES_MEETING_DAY - datetime.timedelta(days=1)
PIPES_RECORDERS = ([QINGFENG_1_CHAIR, STAFF], [3, 1])
# The condition the contractor accepted, in the words households used.
WALL_CONDITIONS = (
    ["管道更换后修复墙面", "修复墙面", "管道更换后修复墙面，清运建筑垃圾", ""],
    [4, 2, 1, 3],
)
UNDECIDED_CONDITIONS = ["先看墙面怎么修复再决定", "公开各户出资金额"]
# Shares are paid by area: 15 yuan a square metre, in steps of 50 yuan, within these bounds.
YUAN_PER_M2, STEP = Decimal(15), Decimal(50)
LEAST, MOST = Decimal("800.00"), Decimal("1500.00")


@dataclass(frozen=True)
class OwnersDecision:
    """A formal owners' decision and how its owners answer."""

    body: str
    name: str
    description: str
    matter: str
    buildings: list[str]
    #: When voting opens and closes: a moment and a day (Asia/Shanghai, naive here, made
    #: aware when loaded), or days from the day of loading (the decisions around it).
    opens: datetime.datetime | int
    closes: date | int
    ballot: str
    turnout: Fraction  # of all owners on the roll
    agree: Fraction  # of the owners who answer
    disagree: Fraction
    recorders: list[str]
    #: True: the owners of smaller flats agree more readily (the larger pay more), so the
    #: share of area that agrees falls below the share of owners.
    smaller_agree: bool = False
    passes: bool = True
    #: The courtyard voted on, when the sponsor serves more than it (the neighbourhood
    #: committee); otherwise the sponsor's own place.
    courtyard: str = ""


# Bailajing's decision on using the maintenance fund; its result is published (jinzang.demo.notices).
FUND_DECISION = "使用维修资金维修1—4栋屋面"
DECISIONS = [
    OwnersDecision(
        body=BAILAJING_COMMITTEE,
        name=FUND_DECISION,
        description=(
            "百腊井小区1—4栋屋面防水层老化，顶层住户反映雨天渗漏。业委会提议使用专项维修资金"
            "维修1—4栋屋面防水。\n"
            "维修资金由全体业主共有，使用它须由全体业主共同决定（《民法典》第二百七十八条）："
            "参与表决的业主人数和专有面积都须达到三分之二以上，并经参与表决的业主人数过半数、"
            "专有面积过半数同意。"
        ),
        matter=Matter.USE_FUND,
        buildings=[str(n) for n in range(1, 9)],
        opens=datetime.datetime(2025, 4, 7, 9, 0),
        closes=date(2025, 4, 27),
        ballot="是否同意使用专项维修资金维修百腊井小区1—4栋屋面防水？",
        turnout=Fraction(80, 100),
        agree=Fraction(70, 100),
        disagree=Fraction(20, 100),
        recorders=[BAILAJING_CHAIR, STAFF],
    ),
    # Proposed by Qingfeng No.2's self-management committee; no owners' committee serves
    # there, so the neighbourhood committee sponsors the vote (Civil Code Art. 277).
    OwnersDecision(
        body=NEIGHBOURHOOD_COMMITTEE,
        courtyard=QINGFENG_2,
        name="19—21栋外墙及屋面改造",
        description=(
            "庆丰二号院19—21栋外墙保温层脱落、屋面渗漏，庆丰二号院自管会提议对外墙和屋面进行"
            "改造。二号院没有业委会，由社区居委会组织业主共同决定。\n"
            "改造建筑物及其附属设施是《民法典》第二百七十八条规定的特别事项：参与表决的业主"
            "人数和专有面积都须达到三分之二以上，并经参与表决的业主人数四分之三以上、"
            "专有面积四分之三以上同意。两项都要达到，只达到一项不通过。"
        ),
        matter=Matter.RENOVATE,
        buildings=["19", "20", "21"],
        opens=datetime.datetime(2026, 9, 14, 9, 0),
        closes=date(2026, 10, 16),
        ballot="是否同意对庆丰二号院19—21栋外墙及屋面进行改造？",
        turnout=Fraction(85, 100),
        agree=Fraction(76, 100),
        disagree=Fraction(16, 100),
        recorders=[STAFF],
        smaller_agree=True,
        passes=False,
    ),
    # Around the day of loading: announced, waiting for its notice period to end...
    OwnersDecision(
        body=BAILAJING_COMMITTEE,
        name="修订百腊井小区管理规约",
        description=(
            "百腊井小区管理规约制定于第一届业委会任期，停车、装修和宠物管理的条款已不适应"
            "现在的情况。业委会征求意见后拟定了修订稿，提请全体业主共同决定。"
        ),
        matter=Matter.COVENANT,
        buildings=[str(n) for n in range(1, 9)],
        opens=10,
        closes=30,
        ballot="是否同意《百腊井小区管理规约（修订稿）》？",
        turnout=Fraction(0),
        agree=Fraction(0),
        disagree=Fraction(0),
        recorders=[BAILAJING_CHAIR],
    ),
    # ... and open, with the answers of its first days in.
    OwnersDecision(
        body=QINGFENG_1_COMMITTEE,
        name="使用维修资金更换15—18栋单元门",
        description=("庆丰一号院15—18栋的单元门锈蚀、门禁损坏，业委会提议使用专项维修资金更换。"),
        matter=Matter.USE_FUND,
        buildings=["15", "16", "17", "18"],
        opens=-9,
        closes=12,
        ballot="是否同意使用专项维修资金更换庆丰一号院15—18栋单元门？",
        turnout=Fraction(75, 100),
        agree=Fraction(80, 100),
        disagree=Fraction(10, 100),
        recorders=[QINGFENG_1_CHAIR, STAFF],
    ),
]
#: Days between the announcement of a demo decision and the opening of its vote: the
#: notice period (15 days) and a day to spare.
ANNOUNCED_BEFORE = datetime.timedelta(days=16)
DECISION_CHANNELS = (
    [Channel.PAPER, Channel.IN_PERSON, Channel.VISIT, Channel.MEETING],
    [6, 2, 2, 1],
)


@dataclass
class Planned:
    """One answer to record."""

    household: Household
    answer: str
    recorded_at: datetime.datetime
    channel: str
    recorded_by: str
    contribution: Decimal | None = None
    conditions: str = ""


def _some_day(rng: random.Random, first: date, last: date) -> datetime.datetime:
    """A moment of a working day between `first` and `last`: grid workers visit 9:00-20:30."""
    day = first + datetime.timedelta(days=rng.randint(0, (last - first).days))
    minutes = rng.randrange(9 * 60, 20 * 60 + 30)
    return at(day, minutes // 60, minutes % 60)


def _contribution(area: Decimal) -> Decimal:
    share = (area * YUAN_PER_M2 / STEP).quantize(Decimal(1), rounding=ROUND_HALF_UP) * STEP
    return min(MOST, max(LEAST, share)).quantize(Decimal("0.01"))


class _Loader:
    def __init__(self, created: dict, say):
        self.created = created
        self.say = say
        self.bodies = {
            b.name: b
            for b in Body.objects.active().filter(
                community__name=COMMUNITY["name"],
                name__in=[QINGFENG_1_COMMITTEE, BAILAJING_COMMITTEE, NEIGHBOURHOOD_COMMITTEE],
            )
        }
        self.users = accounts(QINGFENG_1_CHAIR, STAFF, BAILAJING_CHAIR)

    # Writing --------------------------------------------------------------------------

    def project(self, body: Body, name: str, units: list[Unit], **fields) -> tuple[Project, bool]:
        project = Project.objects.filter(body=body, name=name).first()
        if project is not None:
            return project, False
        project = consent.project_save(project=Project(body=body, name=name, **fields), units=units)
        self.created["projects"] += 1
        return project, True

    def record(self, project: Project, plan: list[Planned]):
        """Record the planned answers that are not there yet, in the order they were given
        (an owner's answer goes on all their flats)."""
        before = set(project.consents.values_list("pk", flat=True))
        done = set(project.consents.values_list("household_id", flat=True))
        for p in sorted(plan, key=lambda p: (p.recorded_at, household_order(p.household))):
            if p.household.pk in done:
                continue
            voter = None
            if project.is_decision:  # the owner on the roll votes (the first, if co-owners)
                entry = project.roll.entries.get(household=p.household)
                voter = entry.owners.order_by("pk").first()
            consent.consent_record(
                project=project,
                household=p.household,
                answer=p.answer,
                voter=voter,
                recorded_by=self.users[p.recorded_by],
                channel=p.channel,
                contribution=p.contribution,
                conditions=p.conditions,
                expected_version=0,
                recorded_at=p.recorded_at,
            )
        new = set(project.consents.values_list("pk", flat=True)) - before
        # The history says a record was made when and by whom it was, not when the demo loaded.
        ConsentRecord.history.filter(id__in=new, history_type="+").update(
            history_date=F("recorded_at"), history_user_id=F("recorded_by_id")
        )
        self.created["consent_records"] += len(new)

    # The 2013 renovation ---------------------------------------------------------------

    def warm_homes(self):
        """The project and its courtyard meetings; the households' answers come with the
        mobilisation visits (jinzang.demo.visits)."""
        body = self.bodies[NEIGHBOURHOOD_COMMITTEE]
        units = list(
            Unit.objects.filter(
                building__compound__community=body.community,
                building__compound__name__in=[BAILAJING, QINGFENG],
            )
        )
        project, new = self.project(
            body,
            WARM_HOMES,
            units,
            description=WARM_HOMES_DESCRIPTION,
            consent_kind=Project.ConsentKind.COFUNDING,
            status=Project.Status.DONE,
            starts_on=WARM_HOMES_STARTS,
            ends_on=WARM_HOMES_ENDS,
        )
        if new:
            project.meetings.add(
                *Meeting.objects.filter(
                    body=body, title__startswith=WARM_HOMES, kind=Meeting.Kind.OPINION
                )
            )
            Decision.objects.filter(
                meeting__body=body, meeting__title__startswith=WARM_HOMES, project=None
            ).update(project=project)

    # The cast-iron pipes --------------------------------------------------------------

    def pipes(self):
        body = self.bodies[QINGFENG_1_COMMITTEE]
        units = list(
            Unit.objects.filter(
                building__compound__community=body.community,
                building__courtyard=body.courtyard,
                building__number__in=PIPES_BUILDINGS,
            ).select_related("building")
        )
        project, new = self.project(
            body,
            PIPES,
            units,
            description=PIPES_DESCRIPTION,
            consent_kind=Project.ConsentKind.COFUNDING,
            # The default: a unit goes ahead when all its households agree.
            status=Project.Status.IN_WORKS,
            starts_on=PIPES_STARTS,
            contractor=CONTRACTOR[1],
        )
        if new:
            self.link_meetings(project, body)
        self.record(project, self.pipes_plan(project))
        if new:
            self.check_pipes(project)

    def pipes_plan(self, project: Project) -> list[Planned]:
        households = sorted(
            project.covered_households().select_related("unit__building"), key=household_order
        )
        with_people = set(
            Membership.objects.filter(household__in=households).values_list(
                "household_id", flat=True
            )
        )
        named = {(p.building, p.unit, p.door) for p in NAMED_PEOPLE if p.compound == QINGFENG}
        by_unit: dict[tuple[str, str], list[Household]] = {}
        for h in households:
            by_unit.setdefault((h.unit.building.number, h.unit.number), []).append(h)

        plan = []
        for (building, unit), flats in by_unit.items():
            rng = random.Random(f"{SEED}:{PIPES}:{building}-{unit}")
            first = PIPES_MEETINGS.get(building, PIPES_SURVEY_FROM)

            def planned(h, answer, rng=rng, building=building, unit=unit, first=first):
                # The report's named residents gave their answer at their building's meeting.
                at_meeting = (
                    building in PIPES_MEETINGS
                    and answer != Answer.NOT_REACHED
                    and ((building, unit, h.door_number) in named or rng.random() < 0.25)
                )
                if at_meeting:
                    when = at(first, 10, rng.randrange(20, 60))
                    channel = Channel.MEETING
                else:
                    when = _some_day(rng, first, PIPES_SURVEY_TO)
                    paper = answer in (Answer.AGREE, Answer.DECLINE) and rng.random() < 0.15
                    channel = Channel.PAPER if paper else Channel.VISIT
                p = Planned(h, answer, when, channel, rng.choices(*PIPES_RECORDERS)[0])
                if answer == Answer.AGREE:
                    p.contribution = _contribution(h.area)
                    p.conditions = rng.choices(*WALL_CONDITIONS)[0]
                elif answer == Answer.UNDECIDED and rng.random() < 0.3:
                    p.conditions = rng.choice(UNDECIDED_CONDITIONS)
                return p

            if (building, unit) in PIPES_REPORTED:
                # Every household agreed: the report's named residents first; then those
                # at home, the landlords, and last the owners of empty flats who live
                # elsewhere.
                def reach(h, rng=rng, building=building, unit=unit):
                    if (building, unit, h.door_number) in named:
                        return 0, 0
                    if h.occupancy == Household.Occupancy.VACANT:
                        return 2 if h.pk in with_people else 3, rng.random()
                    return 1, rng.random()

                plan += [planned(h, Answer.AGREE) for h in sorted(flats, key=reach)]
            else:
                for h in flats:
                    if rng.random() >= PIPES_SURVEYED[building]:
                        continue
                    if h.pk not in with_people:
                        answer = Answer.NOT_REACHED
                    else:
                        answer = rng.choices(
                            [Answer.UNDECIDED, Answer.DECLINE, Answer.NOT_REACHED], [75, 12, 13]
                        )[0]
                    plan.append(planned(h, answer))
        return plan

    def link_meetings(self, project: Project, body: Body):
        """The meetings on the pipes up to the one where the agreement was signed; the
        decisions taken on them concern the project."""
        meetings = list(
            Meeting.objects.filter(
                body=body,
                title__contains="铸铁管",
                starts_at__lt=at(PIPES_MEETING_DAY + datetime.timedelta(days=1), 0),
            )
        )
        if meetings:
            project.meetings.add(*meetings)
        signed = Decision.objects.filter(
            meeting__body=body,
            meeting__title=PIPES_MEETING_TITLE,
            meeting__starts_at__gte=at(PIPES_MEETING_DAY, 0),
            meeting__starts_at__lt=at(PIPES_MEETING_DAY + datetime.timedelta(days=1), 0),
            text=PIPES_AGREEMENT,
        )
        on_pipes = (
            Decision.objects.filter(meeting__in=meetings, item__title__contains="铸铁管") | signed
        )
        on_pipes.filter(project=None).update(project=project)

    def check_pipes(self, project: Project):
        units = {
            (u.building, u.unit): u for b in tally.cofunding_progress(project) for u in b.units
        }
        reported = {key: u for key, u in units.items() if key in PIPES_REPORTED}
        going = {key for key, u in units.items() if u.goes_ahead}
        others = sum(u.agree for key, u in units.items() if key not in PIPES_REPORTED)
        in_18 = [reported[("18", "2")], reported[("18", "4")]]
        if (
            sum(u.agree for u in in_18) != PIPES_AGREED_18_UNITS_2_4
            or sum(u.households for u in in_18) != PIPES_AGREED_18_UNITS_2_4
            or reported[("17", "3")].agree != PIPES_AGREED_17_UNIT_3
            or reported[("17", "3")].households != PIPES_AGREED_17_UNIT_3
            or going != PIPES_REPORTED
            or others
        ):
            raise RuntimeError(f"The demo project {PIPES} does not match the meeting's figures.")
        for (building, unit), u in units.items():
            if u.agree or u.decline or u.undecided:
                message = _(
                    "%(project)s, building %(building)s unit %(unit)s: %(agree)d of "
                    "%(households)d households agree (%(pledged)s yuan), %(decline)d decline, "
                    "%(undecided)d undecided, %(not_reached)d not reached. %(ahead)s"
                ) % {
                    "project": project.name,
                    "building": building,
                    "unit": unit,
                    "agree": u.agree,
                    "households": u.households,
                    "pledged": u.pledged.quantize(Decimal("0.01")),
                    "decline": u.decline,
                    "undecided": u.undecided,
                    "not_reached": u.not_reached,
                    "ahead": _("goes ahead") if u.goes_ahead else "",
                }
                self.say(message.rstrip())

    # Owners' decisions ----------------------------------------------------------------

    def decision(self, spec: OwnersDecision):
        """The decision through its steps (consent.decision_announce, vote_open, close_due,
        result_publish), each at its own moment, as far as the day of loading has come."""
        body = self.bodies[spec.body]
        if spec.courtyard:
            place = {
                "building__courtyard__name": spec.courtyard,
                "building__compound__community": body.community,
            }
        else:
            place = {"building__compound": body.compound}
            if body.courtyard_id:
                place["building__courtyard"] = body.courtyard
        units = list(Unit.objects.filter(building__number__in=spec.buildings, **place))
        today, now = timezone.localdate(), timezone.now()
        if isinstance(spec.opens, int):
            opens = at(today + datetime.timedelta(days=spec.opens), 9)
            closes = at(today + datetime.timedelta(days=spec.closes), 18)
        else:
            opens = timezone.make_aware(spec.opens, timezone.get_default_timezone())
            closes = at(spec.closes, 18)
        by = self.users[spec.recorders[0]]
        project, new = self.project(
            body,
            spec.name,
            units,
            description=spec.description,
            consent_kind=Project.ConsentKind.OWNERS_DECISION,
            matter=spec.matter,
            starts_on=opens.date(),
            text=spec.description,
            ballot=spec.ballot,
            opens_at=opens,
            closes_at=closes,
        )
        if new:
            project = consent.decision_announce(
                project=project, by=by, now=opens - ANNOUNCED_BEFORE
            )
        if not project.vote_opened_at and opens <= now:
            project = consent.vote_open(project=project, by=by, now=opens)
            # The roll was frozen when the vote opened, not when the demo was loaded.
            OwnerRoll.objects.filter(pk=project.roll_id).update(created_at=opens)
        if not project.roll_id:
            return
        plan = self.decision_plan(project, spec, opens, closes.date())
        self.record(project, [p for p in plan if p.recorded_at < min(now, closes)])
        if closes <= now and not project.closed_at:
            project = consent.close_due(project, now)
            self.check_decision(project, spec)
        if project.closed_at and not project.published_at:
            consent.result_publish(
                project=project, by=by, now=at(closes.date() + datetime.timedelta(days=1), 9)
            )

    def decision_plan(
        self, project: Project, spec: OwnersDecision, opens: datetime.datetime, closes: date
    ) -> list[Planned]:
        """One answer per owner on the roll, given on the owner's first flat."""
        entries = list(project.roll.entries.select_related("household__unit__building").order_by())
        owners: dict[str, list] = {}  # key -> [first household, area]
        for e in sorted(entries, key=lambda e: household_order(e.household)):
            if e.owner_key in owners:
                owners[e.owner_key][1] += e.area
            else:
                owners[e.owner_key] = [e.household, e.area]
        # Only an owner on the register can answer; a flat with none counts, but cannot vote.
        registered = set(
            Membership.objects.filter(
                household__in=[e.household_id for e in entries],
                relation__in=[Membership.Relation.OWNER, Membership.Relation.CO_OWNER],
            ).values_list("household_id", flat=True)
        )
        voters_of = {}
        for e in entries:
            if e.household_id in registered:
                voters_of.setdefault(e.owner_key, e.household)
        eligible = [key for key in owners if key in voters_of]

        rng = random.Random(f"{SEED}:{spec.body}:{spec.name}")
        n = min(len(eligible), round(spec.turnout * len(owners)))
        voters = rng.sample(eligible, n)
        if spec.smaller_agree:
            voters.sort(key=lambda key: owners[key][1] * Decimal(rng.uniform(0.85, 1.15)))
        else:
            rng.shuffle(voters)
        agree, disagree = round(spec.agree * n), round(spec.disagree * n)
        answers = (
            [Answer.AGREE] * agree
            + [Answer.DISAGREE] * disagree
            + [Answer.ABSTAIN] * (n - agree - disagree)
        )
        plan = []
        for key, answer in zip(voters, answers, strict=True):
            when = max(opens, _some_day(rng, opens.date(), closes))
            plan.append(
                Planned(
                    voters_of[key],
                    answer,
                    when,
                    rng.choices(*DECISION_CHANNELS)[0],
                    rng.choice(spec.recorders),
                )
            )
        return plan

    def check_decision(self, project: Project, spec: OwnersDecision):
        result = tally.decision_tally(project)
        share, strict = approval_threshold(spec.matter)
        heads, area = result.agree_share
        by_head = heads > share if strict else heads >= share
        by_area = area > share if strict else area >= share
        expected = (True, True) if spec.passes else (True, False)
        if not result.participation_reached or (by_head, by_area) != expected:
            raise RuntimeError(f"The demo decision {spec.name} does not show what it should.")
        took_part = result.participation_share
        self.say(
            _(
                "%(project)s: %(verdict)s. %(owners_part)s of owners and %(area_part)s of area "
                "took part; %(owners_agree)s of them and %(area_agree)s of their area agree."
            )
            % {
                "project": project.name,
                "verdict": _("Passes") if result.passed else _("Not approved"),
                "owners_part": percent(took_part[0]),
                "area_part": percent(took_part[1]),
                "owners_agree": percent(heads),
                "area_agree": percent(area),
            }
        )


def load_demo(*, stdout=None) -> dict:
    """Load the demo's projects; returns how many projects and consent records were created.

    Needs `jinzang.demo.meetings.load_demo()` first.
    """
    say = reporter(stdout)
    created = dict.fromkeys(["projects", "consent_records"], 0)
    with transaction.atomic():
        loader = _Loader(created, say)
        loader.warm_homes()
        loader.pipes()
        for spec in DECISIONS:
            loader.decision(spec)
        if created["projects"] or created["consent_records"]:
            say(
                _("Projects: %(projects)d new, with %(records)d consent records.")
                % {"projects": created["projects"], "records": created["consent_records"]}
            )
    return created

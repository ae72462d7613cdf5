"""Demo visits: the 2013 Bailajing mobilisation (nearly 1,000 door-to-door visits in the two
months before the owners' committee was formed, for the "新型社区·温馨家园" renovation: the
households gave their opinion on it at the door, or at their courtyard's meeting), a
current opinion-collection campaign in Qingfeng, the grid workers' rounds of the last
year, and the care of residents in difficulty (连心桥) with their care visits.

Idempotent: campaigns are looked up by title, care records by community; a day of rounds
is made only when it has none, so a second run on the same day creates nothing, and a
run on a later day adds the days since."""

import datetime
import random

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from jinzang.demo.helpers import accounts, places, reporter
from jinzang.demo.story import (
    BAILAJING,
    MOBILISATION_FROM,
    MOBILISATION_GOAL,
    MOBILISATION_TO,
    MOBILISATION_VISITS,
    NEIGHBOURHOOD_COMMITTEE,
    NEIGHBOURHOOD_STAFF,
    QINGFENG,
    STAFF,
    WARM_HOMES,
    WARM_HOMES_MEETINGS,
    ZHAO_XIANGQIAN,
)
from meetings.models import ConsentRecord, Project, Purpose, Visit, VisitCampaign
from meetings.projects import consent
from residents.models import CareRecord, Household, Membership

SEED = "jinzang-visits"
date = datetime.date

BAILAJING_2013 = {
    "title": "百腊井小区成立业委会入户动员",
    "starts_on": MOBILISATION_FROM,
    "ends_on": MOBILISATION_TO,
    "goal": MOBILISATION_GOAL,
    "visits": MOBILISATION_VISITS,
    "description": (
        "2013年，百腊井小区在街道和社区党委指导下筹备成立第一届业主委员会。两个月里，"
        "社区工作人员、党员和志愿者逐户上门宣传动员，入户走访近千次。"
    ),
}
QINGFENG_OPINIONS = {
    "title": "庆丰小区“连心线”入户征求意见",
    "days_running": 40,
    "goal": 400,
    "visits": 163,
    "description": "入户听取居民对小区环境、停车和设施维护的意见建议，逐条登记、限时答复。",
}
# Who went door to door in 2013: the neighbourhood committee's staff and 赵湘黔, in the
# order the visits' pairs are drawn from.
_STAFF_NAMES = [name for name, _role, _party in NEIGHBOURHOOD_STAFF]
VISITORS_2013 = [*_STAFF_NAMES[:3], ZHAO_XIANGQIAN, *_STAFF_NAMES[3:]]
NOTES = [
    "支持成立业委会，愿意参加业主大会。",
    "支持管网改造，关心改造后由谁管理、卫生费怎么收，已记录。",
    "希望尽快解决下水道堵塞问题。",
    "老人独自在家，子女周末回来。",
    "租户，已请其转告房东。",
    "",
    "",
]
OPINION_NOTES = [
    "反映晚上小区停车难。",
    "希望健身区增加遮阳棚。",
    "楼道灯不亮，已转报修。",
    "建议垃圾分类点挪远一些。",
    "对院坝改造表示满意。",
    "",
]
# The grid workers' rounds (网格走访): on this share of weekdays, this many households a day.
ROUNDS_DAYS, ROUNDS_SHARE, ROUNDS_PER_DAY = 365, 0.6, (2, 5)
ROUNDS_NOTES = [
    "核对住户信息，人户一致。",
    "住户反映楼道灯不亮，已转业委会。",
    "宣传垃圾分类和防范电信诈骗。",
    "了解老人身体状况，一切正常。",
    "住户反映下水道返味，已登记。",
    "新搬来的租户，已登记。",
    "",
    "",
]
CIRCUMSTANCES = {
    "独居": CareRecord.Circumstance.ELDERLY_ALONE,
    "空巢": CareRecord.Circumstance.ELDERLY_ALONE,
    "高龄": CareRecord.Circumstance.ILLNESS,
    "残疾": CareRecord.Circumstance.DISABILITY,
    "低保": CareRecord.Circumstance.LOW_INCOME,
}


def _circumstance(note: str) -> str:
    for word, circumstance in CIRCUMSTANCES.items():
        if word in note:
            return circumstance
    return CareRecord.Circumstance.OTHER


def _outcome(rng: random.Random) -> str:
    return rng.choices(
        [Visit.Outcome.MET, Visit.Outcome.NOT_HOME, Visit.Outcome.FOLLOW_UP, Visit.Outcome.REFUSED],
        [70, 18, 9, 3],
    )[0]


class _Loader:
    def __init__(self, created, today):
        self.created = created
        self.today = today
        self.community, self.compounds, _courtyards = places()
        self.staff = accounts(STAFF).get(STAFF)

    def _visits(self, visits, visitors=()):
        Visit.objects.bulk_create(visits, batch_size=500)
        self.created["visits"] += len(visits)
        if visitors:
            Through = Visit.visitors.through
            Through.objects.bulk_create(
                [Through(visit_id=v.pk, user_id=u.pk) for v in visits for u in visitors],
                batch_size=500,
            )

    def campaign_2013(self):
        spec = BAILAJING_2013
        if VisitCampaign.objects.filter(title=spec["title"]).exists():
            return
        rng = random.Random(f"{SEED}:2013")
        compound = self.compounds[BAILAJING]
        project = Project.objects.filter(
            body__community=self.community, body__name=NEIGHBOURHOOD_COMMITTEE, name=WARM_HOMES
        ).first()
        campaign = VisitCampaign.objects.create(
            community=self.community,
            compound=compound,
            title=spec["title"],
            purpose=Purpose.MOBILISATION,
            goal=spec["goal"],
            starts_on=spec["starts_on"],
            ends_on=spec["ends_on"],
            project=project,
            description=spec["description"],
            created_by=self.staff,
        )
        self.created["campaigns"] += 1
        households = list(campaign.households().order_by("pk").values_list("pk", flat=True))
        days = (spec["ends_on"] - spec["starts_on"]).days
        visits = []
        for i in range(spec["visits"]):
            # Every household once in door order, then again those not met.
            household = households[i % len(households)]
            day = spec["starts_on"] + datetime.timedelta(days=min(days, i * days // spec["visits"]))
            visits.append(
                Visit(
                    household_id=household,
                    visited_on=day,
                    purpose=Purpose.MOBILISATION,
                    outcome=_outcome(rng),
                    notes=rng.choice(NOTES),
                    other_visitors="、".join(rng.sample(VISITORS_2013, 2)),
                    campaign=campaign,
                    recorded_by=self.staff,
                    recorded_at=timezone.make_aware(
                        datetime.datetime.combine(day, datetime.time(18))
                    ),
                )
            )
        self._visits(visits, [self.staff] if self.staff else [])
        if project is not None and self.staff is not None:
            self.warm_homes_answers(project, visits)

    def warm_homes_answers(self, project: Project, visits: list[Visit]):
        """Every household's agreement to the 2013 renovation: in Bailajing at the first
        visit that met it (the visit records the answer), else at its courtyard's last
        meeting on the renovation, or on a paper form when nobody lives there.

        Written in bulk, with their history, in a few queries: the checks of
        `consent.consent_record` are made once (the staff may record in the project, the
        answer fits it, every household is covered, none has an answer yet) and each
        record is cleaned on its own fields."""
        first_met = {}
        for visit in visits:
            if visit.outcome in (Visit.Outcome.MET, Visit.Outcome.FOLLOW_UP):
                first_met.setdefault(visit.household_id, visit)
        meetings = {}  # compound or courtyard -> the day of its last meeting
        for day, place, _where in WARM_HOMES_MEETINGS:
            meetings[place] = max(day, meetings.get(place, day))
        households = (
            project.covered_households()
            .select_related("unit__building__compound", "unit__building__courtyard")
            .order_by("pk")
        )
        lived_in = set(
            Membership.objects.filter(household__in=households).values_list(
                "household_id", flat=True
            )
        )
        Channel = ConsentRecord.Channel
        consent.check_may_record(project, self.staff)
        contribution = consent.answer_check(project, ConsentRecord.Answer.AGREE, None)
        if project.consents.exists():
            return
        records = []
        for household in households:
            visit = first_met.get(household.pk)
            building = household.unit.building
            place = building.courtyard.name if building.courtyard_id else building.compound.name
            if visit is not None:
                channel, when = Channel.VISIT, visit.recorded_at
            else:
                channel = Channel.MEETING if household.pk in lived_in else Channel.PAPER
                when = timezone.make_aware(
                    datetime.datetime.combine(meetings[place], datetime.time(11, 30))
                )
            record = ConsentRecord(
                project=project,
                household=household,
                answer=ConsentRecord.Answer.AGREE,
                contribution=contribution,
                recorded_by=self.staff,
                channel=channel,
                recorded_at=when,
            )
            record.full_clean(
                exclude=["project", "household", "recorded_by"], validate_constraints=False
            )
            records.append(record)
            if visit is not None:
                visit.consent = record
        records = bulk_create_with_history(
            records, ConsentRecord, batch_size=500, default_user=self.staff
        )
        answered = [record.pk for record in records]
        for visit in first_met.values():
            visit.consent_id = visit.consent.pk
        Visit.objects.bulk_update(list(first_met.values()), ["consent"], batch_size=500)
        # The history says a record was made when it was, not when the demo was loaded.
        ConsentRecord.history.filter(id__in=answered, history_type="+").update(
            history_date=F("recorded_at"), history_user_id=F("recorded_by_id")
        )
        self.created["consent_records"] += len(answered)

    def rounds(self):
        """The grid workers' rounds of the last year up to the day of loading: on most
        weekdays a few households, each day's from its own seed; a day that has its rounds
        already is left alone."""
        first = self.today - datetime.timedelta(days=ROUNDS_DAYS)
        done = set(
            Visit.objects.filter(
                household__unit__building__compound__community=self.community,
                purpose=Purpose.SURVEY,
                campaign=None,
                visited_on__gte=first,
            ).values_list("visited_on", flat=True)
        )
        households = list(
            Household.objects.filter(
                unit__building__compound__community=self.community
            ).values_list("pk", "unit__building__compound_id")
        )
        households.sort()
        visits = []
        day = first
        while day <= self.today:
            rng = random.Random(f"{SEED}:rounds:{day.isoformat()}")
            # Most weekdays; and the day of loading, so this month has visits from its first.
            on_rounds = day == self.today or (day.weekday() < 5 and rng.random() < ROUNDS_SHARE)
            if day not in done and on_rounds:
                for household, compound in rng.sample(households, rng.randint(*ROUNDS_PER_DAY)):
                    visits.append(
                        Visit(
                            household_id=household,
                            compound_id=compound,
                            visited_on=day,
                            purpose=Purpose.SURVEY,
                            outcome=_outcome(rng),
                            notes=rng.choice(ROUNDS_NOTES),
                            other_visitors=rng.choice(_STAFF_NAMES),
                            recorded_by=self.staff,
                            recorded_at=min(
                                timezone.now(),
                                timezone.make_aware(
                                    datetime.datetime.combine(day, datetime.time(18))
                                ),
                            ),
                        )
                    )
            day += datetime.timedelta(days=1)
        self._visits(visits, [self.staff] if self.staff else [])

    def campaign_now(self):
        spec = QINGFENG_OPINIONS
        if VisitCampaign.objects.filter(title=spec["title"]).exists():
            return
        rng = random.Random(f"{SEED}:now")
        compound = self.compounds[QINGFENG]
        starts = self.today - datetime.timedelta(days=spec["days_running"])
        campaign = VisitCampaign.objects.create(
            community=self.community,
            compound=compound,
            title=spec["title"],
            purpose=Purpose.OPINION,
            goal=spec["goal"],
            starts_on=starts,
            ends_on=self.today + datetime.timedelta(days=50),
            description=spec["description"],
            created_by=self.staff,
        )
        self.created["campaigns"] += 1
        households = list(campaign.households().values_list("pk", flat=True))
        chosen = rng.sample(households, min(spec["visits"], len(households)))
        visits = [
            Visit(
                household_id=household,
                visited_on=starts + datetime.timedelta(days=rng.randint(0, spec["days_running"])),
                purpose=Purpose.OPINION,
                outcome=_outcome(rng),
                notes=rng.choice(OPINION_NOTES),
                campaign=campaign,
                recorded_by=self.staff,
            )
            for household in chosen
        ]
        self._visits(visits, [self.staff] if self.staff else [])

    def care(self):
        if CareRecord.objects.filter(community=self.community).exists():
            return
        rng = random.Random(f"{SEED}:care")
        memberships = (
            Membership.objects.filter(household__unit__building__compound__community=self.community)
            .exclude(resident__care_notes="")
            .select_related("resident")
            .order_by("resident_id", "pk")
        )
        records, seen = [], set()
        for m in memberships:
            if m.resident_id in seen:
                continue
            seen.add(m.resident_id)
            interval = rng.choice([14, 30, 30, 30, 60])
            records.append(
                CareRecord(
                    community=self.community,
                    resident=m.resident,
                    household_id=m.household_id,
                    circumstance=_circumstance(m.resident.care_notes),
                    needs=m.resident.care_notes,
                    visit_every_days=interval,
                    responsible=self.staff,
                    started_on=self.today - datetime.timedelta(days=rng.randint(200, 1500)),
                )
            )
        CareRecord.objects.bulk_create(records)
        self.created["care_records"] += len(records)
        visits = []
        for record in records:
            day = self.today - datetime.timedelta(days=rng.randint(0, record.visit_every_days + 10))
            for _i in range(rng.randint(2, 6)):
                visits.append(
                    Visit(
                        household_id=record.household_id,
                        visited_on=day,
                        purpose=Purpose.CARE,
                        outcome=Visit.Outcome.MET,
                        notes=rng.choice(
                            [
                                "身体状况稳定。",
                                "帮助购买生活用品。",
                                "陪同就医。",
                                "电话联系子女，告知近况。",
                            ]
                        ),
                        care_record=record,
                        recorded_by=self.staff,
                    )
                )
                day -= datetime.timedelta(days=record.visit_every_days + rng.randint(-5, 5))
        self._visits(visits, [self.staff] if self.staff else [])


def load_demo(*, stdout=None, today=None) -> dict:
    """Load the demo's visits, campaigns and care records; returns how many were created."""
    created = dict.fromkeys(["campaigns", "visits", "care_records", "consent_records"], 0)
    with transaction.atomic():
        loader = _Loader(created, today or timezone.localdate())
        loader.campaign_2013()
        loader.campaign_now()
        loader.rounds()
        loader.care()
    if any(created.values()):
        reporter(stdout)(
            _("Visits: %(visits)d, in %(campaigns)d campaigns; %(care)d care records.")
            % {
                "visits": created["visits"],
                "campaigns": created["campaigns"],
                "care": created["care_records"],
            }
        )
    return created

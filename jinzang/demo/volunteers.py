"""The demo's volunteer teams: the 8 functional teams of the story ("People who help"),
the 158 party members the community recruited, spread over the teams with the
register's resident volunteers, and a year of the "365" programme: roughly one activity
a week per team up to the day the demo is loaded, with each participant's hours.

Four teams are named in the report (volunteer lecturers, public-opinion surveyors,
study tutors, courtyard security patrols); the other four are plausible inventions.
Party members come from the register where it has them; the rest are party members
who serve here without a household on the register (synthetic names).

Idempotent: teams are looked up by name; a team's members and activities are made
only when it has none, so a second run creates and changes nothing.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from committees.models import ServiceActivity, ServiceHours, Volunteer, VolunteerTeam
from jinzang.demo.helpers import places, reporter
from jinzang.demo.story import RECRUITED_PARTY_MEMBERS, VOLUNTEER_TEAMS
from residents.models import Resident

SEED = "jinzang-demo:volunteers"
Kind = VolunteerTeam.Kind

# name, purpose, description, (place, what was done) of its activities
TEAMS = [
    (
        "志愿讲师队",
        Kind.LECTURERS,
        "党员讲政策、讲法律、讲健康，在院落和社区活动室开讲。",
        [
            ("社区活动室", "政策宣讲：城镇老旧小区改造"),
            ("庆丰一号院文化休闲区", "民法典进院落：业主的权利与义务"),
            ("社区活动室", "健康讲座：老年人防跌倒"),
            ("百腊井小区院坝", "防范电信诈骗讲座"),
        ],
    ),
    (
        "民意调查员队",
        Kind.SURVEYORS,
        "入户收集居民急难愁盼，整理意见交居委会和业委会。",
        [
            ("百腊井小区", "入户收集管网改造意见"),
            ("庆丰小区", "停车棚使用意见调查"),
            ("庆丰二号院", "院落环境满意度调查"),
        ],
    ),
    (
        "学业辅导队",
        Kind.TUTORS,
        "为双职工家庭和困难家庭的孩子辅导作业。",
        [
            ("社区四点半课堂", "小学生作业辅导"),
            ("社区活动室", "初中数学答疑"),
            ("社区四点半课堂", "暑期阅读小组"),
        ],
    ),
    (
        "院落治安巡逻队",
        Kind.PATROL,
        "每晚在院落巡逻，检查楼道、车棚和消防通道。",
        [
            ("庆丰一号院", "夜间巡逻，检查停车棚电动车充电"),
            ("庆丰二号院", "夜间巡逻，检查消防通道"),
            ("百腊井小区", "夜间巡逻，检查楼道杂物"),
        ],
    ),
    (
        "文艺宣传队",
        Kind.CULTURE,
        "组织广场舞、合唱和节日文艺活动，宣传社区事务。",
        [
            ("庆丰一号院文化休闲区", "合唱排练"),
            ("社区广场", "重阳节文艺演出"),
            ("庆丰一号院文化休闲区", "广场舞教学"),
        ],
    ),
    (
        "环境卫生队",
        Kind.SANITATION,
        "清理卫生死角，宣传垃圾分类。",
        [
            ("百腊井小区", "清理楼道和院坝卫生死角"),
            ("庆丰小区", "垃圾分类宣传与指导"),
            ("庆丰二号院", "清理绿化带垃圾"),
        ],
    ),
    (
        "关爱帮扶队",
        Kind.CARE,
        "探访独居、空巢和困难老人，代办代购。",
        [
            ("百腊井小区", "探访独居老人，代购生活用品"),
            ("庆丰小区", "为高龄老人理发、测血压"),
            ("社区活动室", "困难家庭送温暖"),
        ],
    ),
    (
        "应急救援队",
        Kind.EMERGENCY,
        "协助微型消防站，开展消防演练和应急处置。",
        [
            ("庆丰二号院微型消防站", "消防器材检查与演练"),
            ("百腊井小区", "雨季排水巡查"),
            ("社区广场", "应急救护培训"),
        ],
    ),
]

assert len(TEAMS) == VOLUNTEER_TEAMS

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何罗高林郑梁谢宋唐"
GIVEN = "建华明丽秀英国强志勇海燕玉兰德军桂芳红梅晓东文静春荣光"


def _outside_names(rng: random.Random, n: int, taken: set[str]) -> list[str]:
    names = []
    while len(names) < n:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names


def _members(community, teams, rng, today, created):
    """The recruited party members and the register's volunteers, spread over the teams."""
    residents = Resident.objects.filter(
        memberships__household__unit__building__compound__community=community
    ).distinct()
    party = list(residents.filter(is_party_member=True).order_by("pk")[:RECRUITED_PARTY_MEMBERS])
    others = list(residents.filter(is_volunteer=True, is_party_member=False).order_by("pk"))
    taken = set(residents.values_list("name", flat=True))
    outside = _outside_names(rng, RECRUITED_PARTY_MEMBERS - len(party), taken)
    rows = []

    def join(team, *, resident=None, name="", is_party_member=False):
        joined = today - datetime.timedelta(days=rng.randint(400, 3000))
        rows.append(
            Volunteer(
                team=team,
                resident=resident,
                name=resident.name if resident else name,
                is_party_member=is_party_member,
                joined=joined,
            )
        )

    for i, resident in enumerate(party):
        first = teams[i % len(teams)]
        join(first, resident=resident)
        if rng.random() < 0.25:  # some serve in a second team
            second = rng.choice([t for t in teams if t != first])
            join(second, resident=resident)
    for i, name in enumerate(outside):
        join(teams[(i + 3) % len(teams)], name=name, is_party_member=True)
    for i, resident in enumerate(others):
        join(teams[(i + 5) % len(teams)], resident=resident)
    Volunteer.objects.bulk_create(rows)
    created["volunteers"] += len(rows)


def _activities(team, spec, rng, today, compounds, created):
    volunteers = list(team.volunteers.order_by("pk"))
    if not volunteers:
        return
    activities, participants = [], []
    # Roughly weekly, back from today over the past year; the latest in this month, so
    # every month of the dashboard's year has hours.
    day = today - datetime.timedelta(days=rng.randint(0, min(6, today.day - 1)))
    while day > today - datetime.timedelta(days=365):
        place, what = rng.choice(spec)
        compound = next((c for name, c in compounds.items() if name[:2] in place), None)
        activities.append(
            ServiceActivity(team=team, date=day, place=place, description=what, compound=compound)
        )
        people = rng.sample(volunteers, min(len(volunteers), rng.randint(3, 8)))
        hours = Decimal(rng.choice(["1.5", "2.0", "2.0", "2.5", "3.0", "4.0"]))
        participants.append([(v, hours) for v in people])
        day -= datetime.timedelta(days=rng.randint(5, 9))
    ServiceActivity.objects.bulk_create(activities)
    ServiceHours.objects.bulk_create(
        ServiceHours(activity=activity, volunteer=v, hours=h)
        for activity, people in zip(activities, participants, strict=True)
        for v, h in people
    )
    created["service_activities"] += len(activities)


def load_demo(*, stdout=None) -> dict:
    """Load the demo's teams, volunteers and activities; returns how many were created."""
    created = dict.fromkeys(["volunteer_teams", "volunteers", "service_activities"], 0)
    demo_places = places()
    if demo_places is None:
        return created
    community, compounds = demo_places.community, demo_places.compounds
    today = timezone.localdate()
    rng = random.Random(SEED)
    with transaction.atomic():
        teams = []
        for name, kind, description, _spec in TEAMS:
            team, new = VolunteerTeam.objects.get_or_create(
                community=community,
                name=name,
                defaults={
                    "kind": kind,
                    "description": description,
                    "founded_on": datetime.date(2014, 3, 5),
                },
            )
            created["volunteer_teams"] += new
            teams.append(team)
        if not Volunteer.objects.filter(team__in=teams).exists():
            _members(community, teams, rng, today, created)
            for team in teams:
                team.leader = team.volunteers.order_by("pk").first()
                team.save(update_fields=["leader"])
        for team, (_name, _kind, _description, spec) in zip(teams, TEAMS, strict=True):
            if not team.activities.exists():
                _activities(
                    team, spec, random.Random(f"{SEED}:{team.name}"), today, compounds, created
                )
    if any(created.values()):
        reporter(stdout)(
            "Volunteers: {volunteer_teams} teams, {volunteers} volunteers, "
            "{service_activities} activities.".format(**created)
        )
    return created

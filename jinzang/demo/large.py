"""The benchmark's generated sub-district (`manage.py seed_large`), beside the demo.

Unlike the demo's story, nothing here is real: the data are generated from a
fixed random seed, so two runs with the same options produce the same rows, and
written with `bulk_create` in one transaction: 40,000 households and 100,000
residents load in well under the two minutes issue 9 allows on SQLite.

What it builds, with the defaults: one sub-district of 20 communities
(tens of communities, as in a real sub-district) holding 40,000 households in
buildings of 2 to 4 units, 6 or 7 floors and two doors a floor; one compound
of 5,000 households (a large estate), the others of a few hundred each;
100,000 residents with valid mobile numbers and ID numbers (checksums as in
`residents.validators`); a neighbourhood committee per community, owners'
and self-management committees with terms and members; five years of
monthly meetings of every body with agenda, attendance, decisions and
actions; notices; 200 renovation projects with consent records, one of them
covering the 5,000-household estate, and some owners' decisions whose vote
is open (their roll frozen with `vote_open`).

Bulk inserts skip django-simple-history: generated rows have no recorded
changes, as if they had been imported before history was kept.
"""

import datetime
import random
import time
from decimal import Decimal

from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from committees.models import (
    Body,
    Fund,
    FundEntry,
    Member,
    Notice,
    RequestCategory,
    ResidentRequest,
    ServiceActivity,
    ServiceHours,
    Term,
    Volunteer,
    VolunteerTeam,
)
from jinzang.demo.volunteers import TEAMS
from meetings.models import (
    Action,
    AgendaItem,
    Attendee,
    ConsentRecord,
    Decision,
    Meeting,
    Project,
    Purpose,
    Visit,
)
from meetings.projects.consent import decision_announce, vote_open
from residents.models import (
    RESIDENT_FIELDS,
    Building,
    CareRecord,
    Community,
    Compound,
    Household,
    Membership,
    OwnerRollEntry,
    Resident,
    Unit,
)
from residents.owners.owners_vote import Matter
from residents.validators import id_check_char

# The hundred most common surnames, the most common first, and common characters of
# given names: enough for realistic duplicates (many 王秀英) and a realistic spread.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛"
    "郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红梅玉珍德胜海春花文斌晓燕永福"
    "丹萍鹏辉宇浩凯鑫佳琳欣怡子涵雨轩思博俊瑞婷雪慧颖晨阳成林云飞荣光玲凤琴梓萱一诺"
)
# Region codes of Guiyang's districts: the first six digits of an ID number.
REGIONS = ("520102", "520103", "520111", "520112", "520113", "520115")
MOBILE_PREFIXES = [
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "155",
    "157",
    "158",
    "159",
    "166",
    "176",
    "177",
    "178",
    "180",
    "181",
    "182",
    "183",
    "185",
    "186",
    "187",
    "188",
    "189",
    "191",
    "198",
    "199",
]
COMMUNITY_NAMES = [
    "金仓",
    "盐务",
    "黔灵",
    "东山",
    "大营",
    "中华",
    "富水",
    "文昌",
    "护国",
    "六广",
    "枣山",
    "百花",
    "宅吉",
    "延安",
    "新华",
    "威清",
    "普陀",
    "贵乌",
    "市西",
    "北京",
    "渔安",
    "南明",
    "雅关",
    "改茶",
    "八鸽岩",
    "头桥",
    "三桥",
    "金鸭",
    "二戈",
    "矿机",
]
COMPOUND_WORDS = [
    "庆丰",
    "百腊井",
    "和平",
    "幸福",
    "阳光",
    "金桥",
    "翠微",
    "南苑",
    "北苑",
    "东苑",
    "西苑",
    "电力",
    "铁路",
    "邮电",
    "机械",
    "纺织",
    "粮食",
    "水利",
    "建工",
    "师范",
]
MEETING_TITLES = (
    "月度工作例会",
    "楼栋长联席会",
    "安全隐患排查部署会",
    "老旧小区改造意见征集会",
    "物业服务质量评议会",
    "停车秩序协调会",
    "环境卫生整治推进会",
    "业主大会筹备会",
)
AGENDA_TITLES = (
    "上月工作完成情况",
    "居民诉求办理情况",
    "消防通道清理",
    "化粪池清掏",
    "路灯维修",
    "雨污管网改造",
    "电动车集中充电",
    "垃圾分类宣传",
    "困难群众走访",
    "下月工作安排",
)
PROJECT_WORKS = (
    "铸铁管更换",
    "外墙防水",
    "楼道照明",
    "屋面防水",
    "电梯加装",
    "雨污分流",
    "单元门禁",
)
NOTICE_TITLES = (
    "停水通知",
    "停电检修通知",
    "消防安全检查公告",
    "物业费收支公示",
    "改造工程施工公告",
    "业主大会会议通知",
    "垃圾分类宣传周",
    "疫苗接种安排",
)


def insert(model, fields, rows, batch=5000):
    """Insert `rows` (tuples of column values, primary keys included) with executemany.

    The three largest tables are written this way: bulk_create spends most of its
    time compiling each object's values, and the seed must load in under two minutes.
    The database is empty, so the generated primary keys are free; the caller resets
    the sequences afterwards.
    """
    qn = connection.ops.quote_name
    columns = ", ".join(qn(model._meta.get_field(f).column) for f in fields)
    sql = (
        f"INSERT INTO {qn(model._meta.db_table)} ({columns}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            cursor.executemany(sql, rows[start : start + batch])


def generate(options: dict, log=None) -> dict[str, int]:
    """Fill an empty database with the generated sub-district, in one transaction;
    returns how many rows of each kind were written. `options` are those of
    `manage.py seed_large`; `log`, if given, is called with a line per step."""
    with transaction.atomic():
        return Seeder(options, log=log).run()


class Seeder:
    """Generates the rows; each step bulk-creates one model or a few."""

    def __init__(self, options, log=None):
        self.o = options
        self.rng = random.Random(options["seed"])
        self.log = log or (lambda message: None)
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.counts: dict[str, int] = {}
        self.started = time.monotonic()
        self.stamp = connection.ops.adapt_datetimefield_value(self.now)
        self.id_serial: dict[str, int] = {}

    def step(self, name, rows):
        self.counts[name] = self.counts.get(name, 0) + len(rows)
        self.log(f"{name}: {len(rows):,} ({time.monotonic() - self.started:.1f} s)")

    def run(self) -> dict[str, int]:
        self.places()
        self.people()
        self.bodies()
        self.meetings()
        self.notices()
        self.projects()
        self.fieldwork()
        return self.counts

    # --- places ---------------------------------------------------------------------

    def places(self):
        rng, o = self.rng, self.o
        # Compound sizes: the large estate, then compounds of 150 to 650 households.
        sizes, left = [o["large_project"]], o["households"] - o["large_project"]
        while left > 0:
            size = min(left, rng.randint(150, 650))
            sizes.append(size)
            left -= size
        # Every community has at least one compound.
        names = [
            f"{COMMUNITY_NAMES[i % len(COMMUNITY_NAMES)]}社区"
            for i in range(min(o["communities"], len(sizes)))
        ]
        names = [name if i < len(COMMUNITY_NAMES) else f"{name}{i}" for i, name in enumerate(names)]
        self.communities = Community.objects.bulk_create(
            Community(name=name, district="云岩区", sub_district="基准街道") for name in names
        )
        compounds = []
        for i, _size in enumerate(sizes):
            word = COMPOUND_WORDS[i % len(COMPOUND_WORDS)]
            name = (
                f"{word}小区" if i < len(COMPOUND_WORDS) else f"{word}{i // len(COMPOUND_WORDS)}期"
            )
            compounds.append(
                Compound(
                    community=self.communities[i % len(self.communities)],
                    name=name,
                    built=rng.choice(("1980s", "1990s", "1996", "2001")),
                )
            )
        self.compounds = Compound.objects.bulk_create(compounds)
        self.step("compounds", self.compounds)

        plan = []  # (compound, building number, floors, unit number)
        for compound, size in zip(self.compounds, sizes, strict=True):
            left, number = size, 0
            while left > 0:
                number += 1
                floors = rng.choice((6, 7))
                for unit_number in range(1, rng.choice((2, 3, 4)) + 1):
                    if left <= 0:
                        break
                    plan.append((compound, number, floors, unit_number, min(left, 2 * floors)))
                    left -= 2 * floors
        buildings = {}
        for compound, number, floors, _u, _n in plan:
            buildings.setdefault(
                (compound.pk, number),
                Building(compound=compound, number=str(number), floors=floors),
            )
        Building.objects.bulk_create(buildings.values())
        self.step("buildings", buildings)
        units = [Unit(building=buildings[(c.pk, b)], number=str(u)) for c, b, _f, u, _n in plan]
        self.units = Unit.objects.bulk_create(units)
        self.step("units", self.units)

        Occ = Household.Occupancy
        households = []
        for unit, (_c, _b, _floors, _u, count) in zip(self.units, plan, strict=True):
            base = [rng.randint(4850, 9800) for _door in range(2)]
            for k in range(count):
                floor, position = 1 + k // 2, 1 + k % 2
                cents = min(9800, max(4850, base[position - 1] + rng.randint(-80, 80)))
                roll = rng.random()
                households.append(
                    Household(
                        unit=unit,
                        door_number=f"{floor}{position:02d}",
                        area=Decimal(cents).scaleb(-2),
                        developer_unsold=roll < 0.01,
                        not_handed_over=0.01 <= roll < 0.015,
                        occupancy=Occ.VACANT
                        if roll < 0.05
                        else Occ.RENTED
                        if roll < 0.2
                        else Occ.OWNER_OCCUPIED,
                    )
                )
        for pk, h in enumerate(households, start=1):
            h.pk = h.id = pk
        insert(
            Household,
            [
                "id",
                "unit",
                "door_number",
                "area",
                "developer_unsold",
                "not_handed_over",
                "occupancy",
                "notes",
                "updated_at",
                "version",
            ],
            [
                (
                    h.pk,
                    h.unit_id,
                    h.door_number,
                    h.area,
                    h.developer_unsold,
                    h.not_handed_over,
                    h.occupancy,
                    "",
                    self.stamp,
                    1,
                )
                for h in households
            ],
        )
        self.households = households
        self.step("households", self.households)
        self.households_of_unit = {}
        for h in self.households:
            self.households_of_unit.setdefault(h.unit_id, []).append(h)
        self.compound_of_unit = {u.pk: u.building.compound for u in self.units}

    # --- people ---------------------------------------------------------------------

    def person(self) -> dict:
        """A resident's values, by field (drawn in this order: the seed fixes them)."""
        rng = self.rng
        year = rng.randint(1935, 2018)
        phone = ""
        if year < 2008 and rng.random() < 0.9:
            phone = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
        id_number = ""
        if rng.random() < 0.92:
            month, day = rng.randint(1, 12), rng.randint(1, 28)
            stem = f"{rng.choice(REGIONS)}{year:04d}{month:02d}{day:02d}"
            serial = self.id_serial.get(stem, rng.randrange(100))
            self.id_serial[stem] = serial + 1
            first17 = f"{stem}{serial % 1000:03d}"
            id_number = first17 + id_check_char(first17)
        given = "".join(rng.choice(GIVEN) for _i in range(rng.choice((1, 2, 2, 2))))
        care = rng.choice(("独居老人，每周电话问候。", "行动不便，需上门服务。", "低保户。"))
        return {
            "name": SURNAMES[min(int(rng.expovariate(1 / 18)), len(SURNAMES) - 1)] + given,
            "gender": rng.choice("FM"),
            "birth_year": year,
            "phone": phone,
            "id_number": id_number,
            "is_party_member": rng.random() < 0.08,
            "is_volunteer": rng.random() < 0.05,
            "care_notes": care if rng.random() < 0.03 else "",
        }

    def people(self):
        rng, o = self.rng, self.o
        R, Occ = Membership.Relation, Household.Occupancy
        residents, links = [], []  # links: (resident pk, household, relation)
        occupied = [h for h in self.households if not h.developer_unsold]
        # Everybody but the owners of a second flat is a new resident; extra people go to
        # random households until the number of residents is reached.
        extra = o["residents"] - len(occupied)
        size = {h.pk: 1 for h in occupied}
        for h in rng.choices(occupied, k=max(0, extra)):
            size[h.pk] += 1
        previous_owner = None
        for h in occupied:
            first = len(residents) + 1
            for k in range(size[h.pk]):
                residents.append(self.person())
                if k == 0:
                    relation = R.OWNER
                elif h.occupancy == Occ.RENTED:
                    relation = R.TENANT
                elif k == 1 and rng.random() < 0.3:
                    relation = R.CO_OWNER
                else:
                    relation = R.FAMILY
                links.append((len(residents), h, relation))
            # About 3% of owners also own the next flat: one owner, two households.
            if previous_owner is not None and rng.random() < 0.03:
                links.append((previous_owner, h, R.OWNER))
            previous_owner = first
        insert(
            Resident,
            ["id", *RESIDENT_FIELDS, "updated_at"],
            [
                (pk, *(person[f] for f in RESIDENT_FIELDS), self.stamp)
                for pk, person in enumerate(residents, start=1)
            ],
        )
        self.step("residents", residents)
        seen, memberships = set(), []
        for r, h, relation in links:
            if (r, h.pk) not in seen:
                seen.add((r, h.pk))
                memberships.append((len(memberships) + 1, r, h.pk, relation))
        insert(Membership, ["id", "resident", "household", "relation"], memberships)
        self.step("memberships", memberships)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(
                no_style(), [Household, Resident, Membership]
            ):
                cursor.execute(sql)
        self.links = links
        self.residents_of_compound = {}
        for r, h, _rel in links:
            compound = self.compound_of_unit[h.unit_id]
            self.residents_of_compound.setdefault(compound.pk, []).append(r)

    # --- bodies ---------------------------------------------------------------------

    def bodies(self):
        rng = self.rng
        start = self.today.replace(year=self.today.year - self.o["years"], day=1)
        bodies = [
            Body(
                kind=Body.Kind.NEIGHBOURHOOD,
                name=f"{c.name}居民委员会",
                community=c,
                founded_on=start,
            )
            for c in self.communities
        ]
        for i, compound in enumerate(self.compounds):
            kind = Body.Kind.OWNERS if i % 4 else Body.Kind.SELF_MANAGEMENT
            suffix = "业主委员会" if kind == Body.Kind.OWNERS else "自管会"
            bodies.append(
                Body(
                    kind=kind,
                    name=f"{compound.name}{suffix}",
                    community=compound.community,
                    compound=compound,
                    founded_on=start,
                )
            )
        self.bodies = Body.objects.bulk_create(bodies)
        self.step("bodies", self.bodies)
        # Two terms: the first ended half-way, the second runs.
        middle = start + (self.today - start) / 2
        terms = []
        for body in self.bodies:
            terms.append(
                Term(body=body, number=1, starts_on=start, ends_on=middle - datetime.timedelta(1))
            )
            terms.append(Term(body=body, number=2, starts_on=middle))
        Term.objects.bulk_create(terms)
        self.step("terms", terms)
        members = []
        self.members_of_body = {}
        roles = [Member.Role.CHAIR, Member.Role.VICE_CHAIR, Member.Role.SECRETARY]
        for term in terms:
            body = term.body
            if body.compound_id:
                people = rng.sample(self.residents_of_compound[body.compound_id], 7)
                seats = [
                    Member(term=term, resident_id=p, role=(roles + [Member.Role.MEMBER] * 4)[k])
                    for k, p in enumerate(people)
                ]
            else:
                seats = [
                    Member(
                        term=term,
                        name=self.person()["name"],
                        is_party_member=True,
                        role=(roles + [Member.Role.MEMBER] * 2)[k],
                    )
                    for k in range(5)
                ]
            for seat in seats:
                seat.starts_on, seat.ends_on = term.starts_on, term.ends_on
            members += seats
            if term.number == 2:
                self.members_of_body[body.pk] = [s.resident_id for s in seats if s.resident_id]
        Member.objects.bulk_create(members)
        self.step("members", members)

    # --- meetings -------------------------------------------------------------------

    def meetings(self):
        """Every body meets about once a month; held meetings have minutes and decisions."""
        rng = self.rng
        days = 365 * self.o["years"]
        meetings = []
        for body in self.bodies:
            for month in range(12 * self.o["years"]):
                if rng.random() < 0.15:
                    continue
                day = self.now - datetime.timedelta(
                    days=days - month * days / (12 * self.o["years"])
                )
                starts = day.replace(
                    hour=11, minute=0, second=0, microsecond=0
                ) + datetime.timedelta(days=rng.randint(0, 20))
                held = starts < self.now
                meetings.append(
                    Meeting(
                        body=body,
                        kind=Meeting.Kind.WORK if rng.random() < 0.8 else Meeting.Kind.OPINION,
                        title=rng.choice(MEETING_TITLES),
                        starts_at=starts,
                        ends_at=starts + datetime.timedelta(hours=2),
                        place=f"{body.compound.name if body.compound_id else body.community.name}议事室",
                        status=Meeting.Status.HELD
                        if held
                        else Meeting.Status.PLANNED
                        if rng.random() < 0.95
                        else Meeting.Status.CANCELLED,
                    )
                )
        self.meetings_list = Meeting.objects.bulk_create(meetings, batch_size=2000)
        self.step("meetings", meetings)
        items, attendees = [], []
        for m in meetings:
            for order, title in enumerate(rng.sample(AGENDA_TITLES, rng.randint(2, 4)), start=1):
                minutes = (
                    f"会议讨论了{title}，与会人员一致同意按计划推进。" if m.status == "held" else ""
                )
                items.append(AgendaItem(meeting=m, order=order, title=title, minutes=minutes))
            if m.status == Meeting.Status.HELD:
                for resident in self.members_of_body.get(m.body_id, [])[: rng.randint(3, 7)]:
                    attendees.append(Attendee(meeting=m, resident_id=resident))
        AgendaItem.objects.bulk_create(items, batch_size=2000)
        self.step("agenda items", items)
        Attendee.objects.bulk_create(attendees, batch_size=2000)
        self.step("attendees", attendees)
        decisions, actions = [], []
        for item in items:
            if item.meeting.status != Meeting.Status.HELD or item.order != 1:
                continue
            m = item.meeting
            decisions.append(Decision(meeting=m, item=item, text=f"同意{item.title}的工作安排。"))
            owner = self.members_of_body.get(m.body_id)
            if owner:
                due = (m.starts_at + datetime.timedelta(days=rng.randint(7, 45))).date()
                done = due < self.today and rng.random() < 0.9
                actions.append(
                    Action(
                        meeting=m,
                        item=item,
                        description=f"落实{item.title}",
                        owner_resident_id=rng.choice(owner),
                        due_on=due,
                        status=Action.Status.DONE if done else Action.Status.OPEN,
                        done_on=due if done else None,
                    )
                )
        Decision.objects.bulk_create(decisions, batch_size=2000)
        self.step("decisions", decisions)
        Action.objects.bulk_create(actions, batch_size=2000)
        self.step("actions", actions)

    # --- notices --------------------------------------------------------------------

    def notices(self):
        """About two notices a month for each community, some for one compound only."""
        rng = self.rng
        notices, addressed = [], []
        neighbourhood = [b for b in self.bodies if b.kind == Body.Kind.NEIGHBOURHOOD]
        compounds_of = {}
        for c in self.compounds:
            compounds_of.setdefault(c.community_id, []).append(c)
        for body in neighbourhood:
            for k in range(24 * self.o["years"]):
                published = self.now - datetime.timedelta(
                    days=rng.uniform(0, 365 * self.o["years"])
                )
                whole = rng.random() < 0.6
                notice = Notice(
                    body=body,
                    title=rng.choice(NOTICE_TITLES),
                    text="各位居民：\n\n请相互转告，感谢配合。\n\n- 联系电话见公告栏",
                    category=rng.choice(Notice.Category.values),
                    for_whole_community=whole,
                    publish_at=published,
                    pinned=k == 0,
                )
                notices.append(notice)
                if not whole:
                    addressed.append((notice, rng.choice(compounds_of[body.community_id])))
        Notice.objects.bulk_create(notices, batch_size=2000)
        self.step("notices", notices)
        Through = Notice.compounds.through
        Through.objects.bulk_create(Through(notice_id=n.pk, compound_id=c.pk) for n, c in addressed)

    # --- projects -------------------------------------------------------------------

    def projects(self):
        """Co-funding campaigns and owners' decisions; the first covers the large estate."""
        rng = self.rng
        C = ConsentRecord.Answer
        committees = [b for b in self.bodies if b.kind != Body.Kind.NEIGHBOURHOOD]
        units_of_compound = {}
        for u in self.units:
            units_of_compound.setdefault(u.building.compound_id, []).append(u)
        large = committees[0]  # the body of the large estate (the first compound)
        n = self.o["projects"]
        plans = [(large, units_of_compound[large.compound_id], False)]
        for k in range(1, n):
            body = committees[rng.randrange(len(committees))]
            units = units_of_compound[body.compound_id]
            # One building's units (a stairwell campaign) or a handful of buildings.
            building = rng.choice(units).building_id
            chosen = [u for u in units if u.building_id == building]
            if k % 3 == 0:
                chosen = rng.sample(units, min(len(units), rng.randint(6, 20)))
            plans.append((body, chosen, k % 5 == 0 and body.kind == Body.Kind.OWNERS))
        projects = []
        for k, (body, _units, decision) in enumerate(plans):
            work = PROJECT_WORKS[k % len(PROJECT_WORKS)]
            starts = self.today - datetime.timedelta(days=rng.randint(10, 365 * self.o["years"]))
            projects.append(
                Project(
                    name=f"{body.compound.name}{work}" + ("（业主共同决定）" if decision else ""),
                    body=body,
                    consent_kind=Project.ConsentKind.OWNERS_DECISION
                    if decision
                    else Project.ConsentKind.COFUNDING,
                    matter=Matter.RENOVATE if decision else "",
                    threshold=Decimal("0.800") if not decision else Decimal(1),
                    status=Project.Status.COLLECTING,
                    starts_on=starts,
                )
            )
        Project.objects.bulk_create(projects)
        self.step("projects", projects)
        Through = Project.units.through
        Through.objects.bulk_create(
            (
                Through(project_id=p.pk, unit_id=u.pk)
                for p, (_b, units, _d) in zip(projects, plans, strict=True)
                for u in units
            ),
            batch_size=5000,
        )
        records = []
        for project, (_body, units, decision) in zip(projects, plans, strict=True):
            if decision:
                # Announce and open as the pages do (the notice period long past, the
                # vote open for a year yet), then one answer per owner key.
                announced = timezone.now() - datetime.timedelta(days=16)
                project.text = project.ballot = project.name
                project.opens_at = announced + datetime.timedelta(days=15)
                project.closes_at = timezone.now() + datetime.timedelta(days=365)
                project.save(update_fields=["text", "ballot", "opens_at", "closes_at"])
                decision_announce(project=project, by=None, now=announced)
                vote_open(project=project)
                entries = OwnerRollEntry.objects.filter(roll__project=project).values_list(
                    "owner_key", "household_id"
                )
                answers = {}
                for key, household_id in entries:
                    if key not in answers:
                        draw = rng.random()
                        answers[key] = (
                            None
                            if draw < 0.25
                            else C.AGREE
                            if draw < 0.85
                            else C.DISAGREE
                            if draw < 0.95
                            else C.ABSTAIN
                        )
                    if answers[key]:
                        records.append(self.record(project, household_id, answers[key]))
                continue
            for unit in units:
                for h in self.households_of_unit[unit.pk]:
                    if rng.random() >= 0.7:
                        continue
                    draw = rng.random()
                    answer = C.AGREE if draw < 0.75 else C.DECLINE if draw < 0.85 else C.UNDECIDED
                    records.append(self.record(project, h.pk, answer))
        ConsentRecord.objects.bulk_create(records, batch_size=2000)
        self.step("consent records", records)

    def record(self, project, household_id, answer) -> ConsentRecord:
        rng = self.rng
        agrees = answer == ConsentRecord.Answer.AGREE
        started = datetime.datetime.combine(
            project.starts_on, datetime.time(2), tzinfo=datetime.UTC
        )
        return ConsentRecord(
            project=project,
            household_id=household_id,
            answer=answer,
            contribution=Decimal(rng.choice((200, 300, 500, 800)))
            if agrees and not project.is_decision
            else None,
            conditions="施工后修复墙面" if agrees and rng.random() < 0.05 else "",
            channel=rng.choice(ConsentRecord.Channel.values),
            recorded_at=min(self.now, started + datetime.timedelta(days=rng.uniform(0, 60))),
        )

    # --- fieldwork: requests, visits, care, volunteers, funds (the dashboard's figures) --

    def fieldwork(self):
        """A year of residents' requests (about two per compound a month), door-to-door
        visits (three for every four households over two years), care records for one
        resident in a hundred with their visits, eight volunteer teams per community with a
        weekly activity each, and a fund per compound with monthly entries."""
        rng, today, now = self.rng, self.today, self.now
        day = datetime.timedelta(days=1)
        categories = [
            RequestCategory.objects.get_or_create(
                name=name, defaults={"response_hours": hours, "resolution_days": days}
            )[0]
            for name, hours, days in (
                ("道路与排水", 24, 14),
                ("环境卫生", 24, 7),
                ("停车", 48, 14),
                ("公共设施", 24, 10),
                ("邻里纠纷", 24, 7),
            )
        ]
        S = ResidentRequest.Status
        requests = []
        for compound in self.compounds:
            for _k in range(24):
                received = now - datetime.timedelta(hours=rng.uniform(1, 365 * 24))
                status = rng.choices(
                    [S.RECEIVED, S.ACCEPTED, S.IN_PROGRESS, S.RESOLVED, S.CONFIRMED],
                    [3, 3, 4, 10, 80],
                )[0]
                accepted = received + datetime.timedelta(hours=rng.uniform(1, 30))
                resolved = accepted + datetime.timedelta(days=rng.uniform(0.5, 12))
                done = status in (S.RESOLVED, S.CONFIRMED)
                requests.append(
                    ResidentRequest(
                        community_id=compound.community_id,
                        compound=compound,
                        shared_place="小区公共区域",
                        category=rng.choice(categories),
                        title=rng.choice(("路灯不亮", "下水道堵塞", "垃圾清运不及时", "车辆乱停")),
                        received_at=received,
                        status=status,
                        accepted_at=None if status == S.RECEIVED else min(accepted, now),
                        resolved_at=min(resolved, now) if done else None,
                        confirmed_at=min(resolved, now) if status == S.CONFIRMED else None,
                        reply="已处理。" if done else "",
                    )
                )
        ResidentRequest.objects.bulk_create(requests, batch_size=2000)
        self.step("requests", requests)

        visits = []
        for h in rng.sample(self.households, k=len(self.households) * 3 // 4):
            visits.append(
                Visit(
                    household_id=h.pk,
                    visited_on=today - rng.randint(0, 730) * day,
                    purpose=rng.choice([Purpose.MOBILISATION, Purpose.OPINION, Purpose.SURVEY]),
                    outcome=rng.choice(Visit.Outcome.values),
                    other_visitors="网格员",
                    recorded_at=now,
                )
            )
        community_of_unit = {u.pk: u.building.compound.community_id for u in self.units}
        cared = rng.sample(self.links, k=max(1, len(self.links) // 100))
        records = CareRecord.objects.bulk_create(
            [
                CareRecord(
                    community_id=community_of_unit[h.unit_id],
                    resident_id=r,
                    household_id=h.pk,
                    circumstance=rng.choice(CareRecord.Circumstance.values),
                    visit_every_days=rng.choice([14, 30, 60]),
                    started_on=today - rng.randint(100, 1500) * day,
                )
                for r, h, _rel in cared
            ],
            batch_size=2000,
        )
        self.step("care records", records)
        for record in records:
            for k in range(4):
                visits.append(
                    Visit(
                        household_id=record.household_id,
                        visited_on=today - (k * record.visit_every_days + rng.randint(0, 9)) * day,
                        purpose=Purpose.CARE,
                        care_record=record,
                        recorded_at=now,
                    )
                )
        Visit.objects.bulk_create(visits, batch_size=5000)
        self.step("visits", visits)

        teams, volunteers = [], []
        for community in self.communities:
            for name, _kind, _description, _activities in TEAMS:
                teams.append(VolunteerTeam(community=community, name=name))
        VolunteerTeam.objects.bulk_create(teams)
        for team in teams:
            for k in range(20):
                volunteers.append(
                    Volunteer(team=team, name=f"志愿者{k + 1}", is_party_member=k < 8)
                )
        Volunteer.objects.bulk_create(volunteers, batch_size=5000)
        self.step("volunteers", volunteers)
        compounds_of = {}
        for c in self.compounds:
            compounds_of.setdefault(c.community_id, []).append(c)
        activities, hours = [], []
        members = {}
        for v in volunteers:
            members.setdefault(v.team_id, []).append(v)
        for team in teams:
            for week in range(52):
                activities.append(
                    ServiceActivity(
                        team=team,
                        date=today - (week * 7 + rng.randint(0, 6)) * day,
                        place="社区活动室",
                        description="365志愿服务",
                        compound=rng.choice(compounds_of[team.community_id]),
                    )
                )
        ServiceActivity.objects.bulk_create(activities, batch_size=5000)
        self.step("service activities", activities)
        for a in activities:
            for v in rng.sample(members[a.team_id], 5):
                hours.append(ServiceHours(activity=a, volunteer=v, hours=Decimal("2.0")))
        ServiceHours.objects.bulk_create(hours, batch_size=5000)
        self.step("service hours", hours)

        funds = Fund.objects.bulk_create(
            [Fund(compound=c, name=f"{c.name}公共收益") for c in self.compounds]
        )
        entries = []
        for fund in funds:
            for month in range(60):
                entries.append(
                    FundEntry(
                        fund=fund,
                        kind="income",
                        category="fees",
                        amount=Decimal(rng.randint(200000, 800000)).scaleb(-2),
                        date=today - (month * 30) * day,
                        description="物业费及公共收益",
                    )
                )
                entries.append(
                    FundEntry(
                        fund=fund,
                        kind="expense",
                        category="repairs",
                        amount=Decimal(rng.randint(50000, 300000)).scaleb(-2),
                        date=today - (month * 30 + 10) * day,
                        description="公共设施维修",
                    )
                )
        FundEntry.objects.bulk_create(entries, batch_size=5000)
        self.step("fund entries", entries)

"""The demo's residents' requests and party-building alliance, on top of the demo bodies.

The alliance of the story (`jinzang.demo.story`): 61 member organisations (party organisations, stationed
units and government departments, synthetic names) counting 234 party members; the
18 problems it solved in 2019-2022, each escalated by the alliance's whistle and
reported on by member organisations; 武莉华's request to the Qingfeng owners'
committee, answered within the hour; and a month of current requests relative to
the day the demo is loaded, a few of them overdue.

Idempotent: categories, organisations and requests are looked up by their names and
titles first; a second run creates and changes nothing. Every step goes through
`committees.requests.services`, so the demo's timelines are those of real use.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from committees.models import AllianceMember, Body, RequestCategory, ResidentRequest, Whistle
from committees.requests import services
from jinzang.demo.helpers import Places, accounts, at, places, reporter
from jinzang.demo.story import (
    ALLIANCE_ORGANISATIONS,
    ALLIANCE_PARTY_MEMBERS,
    ALLIANCE_SOLVED,
    BAILAJING,
    QINGFENG,
    STAFF,
    WU_LIHUA,
    WU_LIHUA_ASKED_ON,
)
from residents.models import Resident

SEED = "jinzang-demo:requests"
Status = ResidentRequest.Status
Channel = ResidentRequest.Channel

# name, hours to accept, days to resolve
CATEGORIES = [
    ("道路设施", 24, 30),
    ("绿化环境", 48, 30),
    ("健身与公共设施", 24, 14),
    ("环境卫生", 12, 3),
    ("安全隐患", 4, 2),
    ("邻里纠纷", 24, 7),
    ("其他", 48, 14),
    ("登记信息更正", 48, 14),
]
# Where a resident's "ask for a correction" to the register goes (the residents' door).
CORRECTION_CATEGORY = "登记信息更正"

PARTY_ORGS = [
    f"{name}党支部"
    for name in [
        "盐务街街道机关",
        "金仓社区",
        "金仓社区离退休",
        "庆丰小区",
        "百腊井小区",
        "云岩区市场监管所",
        "盐务街派出所",
        "云岩区税务所",
        "贵阳市第十八中学",
        "金仓小学",
        "云岩区人民医院第二门诊部",
        "贵州电网云岩供电局营业所",
        "贵阳水务集团云岩分公司",
        "中国邮政盐务街支局",
        "云岩区城管执法中队",
        "金仓社区卫生服务中心",
        "盐务街消防救援站",
        "云岩区图书馆",
        "贵阳燃气集团云岩分公司",
        "中国银行盐务街支行",
    ]
]
UNITS = [
    "贵阳市第十八中学",
    "金仓小学",
    "云岩区人民医院第二门诊部",
    "金仓社区卫生服务中心",
    "贵州电网云岩供电局",
    "贵阳水务集团云岩分公司",
    "贵阳燃气集团云岩分公司",
    "中国邮政盐务街支局",
    "中国银行盐务街支行",
    "中国工商银行金仓分理处",
    "中国移动盐务街营业厅",
    "中国联通云岩营业部",
    "盐务街消防救援站",
    "云岩区图书馆",
    "金仓幼儿园",
    "盐务街农贸市场",
    "贵阳公交第三分公司",
    "黔灵物业服务有限公司",
    "庆丰物业服务中心",
    "金仓老年大学",
    "贵州广电网络云岩分公司",
    "云岩区文化馆",
    "贵阳市口腔医院金仓诊所",
    "盐务街便民服务中心",
    "金仓养老服务站",
    "贵阳银行金仓支行",
    "云岩区少年宫",
    "盐务街社区食堂",
    "贵州师范大学志愿服务队",
    "金仓律师事务所",
]
DEPARTMENTS = [
    "云岩区住房和城乡建设局",
    "云岩区城市管理局",
    "云岩区生态环境分局",
    "云岩区市场监督管理局",
    "云岩区民政局",
    "云岩区应急管理局",
    "云岩区园林绿化中心",
    "云岩区交通运输局",
    "云岩区卫生健康局",
    "盐务街派出所",
    "云岩区文化旅游局",
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何罗高林"
GIVEN = "建华明丽秀英国强志勇海燕玉兰德军桂芳红梅晓东文静春"

# category, title, what the alliance did (the reply), compound, received on
ALLIANCE_PROBLEMS = [
    (
        "道路设施",
        "小区主干道坑洼积水",
        "区住建局与供电局联合修补路面一百二十平方米，雨天不再积水。",
        QINGFENG,
        (2019, 3, 12),
    ),
    (
        "绿化环境",
        "楼间绿化太少，黄土裸露",
        "园林绿化中心与物业补种桂花、女贞四十株，铺草皮三百平方米。",
        QINGFENG,
        (2019, 4, 8),
    ),
    (
        "健身与公共设施",
        "健身器材损坏多年无人修",
        "驻区单位捐资更换健身器材八件，物业每月巡检。",
        QINGFENG,
        (2019, 6, 20),
    ),
    (
        "道路设施",
        "百腊井巷口路面塌陷",
        "城管执法中队设置围挡，住建局一周内回填硬化。",
        BAILAJING,
        (2019, 9, 3),
    ),
    (
        "安全隐患",
        "楼道电线私拉乱接",
        "供电局与消防救援站入户排查，规范线路三十二处。",
        BAILAJING,
        (2019, 11, 15),
    ),
    (
        "环境卫生",
        "垃圾收集点异味扰民",
        "城管局调整清运时间为每日两次，增设密闭垃圾箱四个。",
        QINGFENG,
        (2020, 1, 6),
    ),
    ("道路设施", "路灯不亮，夜间出行不便", "供电局更换LED路灯十二盏。", QINGFENG, (2020, 5, 18)),
    (
        "绿化环境",
        "大树遮挡低层住户采光",
        "园林绿化中心修剪树冠，兼顾采光与绿荫。",
        BAILAJING,
        (2020, 7, 9),
    ),
    (
        "健身与公共设施",
        "缺少老人休息座椅",
        "银行与物业共同捐赠休闲座椅十张，安装在文化休闲区。",
        QINGFENG,
        (2020, 8, 27),
    ),
    (
        "安全隐患",
        "消防通道被车辆占用",
        "派出所与物业划设禁停标线，设置警示牌。",
        QINGFENG,
        (2020, 10, 14),
    ),
    ("道路设施", "雨水井盖破损", "水务集团更换防坠井盖九个。", BAILAJING, (2021, 3, 2)),
    ("环境卫生", "化粪池外溢", "水务集团疏通管道并清掏化粪池。", BAILAJING, (2021, 4, 21)),
    (
        "健身与公共设施",
        "儿童滑梯松动存在隐患",
        "市场监管局检测后，少年宫捐赠新滑梯一套。",
        QINGFENG,
        (2021, 6, 1),
    ),
    (
        "绿化环境",
        "花坛荒废杂草丛生",
        "党员志愿者与驻区学校师生共建“共享花园”。",
        QINGFENG,
        (2021, 9, 10),
    ),
    ("道路设施", "自行车棚顶棚漏雨", "驻区企业出资更换顶棚阳光板。", QINGFENG, (2021, 11, 23)),
    (
        "安全隐患",
        "微型消防站器材过期",
        "消防救援站更换灭火器二十具并组织培训。",
        QINGFENG,
        (2022, 3, 15),
    ),
    ("其他", "缺少便民晾晒场地", "物业与社区在空地设置公共晾衣架。", BAILAJING, (2022, 5, 6)),
    ("健身与公共设施", "乒乓球台破损", "区文化馆捐赠户外乒乓球台两张。", QINGFENG, (2022, 8, 19)),
]

WU_LIHUA_TITLE = "单元门门禁损坏，老人进出不便"

# Current activity: days before the load day it was received, category, title, compound,
# facility, how far it got, channel. Overdue ones are those left behind their targets.
CURRENT = [
    (28, "道路设施", "人行道地砖松动", QINGFENG, "", Status.CONFIRMED, Channel.VISIT),
    (26, "环境卫生", "楼道堆放杂物", BAILAJING, "", Status.RESOLVED, Channel.PHONE),
    (25, "绿化环境", "绿篱长期未修剪", QINGFENG, "", Status.IN_PROGRESS, Channel.MEETING),
    (22, "安全隐患", "车棚充电线私拉", QINGFENG, "便民停车棚", Status.RESOLVED, Channel.IN_PERSON),
    (20, "邻里纠纷", "楼上漏水影响楼下", BAILAJING, "", Status.CLOSED, Channel.PHONE),
    (18, "健身与公共设施", "单杠锈蚀", QINGFENG, "健身区", Status.ACCEPTED, Channel.VISIT),
    (15, "环境卫生", "垃圾桶破损", QINGFENG, "", Status.IN_PROGRESS, Channel.PHONE),
    (12, "道路设施", "小区路口减速带脱落", BAILAJING, "", Status.CONFIRMED, Channel.MEETING),
    (9, "其他", "快递乱堆放", QINGFENG, "", Status.RECEIVED, Channel.IN_PERSON),
    (7, "安全隐患", "楼顶护栏松动", BAILAJING, "", Status.RECEIVED, Channel.VISIT),
    (6, "绿化环境", "枯树有倒伏风险", QINGFENG, "", Status.ACCEPTED, Channel.PHONE),
    (
        4,
        "健身与公共设施",
        "文化休闲区灯坏了",
        QINGFENG,
        "文化休闲区",
        Status.IN_PROGRESS,
        Channel.IN_PERSON,
    ),
    (3, "邻里纠纷", "宠物犬夜间吠叫", QINGFENG, "", Status.ACCEPTED, Channel.PHONE),
    (2, "环境卫生", "下水道堵塞", BAILAJING, "", Status.RESOLVED, Channel.PHONE),
    (0, "其他", "希望增设便民信息栏", QINGFENG, "", Status.RECEIVED, Channel.MEETING),
]
ORDER = [Status.RECEIVED, Status.ACCEPTED, Status.IN_PROGRESS, Status.RESOLVED, Status.CONFIRMED]


class _Loader:
    def __init__(self, created, places: Places | None):
        self.created = created
        self.community = places.community if places else None
        self.staff = accounts(STAFF).get(STAFF)
        self.compounds = places.compounds if places else {}
        self.bodies = {
            c: Body.objects.active().filter(compound=c).order_by("courtyard", "pk").first()
            for c in self.compounds.values()
        }
        self.categories = {}

    def categories_(self):
        for position, (name, hours, days) in enumerate(CATEGORIES):
            category, new = RequestCategory.objects.get_or_create(
                name=name,
                defaults={
                    "response_hours": hours,
                    "resolution_days": days,
                    "position": position,
                    "for_corrections": name == CORRECTION_CATEGORY,
                },
            )
            self.categories[name] = category
            self.created["categories"] += new

    def alliance(self):
        rng = random.Random(SEED)
        names = (
            [(n, AllianceMember.Kind.PARTY_ORGANISATION) for n in PARTY_ORGS]
            + [(n, AllianceMember.Kind.STATIONED_UNIT) for n in UNITS]
            + [(n, AllianceMember.Kind.DEPARTMENT) for n in DEPARTMENTS]
        )
        assert len(names) == ALLIANCE_ORGANISATIONS
        counts = [1] * ALLIANCE_ORGANISATIONS
        for _ in range(ALLIANCE_PARTY_MEMBERS - ALLIANCE_ORGANISATIONS):
            counts[rng.randrange(ALLIANCE_ORGANISATIONS)] += 1
        for i, ((name, kind), count) in enumerate(zip(names, counts, strict=True)):
            contact = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
            _, new = AllianceMember.objects.get_or_create(
                community=self.community,
                name=name,
                defaults={
                    "kind": kind,
                    "contact_name": contact,
                    "contact_phone": f"0851-8{i:03d}{rng.randrange(1000):03d}",
                    "party_members": count,
                },
            )
            self.created["alliance_members"] += new

    def request(
        self, *, title, category, compound, received_at, channel, shared_place="", raised_by=None
    ):
        existing = ResidentRequest.objects.filter(community=self.community, title=title).first()
        if existing is not None:
            return None
        compound = self.compounds.get(compound)
        self.created["requests"] += 1
        return services.request_receive(
            community=self.community,
            category=self.categories[category],
            title=title,
            received_through=channel,
            recorded_by=self.staff,
            compound=compound,
            shared_place=shared_place,
            raised_by=raised_by,
            handling_body=self.bodies.get(compound),
            received_at=received_at,
        )

    def alliance_problems(self):
        members = list(
            AllianceMember.objects.filter(community=self.community).exclude(
                kind=AllianceMember.Kind.DEPARTMENT
            )
        )
        assert len(ALLIANCE_PROBLEMS) == ALLIANCE_SOLVED
        rng = random.Random(f"{SEED}:alliance")
        for category, title, reply, compound, (y, m, d) in ALLIANCE_PROBLEMS:
            day = datetime.date(y, m, d)
            req = self.request(
                title=title,
                category=category,
                compound=compound,
                received_at=at(day, 9, 30),
                channel=Channel.MEETING,
            )
            if req is None:
                continue
            by = self.staff
            req = services.request_accept(request=req, by=by, at=at(day, 15))
            req = services.request_start(request=req, by=by, at=at(day + datetime.timedelta(1), 9))
            whistle = services.whistle_blow(
                request=req,
                level=Whistle.Level.ALLIANCE,
                by=by,
                alliance_members=rng.sample(members, 3),
                note="社区党建联盟吹哨，驻区单位报到。",
                at=at(day + datetime.timedelta(2), 10),
            )
            for k, responder in enumerate(whistle.responders.all()):
                services.responder_report(
                    responder=responder,
                    action="到现场查看并认领任务，组织人员参与整改。",
                    by=by,
                    at=at(day + datetime.timedelta(3 + k), 10),
                )
            done = day + datetime.timedelta(rng.randint(8, 25))
            req = services.request_resolve(request=req, by=by, reply=reply, at=at(done, 16))
            services.request_confirm(
                request=req, by=by, note="居民回访满意。", at=at(done + datetime.timedelta(2), 10)
            )

    def wu_lihua(self):
        resident = Resident.objects.filter(
            name=WU_LIHUA, memberships__household__unit__building__compound__name=QINGFENG
        ).first()
        day = WU_LIHUA_ASKED_ON
        req = self.request(
            title=WU_LIHUA_TITLE,
            category="健身与公共设施",
            compound=QINGFENG,
            received_at=at(day, 19, 10),
            channel=Channel.MEETING,
            raised_by=resident,
        )
        if req is None:
            return
        by = self.staff
        req = services.request_accept(request=req, by=by, at=at(day, 19, 40))
        req = services.request_resolve(
            request=req,
            by=by,
            reply="业委会当晚联系物业，次日上午已修好门禁。",
            at=at(day + datetime.timedelta(1), 11),
        )
        services.request_confirm(
            request=req,
            by=by,
            note=f"{WU_LIHUA}：反映问题很快就有回复。",
            at=at(day + datetime.timedelta(1), 18),
        )

    def current(self, today):
        for days_ago, category, title, compound, facility, status, channel in CURRENT:
            day = today - datetime.timedelta(days=days_ago)
            received = at(day, 8, 30)
            req = self.request(
                title=title,
                category=category,
                compound=compound,
                shared_place=facility,
                received_at=received,
                channel=channel,
            )
            if req is None:
                continue
            by, now = self.staff, timezone.now()
            if status == Status.CLOSED:
                services.request_close(
                    request=req,
                    by=by,
                    reason="属于邻里私人事务，已引导双方协商。",
                    at=min(received + datetime.timedelta(hours=5), now),
                )
                continue
            # Steps a few hours apart, never in the future.
            reached = ORDER.index(status)

            def step_at(hours, received=received, now=now):
                return min(received + datetime.timedelta(hours=hours), now)

            if reached >= 1:
                req = services.request_accept(request=req, by=by, at=step_at(3))
            if (reached >= 2 and status != Status.RESOLVED) or (reached >= 3 and days_ago > 5):
                req = services.request_start(request=req, by=by, at=step_at(20))
            if reached >= 3:
                req = services.request_resolve(
                    request=req,
                    by=by,
                    reply="已处理完毕，感谢您的反映。",
                    at=step_at(24 * min(days_ago, 3)),
                )
            if reached >= 4:
                services.request_confirm(request=req, by=by, at=step_at(24 * min(days_ago, 4)))


def load_demo(*, stdout=None) -> dict:
    """Load the demo's request categories, alliance and requests; returns how many of each
    were created. Needs `jinzang.demo.bodies.load_demo()` first (its staff account acts)."""
    say = reporter(stdout)
    created = dict.fromkeys(["categories", "alliance_members", "requests"], 0)
    demo_places = places()
    with transaction.atomic():
        loader = _Loader(created, demo_places)
        loader.categories_()
        if demo_places is None:
            return created
        loader.alliance()
        loader.alliance_problems()
        loader.wu_lihua()
        loader.current(timezone.localdate())
    if any(created.values()):
        say(
            "Requests: {categories} categories, {alliance_members} alliance members, "
            "{requests} requests.".format(**created)
        )
    return created

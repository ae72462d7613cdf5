"""The demo's residents' requests and party-building alliance, on top of the demo bodies.

The alliance of the story (`jinzang.demo.story`): 61 member party organisations (of
stationed units, government departments and enterprises, synthetic names) counting 234
party members; the 18 problems it solved in 2019-2022, each escalated by the alliance's
whistle and reported on by member organisations; examples of the two other whistles (the
sub-district's, which departments answer, and the party branch's, which party members
answer); 武莉华's request to the Qingfeng owners' committee, answered within the hour;
a year of everyday requests, and a month of current ones relative to the day the demo
is loaded, a few of them overdue.

Idempotent: categories, organisations and requests are looked up by their names and
titles first (the everyday ones by their day); a second run creates and changes nothing. Every step goes through
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
    CONTRACTOR,
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

# The alliance's members are party organisations (docs/domain.md, "Requests and whistles"):
# of stationed units (schools, hospitals, public services), of government departments and
# of enterprises. Synthetic names; the contractor of the pipes is among the enterprises.
STATIONED_UNITS = [
    "贵阳市第十八中学党总支",
    "贵阳市第二十四中学党支部",
    "金仓小学党支部",
    "金仓幼儿园党支部",
    "云岩区人民医院第二门诊部党支部",
    "金仓社区卫生服务中心党支部",
    "贵阳市口腔医院金仓诊所党支部",
    "云岩区妇幼保健院党支部",
    "云岩区疾病预防控制中心党支部",
    "盐务街消防救援站党支部",
    "云岩区图书馆党支部",
    "云岩区文化馆党支部",
    "云岩区少年宫党支部",
    "云岩区档案馆党支部",
    "金仓老年大学党支部",
    "盐务街便民服务中心党支部",
    "金仓养老服务站党支部",
    "云岩区退役军人服务站党支部",
    "贵州师范大学文学院学生党支部",
    "盐务街社区食堂党支部",
]
DEPARTMENTS = [
    "云岩区住房和城乡建设局机关党支部",
    "云岩区城市管理局机关党支部",
    "贵阳市生态环境局云岩分局党支部",
    "云岩区市场监督管理局机关党支部",
    "云岩区民政局机关党支部",
    "云岩区应急管理局机关党支部",
    "云岩区园林绿化中心党支部",
    "云岩区交通运输局机关党支部",
    "云岩区卫生健康局机关党支部",
    "云岩区税务局盐务街税务所党支部",
    "盐务街派出所党支部",
]
ENTERPRISES = [
    "贵州电网云岩供电局营业所党支部",
    "贵阳水务集团云岩分公司党支部",
    "贵阳燃气集团云岩分公司党支部",
    "中国邮政盐务街支局党支部",
    "中国银行盐务街支行党支部",
    "中国工商银行金仓分理处党支部",
    "贵阳银行金仓支行党支部",
    "贵阳农商银行金仓支行党支部",
    "中国移动盐务街营业厅党支部",
    "中国联通云岩营业部党支部",
    "中国电信云岩分公司党支部",
    "贵州广电网络云岩分公司党支部",
    "贵阳公交第三分公司党支部",
    "盐务街农贸市场党支部",
    "黔灵物业服务有限公司党支部",
    "庆丰物业服务中心党支部",
    "金仓律师事务所党支部",
    f"{CONTRACTOR[1]}党支部",
    "云岩区城市建设投资有限公司党支部",
    "贵阳市环境卫生服务有限公司云岩分公司党支部",
    "中国人寿云岩支公司党支部",
    "贵州日报社盐务街发行站党支部",
    "顺丰速运盐务街营业点党支部",
    "金仓超市党支部",
    "盐务街大药房党支部",
    "贵州交通建设集团云岩项目部党支部",
    "贵阳星力百货盐务街店党支部",
    "贵州通源汽车服务有限公司党支部",
    "金仓家政服务有限公司党支部",
    "贵阳市政工程有限公司第二分公司党支部",
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
    # Bailajing has no property company: its owners' committee runs it (准物业).
    ("其他", "缺少便民晾晒场地", "业委会与社区在空地设置公共晾衣架。", BAILAJING, (2022, 5, 6)),
    ("健身与公共设施", "乒乓球台破损", "区文化馆捐赠户外乒乓球台两张。", QINGFENG, (2022, 8, 19)),
]

# The other two whistles (docs/domain.md, "Requests and whistles"), with examples of what
# each is for; synthetic, like the alliance's problems above.
# The sub-district whistles, government departments report: category, title, departments,
# what they did, the reply, compound, received on.
SUBDISTRICT_PROBLEMS = [
    (
        "道路设施",
        "雨污管网老化，雨天污水倒灌进一楼",
        ["云岩区住房和城乡建设局", "云岩区城市管理局"],
        "到现场会商，把管网更换纳入老旧小区改造计划，先行疏通。",
        "街道吹哨，区住建局、区城管局到现场会商，先疏通管网，更换纳入老旧小区改造计划。",
        BAILAJING,
        (2020, 6, 15),
    ),
    (
        "安全隐患",
        "违章搭建占用消防通道",
        ["云岩区城市管理局", "云岩区应急管理局", "盐务街派出所"],
        "联合执法，限期拆除违章搭建。",
        "街道吹哨，城管、应急、派出所联合执法，违章搭建已拆除，消防通道畅通。",
        QINGFENG,
        (2021, 5, 10),
    ),
    (
        "邻里纠纷",
        "巷口占道经营，夜间噪音扰民",
        ["云岩区市场监督管理局", "云岩区城市管理局"],
        "劝导商户入店经营，划定临时摊区。",
        "街道吹哨，市场监管和城管部门划定临时摊区，晚上十点后停止经营。",
        BAILAJING,
        (2022, 7, 5),
    ),
]
# The committee's party branch whistles, party members report: category, title, how many
# party members of the compound report, what they did, the reply, compound, received on.
BRANCH_PROBLEMS = [
    (
        "其他",
        "独居老人冬季取暖困难",
        3,
        "上门检查电暖器和线路，送去棉被，排出每周探访表。",
        "居委会党支部吹哨，院内党员结对上门，检查取暖设备并每周探访。",
        QINGFENG,
        (2020, 12, 8),
    ),
    (
        "环境卫生",
        "楼道堆放杂物，清理无人牵头",
        4,
        "带头清理自家门口杂物，挨家挨户劝导，周末集中清运。",
        "居委会党支部吹哨，党员带头清理，楼道杂物已清运完毕。",
        BAILAJING,
        (2021, 4, 12),
    ),
    (
        "安全隐患",
        "凝冻天气院坝结冰，老人出行困难",
        3,
        "清晨撒盐除冰，在坡道铺防滑垫，搀扶老人出行。",
        "居委会党支部吹哨，党员每天清晨除冰，坡道已铺防滑垫。",
        BAILAJING,
        (2022, 2, 21),
    ),
]

WU_LIHUA_TITLE = "单元门门禁损坏，老人进出不便"

# Everyday requests of the last year before the current ones: so many a week, one a day;
# (category, title, compound or "" for either, the reply).
EVERYDAY_DAYS, EVERYDAY_PER_WEEK = 365, [1, 1, 2, 2, 3]
EVERYDAY = [
    ("道路设施", "楼前路面破损", "", "已安排修补破损路面。"),
    ("道路设施", "井盖松动有响声", "", "已加固井盖。"),
    ("绿化环境", "绿化带杂草多", "", "已组织志愿者除草。"),
    ("绿化环境", "树枝伸进窗户", "", "已修剪树枝。"),
    ("健身与公共设施", "楼道声控灯不亮", "", "已更换声控灯。"),
    ("健身与公共设施", "健身器材螺丝松动", QINGFENG, "已紧固器材。"),
    ("环境卫生", "垃圾清运不及时", "", "已增加一次清运。"),
    ("环境卫生", "下水道返味", "", "已疏通下水道。"),
    ("环境卫生", "楼道小广告多", "", "已清理小广告。"),
    ("安全隐患", "电动车进楼道充电", "", "已劝导车主到停车棚充电。"),
    ("安全隐患", "单元门闭门器坏了", "", "已更换闭门器。"),
    ("邻里纠纷", "楼上装修噪音大", "", "已协调装修时间。"),
    ("邻里纠纷", "公共走道被占用", "", "已协调住户清理。"),
    ("其他", "想了解老年证办理", "", "已告知办理材料和地点。"),
    ("其他", "咨询维修资金怎么使用", "", "已解释维修资金使用程序。"),
]

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
        self.rng = random.Random(f"{SEED}:whistles")

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
            [(n, AllianceMember.Kind.STATIONED_UNIT) for n in STATIONED_UNITS]
            + [(n, AllianceMember.Kind.DEPARTMENT) for n in DEPARTMENTS]
            + [(n, AllianceMember.Kind.ENTERPRISE) for n in ENTERPRISES]
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
            self.escalated(
                category=category,
                title=title,
                compound=compound,
                day=datetime.date(y, m, d),
                level=Whistle.Level.ALLIANCE,
                note="社区党建联盟吹哨，驻区单位报到。",
                action="到现场查看并认领任务，组织人员参与整改。",
                reply=reply,
                rng=rng,
                alliance_members=rng.sample(members, 3),
            )

    def escalated(
        self, *, category, title, compound, day, level, note, action, reply, rng=None, **calls
    ):
        """A problem solved by a whistle of `level`: received, accepted and started, the
        whistle blown the next day, each responder reporting, resolved, confirmed (the day
        it is solved drawn from `rng`, the demo's own by default)."""
        req = self.request(
            title=title,
            category=category,
            compound=compound,
            received_at=at(day, 9, 30),
            channel=Channel.MEETING,
        )
        if req is None:
            return
        by = self.staff
        req = services.request_accept(request=req, by=by, at=at(day, 15))
        req = services.request_start(request=req, by=by, at=at(day + datetime.timedelta(1), 9))
        whistle = services.whistle_blow(
            request=req,
            level=level,
            by=by,
            note=note,
            at=at(day + datetime.timedelta(2), 10),
            **calls,
        )
        for k, responder in enumerate(whistle.responders.all()):
            services.responder_report(
                responder=responder,
                action=action,
                by=by,
                at=at(day + datetime.timedelta(3 + k), 10),
            )
        done = day + datetime.timedelta((rng or self.rng).randint(8, 25))
        req = services.request_resolve(request=req, by=by, reply=reply, at=at(done, 16))
        services.request_confirm(
            request=req, by=by, note="居民回访满意。", at=at(done + datetime.timedelta(2), 10)
        )

    def subdistrict_problems(self):
        for category, title, departments, action, reply, compound, ymd in SUBDISTRICT_PROBLEMS:
            self.escalated(
                category=category,
                title=title,
                compound=compound,
                day=datetime.date(*ymd),
                level=Whistle.Level.SUBDISTRICT,
                note="街道吹哨，部门报到。",
                action=action,
                reply=reply,
                departments=departments,
            )

    def branch_problems(self):
        for category, title, n, action, reply, compound, ymd in BRANCH_PROBLEMS:
            party_members = list(
                Resident.objects.filter(
                    is_party_member=True,
                    memberships__household__unit__building__compound=self.compounds[compound],
                )
                .distinct()
                .order_by("pk")
            )
            self.escalated(
                category=category,
                title=title,
                compound=compound,
                day=datetime.date(*ymd),
                level=Whistle.Level.PARTY_BRANCH,
                note="居委会党支部吹哨，党员报到。",
                action=action,
                reply=reply,
                residents=self.rng.sample(party_members, n),
            )

    def everyday(self, today):
        """A year of requests before the current ones: one to three a week on days drawn
        from the week's seed, each day's request from its own; a day with a request
        already is left alone."""
        first = today - datetime.timedelta(days=EVERYDAY_DAYS)
        last = today - datetime.timedelta(days=max(c[0] for c in CURRENT) + 1)
        taken = {
            timezone.localdate(received)
            for received in ResidentRequest.objects.filter(
                community=self.community, received_at__gte=at(first, 0)
            ).values_list("received_at", flat=True)
        }
        by = self.staff
        days = []
        monday = first - datetime.timedelta(days=first.weekday())
        while monday <= last:
            year, week, _weekday = monday.isocalendar()
            rng = random.Random(f"{SEED}:everyday:{year}-W{week:02d}")
            for weekday in rng.sample(range(7), rng.choice(EVERYDAY_PER_WEEK)):
                day = monday + datetime.timedelta(days=weekday)
                if first <= day <= last and day not in taken:
                    days.append(day)
            monday += datetime.timedelta(days=7)
        for day in sorted(days):
            rng = random.Random(f"{SEED}:everyday:{day.isoformat()}")
            category, title, compound, reply = rng.choice(EVERYDAY)
            compound = self.compounds[compound or rng.choice([BAILAJING, QINGFENG])]
            received = at(day, rng.randint(8, 19), rng.choice([0, 15, 30, 45]))
            req = services.request_receive(
                community=self.community,
                category=self.categories[category],
                title=title,
                received_through=rng.choice(list(Channel.values)),
                recorded_by=by,
                compound=compound,
                handling_body=self.bodies.get(compound),
                received_at=received,
            )
            self.created["requests"] += 1
            hours = rng.choice([1, 2, 3, 5, 8, 20])
            req = services.request_accept(
                request=req, by=by, at=received + datetime.timedelta(hours=hours)
            )
            resolved = received + datetime.timedelta(days=rng.randint(1, 6), hours=hours)
            req = services.request_resolve(request=req, by=by, reply=reply, at=resolved)
            services.request_confirm(
                request=req, by=by, at=resolved + datetime.timedelta(days=rng.randint(1, 3))
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
        loader.subdistrict_problems()
        loader.branch_problems()
        loader.wu_lihua()
        loader.everyday(timezone.localdate())
        loader.current(timezone.localdate())
    if any(created.values()):
        say(
            "Requests: {categories} categories, {alliance_members} alliance members, "
            "{requests} requests.".format(**created)
        )
    return created

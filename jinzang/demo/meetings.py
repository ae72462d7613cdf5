"""The demo's meetings, loaded on top of the demo bodies (jinzang.demo.bodies).

Four parts:

- the courtyard opinion-collection meetings of 2013 on the "新型社区·温馨家园"
  renovation, held by the neighbourhood committee in Bailajing and Qingfeng before
  Bailajing's first owners' committee was formed;
- the work meeting of 18 November 2022 from the story (cast-iron pipes, 李华玉
  reporting the survey, the agreement 廖书英 signed that day), with its real date;
- the bodies' past meetings: the Qingfeng No.1 owners' committee's since it was
  formed in 2014, over a hundred a year (2-3 work meetings a week, and the
  courtyard opinion-collection meetings of 2022 on the pipes), and the other
  bodies' of the last year. They are written in bulk (a few queries instead of
  thousands): every row is checked with `full_clean` on its own fields and against
  the rules the services enforce (`_check_rules`), and the database checks the
  constraints;
- everyday meetings of the four bodies around the day the demo is loaded: held
  ones in the last 30 days with minutes and follow-up actions (some open, some
  overdue) and planned ones in the next three weeks.

Past and everyday meetings sit on one fixed weekly grid of each body and each day's
meeting comes from its own seed, so a day gives the same meeting whether it is
loaded as past or as everyday, and loading again on a later day finds the meetings
already there; a planned one whose day has passed since is recorded as held then.

The seed meeting and the everyday meetings are written through
`meetings.meetings.services`. Idempotent: meetings are looked up by (body, start) and,
for the everyday ones, by (body, subject, day); a second run on the same day
creates and changes nothing.
"""

import datetime
import random
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.bodies.services import body_households
from committees.models import Body, Member
from jinzang.demo.helpers import accounts, at, household_order, number_key, reporter
from jinzang.demo.story import (
    BAILAJING_CHAIR,
    BAILAJING_COMMITTEE,
    COMMUNITY,
    CONTRACTOR,
    NEIGHBOURHOOD_COMMITTEE,
    PIPES_AGREED_17_UNIT_3,
    PIPES_AGREED_18_UNITS_2_4,
    PIPES_AGREEMENT,
    PIPES_MEETING_DAY,
    PIPES_MEETING_PLACE,
    PIPES_MEETING_TITLE,
    PIPES_REPORTED_BY,
    PIPES_SIGNED_BY,
    QINGFENG_1_CHAIR,
    QINGFENG_1_COMMITTEE,
    QINGFENG_1_TERMS,
    QINGFENG_2_COMMITTEE,
    STAFF,
    WARM_HOMES,
    WARM_HOMES_MEETINGS,
)
from meetings.meetings import services
from meetings.models import Action, AgendaItem, Attendee, Decision, Meeting, OutsideParty
from residents.models import Household, Membership, Resident, Unit

SEED = "jinzang-demo:meetings"

date = datetime.date
WORK, OPINION = Meeting.Kind.WORK, Meeting.Kind.OPINION
PLANNED, HELD, CANCELLED = Meeting.Status.PLANNED, Meeting.Status.HELD, Meeting.Status.CANCELLED
OPEN, DONE, DROPPED = Action.Status.OPEN, Action.Status.DONE, Action.Status.DROPPED
Party = OutsideParty.Kind

# The work meeting of the story (docs/domain.md, "Meetings").
SEED_MINUTES = (
    f"业委会主任{PIPES_REPORTED_BY}通报庆丰一号院铸铁管改造入户摸底情况：\n"
    f"- 18栋2单元、4单元：共{PIPES_AGREED_18_UNITS_2_4}户，全部同意共同出资改造\n"
    f"- 17栋3单元：共{PIPES_AGREED_17_UNIT_3}户，全部同意共同出资改造\n"
    "- 其他楼栋仍在摸底\n"
    "\n"
    "住户提出的条件：管道更换后必须修复墙面。施工方同意这一条件，由施工方负责修复。"
)

# The survey of the pipes came up at the work meetings until the day before that meeting.
HISTORY_TO = PIPES_MEETING_DAY - datetime.timedelta(days=1)
# Weekdays off: New Year's Day, Labour Day, the National Day week and the Spring Festival
# (its eve and the five days after New Year's Day of the lunar calendar, by year).
FIXED_HOLIDAYS = [((1, 1), (1, 1)), ((5, 1), (5, 3)), ((10, 1), (10, 7))]
SPRING_FESTIVAL = {
    2013: date(2013, 2, 10),
    2014: date(2014, 1, 31),
    2015: date(2015, 2, 19),
    2016: date(2016, 2, 8),
    2017: date(2017, 1, 28),
    2018: date(2018, 2, 16),
    2019: date(2019, 2, 5),
    2020: date(2020, 1, 25),
    2021: date(2021, 2, 12),
    2022: date(2022, 2, 1),
    2023: date(2023, 1, 22),
    2024: date(2024, 2, 10),
    2025: date(2025, 1, 29),
    2026: date(2026, 2, 17),
    2027: date(2027, 2, 6),
    2028: date(2028, 1, 26),
    2029: date(2029, 2, 13),
    2030: date(2030, 2, 3),
}

# Everyday meetings: this many days back and ahead of the day the demo is loaded; the
# bodies' past meetings run up to them, over the last year at least.
RECENT_DAYS, AHEAD_DAYS = 30, 21
PAST_DAYS = 365
# The share of past meetings that were called off.
CANCELLED_SHARE = 0.04
# An action whose due day passed less than this many days ago is still open.
STILL_OPEN_DAYS = 10

PARTIES = {
    "contractor": CONTRACTOR,
    "manager": (Party.PROPERTY_MANAGER, "贵阳某物业服务有限公司", "刘芳"),
    "street": (Party.GOVERNMENT, "盐务街街道办事处", "张磊"),
}

# (hour, minute) and how often meetings start then; evenings suit working residents.
START_TIMES = [(9, 0), (9, 30), (10, 0), (14, 30), (15, 0), (16, 0), (19, 30)]
START_WEIGHTS = [3, 3, 3, 3, 4, 2, 2]

EQUIPMENT = ["漫步机", "扭腰器", "单杠", "太空漫步机", "腰背按摩器"]
NEWS = [
    "楼道杂物清理基本完成",
    "化粪池清掏已联系环卫",
    "垃圾分类督导照常开展",
    "有两户独居老人需要重点关注",
    "雨水井疏通已完成",
    "停车棚充电位不够用，住户意见较多",
    "楼道卫生检查情况良好",
    "健身器材报修已登记",
]
# Who looks after a compound day to day: a property company, or, in Bailajing, the owners'
# committee itself (准物业, docs/domain.md): a topic about the company comes up only where
# there is one, and a text asks the one there is.
COMPANY, COMMITTEE = "company", "committee"
UPKEEP = {COMPANY: "物业", COMMITTEE: "业委会安排的保洁员"}


@dataclass(frozen=True)
class Topic:
    """A matter a body takes up, with the minutes, decisions and actions it may produce.

    Texts are `str.format` templates over the fillers of `_fill`; an action is
    (description, days until due, who owns it: chair, member or party).
    """

    title: str
    minutes: tuple[str, ...]
    decisions: tuple[str, ...]
    actions: tuple[tuple[str, int, str], ...]
    place: str = ""  # a key of the body's places where the matter is looked at
    party: str = ""  # a key of PARTIES who sometimes attends
    months: tuple[int, ...] = ()  # empty: all year
    since: date | None = None
    until: date | None = None
    managed_by: str = ""  # only where the compound is looked after so (COMPANY, COMMITTEE)

    def comes_up(self, day: date, profile: "Profile") -> bool:
        return (
            (not self.place or self.place in profile.places)
            and (not self.managed_by or self.managed_by == profile.managed_by)
            and (not self.months or day.month in self.months)
            and (self.since is None or day >= self.since)
            and (self.until is None or day <= self.until)
        )


COURTYARD_TOPICS = [
    Topic(
        "楼道照明维修",
        (
            "{b}栋{u}单元楼道声控灯坏了{n}盏，住户反映晚上上下楼看不清。现场查看，主要是灯头老化。",
            "上次报修的{b2}栋楼道灯已全部修好。本周又收到报修：\n"
            "- {b}栋{u}单元三楼、五楼灯不亮\n"
            "- {b}栋{u2}单元一楼开关损坏",
        ),
        (
            "由业委会统一采购{n}盏声控灯，委员带志愿者本周内更换。",
            "楼道灯小修从公共收益中列支，单次不超过300元。",
        ),
        (("更换{b}栋{u}单元楼道声控灯", 7, "member"),),
    ),
    Topic(
        "停车棚管理",
        (
            "便民停车棚现停放电动车{m}辆，有住户从楼上私拉电线充电，存在火灾隐患。",
            "停车棚使用情况：\n"
            "- 充电位{n}个，晚上基本满位\n"
            "- 有{n2}辆长期不用的车辆占位\n"
            "- 住户建议增加充电位",
        ),
        (
            "停车棚实行登记停放，严禁私拉电线充电，发现一次劝导一次。",
            "张贴通知清理长期不用的车辆，公示期满无人认领的交街道处理。",
        ),
        (
            ("张贴停车棚管理须知并登记车辆", 10, "member"),
            ("联系车主清理长期停放车辆", 14, "member"),
        ),
        place="shed",
        party="manager",
    ),
    Topic(
        "微型消防站巡查",
        (
            "本周巡查微型消防站：灭火器{m}具，其中{n2}具压力不足；消防水带、水枪完好。",
            "巡查发现{b}栋{u}单元楼道堆放纸箱杂物，已当场劝导住户清理。微型消防站器材完好。",
        ),
        ("压力不足的灭火器统一送检充装。", "楼道杂物限期清理，逾期由志愿者协助清运。"),
        (("联系消防器材公司充装灭火器", 14, "member"), ("复查{b}栋{u}单元楼道杂物", 7, "member")),
        place="fire",
    ),
    Topic(
        "化粪池清掏",
        ("{b}栋化粪池已满，一楼住户反映返味严重，需尽快清掏。",),
        ("联系环卫公司上门清掏，费用从公共收益中列支。",),
        (("联系环卫公司清掏{b}栋化粪池", 7, "member"),),
    ),
    Topic(
        "垃圾分类督导",
        (
            "本月安排志愿者早晚值守{m}次，厨余垃圾投放准确率约{p}%，比上月有提高。",
            "{b}栋门口垃圾桶满溢，清运不及时；志愿者反映仍有住户混投。",
        ),
        ("继续在早晚投放高峰安排志愿者值守。", "请{upkeep}每天增加一次清运。"),
        (("排出下月垃圾分类值守表", 7, "member"),),
        party="manager",
    ),
    Topic(
        "健身器材检修",
        ("健身区{equip}松动，老人反映使用时晃动，已贴提示暂停使用。",),
        ("报街道申请更换损坏器材，更换前暂停使用。",),
        (("向街道报送健身器材更换申请", 7, "chair"),),
        place="fitness",
        party="street",
    ),
    Topic(
        "雨污管网疏通",
        (
            "连日下雨，{b}栋门前雨水井堵塞，积水漫到单元门口。",
            "{b}栋{u}单元污水管返水，一楼住户卫生间冒水。",
        ),
        ("请疏通队伍进场疏通，费用从公共收益中列支。",),
        (("联系疏通队伍疏通{b}栋管网", 3, "member"),),
        months=(4, 5, 6, 7, 8, 9),
    ),
    Topic(
        "业主意见收集",
        (
            "本周通过意见箱和入户收集业主意见{m}条，主要有：\n- 停车位紧张\n- 楼道卫生\n- 夜间噪音",
            "收集业主意见{m}条，已答复{k}条。{b}栋住户集中反映楼顶渗水。",
        ),
        ("意见逐条答复，办理情况在公告栏公示。",),
        (("在公告栏公示意见办理情况", 7, "member"),),
    ),
    Topic(
        "物业费收缴情况",
        ("截至本月，物业费收缴率{p}%，还有{n}户未缴，其中{n2}户长期在外。",),
        ("由委员分片入户沟通，困难户按程序申请减免。",),
        (("入户沟通未缴物业费住户", 14, "member"),),
        party="manager",
        managed_by=COMPANY,
    ),
    Topic(
        "“准物业”管理情况",
        (
            "业委会自管小区：保洁员每天清扫楼道和院坝，垃圾每天清运两次。"
            "本月卫生管理费收缴率{p}%，还有{n}户未缴。",
            "本月“准物业”收支：收卫生管理费{m}户，支出保洁员工资和垃圾清运费，"
            "账目在公告栏公示。住户反映{b}栋楼道清扫不及时。",
        ),
        ("卫生管理费收支每月公示；保洁员增加{b}栋楼道的清扫次数。",),
        (("公示本月卫生管理费收支", 7, "member"), ("督促保洁员清扫{b}栋楼道", 7, "member")),
        managed_by=COMMITTEE,
    ),
    Topic(
        "铸铁管改造摸底",
        (
            "铸铁排水管老化渗漏，{b}栋{u}单元本月报修{n}次。住户关心出资标准和墙面是否修复。",
            "对{b}栋{u}单元入户摸底，已走访{n}户，住户主要关心：\n"
            "- 每户出资多少\n"
            "- 改造后墙面是否修复\n"
            "- 施工期间能否正常用水",
        ),
        ("继续入户摸底，下次例会汇总。",),
        (("完成{b}栋{u}单元入户摸底", 14, "member"),),
        party="contractor",
        since=date(2022, 6, 1),
        until=HISTORY_TO,
    ),
    Topic(
        "独居老人探访",
        ("本周探访独居、空巢老人{n}户。{b}栋一位老人行动不便，需要帮忙代购生活用品。",),
        ("安排党员志愿者结对，每周至少上门一次。",),
        (("落实结对志愿者名单", 7, "chair"),),
    ),
    Topic(
        "道路坑洼修补",
        ("{b}栋前道路有{n}处坑洼，下雨积水，老人出行容易滑倒。",),
        ("报社区，通过党建联盟协调驻区单位修补。",),
        (("向社区报送道路修补需求", 5, "chair"),),
        party="street",
    ),
    Topic(
        "绿化补植",
        ("院内绿化带有{n}处黄土裸露，住户希望补种。",),
        ("组织住户认种补植，苗木由社区协调。",),
        (("统计认种住户名单", 10, "member"),),
        months=(2, 3, 4, 10, 11),
    ),
    Topic(
        "安全巡逻排班",
        ("院落安全巡逻队现有队员{m}人，本月夜间巡逻{n}次，未发现异常。",),
        ("下月继续每晚两人一组巡逻。",),
        (("排出下月巡逻表", 5, "member"),),
    ),
]

COMMUNITY_TOPICS = [
    Topic(
        "三会联动工作情况",
        (
            "居委会、业委会、自管会负责人通报近期工作：\n"
            "- 百腊井小区：{news1}\n"
            "- 庆丰一号院：{news2}\n"
            "- 庆丰二号院：{news3}",
        ),
        ("各小区下周重点排查楼道杂物和消防通道。",),
        (("汇总三个小区问题清单报街道", 10, "chair"),),
    ),
    Topic(
        "居民诉求办理情况",
        (
            "近两周收到居民“急难愁盼”诉求{m}件，已办结{k}件，其余正在办理。住户最关心：\n"
            "- 楼道照明\n"
            "- 下水道堵塞\n"
            "- 停车",
        ),
        ("未办结的诉求三个工作日内给住户答复。",),
        (("逐件电话回访未办结诉求", 7, "chair"),),
    ),
    Topic(
        "党建联盟“吹哨”事项推进",
        ("{b}栋前道路坑洼经党建联盟“吹哨”，驻区单位{n}家报到，已商定修补时间。",),
        ("由居委会跟进施工进度，完工后组织住户验收。",),
        (("跟进{b}栋前道路修补进度", 14, "chair"),),
        party="street",
    ),
    Topic(
        "网格走访情况通报",
        ("网格员和党员本周入户走访{m}户，发现需要关爱的独居老人{n}户，已建立联系卡。",),
        ("独居老人由党员志愿者结对，每周至少探访一次。",),
        (("更新独居老人结对名单", 7, "chair"),),
    ),
    Topic(
        "“365”志愿服务排班",
        (
            "下月志愿服务安排：\n"
            "- 院落安全巡逻：每晚两人一组\n"
            "- 学业辅导：周六上午\n"
            "- 政策宣讲：每月一次",
        ),
        ("排班表在各小区公告栏公示。",),
        (("公示下月志愿服务排班表", 5, "chair"),),
    ),
    Topic(
        "辖区安全隐患排查",
        ("本周排查出安全隐患{n}处：\n- {b}栋楼道堆放杂物\n- 停车棚私拉电线\n- {b2}栋消防通道被占",),
        ("限期整改，逾期未改的报街道。",),
        (("复查{b}栋楼道杂物清理情况", 7, "member"),),
    ),
]


# The 2013 renovation's courtyard meetings (docs/domain.md, "Projects and consent").
WARM_HOMES_MINUTES = (
    "社区工作人员和街道介绍“新型社区·温馨家园”改造：更换{place}老化的地下雨污管网、"
    "给水管网，平整硬化院坝和道路。住户意见：\n"
    "- 先修雨污管网，再做地面，避免反复开挖\n"
    "- 施工期间保证老人、孩子出行安全\n"
    "- 改造后由谁管理、卫生费怎么收\n"
    "\n"
    "住户希望借这次改造成立业主委员会，自己管理小区。"
)
WARM_HOMES_DECISION = "住户意见汇总后报街道和施工方，纳入改造方案；同步筹备成立业主委员会。"


@dataclass(frozen=True)
class OpinionMeeting:
    """One of the courtyard opinion-collection meetings of the year before the seed."""

    day: date
    time: tuple[int, int]
    title: str
    place: str
    item: str
    minutes: str
    decision: str
    action: tuple[str, int, str]
    building: str = ""  # residents of this building attend; else of the whole courtyard
    party: str = ""


OPINION_MEETINGS = [
    OpinionMeeting(
        date(2022, 1, 15),
        (10, 0),
        "停车棚管理意见征集会",
        "庆丰一号院文化休闲区",
        "停车棚管理办法（征求意见稿）",
        "向住户说明停车棚管理办法征求意见稿。收集到的意见：\n"
        "- 电动车统一在充电位充电，严禁私拉电线\n"
        "- 按户登记，每户限停两辆\n"
        "- 长期不用的车辆限期清理\n"
        "\n"
        "到会住户多数同意按户登记。",
        "按住户意见修改管理办法，2月起实行按户登记停放。",
        ("修改停车棚管理办法并张贴公示", 14, "chair"),
        party="manager",
    ),
    OpinionMeeting(
        date(2022, 4, 16),
        (10, 0),
        "健身区器材更新意见征集会",
        "庆丰一号院健身区",
        "健身区器材更新",
        "健身区部分器材使用多年，存在松动、锈蚀。住户意见：\n"
        "- 优先更换漫步机、扭腰器\n"
        "- 增加适合老年人的器材\n"
        "- 地面铺设防滑垫",
        "汇总意见报社区，通过党建联盟协调更换器材。",
        ("向社区报送健身器材更新需求", 7, "chair"),
        party="street",
    ),
    OpinionMeeting(
        date(2022, 6, 18),
        (9, 30),
        "垃圾投放点调整意见征集会",
        "庆丰一号院文化休闲区",
        "垃圾投放点调整",
        "拟将16栋旁的垃圾投放点移到停车棚东侧。住户意见：\n"
        "- 16栋住户赞成，可以减少异味\n"
        "- 15栋住户担心投放距离变远\n"
        "- 建议新投放点加装夜间照明",
        "投放点移到停车棚东侧，并加装一盏照明灯。",
        ("协调环卫调整投放点位置", 14, "member"),
    ),
    OpinionMeeting(
        date(2022, 10, 15),
        (10, 0),
        "铸铁管改造意见征集会（18栋）",
        "庆丰一号院18栋楼前",
        "铸铁管改造方案",
        "施工方介绍铸铁管改造方案和费用分摊办法。18栋住户意见：\n"
        "- 同意更换老化的铸铁排水管\n"
        "- 要求改造后修复墙面、清运建筑垃圾\n"
        "- 希望各户出资金额公开\n"
        "\n"
        "会后继续入户征求未到会住户的意见。",
        "整理住户意见，与施工方商谈改造条件。",
        ("入户征求18栋未到会住户意见", 14, "chair"),
        building="18",
        party="contractor",
    ),
    OpinionMeeting(
        date(2022, 10, 29),
        (10, 0),
        "铸铁管改造意见征集会（17栋）",
        "庆丰一号院17栋楼前",
        "铸铁管改造方案",
        "施工方介绍铸铁管改造方案。17栋住户意见：\n"
        "- 3单元住户改造意愿较强\n"
        "- 1单元、2单元住户还在观望\n"
        "- 要求改造后修复墙面\n"
        "\n"
        "住户提出的墙面修复条件，会后转告施工方。",
        "继续在17栋入户摸底，修复墙面作为改造的条件向施工方提出。",
        ("入户征求17栋住户意见", 14, "member"),
        building="17",
        party="contractor",
    ),
]


@dataclass(frozen=True)
class Profile:
    """How a body meets in everyday use."""

    places: dict[str, str]
    topics: list[Topic]
    per_week: int
    every_other_week: bool = False
    one_more: float = 0  # the chance of one more meeting in a week
    lead: str = ""  # the account that attends every meeting and owns one action of each
    lead_due_days: int = 10
    creator: str = STAFF
    managed_by: str = COMPANY
    #: The first day of its past meetings, when they reach back further than a year.
    since: date | None = None


PROFILES = {
    NEIGHBOURHOOD_COMMITTEE: Profile(
        places={"office": "金仓社区居委会会议室", "yard": "金仓社区党群服务中心"},
        topics=COMMUNITY_TOPICS,
        per_week=1,
        lead=STAFF,
        lead_due_days=10,
    ),
    BAILAJING_COMMITTEE: Profile(
        places={"office": "百腊井业委会办公室", "yard": "百腊井小区活动广场"},
        topics=COURTYARD_TOPICS,
        per_week=1,
        lead=BAILAJING_CHAIR,
        lead_due_days=10,
        creator=BAILAJING_CHAIR,
        managed_by=COMMITTEE,
    ),
    QINGFENG_1_COMMITTEE: Profile(
        places={
            "office": PIPES_MEETING_PLACE,
            "yard": "庆丰一号院文化休闲区",
            "fire": "微型消防站",
            "fitness": "庆丰一号院健身区",
            "shed": "便民停车棚",
        },
        topics=COURTYARD_TOPICS,
        # Over a hundred meetings a year (docs/domain.md, "Meetings"), since it was formed.
        per_week=2,
        one_more=0.45,
        since=QINGFENG_1_TERMS[0],
        lead=QINGFENG_1_CHAIR,
        lead_due_days=14,
        creator=QINGFENG_1_CHAIR,
    ),
    QINGFENG_2_COMMITTEE: Profile(
        places={"office": "庆丰二号院自管会活动室", "yard": "庆丰二号院院坝"},
        topics=COURTYARD_TOPICS,
        per_week=1,
        every_other_week=True,
    ),
}


@dataclass
class ActionSpec:
    description: str
    due_on: date
    owner: tuple  # ("user" | "resident", object) or ("party", index into the parties)
    item: int | None
    status: str = OPEN
    done_on: date | None = None


@dataclass
class MeetingSpec:
    kind: str
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    place: str
    status: str
    attendees: list = field(default_factory=list)  # ("user" | "resident", object)
    parties: list = field(default_factory=list)  # (kind, organisation, name)
    items: list = field(default_factory=list)  # (title, minutes)
    decisions: list = field(default_factory=list)  # (item index, text)
    actions: list[ActionSpec] = field(default_factory=list)

    @property
    def day(self) -> date:
        return timezone.localdate(self.starts_at)


def _people(households, *, born=(1945, 1992), party_members=False) -> list[Resident]:
    """Adults living in these households, in household order: the residents who come."""
    links = Membership.objects.filter(
        household__in=households,
        relation__in=[
            Membership.Relation.OWNER,
            Membership.Relation.CO_OWNER,
            Membership.Relation.FAMILY,
        ],
        resident__birth_year__range=born,
    ).select_related("resident", "household__unit__building")
    if party_members:
        links = links.filter(resident__is_party_member=True)
    links = sorted(
        links.order_by(),
        key=lambda m: (household_order(m.household), m.resident.name, m.resident.birth_year),
    )
    return list({m.resident_id: m.resident for m in links}.values())


def _in_holidays(day: date) -> bool:
    fixed = any(
        date(day.year, *first) <= day <= date(day.year, *last) for first, last in FIXED_HOLIDAYS
    )
    new_year = SPRING_FESTIVAL.get(day.year)
    return fixed or (new_year is not None and -1 <= (day - new_year).days <= 5)


class _Scope:
    """One body with what its meetings are made of: seats, residents, buildings, places."""

    def __init__(self, body: Body, profile: Profile):
        self.body, self.profile = body, profile
        self.places = profile.places
        self.seats = list(
            Member.objects.filter(term__body=body)
            .exclude(resident=None, user=None)
            .select_related("term", "resident", "user")
            .order_by("term__number", "role", "starts_on", "pk")
        )
        if body.kind == Body.Kind.NEIGHBOURHOOD:
            households = Household.objects.filter(
                unit__building__compound__community=body.community_id
            )
            self.residents = _people(households, party_members=True)
        else:
            households = body_households(body)
            self.residents = _people(households)
        seated = {seat.resident_id for seat in self.seats}
        self.residents = [r for r in self.residents if r.pk not in seated]
        self.units: dict[str, list[str]] = {}
        for building, unit in (
            Unit.objects.filter(households__in=households)
            .values_list("building__number", "number")
            .distinct()
        ):
            self.units.setdefault(building, []).append(unit)
        self.buildings = sorted(self.units, key=number_key)
        for units in self.units.values():
            units.sort(key=number_key)
        self.guests: list[tuple] = []

    def seated_on(self, day: date) -> list[Member]:
        return [
            seat
            for seat in self.seats
            if seat.starts_on <= day
            and (seat.ends_on is None or seat.ends_on >= day)
            and seat.term.starts_on <= day
            and (seat.term.ends_on is None or seat.term.ends_on >= day)
        ]

    def person(self, seat: Member, *, as_user: bool) -> tuple:
        if seat.user_id and (as_user or not seat.resident_id):
            return ("user", seat.user)
        return ("resident", seat.resident)


def _fill(rng: random.Random, scope: _Scope) -> dict:
    """The blanks of a topic's texts: buildings, units, small counts, who does the upkeep."""
    b = rng.choice(scope.buildings)
    others = [n for n in scope.buildings if n != b] or [b]
    m = rng.randint(12, 40)
    news = rng.sample(NEWS, 3)
    return {
        "b": b,
        "b2": rng.choice(others),
        "u": rng.choice(scope.units[b]),
        "u2": rng.choice(scope.units[b]),
        "n": rng.randint(2, 6),
        "n2": rng.randint(1, 4),
        "m": m,
        "k": m - rng.randint(2, 8),
        "p": rng.randint(72, 95),
        "equip": rng.choice(EQUIPMENT),
        "news1": news[0],
        "news2": news[1],
        "news3": news[2],
        "upkeep": UPKEEP[scope.profile.managed_by],
    }


def _settle(rng: random.Random, action: ActionSpec, meeting_day: date, today: date | None):
    """Status of an action when the demo is loaded: old ones are done or dropped; recent ones
    stay open for a while after their due day (overdue), older ones are mostly done."""
    if today is not None and action.due_on >= today - datetime.timedelta(days=STILL_OPEN_DAYS):
        return
    roll = rng.random()
    if roll < (0.1 if today is None else 0.05):
        action.status = DROPPED
    elif today is None or roll < 0.8:
        latest = action.due_on + datetime.timedelta(days=4)
        if today is not None:
            latest = min(action.due_on, today - datetime.timedelta(days=1))
        span = max(1, (latest - meeting_day).days)
        action.status = DONE
        action.done_on = meeting_day + datetime.timedelta(days=rng.randint(1, span))


class _Loader:
    def __init__(self, created: dict, say):
        self.created, self.say = created, say
        usernames = {STAFF} | {
            name for p in PROFILES.values() for name in (p.lead, p.creator) if name
        }
        self.users = accounts(*usernames)
        bodies = Body.objects.active().filter(
            community__name=COMMUNITY["name"], name__in=list(PROFILES)
        )
        self.scopes = {body.name: _Scope(body, PROFILES[body.name]) for body in bodies}
        neighbourhood = self.scopes[NEIGHBOURHOOD_COMMITTEE]
        # The chairs of the other bodies come to the neighbourhood committee's meetings.
        for name, scope in self.scopes.items():
            if name == NEIGHBOURHOOD_COMMITTEE:
                continue
            for seat in scope.seats:
                if seat.role == Member.Role.CHAIR and seat.ends_on is None:
                    neighbourhood.guests.append(scope.person(seat, as_user=True))

    # Composing meetings -------------------------------------------------------------

    def _topics(self, rng, scope: _Scope, day: date) -> list[Topic]:
        available = [t for t in scope.profile.topics if t.comes_up(day, scope.profile)]
        count = rng.choices([1, 2, 3], weights=[45, 40, 15])[0]
        return rng.sample(available, min(count, len(available)))

    def _work_meeting(self, rng, scope: _Scope, day: date, *, status, as_users: bool, today):
        """A work meeting of `scope`'s body on `day`: the subject, time and place first, so
        a day gives the same meeting whether it is composed as planned or as held."""
        topics = self._topics(rng, scope, day)
        hour, minute = rng.choices(START_TIMES, weights=START_WEIGHTS)[0]
        minutes_long = rng.choice([60, 90, 90, 120])
        place_key = topics[0].place if topics[0].place in scope.places else ""
        if not place_key:
            place_key = "yard" if rng.random() < 0.15 else "office"
        fills = [_fill(rng, scope) for _topic in topics]
        starts_at = at(day, hour, minute)
        spec = MeetingSpec(
            kind=WORK,
            title="、".join(t.title for t in topics),
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(minutes=minutes_long),
            place=scope.places[place_key],
            status=status,
            items=[(t.title, "") for t in topics],
        )
        if status != HELD:
            return spec
        spec.items = [
            (t.title, rng.choice(t.minutes).format(**fill))
            for t, fill in zip(topics, fills, strict=True)
        ]
        chair, members = self._attendees(rng, scope, day, spec, as_users=as_users, today=today)
        for t in topics:
            come = rng.random() < 0.3
            if t.party == "manager" and scope.profile.managed_by != COMPANY:
                continue  # no property company to come
            if t.party and come and PARTIES[t.party] not in spec.parties:
                spec.parties.append(PARTIES[t.party])
        for index, (t, fill) in enumerate(zip(topics, fills, strict=True)):
            if rng.random() < (0.85 if index == 0 else 0.3):
                spec.decisions.append((index, rng.choice(t.decisions).format(**fill)))

        lead = self.users.get(scope.profile.lead) if today is not None else None
        for index, (t, fill) in enumerate(zip(topics, fills, strict=True)):
            if lead is not None and index == 0:
                description, _days, _who = t.actions[0]
                days = scope.profile.lead_due_days
                owner = ("user", lead)
            elif rng.random() < (0.5 if index == 0 else 0.25):
                description, days, who = rng.choice(t.actions)
                owner = self._owner(rng, who, chair, members, spec)
            else:
                continue
            spec.actions.append(
                ActionSpec(
                    description=description.format(**fill),
                    due_on=day + datetime.timedelta(days=days),
                    owner=owner,
                    item=index,
                )
            )
        staff = ("user", self.users[STAFF])
        staff_helps = today is not None and staff in spec.attendees and lead != staff[1]
        if staff_helps and rng.random() < 0.5:
            spec.actions.append(
                ActionSpec(
                    description=f"协调街道支持{topics[-1].title}，跟进办理情况",
                    due_on=day + datetime.timedelta(days=rng.randint(7, 14)),
                    owner=staff,
                    item=len(topics) - 1,
                )
            )
        for action in spec.actions:
            _settle(rng, action, day, today)
        return spec

    def _attendees(self, rng, scope: _Scope, day: date, spec, *, as_users, today):
        """3-7 people: the chair (or the lead account), some members, residents, staff."""
        seated = scope.seated_on(day)
        chair_seat = next((s for s in seated if s.role == Member.Role.CHAIR), None)
        lead = self.users.get(scope.profile.lead) if today is not None else None
        chair = None
        if lead is not None:
            chair = ("user", lead)
        elif chair_seat is not None and rng.random() < 0.92:
            chair = scope.person(chair_seat, as_user=as_users)
        others = [
            scope.person(s, as_user=as_users)
            for s in seated
            if s is not chair_seat and scope.person(s, as_user=as_users) != chair
        ]
        members = rng.sample(others, min(len(others), rng.choice([1, 2, 2, 3, 3, 4])))
        guests = rng.sample(scope.guests, min(len(scope.guests), rng.randint(1, 3)))
        residents = [("resident", r) for r in rng.sample(scope.residents, 4)]
        people = [p for p in [chair, *members, *guests] if p is not None]
        people += residents[: rng.choice([0, 0, 1, 1, 2])]
        staff = ("user", self.users[STAFF])
        if staff not in people and rng.random() < 0.3:
            people.append(staff)
        for extra in residents:
            if len(people) >= 3:
                break
            people.append(extra)
        unique = []
        for person in people:
            if person not in unique:
                unique.append(person)
        spec.attendees = unique[:7]
        return chair, [p for p in members if p in spec.attendees]

    def _owner(self, rng, who: str, chair, members, spec) -> tuple:
        if spec.parties and (who == "party" or (who == "member" and rng.random() < 0.2)):
            return ("party", len(spec.parties) - 1)
        if who == "member" and members:
            return rng.choice(members)
        return chair or (members[0] if members else spec.attendees[0])

    # The bodies' past meetings ----------------------------------------------------------

    def past(self, today: date):
        """Each body's meetings on its grid, from its `since` (else a year back) up to the
        everyday ones, with the courtyard opinion meetings of 2022 on the pipes; written in
        bulk, the days already there left alone."""
        last = today - datetime.timedelta(days=RECENT_DAYS + 1)
        for name, scope in self.scopes.items():
            first = scope.profile.since or today - datetime.timedelta(days=PAST_DAYS)
            specs = []
            for day in self._grid(scope, first, last):
                if name == QINGFENG_1_COMMITTEE and day == PIPES_MEETING_DAY:
                    continue  # the seed meeting's day
                rng = random.Random(f"{SEED}:{name}:{day.isoformat()}")
                cancelled = random.Random(f"{SEED}:{name}:{day.isoformat()}:cancelled")
                status = CANCELLED if cancelled.random() < CANCELLED_SHARE else HELD
                specs.append(
                    self._work_meeting(rng, scope, day, status=status, as_users=False, today=None)
                )
            if name == QINGFENG_1_COMMITTEE:
                rng = random.Random(f"{SEED}:{name}:opinions")
                specs += [self._opinion_meeting(rng, scope, o) for o in OPINION_MEETINGS]
            self._write_missing(scope, specs, first, last)

    def _write_missing(self, scope: _Scope, specs: list[MeetingSpec], first: date, last: date):
        """Write those of `specs` whose body has no meeting at their start yet."""
        existing = set(
            scope.body.meetings.filter(
                starts_at__gte=at(first, 0),
                starts_at__lt=at(last + datetime.timedelta(days=1), 0),
            ).values_list("starts_at", flat=True)
        )
        missing = [spec for spec in specs if spec.starts_at not in existing]
        if not missing:
            return
        self._write_bulk(scope, missing)
        self.say(
            _("%(body)s: %(count)d meetings between %(first)s and %(last)s.")
            % {
                "body": scope.body.name,
                "count": len(missing),
                "first": min(spec.day for spec in missing).isoformat(),
                "last": max(spec.day for spec in missing).isoformat(),
            }
        )

    # The 2013 renovation's opinion meetings -------------------------------------------

    def warm_homes(self):
        """The courtyard opinion-collection meetings of 2013 on the "新型社区·温馨家园"
        renovation, held by the neighbourhood committee's staff with the residents of each
        courtyard, before any owners' committee was formed."""
        scope = self.scopes[NEIGHBOURHOOD_COMMITTEE]
        staff = ("user", self.users[STAFF])
        specs = []
        for day, place_name, where in WARM_HOMES_MEETINGS:
            rng = random.Random(f"{SEED}:{WARM_HOMES}:{day.isoformat()}")
            households = Household.objects.filter(
                unit__building__compound__community=scope.body.community_id
            ).filter(
                Q(unit__building__compound__name=place_name)
                | Q(unit__building__courtyard__name=place_name)
            )
            residents = _people(households, born=(1935, 1990))
            come = rng.sample(residents, min(len(residents), rng.randint(14, 24)))
            starts_at = at(day, 9, 30)
            spec = MeetingSpec(
                kind=OPINION,
                title=f"{WARM_HOMES}意见征集会（{place_name}）",
                starts_at=starts_at,
                ends_at=starts_at + datetime.timedelta(minutes=120),
                place=where,
                status=HELD,
                attendees=[staff, *[("resident", r) for r in come]],
                parties=[PARTIES["street"]],
                items=[(WARM_HOMES, WARM_HOMES_MINUTES.format(place=place_name))],
                decisions=[(0, WARM_HOMES_DECISION)],
            )
            spec.actions.append(
                ActionSpec(
                    description=f"把{place_name}住户的意见汇总报街道和施工方",
                    due_on=day + datetime.timedelta(days=7),
                    owner=staff,
                    item=0,
                    status=DONE,
                    done_on=day + datetime.timedelta(days=rng.randint(2, 6)),
                )
            )
            specs.append(spec)
        first, last = WARM_HOMES_MEETINGS[0][0], WARM_HOMES_MEETINGS[-1][0]
        self._write_missing(scope, specs, first, last)

    def _opinion_meeting(self, rng, scope: _Scope, opinion: OpinionMeeting) -> MeetingSpec:
        starts_at = at(opinion.day, *opinion.time)
        spec = MeetingSpec(
            kind=OPINION,
            title=opinion.title,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(minutes=90),
            place=opinion.place,
            status=HELD,
            items=[(opinion.item, opinion.minutes)],
            decisions=[(0, opinion.decision)],
        )
        seated = scope.seated_on(opinion.day)
        chair_seat = next(s for s in seated if s.role == Member.Role.CHAIR)
        chair = scope.person(chair_seat, as_user=False)
        members = [scope.person(s, as_user=False) for s in seated if s is not chair_seat]
        members = rng.sample(members, 2)
        residents = scope.residents
        if opinion.building:
            households = body_households(scope.body).filter(unit__building__number=opinion.building)
            seated_ids = {s.resident_id for s in scope.seats}
            residents = [
                r for r in _people(households, born=(1940, 2000)) if r.pk not in seated_ids
            ]
        come = rng.sample(residents, min(len(residents), rng.randint(9, 15)))
        spec.attendees = [chair, *members, *[("resident", r) for r in come]]
        if opinion.party:
            spec.parties.append(PARTIES[opinion.party])
        description, days, who = opinion.action
        action = ActionSpec(
            description=description,
            due_on=opinion.day + datetime.timedelta(days=days),
            owner=self._owner(rng, who, chair, members, spec),
            item=0,
        )
        _settle(rng, action, opinion.day, None)
        spec.actions.append(action)
        return spec

    def _write_bulk(self, scope: _Scope, specs: list[MeetingSpec]):
        """Write many meetings in a few queries; `_check_rules` stands in for the services."""
        self._check_rules(scope, specs)
        creator = self.users[scope.profile.creator]
        meetings = [
            Meeting(
                body=scope.body,
                kind=spec.kind,
                title=spec.title,
                starts_at=spec.starts_at,
                ends_at=spec.ends_at,
                place=spec.place,
                status=spec.status,
                created_by=creator,
            )
            for spec in specs
        ]
        _clean_all(meetings, ["body", "created_by"])
        Meeting.objects.bulk_create(meetings)
        # Recorded when the meeting ended, not when the demo was loaded.
        for meeting in meetings:
            meeting.updated_at = meeting.ends_at
        Meeting.objects.bulk_update(meetings, ["updated_at"], batch_size=200)

        attendees, parties, items = [], [], []
        parties_of, items_of = [], []
        for meeting, spec in zip(meetings, specs, strict=True):
            for kind, person in spec.attendees:
                attendees.append(Attendee(meeting=meeting, **{kind: person}))
            parties_of.append(
                [
                    OutsideParty(meeting=meeting, kind=kind, organisation=organisation, name=name)
                    for kind, organisation, name in spec.parties
                ]
            )
            items_of.append(
                [
                    AgendaItem(meeting=meeting, order=order, title=title, minutes=minutes)
                    for order, (title, minutes) in enumerate(spec.items, start=1)
                ]
            )
            parties += parties_of[-1]
            items += items_of[-1]
        _clean_all(attendees, ["meeting", "resident", "user"])
        _clean_all(parties, ["meeting"])
        _clean_all(items, ["meeting"])
        Attendee.objects.bulk_create(attendees)
        OutsideParty.objects.bulk_create(parties)
        AgendaItem.objects.bulk_create(items)

        decisions, actions = [], []
        for meeting, spec, its, pts in zip(meetings, specs, items_of, parties_of, strict=True):
            for index, text in spec.decisions:
                decisions.append(Decision(meeting=meeting, item=its[index], text=text))
            for a in spec.actions:
                kind, owner = a.owner
                actions.append(
                    Action(
                        meeting=meeting,
                        item=its[a.item] if a.item is not None else None,
                        description=a.description,
                        due_on=a.due_on,
                        owner_user=owner if kind == "user" else None,
                        owner_resident=owner if kind == "resident" else None,
                        owner_party=pts[owner] if kind == "party" else None,
                        status=a.status,
                        done_on=a.done_on,
                    )
                )
        _clean_all(decisions, ["meeting", "item"])
        _clean_all(actions, ["meeting", "item", "owner_user", "owner_resident", "owner_party"])
        Decision.objects.bulk_create(decisions)
        Action.objects.bulk_create(actions)
        self._count(meetings, attendees, parties, items, decisions, actions)

    def _check_rules(self, scope: _Scope, specs: list[MeetingSpec]):
        """What `services.attendee_add` and `services.action_add` would refuse."""
        resident_ids = {
            person.pk
            for spec in specs
            for kind, person in [*spec.attendees, *(a.owner for a in spec.actions)]
            if kind == "resident"
        }
        registered = set(
            Membership.objects.filter(
                resident__in=resident_ids,
                household__unit__building__compound__community=scope.body.community_id,
            ).values_list("resident_id", flat=True)
        )
        for spec in specs:
            people = [(kind, person.pk) for kind, person in spec.attendees]
            problems = [
                len(set(people)) != len(people),
                any(kind == "resident" and pk not in registered for kind, pk in people),
                any(kind == "user" and not person.is_active for kind, person in spec.attendees),
                any(a.due_on < spec.day for a in spec.actions),
                any(
                    a.owner[0] == "resident" and a.owner[1].pk not in registered
                    for a in spec.actions
                ),
                any(
                    a.owner[0] == "party" and a.owner[1] >= len(spec.parties) for a in spec.actions
                ),
            ]
            if any(problems):
                raise RuntimeError(f"The demo meeting {spec.title} of {spec.day} is not valid.")

    # The seed meeting -----------------------------------------------------------------

    def seed_meeting(self):
        scope = self.scopes[QINGFENG_1_COMMITTEE]
        starts_at = at(PIPES_MEETING_DAY, 15)
        if scope.body.meetings.filter(starts_at=starts_at).exists():
            return
        seated = scope.seated_on(PIPES_MEETING_DAY)
        chair = next(s for s in seated if s.role == Member.Role.CHAIR)
        # Two of the members seated then who still sit in the latest term.
        latest = max(s.term.number for s in scope.seats)
        still = {s.resident_id for s in scope.seats if s.term.number == latest}
        roles = list(Member.Role.values)
        members = sorted(
            (s for s in seated if s is not chair and s.resident_id),
            key=lambda s: (s.resident_id not in still, roles.index(s.role), s.resident.name),
        )[:2]
        # A resident of building 18 unit 4, one of the units that agreed, speaks for it.
        unit_18_4 = body_households(scope.body).filter(
            unit__building__number="18", unit__number="4"
        )
        speakers = [r for r in _people(unit_18_4, born=(1945, 1985)) if r in scope.residents]
        speaker = min(speakers, key=lambda r: not (r.is_party_member or r.is_volunteer))

        meeting = services.meeting_save(
            meeting=Meeting(
                body=scope.body,
                kind=WORK,
                title=PIPES_MEETING_TITLE,
                starts_at=starts_at,
                ends_at=at(PIPES_MEETING_DAY, 16, 30),
                place=PIPES_MEETING_PLACE,
                status=HELD,
            ),
            created_by=self.users[scope.profile.creator],
        )
        attendees = [
            services.attendee_add(meeting=meeting, resident=resident)
            for resident in [chair.resident, *(s.resident for s in members), speaker]
        ]
        attendees.append(services.attendee_add(meeting=meeting, user=self.users[STAFF]))
        kind, organisation, name = CONTRACTOR
        contractor = services.party_add(
            meeting=meeting, kind=kind, organisation=organisation, name=name
        )
        item = services.item_add(meeting=meeting, title="铸铁管改造", minutes=SEED_MINUTES)
        decision = services.decision_add(
            meeting=meeting, item=item, text=PIPES_AGREEMENT, signed_by=PIPES_SIGNED_BY
        )
        survey = services.action_add(
            meeting=meeting,
            item=item,
            description="继续对其他楼栋入户摸底，汇总同意出资的住户",
            due_on=date(2022, 12, 9),
            owner_resident=chair.resident,
        )
        walls = services.action_add(
            meeting=meeting,
            item=item,
            description="制定改造后墙面修复方案，报业委会确认",
            due_on=date(2022, 12, 2),
            owner_party=contractor,
        )
        for action, done_on in [(survey, date(2022, 12, 7)), (walls, date(2022, 11, 30))]:
            self._finish(action, DONE, done_on)
        Meeting.objects.filter(pk=meeting.pk).update(updated_at=meeting.ends_at)
        self._count([meeting], attendees, [contractor], [item], [decision], [survey, walls])
        self.say(
            _("%(body)s: the meeting of %(date)s, %(title)s.")
            % {
                "body": scope.body.name,
                "date": PIPES_MEETING_DAY.isoformat(),
                "title": PIPES_MEETING_TITLE,
            }
        )

    def _finish(self, action: Action, status: str, done_on: date | None):
        services.action_set_status(action=action, status=status)
        # The service stamps today; a demo action was finished on its own day.
        if action.done_on != done_on:
            Action.objects.filter(pk=action.pk).update(done_on=done_on)
            action.done_on = done_on

    # Everyday meetings around the day of loading --------------------------------------

    def everyday(self, today: date):
        first = today - datetime.timedelta(days=RECENT_DAYS)
        last = today + datetime.timedelta(days=AHEAD_DAYS)
        for name, scope in self.scopes.items():
            existing = {
                (m.title, timezone.localdate(m.starts_at)): m
                for m in scope.body.meetings.filter(
                    starts_at__gte=at(first, 0),
                    starts_at__lt=at(last + datetime.timedelta(days=1), 0),
                ).annotate(n_attendees=Count("attendees"), n_actions=Count("actions"))
            }
            for day in self._grid(scope, first, last):
                rng = random.Random(f"{SEED}:{name}:{day.isoformat()}")
                status = HELD if day < today else PLANNED
                spec = self._work_meeting(
                    rng, scope, day, status=status, as_users=True, today=today
                )
                meeting = existing.get((spec.title, day))
                if meeting is None:
                    self._write(scope, spec)
                elif (
                    status == HELD
                    and meeting.status == PLANNED
                    and not meeting.n_attendees
                    and not meeting.n_actions
                ):
                    self._record(meeting, spec)

    def _grid(self, scope: _Scope, first: date, last: date) -> list[date]:
        """The body's meeting days: fixed weekdays of each ISO week, drawn from the week's seed,
        but for the holidays."""
        days = []
        monday = first - datetime.timedelta(days=first.weekday())
        while monday <= last:
            year, week, _weekday = monday.isocalendar()
            if not scope.profile.every_other_week or week % 2 == 0:
                rng = random.Random(f"{SEED}:{scope.body.name}:{year}-W{week:02d}")
                count = scope.profile.per_week + (rng.random() < scope.profile.one_more)
                for weekday in sorted(rng.sample(range(5), count)):
                    day = monday + datetime.timedelta(days=weekday)
                    if first <= day <= last and not _in_holidays(day):
                        days.append(day)
            monday += datetime.timedelta(days=7)
        return days

    def _write(self, scope: _Scope, spec: MeetingSpec):
        meeting = services.meeting_save(
            meeting=Meeting(
                body=scope.body,
                kind=spec.kind,
                title=spec.title,
                starts_at=spec.starts_at,
                ends_at=spec.ends_at,
                place=spec.place,
                status=PLANNED if spec.status == HELD else spec.status,
            ),
            created_by=self.users[scope.profile.creator],
        )
        self._count([meeting], [], [], [], [], [])
        if spec.status == HELD:
            self._record(meeting, spec)
        else:
            items = [services.item_add(meeting=meeting, title=title) for title, _m in spec.items]
            self._count([], [], [], items, [], [])

    def _record(self, meeting: Meeting, spec: MeetingSpec):
        """Record a meeting as held, as its recorder would on the recording page."""
        attendees = [
            services.attendee_add(meeting=meeting, **{kind: person})
            for kind, person in spec.attendees
        ]
        parties = [
            services.party_add(meeting=meeting, kind=kind, organisation=org, name=name)
            for kind, org, name in spec.parties
        ]
        planned = {item.title: item for item in meeting.items.all()}
        items = []
        for title, minutes in spec.items:
            if title in planned:
                items.append(
                    services.item_update(item=planned[title], title=title, minutes=minutes)
                )
            else:
                items.append(services.item_add(meeting=meeting, title=title, minutes=minutes))
        decisions = [
            services.decision_add(meeting=meeting, item=items[index], text=text)
            for index, text in spec.decisions
        ]
        actions = []
        for a in spec.actions:
            kind, owner = a.owner
            action = services.action_add(
                meeting=meeting,
                item=items[a.item] if a.item is not None else None,
                description=a.description,
                due_on=a.due_on,
                **{f"owner_{kind}": parties[owner] if kind == "party" else owner},
            )
            if a.status != OPEN:
                self._finish(action, a.status, a.done_on)
            actions.append(action)
        meeting.status = HELD
        services.meeting_save(meeting=meeting)
        new_items = [item for item in items if item.title not in planned]
        self._count([], attendees, parties, new_items, decisions, actions)

    def _count(self, meetings, attendees, parties, items, decisions, actions):
        for key, rows in [
            ("meetings", meetings),
            ("attendees", attendees),
            ("outside_parties", parties),
            ("agenda_items", items),
            ("decisions", decisions),
            ("actions", actions),
        ]:
            self.created[key] += len(rows)


def _clean_all(objects, related: list[str]):
    """`full_clean` without the per-row queries: related rows exist and constraints are
    checked by the database when the rows are inserted."""
    for obj in objects:
        obj.full_clean(exclude=related, validate_constraints=False)


def load_demo(*, stdout=None) -> dict:
    """Load the demo's meetings on the demo bodies; returns how many of each were created.

    Needs `jinzang.demo.bodies.load_demo()` first.
    """
    say = reporter(stdout)
    created = dict.fromkeys(
        ["meetings", "attendees", "outside_parties", "agenda_items", "decisions", "actions"], 0
    )
    with transaction.atomic():
        loader = _Loader(created, say)
        today = timezone.localdate()
        loader.warm_homes()
        loader.past(today)
        loader.seed_meeting()
        loader.everyday(today)
        if created["meetings"]:
            say(
                _(
                    "Meetings: %(meetings)d new, with %(items)d agenda items and %(actions)d actions."
                )
                % {
                    "meetings": created["meetings"],
                    "items": created["agenda_items"],
                    "actions": created["actions"],
                }
            )
    return created

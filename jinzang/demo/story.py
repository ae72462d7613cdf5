"""The demo's story: Jincang Community's facts and figures, written once.

The places, bodies, named people, dates and figures of the published report on
Jincang Community (docs/domain.md), and the demo accounts that act in it. The
loaders of this package read them from here; what a loader invents around them
(generated households, everyday meetings, texts) stays in the loader.
`tests/demo/test_demo.py` checks that the loaded demo carries these figures.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

date = datetime.date

# The place (docs/domain.md, "The place") --------------------------------------------

COMMUNITY = {"name": "金仓社区", "district": "云岩区", "sub_district": "盐务街街道"}
# Yunyan District's region code: the first six digits of its residents' ID numbers.
YUNYAN_REGION = "520103"

BAILAJING = "百腊井小区"
QINGFENG = "庆丰小区"
QINGFENG_1 = "庆丰一号院"
QINGFENG_2 = "庆丰二号院"
COURTYARDS = {QINGFENG: [QINGFENG_1, QINGFENG_2]}

# The 2013 mobilisation before Bailajing's first owners' committee: two months and
# nearly 1,000 door-to-door visits; the sub-district's start-up grant.
MOBILISATION_FROM, MOBILISATION_TO = date(2013, 4, 28), date(2013, 6, 27)
MOBILISATION_GOAL, MOBILISATION_VISITS = 1000, 986
START_UP_GRANT = Decimal("30000.00")
START_UP_GRANT_PAID_ON = date(2013, 7, 5)
# The first committee ran the compound itself, as a "准物业" (quasi property management):
# no property company; the committee arranges the cleaning and the management.
QUASI_PROPERTY = "准物业"

# The 2013 renovation of the underground pipe network and the ground of Bailajing and
# Qingfeng, under the city's "新型社区·温馨家园" programme. Its opinions were collected in
# courtyard meetings during the mobilisation, before Bailajing's first owners' committee
# was formed; the report gives no dates for them: these are plausible ones.
WARM_HOMES = "“新型社区·温馨家园”地下管网及地面改造"
WARM_HOMES_STARTS, WARM_HOMES_ENDS = date(2013, 4, 28), date(2013, 12, 20)
WARM_HOMES_MEETINGS = [  # (day, courtyard or compound, where)
    (date(2013, 5, 11), "百腊井小区", "百腊井小区活动广场"),
    (date(2013, 5, 18), "庆丰一号院", "庆丰一号院院坝"),
    (date(2013, 5, 25), "庆丰二号院", "庆丰二号院院坝"),
    (date(2013, 6, 8), "百腊井小区", "百腊井小区3栋楼前"),
]

# The named people and the demo accounts -----------------------------------------------

LIAO_SHUYING = "廖书英"  # the neighbourhood committee's party branch secretary
ZHAO_XIANGQIAN = "赵湘黔"  # chair of Bailajing's 2nd owners' committee
LI_HUAYU = "李华玉"  # chair of Qingfeng No.1's owners' committee
WU_LIHUA = "武莉华"  # a Qingfeng resident: "we get an answer quickly"

DEMO_PASSWORD = "jinzang-demo"
ADMIN = {"username": "admin", "first_name": "管理员", "last_name": ""}
# The accounts of the three named office-holders: username -> (family name, given name).
STAFF = "liaoshuying"
BAILAJING_CHAIR = "zhaoxiangqian"
QINGFENG_1_CHAIR = "lihuayu"
ACCOUNTS = {
    STAFF: ("廖", "书英"),
    BAILAJING_CHAIR: ("赵", "湘黔"),
    QINGFENG_1_CHAIR: ("李", "华玉"),
}


@dataclass(frozen=True)
class NamedPerson:
    """Someone from the published report, living at a fixed door."""

    name: str
    gender: str
    birth_year: int
    compound: str
    building: str
    unit: str
    door: str
    serial: int
    is_party_member: bool = False
    is_volunteer: bool = False


# The report does not give genders, ages or doors; these are plausible choices.
NAMED_PEOPLE = [
    NamedPerson(ZHAO_XIANGQIAN, "M", 1956, BAILAJING, "3", "1", "301", 1, is_party_member=True),
    NamedPerson(LI_HUAYU, "F", 1963, QINGFENG, "18", "2", "401", 2, is_volunteer=True),
    NamedPerson(WU_LIHUA, "F", 1958, QINGFENG, "17", "3", "201", 3),
]

# The three bodies (docs/domain.md, "The three bodies") -----------------------------------

NEIGHBOURHOOD_COMMITTEE = "金仓社区居民委员会"
# Three-year terms from 2001; the 6th (2016) ran until the 2021 general election, when
# terms became five years: the one sitting now is the 7th.
NEIGHBOURHOOD_FOUNDED = date(2001, 3, 1)
NEIGHBOURHOOD_TERM = 7
NEIGHBOURHOOD_TERM_STARTS = date(2021, 6, 1)
# Staff who are not on the register (synthetic names): name, role, party member.
NEIGHBOURHOOD_STAFF = [
    ("王德兴", "vice_chair", True),
    ("陈丽萍", "member", True),
    ("罗建国", "member", False),
    ("杨雪梅", "secretary", False),
]

BAILAJING_COMMITTEE = "百腊井小区业主委员会"
BAILAJING_TERMS = [date(2013, 6, 28), date(2017, 7, 1)]
BAILAJING_ELECTION = date(2017, 6, 24)
# The 2nd term: 7 members, 4 of them party members and 3 resident volunteers.
BAILAJING_SEATS, BAILAJING_PARTY_MEMBERS, BAILAJING_VOLUNTEERS = 7, 4, 3
# The report gives no dates for these; plausible ones: the members choose their chair at
# their first meeting, and the election is filed (备案) within its 30 days with the
# sub-district that gave the start-up grant.
BAILAJING_CHAIR_CHOSEN = date(2017, 7, 1)
BAILAJING_FILING = (date(2017, 7, 14), "盐务街街道办事处", "盐务街业备〔2017〕3号")

QINGFENG_1_COMMITTEE = "庆丰一号院业主委员会"
# Terms of five years, the longest an owners' committee's term may run.
QINGFENG_1_TERMS = [date(2014, 4, 26), date(2019, 4, 27), date(2024, 4, 27)]

QINGFENG_2_COMMITTEE = "庆丰二号院自管会"
QINGFENG_2_TERMS = [date(2014, 9, 20), date(2019, 9, 21)]

# The work meeting of 18 November 2022 and the cast-iron pipes (docs/domain.md, "Meetings")

PIPES_MEETING_DAY = date(2022, 11, 18)
PIPES_MEETING_TITLE = "铸铁管改造推进工作例会"
PIPES_MEETING_PLACE = "庆丰业委会办公室"
CONTRACTOR = ("contractor", "贵州某建筑安装工程有限公司", "王建军")  # kind, organisation, name
PIPES_AGREEMENT = f"当天与{CONTRACTOR[1]}签订铸铁管改造协议。"
# Who reported the survey at the meeting, and who signed the agreement that day.
PIPES_REPORTED_BY, PIPES_SIGNED_BY = LI_HUAYU, LIAO_SHUYING
PIPES = "铸铁管改造"
PIPES_BUILDINGS = ["15", "16", "17", "18"]  # Qingfeng No.1's buildings the project covers
# Households that agreed to co-fund, as reported at the meeting: building 18 units 2 and
# 4 together, all 18 of their households, and building 17 unit 3, all 7 of its own. A
# unit goes ahead only when all its households agree (docs/domain.md, "Projects and
# consent"); the other buildings were still being surveyed.
PIPES_AGREED_18_UNITS_2_4, PIPES_AGREED_17_UNIT_3 = 18, 7
# The households of those units, as the report implies: 18 in units 2 and 4 of building
# 18 (how they split between the two is a choice) and 7 in unit 3 of building 17.
# (compound, building, unit) -> households
UNIT_HOUSEHOLDS = {
    (QINGFENG, "18", "2"): 9,
    (QINGFENG, "18", "4"): 9,
    (QINGFENG, "17", "3"): PIPES_AGREED_17_UNIT_3,
}

# Residents' requests and the three whistles (docs/domain.md) -----------------------------

WU_LIHUA_ASKED_ON = date(2022, 11, 18)
ALLIANCE_ORGANISATIONS, ALLIANCE_PARTY_MEMBERS, ALLIANCE_SOLVED = 61, 234, 18

# People who help (docs/domain.md) ---------------------------------------------------------

RECRUITED_PARTY_MEMBERS, VOLUNTEER_TEAMS = 158, 8

"""The demo's funds: Bailajing's, opened in 2013 with the sub-district's 30,000 yuan
start-up grant (the story), and the Qingfeng courtyards' funds from 2014; yearly
residents' fees and expenses since, and the last twelve months entry by entry relative
to the day the demo is loaded. Recent expenses of 500 yuan or more carry a receipt
(a generated one-page PDF); older ones were kept on paper.

Idempotent: funds are looked up by compound and name, and a fund's entries are made
only when it has none.
"""

import datetime
import random
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from committees.funds.services import RECEIPT_REQUIRED_FROM
from committees.models import Fund, FundEntry
from jinzang.demo.helpers import accounts, places, reporter
from jinzang.demo.story import (
    BAILAJING,
    BAILAJING_CHAIR,
    BAILAJING_TERMS,
    QINGFENG,
    QINGFENG_1,
    QINGFENG_1_CHAIR,
    QINGFENG_1_TERMS,
    QINGFENG_2,
    STAFF,
    START_UP_GRANT,
    START_UP_GRANT_PAID_ON,
)

SEED = "jinzang-demo:funds"
date = datetime.date
C = FundEntry.Category
INCOME, EXPENSE = FundEntry.Kind.INCOME, FundEntry.Kind.EXPENSE

BAILAJING_FUND = "百腊井小区业委会工作经费"
QINGFENG_1_FUND = "庆丰一号院业委会工作经费"
QINGFENG_2_FUND = "庆丰二号院自管会互助金"

# Bailajing's first year, from the report: the grant, then the first works and costs.
BAILAJING_2013 = [
    (START_UP_GRANT_PAID_ON, INCOME, C.GRANT, START_UP_GRANT, "盐务街街道拨付业委会启动资金"),
    (date(2013, 7, 12), EXPENSE, C.OFFICE, "2860.00", "业委会办公室桌椅、文件柜"),
    (date(2013, 8, 2), EXPENSE, C.ACTIVITIES, "680.00", "入户动员宣传资料印制"),
    (date(2013, 9, 16), EXPENSE, C.CLEANING, "4200.00", "清运院坝多年堆积垃圾"),
    (date(2013, 10, 21), EXPENSE, C.REPAIRS, "6350.00", "修补小区主干道路面"),
    (date(2013, 11, 8), EXPENSE, C.GREENING, "1980.00", "补种院内绿化"),
    (date(2013, 12, 20), INCOME, C.FEES, "5460.00", "2013年第四季度住户公共服务费"),
]

# Yearly, per fund: (category, what, low, high) in yuan.
YEARLY_INCOME = [(C.FEES, "住户公共服务费", 4000, 6000), (C.DONATION, "驻区单位捐助", 0, 1500)]
YEARLY_EXPENSE = [
    (C.CLEANING, "保洁服务费", 1500, 2500),
    (C.REPAIRS, "公共设施维修", 500, 2000),
    (C.GREENING, "绿化养护", 300, 800),
    (C.ACTIVITIES, "节日活动", 200, 600),
    (C.OFFICE, "办公用品", 100, 300),
]
MONTHLY = [
    (INCOME, C.FEES, "住户公共服务费", 350, 550),
    (EXPENSE, C.CLEANING, "保洁服务费", 150, 250),
]
OCCASIONAL = [
    (EXPENSE, C.REPAIRS, "楼道灯更换"),
    (EXPENSE, C.REPAIRS, "单元门门禁维修"),
    (EXPENSE, C.GREENING, "修剪行道树"),
    (EXPENSE, C.ACTIVITIES, "重阳节敬老活动"),
    (EXPENSE, C.OFFICE, "打印纸、墨盒"),
    (INCOME, C.DONATION, "驻区单位捐助"),
    (INCOME, C.OTHER_INCOME, "废品回收收入"),
]


def _yuan(rng, low, high) -> Decimal:
    return Decimal(rng.randint(low * 10, high * 10)).scaleb(-1).quantize(Decimal("0.01"))


def _receipt(description: str, amount: Decimal) -> ContentFile:
    """A one-page PDF, whole (with its cross-reference table), as uploads must be."""
    content = b"BT /F1 14 Tf 20 70 Td (Receipt " + str(amount).encode() + b" CNY) Tj ET"
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 144]/Contents 4 0 R"
        b"/Resources<</Font<</F1<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>>>>>>>",
        b"<</Length %d>>stream\n%s\nendstream" % (len(content), content),
    ]
    pdf, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return ContentFile(pdf, name="receipt.pdf")


def _entries(fund, rng, first_year, today, history, recorder):
    rows = [
        FundEntry(fund=fund, kind=k, category=c, amount=Decimal(a), date=d, description=t)
        for d, k, c, a, t in history
    ]
    # Whole years on paper, summed by category, up to the year before the last twelve months.
    cutoff = today - datetime.timedelta(days=365)
    for year in range(first_year, cutoff.year + 1):
        for kind, items in ((INCOME, YEARLY_INCOME), (EXPENSE, YEARLY_EXPENSE)):
            for category, what, low, high in items:
                amount = _yuan(rng, low, high)
                day = date(year, 12, rng.randint(20, 28))
                if amount <= 0 or day >= cutoff or (history and day <= history[-1][0]):
                    continue
                rows.append(
                    FundEntry(
                        fund=fund,
                        kind=kind,
                        category=category,
                        amount=amount,
                        date=day,
                        description=f"{year}年{what}（纸质凭证存档）",
                    )
                )
    # The last twelve months, entry by entry.
    recent = []
    for months_ago in range(12, -1, -1):
        month = (today.replace(day=1) - datetime.timedelta(days=28 * months_ago)).replace(day=1)
        for kind, category, what, low, high in MONTHLY:
            day = month + datetime.timedelta(days=rng.randint(2, 25))
            if cutoff < day <= today:
                recent.append(
                    (kind, category, _yuan(rng, low, high), day, f"{month:%Y年%m月}{what}")
                )
        if rng.random() < 0.6:
            kind, category, what = rng.choice(OCCASIONAL)
            day = month + datetime.timedelta(days=rng.randint(1, 27))
            if cutoff < day <= today:
                recent.append((kind, category, _yuan(rng, 100, 1200), day, what))
    for kind, category, amount, day, what in recent:
        entry = FundEntry(
            fund=fund,
            kind=kind,
            category=category,
            amount=amount,
            date=day,
            description=what,
            recorded_by=recorder,
        )
        if kind == EXPENSE and amount >= RECEIPT_REQUIRED_FROM:
            entry.receipt = _receipt(what, amount)
        rows.append(entry)
    for entry in rows:
        entry.full_clean(exclude=["receipt"])
        entry.save()
    return len(rows)


def load_demo(*, stdout=None) -> dict:
    created = dict.fromkeys(["funds", "fund_entries"], 0)
    demo_places = places()
    if demo_places is None:
        return created
    compounds, courtyards = demo_places.compounds, demo_places.courtyards
    today = timezone.localdate()
    users = accounts(BAILAJING_CHAIR, QINGFENG_1_CHAIR, STAFF)
    funds = [
        (
            compounds[BAILAJING],
            None,
            BAILAJING_FUND,
            Decimal("0.00"),
            BAILAJING_TERMS[0],
            "2013年成立第一届业委会时设立，盐务街街道拨付3万元启动资金。",
            BAILAJING_2013,
            2014,
            BAILAJING_CHAIR,
        ),
        (
            compounds[QINGFENG],
            courtyards.get(QINGFENG_1),
            QINGFENG_1_FUND,
            Decimal("2000.00"),
            QINGFENG_1_TERMS[0],
            "2014年庆丰一号院业委会成立时设立。",
            [],
            2014,
            QINGFENG_1_CHAIR,
        ),
        (
            compounds[QINGFENG],
            courtyards.get(QINGFENG_2),
            QINGFENG_2_FUND,
            Decimal("800.00"),
            date(2014, 9, 1),
            "2014年庆丰二号院自管会成立时由住户自愿筹集。",
            [],
            2015,
            STAFF,
        ),
    ]
    with transaction.atomic():
        for compound, courtyard, name, opening, opened, notes, history, first_year, user in funds:
            fund, new = Fund.objects.get_or_create(
                compound=compound,
                name=name,
                defaults={
                    "courtyard": courtyard,
                    "opening_balance": opening,
                    "opened_on": opened,
                    "notes": notes,
                },
            )
            created["funds"] += new
            if not fund.entries.exists():
                rng = random.Random(f"{SEED}:{name}")
                created["fund_entries"] += _entries(
                    fund, rng, first_year, today, history, users.get(user)
                )
    if any(created.values()):
        reporter(stdout)("Funds: {funds} funds, {fund_entries} entries.".format(**created))
    return created

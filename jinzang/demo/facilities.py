"""The demo's facilities: Qingfeng's cultural leisure area, fitness area, micro fire
station and convenience parking sheds (the story), inspected monthly over the past half
year; the fitness area's walking machine is broken, reported a few days before the
demo is loaded, with its request open.

Idempotent: facilities are looked up by compound and name, inspections made only for
a facility without any, and the breakdown reported only when no request names it.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from committees.facilities.services import facility_report_broken
from committees.models import Facility, FacilityInspection, RequestCategory, ResidentRequest
from jinzang.demo.helpers import accounts, places, reporter
from jinzang.demo.story import QINGFENG, QINGFENG_1, QINGFENG_1_CHAIR, QINGFENG_2, STAFF

SEED = "jinzang-demo:facilities"
K, Cond = Facility.Kind, Facility.Condition
FACILITY_CATEGORY = "健身与公共设施"

# courtyard, kind, name, location, notes
FACILITIES = [
    (
        QINGFENG_1,
        K.CULTURAL_LEISURE,
        "文化休闲区",
        "一号院17栋与18栋之间",
        "凉亭、石桌椅、宣传栏。",
    ),
    (QINGFENG_1, K.FITNESS, "健身区", "一号院16栋北侧", "漫步机、扭腰器、单杠等健身器材十件。"),
    (
        QINGFENG_2,
        K.MICRO_FIRE_STATION,
        "微型消防站",
        "二号院入口右侧",
        "灭火器二十具、消防水带四盘、应急照明。",
    ),
    (
        QINGFENG_1,
        K.PARKING_SHED,
        "便民停车棚（一号院）",
        "一号院15栋西侧",
        "非机动车停车位六十个，集中充电桩十二个。",
    ),
    (
        QINGFENG_2,
        K.PARKING_SHED,
        "便民停车棚（二号院）",
        "二号院20栋东侧",
        "非机动车停车位四十个，集中充电桩八个。",
    ),
]
BROKEN = "健身区"
NOTES = {
    Cond.GOOD: ["完好", "运行正常", "已清洁"],
    Cond.WORN: ["部分油漆脱落", "螺丝松动，已紧固", "地面轻微破损"],
}


def load_demo(*, stdout=None) -> dict:
    created = dict.fromkeys(["facilities", "inspections"], 0)
    demo_places = places()
    if demo_places is None:
        return created
    compound, courtyards = demo_places.compounds[QINGFENG], demo_places.courtyards
    today = timezone.localdate()
    users = accounts(STAFF, QINGFENG_1_CHAIR)
    with transaction.atomic():
        RequestCategory.objects.filter(name=FACILITY_CATEGORY, for_facilities=False).update(
            for_facilities=True
        )
        for courtyard, kind, name, location, notes in FACILITIES:
            facility, new = Facility.objects.get_or_create(
                compound=compound,
                name=name,
                defaults={
                    "courtyard": courtyards.get(courtyard),
                    "kind": kind,
                    "location": location,
                    "notes": notes,
                },
            )
            created["facilities"] += new
            if not facility.inspections.exists():
                rng = random.Random(f"{SEED}:{name}")
                inspector = users.get(QINGFENG_1_CHAIR if courtyard == QINGFENG_1 else STAFF)
                rows = []
                for months_ago in range(6, 0, -1):
                    day = today - datetime.timedelta(days=30 * months_ago + rng.randint(0, 5))
                    condition = Cond.WORN if rng.random() < 0.3 else Cond.GOOD
                    rows.append(
                        FacilityInspection(
                            facility=facility,
                            inspected_on=day,
                            condition=condition,
                            notes=rng.choice(NOTES[condition]),
                            inspected_by=inspector,
                        )
                    )
                FacilityInspection.objects.bulk_create(rows)
                facility.condition, facility.last_inspected = (
                    rows[-1].condition,
                    rows[-1].inspected_on,
                )
                facility.save(update_fields=["condition", "last_inspected"])
                created["inspections"] += len(rows)
            if name == BROKEN and not ResidentRequest.objects.filter(facility=facility).exists():
                facility_report_broken(
                    facility=facility,
                    reported_by=users.get(QINGFENG_1_CHAIR),
                    title="健身区漫步机断裂",
                    description="漫步机踏板连接处断裂，已用警示带围住，暂停使用，请尽快维修。",
                    received_through=ResidentRequest.Channel.IN_PERSON,
                    received_at=timezone.now() - datetime.timedelta(days=3, hours=2),
                )
    if any(created.values()):
        reporter(stdout)(
            "Facilities: {facilities} facilities, {inspections} inspections.".format(**created)
        )
    return created

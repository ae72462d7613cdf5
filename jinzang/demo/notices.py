"""The demo's notices, loaded on top of the bodies, meetings and projects of the demo.

It loads after the meetings and projects, because two notices report a meeting and a vote.

- From the seed's story, with their real dates: the cast-iron pipe renovation
  notice of Qingfeng No.1 (21 November 2022, after the agreement signed at the
  work meeting of 18 November) and the result of the election that formed
  Bailajing's 2nd owners' committee (2017), with its figures counted again from
  the ballots by `committees.bodies.services.election_result`.
- Everyday notices placed relative to the day the demo is loaded: the micro
  fire station's safety notice (pinned, corrected once, so readers see a
  revision), a meeting notice for the next planned meeting, the public
  disclosure of Bailajing's maintenance-fund vote, a draft, one scheduled for
  next week and one expired.

Writes go through `committees.notices.services`. Idempotent: notices are looked
up by (body, title); one that exists is left as it is, so a second run creates
and changes nothing.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.bodies import services
from committees.models import Body, Election, Notice, NoticeRevision
from committees.notices import services as notice_services
from jinzang.demo.helpers import at, percent, places, reporter
from jinzang.demo.story import (
    BAILAJING,
    BAILAJING_COMMITTEE,
    CONTRACTOR,
    NEIGHBOURHOOD_COMMITTEE,
    PIPES_AGREED_17_UNIT_3,
    PIPES_AGREED_18_UNITS_2_4,
    PIPES_BUILDINGS,
    PIPES_MEETING_DAY,
    PIPES_SIGNED_BY,
    QINGFENG,
    QINGFENG_1,
    QINGFENG_1_COMMITTEE,
    QINGFENG_2,
    QINGFENG_2_COMMITTEE,
)
from meetings.models import Meeting
from residents.models import Building

date = datetime.date
Category = Notice.Category

PIPES_TITLE = "关于庆丰一号院铸铁管改造开工的通知"
PIPES_PUBLISHED = (date(2022, 11, 21), 9, 0)
PIPES_TEXT = (
    "庆丰一号院15—18栋的住户：\n"
    "\n"
    f"{PIPES_MEETING_DAY.year}年{PIPES_MEETING_DAY.month}月{PIPES_MEETING_DAY.day}日，"
    f"{PIPES_SIGNED_BY}与施工方{CONTRACTOR[1]}签订了铸铁管改造协议。"
    "改造由住户自愿共同出资，以单元为单位推进：排水管是整个单元共用的，"
    "一个单元的住户全部同意出资，这个单元才开工：\n"
    f"- 18栋2单元、18栋4单元：共{PIPES_AGREED_18_UNITS_2_4}户，全部同意共同出资\n"
    f"- 17栋3单元：共{PIPES_AGREED_17_UNIT_3}户，全部同意共同出资\n"
    "\n"
    "以上三个单元自协议签订后开始施工，其他楼栋仍在入户摸底，摸底结束后另行通知。\n"
    "\n"
    "住户提出的条件：管道更换后必须修复墙面。施工方已同意，墙面由施工方负责修复，"
    "不另收费用。施工期间请住户配合入户，家中有老人、病人需要照顾的，请提前告知楼栋长。"
)

ELECTION_TITLE = "百腊井小区第二届业主委员会选举结果公告"
ELECTION_PUBLISHED = (date(2017, 6, 26), 9, 0)

FIRE_TITLE = "庆丰小区微型消防站启用及冬季消防安全提示"
FIRE_TEXT = (
    "庆丰小区微型消防站设在小区停车棚旁，配有灭火器、消防水带、破拆工具和应急照明，"
    "由居委会、业委会和志愿者巡逻队共同值守。\n"
    "\n"
    "冬季用火用电多，请各位居民注意：\n"
    "- 电动自行车在停车棚充电，不要推进楼道、不要入户充电\n"
    "- 楼道内不要堆放杂物，保持消防通道畅通\n"
    "- 使用电取暖器、烤火炉时人走断电，不要烘烤衣物\n"
    "- 发现火情先拨打119，再呼叫微型消防站值班人员\n"
    "\n"
    "{day}上午9点在文化休闲区进行灭火器使用演练，欢迎居民参加。"
)
FIRE_REASON = "演练时间更正：由周六改为周日上午9点。"


DRAFT_TITLE = "庆丰二号院停车棚增设充电插座征求意见"
DRAFT_TEXT = (
    "庆丰二号院的住户：\n"
    "\n"
    "停车棚充电位不够用，住户意见较多。自管会拟在停车棚增设10个充电插座，"
    "费用和电费分摊办法如下，请各户提出意见：\n"
    "- 插座安装费用由使用的住户分摊\n"
    "- 电费按刷卡计量，每度电按居民电价收取\n"
    "\n"
    "意见请交到自管会或在楼栋微信群留言。"
)

SCHEDULED_TITLE = "百腊井小区二次供水水箱清洗停水通知"
SCHEDULED_TEXT = (
    "百腊井小区各位居民：\n"
    "\n"
    "为保证饮用水卫生，小区二次供水水箱将进行清洗消毒，清洗当天上午8点至下午6点停水。\n"
    "- 请提前储水，关好水龙头\n"
    "- 恢复供水后先放水几分钟再使用\n"
    "\n"
    "给大家带来不便，敬请谅解。"
)

EXPIRED_TITLE = "庆丰小区化粪池清掏通知"
EXPIRED_TEXT = (
    "庆丰小区各位居民：\n"
    "\n"
    "环卫部门将对小区化粪池进行清掏，作业期间请勿在化粪池周边停放车辆，"
    "请照看好小孩，不要靠近作业区域。"
)


WEEKDAYS = "一二三四五六日"


@dataclass
class Planned:
    """One notice to write: published at `publish_at` (None: a draft)."""

    body: Body
    title: str
    text: str
    category: str
    publish_at: datetime.datetime | None
    expires_at: datetime.datetime | None = None
    pinned: bool = False
    compounds: list = field(default_factory=list)
    courtyards: list = field(default_factory=list)
    buildings: list = field(default_factory=list)
    #: (new text, reason): a correction made after publishing, kept as a revision.
    correction: tuple[str, str] | None = None
    corrected_at: datetime.datetime | None = None


class _Loader:
    def __init__(self, created: dict, say):
        self.created = created
        self.say = say
        self.community, self.compounds, self.courtyards = places()
        self.bodies = {b.name: b for b in Body.objects.active().filter(community=self.community)}
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)

    def notice(self, plan: Planned) -> Notice:
        notice = Notice.objects.filter(body=plan.body, title=plan.title).first()
        if notice is not None:
            return notice
        notice = notice_services.notice_save(
            notice=Notice(
                body=plan.body,
                title=plan.title,
                text=plan.text,
                category=plan.category,
                for_whole_community=not (plan.compounds or plan.courtyards or plan.buildings),
                expires_at=plan.expires_at,
                pinned=plan.pinned,
            ),
            compounds=plan.compounds,
            courtyards=plan.courtyards,
            buildings=plan.buildings,
        )
        if plan.publish_at is not None:
            notice_services.notice_publish(notice=notice, at=plan.publish_at)
        self.created["notices"] += 1
        if plan.correction is not None:
            notice.text, reason = plan.correction
            notice_services.notice_save(
                notice=notice,
                compounds=plan.compounds,
                courtyards=plan.courtyards,
                buildings=plan.buildings,
                reason=reason,
            )
            if plan.corrected_at is not None:
                # The service stamps now; the demo's correction came the day after publishing.
                NoticeRevision.objects.filter(notice=notice).update(corrected_at=plan.corrected_at)
            self.created["notice_revisions"] += 1
        return notice

    # From the seed's story ---------------------------------------------------------------

    def pipes(self):
        qingfeng = self.compounds[QINGFENG]
        buildings = list(
            Building.objects.filter(
                compound=qingfeng,
                courtyard=self.courtyards[QINGFENG_1],
                number__in=PIPES_BUILDINGS,
            )
        )
        self.notice(
            Planned(
                body=self.bodies[QINGFENG_1_COMMITTEE],
                title=PIPES_TITLE,
                text=PIPES_TEXT,
                category=Category.RENOVATION,
                publish_at=at(*PIPES_PUBLISHED),
                buildings=buildings,
            )
        )

    def election(self):
        body = self.bodies[BAILAJING_COMMITTEE]
        if Notice.objects.filter(body=body, title=ELECTION_TITLE).exists():
            return
        election = Election.objects.select_related("term").get(term__body=body, term__number=2)
        result = services.election_result(election)
        by_head, by_area = result.participation_share
        lines = [
            f"{election.held_on.year}年{election.held_on.month}月{election.held_on.day}日，"
            f"百腊井小区业主以书面投票方式选举第二届业主委员会，应选委员{election.seats}名。",
            "",
            f"全体业主{result.electorate.owners}人，专有面积{result.electorate.area}平方米；"
            f"参与投票的业主{result.participating.owners}人（{percent(by_head)}），"
            f"专有面积{result.participating.area}平方米（{percent(by_area)}），"
            "均达到三分之二以上，选举有效。",
            "",
            "当选委员（按得票人数排列）：",
        ]
        elected = sorted(
            (c for c in result.candidates if c.elected),
            key=lambda c: (-c.votes.owners, -c.votes.area),
        )
        for c in elected:
            lines.append(
                f"- {c.candidate.resident.name}：{c.votes.owners}票，"
                f"代表专有面积{c.votes.area}平方米"
            )
        lines += [
            "",
            f"第二届业主委员会自{election.term.starts_on.year}年{election.term.starts_on.month}月"
            f"{election.term.starts_on.day}日起履职。感谢全体业主的支持和参与。",
        ]
        self.notice(
            Planned(
                body=body,
                title=ELECTION_TITLE,
                text="\n".join(lines),
                category=Category.DISCLOSURE,
                publish_at=at(*ELECTION_PUBLISHED),
                compounds=[self.compounds[BAILAJING]],
            )
        )

    # Everyday notices, around the day the demo is loaded -----------------------------------

    def fire_station(self):
        published = self.today - datetime.timedelta(days=4)
        # The coming Sunday; the notice first gave the Saturday before it.
        drill = self.today + datetime.timedelta(days=(6 - self.today.weekday()) % 7 or 7)
        saturday = drill - datetime.timedelta(days=1)
        self.notice(
            Planned(
                body=self.bodies[NEIGHBOURHOOD_COMMITTEE],
                title=FIRE_TITLE,
                text=FIRE_TEXT.format(day=f"{saturday.month}月{saturday.day}日（星期六）"),
                category=Category.SAFETY,
                publish_at=at(published, 8, 30),
                expires_at=at(self.today + datetime.timedelta(days=30), 18),
                pinned=True,
                compounds=[self.compounds[QINGFENG]],
                correction=(
                    FIRE_TEXT.format(day=f"{drill.month}月{drill.day}日（星期日）"),
                    FIRE_REASON,
                ),
                corrected_at=at(published + datetime.timedelta(days=1), 10),
            )
        )

    def meeting(self):

        meeting = (
            Meeting.objects.filter(
                body__in=self.bodies.values(),
                status=Meeting.Status.PLANNED,
                starts_at__gt=self.now,
            )
            .select_related("body__compound", "body__courtyard")
            .order_by("starts_at", "pk")
            .first()
        )
        if meeting is None:
            return
        body, starts = meeting.body, timezone.localtime(meeting.starts_at)
        text = (
            f"{body.name}定于{starts.month}月{starts.day}日（星期{WEEKDAYS[starts.weekday()]}）"
            f"{starts:%H:%M}召开{meeting.get_kind_display()}。\n"
            "\n"
            f"- 地点：{meeting.place or body.name}\n"
            f"- 议题：{meeting.title}\n"
            "\n"
            "欢迎居民列席，有意见和建议的可以提前交给委员。"
        )
        self.notice(
            Planned(
                body=body,
                title=f"会议通知：{meeting.title}（{starts.month}月{starts.day}日）",
                text=text,
                category=Category.MEETING,
                publish_at=max(
                    at(self.today - datetime.timedelta(days=1), 9),
                    starts - datetime.timedelta(days=7),
                ),
                expires_at=(meeting.ends_at or starts + datetime.timedelta(hours=2)),
                courtyards=[body.courtyard] if body.courtyard_id else [],
                compounds=[body.compound] if body.compound_id and not body.courtyard_id else [],
            )
        )

    def others(self):
        qingfeng = self.compounds[QINGFENG]
        self.notice(
            Planned(
                body=self.bodies[QINGFENG_2_COMMITTEE],
                title=DRAFT_TITLE,
                text=DRAFT_TEXT,
                category=Category.ANNOUNCEMENT,
                publish_at=None,
                courtyards=[self.courtyards[QINGFENG_2]],
            )
        )
        next_week = self.today + datetime.timedelta(days=7)
        self.notice(
            Planned(
                body=self.bodies[BAILAJING_COMMITTEE],
                title=SCHEDULED_TITLE,
                text=SCHEDULED_TEXT,
                category=Category.ANNOUNCEMENT,
                publish_at=at(next_week, 9),
                expires_at=at(next_week + datetime.timedelta(days=4), 18),
                compounds=[self.compounds[BAILAJING]],
            )
        )
        published = self.today - datetime.timedelta(days=40)
        self.notice(
            Planned(
                body=self.bodies[NEIGHBOURHOOD_COMMITTEE],
                title=EXPIRED_TITLE,
                text=EXPIRED_TEXT,
                category=Category.ANNOUNCEMENT,
                publish_at=at(published, 9),
                expires_at=at(published + datetime.timedelta(days=10), 18),
                compounds=[qingfeng],
            )
        )


def load_demo(*, stdout=None) -> dict:
    """Load the demo's notices; returns how many notices and revisions were created.

    Needs the bodies (jinzang.demo.bodies) first; the meeting notice and the fund
    disclosure also use the meetings and projects of the demo when they are loaded.
    """
    say = reporter(stdout)
    created = dict.fromkeys(["notices", "notice_revisions"], 0)
    with transaction.atomic():
        loader = _Loader(created, say)
        loader.pipes()
        loader.election()
        loader.fire_station()
        loader.meeting()
        loader.others()
        if created["notices"]:
            say(
                _("Notices: %(notices)d new, %(revisions)d corrected.")
                % {"notices": created["notices"], "revisions": created["notice_revisions"]}
            )
    return created

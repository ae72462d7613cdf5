"""The whole demo: every loader runs and creates its rows, a second load creates and
changes nothing, and the demo carries the story's figures (docs/domain.md)."""

import datetime
from dataclasses import dataclass
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear
from django.test import override_settings
from django.utils import timezone, translation

from committees.models import (
    AllianceMember,
    Body,
    FundEntry,
    ResidentRequest,
    Term,
    Volunteer,
    VolunteerTeam,
    Whistle,
    WhistleResponder,
)
from jinzang.demo import story
from jinzang.demo.loaders import LOADERS, load_all, loaders_for
from meetings.dashboard.figures import dashboard
from meetings.models import (
    Action,
    AgendaItem,
    ConsentRecord,
    Decision,
    Meeting,
    OutsideParty,
    Project,
    Visit,
    VisitCampaign,
)
from meetings.projects import tally

pytestmark = pytest.mark.django_db


@dataclass
class Loaded:
    """What loading the demo twice did."""

    by_loader: dict[str, dict[str, int]]  # the first load: loader module -> rows created
    again: dict[str, int]  # the second load: rows created
    rows: tuple[dict, dict]  # every table's rows before and after the second load


def _rows() -> dict:
    return {
        model._meta.label: list(model.objects.order_by("pk").values_list())
        for model in apps.get_models(include_auto_created=True)
    }


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo loaded once for the module, loader by loader, then loaded again; rolled
    back when the module's tests are done.

    Both loads happen at one instant: the demo's everyday meetings are laid out around
    the day of loading, and a run that straddles midnight (Asia/Shanghai) would rightly
    add the new day's meeting on the second load."""
    media = tmp_path_factory.mktemp("media")
    instant = timezone.now()
    with (
        mock.patch("django.utils.timezone.now", return_value=instant),
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media),
        translation.override("zh-hans"),  # as `manage.py demo` runs
        transaction.atomic(),
    ):
        by_loader = {loader.__module__: loader() for loader in LOADERS}
        rows = _rows()
        again = load_all()
        yield Loaded(by_loader, again, (rows, _rows()))
        transaction.set_rollback(True)


def test_every_loader_creates_rows(demo):
    assert list(demo.by_loader) == [loader.__module__ for loader in LOADERS]
    for module, created in demo.by_loader.items():
        assert any(created.values()), module


def test_loading_the_demo_again_creates_and_changes_nothing(demo):
    assert demo.again and not any(demo.again.values())
    before, after = demo.rows
    assert before.keys() == after.keys()
    for table in before:
        assert before[table] == after[table], table


def test_the_pipe_units_hold_the_reported_households_and_every_one_agrees(demo):
    project = Project.objects.get(name=story.PIPES, body__name=story.QINGFENG_1_COMMITTEE)
    units = {(u.building, u.unit): u for b in tally.cofunding_progress(project) for u in b.units}
    # Building 18 units 2 and 4: 18 households in all, all of them agreeing; building 17
    # unit 3: 7 households, all 7 agreeing.
    in_18 = [units[("18", "2")], units[("18", "4")]]
    assert sum(u.households for u in in_18) == sum(u.agree for u in in_18) == 18
    assert units[("17", "3")].households == units[("17", "3")].agree == 7
    # A unit goes ahead only when all its households agree: those three, and no other.
    assert project.needs_every_household
    assert {key for key, u in units.items() if u.goes_ahead} == {
        ("18", "2"),
        ("18", "4"),
        ("17", "3"),
    }
    # The other buildings are still being surveyed: answers in, none agreeing yet.
    others = [u for key, u in units.items() if key not in {("18", "2"), ("18", "4"), ("17", "3")}]
    assert not any(u.agree for u in others)
    assert all(u.households for u in others)
    assert sum(u.decline + u.undecided for u in others) > 0
    for building in ("15", "16"):
        assert not any(u.agree for key, u in units.items() if key[0] == building)


def test_the_meeting_of_18_november_2022(demo):
    meeting = Meeting.objects.get(
        body__name=story.QINGFENG_1_COMMITTEE,
        title=story.PIPES_MEETING_TITLE,
        starts_at__date=datetime.date(2022, 11, 18),
    )
    assert meeting.place == story.PIPES_MEETING_PLACE
    assert meeting.attendees.count() + meeting.outside_parties.count() == 6
    # 李华玉, the owners' committee's chair, reports the survey.
    assert meeting.attendees.filter(resident__name=story.LI_HUAYU).exists()
    minutes = meeting.items.get().minutes
    assert minutes.startswith(f"业委会主任{story.LI_HUAYU}通报")
    assert "共18户，全部同意" in minutes and "共7户，全部同意" in minutes
    # 廖书英 signed the agreement with the contractor that day.
    decision = meeting.decisions.get()
    assert "签订铸铁管改造协议" in decision.text and decision.project.name == story.PIPES
    assert decision.signed_by == story.LIAO_SHUYING == "廖书英"
    # The Qingfeng owners' committee met over a hundred times in the year before it.
    year = Meeting.objects.filter(
        body=meeting.body,
        starts_at__gte=meeting.starts_at - datetime.timedelta(days=365),
        starts_at__lt=meeting.starts_at,
        status=Meeting.Status.HELD,
    )
    assert year.count() > 100


def test_zhao_xiangqian_is_not_on_bailajings_first_term_and_chairs_its_second(demo):
    first, second = Term.objects.filter(body__name=story.BAILAJING_COMMITTEE).order_by("number")
    assert (first.starts_on.year, second.starts_on.year) == (2013, 2017)
    assert not first.members.filter(resident__name=story.ZHAO_XIANGQIAN).exists()
    assert not first.members.filter(user__username=story.BAILAJING_CHAIR).exists()
    assert first.members.count() == 5
    chair = second.members.get(role="chair")
    assert chair.resident.name == story.ZHAO_XIANGQIAN


def test_bailajings_first_committee_ran_the_compound_itself(demo):
    """准物业: no property company in Bailajing, in its notes, meetings or requests."""
    body = Body.objects.get(name=story.BAILAJING_COMMITTEE)
    assert "准物业" in body.terms.get(number=1).notes
    meetings = Meeting.objects.filter(body=body)
    assert meetings.count() > 50
    assert not OutsideParty.objects.filter(
        meeting__body=body, kind=OutsideParty.Kind.PROPERTY_MANAGER
    ).exists()
    texts = [
        *meetings.values_list("title", flat=True),
        *AgendaItem.objects.filter(meeting__body=body).values_list("minutes", flat=True),
        *Decision.objects.filter(meeting__body=body).values_list("text", flat=True),
        *Action.objects.filter(meeting__body=body).values_list("description", flat=True),
        *ResidentRequest.objects.filter(compound__name=story.BAILAJING).values_list(
            "reply", flat=True
        ),
    ]
    assert not [text for text in texts if "物业" in text.replace("准物业", "")]
    assert AgendaItem.objects.filter(meeting__body=body, title="“准物业”管理情况").exists()


def test_the_2013_renovation_and_its_courtyard_meetings_before_the_first_committee(demo):
    project = Project.objects.get(name=story.WARM_HOMES)
    assert "新型社区·温馨家园" in project.name and "地下管网" in project.name
    assert project.body.name == story.NEIGHBOURHOOD_COMMITTEE
    assert (project.starts_on.year, project.status) == (2013, Project.Status.DONE)
    covered = project.covered_households()
    assert set(covered.values_list("unit__building__compound__name", flat=True)) == {
        story.BAILAJING,
        story.QINGFENG,
    }
    # Its opinion-collection meetings, in the courtyards, before Bailajing's first owners'
    # committee was formed.
    meetings = project.meetings.all()
    assert meetings.count() == len(story.WARM_HOMES_MEETINGS) >= 3
    first_committee = story.BAILAJING_TERMS[0]
    for meeting in meetings:
        assert meeting.kind == Meeting.Kind.OPINION and meeting.status == Meeting.Status.HELD
        assert timezone.localdate(meeting.starts_at) < first_committee
        assert meeting.attendees.filter(resident__isnull=False).count() >= 10
    assert {m.place for m in meetings} == {where for _d, _p, where in story.WARM_HOMES_MEETINGS}
    assert project.decisions.count() == meetings.count()
    # The nearly 1,000 mobilisation visits of those two months are its campaign's; the
    # households met at the door gave their answer at the visit.
    campaign = VisitCampaign.objects.get(compound__name=story.BAILAJING, starts_on__year=2013)
    assert campaign.project == project
    assert campaign.ends_on < first_committee
    answered_at_visits = Visit.objects.filter(campaign=campaign, consent__project=project)
    assert answered_at_visits.count() > 200
    assert project.consents.count() == covered.count()
    assert not project.consents.exclude(answer=ConsentRecord.Answer.AGREE).exists()


def test_whistles_at_each_level_with_who_reports(demo):
    Level = Whistle.Level
    solved = ResidentRequest.objects.filter(status=ResidentRequest.Status.CONFIRMED)
    by_level = {level: solved.filter(whistles__level=level).distinct() for level in Level.values}
    assert all(requests.count() >= 2 for requests in by_level.values()), by_level
    responders = WhistleResponder.objects.filter(reported_at__isnull=False)
    # The sub-district whistles, government departments report.
    departments = responders.filter(whistle__level=Level.SUBDISTRICT)
    assert (
        departments.exists()
        and not departments.exclude(department__endswith="局")
        .exclude(department__endswith="所")
        .exists()
    )
    # The committee's party branch whistles, party members report.
    members = responders.filter(whistle__level=Level.PARTY_BRANCH)
    assert members.exists() and not members.filter(resident__is_party_member=False).exists()
    assert not members.filter(resident=None).exists()
    # The alliance whistles, stationed units report; its 18 solved problems stand.
    alliance = responders.filter(whistle__level=Level.ALLIANCE)
    assert alliance.exists() and not alliance.filter(alliance_member=None).exists()
    assert by_level[Level.ALLIANCE].count() == story.ALLIANCE_SOLVED == 18
    titles = set(by_level[Level.ALLIANCE].values_list("title", flat=True))
    assert {"小区主干道坑洼积水", "楼间绿化太少，黄土裸露", "健身器材损坏多年无人修"} <= titles


def test_qingfeng_no_1_meets_over_a_hundred_times_a_year_since_2014(demo):
    body = Body.objects.get(name=story.QINGFENG_1_COMMITTEE)
    held = Meeting.objects.filter(body=body, status=Meeting.Status.HELD)
    per_year = {
        row["year"]: row["n"]
        for row in held.annotate(year=ExtractYear("starts_at", tzinfo=ZoneInfo("Asia/Shanghai")))
        .values("year")
        .annotate(n=Count("pk"))
        .order_by()
    }
    today = timezone.localdate()
    founded = story.QINGFENG_1_TERMS[0]
    assert min(per_year) == founded.year == 2014
    for year in range(2015, today.year):
        assert per_year[year] > 100, year
    # The year it was formed and this year so far, at the same rate.
    days_2014 = (datetime.date(2014, 12, 31) - founded).days
    assert per_year[2014] > 100 * days_2014 / 365
    assert per_year[today.year] > 100 * (today.timetuple().tm_yday - 31) / 365


def test_every_month_of_the_dashboards_year_has_requests_meetings_visits_and_hours(demo):
    staff = get_user_model().objects.get(username=story.STAFF)
    figures = {f.key: f for f in dashboard(staff, timezone.localdate())["figures"]}
    for key in ("requests", "meetings", "visits", "volunteers"):
        bars = figures[key].chart.bars
        assert len(bars) == 12
        assert all(bar.value > 0 for bar in bars), (key, [bar.value for bar in bars])


def test_bailajings_second_committee_has_7_members_4_of_them_party_members(demo):
    term = Term.objects.with_counts().get(body__name=story.BAILAJING_COMMITTEE, number=2)
    assert (term.n_members, term.n_party) == (7, 4)
    assert term.starts_on.year == 2017
    chair = term.members.get(role="chair")
    assert chair.resident.name == "赵湘黔" and chair.user.username == "zhaoxiangqian"
    others = term.members.filter(resident__is_party_member=False)
    assert others.filter(resident__is_volunteer=True).count() == 3


def test_bailajings_members_were_elected_chose_their_chair_and_filed_the_election(demo):
    term = Term.objects.get(body__name=story.BAILAJING_COMMITTEE, number=2)
    election = term.elections.get()
    assert election.seats == story.BAILAJING_SEATS
    assert term.members.filter(elected_in=election).count() == story.BAILAJING_SEATS
    choice = term.chair_choices.get()
    assert choice.chair.resident.name == story.ZHAO_XIANGQIAN
    assert choice.vice_chair.role == "vice_chair"
    filed_on, filed_with, _reference = story.BAILAJING_FILING
    assert (term.filing.filed_on, term.filing.filed_with) == (filed_on, filed_with)
    assert term.filing.filed_on <= term.filing.due_on == datetime.date(2017, 7, 24)


def test_the_demos_owners_committee_terms_last_five_years_at_most(demo):
    for term in Term.objects.filter(body__kind="owners", ends_on__isnull=False):
        term.full_clean()


def test_bailajing_began_with_the_start_up_grant_and_nearly_1000_visits(demo):
    grant = FundEntry.objects.get(category=FundEntry.Category.GRANT)
    assert (grant.amount, grant.date.year, grant.fund.compound.name) == (30000, 2013, "百腊井小区")
    campaign = VisitCampaign.objects.get(compound__name="百腊井小区", starts_on__year=2013)
    visits = Visit.objects.filter(campaign=campaign)
    assert 950 <= visits.count() < 1000
    assert (campaign.ends_on - campaign.starts_on).days <= 62


def test_the_alliance_counts_61_party_organisations_234_party_members_and_18_solved_problems(
    demo,
):
    community = Body.objects.get(name=story.NEIGHBOURHOOD_COMMITTEE).community
    alliance = AllianceMember.objects.filter(community=community)
    assert alliance.count() == 61
    assert alliance.aggregate(n=Sum("party_members"))["n"] == 234
    # Every member a party organisation: of a stationed unit, a department or an enterprise.
    Kind = AllianceMember.Kind
    kinds = dict(alliance.values_list("kind").annotate(n=Count("pk")).order_by())
    assert set(kinds) == {Kind.STATIONED_UNIT, Kind.DEPARTMENT, Kind.ENTERPRISE}
    names = alliance.values_list("name", flat=True)
    assert all(name.endswith(("党支部", "党总支", "党委")) for name in names)
    solved = ResidentRequest.objects.filter(
        whistles__level=Whistle.Level.ALLIANCE, status=ResidentRequest.Status.CONFIRMED
    ).distinct()
    assert solved.count() == 18


def test_158_party_members_serve_in_8_teams(demo):
    assert VolunteerTeam.objects.count() == 8
    party = Volunteer.objects.current().party_members()
    people = party.exclude(resident=None).values("resident").distinct().count()
    assert people + party.filter(resident=None).count() == 158


def test_wu_lihua_gets_her_answer_within_the_hour(demo):
    request = ResidentRequest.objects.get(raised_by__name="武莉华")
    assert request.accepted_at - request.received_at <= datetime.timedelta(hours=1)
    assert request.status == ResidentRequest.Status.CONFIRMED
    assert timezone.localdate(request.received_at) == datetime.date(2022, 11, 18)


def test_a_part_of_the_demo_loads_in_the_one_order():
    from jinzang.demo import bodies, funds, register

    assert loaders_for(funds, register, bodies) == [
        register.load_demo,
        bodies.load_demo,
        funds.load_demo,
    ]

"""Fuzzing: generated input posted to every form and htmx endpoint as the most privileged
user (a superuser) never ends in a 500, and input that is refused writes nothing.

`ENDPOINTS` maps every URL that accepts POST to the arguments of its URL and the names of
the fields its form posts; `test_every_post_endpoint_is_fuzzed` fails when a URL that
accepts POST is missing from it. Each endpoint's form is also read from its page (the
names, the options of its selects, the initial values), so that generated posts mix
valid values with hostile ones and reach past the first validation error. Every example
runs in a savepoint rolled back after it, so that writes do not pile up.

Besides the generated posts, each endpoint gets its form as the page fills it in, once
with each `next` of `NEXT` (in the query string and the form), then with the edges of what
a form reads: years 1 and 9999 in every date field, 2**63 (one past a 64-bit key) in every
field and query parameter that takes a key. These found a year-1 meeting overflowing on its
way to UTC, a key past 2**63 overflowing SQLite in a multiple choice, and `next=foo` failing
to reverse; random posts rarely get a whole form right, so they alone had not. A redirect
must stay on the site.
"""

import datetime
import html.parser
import uuid
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import Decimal
from types import SimpleNamespace
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from committees.bodies import services as committee_services
from committees.models import (
    AllianceMember,
    Election,
    ElectionFiling,
    Facility,
    Fund,
    Member,
    ResidentRequest,
    Volunteer,
    VolunteerTeam,
    Whistle,
)
from committees.requests import services as request_services
from meetings.models import GridWorker, Project, Purpose, VisitCampaign
from meetings.projects import consent
from residents.accounts.codes import code_grouped
from residents.accounts.letters import letters_print
from residents.models import AccessLetter, CareRecord, Household, PersonalDataReveal
from tests.committees.factories import open_vote as open_election_vote
from tests.committees.rows import close_on_a_tie
from tests.factories import (
    ElectionFactory,
    ResidentAccountFactory,
    ResidentFactory,
    UserFactory,
)
from tests.meetings.factories import (
    ActionFactory,
    AgendaItemFactory,
    AttendeeFactory,
    DecisionFactory,
    MeetingFactory,
    at,
)
from tests.notices.factories import NoticeFactory
from tests.projects.factories import ProjectFactory, announced, open_vote
from tests.requests.factories import RequestCategoryFactory
from tests.residents.letter_rows import letter_issued

# Generated posts per endpoint; the posts at the edges (below) come on top of them, five to
# eight each, so that the file takes the time it took with 15 generated posts.
EXAMPLES = 9

# Function views that accept POST (the resolver cannot tell from a class).
POST_FUNCTION_VIEWS = {"set_language"}

# Hostile strings: SQL, HTML and formula injection, malformed dates and numbers, control and
# right-to-left characters; very long text below.
NASTY = [
    "",
    " ",
    "0",
    "-1",
    "-0.01",
    "1e309",
    "NaN",
    "inf",
    "-Infinity",
    "99999999999999999999999999999999",
    "-99999999999999999999",
    "１２３",
    "2024-02-30",
    "9999-99-99",
    "0000-00-00",
    "2024-13-01T25:61",
    "1900-01-01",
    "31/12/2024",
    "'; DROP TABLE residents_resident;--",
    "1 OR 1=1",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "=cmd|' /C calc'!A0",
    "{{ 7|add:7 }}{% debug %}",
    "%s%s%n%x",
    "../../../../etc/passwd",
    "\x00",
    "a\x00b",
    "\r\n\t\x0b\x0c\x1b",
    "\u202etxt.exe",
    "\ufeff",
    "🏠👨‍👩‍👧",
    "null",
    "true",
]

# The edges of what a form reads: the first and last years Python's dates hold (year 1 in
# Asia/Shanghai is before year 1 in UTC), a year before and past the sane range, one past a
# 64-bit key and below it.
YEAR_1 = ("0001-01-01", "0001-01-01T00:00")
YEAR_9999 = ("9999-12-31", "9999-12-31T23:59")
EDGE_DATES = [
    *YEAR_1,
    *YEAR_9999,
    "0000-01-01",
    "1899-12-31",
    "2201-01-01T00:00",
    "12345-01-01",
    "2024-1-1T",
    "1-1-1",
]
KEY_PAST_RANGE = str(2**63)
EDGE_KEYS = [KEY_PAST_RANGE, str(-(2**63) - 1), str(2**64), "9" * 20, "0", "-1"]

# Where a form may be asked to go next: relative, another site, the admin, a script, a
# backslash that browsers read as a slash.
NEXT = ["foo", "//evil.example", "/admin/", "javascript:alert(1)", "/\\evil.example"]

text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40)
numbers = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
).map(str)
long_text = st.builds(lambda n, c: c * n, st.integers(1_000, 20_000), st.sampled_from("x长\n"))
hostile = st.one_of(
    st.sampled_from(NASTY), st.sampled_from(EDGE_DATES + EDGE_KEYS), text, numbers, long_text
)


def junk_file(data: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


files = st.builds(
    junk_file,
    st.one_of(
        st.binary(max_size=300),
        st.sampled_from([b"%PDF-1.4\n", b"\x89PNG\r\n\x1a\n", b"PK\x03\x04", b"a,b\n1,2\n"]),
    ),
    st.sampled_from(["x.pdf", "x.png", "x.jpg", "x.xlsx", "x.csv", "../../x.exe", "名.txt"]),
)

MISSING = object()


# The data set: the register and bodies of tests/conftest.py, and one of everything a form
# can act on.


@pytest.fixture
def world(register, bodies, staff_user, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SMS_BACKEND = "residents.accounts.sms.LocmemBackend"
    r, b = register, bodies
    election = committee_services.election_create(
        term=b.bailajing_term_2, seats=5, held_on=datetime.date(2017, 6, 24)
    )
    candidate = committee_services.candidate_add(
        election=election, resident=b.bailajing_members[0].resident
    )
    election = open_election_vote(election)
    # A drafted election (of the first term), its candidate named, its period set: the
    # steps before the vote.
    now = timezone.now()
    election_draft = committee_services.election_create(
        term=b.bailajing_term_1,
        seats=5,
        held_on=datetime.date(2013, 6, 20),
        text="在小区活动室设投票箱。",
        opens_at=now + datetime.timedelta(days=20),
        closes_at=now + datetime.timedelta(days=27),
    )
    committee_services.candidate_add(
        election=election_draft, resident=b.bailajing_members[1].resident
    )
    # Qianling's election closed on a tie (a run-off to hold); Qingfeng No.1's over, its
    # chair elected in it, its filing due.
    tie = ElectionFactory(term=b.qianling_term, held_on=datetime.date(2018, 4, 20))
    close_on_a_tie(tie, r.unit_b)
    over = ElectionFactory(
        term=b.qingfeng_1_term, held_on=datetime.date(2014, 4, 20), status=Election.Status.CLOSED
    )
    Member.objects.filter(pk=b.qingfeng_1_chair.pk).update(elected_in=over)
    filing = ElectionFiling.objects.create(
        term=b.qingfeng_1_term, due_on=datetime.date(2014, 5, 20)
    )
    meeting = MeetingFactory(
        body=b.qingfeng_1,
        title="铸铁管改造工作例会",
        starts_at=at(2022, 11, 18, 15, 0),
        created_by=staff_user,
    )
    attendee = AttendeeFactory(meeting=meeting, resident=r.resident_a1)
    item = AgendaItemFactory(meeting=meeting, order=1, title="铸铁管改造")
    # Owned by the superuser, so that "my actions" shows its form (with a `next`).
    decision = DecisionFactory(meeting=meeting, item=item, text="当天与施工方签订协议。")
    action = ActionFactory(
        meeting=meeting, item=item, description="修复墙面", owner_user=admin_user, owner_party=None
    )
    project = ProjectFactory(name="铸铁管改造", body=b.qingfeng_1, units=[r.unit_a1])
    # Owners' decisions at each step: drafted in full, announced and ready to open, open,
    # closed at its closing time.
    now = timezone.now()
    draft, ready, open_decision, closed_decision = (
        ProjectFactory(
            name=f"更换水泵{i}",
            body=b.qingfeng_1,
            units=[r.unit_a1],
            decision=True,
            text="更换水泵。",
            ballot="是否同意更换水泵？",
            opens_at=now + datetime.timedelta(days=16),
            closes_at=now + datetime.timedelta(days=30),
        )
        for i in range(4)
    )
    announced(ready)
    open_vote(open_decision)
    open_vote(closed_decision)
    Project.objects.filter(pk=closed_decision.pk).update(
        closes_at=now - datetime.timedelta(seconds=1)
    )
    consent.close_due(Project.objects.get(pk=closed_decision.pk))
    grid_worker = GridWorker.objects.create(
        project=project, user=UserFactory(username="gridworker"), added_by=staff_user
    )
    notice = NoticeFactory(body=b.neighbourhood, title="停水通知")
    category = RequestCategoryFactory(name="道路设施", response_hours=24, resolution_days=7)
    req = request_services.request_receive(
        community=r.community_a,
        category=category,
        title="楼道灯坏了",
        description="18栋2单元楼道灯不亮。",
        received_through=ResidentRequest.Channel.VISIT,
        recorded_by=staff_user,
        household=r.household_a1,
        raised_by=r.resident_a1,
        received_at=timezone.now() - datetime.timedelta(hours=2),
    )
    req = request_services.request_accept(request=req, by=staff_user)
    ally = AllianceMember.objects.create(community=r.community_a, name="驻区单位")
    whistle = request_services.whistle_blow(
        request=req, level=Whistle.Level.ALLIANCE, by=staff_user, alliance_members=[ally]
    )
    campaign = VisitCampaign.objects.create(
        community=r.community_a,
        compound=r.compound_a,
        title="入户征求意见",
        purpose=Purpose.OPINION,
        goal=20,
        starts_on=datetime.date(2024, 1, 1),
        created_by=staff_user,
    )
    care = CareRecord.objects.create(
        community=r.community_a,
        resident=r.resident_a1,
        household=r.household_a1,
        circumstance=CareRecord.Circumstance.ELDERLY_ALONE,
        visit_every_days=7,
        responsible=staff_user,
        started_on=datetime.date(2024, 1, 1),
    )
    team = VolunteerTeam.objects.create(
        community=r.community_a, name="志愿讲师队", kind=VolunteerTeam.Kind.LECTURERS
    )
    Volunteer.objects.create(team=team, resident=r.resident_a1, name=r.resident_a1.name)
    fund = Fund.objects.create(
        compound=b.bailajing_compound,
        name="工作经费",
        opening_balance=Decimal("100.00"),
        opened_on=datetime.date(2013, 6, 28),
    )
    facility = Facility.objects.create(
        compound=r.compound_a,
        courtyard=r.courtyard_a1,
        kind=Facility.Kind.FITNESS,
        name="健身区",
        location="一号院16栋北侧",
    )
    return SimpleNamespace(
        r=r,
        b=b,
        election=election,
        election_draft=election_draft,
        candidate=candidate,
        tie=tie,
        filing=filing,
        meeting=meeting,
        attendee=attendee,
        item=item,
        decision=decision,
        action=action,
        project=project,
        draft=draft,
        ready=ready,
        open_decision=open_decision,
        closed_decision=closed_decision,
        grid_worker=grid_worker,
        notice=notice,
        req=req,
        responder=whistle.responders.get(),
        campaign=campaign,
        care=care,
        team=team,
        fund=fund,
        facility=facility,
        erasable=ResidentFactory(name="待删除"),
        letter_code=code_grouped(
            letter_issued(resident=r.resident_a2, household=r.household_a2)[1]
        ),
        resident_user=ResidentAccountFactory(
            user=UserFactory(username="huayu_own"), resident=r.resident_a1
        ).user,
        letter=letters_print(
            households=Household.objects.filter(pk=r.household_a1.pk),
            by=staff_user,
            purpose=AccessLetter.Purpose.RESIDENT,
            paper="A4",
        )[0].letters.get(),
    )


# Every endpoint that accepts POST: its URL's arguments, the pages that show its form, and
# the names of the fields the form posts.


@dataclass(frozen=True)
class Endpoint:
    kwargs: object = lambda w: {}  # noqa: E731
    pages: object = None  # w -> [url, ...]; None: the endpoint's own URL
    query: object = lambda w: ""  # noqa: E731
    # A showing of personal data answers 200 and writes its log row: no other write.
    logs_showing: bool = False
    # A wrong code answers 200 and is counted toward the lockout (django-axes' rows).
    counts_failures: bool = False
    # Who posts (w -> user); None: the superuser. A resident's own pages take their account.
    user: object = None
    # A write that succeeds answers with a file to download (printed letters), not a
    # redirect.
    downloads: bool = False


def detail(name, attr):
    return lambda w: [reverse(name, args=[getattr(w, attr).pk])]


ENDPOINTS = {
    "login": Endpoint(),
    # Signing in with a letter, and with a code by SMS (on in the world below)
    "join": Endpoint(counts_failures=True),
    "join_code": Endpoint(lambda w: {"code": w.letter_code}, counts_failures=True),
    "login_sms": Endpoint(),
    "login_sms_code": Endpoint(),
    "logout": Endpoint(pages=lambda w: [reverse("home")]),
    "set_language": Endpoint(pages=lambda w: [reverse("home")]),
    # committees
    "committees:term_create": Endpoint(lambda w: {"pk": w.b.qingfeng_2.pk}),
    "committees:member_create": Endpoint(lambda w: {"pk": w.b.qingfeng_2_term.pk}),
    "committees:election_create": Endpoint(lambda w: {"pk": w.b.qingfeng_1_term.pk}),
    "committees:member_end": Endpoint(lambda w: {"pk": w.b.bailajing_members[3].pk}),
    "committees:ballot_record": Endpoint(
        lambda w: {"pk": w.election.pk}, detail("committees:election", "election")
    ),
    "committees:candidate_add": Endpoint(
        lambda w: {"pk": w.election_draft.pk}, detail("committees:election", "election_draft")
    ),
    "committees:election_announce": Endpoint(
        lambda w: {"pk": w.election_draft.pk}, detail("committees:election", "election_draft")
    ),
    "committees:election_vote_open": Endpoint(
        lambda w: {"pk": w.election_draft.pk}, detail("committees:election", "election_draft")
    ),
    "committees:election_close": Endpoint(
        lambda w: {"pk": w.election.pk}, detail("committees:election", "election")
    ),
    "committees:election_publish": Endpoint(
        lambda w: {"pk": w.tie.pk}, detail("committees:election", "tie")
    ),
    "committees:election_runoff": Endpoint(lambda w: {"pk": w.tie.pk}),
    "committees:chair_choose": Endpoint(lambda w: {"pk": w.b.qingfeng_1_term.pk}),
    "committees:filing_record": Endpoint(lambda w: {"pk": w.filing.pk}),
    # notices
    "notices:notice_create": Endpoint(),
    "notices:notice_edit": Endpoint(lambda w: {"pk": w.notice.pk}),
    "notices:notice_publish": Endpoint(
        lambda w: {"pk": w.notice.pk}, detail("notices:notice", "notice")
    ),
    "notices:notice_withdraw": Endpoint(
        lambda w: {"pk": w.notice.pk}, detail("notices:notice", "notice")
    ),
    # meetings
    "meetings:meeting_create": Endpoint(),
    "meetings:meeting_edit": Endpoint(lambda w: {"pk": w.meeting.pk}),
    "meetings:action_status": Endpoint(
        lambda w: {"pk": w.action.pk},
        lambda w: [
            reverse("meetings:actions_mine"),
            reverse("meetings:meeting_record", args=[w.meeting.pk]),
        ],
    ),
    "meetings:attendee_add": Endpoint(
        lambda w: {"pk": w.meeting.pk}, detail("meetings:meeting_record", "meeting")
    ),
    "meetings:attendee_remove": Endpoint(
        lambda w: {"pk": w.meeting.pk, "attendee_pk": w.attendee.pk},
        detail("meetings:meeting_record", "meeting"),
    ),
    "meetings:party_add": Endpoint(
        lambda w: {"pk": w.meeting.pk}, detail("meetings:meeting_record", "meeting")
    ),
    "meetings:item_add": Endpoint(
        lambda w: {"pk": w.meeting.pk}, detail("meetings:meeting_record", "meeting")
    ),
    "meetings:item_edit": Endpoint(lambda w: {"pk": w.meeting.pk, "item_pk": w.item.pk}),
    "meetings:item_delete": Endpoint(
        lambda w: {"pk": w.meeting.pk, "item_pk": w.item.pk},
        detail("meetings:meeting_record", "meeting"),
    ),
    "meetings:decision_add": Endpoint(
        lambda w: {"pk": w.meeting.pk}, detail("meetings:meeting_record", "meeting")
    ),
    "meetings:decision_delete": Endpoint(
        lambda w: {"pk": w.meeting.pk, "decision_pk": w.decision.pk},
        detail("meetings:meeting_record", "meeting"),
    ),
    "meetings:action_add": Endpoint(
        lambda w: {"pk": w.meeting.pk}, detail("meetings:meeting_record", "meeting")
    ),
    "meetings:action_delete": Endpoint(
        lambda w: {"pk": w.meeting.pk, "action_pk": w.action.pk},
        detail("meetings:meeting_record", "meeting"),
    ),
    # projects
    "projects:project_create": Endpoint(),
    "projects:project_edit": Endpoint(lambda w: {"pk": w.project.pk}),
    "projects:decision_announce": Endpoint(
        lambda w: {"pk": w.draft.pk}, detail("projects:project", "draft")
    ),
    "projects:vote_open": Endpoint(
        lambda w: {"pk": w.ready.pk}, detail("projects:project", "ready")
    ),
    "projects:vote_close": Endpoint(
        lambda w: {"pk": w.open_decision.pk}, detail("projects:project", "open_decision")
    ),
    "projects:result_publish": Endpoint(
        lambda w: {"pk": w.closed_decision.pk}, detail("projects:project", "closed_decision")
    ),
    "projects:grid_worker_add": Endpoint(
        lambda w: {"pk": w.project.pk}, detail("projects:project", "project")
    ),
    "projects:grid_worker_remove": Endpoint(
        lambda w: {"pk": w.project.pk, "worker_pk": w.grid_worker.pk},
        detail("projects:project", "project"),
    ),
    "projects:import": Endpoint(lambda w: {"pk": w.project.pk}),
    "projects:import_preview": Endpoint(lambda w: {"pk": w.project.pk, "token": "0" * 32}),
    "projects:record": Endpoint(
        lambda w: {"pk": w.project.pk, "household_pk": w.r.household_a1.pk}
    ),
    "projects:ballot": Endpoint(
        lambda w: {"pk": w.open_decision.pk}, user=lambda w: w.resident_user
    ),
    "projects:consent_form": Endpoint(
        lambda w: {"pk": w.project.pk, "household_pk": w.r.household_a1.pk}
    ),
    # requests
    "requests:receive": Endpoint(),
    "requests:accept": Endpoint(lambda w: {"pk": w.req.pk}, detail("requests:detail", "req")),
    "requests:start": Endpoint(lambda w: {"pk": w.req.pk}, detail("requests:detail", "req")),
    "requests:resolve": Endpoint(lambda w: {"pk": w.req.pk}, detail("requests:detail", "req")),
    "requests:confirm": Endpoint(lambda w: {"pk": w.req.pk}, detail("requests:detail", "req")),
    "requests:close": Endpoint(lambda w: {"pk": w.req.pk}, detail("requests:detail", "req")),
    "requests:whistle": Endpoint(lambda w: {"pk": w.req.pk}, detail("requests:detail", "req")),
    "requests:report": Endpoint(
        lambda w: {"pk": w.req.pk, "responder_pk": w.responder.pk},
        detail("requests:detail", "req"),
    ),
    "requests:photo_add": Endpoint(lambda w: {"pk": w.req.pk}, detail("requests:detail", "req")),
    "requests:mine_new": Endpoint(
        query=lambda w: f"?household={w.r.household_a1.pk}&correct=phone",
        user=lambda w: w.resident_user,
    ),
    # visits and care
    "visits:visit_create": Endpoint(query=lambda w: f"?household={w.r.household_a1.pk}"),
    "visits:campaign_create": Endpoint(),
    "visits:campaign_edit": Endpoint(lambda w: {"pk": w.campaign.pk}),
    "visits:care_create": Endpoint(query=lambda w: f"?resident={w.r.resident_a2.pk}"),
    "visits:care_edit": Endpoint(lambda w: {"pk": w.care.pk}),
    # volunteers, funds, facilities
    "volunteers:activity_add": Endpoint(lambda w: {"pk": w.team.pk}),
    "volunteers:volunteer_add": Endpoint(lambda w: {"pk": w.team.pk}),
    "funds:entry_add": Endpoint(lambda w: {"pk": w.fund.pk}),
    "facilities:inspect": Endpoint(
        lambda w: {"pk": w.facility.pk}, detail("facilities:detail", "facility")
    ),
    "facilities:report": Endpoint(
        lambda w: {"pk": w.facility.pk}, detail("facilities:detail", "facility")
    ),
    # the register, its imports and the erasure of personal data
    "residents:household_create": Endpoint(lambda w: {"unit_pk": w.r.unit_a1.pk}),
    "residents:household_edit": Endpoint(lambda w: {"household_pk": w.r.household_a1.pk}),
    "residents:resident_create": Endpoint(lambda w: {"household_pk": w.r.household_a1.pk}),
    "residents:resident_edit": Endpoint(lambda w: {"resident_pk": w.r.resident_a1.pk}),
    "residents:import": Endpoint(),
    "residents:import_preview": Endpoint(lambda w: {"token": "0" * 32}),
    "residents:resident_erase": Endpoint(lambda w: {"pk": w.erasable.pk}),
    "residents:resident_reveal": Endpoint(
        lambda w: {"pk": w.r.resident_a1.pk},
        lambda w: [reverse("residents:resident", args=[w.r.resident_a1.pk])],
        logs_showing=True,
    ),
    # access letters
    "residents:letters_compound": Endpoint(lambda w: {"pk": w.r.compound_a.pk}, downloads=True),
    "residents:letters_building": Endpoint(lambda w: {"pk": w.r.building_a1.pk}, downloads=True),
    "residents:letters_unit": Endpoint(lambda w: {"pk": w.r.unit_a1.pk}, downloads=True),
    "residents:letters_household": Endpoint(lambda w: {"pk": w.r.household_a1.pk}, downloads=True),
    "residents:letter_revoke": Endpoint(
        lambda w: {"pk": w.letter.pk},
        lambda w: [reverse("residents:letters_household", args=[w.r.household_a1.pk])],
    ),
    "residents:letters_revoke_household": Endpoint(
        lambda w: {"pk": w.r.household_a1.pk},
        lambda w: [reverse("residents:letters_household", args=[w.r.household_a1.pk])],
    ),
}


# The names of the fields each endpoint's form posts.
FIELDS = {
    "login": ("username", "password", "next"),
    "join": ("code",),
    "join_code": ("username", "password", "password_again", "phone"),
    "login_sms": ("phone",),
    "login_sms_code": ("sms_code",),
    "logout": ("next",),
    "set_language": ("next", "language"),
    "committees:term_create": ("number", "starts_on", "ends_on", "formed_by", "notes"),
    "committees:member_create": ("resident", "user", "role", "starts_on"),
    "committees:election_create": ("seats", "held_on", "text", "opens_at", "closes_at"),
    "committees:member_end": ("ends_on",),
    "committees:ballot_record": ("household", "voter", "choices"),
    "committees:candidate_add": ("resident",),
    "committees:election_announce": (),
    "committees:election_vote_open": (),
    "committees:election_close": ("reason",),
    "committees:election_publish": (),
    "committees:election_runoff": ("held_on", "opens_at", "closes_at"),
    "committees:chair_choose": ("chair", "vice_chair", "chosen_on"),
    "committees:filing_record": ("filed_on", "filed_with", "reference"),
    "notices:notice_create": (
        "body",
        "title",
        "text",
        "category",
        "for_whole_community",
        "compounds",
        "courtyards",
        "buildings",
        "expires_at",
        "pinned",
        "attachments",
    ),
    "notices:notice_edit": (
        "body",
        "title",
        "text",
        "category",
        "for_whole_community",
        "compounds",
        "courtyards",
        "buildings",
        "expires_at",
        "pinned",
        "attachments",
        "reason",
    ),
    "notices:notice_publish": ("publish_at",),
    "notices:notice_withdraw": ("reason",),
    "meetings:meeting_create": ("body", "kind", "title", "starts_at", "ends_at", "place", "status"),
    "meetings:meeting_edit": ("body", "kind", "title", "starts_at", "ends_at", "place", "status"),
    "meetings:action_status": ("status", "next"),
    "meetings:attendee_add": ("resident", "user"),
    "meetings:attendee_remove": (),
    "meetings:party_add": ("kind", "organisation", "name"),
    "meetings:item_add": ("title", "minutes"),
    "meetings:item_edit": ("title", "minutes"),
    "meetings:item_delete": (),
    "meetings:decision_add": ("text", "item"),
    "meetings:decision_delete": (),
    "meetings:action_add": ("description", "owner", "due_on", "item"),
    "meetings:action_delete": (),
    "projects:project_create": (
        "name",
        "description",
        "body",
        "consent_kind",
        "matter",
        "threshold",
        "status",
        "starts_on",
        "ends_on",
        "contractor",
        "text",
        "ballot",
        "opens_at",
        "closes_at",
        "units",
    ),
    "projects:project_edit": (
        "name",
        "description",
        "body",
        "consent_kind",
        "matter",
        "threshold",
        "status",
        "starts_on",
        "ends_on",
        "contractor",
        "text",
        "ballot",
        "opens_at",
        "closes_at",
        "units",
    ),
    "projects:decision_announce": (),
    "projects:vote_open": (),
    "projects:vote_close": ("reason",),
    "projects:result_publish": (),
    "projects:grid_worker_add": ("user",),
    "projects:grid_worker_remove": (),
    "projects:import": ("file",),
    "projects:import_preview": ("confirm",),
    "projects:record": ("version", "answer", "contribution", "conditions", "channel", "scan"),
    "projects:ballot": ("answer", "confirm"),
    "projects:consent_form": ("version", "answer", "contribution", "conditions", "channel", "scan"),
    "requests:receive": (
        "community",
        "category",
        "title",
        "description",
        "compound",
        "building",
        "door_number",
        "raised_by",
        "callback_phone",
        "shared_place",
        "received_through",
        "received_at",
        "handling_body",
    ),
    "requests:accept": ("version", "note", "handling_body"),
    "requests:start": ("version", "note"),
    "requests:resolve": ("version", "reply", "note"),
    "requests:confirm": ("version", "note"),
    "requests:close": ("version", "reason"),
    "requests:whistle": ("level", "alliance_members", "party_members", "departments", "note"),
    "requests:report": ("action",),
    "requests:photo_add": ("file", "caption"),
    "requests:mine_new": (
        "household",
        "category",
        "title",
        "description",
        "shared_place",
        "callback_phone",
        "public",
    ),
    "visits:visit_create": ("visited_on", "purpose", "notes", "campaign", "care_record"),
    "visits:campaign_create": (
        "title",
        "purpose",
        "goal",
        "starts_on",
        "ends_on",
        "compound",
        "courtyard",
        "project",
        "description",
    ),
    "visits:campaign_edit": (
        "title",
        "purpose",
        "goal",
        "starts_on",
        "ends_on",
        "compound",
        "courtyard",
        "project",
        "description",
    ),
    "visits:care_create": (
        "household",
        "circumstance",
        "needs",
        "visit_every_days",
        "responsible",
        "started_on",
        "ended_on",
        "end_reason",
    ),
    "visits:care_edit": (
        "household",
        "circumstance",
        "needs",
        "visit_every_days",
        "responsible",
        "started_on",
        "initial-started_on",
        "ended_on",
        "end_reason",
    ),
    "volunteers:activity_add": ("date", "place", "description", "compound", "hours_1"),
    "volunteers:volunteer_add": ("phone", "name", "is_party_member", "joined"),
    "funds:entry_add": ("kind", "category", "amount", "date", "description", "receipt"),
    "facilities:inspect": ("inspected_on", "condition", "notes"),
    "facilities:report": ("condition", "title", "description"),
    "residents:household_create": (
        "door_number",
        "area",
        "occupancy",
        "developer_unsold",
        "not_handed_over",
        "notes",
    ),
    "residents:household_edit": (
        "door_number",
        "area",
        "occupancy",
        "developer_unsold",
        "not_handed_over",
        "notes",
    ),
    "residents:resident_create": (
        "name",
        "relation",
        "gender",
        "birth_year",
        "phone",
        "id_number",
        "is_party_member",
        "is_volunteer",
        "care_notes",
    ),
    "residents:resident_edit": (
        "name",
        "gender",
        "birth_year",
        "phone",
        "clear_phone",
        "id_number",
        "clear_id_number",
        "is_party_member",
        "is_volunteer",
        "care_notes",
    ),
    "residents:import": ("file",),
    "residents:import_preview": ("confirm",),
    "residents:resident_erase": ("reason", "confirm"),
    "residents:resident_reveal": ("reason", "only"),
    "residents:letters_compound": ("purpose", "paper", "valid_days", "skip_bound"),
    "residents:letters_building": ("purpose", "paper", "valid_days", "skip_bound"),
    "residents:letters_unit": ("purpose", "paper", "valid_days", "skip_bound"),
    "residents:letters_household": ("purpose", "paper", "valid_days", "skip_bound"),
    "residents:letter_revoke": (),
    "residents:letters_revoke_household": (),
}


def post_url_names():
    """The names of the URLs whose view accepts POST (the admin's own forms aside)."""

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace != "admin":
                    yield from walk(pattern.url_patterns, pattern.namespace or namespace)
                continue
            assert isinstance(pattern, URLPattern)
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            view_class = getattr(pattern.callback, "view_class", None)
            if (
                view_class is not None
                and hasattr(view_class, "post")
                or pattern.name in POST_FUNCTION_VIEWS
            ):
                yield name

    return set(walk(get_resolver().url_patterns, None))


def test_every_post_endpoint_is_fuzzed():
    names = post_url_names()
    assert names - ENDPOINTS.keys() == set(), "POST endpoints missing from ENDPOINTS"
    assert ENDPOINTS.keys() - names == set(), "ENDPOINTS names no POST endpoint"
    assert FIELDS.keys() == ENDPOINTS.keys()


# Reading a form off its page.


@dataclass
class Field:
    """A field as a page shows it: its kind (an input's type, "select", "textarea"), every
    value the page offers, the values it fills in and whether it is required."""

    kind: str
    values: list = dataclass_field(default_factory=list)
    initial: list = dataclass_field(default_factory=list)
    required: bool = False


class FormReader(html.parser.HTMLParser):
    """The fields of the forms on a page, by the path each posts to: name -> Field."""

    def __init__(self, page_path):
        super().__init__()
        self.page_path = page_path
        self.forms: dict[str, dict[str, Field]] = {}
        self.current = None
        self.select = None

    def add(self, name, kind, value=None, *, initial=False, required=False):
        if self.current is None or not name:
            return
        field = self.current.setdefault(name, Field(kind))
        field.required = field.required or required
        if value is not None and value not in field.values:
            field.values.append(value)
        if initial and value is not None:
            field.initial.append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        required = "required" in a
        if tag == "form":
            target = a.get("hx-post") or a.get("action") or self.page_path
            self.current = self.forms.setdefault(urlsplit(target).path or self.page_path, {})
        elif tag == "input":
            kind = a.get("type", "text")
            if kind in ("submit", "button", "reset", "image"):
                self.add(a.get("name"), "submit", a.get("value", ""))
            elif kind == "file":
                self.add(a.get("name"), "file", required=required)
            elif kind in ("checkbox", "radio"):
                self.add(
                    a.get("name"),
                    kind,
                    a.get("value", "on"),
                    initial="checked" in a,
                    required=required,
                )
            else:
                value = a.get("value", "")
                self.add(a.get("name"), kind, value, initial=bool(value), required=required)
        elif tag == "select":
            self.select = a.get("name")
            self.add(self.select, "select", required=required)
        elif tag == "option" and self.select:
            self.add(self.select, "select", a.get("value", ""), initial="selected" in a)
        elif tag == "textarea":
            self.add(a.get("name"), "textarea", "", required=required)
        elif tag == "button" and a.get("name"):
            self.add(a.get("name"), "submit", a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None


def read_form(client, pages, url):
    fields = {}
    for page in pages:
        response = client.get(page)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        reader = FormReader(page)
        reader.feed(response.content.decode())
        for name, seen in reader.forms.get(url, {}).items():
            if name == "csrfmiddlewaretoken":
                continue
            field = fields.setdefault(name, Field(seen.kind))
            field.values.extend(seen.values)
            field.initial.extend(v for v in seen.initial if v not in field.initial)
            field.required = field.required or seen.required
    return fields


# Generated posts and the test.

FILE_FIELDS = {"file", "scan", "receipt", "attachments"}


def field_values(field):
    if field.kind == "file":
        return st.one_of(files, hostile)
    if field.values:
        one = st.one_of(st.sampled_from(field.values), st.sampled_from(field.values), hostile)
    else:
        one = hostile
    return st.one_of(one, st.lists(one, min_size=2, max_size=3))


def posts(fields):
    """A post of some of `fields` (name -> Field), each missing, a value of the page, a
    hostile one or a list of them."""
    return st.fixed_dictionaries(
        {}, optional={name: field_values(fields[name]) for name in sorted(fields)}
    )


def queries(query):
    """The endpoint's own query string, with or without a `next` of NEXT."""
    return st.one_of(st.just(query), st.sampled_from(NEXT).map(lambda n: with_next(query, n)))


def with_next(query, url):
    return "?" + urlencode([*parse_qsl(query.lstrip("?")), ("next", url)])


# The form as its page fills it in, and at the edges.


def filled(field):
    """What a browser sends for `field` as the page fills it in; a required field left empty
    gets a plausible value. None: nothing is sent."""
    if field.kind in ("file", "submit"):
        return field.values[0] if field.kind == "submit" and field.values else None
    if field.initial:
        return field.initial if field.kind == "checkbox" else field.initial[0]
    if field.kind == "select" and field.values:
        return field.values[0]  # a select without a selected option sends its first
    if not field.required:
        return None
    if field.kind in ("checkbox", "radio"):
        return next((v for v in field.values if v), None)
    now = timezone.localtime()
    return {
        "date": now.strftime("%Y-%m-%d"),
        "datetime-local": now.strftime("%Y-%m-%dT%H:%M"),
        "number": "1",
        "email": "zhao@example.cn",
        "tel": "13800000000",
    }.get(field.kind, "测试")


def is_key(field):
    return field.kind in ("select", "checkbox", "radio", "hidden") and any(
        v.isascii() and v.isdigit() for v in field.values
    )


def edge_posts(fields, query):
    """(query, data, what): the form as the page fills it in, once with each `next` of NEXT
    in the query and in the form, then with year 1 and year 9999 in every date field, and
    with one past a 64-bit key in every field and query parameter taking a key."""
    base = {name: value for name, f in fields.items() if (value := filled(f)) is not None}
    for url in NEXT:
        yield with_next(query, url), {**base, "next": url}, f"next={url}"
    dated = {name: f.kind for name, f in fields.items() if f.kind in ("date", "datetime-local")}
    for date, datetime_ in (YEAR_1, YEAR_9999):
        if dated:
            edge = {n: date if kind == "date" else datetime_ for n, kind in dated.items()}
            yield query, {**base, **edge}, f"dates {date}"
    keys = [name for name, f in fields.items() if is_key(f)]
    params = parse_qsl(query.lstrip("?"))
    if keys or any(v.isdigit() for _n, v in params):
        edge_query = urlencode([(n, KEY_PAST_RANGE if v.isdigit() else v) for n, v in params])
        yield (
            "?" + edge_query if edge_query else "",
            {**base, **dict.fromkeys(keys, KEY_PAST_RANGE)},
            f"keys {KEY_PAST_RANGE}",
        )


def row_counts():
    """The number of rows of every table, in one query."""
    tables = sorted(
        {
            model._meta.db_table
            for model in apps.get_models()
            if model._meta.managed and not model._meta.proxy
        }
    )
    quote = connection.ops.quote_name
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(tables, cursor.fetchone(), strict=True))


def failure(response):
    if getattr(response, "exc_info", None):
        import traceback

        return "".join(traceback.format_exception(*response.exc_info))
    return response.content[:2000]


def stays_on_site(url, location):
    """Whether a browser at `url` sent to `location` stays here: browsers drop leading
    spaces and control characters, tabs and newlines, and read a backslash as a slash."""
    location = location.lstrip("".join(map(chr, range(33))))
    location = location.translate({9: None, 10: None, 13: None}).replace("\\", "/")
    target = urlsplit(urljoin(f"http://testserver{url}", location))
    return target.scheme in ("http", "https") and target.netloc == "testserver"


AXES_TABLES = [model._meta.db_table for model in (AccessAttempt, AccessFailureLog)]


def check(
    client, url, data, htmx=False, logs_showing=False, counts_failures=False, downloads=False
):
    """Post; no 500, a redirect stays on the site, and a refusal writes nothing (but the
    log of a showing of full numbers, for an endpoint that shows them: `logs_showing`, and
    the count of failed attempts, for one that checks codes: `counts_failures`). For an
    endpoint that `downloads`, a file to download is a write that succeeded."""
    with transaction.atomic():
        before = row_counts()
        headers = {"HX-Request": "true"} if htmx else {}
        response = client.post(url, data, headers=headers)
        assert response.status_code < 500, failure(response)
        if response.status_code in (301, 302, 303):
            location = response["Location"]
            assert stays_on_site(url, location), f"redirected off the site: {location}"
        # Without htmx a write that succeeds redirects (or answers its file); anything else
        # is a refusal.
        downloaded = downloads and response.get("Content-Disposition", "").startswith("attachment")
        if not htmx and response.status_code != 302 and not downloaded:
            after = row_counts()
            if logs_showing:
                log = PersonalDataReveal._meta.db_table
                assert after.pop(log) - before.pop(log) in (0, 1), data
            if counts_failures:
                for table in AXES_TABLES:
                    after.pop(table), before.pop(table)
            assert after == before, (response.status_code, data)
        transaction.set_rollback(True)


@pytest.mark.parametrize("name", sorted(ENDPOINTS))
def test_generated_post_never_fails_and_refused_input_writes_nothing(name, world, admin_user):
    endpoint = ENDPOINTS[name]
    url = reverse(name, kwargs=endpoint.kwargs(world))
    query = endpoint.query(world)
    client = Client(raise_request_exception=False)
    client.force_login(endpoint.user(world) if endpoint.user else admin_user)
    fields = {n: Field("file" if n in FILE_FIELDS else "text") for n in FIELDS[name]}
    fields.update(
        read_form(client, endpoint.pages(world) if endpoint.pages else [url + query], url)
    )

    failures = []
    for edge_query, data, what in edge_posts(fields, query):
        try:
            check(
                client,
                url + edge_query,
                data,
                logs_showing=endpoint.logs_showing,
                counts_failures=endpoint.counts_failures,
                downloads=endpoint.downloads,
            )
        except AssertionError as error:
            failures.append(f"{name}, {what}: {str(error)[-1500:]}")
    assert not failures, "\n\n".join(failures)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )
    @given(data=posts(fields), query=queries(query), htmx=st.booleans())
    def post(data, query, htmx):
        check(
            client,
            url + query,
            data,
            htmx,
            logs_showing=endpoint.logs_showing,
            counts_failures=endpoint.counts_failures,
            downloads=endpoint.downloads,
        )

    post()


def test_a_key_beyond_the_integer_range_is_an_invalid_choice_not_a_server_error(world, admin_user):
    """Found by the fuzzing: a multiple choice of 2**70 overflowed SQLite's integers (a 500)."""
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    url = reverse("committees:ballot_record", args=[world.election.pk])
    response = client.post(url, {"choices": [str(2**70)]})
    assert response.status_code == 200
    assert "is not a valid value" in response.content.decode()


# Sends from a phone's offline queue (jinzang/offline.py): the same forms, with a key and
# the queue's header, answered in JSON whatever they hold.
QUEUED_ENDPOINTS = ("projects:record", "visits:visit_create")


@pytest.mark.parametrize("name", QUEUED_ENDPOINTS)
def test_a_generated_queued_send_never_fails_and_a_refused_one_writes_nothing(
    name, world, admin_user
):
    endpoint = ENDPOINTS[name]
    url = reverse(name, kwargs=endpoint.kwargs(world)) + endpoint.query(world)
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    fields = {n: Field("file" if n in FILE_FIELDS else "text") for n in FIELDS[name]}
    fields.update(read_form(client, [url], urlsplit(url).path))
    keys = [str(uuid.UUID(int=n)) for n in range(1, 4)]
    fields["offline_key"] = Field("hidden", values=[*keys, "not-a-key", ""])

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )
    @given(data=posts(fields))
    def post(data):
        with transaction.atomic():
            before = row_counts()
            response = client.post(url, data, headers={"X-Offline-Queue": "1"})
            assert response.status_code < 500, failure(response)
            assert response["Content-Type"] == "application/json", data
            if response.json()["status"] != "stored":
                assert row_counts() == before, (response.status_code, data)
            transaction.set_rollback(True)

    post()

"""The permission matrix: every named URL x every role, on real objects of compound A and B.

The URL names come from the URL configuration itself, so a new URL without an entry in
EXPECTED fails `test_every_named_url_has_an_entry`. Each entry says how to build the URL's
arguments from the data set (once with an object of compound A, once with one of compound
B for URLs that name an object) and what each role gets on a GET:

- anonymous: not logged in;
- no_role: logged in, no grant;
- member_a: chair of 庆丰一号院业主委员会 (courtyard A1 of compound A), whose seat grants
  access to that courtyard;
- staff: neighbourhood-committee staff of community A (compound A's community);
- admin: a superuser;
- resident: 李华玉's own account (the residents' door), owner of household A1. A
  resident holds no role: unless an entry says otherwise (`resident=`), the resident gets
  what no_role gets, so that every staff URL is checked for the sixth role too.

Outcomes: 200, LOGIN (302 to the login page), REDIRECT (302 elsewhere), 403, 404, 405 (a
POST-only view: the permission checks still run before the method is refused, so anonymous
is sent to log in and out-of-scope objects read as 404). Compound A's objects lie in
courtyard A1, compound B's in community B.

The data set is built once for the module inside a transaction that is rolled back at its
end; each test runs in a savepoint of its own, so a GET that writes changes nothing for
the next one.

Rights that seeing is not enough for are checked by a POST, in `RIGHTS`: recording a
household's answer, naming or removing a project's grid workers, holding a run-off of an
election, recording the chair its elected chose and the filing of the election. Two more roles join
there, both of whom see compound A's project: other_body, the chair of a compound-wide body
of compound A that does not sponsor it, and grid_worker, whom the sponsoring body named a
grid worker of compound A's project. A right granted shows as REDIRECT (the write is done,
the page redirects) and the database holds the write; any other outcome writes nothing.
"""

import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone, translation

from committees.funds import services as fund_services
from committees.models import (
    ChairChoice,
    Election,
    ElectionFiling,
    Facility,
    Fund,
    FundEntry,
    RequestPhoto,
    Volunteer,
    VolunteerTeam,
    Whistle,
    WhistleResponder,
)
from meetings.models import GridWorker, Project, Purpose, Visit, VisitCampaign
from meetings.projects import consent
from residents.accounts.codes import code_grouped
from residents.accounts.letters import letters_print
from residents.models import AccessLetter, CareRecord, Household
from tests import conftest
from tests.committees.rows import close_on_a_tie
from tests.factories import (
    AccessGrantFactory,
    BodyFactory,
    CandidateFactory,
    ElectionFactory,
    MemberFactory,
    ResidentAccountFactory,
    TermFactory,
    UserFactory,
    stored,
)
from tests.meetings.conftest import seat as take_seat
from tests.meetings.conftest import three_bodies
from tests.meetings.factories import (
    ActionFactory,
    AgendaItemFactory,
    AttendeeFactory,
    DecisionFactory,
    MeetingFactory,
)
from tests.notices.factories import NoticeAttachmentFactory, NoticeFactory, pdf_bytes, png_bytes
from tests.projects.factories import ConsentRecordFactory, ProjectFactory, open_vote
from tests.requests.factories import ResidentRequestFactory
from tests.residents.letter_rows import letter_issued

ROLES = ("anonymous", "no_role", "member_a", "staff", "admin")
RESIDENT = "resident"
LOGIN = "login"
REDIRECT = "redirect"

# Named URLs the matrix leaves out, and why.
SKIPPED_NAMESPACES = {
    "admin": "Django's admin checks is_staff itself and is tested in tests/*/test_admin.py",
}
SKIPPED_NAMES = {
    "set_language": "Django's i18n view: no object, no permission, POST only",
    "bench_bare": "exists only with BENCH=1, for benchmarks run by hand",
}


def named_urls(resolver=None, prefix=""):
    """Every URL name in the configuration, with its namespace (recursively)."""
    resolver = resolver or get_resolver()
    names = set()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = entry.namespace
            if namespace in SKIPPED_NAMESPACES:
                continue
            names |= named_urls(entry, f"{prefix}{namespace}:" if namespace else prefix)
        elif isinstance(entry, URLPattern) and entry.name and entry.name not in SKIPPED_NAMES:
            names.add(prefix + entry.name)
    return names


@dataclass(frozen=True)
class Spec:
    """How to build a URL's kwargs (`kwargs(side)` for side "a" or "b") and what each
    role gets: `a` (and `b` for object URLs) are outcomes in the order of ROLES."""

    a: tuple | None
    b: tuple | None = None
    kwargs: object = None
    query: object = None
    resident: tuple | None = None  # the resident's outcome on A (and B); else no_role's

    def variants(self):
        if self.kwargs is None and self.query is None:
            return {"-": self.a}
        return {"a": self.a, "b": self.b}

    def resident_outcome(self, variant):
        """What the sixth role, a resident's own account, gets."""
        if self.resident is None:
            return self.variants()[variant][ROLES.index("no_role")]
        return self.resident[0 if variant in ("-", "a") else 1]


def page(outcomes, resident=None):
    """A URL that names no object of a compound."""
    return Spec(a=outcomes, resident=None if resident is None else (resident,))


def obj(kwargs, a, b, resident=None):
    """A URL naming an object: `kwargs(side)` gives its arguments for compound A or B;
    `resident`, when given, the resident's outcomes on A's object and on B's."""
    return Spec(a=a, b=b, kwargs=kwargs, resident=resident)


# Outcome rows, in the order of ROLES.
OPEN = (200, 200, 200, 200, 200)  # anyone
REGISTER = (LOGIN, 403, 200, 200, 200)  # anyone with a role
OUT_OF_SCOPE = (LOGIN, 403, 404, 404, 200)  # compound B's objects to community A's people
POST_ONLY = (LOGIN, 403, 405, 405, 405)  # a GET on a POST-only view of an object in scope
POST_ONLY_OUT = (LOGIN, 403, 404, 404, 405)  # ... and of an object out of scope
STAFF_ONLY = (LOGIN, 403, 403, 200, 200)  # personal data: staff and admin only
STAFF_ONLY_OUT = (LOGIN, 403, 403, 404, 200)
STAFF_POST_ONLY = (LOGIN, 403, 403, 405, 405)  # a POST-only view of personal data
STAFF_POST_ONLY_OUT = (LOGIN, 403, 403, 404, 405)
GONE = (410, 410, 410, 410, 410)  # a used access letter, to anyone
NOT_THERE = (404, 404, 404, 404, 404)  # a page turned off by a setting
DOOR = (LOGIN, 403, 403, 403, 403)  # a resident's own page: only their account opens it
NOT_A_RESIDENT = (LOGIN, 403, 403, 403, 403)  # a resident's own page: nobody else's


def pk(attr):
    return lambda o: {"pk": getattr(o, attr).pk}


EXPECTED = {
    # Top level
    "home": page(REGISTER, resident=REDIRECT),
    "dashboard": page(REGISTER),
    "login": page((200, REDIRECT, REDIRECT, REDIRECT, REDIRECT)),
    "logout": page((405, 405, 405, 405, 405)),
    # Recording with no signal: the service worker and its offline page, the same for all.
    "service_worker": page(OPEN),
    "offline": page(OPEN),
    # Signing in with a letter: open to anyone, signed in or not (a note says that going
    # on signs in to another account); a used letter's page answers 410 Gone. Codes by SMS
    # are off unless SMS_BACKEND is set: not there.
    "join": page(OPEN),
    "join_code": obj(lambda o: {"code": o.letter_code}, OPEN, GONE),
    "login_sms": page(NOT_THERE),
    "login_sms_code": page(NOT_THERE),
    # the residents' door
    "door:home": page(DOOR, resident=200),
    "door:record": page(DOOR, resident=200),
    # residents
    "residents:compound": obj(pk("compound"), REGISTER, OUT_OF_SCOPE),
    "residents:building": obj(pk("building"), REGISTER, OUT_OF_SCOPE),
    "residents:unit": obj(pk("unit"), REGISTER, OUT_OF_SCOPE),
    "residents:household_create": obj(lambda o: {"unit_pk": o.unit.pk}, REGISTER, OUT_OF_SCOPE),
    "residents:household": obj(pk("household"), REGISTER, OUT_OF_SCOPE),
    "residents:household_history": obj(pk("household"), STAFF_ONLY, STAFF_ONLY_OUT),
    "residents:household_edit": obj(
        lambda o: {"household_pk": o.household.pk}, REGISTER, OUT_OF_SCOPE
    ),
    "residents:resident_create": obj(
        lambda o: {"household_pk": o.household.pk}, REGISTER, OUT_OF_SCOPE
    ),
    "residents:import": page(REGISTER),
    "residents:import_template": page(REGISTER),
    "residents:import_preview": page((LOGIN, 403, 404, 404, 404)),
    "residents:export": page(REGISTER),
    "residents:resident_list": page(REGISTER),
    "residents:resident": obj(pk("resident"), REGISTER, OUT_OF_SCOPE),
    "residents:resident_history": obj(pk("resident"), STAFF_ONLY, STAFF_ONLY_OUT),
    "residents:resident_edit": obj(
        lambda o: {"resident_pk": o.resident.pk}, REGISTER, OUT_OF_SCOPE
    ),
    "residents:resident_export": obj(pk("resident"), STAFF_ONLY, STAFF_ONLY_OUT),
    "residents:resident_reveal": obj(pk("resident"), STAFF_POST_ONLY, STAFF_POST_ONLY_OUT),
    "residents:resident_erase": obj(pk("resident"), STAFF_ONLY, STAFF_ONLY_OUT),
    # access letters: the community's staff print and revoke them
    "residents:letters_compound": obj(pk("compound"), STAFF_ONLY, STAFF_ONLY_OUT),
    "residents:letters_building": obj(pk("building"), STAFF_ONLY, STAFF_ONLY_OUT),
    "residents:letters_unit": obj(pk("unit"), STAFF_ONLY, STAFF_ONLY_OUT),
    "residents:letters_household": obj(pk("household"), STAFF_ONLY, STAFF_ONLY_OUT),
    "residents:letters_revoke_household": obj(
        pk("household"), STAFF_POST_ONLY, STAFF_POST_ONLY_OUT
    ),
    "residents:letter_revoke": obj(pk("letter"), STAFF_POST_ONLY, STAFF_POST_ONLY_OUT),
    # committees
    "committees:body_list": page(REGISTER),
    "committees:body": obj(pk("body"), REGISTER, OUT_OF_SCOPE),
    "committees:term_create": obj(pk("body"), REGISTER, OUT_OF_SCOPE),
    "committees:member_create": obj(pk("term"), REGISTER, OUT_OF_SCOPE),
    "committees:election_create": obj(pk("term"), REGISTER, OUT_OF_SCOPE),
    "committees:member_end": obj(pk("seat"), REGISTER, OUT_OF_SCOPE),
    "committees:election": obj(pk("election"), REGISTER, OUT_OF_SCOPE),
    "committees:ballot_record": obj(pk("election"), POST_ONLY, POST_ONLY_OUT),
    "committees:candidate_add": obj(pk("election"), POST_ONLY, POST_ONLY_OUT),
    "committees:election_close": obj(pk("election"), POST_ONLY, POST_ONLY_OUT),
    "committees:election_announce": obj(pk("election"), POST_ONLY, POST_ONLY_OUT),
    "committees:election_vote_open": obj(pk("election"), POST_ONLY, POST_ONLY_OUT),
    "committees:election_publish": obj(pk("election"), POST_ONLY, POST_ONLY_OUT),
    "committees:election_runoff": obj(pk("election"), REGISTER, OUT_OF_SCOPE),
    "committees:chair_choose": obj(pk("term"), REGISTER, OUT_OF_SCOPE),
    "committees:filing_record": obj(pk("filing"), REGISTER, OUT_OF_SCOPE),
    # meetings
    "meetings:meeting_list": page(REGISTER),
    "meetings:calendar": page(REGISTER),
    "meetings:meeting_create": page(REGISTER),
    "meetings:actions_mine": page(REGISTER),
    "meetings:actions_overdue": page(REGISTER),
    "meetings:action_status": obj(pk("action"), POST_ONLY, POST_ONLY),
    "meetings:meeting": obj(pk("meeting"), REGISTER, OUT_OF_SCOPE),
    "meetings:attendance": obj(
        lambda o: {"pk": o.meeting.pk, "fmt": "csv"}, REGISTER, OUT_OF_SCOPE
    ),
    "meetings:meeting_print": obj(pk("meeting"), REGISTER, OUT_OF_SCOPE),
    "meetings:meeting_edit": obj(pk("meeting"), REGISTER, OUT_OF_SCOPE),
    "meetings:meeting_record": obj(pk("meeting"), REGISTER, OUT_OF_SCOPE),
    "meetings:attendee_search": obj(pk("meeting"), REGISTER, OUT_OF_SCOPE),
    "meetings:attendee_add": obj(pk("meeting"), POST_ONLY, POST_ONLY_OUT),
    "meetings:attendee_remove": obj(
        lambda o: {"pk": o.meeting.pk, "attendee_pk": o.attendee.pk},
        POST_ONLY,
        POST_ONLY_OUT,
    ),
    "meetings:party_add": obj(pk("meeting"), POST_ONLY, POST_ONLY_OUT),
    "meetings:item_add": obj(pk("meeting"), POST_ONLY, POST_ONLY_OUT),
    "meetings:item_edit": obj(
        lambda o: {"pk": o.meeting.pk, "item_pk": o.item.pk}, REGISTER, OUT_OF_SCOPE
    ),
    "meetings:item_delete": obj(
        lambda o: {"pk": o.meeting.pk, "item_pk": o.item.pk}, POST_ONLY, POST_ONLY_OUT
    ),
    "meetings:decision_add": obj(pk("meeting"), POST_ONLY, POST_ONLY_OUT),
    "meetings:decision_delete": obj(
        lambda o: {"pk": o.meeting.pk, "decision_pk": o.decision.pk}, POST_ONLY, POST_ONLY_OUT
    ),
    "meetings:action_add": obj(pk("meeting"), POST_ONLY, POST_ONLY_OUT),
    "meetings:action_delete": obj(
        lambda o: {"pk": o.meeting.pk, "action_pk": o.action.pk}, POST_ONLY, POST_ONLY_OUT
    ),
    # projects
    "projects:project_list": page(REGISTER),
    "projects:project_create": page(REGISTER),
    "projects:project": obj(pk("project"), REGISTER, OUT_OF_SCOPE),
    "projects:project_edit": obj(pk("project"), REGISTER, OUT_OF_SCOPE),
    "projects:decision_announce": obj(pk("project"), POST_ONLY, POST_ONLY_OUT),
    "projects:vote_open": obj(pk("project"), POST_ONLY, POST_ONLY_OUT),
    "projects:vote_close": obj(pk("project"), POST_ONLY, POST_ONLY_OUT),
    "projects:result_publish": obj(pk("project"), POST_ONLY, POST_ONLY_OUT),
    "projects:grid_worker_add": obj(pk("project"), POST_ONLY, POST_ONLY_OUT),
    "projects:grid_worker_remove": obj(
        lambda o: {"pk": o.project.pk, "worker_pk": o.grid_worker.pk}, POST_ONLY, POST_ONLY_OUT
    ),
    "projects:summary": obj(pk("project"), OPEN, OPEN),
    # An owner's own ballot: a resident's account only, in a decision whose roll lists them
    # (李华玉 owns household A1, on the roll of A's open decision; B's is out of reach).
    "projects:ballots": page(NOT_A_RESIDENT, resident=200),
    "projects:ballot": obj(
        pk("open_decision"), NOT_A_RESIDENT, NOT_A_RESIDENT, resident=(200, 404)
    ),
    "projects:ballot_receipt": obj(
        pk("open_decision"), NOT_A_RESIDENT, NOT_A_RESIDENT, resident=(200, 404)
    ),
    "projects:export": obj(lambda o: {"pk": o.project.pk, "fmt": "csv"}, REGISTER, OUT_OF_SCOPE),
    "projects:import": obj(pk("project"), REGISTER, OUT_OF_SCOPE),
    "projects:import_template": obj(
        lambda o: {"pk": o.project.pk, "fmt": "csv"}, REGISTER, OUT_OF_SCOPE
    ),
    "projects:import_preview": obj(
        lambda o: {"pk": o.project.pk, "token": "unknown"},
        (LOGIN, 403, 404, 404, 404),
        (LOGIN, 403, 404, 404, 404),
    ),
    "projects:grid": obj(
        lambda o: {"pk": o.project.pk, "building_pk": o.building.pk}, REGISTER, OUT_OF_SCOPE
    ),
    "projects:record": obj(
        lambda o: {"pk": o.project.pk, "household_pk": o.household.pk}, REGISTER, OUT_OF_SCOPE
    ),
    "projects:scan": obj(
        lambda o: {"pk": o.project.pk, "household_pk": o.household.pk}, REGISTER, OUT_OF_SCOPE
    ),
    "projects:consent_form": obj(
        lambda o: {"pk": o.project.pk, "household_pk": o.household.pk}, REGISTER, OUT_OF_SCOPE
    ),
    # notices
    "notices:notice_list": page(OPEN),
    "notices:mine": page(DOOR, resident=200),
    "notices:feed": obj(lambda o: {"compound_pk": o.compound.pk}, OPEN, OPEN),
    "notices:manage_list": page(REGISTER),
    "notices:notice_create": page(REGISTER),
    "notices:notice": obj(pk("notice"), OPEN, OPEN),
    "notices:notice_print": obj(pk("notice"), OPEN, OPEN),
    "notices:notice_edit": obj(pk("notice"), REGISTER, OUT_OF_SCOPE),
    "notices:notice_publish": obj(pk("notice"), POST_ONLY, POST_ONLY_OUT),
    "notices:notice_withdraw": obj(pk("notice"), POST_ONLY, POST_ONLY_OUT),
    "notices:attachment": obj(
        lambda o: {"pk": o.notice.pk, "attachment_pk": o.attachment.pk}, OPEN, OPEN
    ),
    # requests
    "requests:list": page(REGISTER),
    "requests:receive": page(REGISTER),
    "requests:summary": page(REGISTER),
    "requests:resolved": page(OPEN),
    "requests:mine": page(DOOR, resident=200),
    "requests:mine_new": page(DOOR, resident=200),
    # A's request was raised by the resident (李华玉), B's by B's resident.
    "requests:mine_detail": obj(pk("request"), DOOR, DOOR, resident=(200, 404)),
    "requests:alliance": page(REGISTER),
    "requests:detail": obj(pk("request"), REGISTER, OUT_OF_SCOPE),
    "requests:accept": obj(pk("request"), REGISTER, OUT_OF_SCOPE),
    "requests:start": obj(pk("request"), REGISTER, OUT_OF_SCOPE),
    "requests:resolve": obj(pk("request"), REGISTER, OUT_OF_SCOPE),
    "requests:confirm": obj(pk("request"), REGISTER, OUT_OF_SCOPE),
    "requests:close": obj(pk("request"), REGISTER, OUT_OF_SCOPE),
    "requests:history": obj(pk("request"), STAFF_ONLY, STAFF_ONLY_OUT),
    "requests:whistle": obj(pk("request"), REGISTER, OUT_OF_SCOPE),
    "requests:report": obj(
        lambda o: {"pk": o.request.pk, "responder_pk": o.responder.pk}, REGISTER, OUT_OF_SCOPE
    ),
    "requests:photo_add": obj(pk("request"), REGISTER, OUT_OF_SCOPE),
    "requests:photo": obj(
        lambda o: {"pk": o.request.pk, "photo_pk": o.photo.pk}, REGISTER, OUT_OF_SCOPE
    ),
    # visits
    "visits:visit_list": page(REGISTER),
    "visits:visit_create": Spec(
        a=REGISTER, b=OUT_OF_SCOPE, query=lambda o: {"household": o.household.pk}
    ),
    "visits:visit": obj(pk("visit"), (LOGIN, 403, 404, 200, 200), OUT_OF_SCOPE),
    "visits:campaign_list": page(REGISTER),
    "visits:campaign_create": page(REGISTER),
    "visits:campaign": obj(pk("campaign"), REGISTER, OUT_OF_SCOPE),
    "visits:campaign_edit": obj(pk("campaign"), REGISTER, OUT_OF_SCOPE),
    "visits:care_list": page(STAFF_ONLY),
    "visits:care_create": Spec(
        a=STAFF_ONLY,
        b=STAFF_ONLY_OUT,
        query=lambda o: {"resident": o.resident.pk},
    ),
    "visits:care": obj(pk("care"), STAFF_ONLY, STAFF_ONLY_OUT),
    "visits:care_edit": obj(pk("care"), STAFF_ONLY, STAFF_ONLY_OUT),
    # volunteers
    "volunteers:list": page(REGISTER),
    "volunteers:tally": page(REGISTER),
    "volunteers:team": obj(pk("team"), REGISTER, OUT_OF_SCOPE),
    "volunteers:activity_add": obj(pk("team"), STAFF_ONLY, OUT_OF_SCOPE),
    "volunteers:volunteer_add": obj(pk("team"), STAFF_ONLY, OUT_OF_SCOPE),
    "volunteers:person": obj(pk("volunteer"), REGISTER, OUT_OF_SCOPE),
    # funds
    "funds:list": page(REGISTER),
    "funds:public": obj(pk("fund"), OPEN, OPEN),
    "funds:detail": obj(pk("fund"), REGISTER, OUT_OF_SCOPE),
    "funds:entry_add": obj(pk("fund"), REGISTER, OUT_OF_SCOPE),
    "funds:receipt": obj(
        lambda o: {"pk": o.fund.pk, "entry_pk": o.entry.pk}, REGISTER, OUT_OF_SCOPE
    ),
    # facilities
    "facilities:list": page(REGISTER),
    "facilities:detail": obj(pk("facility"), REGISTER, OUT_OF_SCOPE),
    "facilities:inspect": obj(pk("facility"), REGISTER, OUT_OF_SCOPE),
    "facilities:report": obj(pk("facility"), REGISTER, OUT_OF_SCOPE),
}


# The data set


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=media,
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def build_world():
    r = conftest.register.__wrapped__(None)
    staff = conftest.staff_user.__wrapped__(r)
    admin = conftest.admin_user.__wrapped__(None)
    no_role = conftest.outsider.__wrapped__(None)
    bodies = three_bodies(r)
    member = bodies.qingfeng_1_user
    today = timezone.localdate()
    now = timezone.now()
    sides = {}
    for side, body, compound, courtyard, building, unit, household, resident in (
        (
            "a",
            bodies.qingfeng_1,
            r.compound_a,
            r.courtyard_a1,
            r.building_a1,
            r.unit_a1,
            r.household_a1,
            r.resident_a1,
        ),
        (
            "b",
            bodies.qianling,
            r.compound_b,
            None,
            r.building_b,
            r.unit_b,
            r.household_b,
            r.resident_b,
        ),
    ):
        community = compound.community
        term = body.terms.first() or TermFactory(body=body, starts_on=datetime.date(2018, 5, 1))
        seat = MemberFactory(term=term, starts_on=term.starts_on, name=f"委员{side}")
        election = ElectionFactory(term=term, held_on=today)
        filing = ElectionFiling.objects.create(term=term, due_on=today)
        meeting = MeetingFactory(body=body)
        attendee = AttendeeFactory(meeting=meeting, resident=resident)
        item = AgendaItemFactory(meeting=meeting)
        decision = DecisionFactory(meeting=meeting, item=item)
        action = ActionFactory(meeting=meeting)
        project = ProjectFactory(body=body, units=[unit])
        # An owners' decision at each step a manager takes next: drafted in full (to
        # announce), open (to close early), closed at its closing time (to publish).
        draft, open_decision, closed_decision = (
            ProjectFactory(
                body=body,
                units=[unit],
                decision=True,
                text="更换水泵。",
                ballot="是否同意更换水泵？",
                opens_at=now + datetime.timedelta(days=16),
                closes_at=now + datetime.timedelta(days=30),
            )
            for _ in range(3)
        )
        open_vote(open_decision)
        open_vote(closed_decision)
        Project.objects.filter(pk=closed_decision.pk).update(
            closes_at=now - datetime.timedelta(seconds=1)
        )
        consent.close_due(stored(closed_decision))
        record = ConsentRecordFactory(
            project=project, household=household, scan=ContentFile(png_bytes(), name="scan.png")
        )
        # Two committee members of the project's place without a seat on its body: one
        # named a grid worker, one who may be.
        named, candidate = (
            AccessGrantFactory(
                user=UserFactory(username=f"{role}_{side}"), compound=compound, courtyard=courtyard
            ).user
            for role in ("named", "candidate")
        )
        grid_worker = GridWorker.objects.create(project=project, user=named, added_by=member)
        notice = NoticeFactory(body=body)
        attachment = NoticeAttachmentFactory(notice=notice)
        request = ResidentRequestFactory(
            compound=compound, building=building, household=household, raised_by=resident
        )
        photo = RequestPhoto.objects.create(
            request=request, file=ContentFile(png_bytes(), name="photo.png")
        )
        whistle = Whistle.objects.create(request=request, level=Whistle.Level.SUBDISTRICT)
        responder = WhistleResponder.objects.create(whistle=whistle, department="住建局")
        care = CareRecord.objects.create(
            community=community,
            resident=resident,
            household=household,
            circumstance=CareRecord.Circumstance.ELDERLY_ALONE,
            visit_every_days=7,
            started_on=today - datetime.timedelta(days=100),
        )
        visit = Visit.objects.create(
            household=household, visited_on=today, purpose=Purpose.CARE, care_record=care
        )
        campaign = VisitCampaign.objects.create(
            community=community,
            compound=compound,
            courtyard=courtyard,
            title=f"入户征求意见{side}",
            purpose=Purpose.OPINION,
            goal=20,
            starts_on=today - datetime.timedelta(days=10),
            ends_on=today + datetime.timedelta(days=20),
        )
        team = VolunteerTeam.objects.create(community=community, name=f"巡逻队{side}")
        volunteer = Volunteer.objects.create(team=team, resident=resident, name=resident.name)
        fund = Fund.objects.create(compound=compound, courtyard=courtyard, name=f"维修金{side}")
        entry = fund_services.fund_entry_add(
            fund=fund,
            kind=FundEntry.Kind.EXPENSE,
            category=FundEntry.Category.REPAIRS,
            amount=Decimal("600.00"),
            date=today,
            description="换灯",
            receipt=ContentFile(pdf_bytes(), name="receipt.pdf"),
        )
        facility = Facility.objects.create(
            compound=compound, courtyard=courtyard, kind=Facility.Kind.FITNESS, name="健身区"
        )
        # A printed letter (to revoke); then a letter written straight to the database
        # (printing again would revoke the first): A's may still be bound, B's was used.
        printing, _pdf = letters_print(
            households=Household.objects.filter(pk=household.pk),
            by=admin,
            purpose=AccessLetter.Purpose.RESIDENT,
            paper="A5",
        )
        _letter, code = letter_issued(
            resident=resident, household=household, state="usable" if side == "a" else "used"
        )
        sides[side] = SimpleNamespace(
            letter_code=code_grouped(code),
            compound=compound,
            building=building,
            unit=unit,
            household=household,
            resident=resident,
            body=body,
            term=term,
            seat=seat,
            election=election,
            filing=filing,
            meeting=meeting,
            attendee=attendee,
            item=item,
            decision=decision,
            action=action,
            project=project,
            draft=draft,
            open_decision=open_decision,
            closed_decision=closed_decision,
            record=record,
            grid_worker=grid_worker,
            candidate=candidate,
            notice=notice,
            attachment=attachment,
            request=request,
            photo=photo,
            responder=responder,
            visit=visit,
            campaign=campaign,
            care=care,
            team=team,
            volunteer=volunteer,
            fund=fund,
            entry=entry,
            facility=facility,
            letter=printing.letters.get(),
        )
    other_body = UserFactory(username="other_body")
    take_seat(
        BodyFactory(compound=r.compound_a, name="庆丰小区业主大会筹备组"), other_body, name="钱军"
    )
    grid_worker = UserFactory(username="grid_worker")
    AccessGrantFactory(user=grid_worker, compound=r.compound_a, courtyard=r.courtyard_a1)
    a = sides["a"]
    for project in (a.project, a.draft, a.open_decision, a.closed_decision):
        GridWorker.objects.create(project=project, user=grid_worker, added_by=member)
    resident = UserFactory(username="own_account_a1")
    ResidentAccountFactory(user=resident, resident=r.resident_a1)
    users = {
        "no_role": no_role,
        "member_a": member,
        "staff": staff,
        "admin": admin,
        "other_body": other_body,
        "grid_worker": grid_worker,
        RESIDENT: resident,
    }
    clients = {"anonymous": Client()}
    for role, user in users.items():
        clients[role] = Client()
        clients[role].force_login(user)
    return SimpleNamespace(clients=clients, users=users, **sides)


# Arguments of URLs that name no object of a compound.
URL_KWARGS = {
    "residents:import_template": {"fmt": "csv"},
    "residents:import_preview": {"token": "unknown"},
    "residents:export": {"fmt": "csv"},
}


def outcome(response):
    if response.status_code == 302:
        return LOGIN if response["Location"].startswith(reverse("login")) else REDIRECT
    return response.status_code


def cells():
    for name, spec in sorted(EXPECTED.items()):
        for variant, outcomes in spec.variants().items():
            for role, expected in zip(ROLES, outcomes, strict=True):
                yield pytest.param(name, variant, role, expected, id=f"{name}-{variant}-{role}")
            expected = spec.resident_outcome(variant)
            yield pytest.param(name, variant, RESIDENT, expected, id=f"{name}-{variant}-{RESIDENT}")


def test_every_named_url_has_an_entry():
    missing = named_urls() - EXPECTED.keys()
    stale = EXPECTED.keys() - named_urls()
    assert not missing, (
        f"Add an entry to EXPECTED in {__file__} for each new URL name, saying what every "
        f"role gets on a GET: {sorted(missing)}"
    )
    assert not stale, f"EXPECTED names URLs that no longer exist: {sorted(stale)}"


@pytest.mark.parametrize(("name", "variant", "role", "expected"), list(cells()))
def test_role_gets_the_expected_outcome(world, db, name, variant, role, expected):
    spec = EXPECTED[name]
    side = getattr(world, variant, None)
    url = reverse(name, kwargs=spec.kwargs(side) if spec.kwargs else URL_KWARGS.get(name, {}))
    with translation.override("en"):
        response = world.clients[role].get(url, spec.query(side) if spec.query else None)
    assert outcome(response) == expected, f"GET {url} as {role}"


# Rights that need more than seeing: a POST as each role, on compound A's project and on
# compound B's. A REDIRECT is the right granted; the database must then hold the write.

RIGHT_ROLES = (*ROLES, "other_body", "grid_worker")


@dataclass(frozen=True)
class Right:
    """How to POST it (`url(side)`, `data(side)`), whether the database holds it
    (`done(side, user)`), and what each role of RIGHT_ROLES gets on A's and B's project
    (or body). `setup(side)` makes what the right needs first (in the test's savepoint)."""

    url: object
    data: object
    done: object
    a: tuple
    b: tuple
    setup: object = None
    headers: dict | None = None
    granted: object = REDIRECT  # the outcome of the right granted


def _recorded(side, user):
    record = stored(side.record)
    return (record.answer, record.recorded_by) == ("decline", user)


def _tie(side):
    close_on_a_tie(side.election, side.unit)


def _over(side):
    """The side's election closed (nobody took part: no tie, nothing to run off) and its
    seat marked as elected in it."""
    Election.objects.filter(pk=side.election.pk).update(status=Election.Status.CLOSED)
    type(side.seat).objects.filter(pk=side.seat.pk).update(elected_in=side.election)


def _period(days):
    """A week of voting from `days` days from now, as a form posts it."""
    opens = timezone.localtime() + datetime.timedelta(days=days)
    closes = opens + datetime.timedelta(days=7)
    return {"opens_at": f"{opens:%Y-%m-%dT%H:%M}", "closes_at": f"{closes:%Y-%m-%dT%H:%M}"}


def _election_at(side, **fields):
    """The side's election put at a step (its vote open, as the factory makes it, unless
    `fields` say otherwise), with a candidate and the text put to the owners."""
    CandidateFactory(election=side.election)
    Election.objects.filter(pk=side.election.pk).update(
        text="在活动室设投票箱。", ballot="至多选五人。", **fields
    )


def _election_draft(side):
    now = timezone.now()
    _election_at(
        side,
        vote_opened_at=None,
        opens_at=now + datetime.timedelta(days=20),
        closes_at=now + datetime.timedelta(days=27),
    )


def _election_announced(side):
    now = timezone.now()
    _election_at(
        side,
        vote_opened_at=None,
        announced_at=now - datetime.timedelta(days=16),
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=7),
    )


def _election_open(side):
    now = timezone.now()
    _election_at(
        side,
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=7),
    )


def _election_over(side):
    """Its voting period over: the first view of it closes it and freezes its result."""
    now = timezone.now()
    _election_at(
        side,
        opens_at=now - datetime.timedelta(days=8),
        closes_at=now - datetime.timedelta(seconds=1),
    )


def _filed(side, user):
    filing = stored(side.filing)
    return filing.filed_on is not None and filing.recorded_by == user


RIGHTS = {
    "record an answer": Right(
        url=lambda o: reverse(
            "projects:record", kwargs={"pk": o.project.pk, "household_pk": o.household.pk}
        ),
        data=lambda o: {
            "answer": "decline",
            "channel": "paper",
            "conditions": "",
            "version": o.record.version,
        },
        done=_recorded,
        #    anonymous no_role member_a  staff     admin     other_body grid_worker
        a=(LOGIN, 403, REDIRECT, REDIRECT, REDIRECT, 403, REDIRECT),
        b=(LOGIN, 403, 404, 404, REDIRECT, 404, 404),
    ),
    "record an answer on the household's page": Right(
        url=lambda o: reverse(
            "projects:record", kwargs={"pk": o.project.pk, "household_pk": o.household.pk}
        ),
        data=lambda o: {
            "answer": "decline",
            "channel": "visit",
            "conditions": "",
            "version": o.record.version,
            "from": "household",
        },
        done=_recorded,
        #    anonymous no_role member_a  staff     admin     other_body grid_worker
        a=(LOGIN, 403, REDIRECT, REDIRECT, REDIRECT, 403, REDIRECT),
        b=(LOGIN, 403, 404, 404, REDIRECT, 404, 404),
    ),
    # The same answer sent from a phone's offline queue: answered in JSON (200 stored,
    # 401 for a send whose session ended, 403 and 404 as pages are).
    "record an answer from the offline queue": Right(
        url=lambda o: reverse(
            "projects:record", kwargs={"pk": o.project.pk, "household_pk": o.household.pk}
        ),
        data=lambda o: {
            "answer": "decline",
            "channel": "visit",
            "conditions": "",
            "version": o.record.version,
            "offline_key": str(uuid.uuid4()),
        },
        headers={"X-Offline-Queue": "1"},
        granted=200,
        done=_recorded,
        #    anonymous no_role member_a  staff     admin     other_body grid_worker
        a=(401, 403, 200, 200, 200, 403, 200),
        b=(401, 403, 404, 404, 200, 404, 404),
    ),
    "name a grid worker": Right(
        url=lambda o: reverse("projects:grid_worker_add", kwargs={"pk": o.project.pk}),
        data=lambda o: {"user": o.candidate.pk},
        done=lambda o, user: (
            GridWorker.objects.filter(project=o.project, user=o.candidate)
            .filter(added_by=user)
            .exists()
        ),
        a=(LOGIN, 403, REDIRECT, REDIRECT, REDIRECT, 403, 403),
        b=(LOGIN, 403, 404, 404, REDIRECT, 404, 404),
    ),
    "remove a grid worker": Right(
        url=lambda o: reverse(
            "projects:grid_worker_remove",
            kwargs={"pk": o.project.pk, "worker_pk": o.grid_worker.pk},
        ),
        data=lambda o: {},
        done=lambda o, user: not GridWorker.objects.filter(pk=o.grid_worker.pk).exists(),
        a=(LOGIN, 403, REDIRECT, REDIRECT, REDIRECT, 403, 403),
        b=(LOGIN, 403, 404, 404, REDIRECT, 404, 404),
    ),
    "hold a run-off": Right(
        setup=_tie,
        url=lambda o: reverse("committees:election_runoff", kwargs={"pk": o.election.pk}),
        data=lambda o: {"held_on": timezone.localdate().isoformat(), **_period(20)},
        done=lambda o, user: Election.objects.filter(term=o.term, round=2).exists(),
        a=(LOGIN, 403, REDIRECT, REDIRECT, REDIRECT, 403, 403),
        b=(LOGIN, 403, 404, 404, REDIRECT, 404, 404),
    ),
    "record the chair": Right(
        setup=_over,
        url=lambda o: reverse("committees:chair_choose", kwargs={"pk": o.term.pk}),
        data=lambda o: {"chair": o.seat.pk, "chosen_on": timezone.localdate().isoformat()},
        done=lambda o, user: ChairChoice.objects.filter(term=o.term, recorded_by=user).exists(),
        a=(LOGIN, 403, REDIRECT, REDIRECT, REDIRECT, 403, 403),
        b=(LOGIN, 403, 404, 404, REDIRECT, 404, 404),
    ),
    "record the filing": Right(
        url=lambda o: reverse("committees:filing_record", kwargs={"pk": o.filing.pk}),
        data=lambda o: {"filed_on": timezone.localdate().isoformat(), "filed_with": "街道办"},
        done=_filed,
        a=(LOGIN, 403, REDIRECT, REDIRECT, REDIRECT, 403, 403),
        b=(LOGIN, 403, 404, 404, REDIRECT, 404, 404),
    ),
}


# The steps of an owners' decision: its sponsoring body's managers only (a grid worker
# records answers, nothing more).
MANAGERS_ONLY = (LOGIN, 403, REDIRECT, REDIRECT, REDIRECT, 403, 403)
MANAGERS_ONLY_OUT = (LOGIN, 403, 404, 404, REDIRECT, 404, 404)

RIGHTS |= {
    "announce an election": Right(
        setup=_election_draft,
        url=lambda o: reverse("committees:election_announce", kwargs={"pk": o.election.pk}),
        data=lambda o: {},
        done=lambda o, user: user is not None and stored(o.election).announced_by == user,
        a=MANAGERS_ONLY,
        b=MANAGERS_ONLY_OUT,
    ),
    "open an election's vote": Right(
        setup=_election_announced,
        url=lambda o: reverse("committees:election_vote_open", kwargs={"pk": o.election.pk}),
        data=lambda o: {},
        done=lambda o, user: user is not None and stored(o.election).opened_by == user,
        a=MANAGERS_ONLY,
        b=MANAGERS_ONLY_OUT,
    ),
    "close an election early": Right(
        setup=_election_open,
        url=lambda o: reverse("committees:election_close", kwargs={"pk": o.election.pk}),
        data=lambda o: {"reason": "业主大会决定提前结束"},
        done=lambda o, user: user is not None and stored(o.election).closed_by == user,
        a=MANAGERS_ONLY,
        b=MANAGERS_ONLY_OUT,
    ),
    "publish an election's result": Right(
        setup=_election_over,
        url=lambda o: reverse("committees:election_publish", kwargs={"pk": o.election.pk}),
        data=lambda o: {},
        done=lambda o, user: user is not None and stored(o.election).published_by == user,
        a=MANAGERS_ONLY,
        b=MANAGERS_ONLY_OUT,
    ),
    "announce a decision": Right(
        url=lambda o: reverse("projects:decision_announce", kwargs={"pk": o.draft.pk}),
        data=lambda o: {},
        done=lambda o, user: user is not None and stored(o.draft).announced_by == user,
        a=MANAGERS_ONLY,
        b=MANAGERS_ONLY_OUT,
    ),
    "close a vote early": Right(
        url=lambda o: reverse("projects:vote_close", kwargs={"pk": o.open_decision.pk}),
        data=lambda o: {"reason": "业主大会决定提前结束"},
        done=lambda o, user: user is not None and stored(o.open_decision).closed_by == user,
        a=MANAGERS_ONLY,
        b=MANAGERS_ONLY_OUT,
    ),
    "publish a result": Right(
        url=lambda o: reverse("projects:result_publish", kwargs={"pk": o.closed_decision.pk}),
        data=lambda o: {},
        done=lambda o, user: user is not None and stored(o.closed_decision).published_by == user,
        a=MANAGERS_ONLY,
        b=MANAGERS_ONLY_OUT,
    ),
}


def right_cells():
    for right, spec in sorted(RIGHTS.items()):
        for variant in ("a", "b"):
            for role, expected in zip(RIGHT_ROLES, getattr(spec, variant), strict=True):
                yield pytest.param(
                    right, variant, role, expected, id=f"{right}-{variant}-{role}".replace(" ", "_")
                )


@pytest.mark.parametrize(("right", "variant", "role", "expected"), list(right_cells()))
def test_role_has_the_expected_right(world, db, right, variant, role, expected):
    spec = RIGHTS[right]
    side = getattr(world, variant)
    if spec.setup:
        spec.setup(side)
    url = spec.url(side)
    with translation.override("en"):
        response = world.clients[role].post(url, spec.data(side), headers=spec.headers)
    assert outcome(response) == expected, f"POST {url} as {role}"
    user = world.users.get(role)
    assert spec.done(side, user) == (expected == spec.granted), f"POST {url} as {role}: the write"

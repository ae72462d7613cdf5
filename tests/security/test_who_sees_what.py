"""Who sees what of whom: every page and export, as each role, held to the README's table.

The walk reuses the permission matrix (tests/security/test_permission_matrix.py): its URL
entries, the arguments they are built with and its data set, to which `people` adds
residents with distinctive numbers and party membership where each role's scope ends:

- 莫在院, of courtyard A1: in member_a's scope;
- 柯二院, of courtyard A2, and 戚百腊, of 百腊井小区 (both community A): outside member_a's
  scope, within the staff's; volunteers in community A's team, attendees of a meeting
  member_a may read; 戚百腊 holds a seat on 百腊井小区业主委员会, 柯二院 raised a request
  received for courtyard A1;
- 阮黔灵, of compound B (community B): in nobody's scope but the administrator's;
- 屈外聘, a party member serving in community A's team without being on the register.

Every response (pages, CSV and XLSX exports, JSON, the admin's resident pages) is read as
text and checked for every resident of the data set:

- full phone and ID numbers (current and earlier ones) only to staff of a community where
  the resident has a household and to administrators, and only with a log row written by
  that request (naming the resident, or an export naming how many it held);
- masked numbers only to roles whose part of the register holds the resident: outside
  it a resident appears at most by name, on community-wide pages;
- the party badge (personal information) only to roles whose scope includes personal
  information: staff of a community where the resident has a household (or which the
  volunteer serves) and administrators, never to a committee member;
- no name at all to a role that may not see the resident's community.

One data set for the module (the matrix's, built once); one test per role.
"""

import io
import re
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from committees.models import Body, Volunteer
from committees.volunteers import services as volunteer_services
from jinzang.spreadsheets import XLSX_TYPE
from residents.models import PersonalDataReveal, Resident
from residents.validators import mask_id_number, mask_phone
from tests.factories import (
    BuildingFactory,
    HouseholdFactory,
    MemberFactory,
    MembershipFactory,
    ResidentFactory,
    UnitFactory,
    id_number,
)
from tests.meetings.factories import AttendeeFactory, MeetingFactory
from tests.requests.factories import ResidentRequestFactory
from tests.security.test_permission_matrix import (  # noqa: F401 (world: the matrix's data set)
    EXPECTED,
    LOGIN,
    ROLES,
    URL_KWARGS,
    world,
)

REGION = "520188"  # no other resident of the data set has an ID number from here

# The roles that may see a resident, by where the resident lives.
IN_COMMUNITY_A = frozenset({"staff", "admin"})
ADMIN_ONLY = frozenset({"admin"})
# The roles to whom community A's community-wide pages (volunteers, meetings) show names.
NAMES_IN_A = frozenset({"member_a", "staff", "admin"})


@dataclass
class Person:
    """Someone the walk looks for: their name, numbers, and who may see what of them."""

    name: str
    party: bool
    seen_by: frozenset  # party membership: the roles whose scope includes personal data
    named_to: frozenset  # the name, on community-wide pages


def _seed(matrix):
    """The people of this module's docstring, on top of the matrix's data set."""
    a, b = matrix.a, matrix.b
    r_a1, r_b = a.household, b.household
    r_a2 = a.compound.buildings.get(number="17").units.get().households.get()
    bailajing = Body.objects.get(name="百腊井小区业主委员会")
    unit = UnitFactory(building=BuildingFactory(compound=bailajing.compound, number="9"))
    r_bailajing = HouseholdFactory(unit=unit, door_number="101")

    def resident(name, phone, n, household, **fields):
        person = ResidentFactory(
            name=name, phone=phone, id_number=id_number(1970, n, region=REGION), **fields
        )
        MembershipFactory(resident=person, household=household)
        return person

    in_a1 = resident("莫在院", "14711110001", 1, r_a1, is_party_member=True)
    in_a2 = resident("柯二院", "14722220099", 2, r_a2, is_party_member=True)
    # An earlier number stays in the record's history (and the admin's history pages).
    in_a2.phone = "14722220002"
    in_a2.save()
    in_bailajing = resident("戚百腊", "14733330003", 3, r_bailajing, is_party_member=True)
    in_b = resident("阮黔灵", "14744440004", 4, r_b, is_party_member=True)

    volunteers = [
        Volunteer.objects.create(team=a.team, resident=r, name=r.name)
        for r in (in_a1, in_a2, in_bailajing)
    ]
    volunteers.append(Volunteer.objects.create(team=a.team, name="屈外聘", is_party_member=True))
    volunteer_b = Volunteer.objects.create(team=b.team, resident=in_b, name=in_b.name)
    today = timezone.localdate()
    for team, people in ((a.team, volunteers), (b.team, [volunteer_b])):
        volunteer_services.activity_record(
            team=team,
            date=today,
            place="院坝",
            description="巡逻",
            hours={v: Decimal("2.0") for v in people},
        )

    for person in (in_a1, in_a2, in_bailajing):
        AttendeeFactory(meeting=a.meeting, resident=person)
    AttendeeFactory(meeting=b.meeting, resident=in_b)
    bailajing_meeting = MeetingFactory(body=bailajing)
    AttendeeFactory(meeting=bailajing_meeting, resident=in_bailajing)
    MemberFactory(term=bailajing.terms.first(), resident=in_bailajing)
    MemberFactory(term=b.term, resident=in_b)
    # Received for courtyard A1's building, raised by a resident of courtyard A2.
    request = ResidentRequestFactory(
        compound=a.compound, building=a.building, household=a.household, raised_by=in_a2
    )

    people = [
        # In member_a's part, but party membership is not for committee members.
        Person("莫在院", True, IN_COMMUNITY_A, NAMES_IN_A),
        Person("柯二院", True, IN_COMMUNITY_A, NAMES_IN_A),
        Person("戚百腊", True, IN_COMMUNITY_A, NAMES_IN_A),
        Person("阮黔灵", True, ADMIN_ONLY, ADMIN_ONLY),
        Person("屈外聘", True, IN_COMMUNITY_A, NAMES_IN_A),
    ]
    history_of = in_a2.history.order_by("history_date").last()
    urls = [
        reverse("residents:export", args=["xlsx"]),
        reverse("meetings:attendance", args=[a.meeting.pk, "xlsx"]),
        reverse("meetings:attendance", args=[bailajing_meeting.pk, "csv"]),
        reverse("meetings:meeting", args=[bailajing_meeting.pk]),
        reverse("committees:body", args=[bailajing.pk]),
        reverse("requests:detail", args=[request.pk]),
        *(reverse("volunteers:person", args=[v.pk]) for v in [*volunteers, volunteer_b]),
        *(reverse("volunteers:team", args=[t.pk]) for t in (a.team, b.team)),
        *(
            reverse(name, args=[r.pk])
            for r in (in_a1, in_a2, in_bailajing, in_b)
            for name in ("residents:resident", "residents:resident_export")
        ),
        reverse("admin:residents_resident_changelist"),
        reverse("admin:residents_resident_change", args=[in_a2.pk]),
        reverse("admin:residents_resident_history", args=[in_a2.pk]),
        reverse("admin:residents_resident_simple_history", args=[in_a2.pk, history_of.pk]),
        reverse("admin:residents_household_change", args=[r_a2.pk]),
        reverse("admin:committees_volunteer_changelist"),
    ]
    return people, urls


def _numbers(resident):
    """A resident's full numbers, the earlier ones of their history included."""
    numbers = set()
    for phone, number in resident.history.values_list("phone", "id_number"):
        numbers |= {phone, number}
    return tuple(sorted(n for n in numbers if n))


def _may_see(resident, community_a, courtyard_a1):
    """Roles that may see this resident's numbers, from where their households are."""
    roles = {"admin"}
    for community, courtyard in resident.memberships.values_list(
        "household__unit__building__compound__community_id",
        "household__unit__building__courtyard_id",
    ):
        if community == community_a:
            roles.add("staff")
            if courtyard == courtyard_a1:
                roles.add("member_a")
    return frozenset(roles)


@pytest.fixture(scope="module")
def people(world, django_db_blocker):  # noqa: F811 (the fixture imported)
    with django_db_blocker.unblock():
        # Inside the matrix's transaction: rolled back with it at the end of the module.
        with transaction.atomic():
            seeded, extra_urls = _seed(world)
        community_a, courtyard_a1 = world.a.compound.community_id, world.a.building.courtyard_id
        # Every resident's full numbers, with the roles that may see them.
        everyone = [
            (r.pk, _numbers(r), _may_see(r, community_a, courtyard_a1))
            for r in Resident.objects.all()
        ]
        yield SimpleNamespace(world=world, people=seeded, everyone=everyone, extra_urls=extra_urls)


def urls_for(matrix, role, extra):
    """Every named URL of the matrix that answers `role` with a body (not a redirect to log
    in, not a refused method), then this module's own."""
    urls = []
    for name, spec in sorted(EXPECTED.items()):
        for variant, outcomes in spec.variants().items():
            if outcomes[ROLES.index(role)] in (LOGIN, 405):
                continue
            side = getattr(matrix, variant, None)
            kwargs = spec.kwargs(side) if spec.kwargs else URL_KWARGS.get(name, {})
            query = spec.query(side) if spec.query else {}
            url = reverse(name, kwargs=kwargs)
            if query:
                url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
            urls.append(url)
    return urls + extra


def text_of(response) -> str:
    """The response as text: HTML, CSV and JSON as they are, a workbook's cells row by row;
    files (photos, scans, receipts) as nothing."""
    kind = response.get("Content-Type", "")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if kind.startswith(XLSX_TYPE):
        book = load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(
            "\t".join("" if c is None else str(c) for c in row)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    if kind.startswith(("text/", "application/json")):
        return content.decode("utf-8-sig")
    return ""


# What encloses a name with its badges: on a page a table row, a list item, a header or a
# section; in a spreadsheet a line.
_ENCLOSING_HTML = re.compile(r"<tr\b|</tr>|<li\b|</li>|<header\b|</header>|<section\b|</section>")
_ENCLOSING_LINE = re.compile(r"\n")
_PARTY = ("badge party", "Party member")


def party_shown(text: str, name: str) -> bool:
    """Whether `name` appears with a party badge in what encloses it."""
    enclosing = _ENCLOSING_HTML if text.lstrip().startswith("<") else _ENCLOSING_LINE
    for match in re.finditer(re.escape(name), text):
        starts = [m.end() for m in enclosing.finditer(text, 0, match.start())]
        end = enclosing.search(text, match.end())
        around = text[starts[-1] if starts else 0 : end.start() if end else len(text)]
        if any(mark in around for mark in _PARTY):
            return True
    return False


def masked(number: str) -> str:
    return mask_phone(number) if len(number) == 11 else mask_id_number(number)


def problems_in(text, role, people, everyone, logged):
    """What `text`, shown to `role`, should not have shown."""
    found = []
    # A masked number is flagged only if no resident the role may see has the same one
    # (5201**********0006 may be two people's).
    masks_seen = {masked(n) for _pk, numbers, roles in everyone if role in roles for n in numbers}
    for pk, numbers, roles in everyone:
        for number in numbers:
            if number in text:
                if role not in roles - {"member_a"}:
                    found.append(f"the full number {number} of resident #{pk}")
                elif not any(r.resident_id == pk or r.kind == "export" for r in logged):
                    found.append(f"the full number {number} of resident #{pk}, not logged")
            elif role not in roles:
                mask = masked(number)
                if mask in text and mask not in masks_seen:
                    found.append(f"the masked number {mask} of resident #{pk}")
    for person in people:
        if person.party and role not in person.seen_by and party_shown(text, person.name):
            found.append(f"{person.name}'s party membership")
        if role not in person.named_to and person.name in text:
            found.append(f"{person.name}'s name")
    return found


@pytest.mark.parametrize("role", ROLES)
def test_no_page_or_export_shows_a_role_personal_data_it_may_not_see(people, db, role):
    client = people.world.clients[role]
    problems = []
    for url in urls_for(people.world, role, people.extra_urls):
        last = PersonalDataReveal.objects.order_by("-pk").values_list("pk", flat=True).first()
        with translation.override("en"):
            response = client.get(url)
        logged = list(PersonalDataReveal.objects.filter(pk__gt=last or 0))
        text = text_of(response)
        problems += [
            f"GET {url} as {role}: {p}"
            for p in problems_in(text, role, people.people, people.everyone, logged)
        ]
    assert not problems, "\n".join(problems)


# The checks themselves


def test_a_party_badge_counts_only_beside_the_name():
    row = '<tr><th>柯二院 <span class="badge party">Party member</span></th></tr>'
    assert party_shown(row, "柯二院")
    assert not party_shown(row + "<tr><th>莫在院</th></tr>", "莫在院")
    header = '<header><p class="eyebrow">Volunteer · Party member</p>\n<h1>屈外聘</h1></header>'
    assert party_shown(header, "屈外聘")
    assert not party_shown("屈外聘\t是\n其他\tParty member", "屈外聘")


def test_the_walk_reaches_every_named_url_and_the_admins_resident_pages(people, db):
    urls = urls_for(people.world, "admin", people.extra_urls)
    assert len(urls) > len(EXPECTED)
    assert any("/history/" in u for u in urls)
    assert any(u.endswith(".xlsx") for u in urls)

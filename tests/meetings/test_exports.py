"""A meeting's attendance as a spreadsheet."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from residents.models import PersonalDataReveal
from tests.imports.sheets import read_csv, read_xlsx

pytestmark = pytest.mark.django_db


def url(meeting, fmt="csv"):
    return reverse("meetings:attendance", args=[meeting.pk, fmt])


def test_staff_export_the_attendance_with_phone_numbers(staff_client, meetings, register):
    rows = read_csv(staff_client.get(url(meetings.held)))
    assert rows[0] == ["Name", "Attended as", "Organisation", "Mobile phone"]
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name["李华玉"][1:] == ["Resident", "", "13812345678"]
    assert by_name["陈工"][2] == "贵州安居建筑公司"
    assert len(rows) == 5


def test_a_member_gets_phone_numbers_masked(reader_client, meetings):
    book, rows = read_xlsx(reader_client.get(url(meetings.held, "xlsx")))
    assert {r[0]: r for r in rows[1:]}["李华玉"][3] == "138****5678"


def test_a_member_gets_attendees_outside_their_part_by_name_only(manager_client, meetings):
    # The held meeting's body serves courtyard A1; 武莉华 lives in courtyard A2.
    rows = read_csv(manager_client.get(url(meetings.held)))
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name["李华玉"][3] == "138****5678"
    assert by_name["武莉华"][1:] == ["Resident", "", ""]


def test_an_attendance_export_with_full_phones_is_logged_once(staff_client, staff_user, meetings):
    staff_client.get(url(meetings.held, "xlsx"))
    log = PersonalDataReveal.objects.get()
    assert (log.user, log.kind, log.resident_count, log.fields, log.path) == (
        staff_user,
        PersonalDataReveal.Kind.EXPORT,
        2,
        "phone",
        url(meetings.held, "xlsx"),
    )


def test_an_attendance_export_with_phones_masked_logs_nothing(reader_client, meetings):
    reader_client.get(url(meetings.held))
    assert not PersonalDataReveal.objects.exists()


def test_a_planned_meetings_attendance_is_for_its_managers_only(reader_client, meetings):
    assert reader_client.get(url(meetings.planned)).status_code == 403


def test_a_meeting_of_another_community_is_not_found(community_b_client, meetings):
    assert community_b_client.get(url(meetings.held)).status_code == 404


def test_an_unknown_format_is_not_found(staff_client, meetings):
    assert staff_client.get(url(meetings.held, "pdf")).status_code == 404


def test_the_meeting_page_links_the_attendance_export(staff_client, meetings):
    assertContains(staff_client.get(meetings.held.get_absolute_url()), url(meetings.held, "xlsx"))

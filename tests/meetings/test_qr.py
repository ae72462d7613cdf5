"""A meeting's printed minutes carry a QR code to the meeting online (docs/domain.md,
"Paper that leads online")."""

import pytest
from django.test import override_settings
from django.urls import reverse
from pytest_django.asserts import assertContains

from tests.qr import page_qr_urls

pytestmark = pytest.mark.django_db

SITE = "https://jinzang.example"


@override_settings(SITE_URL=SITE)
def test_printed_minutes_carry_a_qr_code_to_the_meetings_page(reader_client, meetings):
    response = reader_client.get(reverse("meetings:meeting_print", args=[meetings.held.pk]))

    meeting = reverse("meetings:meeting", args=[meetings.held.pk])
    assert page_qr_urls(response.text) == [SITE + meeting]
    assertContains(response, "Scan to open this meeting's record online")
    # who reads the printed minutes reads them there too
    assertContains(reader_client.get(meeting), "当天与施工方签订协议。")

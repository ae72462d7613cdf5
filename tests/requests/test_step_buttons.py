"""The request page's next steps: the step forward is the main button; closing as not
actionable is offered beside it as a warning, never styled as the main action."""

import re

import pytest

from committees.requests import services

pytestmark = pytest.mark.django_db


def buttons(response):
    """(class, label) of each step form's button, in page order."""
    html = response.content.decode()
    forms = re.findall(r'<form class="card step-form".*?</form>', html, re.S)
    return [
        re.search(r'<button type="submit" class="([^"]*)">([^<]*)</button>', f).groups()
        for f in forms
    ]


def test_an_accepted_request_offers_starting_work_as_the_main_step_and_closing_outlined(
    staff_client, staff_user, req
):
    services.request_accept(request=req, by=staff_user)
    assert buttons(staff_client.get(req.get_absolute_url())) == [
        ("button primary", "Start work"),
        ("button", "Reply and resolve"),
        ("button danger-outline", "Close as not actionable"),
    ]


def test_a_request_in_progress_offers_the_reply_as_the_main_step(staff_client, staff_user, req):
    req = services.request_accept(request=req, by=staff_user)
    services.request_start(request=req, by=staff_user)
    assert buttons(staff_client.get(req.get_absolute_url())) == [
        ("button primary", "Reply and resolve"),
        ("button danger-outline", "Close as not actionable"),
    ]


def test_the_step_forms_give_each_field_an_id_of_its_own(staff_client, staff_user, req):
    services.request_accept(request=req, by=staff_user)
    html = staff_client.get(req.get_absolute_url()).content.decode()
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert '<label for="id_closed_reason">' in html

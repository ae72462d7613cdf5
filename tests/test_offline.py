"""The shared pieces of recording with no signal (jinzang/offline.py; docs/domain.md,
"Recording with no signal"): a queued send's key kept once, the service worker and what it
keeps, the offline page. The answers and visits sent from the queue are tested in
tests/projects/test_offline_answers.py and tests/visits/test_offline_visits.py, the pages
kept in tests/projects/test_offline_pages.py, in a browser in tests/e2e/test_offline.py."""

import json
import re
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.templatetags.static import static
from django.test import Client
from django.urls import reverse

from jinzang.models import QueuedSend
from jinzang.offline import (
    KEEP_HEADER,
    KEPT_STATIC,
    OWNER_HEADER,
    _version,
    form_reasons,
    queued_send_record,
)
from jinzang.staticfiles import hashed_static_files
from meetings.models import Visit

pytestmark = pytest.mark.django_db


def test_a_key_is_recorded_once_with_what_its_first_send_made(staff_user):
    key = uuid.uuid4()
    writes = []

    def write():
        writes.append(1)
        return {"made": len(writes)}

    first = queued_send_record(key=key, user=staff_user, path="/x/", write=write)
    second = queued_send_record(key=key, user=staff_user, path="/x/", write=write)
    assert first == ({"made": 1}, True)
    assert second == ({"made": 1}, False)
    assert writes == [1]
    assert QueuedSend.objects.get().made == {"made": 1}


def test_a_refused_write_keeps_no_key_so_the_send_may_come_again(staff_user, register):
    key = uuid.uuid4()

    def refuse():
        Visit.objects.create(household=register.household_a1, purpose="opinion")
        raise ValidationError("no")

    with pytest.raises(ValidationError):
        queued_send_record(key=key, user=staff_user, path="/x/", write=refuse)
    assert not QueuedSend.objects.exists()
    assert not Visit.objects.exists()  # rolled back with the key
    assert queued_send_record(key=key, user=staff_user, path="/x/", write=dict)[1] is True


def test_another_users_key_is_not_theirs_to_read(staff_user, member_a):
    key = uuid.uuid4()
    queued_send_record(key=key, user=staff_user, path="/x/", write=lambda: {"secret": 1})
    with pytest.raises(ValidationError):
        queued_send_record(key=key, user=member_a, path="/x/", write=dict)


def worker_config(response) -> dict:
    first = response.content.decode().splitlines()[0]
    return json.loads(re.fullmatch(r"const CONFIG = (.*);", first).group(1))


def test_the_service_worker_is_served_from_the_root_as_javascript_revalidated(client):
    response = client.get(reverse("service_worker"))
    assert reverse("service_worker") == "/sw.js"
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    assert response["Service-Worker-Allowed"] == "/"
    config = worker_config(response)
    assert config["static"] == [static(name) for name in KEPT_STATIC]
    assert (config["offline"], config["logout"], config["keep"]) == (
        "/offline/",
        "/accounts/logout/",
        KEEP_HEADER,
    )
    body = response.content.decode()
    assert 'addEventListener("fetch"' in body and "CONFIG.keep" in body


def test_the_service_worker_lists_the_hashed_static_files(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    with hashed_static_files():
        config = worker_config(Client().get(reverse("service_worker")))
        page = Client().get(reverse("notices:notice_list")).content.decode()
    assert [re.sub(r"\.[0-9a-f]{12}\.", ".", url) for url in config["static"]] == [
        "/static/css/jinzang.css",
        "/static/js/htmx.min.js",
        "/static/js/offline.js",
    ]
    assert all(re.search(r"\.[0-9a-f]{12}\.(css|js)$", url) for url in config["static"])
    # The names the pages load: the worker keeps the very files they ask for.
    assert config["static"][0] in page and config["static"][1] in page


def test_a_new_static_file_or_worker_makes_a_new_version(client, monkeypatch, tmp_path):
    before = worker_config(client.get(reverse("service_worker")))["version"]
    changed = tmp_path / "offline.js"
    changed.write_text("// another release")
    monkeypatch.setattr(
        "jinzang.offline.finders.find",
        lambda name: str(changed) if name == "js/offline.js" else None,
    )
    # The version is read once a process: a release starts new processes.
    _version.cache_clear()
    try:
        assert worker_config(client.get(reverse("service_worker")))["version"] != before
    finally:
        _version.cache_clear()


def test_every_response_says_whose_pages_it_is_without_naming_the_account(
    client, staff_user, member_a
):
    """The worker drops the pages it kept for one account when a page says another, or
    nobody, is signed in (jinzang/sw.js, `owned`), whichever way they signed in."""
    nobody = client.get(reverse("notices:notice_list"))[OWNER_HEADER]
    assert nobody == "-"
    tokens = []
    for user in (staff_user, staff_user, member_a):
        signed_in = Client()
        signed_in.force_login(user)
        tokens.append(signed_in.get(reverse("notices:notice_list"))[OWNER_HEADER])
    # The same for every session of an account, another for another account, and opaque.
    assert tokens[0] == tokens[1] != tokens[2]
    assert all(len(t) == 20 and str(staff_user.pk) != t for t in tokens)
    # The service worker and the offline page say it too; the worker reads it.
    assert client.get(reverse("service_worker"))[OWNER_HEADER] == "-"
    assert worker_config(client.get(reverse("service_worker")))["owner"] == OWNER_HEADER


def test_the_offline_page_says_so_in_both_languages(client):
    response = client.get(reverse("offline"))
    text = response.content.decode()
    # The page is kept once, in whichever language was chosen: it holds both.
    assert '<section class="card narrow" lang="zh-hans">' in text
    assert '<section class="card narrow" lang="en">' in text
    assert "This page was not kept on this phone" in text
    assert KEEP_HEADER not in response.headers


def test_no_other_page_loads_the_offline_script(staff_client, register):
    for url in (reverse("notices:notice_list"), reverse("dashboard"), reverse("home")):
        assert "offline.js" not in staff_client.get(url).content.decode()


def test_a_refusal_names_each_field_even_one_without_a_label():
    from django import forms

    class Form(forms.Form):
        version = forms.IntegerField()
        answer = forms.CharField(label="Your answer")

    form = Form({})
    assert not form.is_valid()
    assert form_reasons(form) == [
        "Version: This field is required.",
        "Your answer: This field is required.",
    ]

"""The page cache and the data versions behind it (jinzang.pagecache, jinzang.dataversions).

These tests commit (transaction=True): inside a test's transaction the cache stands
aside, as it does in any transaction, and PostgreSQL raises versions on commit only.
"""

import re

import pytest
from django.contrib.messages import constants, get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.middleware import SessionMiddleware
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jinzang import dataversions, pagecache
from residents.models import Household, Resident
from tests.factories import HouseholdFactory, MembershipFactory, ResidentFactory

pytestmark = pytest.mark.django_db(transaction=True)

SESSION_AND_VERSIONS = 2  # what a page served from the cache costs


def version(model) -> int:
    return dataversions.current().get(model._meta.db_table, 0)


def csrf_tokens(html: str) -> list[str]:
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)


# --- data versions ------------------------------------------------------------------------


def test_every_tracked_table_has_its_triggers():
    tables = dataversions.tracked_tables()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT tbl_name FROM sqlite_master WHERE type = 'trigger'")
            with_triggers = [name for (name,) in cursor.fetchall()]
            assert all(with_triggers.count(t) == 3 for t in tables)  # insert, update, delete
        else:
            cursor.execute(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname = %s",
                [dataversions.PG_TRIGGER],
            )
            assert tables <= {name for (name,) in cursor.fetchall()}
    assert "django_session" not in tables
    assert Resident._meta.db_table in tables
    assert Resident.history.model._meta.db_table in tables


def test_installing_the_triggers_again_changes_nothing():
    dataversions.install_triggers()
    dataversions.install_triggers()
    before = version(Resident)
    ResidentFactory()
    assert version(Resident) == before + 1


def test_every_way_of_writing_raises_the_version(register):
    steps = [
        lambda: ResidentFactory(name="新人"),
        lambda: Resident.objects.filter(name="新人").update(name="新名"),
        lambda: Resident.objects.bulk_create([Resident(name="甲"), Resident(name="乙")]),
        lambda: Resident.objects.filter(name__in=["甲", "乙"]).delete(),
    ]
    for step in steps:
        before = version(Resident)
        step()
        assert version(Resident) > before
    before = version(Household)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE residents_household SET door_number = door_number")
    assert version(Household) > before


def test_other_tables_keep_their_versions(register):
    before = version(Household)
    ResidentFactory()
    assert version(Household) == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL counts per commit")
def test_postgresql_raises_a_version_once_per_transaction(register):
    before = version(Resident)
    with transaction.atomic():
        for n in range(3):
            Resident.objects.update(name=f"第{n}次")
        assert version(Resident) == before  # not before the commit
    assert version(Resident) == before + 1


# --- pages --------------------------------------------------------------------------------

CACHED_PAGES = [
    ("home", lambda r: reverse("home")),
    ("compound", lambda r: reverse("residents:compound", args=[r.compound_a.pk])),
    ("building", lambda r: reverse("residents:building", args=[r.building_a1.pk])),
    ("unit", lambda r: reverse("residents:unit", args=[r.unit_a1.pk])),
    ("household", lambda r: reverse("residents:household", args=[r.household_a1.pk])),
    ("residents", lambda r: reverse("residents:resident_list")),
    ("search", lambda r: reverse("residents:resident_list") + "?q=" + r.resident_a1.name),
    ("projects", lambda r: reverse("projects:project_list")),
    ("dashboard", lambda r: reverse("dashboard")),
    ("notices", lambda r: reverse("notices:notice_list")),
]


@pytest.mark.parametrize("name, path", CACHED_PAGES, ids=[p[0] for p in CACHED_PAGES])
def test_a_page_seen_again_costs_two_queries_however_many_rows(
    name, path, django_assert_num_queries, staff_client, register
):
    page = path(register)
    first = staff_client.get(page)
    assert first.status_code == 200
    with django_assert_num_queries(SESSION_AND_VERSIONS):
        again = staff_client.get(page)
    assert again.status_code == 200
    strip = re.compile(r'(csrfmiddlewaretoken" value=|"X-CSRFToken": )"[^"]+"')
    assert strip.sub("", again.content.decode()) == strip.sub("", first.content.decode())
    # More rows in the page's tables: rendered again once, then two queries again.
    for _ in range(5):
        MembershipFactory(household=HouseholdFactory(unit=register.unit_a1))
    staff_client.get(page)
    with django_assert_num_queries(SESSION_AND_VERSIONS):
        staff_client.get(page)


def test_a_change_shows_on_the_next_view(staff_client, register):
    page = reverse("residents:resident_list")
    assert register.resident_a1.name in staff_client.get(page).content.decode()
    Resident.objects.filter(pk=register.resident_a1.pk).update(name="改名了")
    html = staff_client.get(page).content.decode()
    assert "改名了" in html
    assert register.resident_a1.name not in html


def test_a_change_to_a_table_the_page_did_not_read_keeps_it(
    django_assert_num_queries, staff_client, register, bodies
):
    page = reverse("residents:household", args=[register.household_a1.pk])
    staff_client.get(page)
    from committees.models import Notice

    Notice.objects.update(title="别的表")
    with django_assert_num_queries(SESSION_AND_VERSIONS):
        staff_client.get(page)


def test_each_user_has_their_own_pages(staff_client, member_client, register):
    page = reverse("residents:resident_list")
    staff_html = staff_client.get(page).content.decode()
    member_html = member_client.get(page).content.decode()
    # Staff of community A see compound A's residents; so does the member of compound A,
    # but the header names each user, and only staff are offered the export of phones.
    assert "书英" in staff_html and "书英" not in member_html
    assert "敏" in member_html
    assert "书英" not in member_client.get(page).content.decode()


def test_a_kept_page_carries_a_fresh_valid_csrf_token(staff_user, register):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    page = reverse("residents:resident_list")
    client.get(page)
    second = client.get(page).content.decode()
    third = client.get(page).content.decode()
    assert csrf_tokens(second) and csrf_tokens(second) != csrf_tokens(third)
    # The token of the kept page works: the language switch accepts it.
    response = client.post(
        reverse("set_language"),
        {"csrfmiddlewaretoken": csrf_tokens(third)[0], "language": "en", "next": page},
    )
    assert response.status_code == 302


def test_htmx_asks_for_its_own_partial(staff_client, register):
    page = reverse("residents:resident_list")
    full = staff_client.get(page).content.decode()
    partial = staff_client.get(page, headers={"HX-Request": "true"}).content.decode()
    assert "<html" in full and "<html" not in partial
    assert "<html" not in staff_client.get(page, headers={"HX-Request": "true"}).content.decode()
    assert "<html" in staff_client.get(page).content.decode()


def test_languages_are_kept_apart(staff_client, settings, register):
    page = reverse("residents:resident_list")
    assert "Residents" in staff_client.get(page).content.decode()
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert "居民" in staff_client.get(page).content.decode()


def test_logging_in_again_after_a_password_change_is_required(staff_user, register):
    client = Client()
    client.force_login(staff_user)
    page = reverse("residents:resident_list")
    assert client.get(page).status_code == 200
    staff_user.set_password("a new password 2026")
    staff_user.save()
    response = client.get(page)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_nothing_is_kept_inside_a_transaction(staff_client, register):
    page = reverse("residents:resident_list")
    with transaction.atomic():
        staff_client.get(page)
        staff_client.get(page)
    assert not _kept_keys()
    staff_client.get(page)
    assert len(_kept_keys()) == 1


def test_turned_off_it_renders_every_time(settings, staff_client, register):
    settings.PAGE_CACHE_SECONDS = 0
    page = reverse("residents:resident_list")
    staff_client.get(page)
    assert not _kept_keys()


def _kept_keys():
    from django.core.cache import caches

    return [k for k in getattr(caches["pages"], "_cache", {}) if pagecache.KEY_PREFIX in k]


# --- what is never kept -------------------------------------------------------------------


def _request(user=None, path="/p/"):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get(path)
    SessionMiddleware(lambda r: None).process_request(request)
    request.user = user or AnonymousUser()
    request._messages = FallbackStorage(request)
    return request


def _served_twice(produce) -> int:
    """How many times `produce` ran for two identical requests."""
    calls = []

    def counted():
        calls.append(1)
        return produce()

    pagecache.serve(_request(), counted)
    pagecache.serve(_request(), counted)
    return len(calls)


def test_a_page_that_reads_only_versioned_tables_is_kept(register):
    assert _served_twice(lambda: HttpResponse(str(Resident.objects.count()))) == 1


def test_a_page_that_writes_is_not_kept(register):
    def reveal():
        ResidentFactory()
        return HttpResponse("logged")

    assert _served_twice(reveal) == 2


def test_a_page_that_reads_an_unversioned_table_is_not_kept(register):
    from django.contrib.sessions.models import Session

    assert _served_twice(lambda: HttpResponse(str(Session.objects.count()))) == 2


@pytest.mark.parametrize("status", [302, 403, 404])
def test_only_200_is_kept(status, register):
    assert _served_twice(lambda: HttpResponse("no", status=status)) == 2


def test_a_page_that_sets_a_cookie_is_not_kept(register):
    def with_cookie():
        response = HttpResponse("c")
        response.set_cookie("x", "1")
        return response

    assert _served_twice(with_cookie) == 2


def test_a_message_waiting_is_shown_not_a_kept_page(register):
    calls = []

    def produce():
        calls.append(1)
        return HttpResponse("page")

    pagecache.serve(_request(), produce)
    request = _request()
    request._messages.add(constants.SUCCESS, "Saved")
    pagecache.serve(request, produce)
    assert len(calls) == 2
    assert [str(m) for m in get_messages(request)] == ["Saved"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's deferred checks")
def test_a_foreign_key_check_waiting_at_commit_does_not_deadlock_the_versions(register):
    """One writer locks a household and commits a resident; the other, committing a
    resident and a membership moved to that household, waits at its foreign-key check.
    Had the other taken the versions' lock before its check, each would wait for the
    other (PostgreSQL would abort one as a deadlock)."""
    import threading
    import time

    import psycopg

    settings = connection.settings_dict
    dsn = psycopg.conninfo.make_conninfo(
        dbname=settings["NAME"],
        user=settings["USER"] or None,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        password=settings["PASSWORD"] or None,
    )
    r = register
    before = dataversions.current()
    errors = []

    def mover():
        try:
            with psycopg.connect(dsn) as conn:
                conn.execute(
                    "UPDATE residents_resident SET name = name WHERE id = %s", [r.resident_a1.pk]
                )
                conn.execute(
                    "UPDATE residents_membership SET household_id = %s WHERE id = %s",
                    [r.household_a2.pk, r.membership_a1.pk],
                )
        except psycopg.Error as error:  # a deadlock, were it to happen
            errors.append(error)

    with psycopg.connect(dsn) as locker:
        locker.execute(
            "SELECT id FROM residents_household WHERE id = %s FOR UPDATE", [r.household_a2.pk]
        )
        locker.execute(
            "UPDATE residents_resident SET name = name WHERE id = %s", [r.resident_a2.pk]
        )
        thread = threading.Thread(target=mover)
        thread.start()
        time.sleep(1.5)  # the mover is at its commit, waiting for the household
        assert thread.is_alive()
    thread.join(timeout=10)
    assert not errors
    after = dataversions.current()
    resident, membership = Resident._meta.db_table, "residents_membership"
    assert after[resident] == before.get(resident, 0) + 2
    assert after[membership] == before.get(membership, 0) + 1


# --- what the key holds, and what is always checked -------------------------------------


def test_a_query_parameter_the_page_does_not_read_is_not_kept(staff_client, register):
    for n in range(3):
        staff_client.get(reverse("residents:resident_list") + f"?utm={n}")
    assert not _kept_keys()
    staff_client.get(reverse("residents:resident_list") + "?q=x")
    assert len(_kept_keys()) == 1


def test_htmx_headers_that_change_every_time_do_not_split_the_cache(
    django_assert_num_queries, staff_client, register
):
    page = reverse("residents:resident_list")
    staff_client.get(page, headers={"HX-Request": "true", "HX-Current-URL": "/a/"})
    with django_assert_num_queries(SESSION_AND_VERSIONS):
        staff_client.get(page, headers={"HX-Request": "true", "HX-Current-URL": "/b/"})


def test_a_revoked_grant_takes_the_page_away_at_once(member_client, member_a, register):
    from residents.models import AccessGrant

    page = reverse("residents:household", args=[register.household_a1.pk])
    assert member_client.get(page).status_code == 200
    AccessGrant.objects.filter(user=member_a).delete()
    assert member_client.get(page).status_code == 403


def test_a_deactivated_user_is_sent_to_log_in(staff_client, staff_user, register):
    page = reverse("residents:resident_list")
    assert staff_client.get(page).status_code == 200
    type(staff_user).objects.filter(pk=staff_user.pk).update(is_active=False)
    assert staff_client.get(page).status_code == 302


def test_anonymous_and_signed_in_notices_are_kept_apart(staff_client, register):
    page = reverse("notices:notice_list")
    anonymous = Client().get(page).content.decode()
    signed_in = staff_client.get(page).content.decode()
    assert "书英" in signed_in and "书英" not in anonymous
    assert "书英" not in Client().get(page).content.decode()
    assert "书英" in staff_client.get(page).content.decode()


def test_pages_are_rendered_when_the_cache_fails(monkeypatch, staff_client, register):
    from django.core.cache import caches

    def broken(*args, **kwargs):
        raise ConnectionError("cache server down")

    monkeypatch.setattr(caches["pages"], "get", broken)
    monkeypatch.setattr(caches["pages"], "set", broken)
    assert staff_client.get(reverse("residents:resident_list")).status_code == 200


def test_raising_every_version_lets_no_kept_page_be_served(
    django_assert_num_queries, staff_client, register
):
    page = reverse("residents:resident_list")
    staff_client.get(page)
    with django_assert_num_queries(SESSION_AND_VERSIONS):
        staff_client.get(page)
    dataversions.raise_all()
    with CaptureQueriesContext(connection) as captured:
        staff_client.get(page)  # rendered again
    assert len(captured) > SESSION_AND_VERSIONS


def test_a_page_that_changes_the_session_is_not_kept(register):
    calls = []
    for _ in range(2):
        request = _request()

        def produce(request=request):
            calls.append(1)
            request.session["seen"] = True
            return HttpResponse("ok")

        pagecache.serve(request, produce)
    assert len(calls) == 2


@pytest.mark.parametrize(
    "sql, wrote",
    [
        ("SELECT * FROM residents_resident", False),
        ("  update residents_resident SET name = 'x'", True),
        ("WITH moved AS (UPDATE residents_resident SET name = 'x' RETURNING id) SELECT 1", True),
        ("WITH a AS (SELECT 1) SELECT * FROM a", False),
    ],
)
def test_writes_are_told_from_reads(sql, wrote):
    reads = pagecache.Reads()
    reads(lambda *args: None, sql, None, False, None)
    assert reads.wrote is wrote
    assert reads.tables == ({"residents_resident"} if "resident" in sql else set())

"""The bare page of the benchmark exists only when the BENCH setting is on."""

import pytest
from django.test import RequestFactory
from django.urls import Resolver404, resolve

from jinzang.bench_views import bare


def test_bare_page_is_not_served_without_the_bench_setting(client, db):
    with pytest.raises(Resolver404):
        resolve("/bench/bare/")
    assert client.get("/bench/bare/").status_code == 404


def test_bare_page_runs_no_query_of_its_own(django_assert_num_queries, db):
    request = RequestFactory().get("/bench/bare/")
    request.session = {"_auth_user_id": "1"}
    with django_assert_num_queries(0):
        response = bare(request)
    assert b"signed in" in response.content

"""The migrations that moved facilities to committees and the sent forms to the shared code
(committees 0011, jinzang 0002, residents 0012): their tables stay, their rows are read
through the new models, and their content types move, with the permissions granted on them.

The test takes the database back to before the moves, writes with the models of that time
and migrates forward again.
"""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from committees.models import Facility, FacilityInspection
from jinzang.models import SubmittedForm

BEFORE = [
    ("residents", "0011_reveal_reason"),
    ("committees", "0010_request_callback_phone"),
    ("jinzang", "0001_initial"),
]
AFTER = [
    ("residents", "0012_facilities_and_sent_forms_move_out"),
    ("committees", "0011_facilities_move_in"),
    ("jinzang", "0002_submitted_form_moves_in"),
]


@pytest.fixture
def migrator(transactional_db):
    """`migrator(targets)` migrates to `targets` and returns the models as they were there;
    the database is brought back to the latest migrations afterwards."""
    executor = MigrationExecutor(connection)

    def migrate(targets):
        executor.loader.build_graph()
        executor.migrate(targets)
        ContentType.objects.clear_cache()
        return executor.loader.project_state(targets).apps

    yield migrate
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()


def labels(model):
    return set(ContentType.objects.filter(model=model).values_list("app_label", flat=True))


def test_moved_rows_and_permissions_are_found_under_their_new_app(migrator):
    apps = migrator(BEFORE)
    assert labels("facility") == {"residents"}
    assert labels("submittedform") == {"residents"}
    User = apps.get_model("auth", "User")
    community = apps.get_model("residents", "Community").objects.create(name="金仓社区")
    compound = apps.get_model("residents", "Compound").objects.create(
        community=community, name="庆丰小区"
    )
    facility = apps.get_model("residents", "Facility").objects.create(
        compound=compound, kind="fitness", name="健身区"
    )
    apps.get_model("residents", "FacilityInspection").objects.create(
        facility=facility, inspected_on=datetime.date(2026, 3, 1), condition="worn"
    )
    user = User.objects.create(username="liaoshuying")
    apps.get_model("residents", "SubmittedForm").objects.create(
        token="a" * 32, user=user, path="/requests/new/"
    )
    OldPermission = apps.get_model("auth", "Permission")
    user.user_permissions.add(
        OldPermission.objects.get(content_type__app_label="residents", codename="change_facility")
    )
    # A migrate run on today's code while the database was back here made content types
    # under the new labels: the old ones, which hold the permissions, take their place.
    for app_label, model in (("committees", "facility"), ("jinzang", "submittedform")):
        ContentType.objects.create(app_label=app_label, model=model)

    migrator(AFTER)
    assert labels("facility") == labels("facilityinspection") == {"committees"}
    assert labels("submittedform") == {"jinzang"}
    assert Facility.objects.get().name == "健身区"
    assert FacilityInspection.objects.get().facility_id == facility.pk
    assert SubmittedForm.objects.get().path == "/requests/new/"
    granted = Permission.objects.filter(user__username="liaoshuying")
    assert [(p.content_type.app_label, p.codename) for p in granted] == [
        ("committees", "change_facility")
    ]

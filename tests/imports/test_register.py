"""Importing and exporting the register: dry run, all-or-nothing, encodings, variants, scope."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from residents.imports.importer import register_import
from residents.models import Household, Membership, PersonalDataReveal, Resident, Unit
from tests.conftest import FIXED_REGION
from tests.factories import (
    BuildingFactory,
    CompoundFactory,
    MembershipFactory,
    ResidentFactory,
    UnitFactory,
    id_number,
    stored,
)
from tests.imports.sheets import csv_file, read_csv, read_xlsx, xlsx_file

pytestmark = pytest.mark.django_db

HEADER = [
    "小区", "楼栋", "单元", "门牌号", "专有面积", "居住状态", "开发商未售", "已售未交付", "户备注",
    "姓名", "与户关系", "性别", "出生年份", "联系电话", "身份证号", "党员", "志愿者", "关爱情况",
]  # fmt: skip
NEW_ID = id_number(1980, 7, region=FIXED_REGION)
NAME, PHONE, ID, PARTY, CARE = (
    HEADER.index(h) for h in ("姓名", "联系电话", "身份证号", "党员", "关爱情况")
)


def row(door="302", area="72.00", name="王小燕", **cells):
    values = dict(
        zip(
            HEADER,
            ["庆丰小区", "18", "2", door, area, "自住", "否", "否", "", name, "业主"],
            strict=False,
        )
    )
    if name:
        values.update(
            {"性别": "女", "出生年份": "1980", "联系电话": "139 1234 5678", "身份证号": NEW_ID}
        )
    else:
        values["与户关系"] = ""
    values.update(cells)
    return [values.get(h, "") for h in HEADER]


def upload(client, rows, **kwargs):
    """Post the sheet; return the preview page it leads to."""
    sheet = kwargs.pop("sheet", None) or csv_file([HEADER, *rows], **kwargs)
    response = client.post(reverse("residents:import"), {"file": sheet})
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get(response["Location"]), response["Location"]


def test_a_dry_run_shows_each_row_and_writes_nothing(staff_client, register):
    page, _url = upload(staff_client, [row(), row(door="303", name="")])
    assertContains(page, "Dry run of 2 rows")
    assertContains(page, "new household")
    assertContains(page, "new resident")
    assertContains(page, ">Import</button>")
    assert not Household.objects.filter(door_number="302").exists()
    assert not Resident.objects.filter(id_number=NEW_ID).exists()


def test_confirming_imports_the_rows_with_history_naming_the_importer(
    staff_client, staff_user, register
):
    _page, url = upload(staff_client, [row(), row(door="303", name="")])
    response = staff_client.post(url, follow=True)
    assertContains(response, "Imported: 2 new, 0 changed, 0 unchanged.")
    household = Household.objects.get(unit=register.unit_a1, door_number="302")
    assert str(household.area) == "72.00"
    resident = Resident.objects.get(id_number=NEW_ID)
    assert (resident.name, resident.phone, resident.gender) == ("王小燕", "13912345678", "F")
    assert household.memberships.get().relation == Membership.Relation.OWNER
    assert Household.objects.filter(unit=register.unit_a1, door_number="303").exists()
    assert household.history.get().history_user == staff_user
    assert resident.history.get().history_user == staff_user
    assert resident.memberships.get().history.get().history_user == staff_user
    # the kept upload is gone once confirmed
    assert staff_client.get(url).status_code == 404


def test_importing_the_same_sheet_again_changes_nothing(staff_client, register):
    _page, url = upload(staff_client, [row(), row(door="303", name="")])
    staff_client.post(url)
    history = Resident.history.count() + Household.history.count() + Membership.history.count()
    page, url = upload(staff_client, [row(), row(door="303", name="")])
    assertContains(page, "there is nothing to import")
    assertNotContains(page, ">Import</button>")
    assert page.context["counts"]["unchanged"] == 2
    staff_client.post(url)
    after = Resident.history.count() + Household.history.count() + Membership.history.count()
    assert after == history


def test_a_corrected_sheet_updates_the_matching_household_and_resident(
    staff_client, staff_user, register
):
    a1 = register.resident_a1
    sheet = [
        row(door="301", area="70.10", name="李华玉", 身份证号=a1.id_number, 出生年份="1962",
            联系电话="13800000000", 与户关系="共有人"),
    ]  # fmt: skip
    page, url = upload(staff_client, sheet)
    assertContains(page, "专有面积")
    assertContains(page, "联系电话")
    assert page.context["counts"]["update"] == 1
    staff_client.post(url)
    register.household_a1.refresh_from_db()
    a1.refresh_from_db()
    assert str(register.household_a1.area) == "70.10"
    assert a1.phone == "13800000000"
    assert Resident.objects.filter(name="李华玉").count() == 1
    assert stored(register.membership_a1).relation == ("co_owner")
    assert a1.history.first().history_user == staff_user
    assert a1.history.first().history_change_reason == "Imported from a spreadsheet"


def test_an_empty_cell_keeps_what_is_stored(staff_client, register):
    a1 = register.resident_a1
    sheet = [
        row(door="301", area="", name="李华玉", 身份证号="", 联系电话="", 性别="", 出生年份="")
    ]
    page, _url = upload(staff_client, sheet)
    assert page.context["counts"]["unchanged"] == 1
    a1.refresh_from_db()
    assert a1.phone == "13812345678"


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        ({"身份证号": "52010219800101001"}, "An ID number has 18 characters"),
        ({"身份证号": NEW_ID[:-1] + ("0" if NEW_ID[-1] != "0" else "1")}, "check digit"),
        ({"联系电话": "12345"}, "11-digit mainland mobile number"),
        ({"楼栋": "99"}, "Unknown building 99 in 庆丰小区."),
        ({"小区": "不存在小区"}, "Unknown compound, or not one you manage: 不存在小区."),
        ({"专有面积": "-3"}, "The area cannot be negative."),
        ({"专有面积": "七十"}, "The area “七十” is not a number."),
        ({"居住状态": "借住"}, "Occupancy: write 自住, 出租 or 空置"),
        ({"出生年份": "1979"}, "The ID number says 1980; the year of birth says 1979."),
        ({"门牌号": ""}, "门牌号 is empty."),
    ],
)
def test_a_bad_row_is_rejected_with_its_number_and_reason_and_nothing_is_imported(
    staff_client, register, cells, reason
):
    page, url = upload(staff_client, [row(door="303", name=""), row(**cells)])
    assert page.context["counts"]["reject"] == 1
    rejected = [r for r in page.context["rows"] if r[1] == "reject"]
    assert rejected[0][0] == "3"  # the header is row 1
    assert reason in rejected[0][5]
    assertContains(page, "1 row is rejected.")
    assertNotContains(page, ">Import</button>")
    before = Household.objects.count()
    staff_client.post(url)
    assert Household.objects.count() == before


def test_a_door_number_given_twice_with_other_data_is_rejected(staff_client, register):
    page, _url = upload(staff_client, [row(name=""), row(area="80.00", name="")])
    rejected = [r for r in page.context["rows"] if r[1] == "reject"]
    assert len(rejected) == 1
    assert "Door number 302 already appears in row 2 with other data (专有面积)." in rejected[0][5]


def test_a_household_with_several_residents_is_one_household(staff_client, register):
    other = id_number(1982, 8, region=FIXED_REGION)
    _page, url = upload(
        staff_client,
        [
            row(),
            row(name="王大明", 身份证号=other, 出生年份="1982", 性别="男", 与户关系="家庭成员"),
        ],
    )
    staff_client.post(url)
    household = Household.objects.get(unit=register.unit_a1, door_number="302")
    assert sorted(household.memberships.values_list("resident__name", flat=True)) == [
        "王大明",
        "王小燕",
    ]


def test_the_same_person_twice_in_one_household_is_rejected(staff_client, register):
    page, _url = upload(staff_client, [row(), row()])
    rejected = [r for r in page.context["rows"] if r[1] == "reject"]
    assert "王小燕 already appears in row 2 for this household." in rejected[0][5]


def test_an_id_number_given_for_two_names_is_rejected(staff_client, register):
    page, _url = upload(staff_client, [row(), row(door="303", name="张三")])
    rejected = [r for r in page.context["rows"] if r[1] == "reject"]
    assert "This ID number is given in row 2 for 王小燕." in rejected[0][5]


def test_an_owner_of_two_households_is_one_resident(staff_client, register):
    _page, url = upload(staff_client, [row(), row(door="303")])
    staff_client.post(url)
    resident = Resident.objects.get(id_number=NEW_ID)
    assert resident.memberships.count() == 2


def test_a_new_unit_of_a_known_building_is_created(staff_client, register):
    page, url = upload(staff_client, [row(单元="5")])
    assertContains(page, "1 new units will be created.")
    staff_client.post(url)
    assert Unit.objects.get(building=register.building_a1, number="5").households.count() == 1


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gbk", "gb18030"])
def test_csv_files_in_utf8_and_gbk_are_read(staff_client, register, encoding):
    page, _url = upload(staff_client, [row(户备注="一楼东户")], encoding=encoding)
    assert page.context["counts"]["create"] == 1
    assertContains(page, "王小燕")


def test_an_xlsx_workbook_is_read_with_numbers_as_typed(staff_client, register):
    sheet = xlsx_file([HEADER, ["庆丰小区", 18, 2, 302, 72.5, "自住", "否", "否", "", "王小燕", "业主",
                                "女", 1980, 13912345678, NEW_ID]])  # fmt: skip
    page, url = upload(staff_client, [], sheet=sheet)
    assert page.context["counts"]["create"] == 1, page.context["rows"]
    staff_client.post(url)
    assert str(Household.objects.get(door_number="302").area) == "72.50"
    assert Resident.objects.get(id_number=NEW_ID).phone == "13912345678"


def test_a_file_in_another_encoding_is_refused_with_a_clear_message(staff_client, register):
    sheet = csv_file([HEADER, row()], encoding="utf-16")
    response = staff_client.post(reverse("residents:import"), {"file": sheet})
    assert response.status_code == 200
    assertContains(response, "The file is neither UTF-8 nor GBK/GB18030 text.")


def test_a_sheet_without_the_place_columns_is_refused(staff_client, register):
    sheet = csv_file([["姓名", "电话"], ["王小燕", "13912345678"]])
    response = staff_client.post(reverse("residents:import"), {"file": sheet})
    assertContains(
        response, "The first row must name the columns; missing: 小区, 楼栋, 单元, 门牌号."
    )


def test_a_file_that_is_not_a_spreadsheet_is_refused(staff_client, register):
    sheet = csv_file([], name="sheet.pdf")
    response = staff_client.post(reverse("residents:import"), {"file": sheet})
    assertContains(response, "File extension “pdf” is not allowed.")


def test_the_usual_variants_of_column_names_are_understood(staff_client, register):
    header = ["小区名称", "楼号", "单元号", "房号", "面积（㎡）", "姓名", "身份证号码", "手机号"]
    sheet = csv_file(
        [header, ["庆丰小区", "18", "2", "302", "72", "王小燕", NEW_ID, "13912345678"]]
    )
    page, url = upload(staff_client, [], sheet=sheet)
    assert page.context["counts"]["create"] == 1
    staff_client.post(url)
    assert Resident.objects.get(id_number=NEW_ID).phone == "13912345678"


def test_a_member_may_not_import_into_another_compound(member_client, register):
    page, _url = upload(
        member_client, [row(小区="黔灵小区", 楼栋="5", 单元="1", 联系电话="", 身份证号="")]
    )
    assert "Unknown compound, or not one you manage: 黔灵小区." in page.context["rows"][0][5]


def test_a_courtyard_member_may_not_import_into_the_other_courtyard(courtyard_client, register):
    page, _url = upload(courtyard_client, [row(楼栋="17", 单元="3", 联系电话="", 身份证号="")])
    assert (
        "Building 17 is outside the part of the register you manage."
        in (page.context["rows"][0][5])
    )


def test_a_member_may_import_households_but_not_personal_data(member_client, register):
    page, url = upload(
        member_client, [row(联系电话="", 身份证号="", 出生年份=""), row(door="303", name="张三")]
    )
    assert [r[1] for r in page.context["rows"]] == ["create", "reject"]
    assert (
        "Only neighbourhood-committee staff may import phone numbers" in page.context["rows"][1][5]
    )


def test_a_member_may_not_import_party_membership(member_client, register):
    # Writing it would also tell, in the preview, what is stored: personal information.
    page, _url = upload(
        member_client,
        [
            row(联系电话="", 身份证号="", 出生年份="", 党员="是"),
            row(door="303", name="张三", 联系电话="", 身份证号="", 出生年份="", 党员="否"),
        ],
    )
    assert [r[1] for r in page.context["rows"]] == ["reject", "reject"]
    assert "party membership" in page.context["rows"][0][5]


def test_staff_import_party_membership(staff_client, register):
    _page, url = upload(staff_client, [row(党员="是")])
    staff_client.post(url)
    assert Resident.objects.get(id_number=NEW_ID).is_party_member


def test_an_id_number_registered_outside_the_users_part_is_refused(staff_client, register):
    page, _url = upload(
        staff_client, [row(身份证号=register.resident_b.id_number, 出生年份="1958")]
    )
    # saying only what the user may know (tests/security/test_existence_oracles.py)
    assert page.context["rows"][0][5] == (
        "This ID number cannot be registered here; ask the administrator."
    )


def test_rows_rejected_at_confirmation_leave_everything_as_it_was(staff_client, register):
    _page, url = upload(staff_client, [row(door="303", name=""), row()])
    # meanwhile the person is registered in another community
    MembershipFactory(household=register.household_b, resident=ResidentFactory(id_number=NEW_ID))
    response = staff_client.post(url, follow=True)
    assertContains(response, "Nothing was imported.")
    assert not Household.objects.filter(door_number__in=["302", "303"]).exists()


def test_someone_elses_upload_cannot_be_previewed_or_confirmed(
    staff_client, log_in, register, admin_user
):
    _page, url = upload(staff_client, [row()])
    other = log_in(admin_user)
    assert other.get(url).status_code == 404
    assert other.post(url).status_code == 404
    assert not Household.objects.filter(door_number="302").exists()


def test_an_outsider_may_not_import(outsider_client, client):
    assert outsider_client.get(reverse("residents:import")).status_code == 403
    assert client.get(reverse("residents:import")).status_code == 302


def test_import_rules_run_without_the_pages(tmp_path, staff_user, register):
    path = tmp_path / "sheet.csv"
    path.write_bytes(csv_file([HEADER, row()]).read())
    report = register_import(path=path, user=staff_user)
    assert report.counts["create"] == 1
    assert not Household.objects.filter(door_number="302").exists()
    register_import(path=path, user=staff_user, write=True)
    assert Household.objects.filter(door_number="302").exists()


# Template and export


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_template_has_chinese_headers(staff_client, register, fmt):
    response = staff_client.get(reverse("residents:import_template", args=[fmt]))
    rows = read_csv(response) if fmt == "csv" else read_xlsx(response)[1]
    assert rows[0][:4] == ["小区", "楼栋", "单元", "门牌号"]
    assert "身份证号" in rows[0]


def test_staff_export_the_register_in_full_and_it_reads_back_unchanged(staff_client, register):
    response = staff_client.get(reverse("residents:export", args=["csv"]))
    rows = read_csv(response)
    by_name = {r[NAME]: r for r in rows[1:]}
    assert set(by_name) == {"李华玉", "武莉华"}  # not the other community's resident
    assert by_name["李华玉"][PHONE] == "13812345678"
    assert by_name["李华玉"][CARE] == register.resident_a1.care_notes
    assert (by_name["李华玉"][PARTY], by_name["武莉华"][PARTY]) == ("是", "否")
    page, _url = upload(staff_client, [], sheet=csv_file(rows))
    assert page.context["counts"]["unchanged"] == 2


def test_a_member_exports_personal_data_masked_and_the_export_reads_back(member_client, register):
    _book, rows = read_xlsx(member_client.get(reverse("residents:export", args=["xlsx"])))
    by_name = {r[NAME]: r for r in rows[1:]}
    assert by_name["李华玉"][PHONE] == "138****5678"
    assert by_name["李华玉"][ID].startswith("5201") and "*" in by_name["李华玉"][ID]
    assert by_name["李华玉"][CARE] in ("", None)
    assert by_name["李华玉"][PARTY] in ("", None)  # a party member: personal information
    page, _url = upload(member_client, [], sheet=xlsx_file(rows))
    assert page.context["counts"]["unchanged"] == 2


def test_the_not_handed_over_mark_is_imported_and_exported(staff_client, register):
    _page, url = upload(staff_client, [row(已售未交付="是")])
    staff_client.post(url)
    household = Household.objects.get(unit=register.unit_a1, door_number="302")
    assert household.not_handed_over
    assert not household.developer_unsold

    rows = read_csv(staff_client.get(reverse("residents:export", args=["csv"])))
    marked = {r[HEADER.index("门牌号")]: r[HEADER.index("已售未交付")] for r in rows[1:]}
    assert marked["302"] == "是"
    assert set(marked.values()) == {"是", "否"}


def test_an_export_of_one_compound_is_limited_to_it_and_scope(member_client, register):
    url = reverse("residents:export", args=["csv"])
    assert member_client.get(url, {"compound": register.compound_b.pk}).status_code == 404
    rows = read_csv(member_client.get(url, {"compound": register.compound_a.pk}))
    assert len(rows) == 3


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_of_full_numbers_is_logged_once_with_how_many_residents_it_held(
    staff_client, staff_user, register, fmt
):
    # A resident without numbers is not counted.
    MembershipFactory(
        resident=ResidentFactory(phone="", id_number=""), household=register.household_a1
    )
    url = reverse("residents:export", args=[fmt])
    staff_client.get(url, {"compound": register.compound_a.pk})
    log = PersonalDataReveal.objects.get()
    assert (log.user, log.kind, log.resident, log.resident_count, log.fields) == (
        staff_user,
        PersonalDataReveal.Kind.EXPORT,
        None,
        2,
        "phone,id_number",
    )
    assert log.path == f"{url}?compound={register.compound_a.pk}"


def test_an_export_with_numbers_masked_logs_nothing(member_client, register):
    member_client.get(reverse("residents:export", args=["csv"]))
    assert not PersonalDataReveal.objects.exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_formulas_in_exported_cells_are_neutralised(staff_client, register, fmt):
    register.resident_a1.name = '=HYPERLINK("http://x")'
    register.resident_a1.save()
    response = staff_client.get(reverse("residents:export", args=[fmt]))
    if fmt == "csv":
        rows = read_csv(response)
    else:
        book, rows = read_xlsx(response)
        assert all(c.data_type != "f" for r in book.active.iter_rows() for c in r)
    names = [r[NAME] for r in rows[1:]]
    assert '\'=HYPERLINK("http://x")' in names
    assert not any(str(c or "").startswith(("=", "+", "-", "@")) for r in rows for c in r)


def test_the_register_pages_link_to_import_and_export(staff_client, register):
    page = staff_client.get(reverse("residents:compound", args=[register.compound_a.pk]))
    assertContains(page, reverse("residents:import"))
    assertContains(
        page, reverse("residents:export", args=["xlsx"]) + f"?compound={register.compound_a.pk}"
    )
    page = staff_client.get(reverse("residents:resident_list"))
    assertContains(page, reverse("residents:import"))
    assertContains(page, reverse("residents:export", args=["csv"]))


def test_the_admin_household_list_links_to_the_import(admin_client, register):
    page = admin_client.get(reverse("admin:residents_household_changelist"))
    assertContains(page, reverse("residents:import"))
    assertContains(page, reverse("residents:export", args=["xlsx"]))


def test_the_preview_page_queries_do_not_grow_with_rows(
    staff_client, register, django_assert_num_queries
):
    _page, small = upload(staff_client, [row(name="")])
    _page, large = upload(staff_client, [row(door=str(400 + i), name="") for i in range(300)])
    # session, user, access grants
    with django_assert_num_queries(3):
        assert staff_client.get(small).status_code == 200
    with django_assert_num_queries(3):
        page = staff_client.get(large)
    assert len(page.context["rows"]) == 200
    assert staff_client.get(large, {"page": 2, "show": "create"}).context["rows"][0][0] == "202"


def test_a_compound_name_shared_by_two_communities_is_not_guessed(admin_client, register):
    # 黔灵社区 has its own 庆丰小区, with a building 18, unit 2: the row cannot say which.
    twin = CompoundFactory(community=register.community_b, name="庆丰小区")
    UnitFactory(building=BuildingFactory(compound=twin, number="18"), number="2")
    page, url = upload(admin_client, [row()])
    assertContains(
        page,
        "Compounds of several communities are named 庆丰小区 (金仓社区, 黔灵社区): "
        "import them as staff of their community.",
    )
    admin_client.post(url)
    assert not Household.objects.filter(door_number="302").exists()

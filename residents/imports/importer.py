"""The register in spreadsheets: the rules of importing households and residents, and the
export that reads back in. The staff pages and the admin both come here.

One row per resident, with the place of their household (compound, building, unit, door
number); a household without residents is a row with no name. Households are matched by
compound + building + unit + door number, residents by ID number, else by name within the
household. An empty cell keeps what is stored; re-importing the same sheet changes nothing.
Buildings must already be in the register; a missing unit of a known building is created.

The column headers and the words in cells (业主, 自住, 是) are a file format shared with the
committees' own sheets, so they stay in Chinese whatever the interface language.
"""

import datetime
import itertools
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from jinzang.bulk import insert_with_history
from jinzang.spreadsheets import (
    CREATE,
    REJECT,
    UNCHANGED,
    UPDATE,
    Report,
    SpreadsheetError,
    map_headers,
    read_rows,
)
from jinzang.templatetags.jinzang import listing
from residents.access import Access
from residents.models import (
    RESIDENT_FIELDS,
    Building,
    Compound,
    Household,
    Membership,
    Resident,
    Unit,
)
from residents.privacy.services import ID_NUMBER_REFUSED, id_numbers_refused
from residents.validators import (
    id_birth_date,
    mask_id_number,
    mask_phone,
    normalize_id_number,
    normalize_phone,
    validate_id_number,
    validate_mobile,
)

# key: (template header, other names people use)
COLUMNS: dict[str, tuple[str, ...]] = {
    "compound": ("小区", "小区名称", "compound"),
    "building": ("楼栋", "栋", "楼栋号", "楼号", "栋号", "building"),
    "unit": ("单元", "单元号", "号房", "unit"),
    "door": ("门牌号", "房号", "门牌", "户号", "房间号", "door", "door number"),
    "area": ("专有面积", "面积", "建筑面积", "房屋面积", "area"),
    "occupancy": ("居住状态", "使用状态", "occupancy"),
    "developer_unsold": ("开发商未售", "developer unsold"),
    "not_handed_over": ("已售未交付", "not handed over"),
    "household_notes": ("户备注", "household notes"),
    "name": ("姓名", "居民姓名", "name"),
    "relation": ("与户关系", "关系", "身份", "relation"),
    "gender": ("性别", "gender"),
    "birth_year": ("出生年份", "出生年", "birth year"),
    "phone": ("联系电话", "手机号", "手机号码", "手机", "电话", "phone"),
    "id_number": ("身份证号", "身份证号码", "证件号码", "公民身份号码", "id number"),
    "party": ("党员", "是否党员", "party member"),
    "volunteer": ("志愿者", "是否志愿者", "volunteer"),
    "care_notes": ("关爱情况", "关怀备注", "困难情况", "care notes"),
}
REQUIRED = ("compound", "building", "unit", "door")
# Personal information (the README's list), by column and by the resident's field.
PERSONAL = ("phone", "id_number", "party", "care_notes")
PERSONAL_FIELDS = {"phone", "id_number", "is_party_member", "care_notes"}

OCCUPANCY = {
    "自住": "owner",
    "业主自住": "owner",
    "出租": "rented",
    "空置": "vacant",
    "owner": "owner",
    "rented": "rented",
    "vacant": "vacant",
}
RELATION = {
    "业主": "owner",
    "产权人": "owner",
    "共有人": "co_owner",
    "共有产权人": "co_owner",
    "租户": "tenant",
    "租客": "tenant",
    "承租人": "tenant",
    "家庭成员": "family",
    "家属": "family",
    "成员": "family",
    "owner": "owner",
    "co_owner": "co_owner",
    "tenant": "tenant",
    "family": "family",
}
GENDER = {"男": "M", "女": "F", "m": "M", "f": "F", "male": "M", "female": "F"}
YES = {"是", "y", "yes", "1", "true", "√", "✓"}
NO = {"否", "n", "no", "0", "false", "×"}
OCCUPANCY_WORD = {"owner": "自住", "rented": "出租", "vacant": "空置"}
RELATION_WORD = {"owner": "业主", "co_owner": "共有人", "tenant": "租户", "family": "家庭成员"}
GENDER_WORD = {"M": "男", "F": "女"}
MAX_AREA = Decimal("999999.99")
BATCH = 2000

HOUSEHOLD_FIELDS = ("area", "occupancy", "developer_unsold", "not_handed_over", "notes")


def template_rows():
    """The header and two example rows of the downloadable template."""
    header = [COLUMNS[key][0] for key in COLUMNS]
    return [
        header,
        ["庆丰小区", "18", "2", "301", "68.50", "自住", "否", "否", ""]
        + ["李华玉", "业主", "女", "1962", "", "", "是", "否", ""],
        ["庆丰小区", "18", "2", "302", "72.00", "出租", "否", "否", ""]
        + ["", "", "", "", "", "", "", "", ""],
    ]


# --- reading one row ---------------------------------------------------------------------


@dataclass(slots=True)
class Row:
    number: int
    compound: str
    building: str
    unit: str
    door: str
    household: dict  # parsed household fields given (non-empty cells only)
    name: str
    relation: str
    resident: dict  # parsed resident fields given (non-empty cells only), name included
    errors: list = field(default_factory=list)

    @property
    def place(self) -> str:
        return f"{self.compound} {self.building}-{self.unit}-{self.door}"


def _is_masked(value: str) -> bool:
    return "*" in value


def _bool(value, label, errors):
    v = value.strip().lower()
    if v in YES:
        return True
    if v in NO:
        return False
    errors.append(
        _("%(column)s: write 是 or 否, not “%(value)s”.") % {"column": label, "value": value}
    )
    return None


def _parse(number, cells, cols, may_see_personal, today) -> Row:
    n = len(cells)
    # the non-empty cells only: most of a row's checks are then a missing key
    values = {key: c for key, i in cols.items() if i < n and (c := cells[i].strip())}
    get = values.get

    errors = []
    row = Row(
        number=number,
        compound=get("compound", ""),
        building=get("building", ""),
        unit=get("unit", ""),
        door=get("door", ""),
        household={},
        name=get("name", ""),
        relation="",
        resident={},
        errors=errors,
    )
    for key in REQUIRED:
        if key not in values:
            errors.append(_("%(column)s is empty.") % {"column": COLUMNS[key][0]})
    for key, limit in (("building", 20), ("unit", 20), ("door", 20)):
        if len(get(key, "")) > limit:
            errors.append(
                _("%(column)s is longer than %(n)s characters.")
                % {"column": COLUMNS[key][0], "n": limit}
            )
    h = row.household
    if area := get("area"):
        try:
            value = Decimal(area.replace(",", "").replace("㎡", "").replace("m²", ""))
            if not value.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            errors.append(_("The area “%(value)s” is not a number.") % {"value": area})
        else:
            if value < 0:
                errors.append(_("The area cannot be negative."))
            elif value > MAX_AREA:
                errors.append(_("The area is too large."))
            else:
                h["area"] = value.quantize(Decimal("0.01"), ROUND_HALF_UP)
    if occupancy := get("occupancy"):
        if occupancy.lower() in OCCUPANCY:
            h["occupancy"] = OCCUPANCY[occupancy.lower()]
        else:
            errors.append(
                _("Occupancy: write 自住, 出租 or 空置, not “%(value)s”.") % {"value": occupancy}
            )
    if unsold := get("developer_unsold"):
        h["developer_unsold"] = _bool(unsold, COLUMNS["developer_unsold"][0], errors)
    if not_handed_over := get("not_handed_over"):
        h["not_handed_over"] = _bool(not_handed_over, COLUMNS["not_handed_over"][0], errors)
    if notes := get("household_notes"):
        h["notes"] = notes

    r = row.resident
    personal_given = [k for k in PERSONAL if k in values and not _is_masked(values[k])]
    if not row.name:
        if not _RESIDENT_KEYS.isdisjoint(values):
            errors.append(_("Resident details without a name: fill in the name."))
        return row
    if len(row.name) > 50:
        errors.append(_("The name is longer than 50 characters."))
    r["name"] = row.name
    relation = get("relation", "")
    if not relation:
        row.relation = Membership.Relation.FAMILY
    elif relation.lower() in RELATION:
        row.relation = RELATION[relation.lower()]
    else:
        errors.append(
            _("Relation: write 业主, 共有人, 租户 or 家庭成员, not “%(value)s”.")
            % {"value": relation}
        )
    if gender := get("gender"):
        if gender.lower() in GENDER:
            r["gender"] = GENDER[gender.lower()]
        else:
            errors.append(_("Gender: write 男 or 女, not “%(value)s”.") % {"value": gender})
    if year := get("birth_year"):
        if year.isdigit() and 1900 <= int(year) <= today.year:
            r["birth_year"] = int(year)
        else:
            errors.append(_("The year of birth “%(value)s” is not a year.") % {"value": year})
    for key, attr in (("party", "is_party_member"), ("volunteer", "is_volunteer")):
        if value := get(key):
            r[attr] = _bool(value, COLUMNS[key][0], errors)
    if personal_given and not may_see_personal:
        errors.append(
            _(
                "Only neighbourhood-committee staff may import phone numbers, ID numbers, "
                "party membership and care notes: leave these cells empty."
            )
        )
        return row
    phone = get("phone", "")
    if phone and not _is_masked(phone):
        phone = normalize_phone(phone)
        try:
            validate_mobile(phone)
        except ValidationError as error:
            errors.append(
                _("Phone “%(value)s”: %(error)s")
                % {"value": get("phone"), "error": error.messages[0]}
            )
        else:
            r["phone"] = phone
    id_number = get("id_number", "")
    if id_number and not _is_masked(id_number):
        id_number = normalize_id_number(id_number)
        try:
            validate_id_number(id_number, today)
        except ValidationError as error:
            errors.append(_("ID number: %(error)s") % {"error": error.messages[0]})
        else:
            r["id_number"] = id_number
            birth = id_birth_date(id_number)
            if "birth_year" in r and birth and birth.year != r["birth_year"]:
                errors.append(
                    _("The ID number says %(id_year)s; the year of birth says %(year)s.")
                    % {"id_year": birth.year, "year": r["birth_year"]}
                )
    if (care := get("care_notes")) and not _is_masked(care):
        r["care_notes"] = care
    return row


_RESIDENT_KEYS = {
    "relation",
    "gender",
    "birth_year",
    "phone",
    "id_number",
    "party",
    "volunteer",
    "care_notes",
}


# --- the register as it stands, in the user's part ---------------------------------------


class _Register:
    """What the import compares with, loaded in a fixed number of queries."""

    def __init__(self, user, where=""):
        access = Access.of(user)
        self.access, self.user, self.where = access, user, where
        compounds = Compound.objects.visible_to(user)
        self.compounds = {}
        # Names shared by compounds of several communities: a row naming one cannot say which.
        self.shared_names = {}
        community_of = {}
        for pk, n, c, community in compounds.values_list(
            "pk", "name", "community_id", "community__name"
        ).order_by("community__name"):
            if n in self.compounds:
                self.shared_names.setdefault(n, [self.compounds[n][2]]).append(community)
            self.compounds[n] = (pk, c, community)
            community_of[pk] = c
        visible = set(Building.objects.visible_to(user).values_list("pk", flat=True))
        self.buildings = {}
        personal_buildings = set()
        for pk, compound_id, number in Building.objects.filter(compound__in=compounds).values_list(
            "pk", "compound_id", "number"
        ):
            self.buildings[(compound_id, number)] = (pk, pk in visible)
            if access.can_see_personal_in(community_of[compound_id]):
                personal_buildings.add(pk)
        self.units = {
            (b, n): pk
            for pk, b, n in Unit.objects.filter(building_id__in=visible).values_list(
                "pk", "building_id", "number"
            )
        }
        personal_units = {pk for (b, _n), pk in self.units.items() if b in personal_buildings}
        in_scope = Household.objects.filter(unit__building_id__in=visible)
        self.households = {}
        self.household_rows = {}
        personal = set()  # households whose residents' ID numbers the user may see
        for pk, unit_id, door, *values in in_scope.values_list(
            "pk", "unit_id", "door_number", *HOUSEHOLD_FIELDS
        ).iterator(chunk_size=BATCH):
            self.households[(unit_id, door)] = pk
            self.household_rows[pk] = (unit_id, door, *values)
            if unit_id in personal_units:
                personal.add(pk)
        self.residents = {}  # pk -> tuple of RESIDENT_FIELDS
        self.by_id_number = {}
        self.members = {}  # household pk -> {resident pk: (membership pk, relation)}
        for m_pk, h_pk, r_pk, relation, *values in (
            Membership.objects.filter(household__in=in_scope)
            .values_list(
                "pk",
                "household_id",
                "resident_id",
                "relation",
                *(f"resident__{f}" for f in RESIDENT_FIELDS),
            )
            .iterator(chunk_size=BATCH)
        ):
            self.members.setdefault(h_pk, {})[r_pk] = (m_pk, relation)
            self.residents[r_pk] = tuple(values)
            # Matched by ID number only where the user may see it: a resident the user sees
            # only by name is registered elsewhere as far as ID numbers go.
            if values[4] and h_pk in personal:
                self.by_id_number[values[4]] = r_pk
        # ID numbers of the sheet the user may not register: refused, not merged.
        self.elsewhere = set()

    def look_up_elsewhere(self, id_numbers):
        self.elsewhere |= id_numbers_refused(
            user=self.user,
            id_numbers=[i for i in id_numbers if i not in self.by_id_number],
            where=self.where,
        )


# --- the plan ---------------------------------------------------------------------------


@dataclass
class Plan:
    new_units: dict = field(default_factory=dict)  # (building pk, number) -> Unit
    new_households: dict = field(default_factory=dict)  # key -> Household
    changed_households: dict = field(default_factory=dict)  # pk -> Household
    new_residents: dict = field(default_factory=dict)  # key -> Resident
    changed_residents: dict = field(default_factory=dict)  # pk -> Resident
    # (household key, resident key) -> (household pk or None when new, relation)
    new_members: dict = field(default_factory=dict)
    changed_members: dict = field(default_factory=dict)  # membership pk -> Membership


_HOUSEHOLD_LABEL = {
    "area": "专有面积",
    "occupancy": "居住状态",
    "developer_unsold": "开发商未售",
    "not_handed_over": "已售未交付",
    "notes": "户备注",
}
_RESIDENT_LABEL = {
    "name": "姓名",
    "gender": "性别",
    "birth_year": "出生年份",
    "phone": "联系电话",
    "id_number": "身份证号",
    "is_party_member": "党员",
    "is_volunteer": "志愿者",
    "care_notes": "关爱情况",
}


def register_import(*, path, user, write: bool = False, where: str = "") -> Report:
    """Read the sheet at `path` and say, row by row, what importing it would do; with
    `write`, do it, all or nothing: nothing is written unless every row is clean. `where`
    names the page (or the command) importing, for the log."""
    if not write:
        return _plan(path, user, where)[0]
    with transaction.atomic():
        report, plan = _plan(path, user, where)
        if report.is_clean:
            _write(plan, user)
        return report


def _plan(path, user, where):
    access = Access.of(user)
    rows_in = read_rows(path)
    try:
        _number, header = next(rows_in)
    except StopIteration:
        raise SpreadsheetError(_("The file is empty."), code="empty") from None
    cols = map_headers(header, COLUMNS, REQUIRED)
    personal_anywhere = access.is_staff_role
    today = timezone.localdate()
    reg = _Register(user, where)
    report = Report()
    # translated once, not once a row
    words = {
        "new unit": _("new unit"),
        "new household": _("new household"),
        "new resident": _("new resident"),
        "joins the household": _("joins the household"),
    }
    plan = Plan()
    seen_household = {}  # key -> (row number, household fields given)
    seen_id = {}  # id number -> (row number, name, resident fields)
    seen_member = {}  # (household key, resident key) -> row number
    total = 0
    # In slices, so that only a slice of parsed rows is held at a time.
    for chunk in itertools.batched(rows_in, 5000):
        rows = [_parse(n, cells, cols, personal_anywhere, today) for n, cells in chunk]
        total += len(rows)
        reg.look_up_elsewhere({r.resident["id_number"] for r in rows if "id_number" in r.resident})
        _plan_rows(rows, reg, plan, report, seen_household, seen_id, seen_member, words)
    if not total:
        raise SpreadsheetError(_("The file has no rows under its header."), code="empty")
    if plan.new_units:
        report.notes.append(_("%(n)s new units will be created.") % {"n": len(plan.new_units)})
    return report, plan


def _plan_rows(rows, reg, plan, report, seen_household, seen_id, seen_member, words):
    for row in rows:
        changes = []
        action = UNCHANGED
        errors = row.errors
        if not errors:
            errors, action, changes = _plan_row(
                row, reg, plan, seen_household, seen_id, seen_member, words
            )
        who = row.name
        if errors:
            report.add(row.number, REJECT, row.place, who, " ".join(errors))
        else:
            report.add(row.number, action, row.place, who, "、".join(changes))


def _plan_row(row, reg, plan, seen_household, seen_id, seen_member, words):
    errors, changes = [], []
    compound = reg.compounds.get(row.compound)
    if compound is None:
        return (
            [_("Unknown compound, or not one you manage: %(name)s.") % {"name": row.compound}],
            REJECT,
            [],
        )
    if row.compound in reg.shared_names:
        return (
            [
                _(
                    "Compounds of several communities are named %(name)s (%(communities)s): "
                    "import them as staff of their community."
                )
                % {"name": row.compound, "communities": listing(reg.shared_names[row.compound])}
            ],
            REJECT,
            [],
        )
    compound_id, community_id, _community = compound
    building = reg.buildings.get((compound_id, row.building))
    if building is None:
        return (
            [
                _("Unknown building %(number)s in %(compound)s.")
                % {"number": row.building, "compound": row.compound}
            ],
            REJECT,
            [],
        )
    building_id, in_scope = building
    if not in_scope:
        return (
            [
                _("Building %(number)s is outside the part of the register you manage.")
                % {"number": row.building}
            ],
            REJECT,
            [],
        )
    if row.resident.keys() & PERSONAL_FIELDS and not reg.access.can_see_personal_in(community_id):
        return (
            [
                _(
                    "Only neighbourhood-committee staff may import phone numbers, ID numbers, "
                    "party membership and care notes: leave these cells empty."
                )
            ],
            REJECT,
            [],
        )
    unit_key = (building_id, row.unit)
    unit_id = reg.units.get(unit_key)
    if unit_id is None and unit_key not in plan.new_units:
        plan.new_units[unit_key] = {"building_id": building_id, "number": row.unit}
        changes.append(words["new unit"])
    h_key = (unit_key, row.door)
    household_pk = reg.households.get((unit_id, row.door)) if unit_id else None
    created = False
    # The household: its first row decides; a later row may only repeat it.
    if h_key in seen_household:
        first, given = seen_household[h_key]
        clash = [k for k, v in row.household.items() if k in given and given[k] != v]
        if clash:
            errors.append(
                _(
                    "Door number %(door)s already appears in row %(row)s with other data (%(fields)s)."
                )
                % {
                    "door": row.door,
                    "row": first,
                    "fields": "、".join(_HOUSEHOLD_LABEL[k] for k in clash),
                }
            )
            return errors, REJECT, []
        missing = {k: v for k, v in row.household.items() if k not in given}
        if missing:
            errors.append(
                _("Door number %(door)s already appears in row %(row)s: give its details there.")
                % {"door": row.door, "row": first}
            )
            return errors, REJECT, []
    else:
        seen_household[h_key] = (row.number, row.household)
        if household_pk is None:
            if "area" not in row.household:
                return [_("A new household needs its area.")], REJECT, []
            plan.new_households[h_key] = {
                "unit_id": unit_id,
                "door_number": row.door,
                **row.household,
            }
            created = True
            changes.append(words["new household"])
        else:
            stored = dict(zip(HOUSEHOLD_FIELDS, reg.household_rows[household_pk][2:], strict=True))
            diff = [k for k, v in row.household.items() if stored[k] != v]
            if diff:
                stored.update(row.household)
                unit_id_, door_ = reg.household_rows[household_pk][:2]
                plan.changed_households[household_pk] = Household(
                    pk=household_pk, unit_id=unit_id_, door_number=door_, **stored
                )
                changes.extend(_HOUSEHOLD_LABEL[k] for k in diff)
    if not row.name:
        return errors, (CREATE if created else UPDATE if changes else UNCHANGED), changes

    # The resident: by ID number, else by name in the household.
    r = row.resident
    id_number = r.get("id_number", "")
    resident_pk = None
    if id_number:
        if id_number in seen_id:
            first, name, given = seen_id[id_number]
            if name != row.name:
                return (
                    [
                        _("This ID number is given in row %(row)s for %(name)s.")
                        % {"row": first, "name": name}
                    ],
                    REJECT,
                    [],
                )
            clash = [k for k, v in r.items() if k in given and given[k] != v]
            if clash:
                return (
                    [
                        _("The same person appears in row %(row)s with other data (%(fields)s).")
                        % {"row": first, "fields": "、".join(_RESIDENT_LABEL[k] for k in clash)}
                    ],
                    REJECT,
                    [],
                )
        if id_number in reg.elsewhere:
            # Only what the user may know: not that the number is registered elsewhere.
            return [str(ID_NUMBER_REFUSED)], REJECT, []
        resident_pk = reg.by_id_number.get(id_number)
    if resident_pk is None and household_pk is not None:
        for pk in reg.members.get(household_pk, {}):
            stored_name, stored_id = reg.residents[pk][0], reg.residents[pk][4]
            if stored_name == row.name and (not id_number or not stored_id):
                resident_pk = pk
                break
    r_key = resident_pk or ("new", id_number or (h_key, row.name))
    m_key = (h_key, r_key)
    if m_key in seen_member:
        return (
            [
                _("%(name)s already appears in row %(row)s for this household.")
                % {"name": row.name, "row": seen_member[m_key]}
            ],
            REJECT,
            [],
        )
    seen_member[m_key] = row.number
    if id_number and id_number not in seen_id:
        seen_id[id_number] = (row.number, row.name, r)
    if resident_pk is None:
        if r_key not in plan.new_residents:
            plan.new_residents[r_key] = dict(r)
            changes.append(words["new resident"])
            created = True
    else:
        stored = dict(zip(RESIDENT_FIELDS, reg.residents[resident_pk], strict=True))
        diff = [k for k, v in r.items() if stored[k] != v]
        if diff:
            current = plan.changed_residents.get(resident_pk)
            if current is not None:
                stored = {f: getattr(current, f) for f in RESIDENT_FIELDS}
            stored.update(r)
            plan.changed_residents[resident_pk] = Resident(pk=resident_pk, **stored)
            changes.extend(_RESIDENT_LABEL[k] for k in diff)
    membership = reg.members.get(household_pk, {}).get(resident_pk) if resident_pk else None
    if membership is None:
        plan.new_members[m_key] = (household_pk, row.relation)
        if not created:
            changes.append(words["joins the household"])
    elif membership[1] != row.relation:
        plan.changed_members[membership[0]] = Membership(
            pk=membership[0],
            household_id=household_pk,
            resident_id=resident_pk,
            relation=row.relation,
        )
        changes.append(COLUMNS["relation"][0])
    if created:
        return errors, CREATE, changes
    return errors, (UPDATE if changes else UNCHANGED), changes


def _write(plan: Plan, user) -> None:
    """Creations go in with jinzang.bulk (plain rows, with the history rows simple_history
    would write); the fewer changes through simple_history's bulk update."""
    reason = _("Imported from a spreadsheet")
    now = timezone.now()
    new = {"user": user, "reason": reason, "date": now}
    history = {"default_user": user, "default_change_reason": reason, "default_date": now}
    units = list(plan.new_units.values())
    Unit.objects.bulk_create([Unit(**u) for u in units], batch_size=BATCH)
    unit_ids = {
        (b, n): pk
        for pk, b, n in Unit.objects.filter(
            building_id__in={u["building_id"] for u in units}
        ).values_list("pk", "building_id", "number")
    }
    for (unit_key, _door), household in plan.new_households.items():
        if household["unit_id"] is None:
            household["unit_id"] = unit_ids[unit_key]
    insert_with_history(Household, list(plan.new_households.values()), **new)
    changed = list(plan.changed_households.values())
    for h in changed:
        h.updated_at = now
    bulk_update_with_history(
        changed, Household, [*HOUSEHOLD_FIELDS, "updated_at"], batch_size=BATCH, **history
    )
    insert_with_history(Resident, list(plan.new_residents.values()), **new)
    changed = list(plan.changed_residents.values())
    for r in changed:
        r.updated_at = now
    bulk_update_with_history(
        changed, Resident, [*RESIDENT_FIELDS, "updated_at"], batch_size=BATCH, **history
    )
    members = []
    for (h_key, r_key), (household_id, relation) in plan.new_members.items():
        if household_id is None:
            household_id = plan.new_households[h_key]["id"]
        resident_id = r_key if isinstance(r_key, int) else plan.new_residents[r_key]["id"]
        members.append(
            {"household_id": household_id, "resident_id": resident_id, "relation": relation}
        )
    insert_with_history(Membership, members, **new)
    bulk_update_with_history(
        list(plan.changed_members.values()), Membership, ["relation"], batch_size=BATCH, **history
    )


# --- export -----------------------------------------------------------------------------


def register_rows(user, compound=None, shown: set | None = None):
    """The register the user may see, one row per resident (or household without any), in the
    template's columns; personal data in full only where the user may see it, those
    residents' ids added to `shown` (for the log: an export of full numbers is logged)."""
    access = Access.of(user)
    households = Household.objects.visible_to(user)
    if compound is not None:
        households = households.filter(unit__building__compound=compound)
    yield [COLUMNS[key][0] for key in COLUMNS]
    place = (
        "unit__building__compound__name",
        "unit__building__compound__community_id",
        "unit__building__number",
        "unit__number",
        "door_number",
        *HOUSEHOLD_FIELDS,
    )
    members = (
        households.order_by(
            "unit__building__compound__name",
            "unit__building__number",
            "unit__number",
            "door_number",
            "memberships__relation",
            "memberships__resident__name",
        )
        .values_list(
            *place,
            "memberships__relation",
            "memberships__resident",
            *(f"memberships__resident__{f}" for f in RESIDENT_FIELDS),
        )
        .iterator(chunk_size=BATCH)
    )
    for (
        compound_name,
        community_id,
        building,
        unit,
        door,
        area,
        occ,
        unsold,
        not_handed_over,
        notes,
        relation,
        resident_id,
        *res,
    ) in members:
        row = [
            compound_name,
            building,
            unit,
            door,
            area,
            OCCUPANCY_WORD[occ],
            "是" if unsold else "否",
            "是" if not_handed_over else "否",
            notes,
        ]
        if relation is None:
            yield row + [""] * 9
            continue
        name, gender, year, phone, id_number, party, volunteer, care = res
        personal = access.can_see_personal_in(community_id)
        if personal and shown is not None and (phone or id_number):
            shown.add(resident_id)
        yield row + [
            name,
            RELATION_WORD[relation],
            GENDER_WORD.get(gender, ""),
            year or "",
            phone if personal else mask_phone(phone),
            id_number if personal else mask_id_number(id_number),
            ("是" if party else "否") if personal else "",
            "是" if volunteer else "否",
            care if personal else "",
        ]


def today_name(prefix: str) -> str:
    return f"{prefix}-{datetime.date.today():%Y%m%d}"

"""The demo register: the real Jincang Community with generated households.

Places, the named people and the administrator's account come from the story
(`jinzang.demo.story`); the other demo accounts, and the access they have, come
with the committee seats that `jinzang.demo.bodies` loads on top of this
register. Everyday households and residents are generated, deterministically per
unit: each unit has its own seeded random generator, so a unit's households do
not depend on the order in which units are loaded or on what else is in the
database.
Loading is idempotent: a second run finds everything and creates nothing.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from jinzang.demo.helpers import account, reporter
from jinzang.demo.story import (
    ADMIN,
    BAILAJING,
    COMMUNITY,
    COURTYARDS,
    NAMED_PEOPLE,
    QINGFENG,
    QINGFENG_1,
    QINGFENG_2,
    UNIT_HOUSEHOLDS,
    YUNYAN_REGION,
    NamedPerson,
)
from residents.models import (
    Building,
    Community,
    Compound,
    Courtyard,
    Household,
    Membership,
    Resident,
    Unit,
)
from residents.validators import id_check_char

# Ages are counted from a fixed year, not from today, so a unit generates the
# same people whenever it is loaded.
REFERENCE_YEAR = 2024

COMPOUNDS = {
    BAILAJING: {
        "built": "1980s",
        "notes": (
            "建于20世纪80年代，基础设施老化，曾是有名的“问题小区”。"
            "2013年经过两个月、近1000次入户动员，成立第一届业主委员会，"
            "盐务街街道提供3万元启动资金。第一届业委会实行“准物业”管理，由业委会自己安排保洁和管理。"
        ),
    },
    QINGFENG: {
        "built": "",
        "notes": (
            "由庆丰一号院和庆丰二号院组成。小区内有文化休闲区、健身区、微型消防站和便民停车棚。"
        ),
    },
}

# (compound, courtyard, building number, floors, unit numbers)
BUILDINGS = [
    *[
        (BAILAJING, None, str(n), floors, ["1", "2", "3"])
        for n, floors in zip(range(1, 9), [6, 6, 7, 6, 7, 6, 6, 7], strict=True)
    ],
    (QINGFENG, QINGFENG_1, "15", 6, ["1", "2", "3", "4"]),
    (QINGFENG, QINGFENG_1, "16", 7, ["1", "2", "3", "4"]),
    (QINGFENG, QINGFENG_1, "17", 6, ["1", "2", "3", "4"]),
    (QINGFENG, QINGFENG_1, "18", 7, ["1", "2", "3", "4"]),
    (QINGFENG, QINGFENG_2, "19", 6, ["1", "2", "3"]),
    (QINGFENG, QINGFENG_2, "20", 7, ["1", "2", "3"]),
    (QINGFENG, QINGFENG_2, "21", 6, ["1", "2", "3"]),
]

# A small number per compound that keeps every generated person's serial
# number unique across the demo (see _serial).
COMPOUND_CODES = {BAILAJING: 1, QINGFENG: 2}


# Common surnames, the ones frequent in Guizhou repeated so they come up more often.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛"
    "龚邵万严覃武戴莫孔向汤" + "杨杨王王李张刘陈吴罗龙黄"
)
MALE_CHARS = "伟强军勇杰涛明斌超刚平辉鹏华飞鑫波宇浩凯健俊帆建国文志永林成忠德兴海峰磊晨阳"
FEMALE_CHARS = "芳娜敏静丽艳娟霞秀英华慧巧美兰玉萍红琴云莲婷雪琳颖倩梅菊桂凤玲燕珍丹蓉莉"

CARE_NOTES = [
    "独居老人，行动不便，需定期探访",
    "空巢老人，子女在外地工作，需每周电话问候",
    "高龄老人，患慢性病，需定期上门探访",
    "残疾人，出行需要协助",
    "低保户，生活困难，需持续关注",
    "独居老人，听力较差，探访时请多敲门",
]

# Mobile prefixes of the three carriers; all match ^1[3-9].
MOBILE_PREFIXES = [
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139",
    "150", "151", "152", "153", "155", "156", "157", "158", "159",
    "166", "173", "175", "176", "177", "180", "181", "182", "183",
    "185", "186", "187", "188", "189", "191", "198", "199",
]  # fmt: skip


def _serial(compound: str, building: str, unit: str, person_index: int) -> int:
    """A number unique to one generated person across the whole demo.

    Named people use serials below 100; units start at 500 * 100.
    """
    unit_key = COMPOUND_CODES[compound] * 500 + int(building) * 10 + int(unit)
    return unit_key * 100 + person_index


def _phone(serial: int, rng: random.Random) -> str:
    # Multiplying by a number prime to 10 permutes the 8-digit suffixes: distinct
    # serials give distinct numbers whatever prefix is drawn.
    suffix = (serial * 2654435761 + 31415926) % 10**8
    return f"{rng.choice(MOBILE_PREFIXES)}{suffix:08d}"


# 365 days x 500 sequence numbers of one parity: room for every serial.
_ID_SLOTS = 365 * 500


def _id_number(serial: int, birth_year: int, gender: str) -> str:
    """A valid ID number for Yunyan district, unique per (serial, birth year, gender).

    The serial is spread over birthday and sequence number by a permutation of
    the slots, so two people born in the same year with the same gender never
    share both; the sequence number's parity gives the gender (odd = male).
    """
    slot = (serial * 7919 + 104729) % _ID_SLOTS
    day, half = slot % 365, slot // 365
    birthday = datetime.date(birth_year, 1, 1) + datetime.timedelta(days=day)
    sequence = half * 2 + (1 if gender == Resident.Gender.MALE else 0)
    first17 = f"{YUNYAN_REGION}{birthday:%Y%m%d}{sequence:03d}"
    return first17 + id_check_char(first17)


def _given_name(rng: random.Random, gender: str) -> str:
    chars = MALE_CHARS if gender == Resident.Gender.MALE else FEMALE_CHARS
    if rng.random() < 0.3:
        return rng.choice(chars)
    return rng.choice(chars) + rng.choice(chars)


def _other(gender: str) -> str:
    return Resident.Gender.FEMALE if gender == Resident.Gender.MALE else Resident.Gender.MALE


def _area(rng: random.Random, base_cents: int) -> Decimal:
    cents = min(9800, max(4850, base_cents + rng.randint(-80, 80)))
    return Decimal(cents).scaleb(-2)


class _UnitGenerator:
    """Generates the households and residents of one unit, from the unit's own seed."""

    def __init__(self, compound: str, building: str, unit: str, reserved: dict):
        self.compound, self.building, self.unit = compound, building, unit
        self.rng = random.Random(f"jinzang-demo:{compound}:{building}:{unit}")
        self.reserved = reserved  # door number -> NamedPerson
        self.person_index = 0

    def person(self, gender: str, age: int, surname: str | None = None) -> Resident:
        rng = self.rng
        self.person_index += 1
        serial = _serial(self.compound, self.building, self.unit, self.person_index)
        birth_year = REFERENCE_YEAR - age
        resident = Resident(
            name=(surname or rng.choice(SURNAMES)) + _given_name(rng, gender),
            gender=gender,
            birth_year=birth_year,
        )
        # Children rarely have their own phone; a few adults never gave theirs.
        if age >= 10 and rng.random() > 0.03:
            resident.phone = _phone(serial, rng)
        if rng.random() > 0.02:
            resident.id_number = _id_number(serial, birth_year, gender)
        resident.is_party_member = age >= 20 and rng.random() < 0.11
        resident.is_volunteer = 18 <= age <= 75 and rng.random() < 0.065
        if age >= 65 and rng.random() < 0.14:
            resident.care_notes = rng.choice(CARE_NOTES)
        return resident

    def households(self, floors: int, size: int | None = None):
        """Yields (household, [(resident, relation), ...]) for every door of the unit: two
        doors a floor, or, for a unit of a known size, `size` doors over its floors (two on
        the lowest floors, one, a larger flat, on the others)."""
        rng = self.rng
        base_areas = [rng.randint(4850, 9800) for _door in range(2)]
        for floor in range(1, floors + 1):
            doors = (1, 2)
            if size is not None:
                doors = (1, 2) if floor <= size - floors else (1,) if floor <= size else ()
            for position in doors:
                door = f"{floor}{position:02d}"
                named = self.reserved.get(door)
                roll = rng.random()
                if named:
                    occupancy = Household.Occupancy.OWNER_OCCUPIED
                elif roll < 0.06:
                    occupancy = Household.Occupancy.VACANT
                elif roll < 0.20:
                    occupancy = Household.Occupancy.RENTED
                else:
                    occupancy = Household.Occupancy.OWNER_OCCUPIED
                household = Household(
                    door_number=door,
                    area=_area(rng, base_areas[position - 1]),
                    occupancy=occupancy,
                )
                yield household, self.people(occupancy, named)

    def people(self, occupancy: str, named: NamedPerson | None):
        rng = self.rng
        M, F = Resident.Gender.MALE, Resident.Gender.FEMALE
        R = Membership.Relation
        if occupancy == Household.Occupancy.VACANT:
            # Most empty flats still have an owner on the register who lives elsewhere.
            if rng.random() < 0.3:
                return []
            return [(self.person(rng.choice([M, F]), rng.randint(35, 80)), R.OWNER)]
        if occupancy == Household.Occupancy.RENTED:
            people = [(self.person(rng.choice([M, F]), rng.randint(35, 80)), R.OWNER)]
            tenant_gender, tenant_age = rng.choice([M, F]), rng.randint(20, 55)
            tenant = self.person(tenant_gender, tenant_age)
            people.append((tenant, R.TENANT))
            extra = rng.choices([0, 1, 2], weights=[45, 40, 15])[0]
            if extra:
                people.append((self.person(_other(tenant_gender), tenant_age), R.TENANT))
            if extra == 2 and tenant_age >= 28:
                child_age = rng.randint(1, min(tenant_age - 22, 17))
                child_surname = tenant.name[0] if tenant_gender == M else None
                people.append((self.person(rng.choice([M, F]), child_age, child_surname), R.TENANT))
            return people

        # Owner-occupied: the owner, perhaps a spouse, children or an elderly parent.
        size = rng.choices([1, 2, 3, 4], weights=[20, 36, 29, 15])[0]
        if named:
            owner_gender, owner_age, owner_surname = (
                named.gender,
                REFERENCE_YEAR - named.birth_year,
                named.name[0],
            )
            people = []
            size = max(size, 2)
        else:
            owner_gender = rng.choice([M, F])
            owner_age = rng.choices(
                [rng.randint(28, 45), rng.randint(46, 64), rng.randint(65, 88)],
                weights=[30, 40, 30],
            )[0]
            owner = self.person(owner_gender, owner_age)
            owner_surname = owner.name[0]
            people = [(owner, R.OWNER)]
        if size >= 2:
            spouse_age = max(22, owner_age + rng.randint(-4, 4))
            spouse = self.person(_other(owner_gender), spouse_age)
            relation = R.CO_OWNER if rng.random() < 0.5 else R.FAMILY
            people.append((spouse, relation))
            father_surname = owner_surname if owner_gender == M else spouse.name[0]
        else:
            father_surname = owner_surname
        for _i in range(size - 2):
            if owner_age >= 50 and rng.random() < 0.6:
                # A grown child living at home, or a grandchild.
                child_age = rng.randint(max(1, owner_age - 60), owner_age - 24)
            elif owner_age < 50:
                child_age = rng.randint(1, max(1, owner_age - 24))
            else:
                child_age = rng.randint(1, 17)
            child = self.person(rng.choice([M, F]), child_age, father_surname)
            people.append((child, R.FAMILY))
        return people


def _named_resident(person: NamedPerson) -> Resident:
    return Resident(
        name=person.name,
        gender=person.gender,
        birth_year=person.birth_year,
        phone=_phone(person.serial, random.Random(f"jinzang-demo:{person.name}")),
        id_number=_id_number(person.serial, person.birth_year, person.gender),
        is_party_member=person.is_party_member,
        is_volunteer=person.is_volunteer,
    )


def load_demo(*, stdout=None) -> dict:
    """Load the demo community; returns how many objects of each kind were created.

    Run twice, the second run creates nothing: places and the administrator are
    looked up by their natural keys, a unit's households are generated only
    if it has none, and existing users' passwords are left alone.
    """
    say = reporter(stdout)
    created = dict.fromkeys(
        [
            "communities",
            "compounds",
            "courtyards",
            "buildings",
            "units",
            "households",
            "residents",
            "memberships",
            "users",
        ],
        0,
    )
    with transaction.atomic():
        community, new = Community.objects.get_or_create(
            name=COMMUNITY["name"],
            defaults={"district": COMMUNITY["district"], "sub_district": COMMUNITY["sub_district"]},
        )
        created["communities"] += new

        compounds, courtyards = {}, {}
        for name, fields in COMPOUNDS.items():
            compounds[name], new = Compound.objects.get_or_create(
                community=community, name=name, defaults=fields
            )
            created["compounds"] += new
            for courtyard_name in COURTYARDS.get(name, []):
                courtyards[courtyard_name], new = Courtyard.objects.get_or_create(
                    compound=compounds[name], name=courtyard_name
                )
                created["courtyards"] += new

        units = []  # (compound name, building number, unit number, floors, Unit)
        for compound_name, courtyard_name, number, floors, unit_numbers in BUILDINGS:
            building, new = Building.objects.get_or_create(
                compound=compounds[compound_name],
                number=number,
                defaults={
                    "courtyard": courtyards.get(courtyard_name),
                    "floors": floors,
                },
            )
            created["buildings"] += new
            for unit_number in unit_numbers:
                unit, new = Unit.objects.get_or_create(building=building, number=unit_number)
                created["units"] += new
                units.append((compound_name, number, unit_number, building.floors or floors, unit))
        say(
            _("Places: %(compounds)d compounds, %(buildings)d buildings, %(units)d units.")
            % {
                "compounds": len(compounds),
                "buildings": len(BUILDINGS),
                "units": len(units),
            }
        )

        reserved = {(p.compound, p.building, p.unit): {} for p in NAMED_PEOPLE}
        for p in NAMED_PEOPLE:
            reserved[(p.compound, p.building, p.unit)][p.door] = p

        filled = set(
            Household.objects.filter(unit__in=[u[-1] for u in units]).values_list(
                "unit_id", flat=True
            )
        )
        taken_ids = set(Resident.objects.exclude(id_number="").values_list("id_number", flat=True))
        households, people = [], []  # people: (household index, resident, relation)
        for compound_name, building_number, unit_number, floors, unit in units:
            if unit.pk in filled:
                continue
            generator = _UnitGenerator(
                compound_name,
                building_number,
                unit_number,
                reserved.get((compound_name, building_number, unit_number), {}),
            )
            size = UNIT_HOUSEHOLDS.get((compound_name, building_number, unit_number))
            for household, members in generator.households(floors, size):
                household.unit = unit
                households.append(household)
                for resident, relation in members:
                    if resident.id_number in taken_ids:
                        # Someone already on the register holds this number.
                        resident.id_number = ""
                    people.append((len(households) - 1, resident, relation))

        Household.objects.bulk_create(households)
        Resident.objects.bulk_create([resident for _h, resident, _r in people])
        Membership.objects.bulk_create(
            Membership(household=households[index], resident=resident, relation=relation)
            for index, resident, relation in people
        )
        created["households"] += len(households)
        created["residents"] += len(people)
        created["memberships"] += len(people)
        if households:
            say(
                _("Generated %(households)d households with %(residents)d residents.")
                % {"households": len(households), "residents": len(people)}
            )

        for person in NAMED_PEOPLE:
            unit = Unit.objects.get(
                building__compound=compounds[person.compound],
                building__number=person.building,
                number=person.unit,
            )
            household, new = Household.objects.get_or_create(
                unit=unit, door_number=person.door, defaults={"area": Decimal("72.00")}
            )
            created["households"] += new
            if Resident.objects.filter(name=person.name, memberships__household=household).exists():
                continue
            resident = _named_resident(person)
            if Resident.objects.filter(id_number=resident.id_number).exists():
                resident.id_number = ""
            resident.save()
            Membership.objects.create(
                resident=resident, household=household, relation=Membership.Relation.OWNER
            )
            created["residents"] += 1
            created["memberships"] += 1
            say(
                _("Added %(name)s as owner of %(household)s.")
                % {
                    "name": person.name,
                    "household": household,
                }
            )

        _admin, new = account(
            ADMIN["username"],
            first_name=ADMIN["first_name"],
            last_name=ADMIN["last_name"],
            is_staff=True,
            is_superuser=True,
        )
        created["users"] += new
    return created

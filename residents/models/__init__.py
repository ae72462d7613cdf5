"""Places and people: the register every other part of Jinzang stands on.

Community > compound > courtyard (optional) > building > unit > household (places.py),
and the residents who belong to households (people.py). Who may see which part of the
register is decided by access grants kept as data (access.py) and read by the scope rule
(`residents.access`); residents' own accounts and the letters that bind them (accounts.py)
reach only the resident's own record. Beside them: frozen owner rolls (owners.py), the personal-data
logs (privacy.py) and care records (care.py).
"""

from residents.models.access import AccessGrant, AccessGrantQuerySet
from residents.models.accounts import (
    AccessLetter,
    AccessLetterQuerySet,
    LetterPrinting,
    ResidentAccount,
    SmsSignInCode,
)
from residents.models.care import CareRecord, CareRecordQuerySet
from residents.models.owners import OwnerRoll, OwnerRollEntry
from residents.models.people import (
    RESIDENT_FIELDS,
    Membership,
    MembershipQuerySet,
    PhoneTail,
    Resident,
    ResidentQuerySet,
)
from residents.models.places import (
    Building,
    BuildingQuerySet,
    Community,
    Compound,
    CompoundQuerySet,
    Courtyard,
    Household,
    HouseholdQuerySet,
    PlacedInCompound,
    Unit,
    UnitQuerySet,
)
from residents.models.privacy import ErasureRecord, PersonalDataReveal

__all__ = [
    "RESIDENT_FIELDS",
    "AccessGrant",
    "AccessGrantQuerySet",
    "AccessLetter",
    "AccessLetterQuerySet",
    "Building",
    "BuildingQuerySet",
    "CareRecord",
    "CareRecordQuerySet",
    "Community",
    "Compound",
    "CompoundQuerySet",
    "Courtyard",
    "ErasureRecord",
    "Household",
    "LetterPrinting",
    "HouseholdQuerySet",
    "Membership",
    "MembershipQuerySet",
    "OwnerRoll",
    "OwnerRollEntry",
    "PersonalDataReveal",
    "PhoneTail",
    "PlacedInCompound",
    "Resident",
    "ResidentAccount",
    "ResidentQuerySet",
    "SmsSignInCode",
    "Unit",
    "UnitQuerySet",
]

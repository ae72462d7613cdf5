"""The three bodies (bodies.py), their public notices (notices.py), residents' requests
(requests.py), volunteer teams (volunteers.py), compounds' funds (funds.py) and facilities
(facilities.py)."""

from committees.models.bodies import (
    Ballot,
    Body,
    Candidate,
    ChairChoice,
    Election,
    ElectionFiling,
    Member,
    Term,
    manages,
    manages_anything,
    manages_place,
)
from committees.models.facilities import Facility, FacilityInspection, FacilityQuerySet
from committees.models.funds import Fund, FundEntry
from committees.models.notices import Notice, NoticeAttachment, NoticeRevision
from committees.models.requests import (
    AllianceMember,
    RequestCategory,
    RequestPhoto,
    RequestStep,
    ResidentRequest,
    Whistle,
    WhistleResponder,
)
from committees.models.volunteers import ServiceActivity, ServiceHours, Volunteer, VolunteerTeam

__all__ = [
    "Ballot",
    "Body",
    "Candidate",
    "ChairChoice",
    "Election",
    "ElectionFiling",
    "Member",
    "Notice",
    "NoticeAttachment",
    "NoticeRevision",
    "Term",
    "AllianceMember",
    "RequestCategory",
    "RequestPhoto",
    "RequestStep",
    "ResidentRequest",
    "Whistle",
    "WhistleResponder",
    "Facility",
    "FacilityInspection",
    "FacilityQuerySet",
    "Fund",
    "FundEntry",
    "ServiceActivity",
    "ServiceHours",
    "Volunteer",
    "VolunteerTeam",
    "manages",
    "manages_anything",
    "manages_place",
]

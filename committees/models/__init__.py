"""The three bodies (bodies.py), their public notices (notices.py) and residents' requests
(requests.py)."""

from .bodies import Ballot, Body, Candidate, Election, Member, Term
from .notices import Notice, NoticeAttachment, NoticeRevision
from .requests import (
    AllianceMember,
    RequestCategory,
    RequestPhoto,
    RequestStep,
    ResidentRequest,
    Whistle,
    WhistleResponder,
)

__all__ = [
    "Ballot",
    "Body",
    "Candidate",
    "Election",
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
]

"""Meetings (meetings.py) and renovation projects with their consent records (projects.py)."""

from .meetings import Action, AgendaItem, Attendee, Decision, Meeting, OutsideParty
from .projects import ConsentRecord, Project

__all__ = [
    "Action",
    "AgendaItem",
    "Attendee",
    "ConsentRecord",
    "Decision",
    "Meeting",
    "OutsideParty",
    "Project",
]

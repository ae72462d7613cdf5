"""Meetings (meetings.py), renovation projects with their consent records (projects.py) and
door-to-door visits (visits.py)."""

from .meetings import Action, AgendaItem, Attendee, Decision, Meeting, OutsideParty
from .projects import ConsentRecord, GridWorker, Project
from .visits import Purpose, Visit, VisitCampaign

__all__ = [
    "Action",
    "AgendaItem",
    "Attendee",
    "ConsentRecord",
    "Decision",
    "GridWorker",
    "Meeting",
    "OutsideParty",
    "Project",
    "Purpose",
    "Visit",
    "VisitCampaign",
]

"""Meetings (meetings.py), renovation projects with their consent records (projects.py) and
door-to-door visits (visits.py)."""

from meetings.models.meetings import Action, AgendaItem, Attendee, Decision, Meeting, OutsideParty
from meetings.models.projects import ConsentRecord, GridWorker, Project
from meetings.models.visits import Purpose, Visit, VisitCampaign

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

"""Reads of requests that encode a rule: what a resident may see of their own request."""

from committees.models import ResidentRequest

Status = ResidentRequest.Status


def resident_timeline(request: ResidentRequest) -> list[dict]:
    """The request's timeline as its raiser reads it (the residents' door), oldest first:
    each change of status and each whistle, when; the reply and the reason for closing,
    which are written for the resident. The steps' notes and who took them are the
    committee's working notes, which may name others: not shown."""
    entries = [
        {"at": step.at, "status": step.to_status, "label": Status(step.to_status).label}
        for step in request.steps.all()
        if step.from_status != step.to_status
    ]
    entries += [
        {"at": whistle.blown_at, "status": "whistle", "label": whistle.get_level_display()}
        for whistle in request.whistles.all()
    ]
    entries.sort(key=lambda entry: entry["at"])
    for entry in entries:
        entry["text"] = {
            Status.RESOLVED: request.reply,
            Status.CLOSED: request.close_reason,
        }.get(entry["status"], "")
    return entries

"""Who changed what and when: the recorded changes of one or more objects, for their pages.

django-simple-history keeps a row per save; a change is a row compared with the one
before it of the same object. Two queries whatever the length of the history: the
predecessors of the newest rows, then the newest rows themselves.
"""

from django.db.models import OuterRef, Subquery


def history_changes(records, limit: int = 20, label=None) -> list[dict]:
    """The latest `limit` changes among `records` (a queryset of historical rows, of one
    object or several), newest first: {"record", "fields", "label"} with the changed
    fields' names and `label(record)` naming the object when several are mixed."""
    model = records.model
    tracked = model.instance_type
    previous = Subquery(
        model.objects.filter(id=OuterRef("id"), history_date__lt=OuterRef("history_date"))
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    newest = records.annotate(previous_id=previous).order_by("-history_date", "-history_id")
    newest = newest[:limit]
    # A subquery rather than a list of ids, so that the query runs (and counts) even when
    # there is nothing before.
    before = {
        r.history_id: r for r in model.objects.filter(history_id__in=newest.values("previous_id"))
    }
    newest = list(newest.select_related("history_user"))
    changes = []
    for record in newest:
        fields = []
        older = before.get(record.previous_id)
        if older is not None and record.history_type == "~":
            fields = [
                str(tracked._meta.get_field(c.field).verbose_name)
                for c in record.diff_against(older).changes
            ]
        changes.append(
            {"record": record, "fields": fields, "label": label(record) if label else ""}
        )
    return changes


def merged(*histories, limit: int = 20) -> list[dict]:
    """Several objects' changes (from `history_changes`) in one list, newest first."""
    changes = [c for h in histories for c in h]
    changes.sort(key=lambda c: c["record"].history_date, reverse=True)
    return changes[:limit]

"""A resident's rights under the Personal Information Protection Law: access (Art. 45,
everything held on them, exported) and erasure (Art. 47, personal fields anonymised).

Every other app's records about a resident point at `Resident`, so the export walks the
model's reverse relations instead of importing the apps above this one: a new model that
records something about a resident joins the export by itself.
"""

import json

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from residents.models import CareRecord, ErasureRecord, Membership, Resident

# Records about a household that concern its owners (by app label and model name: the
# models live in apps above this one).
OWNER_HOUSEHOLD_RECORDS = ["meetings.ConsentRecord"]

# The resident's personal fields and what they become on erasure.
ERASED_FIELDS = {
    "phone": "",
    "id_number": "",
    "care_notes": "",
    "birth_year": None,
    "gender": "",
    "is_party_member": False,
}
ERASED_CARE_FIELDS = {"needs": "", "end_reason": ""}
# Numbers other apps keep as they were given (app label and model: the field pointing at the
# resident, the number): erased where they point at the resident or are the resident's phone.
ERASED_NUMBERS = {"committees.ResidentRequest": ("raised_by", "callback_phone")}


def _rows(objects):
    return [
        {"model": row["model"], "pk": row["pk"], **row["fields"]}
        for row in serializers.serialize("python", objects)
    ]


def _history_rows(records):
    return [
        {
            "history_date": r.history_date,
            "history_type": r.history_type,
            "history_user": r.history_user.get_username() if r.history_user else None,
            "history_change_reason": r.history_change_reason,
            **{
                f.attname: getattr(r, f.attname)
                for f in r.instance_type._meta.concrete_fields
                if hasattr(r, f.attname)
            },
        }
        for r in records.select_related("history_user").order_by("history_date", "history_id")
    ]


def resident_export(*, resident: Resident, by) -> dict:
    """Everything held on `resident`: their record and its history, and every record of
    any app that points at them (households, seats, meetings, requests, care, visits,
    who saw their numbers), with the consent records of the households they own."""
    related = {}
    for relation in Resident._meta.related_objects:
        model = relation.related_model
        if getattr(model, "instance_type", None) is not None:
            continue  # simple-history's own rows are exported below, per record
        accessor = relation.get_accessor_name()
        if relation.one_to_one:
            try:
                objects = [getattr(resident, accessor)]
            except ObjectDoesNotExist:
                continue
        elif relation.hidden:  # no accessor (related_name "+"): ask the model itself
            objects = model._default_manager.filter(**{relation.field.name: resident})
        else:
            objects = getattr(resident, accessor).all()
        rows = _rows(objects)
        if rows:
            related[model._meta.label] = rows
    owned = Membership.objects.filter(
        resident=resident,
        relation__in=[Membership.Relation.OWNER, Membership.Relation.CO_OWNER],
    ).values("household")
    households = resident.memberships.select_related("household")
    owner_records = {}
    for label in OWNER_HOUSEHOLD_RECORDS:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        owner_records[label] = _rows(model.objects.filter(household__in=owned))
    return {
        "exported_at": timezone.now(),
        "exported_by": by.get_username(),
        "resident": _rows([resident])[0],
        "history": _history_rows(resident.history.all()),
        "households": _rows([m.household for m in households]),
        "related": related,
        "owned_households": owner_records,
        "care_history": _history_rows(CareRecord.history.filter(resident_id=resident.pk)),
    }


def resident_export_json(*, resident: Resident, by) -> str:
    return json.dumps(
        resident_export(resident=resident, by=by), cls=DjangoJSONEncoder, ensure_ascii=False
    )


def _erase_numbers(resident) -> int:
    """Clear the numbers of ERASED_NUMBERS that are the resident's, in earlier versions too;
    the number of earlier versions cleared."""
    history_rows = 0
    for label, (pointer, number) in ERASED_NUMBERS.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        theirs = Q(**{f"{pointer}_id": resident.pk})
        if resident.phone:
            theirs |= Q(**{number: resident.phone})
        model.objects.filter(theirs).exclude(**{number: ""}).update(**{number: ""})
        history = getattr(model, "history", None)
        if history is not None:
            history_rows += history.filter(theirs).exclude(**{number: ""}).update(**{number: ""})
    return history_rows


def erased_name(pk: int) -> str:
    """The name an erased resident keeps: in the site's language, with their number."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("Erased resident #%(pk)d") % {"pk": pk}


@transaction.atomic
def resident_erase(*, resident: Resident, by, reason: str) -> ErasureRecord:
    """Anonymise `resident` on their request: name, phone, ID number, care notes, birth year,
    gender and party membership, in the record and in every earlier version of it, the
    needs noted in their care records and the numbers to call them back on. Households,
    memberships, votes and consent records stay, so tallies and the register's history
    still add up."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say who asked for the erasure, when and how.")})
    resident = Resident.objects.select_for_update().get(pk=resident.pk)
    if ErasureRecord.objects.filter(resident=resident).exists():
        raise ValidationError(_("This resident's data has already been erased."))
    history_rows = _erase_numbers(resident)
    anonymous = {"name": erased_name(resident.pk), **ERASED_FIELDS}
    for field, value in anonymous.items():
        setattr(resident, field, value)
    resident._history_user = by
    resident._change_reason = "erased on request"
    resident.save()
    history_rows += resident.history.update(**anonymous)
    care = CareRecord.objects.filter(resident=resident)
    for record in care:
        for field, value in ERASED_CARE_FIELDS.items():
            setattr(record, field, value)
        record._history_user = by
        record.save()
    history_rows += CareRecord.history.filter(resident_id=resident.pk).update(**ERASED_CARE_FIELDS)
    return ErasureRecord.objects.create(
        resident=resident, erased_by=by, reason=reason, history_rows=history_rows
    )

"""Inserting many rows quickly, with the history rows django-simple-history would write.

`bulk_create_with_history` builds a model instance per row and compiles each one; for an
import of 100,000 residents that is most of the time. These helpers insert plain
dictionaries with multi-row INSERT ... RETURNING (as Django's bulk_create does on SQLite
and PostgreSQL), then write the same historical rows, with the importing user, the date
and a reason, in the same way. Only for models without save() logic or signals of ours.
"""

import contextlib

from django.db import connection, models
from django.utils import timezone

# Values the database drivers take as they are (sqlite3 and psycopg adapt Decimal too).
_AS_IS = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.DecimalField,
    models.ForeignKey,
)


def _converter(field):
    """None when the value goes to the driver as it is; else the field's conversion,
    remembered per value (a date repeated on every history row is converted once)."""
    if isinstance(field, models.ForeignKey):
        target = field.target_field
        if isinstance(target, models.AutoField | models.BigAutoField | models.IntegerField):
            return None
    elif isinstance(field, _AS_IS):
        return None
    seen = {}

    def convert(value):
        try:
            return seen[value]
        except (KeyError, TypeError):
            prepared = field.get_db_prep_save(value, connection)
            with contextlib.suppress(TypeError):
                seen[value] = prepared
            return prepared

    return convert


def _defaults(fields):
    return {f.attname: f.get_default() for f in fields}


def _insert(model, fields, rows, *, returning: bool):
    """INSERT `rows` (dicts by attname) into `model`'s table; the new pks when `returning`."""
    if not rows:
        return []
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    columns = ", ".join(qn(f.column) for f in fields)
    prep = [(f.attname, f.get_default(), _converter(f)) for f in fields]
    # SQLite allows 32,766 parameters a statement; PostgreSQL 65,535.
    per_batch = max(1, min(2000, 30000 // len(fields)))
    pk_column = qn(model._meta.pk.column)
    pks = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_batch):
            batch = rows[start : start + per_batch]
            params = []
            for row in batch:
                get = row.get
                params.extend(
                    [
                        get(attname, default) if conv is None else conv(get(attname, default))
                        for attname, default, conv in prep
                    ]
                )
            one = "(" + ", ".join(["%s"] * len(fields)) + ")"
            sql = f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * len(batch))}"
            if returning:
                cursor.execute(f"{sql} RETURNING {pk_column}", params)
                pks.extend(r[0] for r in cursor.fetchall())
            else:
                cursor.execute(sql, params)
    return pks


def insert_with_history(model, rows: list[dict], *, user, reason: str, date=None) -> list[int]:
    """Insert `rows` (dicts by attname; missing fields take their defaults) and one '+'
    history row each; set each row's "id" and return the new pks in order."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            for row in rows:
                row.setdefault(f.attname, date or timezone.now())
    pks = _insert(model, fields, rows, returning=True)
    for row, pk in zip(rows, pks, strict=True):
        row[model._meta.pk.attname] = pk
    history_write(model, rows, user=user, reason=reason, date=date, kind="+")
    return pks


def history_write(model, rows: list[dict], *, user, reason: str, date=None, kind="~") -> None:
    """The history rows of `rows` (full dicts by attname, pk included) as simple_history
    writes them: the tracked fields, then who, when, why and how (+ created, ~ changed)."""
    historical = model.history.model
    fields = [f for f in historical._meta.concrete_fields if f.attname != "history_id"]
    extra = {
        "history_date": date or timezone.now(),
        "history_change_reason": reason,
        "history_type": kind,
        "history_user_id": getattr(user, "pk", None),
    }
    source_pk = model._meta.pk.attname
    history_rows = []
    for row in rows:
        h = {**row, **extra}
        h["id"] = row[source_pk]
        history_rows.append(h)
    _insert(historical, fields, history_rows, returning=False)

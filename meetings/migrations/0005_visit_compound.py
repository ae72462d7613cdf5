"""Visit.compound: the household's compound, copied onto each visit for the dashboard
(see the model), with the index the dashboard's visits per compound and month read."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_compounds(apps, schema_editor):
    Household = apps.get_model("residents", "Household")
    Visit = apps.get_model("meetings", "Visit")
    place = Household.objects.filter(pk=OuterRef("household_id")).values(
        "unit__building__compound_id"
    )[:1]
    Visit.objects.update(compound_id=Subquery(place))


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0004_item_version"),
        ("residents", "0008_submitted_forms"),
    ]

    operations = [
        migrations.AddField(
            model_name="visit",
            name="compound",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="residents.compound",
                verbose_name="compound",
            ),
        ),
        migrations.AddField(
            model_name="historicalvisit",
            name="compound",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="residents.compound",
                verbose_name="compound",
            ),
        ),
        migrations.RunPython(fill_compounds, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="visit",
            name="compound",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="residents.compound",
                verbose_name="compound",
            ),
        ),
        migrations.RemoveIndex(model_name="visit", name="visit_visited_on"),
        migrations.AddIndex(
            model_name="visit",
            index=models.Index(fields=["visited_on", "compound"], name="visit_day_compound"),
        ),
    ]

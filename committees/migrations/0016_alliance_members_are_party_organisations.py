# Every member of a party-building alliance is a party organisation: of a stationed
# unit, a government department or an enterprise (docs/domain.md, "Requests and
# whistles"). A member recorded as a bare "party organisation" becomes a stationed unit's.

from django.db import migrations, models


def party_to_unit(apps, schema_editor):
    AllianceMember = apps.get_model("committees", "AllianceMember")
    AllianceMember.objects.filter(kind="party").update(kind="unit")


class Migration(migrations.Migration):
    dependencies = [
        ("committees", "0015_online_requests_and_corrections"),
    ]

    operations = [
        migrations.RunPython(party_to_unit, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="alliancemember",
            name="kind",
            field=models.CharField(
                choices=[
                    ("unit", "Party organisation of a stationed unit"),
                    ("department", "Party organisation of a government department"),
                    ("enterprise", "Party organisation of an enterprise"),
                ],
                max_length=12,
                verbose_name="kind",
            ),
        ),
    ]

"""ServiceActivity.hours_total: the sum of an activity's hours, kept for the dashboard."""

from decimal import Decimal

from django.db import migrations, models
from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce


def fill_totals(apps, schema_editor):
    ServiceActivity = apps.get_model("committees", "ServiceActivity")
    ServiceHours = apps.get_model("committees", "ServiceHours")
    total = (
        ServiceHours.objects.filter(activity=OuterRef("pk"))
        .order_by()
        .values("activity")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    hours = DecimalField(max_digits=9, decimal_places=1)
    ServiceActivity.objects.update(
        hours_total=Coalesce(Subquery(total, output_field=hours), Value(Decimal("0.0")))
    )


class Migration(migrations.Migration):
    dependencies = [("committees", "0008_historical_request_places")]

    operations = [
        migrations.AddField(
            model_name="serviceactivity",
            name="hours_total",
            field=models.DecimalField(
                decimal_places=1,
                default=Decimal("0.0"),
                editable=False,
                max_digits=9,
                verbose_name="hours in all",
            ),
        ),
        migrations.RunPython(fill_totals, migrations.RunPython.noop, elidable=True),
    ]

# Facilities and their inspections move from residents to committees, where their pages are.
# Only Django's idea of them moves: the tables keep their names (residents_facility,
# residents_facilityinspection), the requests' foreign key its column and constraint. The
# content types move with them, so that permissions and the admin's log follow.
# residents/0012 then drops the old models from residents' state.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MODELS = ("facility", "facilityinspection")


def move_content_types(source, target):
    def move(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        types = ContentType.objects.using(schema_editor.connection.alias)
        for model in MODELS:
            if types.filter(app_label=source, model=model).exists():
                # One made under the new label meanwhile (a migrate back and forth) gives
                # way to the old one, which holds the permissions granted so far.
                types.filter(app_label=target, model=model).delete()
                types.filter(app_label=source, model=model).update(app_label=target)

    return move


class Migration(migrations.Migration):

    dependencies = [
        ('committees', '0010_request_callback_phone'),
        ('residents', '0011_reveal_reason'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Facility',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('cultural_leisure', 'Cultural leisure area'), ('fitness', 'Fitness area'), ('micro_fire_station', 'Micro fire station'), ('parking_shed', 'Parking shed'), ('other', 'Other')], max_length=20, verbose_name='kind')),
                        ('name', models.CharField(max_length=100, verbose_name='name')),
                        ('location', models.CharField(blank=True, help_text='Where to find it, e.g. between buildings 17 and 18.', max_length=200, verbose_name='location')),
                        ('condition', models.CharField(choices=[('good', 'Good'), ('worn', 'Worn'), ('broken', 'Broken'), ('out_of_service', 'Out of service')], db_index=True, default='good', max_length=15, verbose_name='condition')),
                        ('last_inspected', models.DateField(blank=True, help_text='Set by the latest inspection recorded.', null=True, verbose_name='last inspected')),
                        ('notes', models.TextField(blank=True, verbose_name='notes')),
                        ('compound', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='facilities', to='residents.compound', verbose_name='compound')),
                        ('courtyard', models.ForeignKey(blank=True, help_text='Set when the facility belongs to one courtyard of the compound.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='facilities', to='residents.courtyard', verbose_name='courtyard')),
                    ],
                    options={
                        'verbose_name': 'facility',
                        'verbose_name_plural': 'facilities',
                        'db_table': 'residents_facility',
                        'ordering': ['compound_id', 'kind', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='FacilityInspection',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('inspected_on', models.DateField(verbose_name='inspected on')),
                        ('condition', models.CharField(choices=[('good', 'Good'), ('worn', 'Worn'), ('broken', 'Broken'), ('out_of_service', 'Out of service')], max_length=15, verbose_name='condition found')),
                        ('notes', models.TextField(blank=True, verbose_name='notes')),
                        ('recorded_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='recorded at')),
                        ('facility', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='inspections', to='committees.facility', verbose_name='facility')),
                        ('inspected_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='facility_inspections', to=settings.AUTH_USER_MODEL, verbose_name='inspected by')),
                    ],
                    options={
                        'verbose_name': 'facility inspection',
                        'verbose_name_plural': 'facility inspections',
                        'db_table': 'residents_facilityinspection',
                        'ordering': ['-inspected_on', '-pk'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='facility',
                    constraint=models.UniqueConstraint(fields=('compound', 'name'), name='facility_unique_name', violation_error_message='This compound already has a facility of this name.'),
                ),
                migrations.AddConstraint(
                    model_name='facility',
                    constraint=models.CheckConstraint(condition=models.Q(('condition__in', ['good', 'worn', 'broken', 'out_of_service'])), name='facility_condition_valid'),
                ),
                migrations.AddConstraint(
                    model_name='facilityinspection',
                    constraint=models.CheckConstraint(condition=models.Q(('condition__in', ['good', 'worn', 'broken', 'out_of_service'])), name='inspection_condition_valid'),
                ),
                migrations.AlterField(
                    model_name='residentrequest',
                    name='facility',
                    field=models.ForeignKey(blank=True, help_text='A facility on the register that the request is about.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='requests', to='committees.facility', verbose_name='facility'),
                ),
                migrations.AlterField(
                    model_name='historicalresidentrequest',
                    name='facility',
                    field=models.ForeignKey(blank=True, db_constraint=False, help_text='A facility on the register that the request is about.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='committees.facility', verbose_name='facility'),
                ),
            ],
        ),
        migrations.RunPython(
            move_content_types("residents", "committees"),
            move_content_types("committees", "residents"),
        ),
    ]

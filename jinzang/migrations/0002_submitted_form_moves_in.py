# The sent forms' tokens move from residents to the shared code, which uses them
# (jinzang.forms.SubmitOnceMixin). Only Django's idea of the model moves: the table keeps
# its name (residents_submittedform). Its content type moves with it, so that permissions
# and the admin's log follow. residents/0012 then drops the old model from residents' state.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MODELS = ("submittedform",)


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
        ('jinzang', '0001_initial'),
        # The table is made by residents/0008_submitted_forms.
        ('residents', '0011_reveal_reason'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='SubmittedForm',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('token', models.CharField(max_length=64, unique=True, verbose_name='token')),
                        ('path', models.CharField(max_length=300, verbose_name='page')),
                        ('result_url', models.CharField(blank=True, max_length=300, verbose_name='result')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='sent at')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='user')),
                    ],
                    options={
                        'verbose_name': 'sent form',
                        'verbose_name_plural': 'sent forms',
                        'db_table': 'residents_submittedform',
                    },
                ),
            ],
        ),
        migrations.RunPython(
            move_content_types("residents", "jinzang"),
            move_content_types("jinzang", "residents"),
        ),
    ]

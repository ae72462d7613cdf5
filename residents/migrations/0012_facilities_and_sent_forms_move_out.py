# Facilities moved to committees (committees/0011) and the sent forms to the shared code
# (jinzang/0002), their tables unchanged: they leave residents' state, and nothing else.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('residents', '0011_reveal_reason'),
        ('committees', '0011_facilities_move_in'),
        ('jinzang', '0002_submitted_form_moves_in'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='FacilityInspection'),
                migrations.DeleteModel(name='Facility'),
                migrations.DeleteModel(name='SubmittedForm'),
            ],
        ),
    ]

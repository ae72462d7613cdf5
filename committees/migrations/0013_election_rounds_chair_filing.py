"""A term's election may have several rounds (run-offs among candidates tied for the last
seats); the elected members choose their chair; the election is filed within 30 days.

Every election so far was its term's only one: it becomes round 1 (the field's default).
A closed election seated its elected: the seats of its candidates in its term are marked
as elected in it, and a closed election that seated anyone is due to be filed 30 days after
it was held (filings made before are recorded from the election's page).
"""

import datetime

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def settle_existing_elections(apps, schema_editor):
    Election = apps.get_model("committees", "Election")
    Candidate = apps.get_model("committees", "Candidate")
    Member = apps.get_model("committees", "Member")
    ElectionFiling = apps.get_model("committees", "ElectionFiling")
    for election in Election.objects.filter(status="closed").order_by("pk"):
        candidates = Candidate.objects.filter(election=election).values("resident")
        seated = Member.objects.filter(
            term=election.term_id, resident__in=candidates, elected_in__isnull=True
        ).update(elected_in=election)
        if seated and not ElectionFiling.objects.filter(term=election.term_id).exists():
            ElectionFiling.objects.create(
                term_id=election.term_id, due_on=election.held_on + datetime.timedelta(days=30)
            )


class Migration(migrations.Migration):

    dependencies = [
        ('committees', '0012_notice_locked_until'),
        ('residents', '0013_household_not_handed_over'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ChairChoice',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('chosen_on', models.DateField(help_text='The day the elected members chose them.', verbose_name='chosen on')),
                ('recorded_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='recorded at')),
            ],
            options={
                'verbose_name': 'choice of the chair',
                'verbose_name_plural': 'choices of the chair',
                'ordering': ['term', '-chosen_on', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='ElectionFiling',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('due_on', models.DateField(help_text='30 days after the election that made the result final.', verbose_name='due on')),
                ('filed_on', models.DateField(blank=True, null=True, verbose_name='filed on')),
                ('filed_with', models.CharField(blank=True, help_text='The office that received the filing: the sub-district, the district.', max_length=100, verbose_name='filed with')),
                ('reference', models.CharField(blank=True, help_text='The number the office gave the filing, if any.', max_length=50, verbose_name='reference number')),
                ('recorded_at', models.DateTimeField(blank=True, null=True, verbose_name='recorded at')),
            ],
            options={
                'verbose_name': 'filing of an election',
                'verbose_name_plural': 'filings of elections',
                'ordering': ['due_on'],
            },
        ),
        migrations.AlterModelOptions(
            name='election',
            options={'ordering': ['-held_on', '-round'], 'verbose_name': 'election', 'verbose_name_plural': 'elections'},
        ),
        migrations.AddField(
            model_name='election',
            name='round',
            field=models.PositiveSmallIntegerField(default=1, help_text='1 for the election; 2 and on for run-offs among candidates tied for the last seats.', verbose_name='round'),
        ),
        migrations.AddField(
            model_name='historicalmember',
            name='elected_in',
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, help_text='The election round that gave the seat; empty for a seat given otherwise.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='committees.election', verbose_name='elected in'),
        ),
        migrations.AddField(
            model_name='member',
            name='elected_in',
            field=models.ForeignKey(blank=True, editable=False, help_text='The election round that gave the seat; empty for a seat given otherwise.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='elected_members', to='committees.election', verbose_name='elected in'),
        ),
        migrations.AlterField(
            model_name='election',
            name='seats',
            field=models.PositiveSmallIntegerField(help_text="How many members are elected: the committee's size in the election, the seats left unfilled by a tie in a run-off.", verbose_name='seats'),
        ),
        migrations.AlterField(
            model_name='election',
            name='term',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='elections', to='committees.term', verbose_name='term'),
        ),
        migrations.AddConstraint(
            model_name='election',
            constraint=models.CheckConstraint(condition=models.Q(('round__gte', 1)), name='election_round_positive'),
        ),
        migrations.AddConstraint(
            model_name='election',
            constraint=models.UniqueConstraint(fields=('term', 'round'), name='election_one_round_number_per_term', violation_error_message='This term already has an election round of this number.'),
        ),
        migrations.AddField(
            model_name='chairchoice',
            name='chair',
            field=models.ForeignKey(on_delete=django.db.models.deletion.RESTRICT, related_name='+', to='committees.member', verbose_name='chair'),
        ),
        migrations.AddField(
            model_name='chairchoice',
            name='recorded_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by'),
        ),
        migrations.AddField(
            model_name='chairchoice',
            name='term',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='chair_choices', to='committees.term', verbose_name='term'),
        ),
        migrations.AddField(
            model_name='chairchoice',
            name='vice_chair',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.RESTRICT, related_name='+', to='committees.member', verbose_name='vice-chair'),
        ),
        migrations.AddField(
            model_name='electionfiling',
            name='recorded_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by'),
        ),
        migrations.AddField(
            model_name='electionfiling',
            name='term',
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='filing', to='committees.term', verbose_name='term'),
        ),
        migrations.AddConstraint(
            model_name='chairchoice',
            constraint=models.CheckConstraint(condition=models.Q(('chair', models.F('vice_chair')), _negated=True), name='chair_choice_two_people', violation_error_message='The chair and the vice-chair are two members.'),
        ),
        migrations.AddConstraint(
            model_name='electionfiling',
            constraint=models.CheckConstraint(condition=models.Q(('filed_on__isnull', True), models.Q(('filed_with', ''), _negated=True), _connector='OR'), name='election_filing_says_where', violation_error_message='Say which office received the filing.'),
        ),
        migrations.RunPython(settle_existing_elections, migrations.RunPython.noop),
    ]

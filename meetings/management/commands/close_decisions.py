"""Close the owners' decisions whose voting period is over, freezing their results.

A page view closes such a decision the first time it is opened; run this from cron
(every few minutes) so that a decision nobody looks at closes on time too, e.g.

    */5 * * * * cd /srv/jinzang && uv run manage.py close_decisions
"""

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.models import Project
from meetings.projects.consent import close_due


class Command(BaseCommand):
    help = "Close the owners' decisions whose voting period is over (docs/domain.md)."

    def handle(self, *args, **options):
        now = timezone.now()
        due = Project.objects.filter(
            consent_kind=Project.ConsentKind.OWNERS_DECISION,
            vote_opened_at__isnull=False,
            closed_at__isnull=True,
            closes_at__lte=now,
        ).order_by("closes_at", "pk")
        closed = 0
        for project in due:
            project = close_due(project, now)
            closed += 1
            self.stdout.write(
                _("Closed: %(name)s (%(verdict)s)")
                % {"name": project.name, "verdict": project.get_status_display()}
            )
        self.stdout.write(_("%(n)d decisions closed.") % {"n": closed})

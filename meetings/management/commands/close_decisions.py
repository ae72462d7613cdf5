"""Close the owners' decisions whose voting period is over, freezing their results: the
projects' votes and the owners' committees' elections.

A page view closes such a decision the first time it is opened; run this from cron
(every few minutes) so that a decision nobody looks at closes on time too, e.g.

    */5 * * * * cd /srv/jinzang && uv run manage.py close_decisions
"""

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.bodies.services import election_close_due
from committees.models import Election
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
        elections = Election.objects.filter(
            vote_opened_at__isnull=False, closed_at__isnull=True, closes_at__lte=now
        ).select_related("term__body")
        for election in elections.order_by("closes_at", "pk"):
            election_close_due(election, now)
            closed += 1
            self.stdout.write(_("Closed: %(name)s") % {"name": election})
        self.stdout.write(_("%(n)d decisions closed.") % {"n": closed})

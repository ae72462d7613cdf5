"""Volunteer teams: the teams with the year's hours, a team with its members and
activities, recording an activity with its participants' hours, and a person's year."""

from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import ListView, TemplateView

from committees.models import ServiceHours, Volunteer, VolunteerTeam
from committees.volunteers import services
from committees.volunteers.forms import ActivityForm, VolunteerForm
from jinzang.forms import SubmitOnceMixin
from jinzang.permissions import ManageMixin, RegisterAccessMixin
from jinzang.views import ServiceFormView, YearMixin
from residents.access import with_party_shown


class TeamListView(RegisterAccessMixin, YearMixin, TemplateView):
    """The community's teams with the year's hours and activities, and who served most."""

    template_name = "volunteers/team_list.html"

    def get_context_data(self, **kwargs):
        year = self.get_year()
        teams = VolunteerTeam.objects.visible_to(self.request.user)
        tally = services.service_tally(year, teams.select_related("leader"), user=self.request.user)
        current = Volunteer.objects.current().filter(team__in=teams)
        people = current.aggregate(
            residents=Count("resident", distinct=True),
            others=Count("pk", filter=Q(resident__isnull=True)),
        )
        party = current.party_members().aggregate(
            residents=Count("resident", distinct=True),
            others=Count("pk", filter=Q(resident__isnull=True)),
        )
        return super().get_context_data(
            year=year,
            tally=tally,
            top=tally.people[:10],
            n_people=people["residents"] + people["others"],
            n_party=party["residents"] + party["others"],
            **kwargs,
        )


class TallyView(RegisterAccessMixin, YearMixin, TemplateView):
    """The "365" tally of one year: every person's hours, activities and teams."""

    template_name = "volunteers/tally.html"

    def get_context_data(self, **kwargs):
        year = self.get_year()
        teams = VolunteerTeam.objects.visible_to(self.request.user)
        return super().get_context_data(
            year=year, tally=services.service_tally(year, teams, user=self.request.user), **kwargs
        )


class TeamMixin(ManageMixin):
    """A team of the user's community; its page shows it to all who see it."""

    needs_manage = False

    def fetch_objects(self):
        self.team = get_object_or_404(
            VolunteerTeam.objects.visible_to(self.request.user).select_related(
                "community", "leader"
            ),
            pk=self.kwargs["pk"],
        )

    def managed_object(self):
        return self.team


class TeamManageMixin(TeamMixin):
    needs_manage = True

    def get_success_url(self, result):
        return self.team.get_absolute_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            eyebrow=self.team.name, cancel_url=self.team.get_absolute_url(), **kwargs
        )


class TeamDetailView(TeamMixin, YearMixin, ListView):
    """A team: its current members with their hours this year, and its activities."""

    template_name = "volunteers/team_detail.html"
    context_object_name = "activities"
    paginate_by = 20

    def get_queryset(self):
        return (
            self.team.activities.select_related("compound")
            .annotate(n_people=Count("hours"), total=Sum("hours__hours"))
            .order_by("-date", "-pk")
        )

    def get_context_data(self, **kwargs):
        year = self.get_year()
        first, last = services.year_bounds(year)
        in_year = Q(service_hours__activity__date__gte=first) & Q(
            service_hours__activity__date__lte=last
        )
        members = (
            self.team.volunteers.current()
            .select_related("resident")
            .annotate(
                hours=Sum("service_hours__hours", filter=in_year),
                n_activities=Count("service_hours", filter=in_year),
            )
            .order_by("name", "pk")
        )
        figures = services.teams_with_year(
            VolunteerTeam.objects.filter(pk=self.team.pk), year
        ).values("hours", "n_activities", "n_volunteers")[0]
        return super().get_context_data(
            team=self.team,
            year=year,
            members=with_party_shown(
                members, user=self.request.user, place=(self.team.community_id,)
            ),
            figures=figures,
            can_manage=self.can_manage,
            **kwargs,
        )


class ActivityCreateView(SubmitOnceMixin, TeamManageMixin, ServiceFormView):
    template_name = "volunteers/activity_form.html"

    def get_form(self, form_class=None):
        volunteers = self.team.volunteers.current().order_by("name", "pk")
        data = self.request.POST if self.request.method == "POST" else None
        return ActivityForm(
            data, team=self.team, volunteers=volunteers, initial={"date": timezone.localdate()}
        )

    def perform(self, form):
        self.success_message = _("The activity is recorded.")
        return services.activity_record(
            team=self.team, recorded_by=self.request.user, **form.cleaned_data
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Record an activity"), **kwargs)


class VolunteerAddView(TeamManageMixin, ServiceFormView):
    form_class = VolunteerForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        return {"joined": timezone.localdate()}

    def perform(self, form):
        self.success_message = _("The volunteer has joined the team.")
        return services.volunteer_add(team=self.team, **form.cleaned_data)

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Add a volunteer"), **kwargs)


class PersonView(RegisterAccessMixin, YearMixin, TemplateView):
    """One person's year of service, over all the teams they serve in."""

    template_name = "volunteers/person.html"

    def fetch_objects(self):
        self.volunteer = get_object_or_404(
            Volunteer.objects.visible_to(self.request.user).select_related("resident", "team"),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        year = self.get_year()
        first, last = services.year_bounds(year)
        records = services.person_records(self.volunteer).filter(
            team__in=VolunteerTeam.objects.visible_to(self.request.user)
        )
        hours = ServiceHours.objects.filter(
            volunteer__in=records, activity__date__gte=first, activity__date__lte=last
        )
        totals = hours.aggregate(hours=Sum("hours"), activities=Count("activity", distinct=True))
        return super().get_context_data(
            volunteer=with_party_shown(
                [self.volunteer],
                user=self.request.user,
                place=(self.volunteer.team.community_id,),
            )[0],
            year=year,
            roles=list(records.select_related("team").order_by("team__name")),
            by_team=list(
                hours.values("activity__team__name")
                .annotate(hours=Sum("hours"), n=Count("pk"))
                .order_by("-hours", "activity__team__name")
            ),
            rows=list(hours.select_related("activity__team").order_by("-activity__date", "-pk")),
            totals=totals,
            **kwargs,
        )

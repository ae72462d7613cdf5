from django.views.generic import TemplateView

from jinzang.permissions import RegisterAccessMixin
from meetings.dashboard.figures import dashboard


class DashboardView(RegisterAccessMixin, TemplateView):
    """The community at a glance, for staff and committee members (their own part)."""

    template_name = "dashboard.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**dashboard(self.request.user), **kwargs)

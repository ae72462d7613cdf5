"""A resident's own pages: their households as the register holds them, and who changed or
was shown their record."""

from django.db.models import Prefetch
from django.views.generic import TemplateView

from jinzang.permissions import ResidentDoorMixin
from residents.door.corrections import CORRECTIONS
from residents.door.record import resident_record
from residents.models import Membership


def own_households(account):
    """The households the account reaches today, with their places and members."""
    return list(
        account.households()
        .with_place()
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("resident").order_by(
                    "relation", "resident__name", "pk"
                ),
            )
        )
        .order_by("unit__building__compound__name", "unit__building__number", "pk")
    )


class DoorHomeView(ResidentDoorMixin, TemplateView):
    """The resident's record and households. Numbers are masked as a committee member sees
    them; party membership and care notes are not shown (docs/domain.md, "Who sees what")."""

    template_name = "door/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            resident=self.resident,
            households=own_households(self.account),
            corrections=CORRECTIONS.items(),
            **kwargs,
        )


class DoorRecordView(ResidentDoorMixin, TemplateView):
    """Who changed the resident's record and households, who was shown their full numbers,
    and the exports that may have held them."""

    template_name = "door/record.html"

    def get_context_data(self, **kwargs):
        households = list(self.account.households().with_place())
        return super().get_context_data(
            resident=self.resident,
            **resident_record(account=self.account, households=households),
            **kwargs,
        )

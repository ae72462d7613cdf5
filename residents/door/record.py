"""What a resident may know of their own record (the PIPL right to know, docs/domain.md,
"The residents' own door"): who changed it and their households, and when; who was shown
their full phone or ID number, when and why; and the exports of full numbers that may have
held them. People are named with their role, never by their username."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jinzang.history import history_changes, merged
from jinzang.names import person_name
from residents.models import AccessGrant, Household, Membership, PersonalDataReveal

CHANGES = 30
REVEALS = 50
EXPORTS = 20


def resident_record(*, account, households) -> dict:
    """The changes, the showings and the exports for `account`'s resident, `households`
    being those the register places them in today (with their places)."""
    resident = account.resident
    by_id = {h.pk: h for h in households}
    changes = merged(
        history_changes(resident.history.all(), CHANGES, label=lambda r: _("your record")),
        history_changes(
            Membership.history.filter(resident_id=resident.pk).select_related(
                "household__unit__building__compound"
            ),
            CHANGES,
            label=_membership_label,
        ),
        history_changes(
            Household.history.filter(id__in=list(by_id)),
            CHANGES,
            label=lambda r: str(by_id[r.id]),
        ),
        limit=CHANGES,
    )
    reveals = list(
        PersonalDataReveal.objects.filter(resident=resident, kind=PersonalDataReveal.Kind.PAGE)
        .select_related("user")
        .order_by("-at", "-pk")[:REVEALS]
    )
    communities = {h.unit.building.compound.community_id for h in households}
    staff = Q(
        user__access_grants__role=AccessGrant.Role.NEIGHBOURHOOD_STAFF,
        user__access_grants__community__in=communities,
    )
    exports = list(
        PersonalDataReveal.objects.filter(kind=PersonalDataReveal.Kind.EXPORT)
        .filter(staff | Q(user__is_superuser=True))
        .select_related("user")
        .distinct()
        .order_by("-at", "-pk")[:EXPORTS]
    )
    people = People(
        [c["record"].history_user for c in changes] + [r.user for r in reveals + exports],
        me=account.user_id,
    )
    for change in changes:
        change["who"] = people.label(change["record"].history_user, change["record"].history_date)
    for showing in reveals + exports:
        showing.who = people.label(showing.user, showing.at)
    return {"changes": changes, "reveals": reveals, "exports": exports}


def _membership_label(record):
    household = record.household
    if household is None:  # the household itself was taken off the register since
        return _("a household no longer on the register")
    return str(household)


class People:
    """Names and roles of the users who acted on a record, their grants read in one query."""

    def __init__(self, users, *, me):
        self.me = me
        self.grants = {}
        ids = {u.pk for u in users if u is not None}
        for user_id, role, starts_on, ends_on in (
            AccessGrant.objects.filter(user_id__in=ids)
            .order_by("-starts_on")
            .values_list("user_id", "role", "starts_on", "ends_on")
        ):
            self.grants.setdefault(user_id, []).append((role, starts_on, ends_on))

    def role(self, user, when) -> str:
        """The user's role on the day `when`: the grant they held then (staff before
        committee member), else their latest."""
        day = timezone.localdate(when)
        grants = self.grants.get(user.pk, [])
        held = [g for g in grants if g[1] <= day and (g[2] is None or g[2] >= day)] or grants
        if held:
            staff = AccessGrant.Role.NEIGHBOURHOOD_STAFF
            role = next((g[0] for g in held if g[0] == staff), held[0][0])
            return str(AccessGrant.Role(role).label)
        if user.is_superuser:
            return _("administrator")
        return _("no role in the register")

    def label(self, user, when) -> str:
        """“廖书英 · Neighbourhood-committee staff”: the name (never the username), the role."""
        if user is None:
            return _("not recorded")
        if user.pk == self.me:
            return _("you")
        name = person_name(user)
        role = self.role(user, when)
        if name == user.get_username():
            return role
        return f"{name} · {role}"

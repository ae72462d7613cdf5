"""The scope rule: who may see what of the register.

A user's access is read once per request from their active grants
(`residents.models.AccessGrant`, kept as data): administrators see everything,
neighbourhood-committee staff their communities with the residents' personal
information, committee members their compound or courtyard without it. The
`visible_to(user)` QuerySet methods of every app filter through `Access`; the
shared code receives this class through `settings.ACCESS_RULE`
(`jinzang.permissions.access_of`), so that it imports no app.
"""

from django.db.models import Q, QuerySet

# The models' `visible_to` methods apply this rule, so the models are imported where they
# are read rather than here: importing them at the top would be an import cycle.


class Access:
    """What one user may see, read once per request from their active grants."""

    def __init__(self, user):
        self.user = user
        self.is_admin = bool(user.is_authenticated and user.is_active and user.is_superuser)
        self.staff_community_ids: set[int] = set()
        self.compound_ids: set[int] = set()
        self.courtyard_ids: set[int] = set()
        self.community_ids: set[int] = set()
        if user.is_authenticated and user.is_active and not self.is_admin:
            from residents.models import AccessGrant

            for role, community_id, compound_id, courtyard_id in (
                AccessGrant.objects.active()
                .filter(user=user)
                .values_list("role", "community_id", "compound_id", "courtyard_id")
            ):
                self.community_ids.add(community_id)
                if role == AccessGrant.Role.NEIGHBOURHOOD_STAFF:
                    self.staff_community_ids.add(community_id)
                elif courtyard_id:
                    self.courtyard_ids.add(courtyard_id)
                else:
                    self.compound_ids.add(compound_id)

    @classmethod
    def of(cls, user):
        """The user's access, computed once and kept on the user object for the request."""
        access = getattr(user, "_jinzang_access", None)
        if access is None:
            access = cls(user)
            if user.is_authenticated:
                user._jinzang_access = access
        return access

    @property
    def account(self):
        """The user's own resident account (the residents' door), or None. Read once, and
        only for a user with no role: staff and committee members never hold one."""
        if "_account" not in self.__dict__:
            self._account = None
            if self.user.is_authenticated and self.user.is_active and not self.has_role:
                from residents.models import ResidentAccount

                self._account = (
                    ResidentAccount.objects.select_related("resident")
                    .filter(user=self.user)
                    .first()
                )
        return self._account

    @property
    def has_role(self) -> bool:
        """May use the register's pages at all."""
        return self.is_admin or bool(
            self.staff_community_ids or self.compound_ids or self.courtyard_ids
        )

    @property
    def is_staff_role(self) -> bool:
        """Neighbourhood-committee staff (or an administrator): may see personal information."""
        return self.is_admin or bool(self.staff_community_ids)

    # The rule said once, as filters. Each takes the paths (lookups without `__in`) by
    # which a model reaches its place, and gives Q() to an administrator: filter with
    # it; OR-ing it with another Q would drop it, so a wider rule says so through `or_`.

    def community_q(self, community: str) -> Q:
        """Serves the whole community (reached through `community`): anyone with a role in
        it, staff or committee member, sees it."""
        if self.is_admin:
            return Q()
        return Q(**{f"{community}__in": self.community_ids})

    def staff_q(self, community: str, *, or_: Q | None = None) -> Q:
        """Kept to the community's neighbourhood-committee staff (reached through
        `community`): what they run; with `or_`, also the rows it matches."""
        if self.is_admin:
            return Q()
        staff = Q(**{f"{community}__in": self.staff_community_ids})
        return staff if or_ is None else staff | or_

    def personal_q(self, community: str, *, where: Q | None = None) -> Q:
        """Personal information placed in a community (reached through `community`): its
        staff see it, nobody else. With `where`, only the rows it matches are personal;
        the others pass (other rules decide them)."""
        if self.is_admin:
            return Q()
        staff = Q(**{f"{community}__in": self.staff_community_ids})
        return staff if where is None else ~where | staff

    def place_q(self, *, community: str, compound: str, courtyard: str | tuple[str, ...]) -> Q:
        """Placed in a community, a compound or a courtyard (reached through these paths;
        several courtyard paths for a thing placed by either): the community's staff, the
        committee members of that compound or courtyard. A thing over the whole community
        (no compound) is its staff's."""
        if self.is_admin:
            return Q()
        q = Q(pk__in=[])
        if self.staff_community_ids:
            q |= Q(**{f"{community}__in": self.staff_community_ids})
        if self.compound_ids:
            q |= Q(**{f"{compound}__in": self.compound_ids})
        if self.courtyard_ids:
            for path in (courtyard,) if isinstance(courtyard, str) else courtyard:
                q |= Q(**{f"{path}__in": self.courtyard_ids})
        return q

    def building_q(self, prefix: str = "") -> Q:
        """A filter on buildings (reached through `prefix`) this user may see."""
        return self.place_q(
            community=f"{prefix}compound__community",
            compound=f"{prefix}compound",
            courtyard=f"{prefix}courtyard",
        )

    def is_staff_of(self, community_id: int) -> bool:
        """Neighbourhood-committee staff of this community (or an administrator)."""
        return self.is_admin or community_id in self.staff_community_ids

    def staffed_community_id(self) -> int | None:
        """The community a thing this user opens for a whole community belongs to: the
        first they are staff of (None for administrators and committee members)."""
        return min(self.staff_community_ids, default=None)

    def serves(self, *, compound=None, courtyard=None) -> bool:
        """Whether the user may run something (a visit campaign) over this place: the
        community's staff; a committee member of the compound, or of the courtyard (or of
        its compound); over the whole community (neither given), its staff only."""
        if self.is_admin:
            return True
        if courtyard is not None and (
            courtyard.pk in self.courtyard_ids or courtyard.compound_id in self.compound_ids
        ):
            return True
        if compound is not None:
            return (
                compound.pk in self.compound_ids
                or compound.community_id in self.staff_community_ids
            )
        return courtyard is None and bool(self.staff_community_ids)

    def personal_households(self):
        """Households whose residents' personal data this user may see (None: none)."""
        from residents.models import Household

        if self.is_admin:
            return Household.objects.all()
        if not self.staff_community_ids:
            return None
        return Household.objects.filter(
            unit__building__compound__community_id__in=self.staff_community_ids
        )

    def can_see_personal_in(self, community_id: int) -> bool:
        """Personal information of this community: its staff (and administrators)."""
        return self.is_staff_of(community_id)

    def disclosure(self, residents) -> "Disclosure":
        """What this user may be shown of `residents` (ids, or a queryset of ids)."""
        return Disclosure(self, residents)

    def can_see_personal(self, resident) -> bool:
        """Full phone, ID number and care notes of this resident: administrators, and
        neighbourhood-committee staff of a community where the resident has a household."""
        if self.is_admin:
            return True
        if not self.staff_community_ids:
            return False
        return resident.memberships.filter(
            household__unit__building__compound__community_id__in=self.staff_community_ids
        ).exists()


class Disclosure:
    """What one user may be shown of some residents, read in one query for a whole page
    (the README's "Who sees what"):

    - their masked phone and ID number, where a household of theirs lies in the user's
      part of the register: a committee member's compound or courtyard, a staff member's
      community;
    - their full numbers (shown on request, each showing logged) and their party
      membership, where one lies in a community the user is neighbourhood-committee staff
      of: personal information, which a committee member's scope does not include;
    - elsewhere, at most their name, on the community-wide pages that list people
      (volunteer teams, meeting attendees, a body's seats).

    Someone not on the register (a volunteer or a seat typed by name) belongs to the place
    they serve: `party(None, place=...)`.
    """

    def __init__(self, access: Access, residents):
        self.access = access
        self.in_part: set[int] = set()
        self.in_full: set[int] = set()
        if access.is_admin or not access.has_role:
            return
        if not isinstance(residents, QuerySet):
            residents = {pk for pk in residents if pk}
            if not residents:
                return
        from residents.models import Membership

        self._add_places(
            Membership.objects.filter(resident_id__in=residents)
            .filter(access.building_q("household__unit__building__"))
            .values_list("resident_id", "household__unit__building__compound__community_id")
        )

    @classmethod
    def of_places(cls, access: Access, places) -> "Disclosure":
        """The same, from (resident_id, community_id) pairs of households in the user's part
        that a page has read already: no query of its own."""
        disclosure = cls(access, ())
        if access.has_role and not access.is_admin:
            disclosure._add_places(places)
        return disclosure

    def _add_places(self, places):
        for resident_id, community_id in places:
            self.in_part.add(resident_id)
            if community_id in self.access.staff_community_ids:
                self.in_full.add(resident_id)

    def details(self, resident_id) -> bool:
        """Masked phone and ID number of a resident."""
        return self.access.is_admin or resident_id in self.in_part

    def full(self, resident_id) -> bool:
        """Full phone and ID number, to be logged when shown."""
        return self.access.is_admin or resident_id in self.in_full

    def party(self, resident_id, place: tuple = ()) -> bool:
        """Party membership of a resident, or of someone not on the register (`resident_id`
        None) serving `place`: (community_id[, compound_id[, courtyard_id]]). Those who
        may see personal information only: a committee member is not shown it even within
        their own part."""
        if self.access.is_admin:
            return True
        if resident_id is None:
            return bool(place) and self.access.can_see_personal_in(place[0])
        return resident_id in self.in_full


def with_party_shown(people, *, user, place: tuple) -> list:
    """`people` (volunteers of one team, seats on one body: anything with `resident_id` and
    `party_member`) as a list, each with `party_shown`: their party membership where
    `user` may be shown it. `place` is what they serve, for those not on the register."""
    people = list(people)
    disclosure = Access.of(user).disclosure(p.resident_id for p in people if p.party_member)
    for person in people:
        person.party_shown = person.party_member and disclosure.party(
            person.resident_id, place=place
        )
    return people

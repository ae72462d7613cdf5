"""What `manage.py demo` prints: how many rows of each kind the demo created, and the
demo accounts with what each may see."""

from django.utils.translation import gettext as _

from jinzang.demo.story import (
    ADMIN,
    BAILAJING,
    BAILAJING_CHAIR,
    COMMUNITY,
    DEMO_PASSWORD,
    QINGFENG_1,
    QINGFENG_1_CHAIR,
    STAFF,
)


def _labels() -> dict[str, str]:
    """The loaders' counts, in the order they are shown, with their names."""
    return {
        "communities": _("communities"),
        "compounds": _("compounds"),
        "courtyards": _("courtyards"),
        "buildings": _("buildings"),
        "units": _("units"),
        "households": _("households"),
        "residents": _("residents"),
        "memberships": _("household memberships"),
        "users": _("users"),
        "bodies": _("bodies"),
        "terms": _("terms"),
        "members": _("members"),
        "access_grants": _("access grants"),
        "elections": _("elections"),
        "candidates": _("candidates"),
        "ballots": _("ballots"),
        "meetings": _("meetings"),
        "attendees": _("attendees"),
        "outside_parties": _("outside parties"),
        "agenda_items": _("agenda items"),
        "decisions": _("decisions"),
        "actions": _("actions"),
        "projects": _("projects"),
        "consent_records": _("consent records"),
        "notices": _("notices"),
        "notice_revisions": _("notice revisions"),
        "categories": _("request categories"),
        "alliance_members": _("alliance members"),
        "requests": _("residents' requests"),
        "campaigns": _("visit campaigns"),
        "visits": _("visits"),
        "care_records": _("care records"),
        "volunteer_teams": _("volunteer teams"),
        "volunteers": _("volunteers"),
        "service_activities": _("service activities"),
        "funds": _("funds"),
        "fund_entries": _("fund entries"),
        "facilities": _("facilities"),
        "inspections": _("facility inspections"),
    }


def write_created(out, style, created: dict[str, int], seconds: float) -> None:
    """The rows created, kind by kind; or that the demo was loaded already."""
    if not any(created.values()):
        out.write(style.SUCCESS(_("The demo data was already loaded; nothing was created.")))
        return
    out.write(
        style.SUCCESS(_("Demo data loaded in %(seconds).1f s. Created:") % {"seconds": seconds})
    )
    labels = _labels()
    width = max(display_width(label) for label in labels.values())
    for key, label in labels.items():
        padding = " " * (width - display_width(label))
        out.write(f"  {label}{padding}  {created.get(key, 0):>5}")


def write_accounts(out, style, addrport: str) -> None:
    """The demo accounts, their password and what each may see."""
    rows = [
        (_("Role"), _("Username"), _("Password"), _("Can see")),
        (
            _("Administrator"),
            ADMIN["username"],
            DEMO_PASSWORD,
            _("everything, including the Django admin (/admin/)"),
        ),
        (
            _("Neighbourhood-committee staff"),
            STAFF,
            DEMO_PASSWORD,
            _("the whole of %(community)s, with personal information")
            % {"community": COMMUNITY["name"]},
        ),
        (
            _("Owners' committee chair"),
            BAILAJING_CHAIR,
            DEMO_PASSWORD,
            _("%(place)s, without personal information") % {"place": BAILAJING},
        ),
        (
            _("Owners' committee chair"),
            QINGFENG_1_CHAIR,
            DEMO_PASSWORD,
            _("%(place)s only, without personal information") % {"place": QINGFENG_1},
        ),
    ]
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(rows[0]))]

    def line(row):
        cells = [
            cell + " " * (w - display_width(cell)) for cell, w in zip(row, widths, strict=True)
        ]
        return "  " + "  ".join(cells).rstrip()

    out.write("")
    out.write(style.MIGRATE_HEADING(_("Demo accounts")))
    out.write(line(rows[0]))
    out.write("  " + "  ".join("-" * w for w in widths))
    for row in rows[1:]:
        out.write(line(row))
    out.write("")
    out.write(_("Log in at http://%(addrport)s/") % {"addrport": addrport})


def display_width(text: str) -> int:
    """Columns the text takes in a terminal: Chinese characters take two."""
    return sum(2 if ord(char) > 0x2E80 else 1 for char in text)

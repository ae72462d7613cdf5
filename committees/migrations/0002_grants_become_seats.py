"""Access grants given by hand in the walking skeleton become seats on bodies.

From now on access follows seats: every grant is created and ended by a seat.
A hand-made grant gets a seat in a body of its place (the neighbourhood
committee of its community for staff, an owners' committee of its compound or
courtyard for members), in a term opened on the grant's start date.
"""

from django.db import migrations


def grants_to_seats(apps, schema_editor):
    AccessGrant = apps.get_model("residents", "AccessGrant")
    Body = apps.get_model("committees", "Body")
    Term = apps.get_model("committees", "Term")
    Member = apps.get_model("committees", "Member")
    seated = set(Member.objects.exclude(access_grant=None).values_list("access_grant_id", flat=True))
    for grant in AccessGrant.objects.select_related("community", "compound", "courtyard", "user"):
        if grant.pk in seated:
            continue
        if grant.role == "staff":
            body, _ = Body.objects.get_or_create(
                kind="neighbourhood",
                community=grant.community,
                dissolved_on=None,
                defaults={"name": f"{grant.community.name}居民委员会"},
            )
        else:
            place = grant.courtyard or grant.compound
            body, _ = Body.objects.get_or_create(
                kind="owners",
                community=grant.community,
                compound=grant.compound,
                courtyard=grant.courtyard,
                dissolved_on=None,
                defaults={"name": f"{place.name}业主委员会"},
            )
        term = Term.objects.filter(body=body).order_by("-number").first()
        if term is None:
            term = Term.objects.create(
                body=body, number=1, starts_on=grant.starts_on, formed_by="appointment"
            )
        elif grant.starts_on < term.starts_on:
            # An older grant: the term reaches back to cover it.
            term.starts_on = grant.starts_on
            term.save(update_fields=["starts_on"])
        Member.objects.create(
            term=term,
            user=grant.user,
            name=(grant.user.first_name + grant.user.last_name) or grant.user.username,
            role="member",
            starts_on=max(grant.starts_on, term.starts_on),
            ends_on=grant.ends_on,
            access_grant=grant,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("committees", "0001_initial"),
        ("residents", "0002_owner_roll"),
    ]

    operations = [migrations.RunPython(grants_to_seats, migrations.RunPython.noop)]

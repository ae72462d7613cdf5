"""What a resident may ask the committee to correct on the register, from their own page.

The door's home page offers these; the resident's request form (committees.requests) names
the one asked for in the request it prefills.
"""

from django.utils.translation import gettext_lazy as _

CORRECTIONS = {
    "name": _("my name"),
    "gender": _("my gender"),
    "birth_year": _("my year of birth"),
    "phone": _("my mobile phone number"),
    "id_number": _("my ID number"),
    "relation": _("how I belong to the household (owner, tenant, family member)"),
    "members": _("who lives in the household"),
    "area": _("the household's exclusive area"),
    "occupancy": _("who occupies the household (owner, tenant, vacant)"),
}

"""Keeps the compound copied on each visit (Visit.compound) right when the register moves
a household to another unit, a unit to another building or a building to another compound.
Such moves are corrections, rare enough that one UPDATE per saved place costs nothing."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from meetings.models import Visit
from residents.models import Building, Household, Unit


@receiver(post_save, sender=Household, dispatch_uid="visit_compound_household")
def household_moved(sender, instance, created, raw=False, **kwargs):
    if not created and not raw:
        Visit.objects.filter(household=instance).sync_compounds()


@receiver(post_save, sender=Unit, dispatch_uid="visit_compound_unit")
def unit_moved(sender, instance, created, raw=False, **kwargs):
    if not created and not raw:
        Visit.objects.filter(household__unit=instance).sync_compounds()


@receiver(post_save, sender=Building, dispatch_uid="visit_compound_building")
def building_moved(sender, instance, created, raw=False, **kwargs):
    if not created and not raw:
        Visit.objects.filter(household__unit__building=instance).sync_compounds()

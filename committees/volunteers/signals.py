"""Keeps ServiceActivity.hours_total, the sum of an activity's hours, right whenever one
participant's hours are saved or deleted (the site, the admin and its inlines);
ServiceHours.objects.bulk_create does the same for rows created together."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from committees.models import ServiceActivity, ServiceHours


@receiver(pre_save, sender=ServiceHours, dispatch_uid="hours_total_before")
def remember_activity(sender, instance, raw=False, **kwargs):
    """The activity the row belonged to before this save, when it is moved to another."""
    instance._previous_activity_id = (
        None
        if raw or instance._state.adding
        else ServiceHours.objects.filter(pk=instance.pk)
        .values_list("activity_id", flat=True)
        .first()
    )


@receiver(post_save, sender=ServiceHours, dispatch_uid="hours_total_saved")
def hours_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    activities = {instance.activity_id, getattr(instance, "_previous_activity_id", None)}
    ServiceActivity.objects.filter(pk__in=activities - {None}).sync_hours()


@receiver(post_delete, sender=ServiceHours, dispatch_uid="hours_total_deleted")
def hours_deleted(sender, instance, **kwargs):
    ServiceActivity.objects.filter(pk=instance.activity_id).sync_hours()

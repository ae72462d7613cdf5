"""Admin pieces every app shares."""

from django.contrib import admin

from jinzang.models import QueuedSend, SubmittedForm
from jinzang.uploads import files_discard, files_of_deletion, files_replaced


class ExistingRowsInline(admin.TabularInline):
    """An inline's existing rows, with their related objects shown as text.

    An autocomplete widget on every row would cost a query per row; the rows
    are listed read only (their other fields stay editable) and new ones are
    added through a paired AddRowsInline.
    """

    extra = 0
    related_as_text: tuple[str, ...] = ()
    select_related: tuple[str, ...] = ()

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *self.related_as_text]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.select_related)

    def has_add_permission(self, request, obj=None):
        return False


class AddRowsInline(admin.TabularInline):
    """Blank rows to add new related objects; the existing ones are in an ExistingRowsInline."""

    extra = 1

    def get_queryset(self, request):
        return super().get_queryset(request).none()


class StoredFilesMixin:
    """For the admin of a model holding uploaded files, or whose rows delete such rows with
    them: a file replaced, cleared, or deleted with its row leaves storage once the change
    commits (jinzang/uploads.py). Put it before ModelAdmin among the bases."""

    def save_model(self, request, obj, form, change):
        replaced = files_replaced(form) if change else []
        super().save_model(request, obj, form, change)
        files_discard(replaced)

    def save_formset(self, request, form, formset, change):
        deleted = [f.instance for f in formset.deleted_forms if f.instance.pk]
        files = files_of_deletion(deleted) if deleted else []
        for inline in formset.forms:
            if inline.instance.pk and inline not in formset.deleted_forms:
                files += files_replaced(inline)
        super().save_formset(request, form, formset, change)
        files_discard(files)

    def delete_model(self, request, obj):
        files = files_of_deletion([obj])
        super().delete_model(request, obj)
        files_discard(files)

    def delete_queryset(self, request, queryset):
        files = files_of_deletion(queryset)
        super().delete_queryset(request, queryset)
        files_discard(files)


@admin.register(SubmittedForm)
class SubmittedFormAdmin(admin.ModelAdmin):
    """Read only: the tokens of create forms already sent."""

    list_display = ["created_at", "user", "path", "result_url"]
    list_select_related = ["user"]
    search_fields = ["path", "user__username"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(QueuedSend)
class QueuedSendAdmin(admin.ModelAdmin):
    """Read only: the keys of answers and visits sent from phones' offline queues."""

    list_display = ["received_at", "user", "path", "key"]
    list_select_related = ["user"]
    search_fields = ["path", "user__username", "key"]
    date_hierarchy = "received_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

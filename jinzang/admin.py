"""Admin pieces every app shares."""

from django.contrib import admin


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

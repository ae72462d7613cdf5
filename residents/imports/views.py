"""Pages to import the register from a spreadsheet and to export it."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import View

from jinzang.params import int_param
from jinzang.permissions import RegisterAccessMixin
from jinzang.spreadsheet_views import ImportPreviewView, ImportUploadView
from jinzang.spreadsheets import FORMATS, export_response, template_response
from residents.imports import importer as imports
from residents.models import Compound
from residents.privacy.services import personal_data_export_log


class RegisterFlow:
    """Anyone who may edit the register imports into it, within their part (rows outside it
    are rejected): neighbourhood-committee staff their community, committee members their
    compound or courtyard, as on the household and resident forms."""

    kind = "register"
    title = _("Import households and residents")

    def run(self, path, *, write):
        return imports.register_import(
            path=path, user=self.request.user, write=write, where=self.request.path
        )

    def upload_url(self):
        return reverse("residents:import")

    def preview_url(self, token):
        return reverse("residents:import_preview", args=[token])

    def done_url(self):
        return reverse("home")

    def flow_context(self):
        return {
            **super().flow_context(),
            "template_urls": [
                (fmt.upper(), reverse("residents:import_template", args=[fmt])) for fmt in FORMATS
            ],
            "columns": list(imports.COLUMNS.values()),
            "help": _(
                "One row per resident, with the place of their household; a household "
                "without residents is a row without a name. Households are matched by "
                "compound, building, unit and door number; residents by ID number, else by "
                "name within the household. An empty cell keeps what is stored. Buildings "
                "must already be registered; missing units are created."
            ),
        }


class RegisterImportView(RegisterAccessMixin, RegisterFlow, ImportUploadView):
    pass


class RegisterImportPreviewView(RegisterAccessMixin, RegisterFlow, ImportPreviewView):
    pass


class RegisterTemplateView(RegisterAccessMixin, View):
    def get(self, request, fmt):
        if fmt not in FORMATS:
            raise Http404
        return template_response(
            imports.template_rows()[0], imports.template_rows()[1:], fmt=fmt, name="register"
        )


class RegisterExportView(RegisterAccessMixin, View):
    """The register the user may see (or one compound of it), personal data masked where the
    user may not see it; an export holding full numbers is logged, with how many residents'."""

    def get(self, request, fmt):
        if fmt not in FORMATS:
            raise Http404
        compound = None
        if request.GET.get("compound"):
            pk = int_param(request.GET, "compound")
            if pk is None:
                raise Http404
            compound = get_object_or_404(Compound.objects.visible_to(request.user), pk=pk)
        shown = set()
        response = export_response(
            imports.register_rows(request.user, compound, shown),
            fmt=fmt,
            name=imports.today_name("register"),
            sheet="register",
        )
        personal_data_export_log(
            user=request.user, path=request.get_full_path(), resident_count=len(shown)
        )
        return response

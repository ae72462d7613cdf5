"""The import flow every spreadsheet import shares: upload, dry run, preview, confirm.

The upload is kept under MEDIA_ROOT/imports, named by the user and a random token, with
the dry run's row-by-row report beside it. Confirming runs the import again from the file,
inside one transaction, so that the register as it is then decides; nothing is written
unless every row is clean. A subclass says what to run and where to go.
"""

from django import forms
from django.contrib import messages
from django.core.validators import FileExtensionValidator
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from jinzang.params import int_param
from jinzang.spreadsheets import (
    ACTIONS,
    CREATE,
    MAX_SPREADSHEET_BYTES,
    REJECT,
    UNCHANGED,
    UPDATE,
    SpreadsheetError,
    report_page,
    sidecar,
    upload_discard,
    upload_keep,
    upload_path,
)

ACTION_LABELS = {
    REJECT: gettext_lazy("Rejected"),
    CREATE: gettext_lazy("New"),
    UPDATE: gettext_lazy("Changed"),
    UNCHANGED: gettext_lazy("Unchanged"),
}


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet"),
        help_text=gettext_lazy("An Excel workbook (.xlsx) or a CSV file (UTF-8 or GBK)."),
        validators=[FileExtensionValidator(["xlsx", "csv"])],
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_SPREADSHEET_BYTES:
            raise forms.ValidationError(_("The file is larger than 50 MB."))
        return upload


class ImportFlow:
    """What a kind of import says about itself (mixed into the upload and preview views)."""

    kind = ""
    title = ""

    def run(self, path, *, write: bool):
        """The Report of importing the file at `path` (written only with `write`)."""
        raise NotImplementedError

    def upload_url(self):
        raise NotImplementedError

    def preview_url(self, token):
        raise NotImplementedError

    def done_url(self):
        raise NotImplementedError

    def flow_context(self):
        return {"title": self.title, "upload_url": self.upload_url(), "done_url": self.done_url()}


class ImportUploadView(ImportFlow, FormView):
    template_name = "imports/upload.html"
    form_class = UploadForm

    def form_valid(self, form):
        user = self.request.user
        try:
            token = upload_keep(form.cleaned_data["file"], user=user, kind=self.kind)
        except SpreadsheetError as error:
            form.add_error("file", error.messages)
            return self.form_invalid(form)
        path = upload_path(user=user, kind=self.kind, token=token)
        try:
            report = self.run(path, write=False)
        except SpreadsheetError as error:
            upload_discard(path)
            form.add_error("file", error.messages)
            return self.form_invalid(form)
        report.save(sidecar(path, ".report"))
        return redirect(self.preview_url(token))

    def get_context_data(self, **kwargs):
        return super().get_context_data(**self.flow_context(), **kwargs)


class ImportPreviewView(ImportFlow, TemplateView):
    """The dry run, row by row; confirming imports the file, all or nothing."""

    template_name = "imports/preview.html"

    def path(self):
        return upload_path(user=self.request.user, kind=self.kind, token=self.kwargs["token"])

    def get_context_data(self, **kwargs):
        action = self.request.GET.get("show", "")
        action = action if action in ACTIONS else ""
        page = int_param(self.request.GET, "page", 1)
        counts, notes, rows, page, pages = report_page(
            sidecar(self.path(), ".report"), action=action or None, page=page
        )
        return super().get_context_data(
            **self.flow_context(),
            counts=counts,
            filters=[(a, ACTION_LABELS[a], counts[a]) for a in ACTIONS],
            total=sum(counts.values()),
            notes=notes,
            rows=[(r[0], r[1], ACTION_LABELS[r[1]], *r[2:]) for r in rows],
            show=action,
            page=page,
            pages=pages,
            clean=counts[REJECT] == 0,
            changes=counts[CREATE] + counts[UPDATE],
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        path = self.path()
        try:
            report = self.run(path, write=True)
        except SpreadsheetError as error:
            upload_discard(path)
            messages.error(request, " ".join(error.messages))
            return redirect(self.upload_url())
        if not report.is_clean:
            report.save(sidecar(path, ".report"))
            messages.error(
                request,
                _(
                    "The register changed since the preview and some rows are now rejected. "
                    "Nothing was imported."
                ),
            )
            return redirect(self.preview_url(self.kwargs["token"]))
        upload_discard(path)
        messages.success(
            request,
            _("Imported: %(new)s new, %(changed)s changed, %(same)s unchanged.")
            % {
                "new": report.counts[CREATE],
                "changed": report.counts[UPDATE],
                "same": report.counts[UNCHANGED],
            },
        )
        return redirect(self.done_url())

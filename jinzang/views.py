"""Pages and page classes every app shares: the login lockout page, the form page whose
valid data goes to a service, the button that takes a step, the year a page is asked
for, and an object's recorded changes opened on demand."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.generic import FormView, TemplateView, View

from jinzang.forms import YearForm, form_errors_from
from jinzang.history import history_changes
from jinzang.permissions import RegisterAccessMixin

# The name under which django-axes counts wrong access-letter codes: with the address,
# as it counts a user name's failed logins, so that guessing codes from one address is
# locked out like guessing passwords. Django's user names cannot hold brackets or spaces,
# so no account is ever counted under it.
LETTER_CODE_CREDENTIALS = {"username": "(access letter code)"}


def locked_out(request, original_response=None, credentials=None):
    """django-axes' lockout response: a page in the user's language, 429 Too Many Requests."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    codes = (credentials or {}).get("username") == LETTER_CODE_CREDENTIALS["username"]
    return render(
        request,
        "registration/locked_out.html",
        {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes, "codes": codes},
        status=429,
    )


class ServiceFormView(FormView):
    """A form whose valid data goes to a service; the service's refusals show on the form.

    Subclasses define `perform(form)`, which calls the service and returns what it made;
    the page then goes to what was made, unless `get_success_url(result)` says otherwise.
    """

    template_name = "committees/form_page.html"
    success_message = ""

    def form_valid(self, form):
        try:
            result = self.perform(form)
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, self.success_message)
        return redirect(self.get_success_url(result))

    def perform(self, form):
        raise NotImplementedError

    def get_success_url(self, result):
        return result.get_absolute_url()


class StepView(View):
    """A button that takes one step of something (an owners' decision's announce, open,
    close, publish): POST only; `step(request)` calls the service; a refusal shows as a
    message and changes nothing; either way the page goes back to `step_object()`."""

    http_method_names = ["post"]
    done = ""  # the message once the step is taken

    def step(self, request):
        raise NotImplementedError

    def step_object(self):
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        try:
            self.step(request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, self.done)
        return redirect(self.step_object())


class YearMixin:
    """The year asked for in ?year=, else this year; a bad year reads as this year."""

    def get_year(self) -> int:
        form = YearForm(self.request.GET)
        if form.is_valid() and form.cleaned_data["year"]:
            return form.cleaned_data["year"]
        return timezone.localdate().year


class HistoryView(RegisterAccessMixin, TemplateView):
    """An object's recorded changes, for the staff who may see its personal data: asked
    for by its page when the changes are opened (htmx: the list alone), or a page of their
    own (the link that stands in for the list without script). Building them (each record
    compared with the one before) costs more than the rest of the object's page, so its
    page does not."""

    template_name = "history.html"
    needs_personal_data = True
    subject = None

    def get_template_names(self):
        if self.request.headers.get("HX-Request"):
            return [f"{self.template_name}#changes"]
        return [self.template_name]

    def changes(self) -> list[dict]:
        """The changes shown (jinzang.history.history_changes), newest first."""
        return history_changes(self.subject.history.all())

    def get_context_data(self, **kwargs):
        return super().get_context_data(subject=self.subject, history=self.changes(), **kwargs)

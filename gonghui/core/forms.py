"""One way for a page to run a service from a posted form and tell the user how it went."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Django 6.1's empty choice label, which its own zh-hans catalogue does not translate yet; naming it here puts it
# in ours, which is searched first.
BLANK_CHOICE_LABEL = gettext_lazy("- Select an option -")


def run_action(request, form, call, success: str) -> bool:
    """Validate ``form``, call ``call(cleaned_data)`` (a service), and leave a message: the success text, the
    service's field messages, or the form's. True when the service ran."""
    if not form.is_valid():
        messages.error(request, " ".join(
            f"{form.fields[f].label}: {e}" if f in form.fields and form.fields[f].label else str(e)
            for f, errors in form.errors.items() for e in errors))
        return False
    try:
        call(form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    except PermissionDenied:
        messages.error(request, _("Your role cannot take this step."))
        return False
    messages.success(request, success)
    return True


def apply_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form, field by field where the field exists."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)

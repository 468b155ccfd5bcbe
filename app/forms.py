"""WTForms pieces shared by the entry forms: number fields the rules validate, and rule errors shown per field.

Ranges and lengths are checked by each feature's pure rules (which raise validation.FormInvalid), so these fields
only carry and keep what was typed; `show_errors` puts each message beside its field.
"""
from wtforms import Field, StringField
from wtforms.form import BaseForm
from wtforms.widgets import NumberInput

class ScoreField(StringField):
    """A whole number typed (or slid) by the person; kept as typed so a bad value is shown back unchanged."""

    widget = NumberInput()

    def __init__(self, label=None, *, low: int, high: int, **kwargs):
        render_kw = {"min": low, "max": high, "step": 1, "inputmode": "numeric", **(kwargs.pop("render_kw", None) or {})}
        super().__init__(label, render_kw=render_kw, **kwargs)
        self.low = low
        self.high = high


def _fields_by_name(form: BaseForm) -> dict[str, Field]:
    """Every leaf field by its HTML name, including rows of FieldList(FormField(...))."""
    found: dict[str, Field] = {}
    for field in form:
        if hasattr(field, "entries"):
            for entry in field.entries:
                subform = getattr(entry, "form", None)
                found.update(_fields_by_name(subform) if subform is not None else {entry.name: entry})
        found[field.name] = field
    return found


def show_errors(form: BaseForm, errors: dict[str, str]) -> None:
    """Attach rule errors to their fields; an error for a field the form lacks would be lost, so it is refused."""
    fields = _fields_by_name(form)
    for name, message in errors.items():
        fields[name].errors = [*fields[name].errors, message]

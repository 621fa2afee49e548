"""The two-box choosers of the accounts' and groups' admin pages (groups, permissions), the same markup as
Django's FilteredSelectMultiple, at less cost.

Django renders each option of a <select> through two templates (the option and its attributes) and names each
permission by str(), which names its content type again (the app's and the model's verbose names, translated):
with some 150 permissions, the user's page rendered 300 options (its own permissions and those of its groups'
chooser) and that was most of its time. Here the options are written in Python, the <select> around them
still by Django's template; the permissions are read in one query of four columns (no model instances), and a
content type's name is worked out once per language and process (it is made of the code's verbose names,
which change only with the code). tests/reviews/test_account_admin.py holds the markup equal to Django's."""

from django.contrib.admin.widgets import FilteredSelectMultiple
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.forms.models import ModelChoiceIterator, ModelMultipleChoiceField
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

# (language, app_label, model) -> the content type's name as str(ContentType) gives it.
_TYPE_NAMES: dict[tuple[str | None, str, str], str] = {}


def content_type_name(app_label: str, model: str) -> str:
    """str() of the content type (app_label, model), in the active language, worked out once."""
    key = (get_language(), app_label, model)
    name = _TYPE_NAMES.get(key)
    if name is None:
        name = _TYPE_NAMES[key] = str(ContentType(app_label=app_label, model=model))
    return name


def _permission_choices(queryset):
    """(pk, str(permission)) of each permission of `queryset`, in its order, from one query of four columns."""
    for pk, name, app_label, model in queryset.values_list(
        "pk", "name", "content_type__app_label", "content_type__model"
    ):
        yield pk, f"{content_type_name(app_label, model)} | {name}"


def _default_labels(field) -> bool:
    return type(field).label_from_instance is ModelMultipleChoiceField.label_from_instance


class QuickFilteredSelectMultiple(FilteredSelectMultiple):
    """FilteredSelectMultiple whose options, when they are a model field's (groups, permissions), are written
    in Python; any other choices are left to Django."""

    def _fast(self) -> bool:
        choices = self.choices
        if not isinstance(choices, ModelChoiceIterator):
            return False
        field = choices.field
        return _default_labels(field) and field.empty_label is None and field.to_field_name is None

    def _model_choices(self):
        choices = self.choices
        assert isinstance(choices, ModelChoiceIterator)
        queryset = choices.queryset
        if queryset.model is Permission:
            return _permission_choices(queryset)
        return ((obj.pk, str(obj)) for obj in queryset)

    def optgroups(self, name, value, attrs=None):
        if self._fast():
            return []  # written by render(), below
        return super().optgroups(name, value, attrs)

    def render(self, name, value, attrs=None, renderer=None):
        """Django's <select> (its template, without options) with the options Django's templates would
        write: `\\n  <option value="…" selected>…</option>\\n` each (the option's template ends a line)."""
        html = super().render(name, value, attrs, renderer)
        if not self._fast():
            return html
        chosen = set(self.format_value(value))
        options = "".join(
            f'\n  <option value="{conditional_escape(str(key))}"{" selected" if str(key) in chosen else ""}>'
            f"{conditional_escape(label)}</option>\n"
            for key, label in self._model_choices()
        )
        head, closing, tail = html.rpartition("\n</select>")
        return mark_safe(f"{head}{options}{closing}{tail}")

"""Forms of the team pages (parsing only; the services validate and write)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from servicegate.core.widgets import DateInput
from servicegate.team.choices import FeedbackKind


class RetroForm(forms.Form):
    """A retrospective with up to three actions."""

    date = forms.DateField(label=_("date"), widget=DateInput())
    went_well = forms.CharField(label=_("went well"), widget=forms.Textarea, required=False)
    to_improve = forms.CharField(label=_("to improve"), widget=forms.Textarea, required=False)

    def __init__(self, *args: object, members: list[User], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        choices = [("", "–")] + [(str(u.pk), u.get_username()) for u in members]
        for i in range(1, 4):
            self.fields[f"action_{i}"] = forms.CharField(
                label=_("Action %(n)s") % {"n": i}, required=False
            )
            self.fields[f"owner_{i}"] = forms.ChoiceField(
                label=_("Owner %(n)s") % {"n": i}, choices=choices, required=False
            )

    def actions(self) -> list[tuple[str, User]]:
        """The named actions with their owners (rows without both are left out)."""
        out = []
        for i in range(1, 4):
            title, owner = self.cleaned_data.get(f"action_{i}"), self.cleaned_data.get(f"owner_{i}")
            if title and owner:
                out.append((title, User.objects.get(pk=int(owner))))
        return out


class FeedbackForm(forms.Form):
    """A note between a person and their lead."""

    person = forms.ModelChoiceField(label=_("person"), queryset=User.objects.none())
    kind = forms.ChoiceField(label=_("kind"), choices=FeedbackKind.choices)
    strengths = forms.CharField(label=_("strengths"), widget=forms.Textarea)
    growth = forms.CharField(label=_("to grow"), widget=forms.Textarea, required=False)

    def __init__(self, *args: object, people: list[User], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["person"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = User.objects.filter(pk__in=[u.pk for u in people]).order_by("username")


class InitiativeForm(forms.Form):
    """A new initiative."""

    title = forms.CharField(label=_("title"), max_length=200)
    goal = forms.CharField(label=_("goal"), widget=forms.Textarea)


class ArticleForm(forms.Form):
    """A solution article, from a resolved ticket when its number is given."""

    title = forms.CharField(label=_("title"), max_length=200)
    problem = forms.CharField(label=_("problem"), widget=forms.Textarea)
    solution = forms.CharField(label=_("solution"), widget=forms.Textarea)
    ticket = forms.IntegerField(label=_("ticket (id)"), required=False)

"""Forms of speak-up: raising a concern, following it with a receipt code, and the guardians' case handling."""

import re

from django import forms
from django.utils import timezone

from carelead.speakup import attachments, credentials
from carelead.speakup.models import Category, Mode, ProfessionalGroup, ReporterDetriment, Status
from carelead.speakup.selectors import ANONYMITY_CHOICES

PHONE = re.compile(r"^\+?[0-9 ()-]{7,20}$")
TEXT_LIMIT = 10_000
YES_NO = [("yes", "Yes"), ("no", "No")]


def _text(label: str, *, required: str | None = None, hint: str = "", rows: int = 5, limit: int = TEXT_LIMIT):
    return forms.CharField(
        label=label,
        required=required is not None,
        max_length=limit,
        help_text=hint,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": required or "", "max_length": f"Write no more than {limit:,} characters"},
    )


def _line(label: str, *, required: str | None = None, hint: str = "", limit: int = 200):
    return forms.CharField(
        label=label,
        required=required is not None,
        max_length=limit,
        help_text=hint,
        error_messages={"required": required or "", "max_length": f"Write no more than {limit:,} characters"},
    )


def _date(label: str, noun: str, hint: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        help_text=hint,
        error_messages={"invalid": f"Enter the date {noun} as a real date"},
    )


def _yes_no(label: str, message: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": message, "invalid_choice": message},
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files from one input; the count, size and type are checked by the service, per file."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": attachments.ACCEPT}))
        kwargs.setdefault("required", False)
        # An empty file is refused by the service, in a message that names it.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


def _files(label: str) -> MultipleFileField:
    # The hint, with the limits in force, is set when the form is made.
    return MultipleFileField(label=label, error_messages={"invalid": "The selected file is not valid"})


FILES_HINT = "Up to {count} files, each smaller than {size}: PDF, PNG, JPEG, plain text (.txt) or Word (.docx)."


def files_hint(extra: str = "") -> str:
    """The hint under a file field, with the limits in force."""
    hint = FILES_HINT.format(count=attachments.max_files(), size=attachments.size_text(attachments.max_bytes()))
    return f"{hint} {extra}".strip()


# Raising a concern -------------------------------------------------------------------------------------------------


class OrganisationSearchForm(forms.Form):
    q = forms.CharField(
        label="Organisation name or code",
        max_length=100,
        required=False,
        help_text="For example, the name of your trust or care home, or its code, like RR8.",
    )


class RaiseForm(forms.Form):
    organisation = forms.CharField(widget=forms.HiddenInput, max_length=12)
    mode = forms.ChoiceField(
        label="How do you want to raise your concern?",
        choices=Mode.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose how you want to raise your concern",
            "invalid_choice": "Choose how you want to raise your concern",
        },
    )
    description = _text(
        "What is your concern?",
        required="Describe your concern",
        rows=10,
        hint="Say what happened or is happening, where, and who it affects. Include what you think should be done "
        "if you know. If you are raising it anonymously, leave out anything that would identify you.",
    )
    categories = forms.MultipleChoiceField(
        label="What is your concern about?",
        help_text="Select all that apply. The guardian may change these once they have read your concern.",
        choices=Category.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select at least one thing your concern is about",
            "invalid_choice": "Select from the list",
        },
    )
    professional_group = forms.ChoiceField(
        label="What is your professional group? (optional)",
        required=False,
        choices=[("", "Not answered"), *ProfessionalGroup.choices],
        help_text="Guardians report these figures to the National Guardian's Office, only as counts.",
        error_messages={"invalid_choice": "Select your professional group from the list"},
    )
    name = forms.CharField(
        label="Your name",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"max_length": "Your name must be 200 characters or fewer"},
    )
    email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com",
            "max_length": "Email address must be 254 characters or fewer",
        },
    )
    phone = forms.CharField(
        label="Telephone number (optional)",
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "tel"}),
        error_messages={"max_length": "Telephone number must be 30 characters or fewer"},
    )
    files = _files("Files (optional)")
    # A fresh value on each blank form, so sending the same form twice raises one concern, not two.
    submission = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)
    # Left empty by people; automated form fillers complete it. Hidden from view and from screen readers.
    website = forms.CharField(label="Leave this field blank", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = files_hint()

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and not PHONE.match(phone):
            raise forms.ValidationError("Enter a telephone number, like 01632 960 001 or +44 7700 900 982")
        return phone

    def clean(self):
        data = super().clean()
        self.identity_dropped = False
        if data.get("mode") == Mode.ANONYMOUS:
            # Whatever was typed into the identity fields is thrown away before anything is stored.
            self.identity_dropped = any((data.get(key) or "").strip() for key in ("name", "email", "phone"))
            data["name"] = data["email"] = data["phone"] = ""
        elif data.get("mode") in (Mode.NAMED, Mode.CONFIDENTIAL) and not (data.get("name") or "").strip():
            self.add_error("name", "Enter your name, or choose to raise your concern anonymously")
        return data

    @property
    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get("website"))


# Following a concern -----------------------------------------------------------------------------------------------


class FollowForm(forms.Form):
    receipt = forms.CharField(
        label="Receipt code",
        max_length=40,
        help_text="16 letters and numbers, for example ABCD-EFGH-JKMN-PQRS.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": "Enter your receipt code"},
    )
    secret = forms.CharField(
        label="Secret",
        max_length=40,
        help_text="12 letters and numbers, for example ABCD-EFGH-JKMN.",
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        error_messages={"required": "Enter your secret"},
    )

    def clean_receipt(self) -> str:
        return credentials.normalise(self.cleaned_data["receipt"])

    def clean_secret(self) -> str:
        return credentials.normalise(self.cleaned_data["secret"])


class ReporterReplyForm(forms.Form):
    body = _text("Your message", required="Write your message", rows=6)
    files = _files("Files (optional)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = files_hint()


class ReporterDetrimentForm(forms.Form):
    answer = forms.ChoiceField(
        label="Have you been treated worse because you spoke up?",
        choices=[(ReporterDetriment.YES, "Yes"), (ReporterDetriment.NO, "No")],
        widget=forms.RadioSelect,
        help_text="For example, being left out, given worse shifts, disciplined or bullied after raising your concern.",
        error_messages={"required": "Select yes or no", "invalid_choice": "Select yes or no"},
    )
    details = _text("Tell the guardian what happened (optional)", rows=5)


# Guardians ---------------------------------------------------------------------------------------------------------


class CaseFilterForm(forms.Form):
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any status"), *Status.choices])
    category = forms.ChoiceField(label="Category", required=False, choices=[("", "Any category"), *Category.choices])
    anonymity = forms.ChoiceField(label="Anonymous", required=False, choices=ANONYMITY_CHOICES)


class TriageForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        choices=Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a status", "invalid_choice": "Select a status"},
    )
    categories = forms.MultipleChoiceField(
        label="What is the concern about?",
        help_text="Select all that apply. The reporter's own choice is kept beside yours.",
        choices=Category.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select at least one thing the concern is about",
            "invalid_choice": "Select from the list",
        },
    )

    def __init__(self, *args, closed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not closed:
            self.fields["status"].choices = [c for c in Status.choices if c[0] != Status.CLOSED]


class NoteForm(forms.Form):
    body = _text("Note", required="Write the note", hint="Only the guardians see notes. The reporter never does.")


class ReplyForm(forms.Form):
    body = _text(
        "Reply to the reporter",
        required="Write your reply",
        hint="The reporter reads this when they next open their case with their receipt code. They are not told "
        "a reply is waiting.",
    )
    files = _files("Files for the reporter (optional)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = files_hint("The reporter can download them with their receipt code.")


class EscalationForm(forms.Form):
    escalated_to = _line(
        "Who was the concern escalated to?",
        required="Enter who the concern was escalated to",
        hint="A role or body, for example the director of nursing, the executive lead for speaking up, or the "
        "Care Quality Commission.",
    )
    escalated_on = _date("Date escalated", "it was escalated")
    details = _text("What was passed on (optional)", rows=4)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"escalated_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class FeedbackForm(forms.Form):
    feedback_given = _yes_no("Has feedback been given to the reporter?", "Select yes or no")
    feedback_given_on = _date("Date feedback was given", "feedback was given", hint="Needed when feedback was given.")
    detriment = _yes_no(
        "Has the reporter suffered detriment for speaking up?",
        "Select yes or no",
    )


class CloseForm(forms.Form):
    outcome = _text(
        "Summary of the outcome",
        required="Summarise the outcome",
        hint="What was found and what was done. This stays with the case; tell the reporter in a reply.",
    )
    closed_on = _date("Date closed", "the case was closed")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"closed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class RevealForm(forms.Form):
    revealed_to = _line(
        "Who is the identity revealed to?",
        required="Enter who the identity is revealed to",
        hint="A person and their role, for example the investigating officer.",
    )
    reason = _text("Why does it need to be revealed?", required="Give the reason for revealing the identity")
    confirm = forms.BooleanField(
        label="I confirm the reporter has agreed, or that the law requires it",
        error_messages={"required": "Confirm that the reporter agreed or that the law requires it"},
    )

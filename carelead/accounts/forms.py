"""Forms for signing in, password reset and managing users."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from carelead.accounts.models import User
from carelead.accounts.roles import Role


class SignInForm(AuthenticationForm):
    username = forms.EmailField(label="Email address", widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(
        label="Password",
        strip=False,
        max_length=256,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": "Enter a correct email address and password. Both are case-sensitive.",
        "inactive": "This account has been disabled. Contact your organisation's administrator.",
    }


class TwoFactorCodeForm(forms.Form):
    """The second factor: a code from the authenticator app, or (at sign-in) a recovery code."""

    code = forms.CharField(
        label="Security code",
        max_length=32,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )


class UserSearchForm(forms.Form):
    q = forms.CharField(label="Name or email", required=False, max_length=100)


class UserCreateForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "email"]
        labels = {"full_name": "Full name", "email": "Email address"}

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email=email).exists():
            raise forms.ValidationError("A user with this email address already exists")
        return email


class GrantRoleForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=Role.choices)
    organisation_code = forms.CharField(
        label="Organisation code",
        required=False,
        max_length=12,
        help_text="The ODS code of the organisation the role covers. Leave empty for a national role.",
    )

    def __init__(self, *args, allowed_roles: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = allowed_roles


class SwitchRoleForm(forms.Form):
    assignment = forms.TypedChoiceField(label="Act as", coerce=int, widget=forms.RadioSelect)

    def __init__(self, *args, assignments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignment"].choices = [(a.pk, f"{a.get_role_display()} – {a.scope_label}") for a in assignments]


class LinkPersonForm(forms.Form):
    staff_id = forms.CharField(
        label="Staff ID",
        max_length=32,
        required=False,
        help_text="The staff record this user signs in as. Leave empty to unlink.",
    )

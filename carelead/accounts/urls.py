from django.urls import path

from carelead.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    # Single sign-on through OpenID Connect: routed always, found only when CARELEAD_OIDC_ENABLED is on.
    path("oidc/authenticate/", views.OIDCSignInView.as_view(), name="oidc_authenticate"),
    path("oidc/callback/", views.OIDCCallbackView.as_view(), name="oidc_callback"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password-reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("password-reset/complete/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("two-factor/code/", views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/set-up/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/recovery-codes/", views.two_factor_codes, name="two_factor_codes"),
    path("two-factor/recovery-codes/new/", views.two_factor_codes_new, name="two_factor_codes_new"),
    path("role/", views.switch_role, name="switch_role"),
    path("users/", views.users, name="users"),
    path("users/new/", views.user_new, name="user_new"),
    path("users/<int:pk>/", views.user_detail, name="user"),
    path("users/<int:pk>/staff-record/", views.user_link, name="user_link"),
    path("users/<int:pk>/active/", views.user_active, name="user_active"),
    path("users/<int:pk>/two-factor/reset/", views.user_two_factor_reset, name="user_two_factor_reset"),
    path("assignments/<int:pk>/revoke/", views.assignment_revoke, name="assignment_revoke"),
]

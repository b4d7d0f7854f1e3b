"""Top-level URL map; each app owns its own urls module."""

from django.urls import include, path

from carelead.learning.urls import credential_patterns

urlpatterns = [
    path("", include("carelead.core.urls")),
    path("accounts/", include("carelead.accounts.urls")),
    path("organisations/", include("carelead.organisations.urls")),
    path("people/", include("carelead.people.urls")),
    path("imports/", include("carelead.imports.urls")),
    path("standards/", include("carelead.standards.urls")),
    path("provider/", include("carelead.learning.urls")),
    path("programmes/", include("carelead.standards.programme_urls")),
    path("appraisals/", include("carelead.appraisals.urls")),
    path("talent/", include("carelead.talent.urls")),
    path("succession/", include("carelead.succession.urls")),
    path("vacancies/", include("carelead.vacancies.urls")),
    path("challenged/", include("carelead.challenged.urls")),
    path("equality/actions/", include("carelead.actionplans.urls")),
    path("boards/appraisals/", include("carelead.boardappraisals.urls")),
    path("boards/skills/", include("carelead.boardskills.urls")),
    path("boards/diversity/", include("carelead.boarddiversity.urls")),
    path("boards/", include("carelead.boards.urls")),
    path("ned/campaigns/", include("carelead.nedcampaigns.urls")),
    path("ned/", include("carelead.nedpool.urls")),
    path("fit-and-proper/", include("carelead.fitproper.urls")),
    path("equality/", include("carelead.equality.urls")),
    path("feedback/", include("carelead.feedback.urls")),
    path("speak-up/returns/", include("carelead.speakup.urls_returns")),
    path("speak-up/", include("carelead.speakup.urls")),
    path("credentials/", include(credential_patterns)),
    path("audit/", include("carelead.audit.urls")),
    path("api/", include("carelead.api.urls")),
]

handler400 = "carelead.core.views.bad_request"
handler403 = "carelead.core.views.permission_denied"
handler404 = "carelead.core.views.page_not_found"
handler500 = "carelead.core.views.server_error"

"""Permission-table rows for this app's pages (merged into tests/test_permissions.py).

Raising and following a concern are open to everyone, signed in or not. Every guardian page is for the guardian
role only: HR, administrators, the regulator and every other role are refused.
"""

from django.urls import reverse

from tests.permission_helpers import everyone, only

GUARDIANS = {"guardian"}


def _case(w, mode="anonymous"):
    from carelead.speakup.tests.factories import case

    return case(organisation=w.orgs["RAA"], mode=mode)


def _attachment_url(w):
    from django.core.files.base import ContentFile

    from carelead.speakup.models import Attachment

    case = _case(w)
    kept = Attachment(case=case, name="attachment-1.txt", content_type="text/plain", size=12)
    kept.file.save("upload", ContentFile(b"A rota file."), save=False)
    kept.save()
    return reverse("speakup:case_attachment", kwargs={"pk": case.pk, "attachment_pk": kept.pk})


def _guardian_row(name: str, mode: str = "anonymous"):
    return (lambda w: reverse(f"speakup:{name}", kwargs={"pk": _case(w, mode).pk}), only(GUARDIANS))


ROWS: dict = {
    "speakup:start": (lambda w: reverse("speakup:start"), everyone(anonymous=200)),
    "speakup:raise": (lambda w: reverse("speakup:raise"), everyone(anonymous=200)),
    "speakup:follow": (lambda w: reverse("speakup:follow"), everyone(anonymous=200)),
    # Without a receipt code and secret, back to the page that asks for them (never the sign-in page).
    "speakup:follow_case": (lambda w: reverse("speakup:follow_case"), everyone(302, anonymous=302)),
    # A reporter's file needs their receipt code first: without it, back to the page that asks for it.
    "speakup:follow_attachment": (
        lambda w: reverse("speakup:follow_attachment", kwargs={"pk": 1}),
        everyone(302, anonymous=302),
    ),
    "speakup:follow_leave": (lambda w: reverse("speakup:follow_leave"), everyone(405, anonymous=405)),
    "speakup:cases": (lambda w: reverse("speakup:cases"), only(GUARDIANS)),
    "speakup:case": _guardian_row("case"),
    "speakup:case_triage": _guardian_row("case_triage"),
    "speakup:case_note": _guardian_row("case_note"),
    "speakup:case_reply": _guardian_row("case_reply"),
    "speakup:case_escalate": _guardian_row("case_escalate"),
    "speakup:case_feedback": _guardian_row("case_feedback"),
    "speakup:case_close": _guardian_row("case_close"),
    "speakup:case_identity": _guardian_row("case_identity", "confidential"),
    "speakup:case_reveal": _guardian_row("case_reveal", "confidential"),
    "speakup:case_attachment": (_attachment_url, only(GUARDIANS)),
}


from carelead.speakup.tests.permission_rows_returns import ROWS as _RETURNS  # noqa: E402

ROWS.update(_RETURNS)

"""Organisation and national administrators manage users and roles within their scope, audited."""

from carelead.accounts.models import RoleAssignment, User
from carelead.audit.models import AuditLog


def test_org_admin_adds_a_user_with_a_role_in_their_organisation(client_for, world):
    admin = client_for("org_admin")
    response = admin.post(
        "/accounts/users/new/",
        {"full_name": "New Starter", "email": "New@Example.org", "role": "staff", "organisation_code": "raa"},
    )
    user = User.objects.get(email="new@example.org")
    assert response.status_code == 302
    assert not user.has_usable_password()
    assert RoleAssignment.objects.get(user=user).organisation.code == "RAA"
    assert AuditLog.objects.filter(action="grant", organisation_id=world.orgs["RAA"].pk).exists()


def test_org_admin_cannot_grant_outside_their_organisation_or_national_roles(client_for, world):
    admin = client_for("org_admin")
    outside = admin.post(
        "/accounts/users/new/",
        {"full_name": "Elsewhere", "email": "e@example.org", "role": "staff", "organisation_code": "RCC"},
    )
    assert b"only grant roles within the organisation you administer" in outside.content
    national = admin.post(
        "/accounts/users/new/",
        {"full_name": "Too Big", "email": "big@example.org", "role": "national_admin", "organisation_code": ""},
    )
    assert b"Select a valid choice" in national.content
    assert not User.objects.filter(email__in=["e@example.org", "big@example.org"]).exists()


def test_a_user_outside_the_scope_is_not_found(client_for, world):
    far = User.objects.create_user("far@example.org", "x" * 16, full_name="Far User")
    RoleAssignment.objects.create(user=far, role="staff", organisation=world.orgs["RCC"])
    assert client_for("org_admin").get(f"/accounts/users/{far.pk}/").status_code == 404
    assert client_for("national_admin").get(f"/accounts/users/{far.pk}/").status_code == 200


def test_link_a_staff_record_and_disable_sign_in(client_for, world, client):
    admin = client_for("org_admin")
    target = world.users["guardian"]
    admin.post(f"/accounts/users/{target.pk}/staff-record/", {"staff_id": "RAA-00100"})
    target.refresh_from_db()
    assert target.person.staff_id == "RAA-00100"
    taken = admin.post(f"/accounts/users/{target.pk}/staff-record/", {"staff_id": "RAA-00003"}, follow=True)
    assert b"already linked to another user" in taken.content
    admin.post(f"/accounts/users/{target.pk}/staff-record/", {"staff_id": "RCC-00001"})
    target.refresh_from_db()
    assert target.person.staff_id == "RAA-00100"
    admin.post(f"/accounts/users/{target.pk}/active/", {"active": "0"})
    target.refresh_from_db()
    assert not target.is_active
    client.logout()
    assert not client.login(username=target.email, password=world.password)


def test_withdrawing_a_role_keeps_it_on_record(client_for, world):
    assignment = world.users["staff"].assignments.get()
    client_for("national_admin").post(f"/accounts/assignments/{assignment.pk}/revoke/")
    assignment.refresh_from_db()
    assert not assignment.is_active
    assert AuditLog.objects.filter(action="revoke", object_id=str(assignment.pk)).exists()

"""I4 against the superuser: whatever he does to roles, groups and accounts, one person cannot approve end to
end unseen. A superuser decides nothing; a role group cannot be renamed or deleted; a password he sets holds
its owner's decisions until they set their own; an e-mail address, a flag or a role group's permissions he
changes are audited with before and after, mailed to Legal and the superusers, and wait; the dossier lists
every such change of its deciders (reviews.access.decider_check, reviews.role_changes)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from activities.extensions import extension_decide_refusal
from activities.models import Activity, ExtensionStatus, ScopeExtension
from activities.services import activity_decide_refusal
from reviews import workflow
from reviews.dossier.render import dossier_context, dossier_html
from reviews.errors import WorkflowError
from reviews.models import AccountChange, AuditEvent, DeciderHold, RoleGrant, SignOff, StageKind
from reviews.role_changes import RoleGroupFixed
from tests import builders
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "the superuser's choice 4711"
OWN_PASSWORD = "legal's own again 0815"


def legal_group():
    return Group.objects.get(name="Legal")


def events(action, **filters):
    return list(AuditEvent.objects.filter(action=action, **filters).order_by("pk"))


@pytest.fixture
def su_in_legal(admin_user):
    """A superuser who has been in Legal for a month: the waiting period is long over."""
    admin_user.groups.add(legal_group(), Group.objects.get(name="Security"))
    RoleGrant.objects.filter(user=admin_user).update(granted_at=timezone.now() - timedelta(days=30))
    return admin_user


@pytest.fixture
def waiting(requester, legal, security):
    review = builders.start_review(requester)
    return builders.submit_stage(review, StageKind.QUESTIONNAIRE, requester)


def refusal_code(stage, actor) -> str:
    with pytest.raises(WorkflowError) as refused:
        workflow.stage_pass(stage=stage, actor=actor)
    return refused.value.code


# -- a superuser decides nothing ---------------------------------------------------------------------------


def test_a_superuser_in_legal_cannot_decide_a_stage_and_the_attempt_is_audited(su_in_legal, waiting):
    with pytest.raises(
        WorkflowError, match="a superuser administers accounts and decides nothing"
    ) as refused:
        workflow.stage_pass(stage=waiting, actor=su_in_legal)

    assert refused.value.code == "forbidden"
    event = AuditEvent.objects.latest("pk")
    assert (event.action, event.actor, event.data["code"]) == (
        "stage.decision_refused",
        su_in_legal,
        "forbidden",
    )


def test_a_superuser_in_legal_cannot_sign_off(su_in_legal, requester, legal, security):
    review = builders.review_ready_for_sign_off(requester, legal=legal, security=security)

    with pytest.raises(WorkflowError, match="decides nothing"):
        workflow.review_sign_off(review=review, actor=su_in_legal, password="password", statement="ok")

    assert not SignOff.objects.exists()


def test_a_superuser_in_legal_and_security_cannot_decide_an_activity_or_an_extension(su_in_legal, requester):
    activity = Activity(owner=requester)
    for status in (ExtensionStatus.AWAITING_SECURITY, ExtensionStatus.AWAITING_LEGAL):
        extension = ScopeExtension(requester=requester, status=status)
        assert "decides nothing" in extension_decide_refusal(su_in_legal, extension)
    assert "decides nothing" in activity_decide_refusal(su_in_legal, activity)


def test_the_superuser_refusal_is_shown_on_the_admin_review_page(client, su_in_legal, waiting):
    client.force_login(su_in_legal)

    html = client.get(reverse("admin:reviews_review_change", args=[waiting.review_id])).content.decode()

    assert "a superuser administers accounts and decides nothing" in html


# -- the rename path ---------------------------------------------------------------------------------------


def group_post(name, permissions=()):
    return {"name": name, "permissions": list(permissions)}


def test_the_rename_path_is_closed_to_the_superuser(client, admin_user, legal):
    """The issue's path (a): create a group, join it, rename Legal away and one's own group to Legal."""
    client.force_login(admin_user)
    response = client.post(reverse("admin:auth_group_add"), group_post("Shadow"))
    assert response.status_code == 302
    shadow = Group.objects.get(name="Shadow")
    admin_user.groups.add(shadow)
    legal_pk = legal_group().pk

    # Legal's name is read-only: a forged POST changes nothing.
    client.post(reverse("admin:auth_group_change", args=[legal_pk]), group_post("Legal (old)"))
    # Shadow cannot take the name while Legal holds it.
    response = client.post(reverse("admin:auth_group_change", args=[shadow.pk]), group_post("Legal"))
    # Nor can Legal be deleted to free it.
    deleting = client.get(reverse("admin:auth_group_delete", args=[legal_pk]))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["name"] == ["Group with this Name already exists."]
    assert deleting.status_code == 403
    assert Group.objects.get(pk=legal_pk).name == "Legal"
    assert Group.objects.get(pk=shadow.pk).name == "Shadow"
    assert "Legal" not in {g.name for g in admin_user.groups.all()}


@pytest.mark.parametrize("name", ["Legal", "Security", "Requester", "Auditor", "Executive"])
def test_a_role_group_refuses_a_rename_and_a_delete_from_any_code(name):
    group = Group.objects.get(name=name)

    group.name = f"{name} (old)"
    with pytest.raises(RoleGroupFixed):
        group.save()
    # Django deletes without a savepoint of its own: the refusal rolls back the caller's transaction.
    with pytest.raises(RoleGroupFixed), transaction.atomic():
        Group.objects.get(name=name).delete()

    assert Group.objects.filter(name=name).exists()


def test_no_group_can_be_renamed_to_a_role_name_even_when_the_role_group_is_missing(monkeypatch):
    import reviews.role_changes

    # A role whose group does not exist (yet): the unique name cannot be what stops the rename.
    monkeypatch.setattr(reviews.role_changes, "ROLES", reviews.role_changes.ROLES | {"Compliance"})
    other = Group.objects.create(name="Newsletter")

    other.name = "Compliance"
    with pytest.raises(RoleGroupFixed):
        other.save()
    assert Group.objects.get(pk=other.pk).name == "Newsletter"


def test_renaming_any_other_group_is_audited_with_before_and_after_and_mailed(
    client, admin_user, legal, django_capture_on_commit_callbacks
):
    group = Group.objects.create(name="Newsletter")
    client.force_login(admin_user)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:auth_group_change", args=[group.pk]), group_post("Campaigns"))

    (event,) = events("group.renamed")
    assert (event.actor, event.data["old"], event.data["new"]) == (admin_user, "Newsletter", "Campaigns")
    assert {m.to[0] for m in mail.outbox} == {legal.email, admin_user.email}
    assert "Before: Newsletter. After: Campaigns." in mail.outbox[0].body


@pytest.mark.postgres
def test_postgresql_refuses_renaming_or_deleting_a_role_group_by_raw_sql(legal):
    from django.db import DatabaseError

    Group.objects.create(name="Newsletter")
    for statement in (
        "UPDATE auth_group SET name = 'Legal (old)' WHERE name = 'Legal'",
        "DELETE FROM auth_group WHERE name = 'Legal'",
        "UPDATE auth_group SET name = 'Legal' WHERE name = 'Newsletter'",
    ):
        with pytest.raises(DatabaseError, match="role"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)

    assert set(Group.objects.values_list("name", flat=True)) >= {"Legal", "Security"}


# -- the password path -------------------------------------------------------------------------------------


def set_password_in_admin(client, superuser, target):
    client.force_login(superuser)
    return client.post(
        reverse("admin:auth_user_password_change", args=[target.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )


def test_the_password_path_is_closed_to_the_superuser(
    client, admin_user, requester, legal, security, django_capture_on_commit_callbacks
):
    """The issue's path (b): set Legal's password in the admin, sign in as Legal and sign off."""
    review = builders.review_ready_for_sign_off(requester, legal=legal, security=security)
    with django_capture_on_commit_callbacks(execute=True):
        response = set_password_in_admin(client, admin_user, legal)
    assert response.status_code == 302

    (event,) = events("user.password_set")
    assert (event.actor, event.data["target"], event.data["old"], event.data["new"]) == (
        admin_user,
        "legal",
        False,
        True,
    )
    assert NEW_PASSWORD not in str(event.data)
    # Legal (legal herself among them: she hears of it at her own address) and the superusers.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([legal.email, admin_user.email])
    assert "had their password set by someone else" in mail.outbox[0].body

    # Signed in as Legal, every page leads to the password change first ...
    client.logout()
    signed_in = client.post(reverse("login"), {"username": "legal", "password": NEW_PASSWORD})
    assert signed_in.status_code == 302  # through the page: django-axes needs the request
    assert client.get(reverse("dashboard")).url == reverse("password_change")
    assert client.get(reverse("admin:index")).url == reverse("password_change")
    assert "Someone else set your password" in client.get(reverse("password_change")).content.decode()
    # ... and nothing can be signed.
    with pytest.raises(WorkflowError, match="Your password was set by someone else") as refused:
        workflow.review_sign_off(review=review, actor=legal, password=NEW_PASSWORD, statement="ok")
    assert refused.value.code == "password_reset"
    assert not SignOff.objects.exists()

    # Legal sets her own: the hold is lifted, and recorded.
    response = client.post(
        reverse("password_change"),
        {"old_password": NEW_PASSWORD, "new_password1": OWN_PASSWORD, "new_password2": OWN_PASSWORD},
    )
    assert response.url == reverse("password_change_done")
    assert not DeciderHold.objects.filter(user=legal).exists()
    assert events("user.password_renewed", actor=legal)
    assert client.get(reverse("dashboard")).status_code == 200
    legal.refresh_from_db()
    workflow.review_sign_off(review=review, actor=legal, password=OWN_PASSWORD, statement="ok")
    assert SignOff.objects.filter(review=review, signed_by=legal).exists()


def test_a_password_set_by_a_command_holds_the_reviewer_too(waiting, legal):
    legal.set_password(NEW_PASSWORD)
    legal.save()  # no request: the system set it

    assert refusal_code(waiting, legal) == "password_reset"
    assert events("user.password_set")[0].actor_label == "system"


def test_the_owner_changing_their_own_password_holds_nothing(client, legal, waiting):
    client.force_login(legal)

    client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": OWN_PASSWORD, "new_password2": OWN_PASSWORD},
    )

    assert not DeciderHold.objects.filter(user=legal).exists()
    assert not events("user.password_set")
    workflow.stage_pass(stage=waiting, actor=legal)


# -- the e-mail address, the flags, the role groups' permissions ---------------------------------------------


def user_change_post(user, **overrides):
    fields = {
        "username": user.username,
        "email": user.email,
        "is_active": "on",
        "is_staff": "on",
        "groups": [g.pk for g in user.groups.all()],
        "date_joined_0": "2026-01-01",
        "date_joined_1": "09:00:00",
        "initial-date_joined_0": "2026-01-01",
        "initial-date_joined_1": "09:00:00",
    }
    fields.update(overrides)
    return fields


def test_an_email_changed_by_the_superuser_is_audited_mailed_to_the_old_address_and_waits(
    client, admin_user, legal, waiting, settings, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:auth_user_change", args=[legal.pk]),
            user_change_post(legal, email="elsewhere@example.net"),
        )
    assert response.status_code == 302

    (event,) = events("user.email_changed")
    assert (event.actor, event.data["old"], event.data["new"]) == (
        admin_user,
        "legal@example.com",
        "elsewhere@example.net",
    )
    # The old address hears of it; so do the superusers (Legal's only member now reads elsewhere).
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        ["elsewhere@example.net", admin_user.email, "legal@example.com"]
    )
    assert "Before: legal@example.com. After: elsewhere@example.net." in mail.outbox[0].body
    legal.refresh_from_db()
    assert refusal_code(waiting, legal) == "account_changed"

    DeciderHold.objects.filter(user=legal).update(
        since=timezone.now() - timedelta(hours=settings.VETTED_ROLE_GRANT_WAIT_HOURS + 1)
    )
    workflow.stage_pass(stage=waiting, actor=legal)


def test_a_superuser_who_drops_his_own_flag_still_waits_before_deciding(su_in_legal, waiting):
    su_in_legal.is_superuser = False
    su_in_legal.save()

    assert refusal_code(waiting, su_in_legal) == "account_changed"
    assert [(e.action, e.data["old"], e.data["new"]) for e in events("user.superuser_revoked")] == [
        ("user.superuser_revoked", True, False)
    ]


def test_a_reactivated_reviewer_waits_before_deciding(legal, waiting):
    legal.is_active = False
    legal.save()
    legal.is_active = True
    legal.save()

    assert refusal_code(waiting, legal) == "account_changed"
    assert DeciderHold.objects.get(user=legal).change == AccountChange.FLAGS


def test_a_change_to_a_role_groups_permissions_is_audited_and_its_members_wait(
    legal, security, waiting, django_capture_on_commit_callbacks
):
    change_user = Permission.objects.get(codename="change_user")

    with django_capture_on_commit_callbacks(execute=True):
        legal_group().permissions.add(change_user)
        change_user.group_set.remove(Group.objects.get(name="Security"))  # it never had it: no event

    (event,) = events("role.permissions_changed")
    assert event.data["role"] == "Legal" and event.data["members"] == ["legal"]
    assert set(event.data["new"]) - set(event.data["old"]) == {"auth.change_user"}
    assert {m.to[0] for m in mail.outbox} == {legal.email}
    assert refusal_code(waiting, legal) == "role_too_recent"


# -- the dossier --------------------------------------------------------------------------------------------


def backdated_event(action, user, at, **data):
    """An account event dated `at` and chained to the log as audit_record chains it (which always dates now)."""
    from reviews.models.audit import GENESIS, AuditScheme

    last = AuditEvent.objects.order_by("-pk").values_list("hash", flat=True).first()
    event = AuditEvent(
        at=at,
        actor_label="system",
        action=action,
        object_type="user",
        object_id=str(user.pk),
        data={"target": user.username, **data},
        prev_hash=last or GENESIS,
        scheme=AuditScheme.HMAC_SHA256,
    )
    event.hash = event.compute_hash()
    event.save()
    return event


def test_the_dossier_lists_every_role_change_of_its_deciders_in_the_year_before(
    requester, legal, security, auditor
):
    long_ago = backdated_event(
        "user.email_changed",
        legal,
        timezone.now() - timedelta(days=400),
        old="a@example.com",
        new="b@example.com",
    )
    legal.is_active = False
    legal.save()
    legal.is_active = True
    legal.save()
    DeciderHold.objects.filter(user=legal).update(since=timezone.now() - timedelta(days=2))
    review = builders.approved_review(requester, legal=legal, security=security)
    security.email = "after@example.com"  # after the decisions: not listed
    security.save()

    context = dossier_context(review)
    listed = {(row.event.action, row.event.object_id) for row in context["decider_role_changes"]}
    html = dossier_html(review)

    assert {
        ("role.granted", str(legal.pk)),
        ("role.granted", str(security.pk)),
        ("user.deactivated", str(legal.pk)),
        ("user.reactivated", str(legal.pk)),
    } <= listed
    assert ("role.granted", str(auditor.pk)) not in listed  # not a decider
    assert ("user.email_changed", str(security.pk)) not in listed
    assert long_ago.pk not in {row.event.pk for row in context["decider_role_changes"]}
    assert "Role changes of the deciders" in html
    assert "Vetted deactivated legal" in html and "Vetted reactivated legal" in html

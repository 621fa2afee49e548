"""Role changes are audited (actor, target, old, new) and mailed to Legal; a newly granted deciding role waits
before it decides; every refused decision attempt is audited."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from reviews import workflow
from reviews.errors import WorkflowError
from reviews.models import AuditEvent, RoleGrant, StageKind
from tests import builders
from tests.factories import PASSWORD, UserFactory, make_user

pytestmark = pytest.mark.django_db


def events_about(user, *actions):
    return list(
        AuditEvent.objects.filter(object_type="user", object_id=str(user.pk), action__in=actions).order_by(
            "pk"
        )
    )


def test_adding_and_removing_a_role_from_either_side_is_audited(outsider):
    legal_group, security_group = Group.objects.get(name="Legal"), Group.objects.get(name="Security")

    outsider.groups.add(legal_group)
    security_group.user_set.add(outsider)
    legal_group.user_set.remove(outsider)
    outsider.groups.clear()

    changes = [
        (e.action, e.data["role"], e.data["old"], e.data["new"], e.actor_label)
        for e in events_about(outsider, "role.granted", "role.revoked")
    ]
    assert changes == [
        ("role.granted", "Legal", [], ["Legal"], "system"),
        ("role.granted", "Security", ["Legal"], ["Legal", "Security"], "system"),
        ("role.revoked", "Legal", ["Legal", "Security"], ["Security"], "system"),
        ("role.revoked", "Security", ["Security"], [], "system"),
    ]
    assert not RoleGrant.objects.filter(user=outsider).exists()


def test_a_group_that_is_not_a_role_is_not_audited(outsider):
    outsider.groups.add(Group.objects.create(name="Newsletter"))

    assert events_about(outsider, "role.granted") == []


def test_superuser_staff_and_deactivation_are_audited_with_old_and_new(outsider):
    outsider.is_superuser = outsider.is_staff = True
    outsider.save()
    outsider.is_active = False
    outsider.save()

    changes = [
        (e.action, e.data["old"], e.data["new"])
        for e in events_about(outsider, "user.superuser_granted", "user.staff_granted", "user.deactivated")
    ]
    assert changes == [
        ("user.superuser_granted", False, True),
        ("user.staff_granted", False, True),
        ("user.deactivated", True, False),
    ]


def test_a_login_writes_no_role_event(client, outsider):
    response = client.post(reverse("login"), {"username": outsider.username, "password": PASSWORD})
    assert response.status_code == 302  # signed in (django-axes needs the request, so through the page)

    assert events_about(outsider, "user.superuser_granted", "user.staff_granted", "user.reactivated") == []


def test_a_superuser_granting_a_role_in_the_admin_is_named_as_the_actor(
    client, admin_user, outsider, legal, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    legal_group = Group.objects.get(name="Legal")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:auth_user_change", args=[outsider.pk]),
            {
                "username": outsider.username,
                "email": outsider.email,
                "is_active": "on",
                "is_staff": "on",
                "groups": [legal_group.pk],
                "date_joined_0": "2026-01-01",
                "date_joined_1": "09:00:00",
                "initial-date_joined_0": "2026-01-01",
                "initial-date_joined_1": "09:00:00",
            },
        )

    assert response.status_code == 302
    granted = events_about(outsider, "role.granted", "user.staff_granted")
    assert [(e.action, e.actor) for e in granted] == [
        ("user.staff_granted", admin_user),
        ("role.granted", admin_user),
    ]
    # Legal as it is once the change is made (the new member is told as well) and the superusers.
    assert {m.to[0] for m in mail.outbox} == {legal.email, outsider.email, admin_user.email}
    message = next(m for m in mail.outbox if "Legal" in m.subject)
    assert message.subject == (
        f"角色变更：{outsider.username} 被授予角色 法务 / "
        f"Role change: {outsider.username} was given the role Legal"
    )
    assert f"{admin_user.username} changed an account" in message.body
    assert "Before: no role. After: Legal." in message.body
    assert "更改前" in message.body


@pytest.fixture
def review_waiting(requester, legal, security):
    review = builders.start_review(requester)
    return builders.submit_stage(review, StageKind.QUESTIONNAIRE, requester)


def test_a_role_granted_less_than_a_day_ago_cannot_decide_and_the_attempt_is_audited(review_waiting):
    newcomer = make_user("new_legal", "Legal", granted_days_ago=0, is_staff=True)

    with pytest.raises(WorkflowError, match="A new role decides only after 24 hours") as refused:
        workflow.stage_pass(stage=review_waiting, actor=newcomer)

    assert refused.value.code == "role_too_recent"
    event = AuditEvent.objects.latest("pk")
    assert (event.action, event.actor, event.data["code"]) == (
        "stage.decision_refused",
        newcomer,
        "role_too_recent",
    )


def test_the_waiting_period_is_configurable_and_ends(review_waiting, settings):
    newcomer = make_user("new_legal", "Legal", granted_days_ago=0, is_staff=True)
    RoleGrant.objects.filter(user=newcomer).update(granted_at=timezone.now() - timedelta(hours=3))

    settings.VETTED_ROLE_GRANT_WAIT_HOURS = 2
    workflow.stage_pass(stage=review_waiting, actor=newcomer)

    assert AuditEvent.objects.latest("pk").action == "stage.passed"


def test_a_superuser_who_gives_themselves_legal_cannot_sign_off_at_once_nor_later(
    requester, legal, security, admin_user
):
    review = builders.review_ready_for_sign_off(requester, legal=legal, security=security)
    admin_user.groups.add(Group.objects.get(name="Legal"))
    RoleGrant.objects.filter(user=admin_user).update(granted_at=timezone.now() - timedelta(days=30))

    with pytest.raises(
        WorkflowError, match="a superuser administers accounts and decides nothing"
    ) as refused:
        workflow.review_sign_off(review=review, actor=admin_user, password="password", statement="ok")

    assert refused.value.code == "forbidden"
    assert AuditEvent.objects.latest("pk").action == "signoff.refused"


@pytest.mark.parametrize(("who", "code"), [("security", "forbidden"), ("requester", "forbidden")])
def test_a_refused_decision_for_the_wrong_role_or_own_request_is_audited(request, review_waiting, who, code):
    actor = request.getfixturevalue(who)

    with pytest.raises(WorkflowError):
        workflow.stage_return(stage=review_waiting, actor=actor, comment="请补充 / add")

    event = AuditEvent.objects.latest("pk")
    assert (event.action, event.actor, event.data["code"], event.data["attempted"]) == (
        "stage.decision_refused",
        actor,
        code,
        "returned",
    )


def test_a_decision_on_a_stage_in_the_wrong_state_is_audited(review_waiting, legal):
    workflow.stage_pass(stage=review_waiting, actor=legal)

    with pytest.raises(WorkflowError):
        workflow.stage_fail(stage=review_waiting, actor=legal, reason="late")

    event = AuditEvent.objects.latest("pk")
    assert (event.action, event.data["code"]) == ("stage.decision_refused", "already_decided")


def test_a_wrong_sign_off_password_is_audited(requester, legal, security):
    review = builders.review_ready_for_sign_off(requester, legal=legal, security=security)

    with pytest.raises(WorkflowError, match="password is not correct"):
        workflow.review_sign_off(review=review, actor=legal, password="wrong", statement="ok")

    event = AuditEvent.objects.latest("pk")
    assert (event.action, event.actor, event.data["code"]) == ("signoff.refused", legal, "password")


def test_a_role_change_outside_a_request_names_the_system_in_the_mail(
    legal, django_capture_on_commit_callbacks
):
    target = UserFactory(username="target")
    with django_capture_on_commit_callbacks(execute=True):
        target.groups.add(Group.objects.get(name="Auditor"))

    assert [m.to for m in mail.outbox] == [[legal.email]]
    assert "the system (a command or a scheduled task) changed an account" in mail.outbox[0].body

"""Who gets what, for every URL pattern of the site (admin included), against one expected table.

The patterns are read from the URLconf itself, so a new URL without a row here fails
test_every_url_pattern_has_a_row, naming it. Each pattern is filled with real ids from one populated site
(tests/site_world.py) and fetched with GET by each persona; a POST-only view answers GET with 405.

Outcomes: 200; `login` (sent to /accounts/login/); `alogin` (sent to the admin's sign-in); `302` (any other
redirect); 401, 403, 404, 405. Columns, in order:

    anon  A (requester who owns the reviews)  B (another requester)  sec  legal  aud  su (superuser)
    contact (holds the vendor contact's link of A's open review, no account)
"""

import os
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.site_world import build_world

PERSONAS = ("anon", "A", "B", "sec", "legal", "aud", "su", "contact")

# Frequent rows. In the admin, staff are Security, Legal and Auditor; the superuser administers accounts and
# holds no reviewer role.
ADMIN_STAFF = "alogin alogin alogin 200 200 200 200 alogin"
ADMIN_READERS = "alogin alogin alogin 200 200 200 302 alogin"  # review readers; the superuser is sent away
ADMIN_LEGAL = "alogin alogin alogin 403 200 403 200 alogin"
ADMIN_LEGAL_AUDITOR = "alogin alogin alogin 403 200 200 200 alogin"
ADMIN_SUPERUSER = "alogin alogin alogin 403 403 403 200 alogin"
ADMIN_NOBODY = "alogin alogin alogin 403 403 403 403 alogin"
# Deleting is refused by redirecting back (I7, nothing is hard-deleted); /<id>/ redirects to the change page.
ADMIN_REDIRECT = "alogin alogin alogin 302 302 302 302 alogin"
REVIEW_READERS = "login 200 404 200 200 200 404 login"  # the owner and the reviewers; 404 to anyone else
POST_ONLY = "login 405 405 405 405 405 405 login"


def admin_model(
    app: str, model: str, *, changelist: str, add: str, change: str, history: str, delete: str
) -> dict:
    """The rows of the six patterns the admin makes for each registered model."""
    return {
        f"admin:{app}_{model}_changelist": changelist,
        f"admin:{app}_{model}_add": add,
        f"admin:{app}_{model}_change": change,
        f"admin:{app}_{model}_history": history,
        f"admin:{app}_{model}_delete": delete,
        f"admin:{app}_{model}/<id>/": ADMIN_REDIRECT,
    }


EXPECTED: dict[str, str] = {
    "set_language": "302 302 302 302 302 302 302 302",
    "login": "200 200 200 200 200 200 200 200",
    "logout": "405 405 405 405 405 405 405 405",
    "admin:index": ADMIN_STAFF,
    "admin:login": "200 200 200 302 302 302 302 200",
    "admin:logout": "302 302 302 405 405 405 405 302",
    # One's own password, for everyone with an account (where a password set by someone else leads).
    "password_change": "login 200 200 200 200 200 200 login",
    "password_change_done": "login 200 200 200 200 200 200 login",
    "admin:password_change": ADMIN_STAFF,
    "admin:password_change_done": ADMIN_STAFF,
    "admin:autocomplete": ADMIN_NOBODY,
    "admin:jsi18n": ADMIN_STAFF,
    "admin:view_on_site": "alogin alogin alogin 404 404 404 404 alogin",
    # The world's group is Legal: a role group is never deleted (reviews/admin/accounts.py), not even by a superuser.
    **admin_model(
        "auth",
        "group",
        changelist=ADMIN_SUPERUSER,
        add=ADMIN_SUPERUSER,
        change=ADMIN_SUPERUSER,
        history=ADMIN_SUPERUSER,
        delete=ADMIN_NOBODY,
    ),
    "admin:auth_user_password_change": ADMIN_SUPERUSER,
    **admin_model(
        "auth",
        "user",
        changelist=ADMIN_SUPERUSER,
        add=ADMIN_SUPERUSER,
        change=ADMIN_SUPERUSER,
        history=ADMIN_SUPERUSER,
        # Accounts are closed, never deleted: the records name the people who acted (I7).
        delete=ADMIN_NOBODY,
    ),
    **admin_model(
        "axes",
        "accesslog",
        changelist=ADMIN_LEGAL,
        add=ADMIN_NOBODY,
        change=ADMIN_LEGAL,
        history=ADMIN_LEGAL,
        delete=ADMIN_SUPERUSER,
    ),
    **admin_model(
        "axes",
        "accessfailurelog",
        changelist=ADMIN_LEGAL,
        add=ADMIN_NOBODY,
        change=ADMIN_LEGAL,
        history=ADMIN_LEGAL,
        delete=ADMIN_SUPERUSER,
    ),
    **admin_model(
        "vendors",
        "vendor",
        changelist=ADMIN_STAFF,
        add=ADMIN_SUPERUSER,
        change=ADMIN_STAFF,
        history=ADMIN_STAFF,
        delete=ADMIN_REDIRECT,
    ),
    # The inventory import: Legal only (404 to other staff); its records read by Legal and the Auditor.
    # The owner search of the vendor's change page: whoever may change a vendor (Legal, the superuser).
    "admin:vendors_vendor_owners": ADMIN_LEGAL,
    "admin:vendors_vendor_import": "alogin alogin alogin 404 200 404 404 alogin",
    "admin:vendors_vendor_import_preview": "alogin alogin alogin 404 200 404 404 alogin",
    "admin:vendors_vendor_import_template": "alogin alogin alogin 404 200 404 404 alogin",
    # (the superuser holds no reviewer role: 403)
    **admin_model(
        "vendors",
        "inventoryimport",
        changelist="alogin alogin alogin 403 200 200 403 alogin",
        add=ADMIN_NOBODY,
        change="alogin alogin alogin 403 200 200 403 alogin",
        history="alogin alogin alogin 403 200 200 403 alogin",
        delete=ADMIN_REDIRECT,
    ),
    # The ledger words the inventory import reads: kept by Legal, read by the Auditor.
    **admin_model(
        "vendors",
        "inventoryword",
        changelist="alogin alogin alogin 403 200 200 403 alogin",
        add="alogin alogin alogin 403 200 403 403 alogin",
        change="alogin alogin alogin 403 200 200 403 alogin",
        history="alogin alogin alogin 403 200 200 403 alogin",
        delete="alogin alogin alogin 403 200 403 403 alogin",
    ),
    **admin_model(
        "vendors",
        "certification",
        changelist=ADMIN_STAFF,
        add=ADMIN_NOBODY,
        change=ADMIN_STAFF,
        history=ADMIN_STAFF,
        delete=ADMIN_REDIRECT,
    ),
    **admin_model(
        "reviews",
        "stage",
        changelist=ADMIN_STAFF,
        add=ADMIN_NOBODY,
        change=ADMIN_READERS,
        history=ADMIN_READERS,
        delete=ADMIN_REDIRECT,
    ),
    **admin_model(
        "reviews",
        "answer",
        changelist=ADMIN_STAFF,
        add=ADMIN_NOBODY,
        change=ADMIN_READERS,
        history=ADMIN_READERS,
        delete=ADMIN_REDIRECT,
    ),
    **admin_model(
        "reviews",
        "evidence",
        changelist=ADMIN_STAFF,
        add=ADMIN_NOBODY,
        change=ADMIN_READERS,
        history=ADMIN_READERS,
        delete=ADMIN_REDIRECT,
    ),
    **admin_model(
        "reviews",
        "decision",
        changelist=ADMIN_STAFF,
        add=ADMIN_NOBODY,
        change=ADMIN_READERS,
        history=ADMIN_READERS,
        delete=ADMIN_REDIRECT,
    ),
    **admin_model(
        "reviews",
        "signoff",
        changelist=ADMIN_STAFF,
        add=ADMIN_NOBODY,
        change=ADMIN_READERS,
        history=ADMIN_READERS,
        delete=ADMIN_REDIRECT,
    ),
    **admin_model(
        "reviews",
        "dossier",
        changelist=ADMIN_STAFF,
        add=ADMIN_NOBODY,
        change=ADMIN_READERS,
        history=ADMIN_READERS,
        delete=ADMIN_REDIRECT,
    ),
    **admin_model(
        "reviews",
        "auditevent",
        changelist=ADMIN_STAFF,
        add=ADMIN_NOBODY,
        change=ADMIN_READERS,
        history=ADMIN_READERS,
        delete=ADMIN_REDIRECT,
    ),
    **admin_model(
        "reviews",
        "questionnairetemplate",
        changelist=ADMIN_LEGAL_AUDITOR,
        add=ADMIN_NOBODY,
        change=ADMIN_LEGAL_AUDITOR,
        history=ADMIN_LEGAL_AUDITOR,
        delete=ADMIN_REDIRECT,
    ),
    **admin_model(
        "reviews",
        "section",
        changelist=ADMIN_SUPERUSER,
        add=ADMIN_NOBODY,
        change=ADMIN_SUPERUSER,
        history=ADMIN_SUPERUSER,
        delete=ADMIN_REDIRECT,
    ),
    **admin_model(
        "reviews",
        "question",
        changelist=ADMIN_LEGAL_AUDITOR,
        add=ADMIN_NOBODY,
        change=ADMIN_LEGAL_AUDITOR,
        history=ADMIN_LEGAL_AUDITOR,
        delete=ADMIN_REDIRECT,
    ),
    **admin_model(
        "reviews",
        "contactlink",
        changelist=ADMIN_STAFF,
        add=ADMIN_NOBODY,
        change=ADMIN_READERS,
        history=ADMIN_READERS,
        delete=ADMIN_REDIRECT,
    ),
    "admin:reviews_review_decide": "alogin alogin alogin 405 405 405 405 alogin",
    # The approved review has nothing to sign: readers are sent back to its page.
    "admin:reviews_review_sign_off": "alogin alogin alogin 302 302 302 404 alogin",
    "admin:reviews_review_sign_off_return_security": "alogin alogin alogin 405 405 405 405 alogin",
    # The world's approval has a confirmed scope: Legal is told so and sent back, like the other readers.
    "admin:reviews_review_confirm_scope": "alogin alogin alogin 302 302 302 404 alogin",
    "admin:vendors_vendor_correct_identity": "alogin alogin alogin 403 200 403 403 alogin",  # Legal alone
    "admin:reviews_review_evidence_download": "alogin alogin alogin 200 200 200 404 alogin",
    "admin:reviews_review_evidence_preview": "alogin alogin alogin 200 200 200 404 alogin",
    "admin:reviews_review_certificate_download": "alogin alogin alogin 200 200 200 404 alogin",
    # The review file: the superuser holds no reviewer role, so for them the review does not exist.
    **admin_model(
        "reviews",
        "review",
        changelist=ADMIN_STAFF,
        add=ADMIN_NOBODY,
        change="alogin alogin alogin 200 200 200 404 alogin",
        history=ADMIN_READERS,
        delete=ADMIN_REDIRECT,
    ),
    # Failed sign-ins: Legal reads and unlocks (deleting the record is the unlock, audited).
    **admin_model(
        "axes",
        "accessattempt",
        changelist=ADMIN_LEGAL,
        add=ADMIN_NOBODY,
        change=ADMIN_LEGAL,
        history=ADMIN_LEGAL,
        delete=ADMIN_LEGAL,
    ),
    "admin:app_list": "alogin alogin alogin 404 404 404 404 alogin",
    "admin:admin/(?P<url>.*)$": "alogin alogin alogin 404 404 404 404 alogin",
    **admin_model(
        "reviews",
        "apikey",
        changelist=ADMIN_LEGAL_AUDITOR,
        add="alogin alogin alogin 403 200 403 403 alogin",
        change=ADMIN_LEGAL_AUDITOR,
        history=ADMIN_LEGAL_AUDITOR,
        delete=ADMIN_NOBODY,
    ),
    # The working-day calendar's days: read by the reviewers and the auditor, entered and corrected by Legal.
    **admin_model(
        "reviews",
        "calendarday",
        changelist="alogin alogin alogin 200 200 200 403 alogin",
        add="alogin alogin alogin 403 200 403 403 alogin",
        change="alogin alogin alogin 200 200 200 403 alogin",
        history="alogin alogin alogin 200 200 200 403 alogin",
        delete="alogin alogin alogin 403 200 403 403 alogin",
    ),
    # Marketing activities in the desk: read by Security, Legal and the Auditor, decided by Legal by a POST;
    # nobody adds, changes or deletes one; the superuser holds no reviewer role, so for them none exists.
    **admin_model(
        "activities",
        "activity",
        changelist=ADMIN_STAFF,
        add=ADMIN_NOBODY,
        change="alogin alogin alogin 200 200 200 404 alogin",
        history=ADMIN_READERS,
        delete=ADMIN_REDIRECT,
    ),
    "admin:activities_activity_decide": "alogin alogin alogin 405 405 405 405 alogin",
    # Scope extensions (activities/admin_extensions.py): read by Security, Legal and the Auditor; the superuser
    # holds no reviewer role, so for them an extension does not exist. Decisions are POSTs; nothing is added.
    **admin_model(
        "activities",
        "scopeextension",
        changelist=ADMIN_STAFF,
        add=ADMIN_NOBODY,
        change="alogin alogin alogin 200 200 200 404 alogin",
        history=ADMIN_READERS,
        delete=ADMIN_REDIRECT,
    ),
    "admin:activities_scopeextension_decide": "alogin alogin alogin 405 405 405 405 alogin",
    "admin:activities_scopeextension_file_download": "alogin alogin alogin 200 200 200 404 alogin",
    "admin:activities_scopeextension_file_preview": "alogin alogin alogin 200 200 200 404 alogin",
    # The portfolio: Legal, Security, the Auditor and the Executive (reviews.access.can_see_portfolio).
    "portfolio:page": "login 403 403 200 200 200 403 login",
    "portfolio:csv": "login 403 403 200 200 200 403 login",
    "portfolio:pdf": "login 403 403 200 200 200 403 login",
    # The API takes a key, never a session; its schema and docs describe it and hold no data.
    "api:vendors": "401 401 401 401 401 401 401 401",
    "api:vendor": "401 401 401 401 401 401 401 401",
    "api:use_check": "401 401 401 401 401 401 401 401",
    "api:channels": "401 401 401 401 401 401 401 401",
    "api:channel": "401 401 401 401 401 401 401 401",
    "api:activity": "401 401 401 401 401 401 401 401",
    "api:schema": "200 200 200 200 200 200 200 200",
    "api:docs": "200 200 200 200 200 200 200 200",
    # For load balancers: open to all, and says only "ok" or "failing" per check (tests/test_health.py).
    "health": "200 200 200 200 200 200 200 200",
    "vendors:approved": "login 200 200 200 200 200 200 login",
    "vendors:approved_csv": "login 200 200 200 200 200 200 login",
    "vendors:approved_api": "401 400 400 400 400 400 400 401",  # 400: no ?uscc= given
    "dashboard": "login 200 200 200 200 200 200 login",
    # A list of the dashboard in full ("needs your action" here; the readers' open reviews: 404 to others).
    "dashboard_list": "login 200 200 200 200 200 200 login",
    "review_new": "login 200 200 403 403 403 403 login",
    "channel_new": "login 200 200 403 403 403 403 login",
    # JSON for the channel form's owner search: requesters alone; 401 rather than a redirect (called by script).
    "channel_owners": "401 200 200 403 403 403 403 401",
    "review_detail": REVIEW_READERS,
    "review_withdraw": POST_ONLY,
    "questionnaire": REVIEW_READERS,
    "questionnaire_section": REVIEW_READERS,
    "data_source": REVIEW_READERS,
    "security": REVIEW_READERS,
    "stage_submit": POST_ONLY,
    "evidence_download": REVIEW_READERS,
    "evidence_withdraw": POST_ONLY,
    "certificate_download": REVIEW_READERS,
    "certificate_withdraw": POST_ONLY,
    "contact_link_create": POST_ONLY,
    "contact_link_revoke": POST_ONLY,
    # The link is the key, whoever holds it (no account); wrong or dead links: tests/reviews/test_view_contact.py.
    "contact_home": "200 200 200 200 200 200 200 200",
    "contact_section": "200 200 200 200 200 200 200 200",
    "contact_data_source": "200 200 200 200 200 200 200 200",
    "vendor_detail": "login 200 200 200 200 200 200 login",
    "dossier_list": REVIEW_READERS,
    "dossier_download": REVIEW_READERS,
    "dossier_regenerate": POST_ONLY,
    # Marketing activities and scope extensions (A's no-go activity, A's approved extension): the owner and the
    # readers of every review; the registration and the extension request for requesters only.
    "activities:list": "login 200 200 200 200 200 200 login",
    "activities:new": "login 200 200 403 403 403 403 login",
    "activities:vendor_lookup": "401 200 200 200 200 200 200 401",  # JSON for the form's script
    "activities:detail": REVIEW_READERS,
    "activities:edit": "login 200 404 403 403 403 404 login",  # the owner alone changes it
    "activities:acknowledge": POST_ONLY,
    "activities:withdraw": POST_ONLY,
    # The PDF record of a decided activity and the addendum of an approved extension (built on the branch
    # "records"): readable as the activity and the extension are.
    "activities:record": REVIEW_READERS,
    "activities:addendum": REVIEW_READERS,
    "activities:extension_new": "login 200 200 403 403 403 403 login",
    "activities:extension": REVIEW_READERS,
    "activities:extension_withdraw": POST_ONLY,
    "activities:extension_file": REVIEW_READERS,
}

# Filled in by the world: which id goes in each URL parameter, per URL name when it differs.
ARGS = {
    "pk": "review",
    "evidence_id": "evidence",
    "cert_id": "certification",
    "dossier_pk": "dossier",
    "link_id": "link",
    "stage_id": "stage",
    "certification_id": "certification",
    "file_id": "extensionfile",
    "vendor_pk": "vendor",
    "file_pk": "extensionfile",
}
ARGS_BY_NAME = {
    "contact_link_revoke": {"pk": "open_review"},
    "vendor_detail": {"pk": "vendor"},
    "admin:vendors_vendor_import_preview": {"pk": "inventoryimport"},
    **{
        f"activities:{name}": {"pk": "activity"}
        for name in ("detail", "edit", "acknowledge", "withdraw", "record")
    },
    **{
        f"activities:{name}": {"pk": "scopeextension"}
        for name in ("extension", "extension_withdraw", "extension_file", "addendum")
    },
    "activities:extension_new": {"vendor_pk": "vendor"},
}
VALUES = {
    "which": "action",
    "key": "coverage",
    "language": "en",
    "uscc": "914403001922038216",
    "reference": "ACT-2026-00001",
    "section": "A",
    "kind": "questionnaire",
    "outcome": "pass",
    "app_label": "reviews",
    "url": "nowhere/",
    "id": "user",
    "file_format": "csv",
    "step": "legal",
}


def walk(patterns, prefix="", namespace=None):
    """(name, route, pattern) for every pattern, resolvers entered recursively. Nameless patterns (the
    admin's /<id>/ redirect, its catch-all) are named by their route."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        else:
            assert isinstance(pattern, URLPattern)
            route = prefix + str(pattern.pattern)
            if pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            else:
                name = _nameless(route, namespace)
            yield name, route


def _nameless(route: str, namespace) -> str:
    match = re.fullmatch(r"admin/(\w+)/(\w+)/<path:object_id>/", route)
    if match:
        return f"admin:{match[1]}_{match[2]}/<id>/"
    return f"{namespace}:{route}" if namespace else route


def all_patterns() -> list[tuple[str, str]]:
    return list(walk(get_resolver().url_patterns))


def test_every_url_pattern_has_a_row():
    missing = [f"{name}  ({route})" for name, route in all_patterns() if name not in EXPECTED]
    assert not missing, "URL patterns without a row in EXPECTED (add one):\n" + "\n".join(missing)


def test_no_row_is_left_for_a_url_that_is_gone():
    names = {name for name, _route in all_patterns()}
    assert not set(EXPECTED) - names


def fill(name: str, route: str, world) -> str:
    """A concrete path for the pattern, with the world's ids."""
    ids = world.ids
    admin_model_route = re.match(r"admin/(\w+)/(\w+)/", route)

    def value(param: str) -> str:
        if param == "object_id":
            if name == "admin:view_on_site":
                return str(ids["review"])
            return str(ids[admin_model_route[2]])
        if param == "content_type_id":
            return str(ids["review_content_type"])
        if param == "token":
            return world.token
        key = ARGS_BY_NAME.get(name, {}).get(param) or ARGS.get(param)
        if key:
            return str(ids[key])
        return str(ids[VALUES[param]]) if VALUES.get(param) in ids else VALUES[param]

    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: value(m[1]), route)
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: value(m[1]), path)
    return "/" + path.replace("^", "").replace("$", "")


def outcome(response) -> str:
    if response.status_code in (301, 302):
        location = response["Location"]
        if location.startswith("/accounts/login/"):
            return "login"
        if location.startswith("/admin/login/"):
            return "alogin"
        return "302"
    return str(response.status_code)


@pytest.mark.django_db
def test_every_url_answers_each_persona_as_the_table_says(monkeypatch, settings):
    from django.contrib.contenttypes.models import ContentType
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    from reviews.models import Review
    from tests.vendors.inventory_files import csv_bytes, row
    from vendors.inventory.services import inventory_upload

    world = build_world(monkeypatch)
    world.ids["review_content_type"] = ContentType.objects.get_for_model(Review).pk
    record, _preview = inventory_upload(
        upload=SimpleUploadedFile("inventory.csv", csv_bytes([row(1)])), actor=world.users["legal"]
    )
    world.ids["inventoryimport"] = record.pk
    clients = {"anon": Client(), "contact": Client()}
    for persona, key in (
        ("A", "requester_a"),
        ("B", "requester_b"),
        ("sec", "security"),
        ("legal", "legal"),
        ("aud", "auditor"),
        ("su", "superuser"),
    ):
        clients[persona] = Client()
        clients[persona].force_login(world.users[key])
    assert clients["contact"].get(reverse("contact_home", args=[world.token])).status_code == 200

    actual, mismatches = {}, []
    for name, route in all_patterns():
        path = fill(name, route, world)
        row = " ".join(outcome(clients[persona].get(path)) for persona in PERSONAS)

        actual[name] = row
        if name in EXPECTED and EXPECTED[name].split() != row.split():
            mismatches.append(f"{name} ({path}):\n    expected {EXPECTED[name]}\n    got      {row}")
    if os.environ.get("VETTED_PRINT_ACCESS_MATRIX"):
        print("\n".join(f'    "{name}": "{row}",' for name, row in actual.items()))
    assert not mismatches, "Access differs from the table:\n" + "\n".join(mismatches)

"""The audit log read as sentences (reviews/audit_sentences.py): every action the code records has one."""

import re
from pathlib import Path

import pytest
from django.utils import translation

from reviews.audit_sentences import ACTION_NAMES, SENTENCES, action_name, audit_sentence
from reviews.models import AuditEvent
from tests.builders import start_review
from tests.factories import make_user
from vendors.models import VendorStatus

ROOT = Path(__file__).resolve().parents[2]
CALL = r"(?:audit_record|_refuse_and_audit)\(\s*action="
# The activities' services record through a helper taking the object first: _audit(activity, "activity.x", ...),
# the action sometimes chosen by the decision ("activity.approved" if approve else "activity.refused").
# Saving a (re)checked activity records the action its caller names: _save_checked(activity, plan, action="...").
SAVED = r'_save_checked\([^()]*?action="([a-z_]+\.[a-z_]+)"'
HELPER = r'_audit\(\s*\w+,\s*"([a-z_]+\.[a-z_]+)"(?:\s+if\s+\w+\s+else\s+"([a-z_]+\.[a-z_]+)")?'


def actions_in_code() -> set[str]:
    """Every action name passed to audit_record (or the refusal helper) anywhere in the code: literals,
    module constants, and the f-string families filled from a closed set of values."""
    found = set()
    for path in [
        *ROOT.glob("reviews/**/*.py"),
        *ROOT.glob("vendors/**/*.py"),
        *ROOT.glob("activities/**/*.py"),
    ]:
        if "migrations" in path.parts:
            continue
        text = path.read_text()
        found |= set(re.findall(CALL + r'"([a-z_]+\.[a-z_]+)"', text))
        found |= {action for pair in re.findall(HELPER, text) for action in pair if action}
        found |= set(re.findall(SAVED, text))
        for constant in re.findall(CALL + r"([A-Z_]+)\b", text):
            found |= set(re.findall(rf'^{constant} = "([a-z_.]+)"', text, re.MULTILINE))
        services = (ROOT / "vendors/services.py").read_text()
        for family, variable in re.findall(CALL + r'f"([a-z_]+)\.\{(\w+)\}"', text):
            if (family, variable) == ("vendor", "new"):  # a status change (vendor_status_changed)
                found |= {f"vendor.{status}" for status in VendorStatus.values}
            elif (family, variable) == ("vendor", "action"):  # the register's own changes (vendor_changed)
                found |= {
                    f"vendor.{a}"
                    for a in re.findall(r'vendor_changed\.send\(.*?action="(\w+)"', services, re.DOTALL)
                }
            elif family == "certification":
                found |= {
                    f"certification.{a}"
                    for a in re.findall(
                        r'certification_changed\.send\(.*?action="(\w+)"', services, re.DOTALL
                    )
                }
            else:
                found.add(f"{family}.{{{variable}}}: an unknown family")
    return found


def test_the_walk_finds_the_actions_of_every_kind():
    found = actions_in_code()

    # A literal, a constant, and the three f-string families: the walk itself is not blind.
    assert {
        "evidence.added",
        "vendor.expiry_reminded",
        "vendor.approved",
        "certification.added",
        "vendor.updated",
        "vendor.identity_corrected",
    } <= found
    # The activities' helper, with an action of its own and both of a decision's.
    assert {
        "activity.registered",
        "activity.approved",
        "activity.refused",
        "extension.security_passed",
        "extension.security_refused",
        "scope.confirmed",
    } <= found


def test_every_action_in_the_code_has_a_sentence():
    missing = sorted(actions_in_code() - set(SENTENCES))

    assert missing == []


def test_every_action_has_a_name_in_each_language_and_no_two_share_one():
    assert set(ACTION_NAMES) == set(SENTENCES)
    names = {}
    for language in ("en", "zh-hans"):
        with translation.override(language):
            names[language] = {action: action_name(action) for action in SENTENCES}
        assert len(set(names[language].values())) == len(SENTENCES), language
    assert names["en"]["review.created"] == "Review opened"
    assert names["zh-hans"]["review.created"] == "创建审查单"
    # Every Chinese name is Chinese (the catalogue has it), not the English one shown again.
    assert [a for a, name in names["zh-hans"].items() if not re.search(r"[\u4e00-\u9fff]", name)] == []
    assert action_name("something.new") == "something.new"  # recorded by an older version: as recorded


@pytest.mark.django_db
def test_an_upload_reads_as_a_sentence_in_the_readers_language():
    requester = make_user("wxw", "Requester", first_name="晓雯", last_name="王")
    review = start_review(requester)
    event = AuditEvent(
        actor=requester,
        actor_label="wxw",
        action="evidence.added",
        review=review,
        vendor=review.vendor,
        data={
            "stage": "questionnaire",
            "kind": "pipia",
            "version": 1,
            "name": "pipia.pdf",
            "size": 157696,
            "sha256": "99bd" + "0" * 60,
            "question": "B6",
        },
    )

    with translation.override("zh-hans"):
        zh = audit_sentence(event)
    with translation.override("en"):
        en = audit_sentence(event)

    assert (
        zh.startswith("王晓雯 上传了 ") and "pipia.pdf" in zh and "SHA-256 99bd…" in zh and zh.endswith("B6")
    )
    assert en.startswith("王晓雯 uploaded ") and "(154.0\xa0KB, SHA-256 99bd…) for B6" in en
    assert "99bd" + "0" * 60 in audit_sentence(event, full_hashes=True)


@pytest.mark.django_db
def test_an_unknown_action_is_named_as_recorded():
    event = AuditEvent(actor_label="system", action="something.new", data={})

    with translation.override("en"):
        assert audit_sentence(event) == "Vetted: something.new"


# The use family (activities, scope extensions, confirmed scopes): the data each service records, and what
# the English sentence says of it. reviews reads no activities module: the sentences go by the action alone.
USE_EVENTS = [
    (
        "activity.registered",
        {"reference": "ACT-2026-00001", "outcome": "needs_legal", "findings": [], "vendors": []},
        "王晓雯 registered the marketing activity ACT-2026-00001; pre-check: Needs Legal",
    ),
    (
        "activity.revised",
        {"reference": "ACT-2026-00001", "outcome": "conditions", "findings": [], "vendors": []},
        "王晓雯 revised the marketing activity ACT-2026-00001; pre-check again: Go with conditions",
    ),
    (
        "activity.acknowledged",
        {"reference": "ACT-2026-00001", "conditions": ["commercial_messages"]},
        "王晓雯 acknowledged the conditions of the marketing activity ACT-2026-00001",
    ),
    (
        "activity.approved",
        {"reference": "ACT-2026-00001", "reason": "监护人同意流程已备"},
        "王晓雯 approved the marketing activity ACT-2026-00001: “监护人同意流程已备”",
    ),
    (
        "activity.refused",
        {"reference": "ACT-2026-00001", "reason": "no lawful route"},
        "王晓雯 refused the marketing activity ACT-2026-00001: “no lawful route”",
    ),
    (
        "activity.withdrawn",
        {"reference": "ACT-2026-00001"},
        "王晓雯 withdrew the marketing activity ACT-2026-00001",
    ),
    (
        "extension.requested",
        {"number": "EXT-2026-00002", "additions": {}, "needs": [], "security": True, "files": {}},
        "王晓雯 asked to extend the approved scope of 云信科技 (EXT-2026-00002); Security reviews it first",
    ),
    (
        "extension.security_passed",
        {"number": "EXT-2026-00002", "comment": ""},
        "王晓雯 passed the scope extension EXT-2026-00002 for Security",
    ),
    (
        "extension.security_refused",
        {"number": "EXT-2026-00002", "comment": "no encryption"},
        "王晓雯 refused the scope extension EXT-2026-00002 for Security: “no encryption”",
    ),
    (
        "extension.approved",
        {"number": "EXT-2026-00002", "comment": "ok", "granted": {}},
        "王晓雯 approved the scope extension EXT-2026-00002: the approved scope of 云信科技 is widened: “ok”",
    ),
    (
        "extension.refused",
        {"number": "EXT-2026-00002", "comment": "not needed", "granted": None},
        "王晓雯 refused the scope extension EXT-2026-00002: “not needed”",
    ),
    (
        "extension.withdrawn",
        {"number": "EXT-2026-00002"},
        "王晓雯 withdrew the scope extension EXT-2026-00002",
    ),
    (
        "scope.confirmed",
        {"number": "VD-2025-0001", "old": {"purposes": ["abm"]}, "new": {"purposes": ["abm"]}},
        (
            "王晓雯 confirmed the scope of VD-2025-0001, derived from its answers, as it was: "
            "Account-based marketing (ABM)"
        ),
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "data", "english"), USE_EVENTS, ids=[row[0] for row in USE_EVENTS])
def test_the_use_family_reads_as_sentences_in_both_languages(action, data, english):
    from tests.factories import VendorFactory

    person = make_user("wxw", "Requester", first_name="晓雯", last_name="王")
    vendor = VendorFactory(name_zh="云信科技")
    event = AuditEvent(
        actor=person,
        actor_label="wxw",
        action=action,
        data=data,
        vendor=vendor if action.startswith("extension.") else None,
    )

    with translation.override("en"):
        assert audit_sentence(event) == english
    with translation.override("zh-hans"):
        zh = audit_sentence(event)
    # Whatever the catalogue holds, the Chinese sentence is the action's own, naming the person and the object.
    assert action not in zh and zh.startswith("王晓雯")
    assert (data.get("reference") or data.get("number")) in zh


@pytest.mark.django_db
def test_a_flag_names_the_vendor_and_why_and_vetted_as_the_actor():
    event = AuditEvent(
        actor_label="system",
        action="activity.flagged",
        data={
            "reference": "ACT-2026-00003",
            "vendor": "914403001922038216",
            "reason": "The approval lapsed.",
        },
    )

    with translation.override("en"):
        assert audit_sentence(event) == (
            "The marketing activity ACT-2026-00003 was flagged: the vendor "
            "914403001922038216 may no longer be used: “The approval lapsed.”"
        )


@pytest.mark.django_db
def test_a_confirmed_scope_that_legal_changed_says_so():
    event = AuditEvent(
        actor_label="system",
        action="scope.confirmed",
        data={
            "number": "VD-2025-0001",
            "old": {"purposes": ["abm", "retargeting"]},
            "new": {"purposes": ["abm"]},
        },
    )

    with translation.override("en"):
        assert audit_sentence(event) == (
            "Vetted confirmed the scope of VD-2025-0001, changed from "
            "“Account-based marketing (ABM) / Retargeting” to "
            "“Account-based marketing (ABM)”"
        )

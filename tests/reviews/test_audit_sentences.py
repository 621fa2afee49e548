"""The audit log read as sentences (reviews/audit_sentences.py): every action the code records has one."""

import re
from pathlib import Path

import pytest
from django.utils import translation

from reviews.audit_sentences import SENTENCES, audit_sentence
from reviews.models import AuditEvent
from tests.builders import start_review
from tests.factories import make_user
from vendors.models import VendorStatus

ROOT = Path(__file__).resolve().parents[2]
CALL = r"(?:audit_record|_refuse_and_audit)\(\s*action="


def actions_in_code() -> set[str]:
    """Every action name passed to audit_record (or the refusal helper) anywhere in the code: literals,
    module constants, and the f-string families filled from a closed set of values."""
    found = set()
    for path in [*ROOT.glob("reviews/**/*.py"), *ROOT.glob("vendors/**/*.py")]:
        if "migrations" in path.parts:
            continue
        text = path.read_text()
        found |= set(re.findall(CALL + r'"([a-z_]+\.[a-z_]+)"', text))
        for constant in re.findall(CALL + r"([A-Z_]+)\b", text):
            found |= set(re.findall(rf'^{constant} = "([a-z_.]+)"', text, re.M))
        services = (ROOT / "vendors/services.py").read_text()
        for family, variable in re.findall(CALL + r'f"([a-z_]+)\.\{(\w+)\}"', text):
            if (family, variable) == ("vendor", "new"):  # a status change (vendor_status_changed)
                found |= {f"vendor.{status}" for status in VendorStatus.values}
            elif (family, variable) == ("vendor", "action"):  # the register's own changes (vendor_changed)
                found |= {f"vendor.{a}" for a in re.findall(r'vendor_changed\.send\(.*?action="(\w+)"',
                                                            services, re.S)}
            elif family == "certification":
                found |= {f"certification.{a}" for a in re.findall(r'certification_changed\.send\(.*?action="(\w+)"',
                                                                     services, re.S)}
            else:
                found.add(f"{family}.{{{variable}}}: an unknown family")
    return found


def test_the_walk_finds_the_actions_of_every_kind():
    found = actions_in_code()

    # A literal, a constant, and the three f-string families: the walk itself is not blind.
    assert {"evidence.added", "vendor.expiry_reminded", "vendor.approved", "certification.added",
            "vendor.updated", "vendor.identity_corrected"} <= found


def test_every_action_in_the_code_has_a_sentence():
    missing = sorted(actions_in_code() - set(SENTENCES))

    assert missing == []


@pytest.mark.django_db
def test_an_upload_reads_as_a_sentence_in_the_readers_language():
    requester = make_user("wxw", "Requester", first_name="晓雯", last_name="王")
    review = start_review(requester)
    event = AuditEvent(actor=requester, actor_label="wxw", action="evidence.added", review=review,
                       vendor=review.vendor, data={"stage": "questionnaire", "kind": "pipia", "version": 1,
                                                   "name": "pipia.pdf", "size": 157696, "sha256": "99bd" + "0" * 60,
                                                   "question": "B6"})

    with translation.override("zh-hans"):
        zh = audit_sentence(event)
    with translation.override("en"):
        en = audit_sentence(event)

    assert zh.startswith("王晓雯 上传了 ") and "pipia.pdf" in zh and "SHA-256 99bd…" in zh and zh.endswith("B6")
    assert en.startswith("王晓雯 uploaded ") and "(154.0\xa0KB, SHA-256 99bd…) for B6" in en
    assert "99bd" + "0" * 60 in audit_sentence(event, full_hashes=True)


@pytest.mark.django_db
def test_an_unknown_action_is_named_as_recorded():
    event = AuditEvent(actor_label="system", action="something.new", data={})

    with translation.override("en"):
        assert audit_sentence(event) == "Vetted: something.new"

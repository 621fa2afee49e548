"""Answers and documents for the scope-extension tests (test_extensions.py, test_admin_extension.py,
the I8 race): what a careful requester gives for each question an extension asks again."""

from activities.extension_rules import extension_needs
from activities.extensions import extension_request
from tests.factories import pdf_upload
from vendors.scope import Scope

# For each question an extension may ask again: an answer that raises no red flag.
GOOD = {
    "A3": {"value": "yes", "detail": "增值电信业务经营许可证 B2-20240815"},
    "A5": {"value": "gt10m", "detail": ""},
    "A6": {"value": None, "detail": "王晓雯，个人信息保护负责人，pipo@vendor.example.com"},
    "B2": {"value": "first_party", "detail": "自有App注册用户 / members of our own app"},
    "B3": {"value": "yes", "detail": ""},
    "B4": {"value": "yes", "detail": ""},
    "B5": {"value": "yes", "detail": ""},
    "C1": {"value": "yes", "detail": ""},
    "C2": {"value": "yes", "detail": ""},
    "C4": {"value": "realtime", "detail": ""},
    "C5": {"value": "yes", "detail": "https://vendor.example.com/privacy"},
    "D6": {"value": ["encryption", "deidentification", "mfa", "logs_6m"], "detail": ""},
    "D9": {"value": "yes", "detail": "2025-06 毕马威 / KPMG"},
    "E1": {"value": "yes", "detail": ""},
    "E2": {"value": "yes", "detail": ""},
    "E3": {"value": "no", "detail": ""},
    "F1": {"value": "yes", "detail": ""},
    "F2": {"value": "standard_contract", "detail": "标准合同已备案 / standard contract filed"},
    "F3": {"value": "yes", "detail": ""},
}


def good_answers(additions: Scope, **overrides) -> dict:
    """The answers `additions` needs, each good unless overridden ({code: {"value", "detail"}})."""
    answers = {code: dict(GOOD[code]) for code in extension_needs(additions).questions}
    answers.update(overrides)
    return answers


def documents(additions: Scope) -> dict:
    """A PDF for each document `additions` needs."""
    return {
        kind: pdf_upload(f"{kind}.pdf", text=f"extension {kind}")
        for kind in extension_needs(additions).documents
    }


def ask(
    vendor, requester, additions: Scope, *, reason: str = "春季会员短信活动 / spring member SMS", **answers
):
    """A complete, good request for `additions`."""
    return extension_request(
        vendor=vendor,
        requester=requester,
        additions=additions,
        reason=reason,
        answers=good_answers(additions, **answers),
        files=documents(additions),
    )

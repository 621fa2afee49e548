"""activities.extension_rules, row by row: for each kind of addition, which questions are answered again,
which documents are uploaded, whether Security reviews too, and what does not set the row off."""

import pytest

from activities.extension_rules import EXTENSION_RULES, RULES_BY_CODE, extension_needs
from reviews.models import EvidenceKind
from vendors.scope import AudienceSource, Ceiling, Channel, DataCategory, Purpose, Scope

# code: (an addition that sets the row off, one that does not, questions, documents, Security, article)
ROWS = {
    "new_purpose": (
        Scope.build(purposes=[Purpose.ANALYTICS]),
        Scope.build(channels=[Channel.WECHAT]),
        (),
        (),
        False,
        "PIPL Art. 6, 14",
    ),
    "commercial_messages": (
        Scope.build(channels=[Channel.SMS]),
        Scope.build(channels=[Channel.WECHAT]),
        ("A3", "C1", "C2", "C4"),
        (EvidenceKind.TELECOM_LICENCE, EvidenceKind.MARKETING_SAMPLES),
        False,
        "Advertising Law Art. 43",
    ),
    "other_channel": (
        Scope.build(channels=[Channel.KOL]),
        Scope.build(channels=[Channel.EDM, Channel.CALLS]),
        ("C5",),
        (),
        False,
        "PIPL Art. 6, 14",
    ),
    "vendor_supplied_audience": (
        Scope.build(audience_sources=[AudienceSource.VENDOR_SUPPLIED]),
        Scope.build(audience_sources=[AudienceSource.PUBLIC_AGGREGATED]),
        ("B2", "B3", "B4"),
        (EvidenceKind.UPSTREAM_AGREEMENT, EvidenceKind.SEPARATE_CONSENT),
        False,
        "PIPL Art. 23; DSL Art. 33; GB/T 35273 5.4",
    ),
    "profiling": (
        Scope.build(audience_sources=[AudienceSource.LOOKALIKE]),
        Scope.build(purposes=[Purpose.ANALYTICS]),
        ("E1", "E2", "E3"),
        (EvidenceKind.PIPIA,),
        False,
        "PIPL Art. 24, 55",
    ),
    "sensitive_data": (
        Scope.build(data_categories=[DataCategory.SENSITIVE]),
        Scope.build(data_categories=[DataCategory.MINORS]),
        ("B5",),
        (EvidenceKind.SEPARATE_CONSENT, EvidenceKind.PIPIA),
        True,
        "PIPL Art. 28-30, 55",
    ),
    "minors": (
        Scope.build(data_categories=[DataCategory.MINORS]),
        Scope.build(data_categories=[DataCategory.SENSITIVE]),
        (),
        (EvidenceKind.CONSENT_TEXT, EvidenceKind.PIPIA),
        True,
        "PIPL Art. 31",
    ),
    "new_data": (
        Scope.build(data_categories=[DataCategory.LOCATION]),
        Scope.build(purposes=[Purpose.ABM]),
        ("D6",),
        (),
        True,
        "PIPL Art. 6, 51",
    ),
    "cross_border": (
        Scope.build(cross_border=True),
        Scope.build(channels=[Channel.EDM]),
        ("F1", "F2", "F3"),
        (EvidenceKind.CROSS_BORDER,),
        True,
        "PIPL Art. 38-39",
    ),
    "higher_volume": (
        Scope.build(ceiling=Ceiling.GT_10M),
        Scope.build(data_categories=[DataCategory.CONTACT]),
        ("A5", "A6", "D9"),
        (),
        True,
        "PIPL Art. 52, 54",
    ),
}


def test_every_row_of_the_table_is_tested_here():
    assert [rule.code for rule in EXTENSION_RULES] == list(ROWS)


@pytest.mark.parametrize("code", list(ROWS))
def test_the_row_asks_its_questions_documents_and_security(code):
    sets_off, leaves_alone, questions, documents, security, article = ROWS[code]
    rule = RULES_BY_CODE[code]

    assert rule.applies(sets_off)
    assert not rule.applies(leaves_alone)
    assert not rule.applies(Scope())
    assert rule.questions == questions
    assert tuple(rule.documents) == documents
    assert rule.security is security
    assert rule.article == article
    assert str(rule.title) and str(rule.why)
    needs = extension_needs(sets_off)
    assert code in needs.rules
    assert set(questions) <= set(needs.questions)
    assert set(documents) <= set(needs.documents)
    if security:
        assert needs.security


def test_retargeting_is_a_new_purpose_and_profiling():
    needs = extension_needs(Scope.build(purposes=[Purpose.RETARGETING]))

    assert needs.rules == ("new_purpose", "profiling")
    assert needs.questions == ("E1", "E2", "E3")
    assert needs.documents == (EvidenceKind.PIPIA,)
    assert needs.security is False


def test_a_new_purpose_alone_needs_no_question_no_document_and_no_security():
    needs = extension_needs(Scope.build(purposes=[Purpose.ABM, Purpose.ANALYTICS]))

    assert needs == type(needs)(rules=("new_purpose",), questions=(), documents=(), security=False)


def test_several_additions_ask_each_question_and_document_once_and_security_if_any_row_says_so():
    needs = extension_needs(
        Scope.build(
            channels=[Channel.SMS],
            data_categories=[DataCategory.SENSITIVE],
            audience_sources=[AudienceSource.VENDOR_SUPPLIED],
        )
    )

    assert needs.rules == ("commercial_messages", "vendor_supplied_audience", "sensitive_data", "new_data")
    assert needs.questions == ("A3", "C1", "C2", "C4", "B2", "B3", "B4", "B5", "D6")
    # Separate consent is asked by two rows, uploaded once.
    assert needs.documents == (
        EvidenceKind.TELECOM_LICENCE,
        EvidenceKind.MARKETING_SAMPLES,
        EvidenceKind.UPSTREAM_AGREEMENT,
        EvidenceKind.SEPARATE_CONSENT,
        EvidenceKind.PIPIA,
    )
    assert needs.security is True


def test_nothing_added_needs_nothing():
    assert extension_needs(Scope()) == type(extension_needs(Scope()))((), (), (), False)

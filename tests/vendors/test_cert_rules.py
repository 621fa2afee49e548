"""vendors.cert_rules: one test per rule of docs/domain.md "Certificates", named after it (test_<rule code>), on
unsaved certificates and a fixed day, so that no test depends on the day it runs."""

import sys
from datetime import date

import pytest

from vendors import cert_rules
from vendors.models import Certification, CertificationEdition, CertificationKind

K, E = CertificationKind, CertificationEdition
TODAY = date(2026, 11, 30)


def cert(
    kind=K.ISO27001,
    *,
    edition=E.ISO27001_2022,
    issued_on=date(2025, 6, 1),
    expires_on=date(2028, 5, 31),
    **fields,
):
    return Certification(
        kind=kind,
        edition=edition,
        number="N-1",
        issuer="CQC",
        scope="SaaS",
        issued_on=issued_on,
        expires_on=expires_on,
        **fields,
    )


def rule_of(found):
    return found.rule.code if found else None


def test_printed_expiry():
    found = cert_rules.lapse(cert(issued_on=date(2025, 6, 1), expires_on=date(2027, 1, 15)))

    assert (found.date, rule_of(found)) == (date(2027, 1, 15), "printed_expiry")


def test_iso27001_2013_void_after_2025_10_31():
    old = cert(edition=E.ISO27001_2013, issued_on=date(2024, 4, 30), expires_on=date(2027, 4, 29))

    found = cert_rules.lapse(old)
    assessment = cert_rules.assess(old, today=TODAY)

    assert (found.date, rule_of(found)) == (date(2025, 10, 31), "iso27001_2013_void_after_2025_10_31")
    # Refused with the reason and the lapse date, whatever the printed expiry says.
    assert "2025-10-31" in assessment.problems[0] and "2013" in assessment.problems[0]


def test_iso27001_2013_issued_after_the_2022_edition_is_still_void():
    """A transition audit could still certify to 2013 until 2024-04-30: the issue date does not tell."""
    late = cert(edition=E.ISO27001_2013, issued_on=date(2023, 3, 1), expires_on=date(2026, 2, 28))

    assert rule_of(cert_rules.lapse(late)) == "iso27001_2013_void_after_2025_10_31"


@pytest.mark.parametrize(
    "kind, edition", [(K.ISO27001, E.ISO27001_2022), (K.ISO27701, E.ISO27701_2019), (K.CCRC, "")]
)
def test_three_year_certification_cycle(kind, edition):
    long = cert(kind, edition=edition, issued_on=date(2024, 12, 1), expires_on=date(2028, 12, 1))

    found = cert_rules.lapse(long)

    assert (found.date, rule_of(found)) == (date(2027, 12, 1), "three_year_certification_cycle")


def test_telecom_licence_five_years():
    licence = cert(K.TELECOM_LICENCE, edition="", issued_on=date(2021, 12, 10), expires_on=date(2030, 1, 1))

    found = cert_rules.lapse(licence)

    assert (found.date, rule_of(found)) == (date(2026, 12, 10), "telecom_licence_five_years")
    assert "2026-12-10" in cert_rules.assess(licence, today=TODAY).expiring


def test_mlps_report_12_months_at_level_3():
    report = cert(K.MLPS_REPORT, edition=E.MLPS_L3, issued_on=date(2025, 11, 15), expires_on=None)

    found = cert_rules.lapse(report)

    assert (found.date, rule_of(found)) == (date(2026, 11, 15), "mlps_report_12_months_at_level_3")
    assert "2026-11-15" in cert_rules.assess(report, today=TODAY).problems[0]


def test_mlps_report_6_months_at_level_4():
    report = cert(K.MLPS_REPORT, edition=E.MLPS_L4, issued_on=date(2026, 8, 1), expires_on=None)

    found = cert_rules.lapse(report)

    assert (found.date, rule_of(found)) == (date(2027, 2, 1), "mlps_report_6_months_at_level_4")


def test_soc2_stale_12_months_after_period_without_bridge_letter():
    report = cert(
        K.SOC2_TYPE2,
        edition="",
        issued_on=date(2025, 2, 1),
        expires_on=None,
        period_start=date(2024, 1, 1),
        period_end=date(2024, 12, 31),
    )
    bridged = cert(
        K.SOC2_TYPE2,
        edition="",
        issued_on=date(2025, 2, 1),
        expires_on=date(2027, 3, 31),
        period_start=date(2024, 1, 1),
        period_end=date(2024, 12, 31),
        bridge_letter=True,
    )

    found = cert_rules.lapse(report)

    assert (found.date, rule_of(found)) == (
        date(2025, 12, 31),
        "soc2_stale_12_months_after_period_without_bridge_letter",
    )
    assert cert_rules.assess(report, today=TODAY).problems
    assert rule_of(cert_rules.lapse(bridged)) == "printed_expiry"


def test_mlps_filing_certificate_has_no_end():
    filing = cert(K.MLPS_FILING, edition=E.MLPS_L3, issued_on=date(2023, 6, 12), expires_on=None)

    assert cert_rules.lapse(filing) is None
    assert cert_rules.assess(filing, today=TODAY).problems == []


def test_a_certificate_lapsing_within_the_warning_days_is_flagged(settings):
    settings.VETTED_CERT_EXPIRY_WARNING_DAYS = 30
    soon = cert(expires_on=date(2026, 12, 30))
    later = cert(expires_on=date(2026, 12, 31))

    assert "2026-12-30" in cert_rules.assess(soon, today=TODAY).expiring
    assert cert_rules.assess(later, today=TODAY).expiring == ""


@pytest.mark.parametrize("kind", [K.ISO27001, K.ISO27701, K.MLPS_REPORT, K.MLPS_FILING])
def test_a_kind_with_editions_must_name_one(kind):
    assert cert_rules.incomplete(cert(kind, edition="")) != []


def test_a_soc2_report_must_give_its_period():
    assert cert_rules.incomplete(cert(K.SOC2_TYPE2, edition="", expires_on=None)) != []


def test_every_rule_has_a_test_named_after_it():
    tests = {name for name in dir(sys.modules[__name__]) if name.startswith("test_")}

    assert {f"test_{rule.code}" for rule in cert_rules.RULES} <= tests
    assert all(rule.source for rule in cert_rules.RULES)


def test_the_edition_is_shown_with_the_certificate():
    assert cert().title == "ISO/IEC 27001:2022"
    assert cert(K.MLPS_REPORT, edition=E.MLPS_L3).title.endswith("MLPS level 3")

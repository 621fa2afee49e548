"""The validity rules of security certificates (docs/domain.md "Certificates"), in one table.

A certificate does not stay good until its printed expiry date: the standard it was issued against may be
withdrawn (ISO/IEC 27001:2013 is void after 2025-10-31 whatever the certificate says), a scheme may cap the
cycle (three years for ISO/IEC 27001, 27701 and CCRC, five for a telecom licence), and some documents carry
no expiry at all but go stale (an MLPS assessment report after 12 months at level 3 and 6 at level 4, a SOC 2
Type II report 12 months after the period it covers unless a bridge letter covers the gap). Each rule below
gives the date a certificate lapses under it, the source of the rule, and what to upload instead. The
earliest of those dates is the certificate's lapse date: it refuses a void certificate at upload and at
submission, warns (at upload) and refuses (at submission) one lapsing within
VETTED_CERT_EXPIRY_WARNING_DAYS, and caps how long an approval resting on it may run.

Pure functions over a Certification (saved or not); nothing here touches the database.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Certification, CertificationEdition, CertificationKind

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

K = CertificationKind
E = CertificationEdition

# ISO/IEC 27001:2022 replaced the 2013 edition; IAF MD 26 ended the transition on this date, after which
# certificates to the 2013 edition are invalid, even those whose printed expiry is later.
ISO27001_2013_VOID_AFTER = date(2025, 10, 31)

# The editions a kind of certificate must name; a kind absent here has none.
EDITIONS_BY_KIND: dict[str, tuple[str, ...]] = {
    K.ISO27001: (E.ISO27001_2013, E.ISO27001_2022),
    K.ISO27701: (E.ISO27701_2019, E.ISO27701_2025),
    K.MLPS_FILING: (E.MLPS_L1, E.MLPS_L2, E.MLPS_L3, E.MLPS_L4, E.MLPS_L5),
    K.MLPS_REPORT: (E.MLPS_L1, E.MLPS_L2, E.MLPS_L3, E.MLPS_L4, E.MLPS_L5),
}

# Documents with no printed expiry: their validity follows from the rules (MLPS filing: re-filed on a
# material change; MLPS report and SOC 2: derived from the level or the period).
NO_PRINTED_EXPIRY = {K.MLPS_FILING, K.MLPS_REPORT, K.SOC2_TYPE2}


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=d)
        except ValueError:
            continue
    raise ValueError(day)


@dataclass(frozen=True)
class CertRule:
    code: str  # the test named after the rule: tests/vendors/test_cert_rules.py::test_<code>
    kinds: frozenset
    source: str
    lapses_on: Callable[[Certification], date | None]
    why: object  # lazy text: why the certificate lapses on that date
    instead: object  # lazy text: what to upload instead


def _printed(cert):
    return cert.expires_on


def _iso27001_2013(cert):
    return ISO27001_2013_VOID_AFTER if cert.edition == E.ISO27001_2013 else None


def _cycle(years):
    def lapses(cert):
        return add_months(cert.issued_on, 12 * years) if cert.issued_on else None

    return lapses


def _mlps_report(level, months):
    def lapses(cert):
        return add_months(cert.issued_on, months) if cert.edition == level and cert.issued_on else None

    return lapses


def _soc2(cert):
    if cert.period_end is None or cert.bridge_letter:
        return None
    return add_months(cert.period_end, 12)


RULES: tuple[CertRule, ...] = (
    CertRule(
        "printed_expiry",
        frozenset(K) - {K.MLPS_FILING},
        "the certificate as issued",
        _printed,
        _("the printed expiry date"),
        _("the renewed certificate"),
    ),
    CertRule(
        "iso27001_2013_void_after_2025_10_31",
        frozenset({K.ISO27001}),
        'ISO/IEC 27001:2022 transition (IAF MD 26); docs/domain.md "Certificates"',
        _iso27001_2013,
        _("certificates to ISO/IEC 27001:2013 are void after 2025-10-31, whatever their printed expiry"),
        _("the certificate to ISO/IEC 27001:2022 from the transition or recertification audit"),
    ),
    CertRule(
        "three_year_certification_cycle",
        frozenset({K.ISO27001, K.ISO27701, K.CCRC}),
        'ISO/IEC 17021-1 9.6 (three-year cycle); CCRC rules; docs/domain.md "Certificates"',
        _cycle(3),
        _("a certification cycle lasts three years from issue"),
        _("the certificate from the recertification audit"),
    ),
    CertRule(
        "telecom_licence_five_years",
        frozenset({K.TELECOM_LICENCE}),
        'Telecommunications Business Licence Measures Art. 26 (five years); docs/domain.md "Certificates"',
        _cycle(5),
        _("a value-added telecom licence is valid for five years"),
        _("the renewed licence"),
    ),
    CertRule(
        "mlps_report_12_months_at_level_3",
        frozenset({K.MLPS_REPORT}),
        'MLPS 2.0 (GB/T 22239-2019): level-3 systems assessed at least yearly; docs/domain.md "Certificates"',
        _mlps_report(E.MLPS_L3, 12),
        _("a level-3 assessment report is valid for 12 months"),
        _("the latest MLPS assessment report"),
    ),
    CertRule(
        "mlps_report_6_months_at_level_4",
        frozenset({K.MLPS_REPORT}),
        'MLPS 2.0 (GB/T 22239-2019): level-4 systems assessed every six months; docs/domain.md "Certificates"',
        _mlps_report(E.MLPS_L4, 6),
        _("a level-4 assessment report is valid for 6 months"),
        _("the latest MLPS assessment report"),
    ),
    CertRule(
        "soc2_stale_12_months_after_period_without_bridge_letter",
        frozenset({K.SOC2_TYPE2}),
        'AICPA SOC 2 practice (bridge letter); docs/domain.md "Certificates"',
        _soc2,
        _(
            "a SOC 2 Type II report is stale 12 months after its period ends, unless a bridge letter "
            "covers the gap"
        ),
        _("the next SOC 2 Type II report, or a bridge letter with this one"),
    ),
)


@dataclass(frozen=True)
class Lapse:
    date: date
    rule: CertRule

    @property
    def why(self) -> str:
        return str(self.rule.why)

    @property
    def instead(self) -> str:
        return str(self.rule.instead)


def lapse(cert: Certification) -> Lapse | None:
    """The earliest date the certificate stops counting, and the rule that says so; None when it has no
    end (an MLPS filing certificate)."""
    found = [
        Lapse(day, rule)
        for rule in RULES
        if cert.kind in rule.kinds
        for day in [rule.lapses_on(cert)]
        if day is not None
    ]
    return min(found, key=lambda item: item.date, default=None)


def incomplete(cert: Certification) -> list[str]:
    """What the record lacks before the rules can be applied."""
    missing: list[StrOrPromise] = []
    editions = EDITIONS_BY_KIND.get(cert.kind, ())
    if editions and cert.edition not in editions:
        missing.append(
            _("Give the edition or level: %(choices)s.")
            % {"choices": ", ".join(str(E(e).label) for e in editions)}
        )
    if cert.kind == K.SOC2_TYPE2:
        if cert.period_start is None or cert.period_end is None:
            missing.append(_("Give the period the SOC 2 report covers (start and end)."))
        elif cert.period_end <= cert.period_start:
            missing.append(_("The report period must end after it starts."))
    if cert.expires_on is None and cert.kind not in NO_PRINTED_EXPIRY:
        missing.append(_("Give the expiry date printed on the certificate."))
    return [str(m) for m in missing]


@dataclass(frozen=True)
class Assessment:
    lapse: Lapse | None
    problems: list[str]  # refuse: the record is incomplete or the certificate is void today
    expiring: str  # lapses within the warning window: a warning at upload, a refusal at submission

    @property
    def lapses_on(self) -> date | None:
        return self.lapse.date if self.lapse else None


def assess(cert: Certification, *, today: date) -> Assessment:
    label = f"{cert.title} {cert.number}".strip()
    problems = [f"{label}: {text}" for text in incomplete(cert)]
    found = lapse(cert) if not problems else None
    expiring = ""
    if found is not None and found.date < today:
        problems.append(
            str(
                _("%(cert)s lapsed on %(date)s: %(why)s. Upload %(instead)s.")
                % {"cert": label, "date": found.date, "why": found.why, "instead": found.instead}
            )
        )
    elif found is not None and found.date <= today + timedelta(days=settings.VETTED_CERT_EXPIRY_WARNING_DAYS):
        expiring = str(
            _(
                "%(cert)s lapses on %(date)s (%(why)s), within %(days)d days: an approval could not "
                "run past that date. Upload %(instead)s."
            )
            % {
                "cert": label,
                "date": found.date,
                "why": found.why,
                "instead": found.instead,
                "days": settings.VETTED_CERT_EXPIRY_WARNING_DAYS,
            }
        )
    return Assessment(found, problems, expiring)

"""The onboarding workflow: one function per transition (docs/architecture.md "Transitions live in services").

Each follows the same order: check the guard and raise WorkflowError, lock the rows and change state inside
one transaction, append the audit event, and queue side effects on commit."""

import functools
import secrets
from collections.abc import Callable
from datetime import date
from typing import TypeVar

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vendors import services as vendor_services
from vendors.models import Vendor
from vendors.people import person_name
from vendors.scope import Scope
from vendors.text import clean_text

from .access import DECIDING_ROLE, can_edit_review, decide_refusal, decider_check
from .audit import audit_record
from .current_stage import review_refresh_current_stage
from .errors import Detail, WorkflowError
from .models import (
    REQUEST_FILLED_QUESTION,
    REQUEST_VOLUME_QUESTION,
    STAGE_ORDER,
    Answer,
    DataTrait,
    Decision,
    DecisionOutcome,
    Evidence,
    ExpectedVolume,
    Question,
    QuestionnaireSubject,
    QuestionnaireTemplate,
    Review,
    ReviewState,
    SignOff,
    Stage,
    StageKind,
    StageState,
)
from .notifications import notify
from .notifications.renewals import renewal_open, renewal_opens_on
from .questionnaire.answers import review_rescore
from .reopening import reopenable
from .roles import Role, roles_of
from .scope_proposal import scope_proposed
from .submission import missing_content, sign_off_validity_cap


def _locked_stage(stage: Stage) -> Stage:
    """Lock the review, then the stage, always in that order so two transitions cannot deadlock."""
    Review.objects.select_for_update().filter(pk=stage.review_id).first()
    return Stage.objects.select_for_update().select_related("review", "review__vendor").get(pk=stage.pk)


_T = TypeVar("_T")


def _refusals_audited(action: str, attempted: str) -> Callable[[Callable[..., _T]], Callable[..., _T]]:
    """Every refused decision attempt (wrong role, own request, a role granted too recently, wrong password,
    wrong state, a stage decided meanwhile, a missing comment) is recorded, here and only here: the service's
    own transaction has rolled back by then, so the record is appended in a transaction of its own and
    survives the refusal. Then the error goes on to the caller."""

    def wrap(service: Callable[..., _T]) -> Callable[..., _T]:
        @functools.wraps(service)
        def run(*, actor, **kwargs) -> _T:
            try:
                return service(actor=actor, **kwargs)
            except WorkflowError as error:
                # Every audited service takes the stage it decides, or the review.
                target: Stage | Review = kwargs.get("stage") or kwargs["review"]
                review = target if isinstance(target, Review) else target.review
                data = {"reason": error.message, "code": error.code, "attempted": attempted}
                if isinstance(target, Stage):
                    data["stage"] = target.kind
                with transaction.atomic():
                    audit_record(
                        action=action,
                        actor=actor if getattr(actor, "pk", None) else None,
                        review=review,
                        obj=target,
                        data=data,
                    )
                raise

        return run

    return wrap


def _text(value: str) -> str:
    """Text typed by a user, stripped; refused when it holds control characters (vendors.text): it ends up in
    the dossier's HTML and CSS, in e-mails and in CSV exports."""
    return clean_text(value, error=lambda message: WorkflowError(message, code="text"), multiline=True)


def review_create(
    *,
    requester,
    vendor: Vendor,
    purpose: str,
    expected_volume: str,
    personal_data: str = "",
    data_traits=(),
    language: str = "zh-hans",
) -> Review:
    if Role.REQUESTER not in roles_of(requester):
        raise WorkflowError(_("Only members of Marketing (Requester) can request a vendor review."))
    template = _published_template(vendor)
    with transaction.atomic():
        # Guard on the locked vendor row, not the caller's copy: two requests for one vendor at once queue
        # here, and the second finds the first review under way.
        vendor = Vendor.objects.select_for_update().get(pk=vendor.pk)
        today = timezone.localdate()
        if vendor.is_approved_on(today) and not renewal_open(vendor, today=today):
            # A renewal may start within the window before the approval ends (reviews.notifications.renewals).
            # Approved for a scope, not for any use (docs/domain.md "Use"): the refusal says which, and that
            # another use is a scope extension, not a new review.
            raise WorkflowError(
                _(
                    "This vendor is already on the approved list until %(date)s, approved for: %(scope)s. A use "
                    "within that scope needs no new request; for another use, request a scope extension from "
                    "the vendor's page. A renewal can be requested from %(opens)s."
                )
                % {
                    "date": vendor.approved_until,
                    "opens": renewal_opens_on(vendor),
                    "scope": vendor.scope.labels().summary() or _("no recorded scope (ask Legal)"),
                },
                code="already_approved",
            )
        _refuse_if_under_way(vendor)
        vendor_services.vendor_reopen(vendor=vendor, actor=requester)
        review = _new_review(
            vendor=vendor,
            requester=requester,
            template=template,
            purpose=purpose,
            personal_data=personal_data,
            expected_volume=expected_volume,
            language=language,
            data_traits=data_traits,
        )
        audit_record(
            action="review.created",
            actor=requester,
            review=review,
            obj=review,
            data={
                "vendor": vendor.uscc,
                "purpose": review.purpose,
                "volume": expected_volume,
                "traits": review.data_traits,
            },
        )
    return review


def _published_template(vendor: Vendor) -> QuestionnaireTemplate:
    """The latest published questionnaire for the register entry: a vendor's, or an own channel's."""
    subject = QuestionnaireSubject.OWN_CHANNEL if vendor.is_own_channel else QuestionnaireSubject.VENDOR
    template = (
        QuestionnaireTemplate.objects.filter(subject=subject, is_active=True).order_by("-version").first()
    )
    if template is None:
        raise WorkflowError(_("No questionnaire is published."))
    return template


def _refuse_if_under_way(vendor: Vendor) -> None:
    open_review = vendor.reviews.filter(state__in=[ReviewState.DRAFT, ReviewState.IN_PROGRESS]).first()
    if open_review is not None:
        raise WorkflowError(
            _("Review %(number)s of this vendor is already under way.") % {"number": open_review.number},
            code="duplicate",
        )


def _new_review(
    *,
    vendor: Vendor,
    requester,
    template,
    purpose: str,
    personal_data: str,
    expected_volume: str,
    language: str,
    data_traits=(),
    catch_up: bool = False,
) -> Review:
    """The review row, its number and its four stages, the first open; inside the caller's transaction."""
    now = timezone.now()
    vendor_services.vendor_freeze_identity(vendor=vendor, actor=requester)
    review = Review.objects.create(
        number=f"tmp-{secrets.token_hex(6)}",
        vendor=vendor,
        requester=requester,
        template=template,
        purpose=_text(purpose),
        personal_data=_text(personal_data),
        expected_volume=expected_volume,
        data_traits=[trait for trait in DataTrait.values if trait in set(data_traits or ())],
        language=language,
        catch_up=catch_up,
    )
    review.number = f"VR-{now:%Y}-{review.pk:05d}"
    review.save(update_fields=["number"])
    # One fact, entered once: the credit code typed on the request is the answer to A1 (read-only there).
    filled = {
        question.code: question
        for question in Question.objects.filter(
            section__template=template, code__in=[REQUEST_FILLED_QUESTION, REQUEST_VOLUME_QUESTION]
        )
    }
    # An own channel has no credit code to fill in.
    if REQUEST_FILLED_QUESTION in filled and vendor.uscc:
        Answer.objects.create(
            review=review, question=filled[REQUEST_FILLED_QUESTION], detail=vendor.uscc, updated_by=requester
        )
    # And the volume given on the request is the first answer to A5 (its choices are the same), to change there
    # only when the vendor handles more people in all.
    volume_question = filled.get(REQUEST_VOLUME_QUESTION)
    if volume_question is not None and expected_volume in {c["value"] for c in volume_question.choices or ()}:
        Answer.objects.create(
            review=review, question=volume_question, value=expected_volume, updated_by=requester
        )
    review_rescore(review)  # the request alone may set a floor (questionnaire.tiering)
    Stage.objects.bulk_create(
        Stage(
            review=review,
            kind=kind,
            order=i,
            state=StageState.OPEN if i == 1 else StageState.LOCKED,
            opened_at=now if i == 1 else None,
        )
        for i, kind in enumerate(STAGE_ORDER, start=1)
    )
    review_refresh_current_stage(review)
    return review


def review_open_catch_up(*, vendor: Vendor, requester, due: date, actor) -> Review:
    """Legal opens the catch-up review (补齐审核) of a platform in use, assigned to its business owner as
    requester, due by `due`. The vendor stays in use, not vetted, and off the approved list until the
    review is signed off like any other (I1)."""
    if Role.LEGAL not in roles_of(actor):
        raise WorkflowError(_("Only Legal opens catch-up reviews."), code="forbidden")
    if requester is None or Role.REQUESTER not in roles_of(requester) or not requester.is_active:
        raise WorkflowError(
            _(
                "%(vendor)s has no business owner in Marketing (Requester) to answer the review: "
                "set one on the vendor first."
            )
            % {"vendor": vendor.name_zh},
            code="owner",
        )
    template = _published_template(vendor)
    with transaction.atomic():
        vendor = Vendor.objects.select_for_update().get(pk=vendor.pk)
        _refuse_if_under_way(vendor)
        try:
            vendor = vendor_services.vendor_set_catch_up_due(vendor=vendor, due=due)
        except vendor_services.VendorError as error:
            raise WorkflowError(str(error), code="state") from None
        review = _new_review(
            vendor=vendor,
            requester=requester,
            template=template,
            catch_up=True,
            language="zh-hans",
            purpose=_("Catch-up review (补齐审核) of a platform already in use: %(systems)s")
            % {"systems": vendor.connected_systems or vendor.get_category_display()},
            personal_data="",
            expected_volume=vendor.individuals or ExpectedVolume.UNDER_100K,
        )
        event = audit_record(
            action="review.catch_up_opened",
            actor=actor,
            review=review,
            obj=review,
            data={"vendor": vendor.uscc, "requester": requester.get_username(), "due": due},
        )
        notify.catch_up_opened(event)
    return review


def review_withdraw(*, review: Review, actor, reason: str = "") -> Review:
    reason = _text(reason)
    with transaction.atomic():
        review = Review.objects.select_for_update().get(pk=review.pk)
        if review.requester_id != actor.pk:
            raise WorkflowError(_("Only the requester can withdraw a request."), code="forbidden")
        if not review.is_open:
            raise WorkflowError(_("This review is already closed."), code="state")
        _review_closed(review, ReviewState.WITHDRAWN, timezone.now())
        event = audit_record(
            action="review.withdrawn", actor=actor, review=review, obj=review, data={"reason": reason}
        )
        notify.review_withdrawn(event)
    return review


def stage_submit(*, stage: Stage, actor) -> Stage:
    with transaction.atomic():
        stage = _locked_stage(stage)
        review = stage.review
        if not can_edit_review(actor, review):
            raise WorkflowError(
                _("Only the requester can submit the stages of an open review."), code="forbidden"
            )
        if stage.kind == StageKind.SIGN_OFF:
            raise WorkflowError(
                _("The sign-off is given by Legal; there is nothing to submit."), code="state"
            )
        if stage.state not in (StageState.OPEN, StageState.RETURNED):
            raise WorkflowError(
                _("The stage “%(stage)s” is %(state)s and cannot be submitted.")
                % {"stage": stage.get_kind_display(), "state": stage.get_state_display()},
                code="state",
            )
        missing = missing_content(stage)
        if missing:
            raise WorkflowError(
                _("The stage cannot be submitted yet: something required is missing."),
                code="incomplete",
                details=missing,
            )
        now = timezone.now()
        Evidence.objects.filter(stage=stage, round=stage.round).update(frozen=True)
        if stage.kind == StageKind.SECURITY:
            vendor_services.certifications_freeze(
                certification_ids=stage.certifications.values_list("pk", flat=True)
            )
        stage.state = StageState.SUBMITTED
        stage.submitted_at = now
        stage.submitted_by = actor
        stage.save(update_fields=["state", "submitted_at", "submitted_by"])
        review_refresh_current_stage(review)
        if review.state == ReviewState.DRAFT:
            review.state = ReviewState.IN_PROGRESS
            review.save(update_fields=["state", "updated_at"])
        audit_record(
            action="stage.submitted",
            actor=actor,
            review=review,
            obj=stage,
            data={"stage": stage.kind, "round": stage.round},
        )
        review_rescore(review, actor=actor, cause="stage.submitted")  # the files are frozen as submitted
        notify.stage_submitted(stage)
    return stage


def _check_decider(stage: Stage, *, actor) -> None:
    """I4, checked before any lock: not the review's requester, the deciding role, and the rule every decision
    shares (reviews.access.decider_check): no superuser, no password set by someone else, no role or account
    changed too recently (VETTED_ROLE_GRANT_WAIT_HOURS)."""
    not_decider = decide_refusal(actor, stage)
    if not_decider is not None:
        raise WorkflowError(not_decider, code="forbidden")
    refusal = decider_check(actor, DECIDING_ROLE[stage.kind])
    if refusal is not None:
        raise WorkflowError(refusal.message, code=refusal.code)


def _refuse_unless_decidable(stage: Stage) -> None:
    """On a locked stage: refuse unless it waits for a decision. Two reviewers deciding at once queue on the
    row lock; the second finds the stage decided and is told by whom (I8)."""
    review = stage.review
    if stage.state != StageState.SUBMITTED or not review.is_open:
        last = None
        if stage.state in (StageState.PASSED, StageState.RETURNED, StageState.FAILED):
            # A return has already moved the stage to its next round: look at the latest decision of any round.
            last = stage.decisions.select_related("decided_by").order_by("-round", "-pk").first()
        if last is not None:
            raise WorkflowError(
                _(
                    "%(user)s already decided this stage (%(outcome)s) at %(time)s; your decision was not recorded."
                )
                % {
                    "user": person_name(last.decided_by),
                    "outcome": last.get_outcome_display(),
                    "time": timezone.localtime(last.decided_at).strftime("%Y-%m-%d %H:%M"),
                },
                code="already_decided",
            )
        raise WorkflowError(
            _("The stage “%(stage)s” is %(state)s: there is nothing to decide.")
            % {"stage": stage.get_kind_display(), "state": stage.get_state_display()},
            code="state",
        )


def _decide(stage: Stage, *, actor, outcome: str, comment: str, reopened=()) -> Decision:
    """Record a decision on a locked stage; the caller then moves the states on."""
    _refuse_unless_decidable(stage)
    try:
        with transaction.atomic():
            return Decision.objects.create(
                stage=stage,
                round=stage.round,
                outcome=outcome,
                comment=comment,
                decided_by=actor,
                reopened=list(reopened),
            )
    except IntegrityError:
        raise WorkflowError(
            _("Someone else decided this stage a moment ago; your decision was not recorded."),
            code="already_decided",
        ) from None


def _stage_decided(stage: Stage, state: str, now) -> None:
    stage.state = state
    stage.decided_at = now
    stage.save(update_fields=["state", "decided_at"])


def _review_closed(review: Review, state: str, now) -> None:
    """Close `review` in `state` (withdrawn, rejected, approved) at `now`: no stage of it is current any more."""
    review.state = state
    review.closed_at = now
    review.save(update_fields=["state", "closed_at", "updated_at"])
    review_refresh_current_stage(review)


def _open_next(stage: Stage, now) -> None:
    following = Stage.objects.select_for_update().get(review_id=stage.review_id, order=stage.order + 1)
    # The sign-off has no requester content: it goes straight to Legal's desk.
    following.state = StageState.SUBMITTED if following.kind == StageKind.SIGN_OFF else StageState.OPEN
    following.opened_at = now
    if following.kind == StageKind.SIGN_OFF:
        following.submitted_at = now
    following.save(update_fields=["state", "opened_at", "submitted_at"])


@_refusals_audited("stage.decision_refused", DecisionOutcome.PASSED)
def stage_pass(*, stage: Stage, actor, comment: str = "") -> Stage:
    comment = _text(comment)
    _check_decider(stage, actor=actor)
    with transaction.atomic():
        stage = _locked_stage(stage)
        if stage.kind == StageKind.SIGN_OFF:
            raise WorkflowError(_("The last stage passes only by a legal sign-off."), code="state")
        # Checked before the red flags: whoever lost a race is told who decided, not what the answers say (I8).
        _refuse_unless_decidable(stage)
        if stage.kind == StageKind.QUESTIONNAIRE:
            from .questionnaire.scoring import evaluate_review

            result = evaluate_review(stage.review)
            if result.red_flags:
                # I3: a red flag is an automatic blocker; the reviewer returns or fails the stage instead.
                raise WorkflowError(
                    _("The questionnaire has %(n)d red flag(s) and cannot pass: %(codes)s.")
                    % {"n": len(result.red_flags), "codes": ", ".join(f.code for f in result.red_flags)},
                    code="red_flag",
                    details=[Detail(f.message) for f in result.red_flags],
                )
        decision = _decide(stage, actor=actor, outcome=DecisionOutcome.PASSED, comment=comment)
        now = timezone.now()
        _stage_decided(stage, StageState.PASSED, now)
        _open_next(stage, now)
        review_refresh_current_stage(stage.review)
        audit_record(
            action="stage.passed",
            actor=actor,
            review=stage.review,
            obj=stage,
            data={"stage": stage.kind, "round": stage.round, "comment": comment},
        )
        notify.stage_passed(decision)
    return stage


@_refusals_audited("stage.decision_refused", DecisionOutcome.RETURNED)
def stage_return(*, stage: Stage, actor, comment: str, reopen=()) -> Stage:
    """Send a stage back for changes. `reopen` names what must change (question codes of the questionnaire,
    evidence kinds of the data-source stage): only those reopen; every answer and file given stays counted
    (reviews.reopening). Nothing named reopens the whole stage, still keeping what was given."""
    comment = _text(comment)
    if not comment:
        raise WorkflowError(
            _("Say what must change: a comment is required to return a stage."), code="comment"
        )
    _check_decider(stage, actor=actor)
    reopen = reopenable(stage, reopen)
    with transaction.atomic():
        stage = _locked_stage(stage)
        if stage.kind == StageKind.SIGN_OFF:
            raise WorkflowError(
                _("The sign-off cannot be returned; fail it with a reason instead."), code="state"
            )
        decision = _decide(
            stage, actor=actor, outcome=DecisionOutcome.RETURNED, comment=comment, reopened=reopen
        )
        stage.state = StageState.RETURNED
        stage.decided_at = timezone.now()
        stage.round += 1
        stage.save(update_fields=["state", "decided_at", "round"])
        review_refresh_current_stage(stage.review)
        audit_record(
            action="stage.returned",
            actor=actor,
            review=stage.review,
            obj=stage,
            data={"stage": stage.kind, "round": stage.round - 1, "comment": comment, "reopen": reopen},
        )
        review_rescore(
            stage.review, actor=actor, cause="stage.returned"
        )  # a new round: earlier files superseded
        notify.stage_returned(decision)
    return stage


@_refusals_audited("stage.decision_refused", DecisionOutcome.RETURNED)
def sign_off_return_security(*, review: Review, actor, comment: str) -> Stage:
    """From the sign-off, send the security stage back for a current certificate: the way on when no
    approval can be signed because a certificate lapses today or earlier. The sign-off waits (locked) until
    Security passes the stage again. Decided by whoever may sign off (Legal), never the requester (I4)."""
    comment = _text(comment)
    if not comment:
        raise WorkflowError(
            _("Say what must change: a comment is required to return a stage."), code="comment"
        )
    sign_off = Stage.objects.select_related("review").get(review=review, kind=StageKind.SIGN_OFF)
    _check_decider(sign_off, actor=actor)
    with transaction.atomic():
        sign_off = _locked_stage(sign_off)
        decision = _decide(sign_off, actor=actor, outcome=DecisionOutcome.RETURNED, comment=comment)
        security = Stage.objects.select_for_update().get(review=review, kind=StageKind.SECURITY)
        now = timezone.now()
        sign_off.state, sign_off.decided_at, sign_off.round = StageState.LOCKED, now, sign_off.round + 1
        sign_off.save(update_fields=["state", "decided_at", "round"])
        security.state, security.decided_at, security.round = StageState.RETURNED, now, security.round + 1
        security.save(update_fields=["state", "decided_at", "round"])
        review_refresh_current_stage(review)
        audit_record(
            action="stage.returned",
            actor=actor,
            review=sign_off.review,
            obj=security,
            data={
                "stage": security.kind,
                "round": security.round - 1,
                "comment": comment,
                "from": StageKind.SIGN_OFF.value,
            },
        )
        review_rescore(review, actor=actor, cause="stage.returned")
        notify.stage_returned(decision)
    return security


@_refusals_audited("stage.decision_refused", DecisionOutcome.FAILED)
def stage_fail(*, stage: Stage, actor, reason: str) -> Stage:
    reason = _text(reason)
    if not reason:
        raise WorkflowError(_("Give the reason: failing a stage rejects the whole review."), code="comment")
    _check_decider(stage, actor=actor)
    with transaction.atomic():
        stage = _locked_stage(stage)
        decision = _decide(stage, actor=actor, outcome=DecisionOutcome.FAILED, comment=reason)
        now = timezone.now()
        _stage_decided(stage, StageState.FAILED, now)
        review = stage.review
        _review_closed(review, ReviewState.REJECTED, now)
        audit_record(
            action="stage.failed",
            actor=actor,
            review=review,
            obj=stage,
            data={"stage": stage.kind, "round": stage.round, "reason": reason},
        )
        notify.stage_failed(decision)
        vendor_services.vendor_reject(vendor=review.vendor, actor=actor, reason=reason)
    return stage


@_refusals_audited("signoff.refused", "signed_off")
def review_sign_off(
    *,
    review: Review,
    actor,
    password: str,
    statement: str,
    conditions: str = "",
    valid_until: date | None = None,
    scope: Scope | None = None,
) -> SignOff:
    """Legal signs: the vendor is admitted for `scope` (by default the proposal of reviews.scope_proposal)
    until `valid_until`."""
    statement, conditions = _text(statement), _text(conditions)
    if not statement:
        raise WorkflowError(_("Write the sign-off statement."), code="statement")
    stage = Stage.objects.select_related("review").get(review=review, kind=StageKind.SIGN_OFF)
    _check_decider(stage, actor=actor)
    if not actor.check_password(password or ""):
        raise WorkflowError(_("The password is not correct; nothing was signed."), code="password")
    with transaction.atomic():
        # The review first, as an identity correction does (reviews.correction): one that got there first has
        # returned the stages by now, and the sign-off is refused for it, naming it.
        stage = _locked_stage(stage)
        review = stage.review
        if stage.state != StageState.SUBMITTED:
            from .correction import review_refusal_after_correction

            refusal = review_refusal_after_correction(review)
            if refusal is not None:
                raise WorkflowError(refusal, code="identity_corrected")
        earlier = list(Stage.objects.filter(review=review).exclude(pk=stage.pk))
        if any(s.state != StageState.PASSED for s in earlier):
            raise WorkflowError(_("Every earlier stage must pass before the sign-off."), code="state")
        today = timezone.localdate()
        cap = sign_off_validity_cap(review, today=today)
        if valid_until is None:
            valid_until = cap.proposed
        if valid_until <= today:
            raise WorkflowError(_("The validity must end after today."), code="validity")
        if valid_until > cap.date:
            raise WorkflowError(
                _("The approval can be valid until %(cap)s at the latest (%(why)s).")
                % {"cap": cap.date, "why": cap.reason},
                code="validity",
            )
        if scope is None:
            scope = scope_proposed(review)
        if scope.is_empty:
            raise WorkflowError(
                _("Name at least one purpose, channel, data category or audience the approval covers."),
                code="scope",
            )
        _decide(stage, actor=actor, outcome=DecisionOutcome.PASSED, comment=statement)
        now = timezone.now()
        sign_off = SignOff.objects.create(
            review=review,
            number=f"VD-{now:%Y}-{review.pk:05d}",
            signed_by=actor,
            signed_at=now,
            statement=statement,
            conditions=conditions,
            valid_until=valid_until,
            scope=scope.as_json(),
        )
        _stage_decided(stage, StageState.PASSED, now)
        _review_closed(review, ReviewState.APPROVED, now)
        audit_record(
            action="review.signed_off",
            actor=actor,
            review=review,
            obj=sign_off,
            data={
                "number": sign_off.number,
                "valid_until": valid_until,
                "conditions": sign_off.conditions,
                "scope": sign_off.scope,
            },
        )
        notify.review_approved(sign_off)
        vendor_services.vendor_admit(
            vendor=review.vendor,
            admission=review,
            valid_until=valid_until,
            reference=sign_off.number,
            risk_tier=review.risk_tier,
            actor=actor,
            scope=scope,
        )
        from .dossier.services import dossier_request

        dossier_request(review=review, actor=actor)
    return sign_off

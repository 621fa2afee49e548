"""Write the approval dossier of a review to a PDF file, synchronously, with the renderer the task uses.

    python manage.py dossier REVIEW -o FILE.pdf     (REVIEW: the id, the review number or the dossier number)
    python manage.py dossier REVIEW -o FILE.pdf --reissue --by USERNAME --reason "..."

By default an UNSIGNED COPY for reading, marked so on its cover and naming the signed dossier kept in the
application: nothing is stored and nothing is audited, and it proves nothing. With --reissue, a signed
dossier is issued again: a new dossier row, generated, signed and stored like the sign-off's, audited as
requested, generated and re-issued (with who asked and why), and written to FILE.pdf as well.
"""

import hashlib
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from reviews.dossier.render import DossierNotAvailable, dossier_render
from reviews.dossier.services import dossier_reissue
from reviews.errors import WorkflowError
from reviews.models import Review, ReviewState
from vendors.models import private_storage


class Command(BaseCommand):
    help = "Write an unsigned copy of the approval dossier of an approved review, or re-issue it signed."

    def add_arguments(self, parser):
        parser.add_argument("review", help="review id, review number (VR-...) or dossier number (VD-...)")
        parser.add_argument("-o", "--output", required=True, help="the PDF file to write")
        parser.add_argument(
            "--reissue",
            action="store_true",
            help="issue a signed dossier again: recorded and audited like the sign-off's",
        )
        parser.add_argument("--by", default="", help="with --reissue: the username of who asks for it")
        parser.add_argument("--reason", default="", help="with --reissue: why (kept in the audit trail)")

    def handle(self, *args, review, output, reissue, by, reason, **options):
        found = self._review(review)
        target = Path(output)
        if reissue:
            pdf, line = self._reissue(found, by=by, reason=reason)
        else:
            try:
                rendered = dossier_render(found, copy=True)
            except DossierNotAvailable as exc:
                raise CommandError(str(exc)) from None
            pdf = rendered[1]
            line = (
                f"{getattr(rendered, 'embedded', 0)} files embedded  UNSIGNED COPY (not the signed dossier)"
            )
        try:
            target.write_bytes(pdf)
        except OSError as exc:
            raise CommandError(f"Cannot write {target}: {exc}") from None
        self.stdout.write(f"{target}  {len(pdf)} bytes  sha256 {hashlib.sha256(pdf).hexdigest()}  {line}")

    def _review(self, review: str) -> Review:
        lookup = Q(number=review) | Q(sign_off__number=review)
        if review.isdigit():
            lookup |= Q(pk=int(review))
        found = Review.objects.filter(lookup).first()
        if found is None:
            raise CommandError(f"No review {review!r}.")
        if found.state != ReviewState.APPROVED:
            raise CommandError(
                f"Review {found.number} is {found.get_state_display()}, not approved: "
                "only an approved review has a dossier."
            )
        return found

    def _reissue(self, review: Review, *, by: str, reason: str) -> tuple[bytes, str]:
        if not by or not reason:
            raise CommandError("--reissue needs --by USERNAME and --reason: the audit trail records both.")
        actor = get_user_model().objects.filter(username=by, is_active=True).first()
        if actor is None:
            raise CommandError(f"No active user {by!r}.")
        try:
            dossier = dossier_reissue(review=review, actor=actor, reason=reason)
        except WorkflowError as exc:
            raise CommandError(str(exc)) from None
        with private_storage().open(dossier.file.name, "rb") as handle:
            pdf = handle.read()
        signed = (
            f"signed by {dossier.signer} (SHA-256 {dossier.signer_fingerprint})"
            if dossier.signed
            else "UNSIGNED"
        )
        return pdf, f"re-issued as dossier #{dossier.pk}, {dossier.pades_level or 'unsigned'}, {signed}"

"""Write the approval dossier of a review to a PDF file, synchronously, with the renderer the task uses.

    python manage.py dossier REVIEW -o FILE.pdf     (REVIEW: the id, the review number or the dossier number)

For operators and checks: nothing is stored in the application and nothing is audited."""

import hashlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from reviews.dossier.render import DossierNotAvailable, dossier_render
from reviews.dossier.signing import UNSIGNED
from reviews.models import Review, ReviewState


class Command(BaseCommand):
    help = "Write the approval dossier of an approved review to a PDF file."

    def add_arguments(self, parser):
        parser.add_argument("review", help="review id, review number (VR-...) or dossier number (VD-...)")
        parser.add_argument("-o", "--output", required=True, help="the PDF file to write")

    def handle(self, *args, review, output, **options):
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
        try:
            rendered = dossier_render(found)
            pdf = rendered[1]
        except DossierNotAvailable as exc:
            raise CommandError(str(exc)) from None
        target = Path(output)
        try:
            target.write_bytes(pdf)
        except OSError as exc:
            raise CommandError(f"Cannot write {target}: {exc}") from None
        signature = getattr(rendered, "signature", UNSIGNED)
        self.stdout.write(
            f"{target}  {len(pdf)} bytes  sha256 {hashlib.sha256(pdf).hexdigest()}  "
            f"{getattr(rendered, 'embedded', 0)} files embedded  "
            + (f"signed by {signature.signer}" if signature.signed else "UNSIGNED")
        )

"""A dossier altered by an incremental update after it was signed: the signed bytes stay intact and the new
revision, appended after them, is what a PDF reader shows. `pdfsig` still says "Signature is Valid" (and, on a
line of its own, "Not total document signed"); `verify_dossier` fails it. So the README and docs/operations.md
tell auditors to use verify_dossier, or pyHanko's validator, and say why pdfsig alone does not see it."""

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pypdf import PdfReader

from reviews.dossier.services import dossier_generate_now
from reviews.models import Dossier
from tests.builders import approved_review
from vendors.models import private_storage

pytestmark = pytest.mark.django_db

FORGED = "APPROVED UNTIL 2099"


def rewritten_cover(pdf: bytes) -> bytes:
    """The dossier with its first page's content replaced, as an incremental update after the signature."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    page_ref, _resources = writer.find_page_for_modification(0)
    page = page_ref.get_object()
    font = writer.add_object(
        generic.DictionaryObject(
            {
                generic.NameObject("/Type"): generic.NameObject("/Font"),
                generic.NameObject("/Subtype"): generic.NameObject("/Type1"),
                generic.NameObject("/BaseFont"): generic.NameObject("/Helvetica"),
            }
        )
    )
    page["/Resources"] = generic.DictionaryObject(
        {generic.NameObject("/Font"): generic.DictionaryObject({generic.NameObject("/F9"): font})}
    )
    content = generic.StreamObject(stream_data=f"BT /F9 24 Tf 72 700 Td ({FORGED}) Tj ET".encode())
    page["/Contents"] = writer.add_object(content)
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def altered(requester, legal, security, signing, tmp_path) -> Path:
    review = approved_review(requester, legal=legal, security=security)
    dossier = dossier_generate_now(dossier_id=Dossier.objects.get(review=review).pk)
    with private_storage().open(dossier.file.name, "rb") as handle:
        pdf = handle.read()
    path = tmp_path / "dossier.pdf"
    path.write_bytes(rewritten_cover(pdf))
    return path


def test_the_alteration_is_what_a_reader_sees(altered):
    assert FORGED in PdfReader(str(altered)).pages[0].extract_text()


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="needs pdfsig (poppler-utils)")
def test_pdfsig_still_calls_the_signature_valid(altered):
    result = subprocess.run(["pdfsig", str(altered)], capture_output=True, text=True, check=False)

    assert result.returncode == 0
    assert "Signature Validation: Signature is Valid." in result.stdout
    assert "Not total document signed" in result.stdout  # the only hint, on a line of its own


def test_verify_dossier_fails_it_and_says_what_changed(altered, capsys):
    with pytest.raises(CommandError) as failed:
        call_command("verify_dossier", str(altered), "--no-db")

    assert failed.value.returncode == 1
    assert "CHANGED: content was added or altered after signing" in capsys.readouterr().out


@pytest.mark.parametrize("document", ["README.md", "docs/operations.md"])
def test_auditors_are_told_to_use_verify_dossier_and_why_pdfsig_is_not_enough(document):
    text = " ".join((Path(settings.BASE_DIR) / document).read_text().split())

    assert "verify_dossier" in text and "pyhanko sign adesverify" in text
    assert "Not total document signed" in text and "incremental update" in text
    # pdfsig is never offered as a check on its own.
    assert not re.search(r"or (with )?`pdfsig FILE\.pdf`", text)

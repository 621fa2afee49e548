"""Every user-facing message has a zh_Hans translation: none untranslated, none fuzzy, and the catalogue
is up to date with the code (a message in the code but missing from the .po file fails too)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _entries(po_text: str):
    """Yield (msgid, msgstr_parts, flags) from a .po file, enough to check completeness."""
    import re

    for block in po_text.split("\n\n"):
        lines = block.strip().splitlines()
        if not any(line.startswith("msgid") for line in lines):
            continue
        flags = " ".join(line for line in lines if line.startswith("#,"))
        msgid = "".join(re.findall(r'^(?:msgid|msgid_plural)? ?"(.*)"$', "\n".join(
            line for line in lines if not line.startswith("msgstr") and not line.startswith("#")), re.M))
        msgstrs = re.findall(r'^msgstr(?:\[\d\])? "(.*)"((?:\n".*")*)', "\n".join(
            line for line in lines if not line.startswith("#")), re.M)
        yield msgid, ["".join([a, *re.findall(r'"(.*)"', b)]) for a, b in msgstrs], flags


def test_the_chinese_catalogue_has_no_untranslated_or_fuzzy_message():
    text = PO.read_text(encoding="utf-8")
    problems = [msgid for msgid, strs, flags in _entries(text)
                if msgid and (not strs or any(not s for s in strs) or "fuzzy" in flags)]
    assert problems == []


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext is installed by make install")
def test_msgfmt_reports_every_message_translated():
    result = subprocess.run(["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(PO)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


def test_the_catalogue_covers_every_message_in_the_code(tmp_path):
    """makemessages on a copy of the source: any new msgid is a string in the code nobody translated.
    (On the real tree makemessages would rewrite the real catalogue, so it runs on a copy.)"""
    base = Path(settings.BASE_DIR)
    copy = tmp_path / "src"
    shutil.copytree(base, copy, ignore=shutil.ignore_patterns(".venv", "var", ".git", "tests", "bench",
                                                              "__pycache__", "test-artifacts", "static"))
    copied_po = copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    before = {m for m, _, _ in _entries(copied_po.read_text("utf-8"))}
    subprocess.run([sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete", "-v", "0"],
                   cwd=copy, check=True, env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"})
    after = {m for m, _, _ in _entries(copied_po.read_text("utf-8"))}
    assert sorted(after - before) == []

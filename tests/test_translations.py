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
    """Yield (msgid, msgstr_parts, flags) from a .po file, enough to check completeness. A string continued
    on the next lines ("...") belongs to the keyword above it (msgctxt, msgid, msgid_plural, msgstr[n])."""
    import re

    for block in po_text.split("\n\n"):
        parts: dict[str, str] = {}
        keyword = None
        flags = ""
        for line in block.strip().splitlines():
            if line.startswith("#,"):
                flags += line
            elif line.startswith("#"):
                continue
            elif match := re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) "(.*)"$', line):
                keyword = match.group(1)
                parts[keyword] = match.group(2)
            elif keyword and (match := re.match(r'^"(.*)"$', line)):
                parts[keyword] += match.group(1)
        if "msgid" not in parts:
            continue
        msgid = parts.get("msgctxt", "") + "\x04" * ("msgctxt" in parts) + parts["msgid"]
        yield msgid, [value for key, value in parts.items() if key.startswith("msgstr")], flags


def test_the_chinese_catalogue_has_no_untranslated_or_fuzzy_message():
    text = PO.read_text(encoding="utf-8")
    problems = [
        msgid
        for msgid, strs, flags in _entries(text)
        if msgid and (not strs or any(not s for s in strs) or "fuzzy" in flags)
    ]
    assert problems == []


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext is installed by make install")
def test_msgfmt_reports_every_message_translated():
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(PO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


def test_the_catalogue_covers_every_message_in_the_code(tmp_path):
    """makemessages on a copy of the source: any new msgid is a string in the code nobody translated.
    (On the real tree makemessages would rewrite the real catalogue, so it runs on a copy.)"""
    base = Path(settings.BASE_DIR)
    copy = tmp_path / "src"
    shutil.copytree(
        base,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", "var", ".git", "tests", "bench", "__pycache__", "test-artifacts", "static"
        ),
    )
    copied_po = copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    before = {m for m, _, _ in _entries(copied_po.read_text("utf-8"))}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete", "-v", "0"],
        cwd=copy,
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
    )
    after = {m for m, _, _ in _entries(copied_po.read_text("utf-8"))}
    assert sorted(after - before) == []


# The gettext functions the code calls, and the position of the message among their arguments (after the
# context for pgettext).
GETTEXT_CALLS = {
    **dict.fromkeys(("gettext", "gettext_lazy", "gettext_noop", "_", "ngettext", "ngettext_lazy"), 0),
    **dict.fromkeys(("pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy"), 1),
}
NOT_THE_PRODUCT = {".venv", "var", "tests", "bench", "test-artifacts", "static"}


def _po_escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")


def _messages_in_the_code():
    """(msgid as the catalogue keys it, where) of every gettext call with a literal message in the product's
    Python, read from its syntax tree, so a call inside an f-string counts too: xgettext does not read
    f-strings, so makemessages neither adds such a message nor keeps it."""
    import ast

    base = Path(settings.BASE_DIR)
    for path in sorted(base.rglob("*.py")):
        where = path.relative_to(base)
        if where.parts[0] in NOT_THE_PRODUCT or "migrations" in where.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            at = GETTEXT_CALLS.get(name or "")
            literals = [a.value if isinstance(a, ast.Constant) else None for a in node.args[: (at or 0) + 1]]
            if at is None or len(literals) <= at or not all(isinstance(v, str) for v in literals):
                continue
            context = f"{literals[0]}\x04" if at else ""
            yield _po_escaped(context + literals[at]), f"{where}:{node.lineno}"


def test_every_message_the_code_asks_for_is_in_the_catalogue():
    catalogue = {msgid for msgid, _, _ in _entries(PO.read_text(encoding="utf-8"))}
    found = list(_messages_in_the_code())

    assert len(found) > 1000  # the walk reads the product's code
    assert [(msgid, where) for msgid, where in found if msgid not in catalogue] == []

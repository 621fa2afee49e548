"""The project's own documentation is where the code says it is.

Code, templates, the README and the docs themselves cite docs/ as a file and, optionally, a section in quotes
right after it (docs/domain.md "Use"). A citation of a file that does not exist, or of a section that is not a
heading of that file, fails here, naming where it was made; so does a citation of a document outside the
repository. A citation may run over a line break, as comments and docstrings wrap: the section's words are read
across it, a comment's leading "#" left out."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"

SKIPPED_DIRS = {".git", ".venv", "var", "node_modules", "test-artifacts", "__pycache__", "locale"}
SCANNED_SUFFIXES = {".py", ".html", ".txt", ".md", ".toml", ".js", ".css", ".cfg", ".ini", ".yml", ".yaml"}
SCANNED_NAMES = {"Makefile", "run"}

# docs/<file>.md, then optionally whitespace (a line break with a comment's "#" included) and a section in
# straight or curly quotes, a backslash before a quote allowed (a Python string).
CITATION = re.compile(
    r"docs/(?P<file>[\w.-]+?)\.md`?"
    r"(?:(?:[ \t]+|[ \t]*\n[ \t]*(?:#[ \t]*)?)\\?[\"“](?P<section>[^\"”\\]{1,120}?)\\?[\"”])?"
)
HEADING = re.compile(r"^#{1,6}[ \t]+(?P<text>.+?)[ \t]*#*[ \t]*$")
FENCE = re.compile(r"^[ \t]*(```|~~~)")


def _section_words(raw: str) -> str:
    """The section as written, across a line break: one space for the break, a comment's "#" dropped."""
    return re.sub(r"[ \t]*\n[ \t]*(?:#[ \t]*)?", " ", raw).strip()


def citations_in(text: str) -> list[tuple[str, str, int]]:
    """(file, section or "", line) for each citation of docs/ in `text`."""
    found = []
    for match in CITATION.finditer(text):
        section = _section_words(match.group("section")) if match.group("section") else ""
        found.append((match.group("file") + ".md", section, text.count("\n", 0, match.start()) + 1))
    return found


def headings_of(path: Path) -> list[str]:
    """The Markdown headings of a file, outside fenced code blocks."""
    headings, fenced = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced and (match := HEADING.match(line)):
            headings.append(match.group("text"))
    return headings


def scanned_files():
    for path in sorted(ROOT.rglob("*")):
        relative = path.relative_to(ROOT)
        if any(part in SKIPPED_DIRS for part in relative.parts[:-1]) or not path.is_file():
            continue
        if relative.parts[0] == "static" and len(relative.parts) > 1 and relative.parts[1] == "vendor":
            continue
        if path.suffix in SCANNED_SUFFIXES or path.name in SCANNED_NAMES:
            yield path, relative


def all_citations():
    for path, relative in scanned_files():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for file, section, line in citations_in(text):
            yield f"{relative}:{line}", file, section


def test_the_parser_reads_a_file_and_its_section_in_each_written_form():
    text = (
        'see docs/domain.md "Use"; docs/architecture.md alone\n'
        '    # docs/operations.md\n    # "What to keep\n    # apart"\n'
        "'AICPA; docs/domain.md \\\"Certificates\\\"'\n"
        "the `docs/domain.md` “Working days”\n"
        'path = "docs/domain.md" if x else "other"\n'
    )
    assert citations_in(text) == [
        ("domain.md", "Use", 1),
        ("architecture.md", "", 1),
        ("operations.md", "What to keep apart", 2),
        ("domain.md", "Certificates", 5),
        ("domain.md", "Working days", 6),
        ("domain.md", "", 7),
    ]


def test_the_code_cites_the_docs_and_the_docs_exist():
    cited = {file for _where, file, _section in all_citations()}
    assert {"architecture.md", "domain.md", "operations.md"} <= cited
    for name in ("architecture.md", "domain.md", "operations.md"):
        assert headings_of(DOCS / name), name


def test_every_cited_docs_file_exists():
    missing = sorted(
        {f"{where}: docs/{file}" for where, file, _section in all_citations() if not (DOCS / file).is_file()}
    )
    assert not missing, "cited, but not in docs/:\n" + "\n".join(missing)


def test_every_cited_section_is_a_heading_of_its_file():
    headings = {path.name: set(headings_of(path)) for path in DOCS.glob("*.md")}
    wrong = []
    for where, file, section in all_citations():
        if section and file in headings and section not in headings[file]:
            wrong.append(
                f'{where}: docs/{file} "{section}" (its headings: {", ".join(sorted(headings[file]))})'
            )
    assert not wrong, "cited sections that are not headings:\n" + "\n".join(wrong)


@pytest.mark.parametrize("name", ["architecture.md", "domain.md", "operations.md"])
def test_a_section_name_points_to_one_heading(name):
    headings = headings_of(DOCS / name)
    repeated = sorted({heading for heading in headings if headings.count(heading) > 1})
    assert not repeated, f"docs/{name} repeats headings: {repeated}"


def test_nothing_cites_a_document_outside_the_repository():
    # Spelled in pieces, so that this file does not cite them itself.
    outside = re.compile(
        "|".join(
            re.escape(name)
            for name in ("DESIGN" + ".md", "DOMAIN" + ".md", "STYLE" + ".md", "../" + "shared")
        )
    )
    found = []
    for path, relative in scanned_files():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for match in outside.finditer(text):
            found.append(f"{relative}:{text.count(chr(10), 0, match.start()) + 1}: {match.group(0)}")
    assert not found, "cite docs/ instead of:\n" + "\n".join(found)

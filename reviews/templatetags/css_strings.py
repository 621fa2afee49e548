"""CSS string literals from any text, for values a template puts inside <style> (the dossier's running
header and footer, templates/dossier/_style.html).

Inside <style> nothing is HTML-escaped, and a CSS string ends at its quote or at a line break: a carriage
return or form feed in a vendor's name would end the string and let the rest of the name be read as style
rules (body { display: none } hides every page). So every character that is not plainly safe is written as a
CSS hex escape (\\d, \\c, \\22, \\3c ...): quotes, backslashes, < > & (a </style> must not close the element),
all control characters and the Unicode line separators. Letters of any script, digits and ordinary
punctuation stay as they are."""

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

PLAIN_PUNCTUATION = frozenset(" .,:;-_/()·|+#@!?%=~[]*^$")


def css_string_literal(text: str) -> SafeString:
    out = []
    for char in str(text):
        if char.isalnum() or char in PLAIN_PUNCTUATION or (ord(char) >= 0xA0 and char.isprintable()):
            out.append(char)
        else:
            # The space ends the escape (CSS consumes exactly one whitespace after a hex escape).
            out.append(f"\\{ord(char):x} ")
    return mark_safe('"' + "".join(out) + '"')


@register.filter(name="css_string")
def css_string(value) -> SafeString:
    """`value` as a quoted CSS string, safe inside a <style> element."""
    return css_string_literal(value)

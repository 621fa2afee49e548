"""How a person is named on every page, mail, dossier and audit sentence: one rule, here.

Chinese names are written family name first with no space (王晓雯); other names given name first (Anna
Schmidt). The username stands in only when an account has no name. It lives in vendors, the lower layer,
so that both apps (and their templates, through the `people` tag library) name people the same way."""

import re

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def person_name(user) -> str:
    """The name to show for `user` (a User, or None for the system)."""
    if user is None:
        return ""
    given = (getattr(user, "first_name", "") or "").strip()
    family = (getattr(user, "last_name", "") or "").strip()
    if not (given or family):
        return user.get_username()
    if _CJK.search(given + family):
        return f"{family}{given}"
    return " ".join(part for part in (given, family) if part)

"""What each role may see of activities and scope extensions in the admin, as activities 0002 granted it
(decisions go through activities.services, which check the role themselves). The grant loop and the rule that
such a table is never edited are reviews.grants'."""

from reviews.grants import Grants

_VIEW = [
    ("activities", "activity", "view_activity"),
    ("activities", "scopeextension", "view_scopeextension"),
    ("activities", "extensionfile", "view_extensionfile"),
]
ACTIVITY_READERS_AND_DECIDERS: Grants = {
    "Legal": [
        *_VIEW,
        ("activities", "activity", "decide_activity"),
        ("activities", "scopeextension", "decide_extension"),
    ],
    "Security": [*_VIEW, ("activities", "scopeextension", "decide_extension")],
    "Auditor": _VIEW,
}

"""Is a use within a vendor's approved scope? The request form's answer, for a requester who types the credit
code of a vendor already approved (docs/domain.md "Use").

An approval covers the purposes and channels it was vetted for, not any use (PIPL Art. 6, 14, 21): so the
form never says "you may use it" without the scope, and when the use it is told lies outside, it offers the
scope extension (a review of the difference) instead of a new review. The full check of an activity (data,
audience, volume, conditions) is the activity pre-check's, above reviews in the layers; here only the two
things the request form asks are compared, with Scope itself."""

from dataclasses import dataclass
from urllib.parse import urlencode

from vendors.scope import Channel, Purpose, Scope


@dataclass(frozen=True)
class UseFit:
    """A use (a purpose, channels) against a scope: what lies outside it, in the reader's language, and the
    query that carries the use to the scope-extension form."""

    purpose: str
    channels: tuple[str, ...]
    purpose_label: str
    channel_labels: tuple[str, ...]
    outside: tuple[str, ...]  # labels of the purpose and channels the scope does not cover

    @property
    def asked(self) -> bool:
        return bool(self.purpose or self.channels)

    @property
    def within(self) -> bool:
        return self.asked and not self.outside

    @property
    def extension_query(self) -> str:
        """purpose=...&channels=...&channels=..., what the scope-extension form (activities) starts from."""
        return urlencode(
            {"purpose": self.purpose, "channels": list(self.channels)}
            if self.purpose
            else {"channels": list(self.channels)},
            doseq=True,
        )


def use_fit(*, scope: Scope, purpose: str = "", channels=()) -> UseFit:
    """`purpose` and `channels` (codes of vendors.scope) against `scope`."""
    wanted = Scope.build(purposes=[purpose] if purpose else [], channels=channels)
    beyond = scope.beyond(wanted)
    return UseFit(
        purpose=purpose,
        channels=wanted.channels,
        purpose_label=str(Purpose(purpose).label) if purpose else "",
        channel_labels=tuple(str(Channel(code).label) for code in wanted.channels),
        outside=(
            *(str(Purpose(code).label) for code in beyond.purposes),
            *(str(Channel(code).label) for code in beyond.channels),
        ),
    )

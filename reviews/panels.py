"""Panels that the layers above reviews add to the dashboard and the reviewers' desk.

The dashboard and the desk belong to reviews, but some of what they list is not: marketing activities and
scope extensions live in activities/, which reads reviews, never the other way round (docs/architecture.md).
So, as django.contrib.admin lets apps register their models, an app registers a function here at start-up
(its AppConfig.ready); the page calls each with the signed-in user and includes what it returns."""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Panel:
    """A template to include and what it shows (a view model, never a model instance with attributes set)."""

    template: str
    context: dict = field(default_factory=dict)
    order: int = 100


PanelSource = Callable[[object], "Panel | None"]
_DASHBOARD: list[PanelSource] = []
_DESK: list[PanelSource] = []


def dashboard_panel(source: PanelSource) -> PanelSource:
    """Register `source(user)`: a Panel for the dashboard of `user`, or None to show nothing."""
    if source not in _DASHBOARD:
        _DASHBOARD.append(source)
    return source


def desk_panel(source: PanelSource) -> PanelSource:
    """Register `source(user)`: a Panel for the reviewers' desk of `user`, or None."""
    if source not in _DESK:
        _DESK.append(source)
    return source


def _panels(sources: list[PanelSource], user) -> list[Panel]:
    panels = [panel for panel in (source(user) for source in sources) if panel is not None]
    return sorted(panels, key=lambda panel: panel.order)


def dashboard_panels(user) -> list[Panel]:
    return _panels(_DASHBOARD, user)


def desk_panels(user) -> list[Panel]:
    return _panels(_DESK, user)

"""The requester's dashboard panel "My marketing activities" (reviews.panels): their open activities that
have not ended, flagged first, with the counts, a link to the whole list and the button to register one."""

from reviews.panels import Panel, dashboard_panel

from .access import can_register_activity
from .selectors import activity_panel


@dashboard_panel
def my_activities(user):
    if not can_register_activity(user):
        return None
    # Before panels of a lower priority (reviews.panels.Panel.order defaults to 100).
    return Panel(
        template="activities/_dashboard_panel.html", context={"activities": activity_panel(user)}, order=50
    )

"""The reviewers' desk: Legal and Security work here (docs/architecture.md "People"). Importing the modules registers
their admins."""

from . import accounts, api_keys, calendar, catch_up, contact, readonly, readonly_record, review, throttle  # noqa: F401

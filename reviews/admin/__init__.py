"""The reviewers' desk: Legal and Security work here (DESIGN.md "People"). Importing the modules registers
their admins."""

from . import contact, readonly, review, throttle  # noqa: F401

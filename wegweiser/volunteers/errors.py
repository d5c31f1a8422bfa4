"""What the volunteers' services refuse, with a message a person can read."""

from __future__ import annotations


class VolunteerError(Exception):
    """A write the current state does not allow (the message is shown to the user)."""


class NotAllowed(VolunteerError):
    """The acting user lacks the right in the object's organisation."""

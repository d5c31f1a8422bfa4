"""The small directory of the contact tests (an organisation with a counsellor and a team lead)."""

from tests.public.conftest import reachable, unreachable  # noqa: F401

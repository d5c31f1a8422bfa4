"""The keys of the volunteers app's audit entries (see ``wegweiser.audit.detail``): ids and
values from fixed lists, never a name. Registered in ``VolunteersConfig.ready``."""

from __future__ import annotations

from wegweiser.audit.detail import is_bool, is_uuid, one_of, register
from wegweiser.volunteers.models import BookingStatus, TandemOutcome, TandemStatus
from wegweiser.volunteers.selectors import SHOWN_IN

DETAIL_KEYS = {
    "booking_from": one_of(BookingStatus),
    "booking_to": one_of(BookingStatus),
    "tandem_status": one_of(TandemStatus),
    "tandem_outcome": one_of(TandemOutcome),
    "volunteer": is_uuid,
    "pool": is_uuid,
    "late": is_bool,
    "self_entered": is_bool,
    "corrected": is_bool,
    "tandem": is_uuid,
    "direct": is_bool,
    "shown_in": one_of(SHOWN_IN),
    "month": lambda v: isinstance(v, str) and len(v) == 7 and v[4] == "-",
}


def register_detail_keys() -> None:
    register("volunteers", DETAIL_KEYS)

"""The volunteers' services (keyword-only, ``by`` first; role re-check, audit, atomic)."""

from wegweiser.volunteers.services.bookings import (
    booking_answer,
    booking_answer_by_link,
    booking_by_token,
    booking_cancel,
    booking_confirm,
    booking_done,
    booking_no_show,
    booking_offer,
    booking_propose,
    interpreting_request,
    reminders_send,
)
from wegweiser.volunteers.services.direct import (
    booking_done_direct,
    coordinator_interpreting_request,
    coordinator_tandem_request,
    person_forget,
)
from wegweiser.volunteers.services.hours import (
    assignment_correct,
    hours_record,
    tandem_hours,
)
from wegweiser.volunteers.services.people import (
    pool_update,
    volunteer_create,
    volunteer_erase,
    volunteer_export,
    volunteer_part_add,
    volunteer_update,
)
from wegweiser.volunteers.services.tandems import (
    tandem_end,
    tandem_meeting_add,
    tandem_request,
    tandem_start,
)

__all__ = [
    "assignment_correct",
    "booking_answer",
    "booking_answer_by_link",
    "booking_by_token",
    "booking_cancel",
    "booking_confirm",
    "booking_done",
    "booking_done_direct",
    "booking_no_show",
    "booking_offer",
    "booking_propose",
    "coordinator_interpreting_request",
    "coordinator_tandem_request",
    "hours_record",
    "interpreting_request",
    "person_forget",
    "pool_update",
    "reminders_send",
    "tandem_end",
    "tandem_hours",
    "tandem_meeting_add",
    "tandem_request",
    "tandem_start",
    "volunteer_create",
    "volunteer_erase",
    "volunteer_export",
    "volunteer_part_add",
    "volunteer_update",
]

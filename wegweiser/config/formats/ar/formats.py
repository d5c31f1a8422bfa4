"""Arabic: Django's locale has short dates (day first) but no date-time formats, so an
appointment on 11 December showed as "12/11/2026 2 م" (the American default, month first)
beside "04‏/12‏/2026". Day first, as the short date."""

DATETIME_FORMAT = "j F Y، g:i A"
SHORT_DATETIME_FORMAT = "d‏/m‏/Y g:i A"

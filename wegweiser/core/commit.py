"""Work that runs once the current transaction has committed (mail, mostly).

``after_commit(func, *args)`` is ``transaction.on_commit(..., robust=True)`` with the arguments
bound: a failure is logged and never undoes or breaks the write. The hook carries ``func``'s
name, so that Django's log line ("Error calling … in on_commit()") names it; a bare
``functools.partial`` has no ``__qualname__``, and the log line itself then raised, hiding the
first error.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import update_wrapper

from django.db import transaction


def after_commit(func: Callable[..., object], /, *args, **kwargs) -> None:
    def hook() -> None:
        func(*args, **kwargs)

    transaction.on_commit(update_wrapper(hook, func), robust=True)

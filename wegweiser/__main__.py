"""The ``wegweiser`` command: Django's manage.py plus the eligibility commands.

``wegweiser eligibility`` and ``wegweiser eligibility-batch`` run the pure-Python engine
directly (no database needed); every other command goes to Django.
"""

from __future__ import annotations

import os
import sys

ENGINE_COMMANDS = ("eligibility", "eligibility-batch")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] in ENGINE_COMMANDS:
        from wegweiser.eligibility.cli import main as engine_main

        return engine_main(argv[1], argv[2:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wegweiser.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())

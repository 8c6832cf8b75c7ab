#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanarchive.settings")
    from django.core.management import execute_from_command_line

    from lib.startup import or_exit_if_database_unreachable

    or_exit_if_database_unreachable(lambda: execute_from_command_line(sys.argv))

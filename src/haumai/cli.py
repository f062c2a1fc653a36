"""The `haumai` command: serve, web, worker, migrate, demo, import, createadmin (and Django's own)."""

from __future__ import annotations

import os
import sys

HELP = """usage: haumai COMMAND [options]

Haumai — after-sales service platform (hậu mãi).

commands:
  serve         migrate, then run web + worker together (embedded default, SQLite)
  web           production web server (granian, WSGI) with N worker processes; serves static files
  worker        background tasks and the scheduler tick
  migrate       create or update the database schema
  demo          seed deterministic Vietnamese demo data (--customers N)
  import        import customers, products or orders from CSV/XLSX (--dry-run, --skip-invalid)
  createadmin   create (or reset) an administrator account

Any other Django management command also works (e.g. `haumai shell`, `haumai makemigrations`).
Run `haumai COMMAND --help` for the options of one command.
"""


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `haumai` console script."""
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haumai.settings")
    if not args or args[0] in {"-h", "--help", "help"}:
        print(HELP)
        return
    command, rest = args[0], args[1:]
    if command == "serve":
        from haumai.runner import serve

        sys.exit(serve(rest))
    if command == "web":
        from haumai.runner import web

        sys.exit(web(rest))
    from django.core.management import execute_from_command_line

    execute_from_command_line(["haumai", command, *rest])


if __name__ == "__main__":
    main()

"""The ``kg`` command line: a thin layer over the library API.

Data goes to stdout, chatter (progress, warnings, summaries) to stderr. A library
:class:`~kg.errors.KGError` becomes one line ``Error: …`` and exit code 1 (2 for usage).
Commands live in ``core``, ``correct``, ``interop`` and ``render``; the shared options in ``app``.
"""
from __future__ import annotations

import sys
from typing import NoReturn

import typer

from kg import errors
from kg.cli import core, correct, interop, render  # noqa: F401  (each registers its commands on app)
from kg.cli.app import app, log

try:  # typer vendors click; its "no arguments, so show the help" signal
    from typer._click.exceptions import NoArgsIsHelpError as NoArgsIsHelp
except ImportError:  # an older typer on the real click
    from click.exceptions import NoArgsIsHelpError as NoArgsIsHelp


def main() -> None:
    """Entry point: run the app; every error becomes one line ``Error: …`` and an exit code.

    0 success, 1 failure (bad input, unreadable store, a failed check), 2 usage (unknown
    command, option or value), 130 interrupted. ``--verbose`` adds the details (logging, and
    the traceback of an unexpected error).
    """
    try:
        rv = app(standalone_mode=False)
    except errors.KGError as e:
        _fail(str(e), e.exit_code, e)
    except NoArgsIsHelp as e:
        e.show()
        sys.exit(2)
    except typer.TyperException as e:  # click's usage errors (typer vendors click)
        ctx = getattr(e, "ctx", None)
        hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
        _fail(e.format_message() + hint, getattr(e, "exit_code", 2), e)
    except (typer.Abort, KeyboardInterrupt):
        typer.echo("Aborted.", err=True)
        sys.exit(130)
    except BrokenPipeError:  # the reader went away ('kg query … | head'): stop quietly
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(141)
    except OSError as e:
        where = f" {e.filename}" if e.filename else ""
        _fail(f"cannot access{where}: {e.strerror or e}: check the path, its permissions and free space", 1, e)
    except Exception as e:  # noqa: BLE001  (the CLI edge: a bug must still be one line, not a traceback)
        _fail(f"unexpected {type(e).__name__}: {e}: run again with --verbose for details and report it", 1, e)
    if rv == 130:  # typer turns Ctrl-C into exit code 130
        typer.echo("Aborted.", err=True)
    sys.exit(rv if isinstance(rv, int) else 0)


def _fail(message: str, code: int, exc: BaseException) -> NoReturn:
    """Print ``Error: message`` (one line) and exit; with --verbose, log the traceback first."""
    log.debug("details", exc_info=exc)
    one_line = " ".join(message.split())
    typer.echo(f"Error: {one_line}", err=True)
    sys.exit(code)

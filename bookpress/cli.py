"""Command line -> pipeline calls: the typer app, its commands, and the entry point."""

from __future__ import annotations

import gc
import sys

import typer

from . import __version__, commands
from .terminal import EXIT_INTERNAL, internal_error, out

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Compile a manuscript of YAML chapters and photos into a print-ready PDF photo book.")


def version_callback(value: bool) -> None:
    if value:
        out.print(f"bookpress {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(version: bool = typer.Option(False, "--version", callback=version_callback, is_eager=True,
                                              help="Show the version and exit.")) -> None:
    """bookpress: photo books from YAML and photos, ready for the printer."""


for command in (commands.compile, commands.check, commands.cover, commands.proof, commands.init, commands.watch,
                commands.layouts):
    app.command()(command)


def main() -> None:
    try:
        app()
    except SystemExit:
        raise
    except Exception:  # a bug in bookpress, not in the manuscript: say so plainly
        if "--debug" in sys.argv:
            raise
        internal_error()
        sys.exit(EXIT_INTERNAL)
    finally:
        # The process is about to end: a last full collection of the book's objects at exit
        # would only cost time (~0.1 s after a 48-photo compile).
        gc.freeze()


if __name__ == "__main__":
    main()

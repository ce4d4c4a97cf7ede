"""The `bookpress` command and `python -m bookpress ...`: the CLI, imported only when it runs.

The command's entry point is this module, not the CLI's, because multiprocessing runs the
main script again in every image worker (to rebuild its `__main__`); a script that
imports only this module costs them nothing, where one that imported the CLI (typer and
every stage, ~0.15 s of CPU) was paid again in the workers' fork server.
"""


def main() -> None:
    import gc
    import os

    # numpy (imported for OpenCV's subject finding, in the workers for the scaled JPEG decode, and by
    # preflight's ink check) starts OpenBLAS, whose threads spin on every core for a while after it
    # loads. bookpress does no linear algebra, so one thread does: `import numpy` then takes ~0.09 s of
    # CPU instead of ~0.18 s on two cores (the workers and their fork server inherit the setting).
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

    # The cycle collector stays off for the whole command (cli.main says why), imports included:
    # importing the libraries makes ~200,000 objects, which set off full collections that each
    # walk all of them again (~0.1 s of a rebuild's CPU).
    gc.disable()
    from .cli import main as run

    run()


if __name__ == "__main__":
    main()

"""`python -m bookpress ...`: the same as the `bookpress` command."""

from .cli import main

if __name__ == "__main__":
    main()

"""The errors that stop a run with exit code 2 and one line on stderr."""

from __future__ import annotations


class FaqlintError(Exception):
    """faqlint could not do its job: bad arguments, config, policies or schemas.

    The message is one line. `details` are more lines the admin needs (each file that was not
    converted, say); the command line prints each below the message, made inert on its own, so a
    value from the repository can never start a line of its own."""

    def __init__(self, message: str, details: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.details = details

"""The errors that stop a run with exit code 2 and one line on stderr."""


class FaqlintError(Exception):
    """faqlint could not do its job: bad arguments, config, policies or schemas."""

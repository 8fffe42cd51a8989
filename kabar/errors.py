"""The documented error types: anything else escaping a stage is a bug."""


class KabarError(Exception):
    """Base class: a problem the user can fix, with a message saying how."""


class InputError(KabarError):
    """An input could not be read as an article (empty, binary, undecodable, too large...)."""

    def __init__(self, source: str, problem: str, fix: str = "") -> None:
        self.source = source
        self.problem = problem
        self.fix = fix
        message = f"{source}: {problem}"
        if fix:
            message += f" ({fix})"
        super().__init__(message)


class NotFoundError(KabarError):
    """An id that the store does not hold."""


class InputWarning(InputError):
    """Something about an input the user should check, though it was read (a guessed
    legacy encoding): reported, but it costs no record and does not fail the run."""

"""The documented error types: anything else escaping a stage is a bug."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kabar.stories import GroupingParams


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


class GroupingChanged(KabarError):
    """The saved grouping state was made with other parameters than the configured ones:
    continuing it would mix two rules in one set of stories."""

    def __init__(self, saved: GroupingParams, configured: GroupingParams) -> None:
        super().__init__(
            "the stories were grouped with other parameters ("
            + "; ".join(configured.changes(saved))
            + "): run `kabar regroup` to regroup every article with the configured ones"
            " (or set the parameters back)"
        )
        self.saved, self.configured = saved, configured

    def __reduce__(self) -> tuple[type[GroupingChanged], tuple[GroupingParams, GroupingParams]]:
        # Raised in the API's ingest worker process: it must cross back by pickle.
        return type(self), (self.saved, self.configured)

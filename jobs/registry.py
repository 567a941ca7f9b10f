"""The kinds of work the workers know: a name for each, and the function doing it.

No models here: apps register their kinds from `ready()`, before any job runs.
"""

from collections.abc import Callable

Work = Callable[..., str | None]

_kinds: dict[str, Work] = {}


class UnknownKind(LookupError):
    pass


def job(kind: str) -> Callable[[Work], Work]:
    """Register the decorated function as the work of `kind`: it is called with the job's
    target and arguments, and returns a short result for operators (or None)."""

    def register(work: Work) -> Work:
        if _kinds.get(kind, work) is not work:
            raise ValueError(f"two functions registered for the job kind “{kind}”")
        _kinds[kind] = work
        return work

    return register


def work_for(kind: str) -> Work:
    try:
        return _kinds[kind]
    except KeyError:
        raise UnknownKind(f"no work registered for the job kind “{kind}”") from None


def kinds() -> list[str]:
    return sorted(_kinds)

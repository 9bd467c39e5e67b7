"""How many backend workers a start asks for, and whether that can work: several need Redis to share state."""

from collections.abc import Mapping

WORKERS_VARIABLE = "GRANIAN_WORKERS"  # what Reflex's production server reads
REDIS_VARIABLE = "REFLEX_REDIS_URL"


def requested(env: Mapping[str, str]) -> int:
    """The number of workers the environment asks for (1 when it says nothing)."""
    raw = env.get(WORKERS_VARIABLE, "").strip()
    if not raw:
        return 1
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"{WORKERS_VARIABLE} must be a whole number of workers, 1 or more (it is {raw!r}).")
    return int(raw)


def refusal(env: Mapping[str, str]) -> str | None:
    """Why the app must not start with this environment, or None when it may."""
    try:
        workers = requested(env)
    except ValueError as exc:
        return str(exc)
    if workers > 1 and not env.get(REDIS_VARIABLE, "").strip():
        return (
            f"{WORKERS_VARIABLE}={workers} asks for several workers, but {REDIS_VARIABLE} is not set. Each worker "
            "would keep its own copy of every open page's state and change notices would not reach the other "
            f"workers. Set {REDIS_VARIABLE}=redis://host:6379, or run one worker ({WORKERS_VARIABLE}=1)."
        )
    return None

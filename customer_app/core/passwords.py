"""Password hashing (argon2id) and the rules a new password must meet."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

from customer_app.errors import ValidationError

MIN_LENGTH = 10
MAX_LENGTH = 256
MIN_SCORE = 3  # zxcvbn's scale runs from 0 (guessable at once) to 4
_hasher = PasswordHasher()  # argon2id with the library's recommended parameters


def hash_password(password: str) -> str:
    """An argon2id hash of the password."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether the password matches the stored hash."""
    if not password_hash:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(password_hash)


def check_new_password(password: str, *, user_inputs: list[str]) -> None:
    """Refuse short passwords and common or guessable ones, with a message saying why."""
    if len(password) < MIN_LENGTH:
        raise ValidationError({"password": f"Use at least {MIN_LENGTH} characters."})
    if len(password) > MAX_LENGTH:
        raise ValidationError({"password": f"Use at most {MAX_LENGTH} characters."})
    verdict = zxcvbn(password[:100], user_inputs=[u for u in user_inputs if u])
    if verdict["score"] < MIN_SCORE:
        reason = verdict["feedback"]["warning"] or "This password is too easy to guess."
        raise ValidationError({"password": f"{reason} Try a longer phrase of unrelated words."})

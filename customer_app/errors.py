"""Errors whose messages are safe to show to a user."""


class CustomerAppError(Exception):
    """Base of every error a user may see."""


class ValidationError(CustomerAppError):
    """Input is invalid; `errors` maps field names to messages."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


class NotFoundError(CustomerAppError):
    """The record does not exist (or is not where the caller expected it)."""


class ConflictError(CustomerAppError):
    """Someone else saved the record after the caller read it."""


class PictureError(CustomerAppError):
    """An uploaded picture was refused."""


class PermissionDenied(CustomerAppError):
    """The signed-in staff member's role does not allow this (or nobody is signed in)."""


class PortalDenied(CustomerAppError):
    """A portal user asked for something outside their customer or their sections (or is not signed in)."""


class SignInError(CustomerAppError):
    """Sign-in refused: wrong credentials, throttled or locked."""


class ImportFileError(CustomerAppError):
    """An uploaded spreadsheet cannot be read or used; the message says why and what to do."""


DATABASE_UNREACHABLE = "The database could not be reached, so nothing was saved. Try again in a moment."
UNEXPECTED = "Something went wrong and nothing was changed. Try again; if it happens again, tell an admin."
FORM_LOST = "Nothing was saved: this form was reset on the server (by a restart, for example). Open it again."

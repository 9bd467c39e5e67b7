"""The portal's e-mails in English, marked for the `email` catalog; `rendered` gives one in the recipient's language.

Placeholders: `{workspace}` (the company's name), `{customer}` (the customer the access is for) and `{link}`.
"""

from typing import NamedTuple

from customer_app.core.i18n import N_, translate


class MailText(NamedTuple):
    """The subject and body of one e-mail, as msgids."""

    subject: str
    body: str


INVITATION = MailText(
    N_("You are invited to the client portal of {workspace}"),
    N_(
        "Hello,\n\n"
        "{workspace} has invited you to its client portal, where you can follow your tickets, documents and "
        "invoices.\n\n"
        "Choose your password here:\n{link}\n\n"
        "The link is valid for 7 days. If you were not expecting this invitation, you can ignore this e-mail."
    ),
)

ACCESS_GRANTED = MailText(
    N_("You now have access to {customer} in the client portal"),
    N_(
        "Hello,\n\n"
        "{workspace} has given your existing portal account access to {customer}.\n\n"
        "Sign in with your usual password here:\n{link}"
    ),
)

PASSWORD_RESET = MailText(
    N_("Choose a new password for the client portal of {workspace}"),
    N_(
        "Hello,\n\n"
        "Someone asked to reset the password of your account in the client portal of {workspace}.\n\n"
        "Choose a new password here:\n{link}\n\n"
        "The link is valid for 1 hour. If you did not ask for this, you can ignore this e-mail: "
        "your password stays as it is."
    ),
)

WELCOME = MailText(
    N_("Welcome to {workspace}"),
    N_(
        "Hello,\n\n"
        "Welcome to the client portal of {workspace}. Here you can open tickets, read your documents and "
        "follow your invoices and payments.\n\n"
        "Sign in here:\n{link}"
    ),
)

CONFIRM_EMAIL = MailText(
    N_("Confirm your new e-mail address for the client portal of {workspace}"),
    N_(
        "Hello,\n\n"
        "Someone asked to use this address in the client portal of {workspace}. If it was you, confirm it here:\n"
        "{link}\n\n"
        "The link is valid for 24 hours. If it was not you, you can ignore this e-mail."
    ),
)

DOCUMENT = MailText(
    N_("{document} {number} from {workspace}"),
    N_(
        "Hello,\n\n"
        "Please find {document} {number} of {customer} attached, for {total}.\n\n"
        "With kind regards,\n{workspace}"
    ),
)


def rendered(text: MailText, lang: str, **params: str) -> tuple[str, str]:
    """(subject, body) of an e-mail in `lang` with its placeholders filled in."""
    return translate("email", lang, text.subject, **params), translate("email", lang, text.body, **params)

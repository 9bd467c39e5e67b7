"""Messages the portal shows that are written by the services below it (in English, for staff and logs alike):
marked here so the portal's catalog translates them; the portal translates each by its English text."""

from customer_app.core.i18n import N_

SERVICE_MESSAGES = (
    N_("The e-mail or password is not right."),
    N_("Too many failed sign-ins from this address. Try again in 15 minutes."),
    N_("This link has expired. Ask for a new one."),
    N_("This link is not valid or has already been used. Ask for a new one."),
    N_("This link is not valid any more."),
    N_("This invitation was withdrawn. Ask for a new one."),
    N_("This account is not active."),
    N_("You have no access to any customer any more."),
    N_("You have no access to this customer."),
    N_("This part of the portal is not available to you."),
    N_("Sign in to the client portal."),
    N_("This customer is not available any more."),
    N_("This ticket does not exist."),
    N_("Give the ticket a subject."),
    N_("Write a reply first."),
    N_("Enter your name."),
    N_("Use at least 10 characters."),
    N_("The two passwords differ."),
    N_("This is the address you have already."),
    N_("Enter a valid e-mail address, like name@example.com."),
    N_("Enter a phone number, like +1 202 555 0143."),
    N_("This phone number is not valid for its country."),
    N_("Enter a website address, like example.com."),
    N_("Estimate"),  # the kinds of document and their statuses
    N_("Sales order"),
    N_("Sales receipt"),
    N_("Invoice"),
    N_("Credit note"),
    N_("Issued"),
    N_("Sent"),
    N_("Accepted"),
    N_("Declined"),
    N_("Open"),  # an invoice's payment status
    N_("Partially paid"),
    N_("Paid"),
    N_("Overdue"),
    N_("Refunded"),
    N_("Credited"),
    N_("Bank transfer"),  # how a payment was made
    N_("Card"),
    N_("Cash"),
    N_("Cheque"),
    N_("Other"),
    N_("New"),  # the tickets' statuses
    N_("In progress"),
    N_("Solved"),
    N_("Cancelled"),
    N_("The database could not be reached, so nothing was saved. Try again in a moment."),
)

"""Who is asking in the portal: an account, working for one customer, with that customer's sections."""

from dataclasses import dataclass

from customer_app.errors import PortalDenied

SUBJECT = "portal"  # the one-time tokens' subject type for portal accounts
REALM = "portal"  # sign-in attempts are counted apart from staff ones


@dataclass(frozen=True)
class PortalScope:
    """A signed-in portal account and the customer it works for; every portal service reads and writes only that
    customer's records, and only in the sections it may see."""

    account_id: int
    email: str
    name: str
    customer_id: int
    customer_name: str
    sections: frozenset[str]
    language: str
    address: str = ""
    preview: bool = False  # staff looking at the portal as this customer's people see it: nothing can be changed
    customer_ids: tuple[int, ...] = ()  # every customer the account may work for (to switch between)

    def require(self, section: str) -> None:
        """Refuse unless this customer's people may use `section`."""
        if section not in self.sections:
            raise PortalDenied("This part of the portal is not available to you.")

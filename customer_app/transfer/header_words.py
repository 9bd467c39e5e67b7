"""The words other programs and people head each customer column with, in English, German, French and Spanish."""

import re

from customer_app.core.normalize import fold


def header_key(header: str) -> str:
    """A header without case, accents, spaces or punctuation: "E-Mail " and "e mail" become "email"."""
    return re.sub(r"[^0-9a-z]", "", fold(str(header or "")))


# Our own export heads its ID column "Workspace customer ID"; the rest are generic and may hold another system's ids.
OWN_ID = "workspacecustomerid"

# Each field's header words, in their normalised form (`header_key`). `name` and `company_name` are decided
# together (see NAME_WORDS and COMPANY_WORDS): which one a column fills depends on the other columns.
SYNONYMS = {
    "id": [
        OWN_ID,
        "customerid",
        "id",
        "clientid",
        "contactid",
        "recordid",
        "customerno",
        "customernumber",
        "kundennummer",
    ],
    "kind": ["kind", "type", "customertype", "customerkind", "customersubtype", "individualorinstitution", "kundentyp"],
    "first_name": ["firstname", "givenname", "forename", "first", "prenom", "vorname", "nombre"],
    "last_name": ["lastname", "surname", "familyname", "last", "nom", "nachname", "apellido", "apellidos"],
    "email": [
        "email",
        "mail",
        "emailid",
        "emailaddress",
        "mailaddress",
        "primaryemail",
        "courriel",
        "adressecourriel",
        "adresseemail",
        "emailadresse",
        "correo",
        "correoelectronico",
    ],
    "phone": [
        "phone",
        "tel",
        "telephone",
        "phonenumber",
        "telephonenumber",
        "landline",
        "workphone",
        "businessphone",
        "telefon",
        "telefonnummer",
        "telefono",
    ],
    "mobile": [
        "mobile",
        "mobilephone",
        "mobilenumber",
        "cell",
        "cellphone",
        "gsm",
        "handy",
        "mobil",
        "mobiltelefon",
        "mobilnummer",
        "portable",
        "telephoneportable",
        "movil",
        "telefonomovil",
        "celular",
    ],
    "fax": ["fax", "faxnumber", "telefax"],
    "website": [
        "website",
        "web",
        "url",
        "websiteurl",
        "homepage",
        "site",
        "domain",
        "domainname",
        "companydomainname",
        "webseite",
        "internetseite",
        "siteweb",
        "sitioweb",
    ],
    "vat_number": [
        "vatnumber",
        "vat",
        "vatid",
        "vatregistrationnumber",
        "taxid",
        "taxnumber",
        "taxregistrationnumber",
        "vatno",
        "ustid",
        "ustidnr",
        "umsatzsteuerid",
        "tva",
        "numerotva",
        "nif",
        "cif",
    ],
    "position": [
        "position",
        "jobtitle",
        "jobposition",
        "title",
        "designation",
        "role",
        "function",
        "funktion",
        "poste",
        "fonction",
        "cargo",
        "puesto",
    ],
    "date_of_birth": [
        "dateofbirth",
        "dob",
        "birthday",
        "birthdate",
        "born",
        "geburtstag",
        "geburtsdatum",
        "datedenaissance",
        "fechadenacimiento",
    ],
    "gender": ["gender", "sex", "geschlecht", "sexe", "genero"],
    "ownership_type": ["ownershiptype", "ownership", "legalform", "companytype", "rechtsform", "formejuridique"],
    "footnotes": [
        "footnotes",
        "notes",
        "note",
        "comments",
        "comment",
        "remarks",
        "privatenotes",
        "notizen",
        "bemerkungen",
        "bemerkung",
        "remarques",
        "notas",
        "observaciones",
    ],
}
# The customer as a whole: an institution's name (`name`), or nothing more when the file names people.
NAME_WORDS = [
    "name",
    "displayname",
    "customername",
    "clientname",
    "contactname",
    "customer",
    "client",
    "fullname",
    "customerfullname",
    "institution",
    "institutionname",
    "organisationname",
    "organizationname",
    "legalname",
    "kunde",
    "kundenname",
    "nomduclient",
    "raisonsociale",
    "nombredelcliente",
    "razonsocial",
]
# A company: the institution itself when the file names no people, else the people's employer (`company_name`).
COMPANY_WORDS = [
    "companyname",
    "company",
    "organisation",
    "organization",
    "business",
    "businessname",
    "employer",
    "firm",
    "firma",
    "firmenname",
    "unternehmen",
    "societe",
    "entreprise",
    "empresa",
    "nombredelaempresa",
]
# A contact person's column in a company's record ("Contact first name", "contact_email"): the person's field.
PERSON_PREFIXES = ("primarycontact", "contactperson", "contact")
PERSON_FIELDS = frozenset({"first_name", "last_name", "email", "phone", "mobile", "fax", "position"})
# Fields this workspace has no column for, which a custom field may stand for (a custom field labelled "Anrede"
# also takes a "Salutation" column).
CUSTOM_CONCEPTS = [
    ["salutation", "anrede", "civilite", "tratamiento", "saludo"],
    ["department", "abteilung", "departement", "service", "departamento"],
]

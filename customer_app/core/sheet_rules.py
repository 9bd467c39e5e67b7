"""What an uploaded spreadsheet may be, and what people are told when it is not (shared by the reader and the
workbook child process)."""

EXTENSIONS = (".xlsx", ".xls", ".ods", ".csv")
MAX_BYTES = 200 * 1024 * 1024  # a million customers as CSV is ~100 MB; the import reads files as a stream
MAX_COLUMNS = 200
MAX_ROWS = 1_000_000
MAX_UNZIPPED_BYTES = 500 * 1024 * 1024
MAX_ZIP_RATIO = 200  # real workbooks compress 5-20:1; far beyond that is a zip bomb
# calamine lays a sheet out as a dense grid of 32-byte cells from the first filled cell to the last, so a tiny file
# with values in A1 and XFD1048576 asks for 550 GB and aborts the whole process. Workbooks are therefore parsed in
# a child process that may use at most this much memory and CPU time.
READER_MEMORY_BYTES = 2 * 1024**3
READER_CPU_SECONDS = 120

WRONG_TYPE = "Choose an .xlsx, .xls, .ods or .csv file."
TOO_LARGE = f"This file is larger than {MAX_BYTES // 2**20} MB. Split it into smaller files and import them one by one."
EMPTY_FILE = "The file is empty. Choose a file with a header row and one customer per row under it."
DAMAGED = (
    "This file could not be read as a spreadsheet; it may be damaged or incomplete. "
    "Open it in your spreadsheet program, save it again and retry."
)
ZIP_BOMB = (
    "This file unpacks to far more data than a spreadsheet should, so it was not opened. Save it again and retry."
)
TOO_BIG_TO_READ = "This sheet is too large to read. Delete unused rows and columns or split the file, then try again."
NOT_TEXT = "This file does not look like CSV text. Save the sheet as CSV (comma-separated values) and try again."
ONE_COLUMN = "Only one column was found. Separate columns with commas, semicolons, tabs or | and try again."
NO_DATA = "The file has a header row but no customers under it."
NO_SHEET = "This workbook has no visible sheet to import."
GONE = "The uploaded file is no longer available. Upload it again."


def is_blank(value: object) -> bool:
    """Whether a cell holds nothing worth importing."""
    return value is None or (isinstance(value, str) and not value.strip())


def too_many_columns(count: int) -> str:
    """The message for a sheet wider than we import."""
    return (
        f"The sheet has {count:,} columns; at most {MAX_COLUMNS} can be imported. "
        "Delete the columns you do not need and try again."
    )

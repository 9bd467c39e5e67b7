"""Workbooks are parsed in a resource-limited child process (`python -m customer_app.core.workbook_reader`):
a tiny file can ask calamine for hundreds of gigabytes, and only the child dies of it."""

import json
import logging
import os
import pickle
import subprocess
import sys
import zipfile
from collections.abc import Generator, Iterator
from pathlib import Path

from customer_app.core.sheet_rules import (
    DAMAGED,
    MAX_COLUMNS,
    MAX_UNZIPPED_BYTES,
    MAX_ZIP_RATIO,
    NO_SHEET,
    READER_CPU_SECONDS,
    READER_MEMORY_BYTES,
    TOO_BIG_TO_READ,
    ZIP_BOMB,
    is_blank,
    too_many_columns,
)
from customer_app.errors import ImportFileError

_ZIPPED = (".xlsx", ".ods")
_BATCH = 1000
_CELL_TYPES = {"date", "datetime", "time", "timedelta"}
_log = logging.getLogger(__name__)


class _CellUnpickler(pickle.Unpickler):
    """Unpickles plain data and the datetime types a cell can hold, nothing else."""

    def find_class(self, module: str, name: str) -> type:
        if module == "datetime" and name in _CELL_TYPES:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not a cell value")


def workbook_messages(path: Path, mode: str, sheet: str | None) -> Generator:
    """Run the reader child on a workbook and yield what it sends: sheet names, or a sheet name then row batches."""
    request = {
        "mode": mode,
        "path": str(path),
        "sheet": sheet,
        "max_columns": MAX_COLUMNS,
        "max_unzipped": MAX_UNZIPPED_BYTES,
    }
    root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}
    command = [sys.executable, "-m", __name__, json.dumps(request)]
    child = subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env
    )
    try:
        if child.stdout is None:  # never: stdout=PIPE gives a pipe
            raise RuntimeError("the spreadsheet reader has no output pipe")
        while True:
            try:
                kind, payload = _CellUnpickler(child.stdout).load()
            except EOFError:
                break
            if kind == "error":
                raise ImportFileError(payload)
            if kind == "end":
                return
            yield payload
        # The child ended without finishing: killed by its memory or CPU limit, or crashed.
        code = child.wait()
        _log.warning("spreadsheet reader exited with %s on %s", code, path.name)
        raise ImportFileError(TOO_BIG_TO_READ if code < 0 else DAMAGED)
    finally:
        if child.stdout is not None:
            child.stdout.close()
        child.kill()
        child.wait()


def _serve(request: dict) -> None:
    """Child process: read the workbook named in the request and pickle the results to stdout."""
    _limit_resources()
    out = sys.stdout.buffer
    try:
        path = Path(request["path"])
        if path.suffix.lower() in _ZIPPED:
            _check_zip(path, request["max_unzipped"])
        for message in _workbook_results(path, request):
            pickle.dump(message, out, protocol=pickle.HIGHEST_PROTOCOL)
    except ImportFileError as error:
        pickle.dump(("error", str(error)), out)
    except MemoryError:
        pickle.dump(("error", TOO_BIG_TO_READ), out)
    except BaseException as error:  # calamine raises its own errors and, on some damaged files, Rust panics
        # calamine refuses sheets beyond its own cell limit (ODS repeats); that file is big, not damaged.
        pickle.dump(("error", TOO_BIG_TO_READ if "limit exceeded" in str(error).lower() else DAMAGED), out)
    out.flush()


def _workbook_results(path: Path, request: dict) -> Iterator[tuple[str, object]]:
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    with CalamineWorkbook.from_path(path) as book:
        visible = [
            meta.name
            for meta in book.sheets_metadata
            if meta.visible == SheetVisibleEnum.Visible and meta.typ == SheetTypeEnum.WorkSheet
        ]
        if request["mode"] == "names":
            yield "names", visible
            yield "end", None
            return
        name = _chosen_sheet(request["sheet"], visible, book.sheet_names)
        data = book.get_sheet_by_name(name)
        if data.width > request["max_columns"]:
            raise ImportFileError(too_many_columns(data.width))
        yield "sheet", name
        batch = []
        # iter_rows starts at the sheet's first row (leading empty rows included), so index + 1 is the true line.
        for index, cells in enumerate(data.iter_rows()):
            if not all(is_blank(cell) for cell in cells):
                batch.append((index + 1, cells))
            if len(batch) == _BATCH:
                yield "rows", batch
                batch = []
        yield "rows", batch
        yield "end", None


def _chosen_sheet(sheet: str | None, visible: list[str], every: list[str]) -> str:
    if sheet is None:
        if not visible:
            raise ImportFileError(NO_SHEET)
        return visible[0]
    if sheet in visible:
        return sheet
    if sheet in every:
        raise ImportFileError(f'The sheet "{sheet}" is hidden. Show it in your spreadsheet program or choose another.')
    raise ImportFileError(f'There is no sheet named "{sheet}" in this file. Choose one of its sheets and try again.')


def _check_zip(path: Path, max_unzipped: int) -> None:
    """Refuse a file that is not a zip archive, or that unpacks to an absurd size (a zip bomb)."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        raise ImportFileError(DAMAGED) from None
    if sum(member.file_size for member in members) > max_unzipped:
        raise ImportFileError(ZIP_BOMB)
    for member in members:
        if member.file_size > 2**20 and member.file_size > MAX_ZIP_RATIO * max(member.compress_size, 1):
            raise ImportFileError(ZIP_BOMB)


def _limit_resources() -> None:
    import resource

    for kind, wanted in ((resource.RLIMIT_AS, READER_MEMORY_BYTES), (resource.RLIMIT_CPU, READER_CPU_SECONDS)):
        _, hard = resource.getrlimit(kind)
        limit = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(kind, (limit, hard))


if __name__ == "__main__":
    _serve(json.loads(sys.argv[1]))

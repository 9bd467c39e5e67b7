"""Every configuration knob, read once from the environment."""

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _database_url() -> str:
    # REFLEX_DB_URL is what Reflex itself honours; DATABASE_URL is the documented knob.
    url = os.environ.get("REFLEX_DB_URL") or os.environ.get("DATABASE_URL")
    return url or f"sqlite:///{PROJECT_ROOT / 'data' / 'customers.db'}"


def _upload_dir() -> Path:
    return Path(os.environ.get("REFLEX_UPLOADED_FILES_DIR") or PROJECT_ROOT / "uploaded_files")


_IMPORT_POOL_FROM_CORES = 2  # with one core, import workers only compete with the importing process for it
_MAX_IMPORT_WORKERS = 4


@dataclass(frozen=True)
class Settings:
    """Configuration values; construct once at import."""

    database_url: str = field(default_factory=_database_url)
    redis_url: str | None = field(default_factory=lambda: os.environ.get("REFLEX_REDIS_URL") or None)
    default_phone_region: str = field(default_factory=lambda: os.environ.get("PHONE_REGION", "US"))
    page_sizes: tuple[int, ...] = (25, 50, 100)
    picture_max_bytes: int = field(default_factory=lambda: _env_int("PICTURE_MAX_BYTES", 10 * 1024 * 1024))
    picture_max_pixels: int = field(default_factory=lambda: _env_int("PICTURE_MAX_PIXELS", 50_000_000))
    upload_dir: Path = field(default_factory=_upload_dir)
    # Reverse proxies in front of the app that append the client's address to X-Forwarded-For (0: none; the
    # header is then ignored, since clients could forge it). Without it, behind a proxy every client has its address.
    trusted_proxy_hops: int = field(default_factory=lambda: _env_int("TRUSTED_PROXY_HOPS", 0))
    public_url: str = field(default_factory=lambda: os.environ.get("PUBLIC_URL", "http://localhost:3000").rstrip("/"))
    smtp_url: str | None = field(default_factory=lambda: os.environ.get("SMTP_URL") or None)
    smtp_ca_file: str | None = field(default_factory=lambda: os.environ.get("SMTP_CA_FILE") or None)
    mail_from: str = field(default_factory=lambda: os.environ.get("MAIL_FROM", "Customers <noreply@localhost>"))
    workspace_name: str = field(default_factory=lambda: os.environ.get("WORKSPACE_NAME", "Customer workspace"))
    session_idle_minutes: int = field(default_factory=lambda: _env_int("SESSION_IDLE_MINUTES", 8 * 60))
    session_absolute_hours: int = field(default_factory=lambda: _env_int("SESSION_ABSOLUTE_HOURS", 12))
    remember_days: int = field(default_factory=lambda: _env_int("REMEMBER_DAYS", 30))
    # "json": one JSON line per request and per failed event (time, level, correlation id, user); "text": plain logs.
    log_format: str = field(default_factory=lambda: os.environ.get("LOG_FORMAT", "text").strip().lower())

    @property
    def export_dir(self) -> Path:
        """Private folder of finished exports (never the public upload folder)."""
        return Path(os.environ.get("EXPORT_DIR") or PROJECT_ROOT / "data" / "exports")

    @property
    def document_dir(self) -> Path:
        """Private folder of documents' PDFs handed to a download link (kept for the link's lifetime)."""
        return Path(os.environ.get("DOCUMENT_DIR") or PROJECT_ROOT / "data" / "documents")

    @property
    def import_workers(self) -> int:
        """Worker processes an import checks rows in, beside the importing process (which checks rows too while they
        work). One per core beyond the first, up to four, ~170 MB each: measured on two cores, one worker took a
        100,000-row preview from 8.2-10.1 s to 6.5-7.8 s, and an import that checks its rows from 18.5-21.8 s to
        14.0-15.8 s."""
        cores = os.cpu_count() or 1
        default = min(cores - 1, _MAX_IMPORT_WORKERS) if cores >= _IMPORT_POOL_FROM_CORES else 0
        return max(0, _env_int("IMPORT_WORKERS", default))

    @property
    def import_dir(self) -> Path:
        """Private folder of uploaded import files and their error reports, deleted when each job ends."""
        return Path(os.environ.get("IMPORT_DIR") or PROJECT_ROOT / "data" / "imports")

    @property
    def picture_dir(self) -> Path:
        """Folder of processed profile pictures (served publicly under unguessable names)."""
        return self.upload_dir / "pictures"


settings = Settings()

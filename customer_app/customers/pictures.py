"""Profile-picture pipeline: check an upload, strip its metadata and store square WebP thumbnails."""

from __future__ import annotations

import io
import os
import re
import secrets
import struct
from pathlib import Path

from PIL import Image, ImageCms, ImageOps

from customer_app.errors import PictureError
from customer_app.settings import settings

LARGE, SMALL = 512, 64
SIZES = (LARGE, SMALL)
# MPO is how Pillow names camera JPEGs that carry extra preview frames; they are ordinary JPEGs to a user.
_ACCEPTED_FORMATS = {"JPEG", "MPO", "PNG", "WEBP", "GIF"}
# secrets.token_urlsafe(18) yields exactly 24 URL-safe characters; anything else is not one of our keys.
_KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{24}")
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))

NOT_A_PICTURE = "This file is not a JPEG, PNG, WebP or GIF picture."
DAMAGED = "The picture file is damaged or incomplete."
TOO_MANY_PIXELS = "The picture is too large in pixels."


def picture_filename(key: str, size: int) -> str:
    """Name of the stored file for a picture key at one of the thumbnail sizes."""
    if size not in SIZES:
        raise ValueError(f"size must be one of {SIZES}, not {size}")
    return f"{key}_{size}.webp"


def store_upload(data: bytes) -> str:
    """Store a picture someone uploaded, under the workspace's limits and in its picture folder; returns its key."""
    return store_picture(
        data,
        directory=settings.picture_dir,
        max_bytes=settings.picture_max_bytes,
        max_pixels=settings.picture_max_pixels,
    )


def store_picture(data: bytes, *, directory: Path, max_bytes: int, max_pixels: int) -> str:
    """Validate an uploaded picture, store its 512 px and 64 px WebP squares and return their key."""
    if len(data) > max_bytes:
        raise PictureError(f"The picture is larger than {_size_label(max_bytes)}.")
    image = _decode(data, max_pixels=max_pixels, target=LARGE)
    # Encode everything before touching the disk so a bad picture never leaves half a pair behind.
    large = _square(image, LARGE)
    # The small size is shrunk from the large one: same crop, a fraction of the work.
    encoded = {LARGE: _encode_webp(large), SMALL: _encode_webp(_square(large, SMALL))}
    key = secrets.token_urlsafe(18)
    directory.mkdir(parents=True, exist_ok=True)
    try:
        for size, payload in encoded.items():
            _write_atomically(directory / picture_filename(key, size), payload)
    except BaseException:
        delete_picture(key, directory=directory)
        raise
    return key


def delete_picture(key: str, *, directory: Path) -> None:
    """Remove both stored sizes of a picture; missing files are not an error."""
    if not _KEY_PATTERN.fullmatch(key):
        # The key may come from a database row or a client; never let it name a path outside `directory`.
        raise PictureError("This is not a valid picture reference.")
    for size in SIZES:
        (directory / picture_filename(key, size)).unlink(missing_ok=True)


def _decode(data: bytes, *, max_pixels: int, target: int) -> Image.Image:
    """Open the bytes as an accepted picture, upright, in RGB/RGBA, decoded no larger than needed."""
    try:
        # Image.open reads only the header, so the pixel count is known before any decoding work.
        image = Image.open(io.BytesIO(data), formats=sorted(_ACCEPTED_FORMATS - {"MPO"}))
        if image.format not in _ACCEPTED_FORMATS:
            raise PictureError(NOT_A_PICTURE)
        if image.width * image.height > max_pixels:
            raise PictureError(TOO_MANY_PIXELS)
        # JPEG only: let libjpeg scale by 1/2, 1/4 or 1/8 while decoding, keeping both sides >= target.
        image.draft("RGB", (target, target))
        image.load()  # first frame only for animations
        return _to_srgb(_upright(image))
    except PictureError:
        raise
    # Pillow signals the bomb as an error; the warning only arrives if a filter escalated it.
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise PictureError(TOO_MANY_PIXELS) from exc
    except Image.UnidentifiedImageError as exc:
        raise PictureError(NOT_A_PICTURE) from exc
    # Truncated or corrupt data surfaces from the decoders as any of these.
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error) as exc:
        raise PictureError(DAMAGED) from exc


def _upright(image: Image.Image) -> Image.Image:
    """Apply the EXIF orientation so phone photos are not stored sideways."""
    try:
        return ImageOps.exif_transpose(image)
    except (SyntaxError, ValueError, TypeError, KeyError, IndexError, OSError, struct.error):
        return image  # malformed EXIF is common in the wild; the pixels themselves are fine


def _to_srgb(image: Image.Image) -> Image.Image:
    """Convert to RGB or RGBA, mapping an embedded colour profile to sRGB since the profile is dropped."""
    if image.mode.startswith("I"):  # 16-bit greyscale PNG: Pillow's direct conversion clips it to white
        image = image.convert("I").point(lambda value: value / 256).convert("L")
    mode = "RGBA" if image.has_transparency_data else "RGB"
    icc = image.info.get("icc_profile")
    if icc and image.mode in ("RGB", "RGBA", "CMYK", "L"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            converted = ImageCms.profileToProfile(image, source, _SRGB, outputMode=mode)
            if converted is not None:  # None only when converting in place
                return converted
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile is not worth refusing the picture over; keep the raw pixels
    return image.convert(mode)


def _square(image: Image.Image, size: int) -> Image.Image:
    """Centre-crop to a square and shrink to at most `size` pixels a side (never enlarge)."""
    crop = min(image.width, image.height)
    left, top = (image.width - crop) // 2, (image.height - crop) // 2
    side = min(size, crop)
    # resize(box=...) crops and scales in one pass; reducing_gap pre-shrinks by whole factors (fast, sharp).
    return image.resize(
        (side, side), Image.Resampling.LANCZOS, box=(left, top, left + crop, top + crop), reducing_gap=3.0
    )


def _encode_webp(image: Image.Image) -> bytes:
    """WebP bytes of the pixels alone: no EXIF (GPS), no XMP, no ICC profile."""
    image.info = {}  # belt and braces: some Pillow versions copy metadata from info when saving
    buffer = io.BytesIO()
    image.save(buffer, "WEBP", quality=85, method=4, exif=b"", xmp=b"", icc_profile=None)
    return buffer.getvalue()


def _write_atomically(path: Path, payload: bytes) -> None:
    """Write via a temporary sibling and rename, so readers never see a half-written file."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        with open(temporary, "xb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _size_label(n_bytes: int) -> str:
    """Human size for a limit, e.g. 10485760 -> '10 MB'."""
    unit, scale = ("MB", 1024 * 1024) if n_bytes >= 1024 * 1024 else ("KB", 1024)
    return f"{round(n_bytes / scale, 1):g} {unit}"


def stored_keys(directory: Path, *, older_than: float) -> set[str]:
    """Keys of the pictures in `directory` whose files were written before `older_than` (a Unix time)."""
    keys = set()
    for path in directory.glob("*.webp") if directory.exists() else ():
        key = path.name.rsplit("_", 1)[0]
        if _KEY_PATTERN.fullmatch(key) and path.stat().st_mtime < older_than:
            keys.add(key)
    return keys

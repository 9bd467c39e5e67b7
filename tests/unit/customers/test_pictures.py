"""Behaviour of the profile-picture pipeline on real picture bytes made with Pillow."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageCms
from PIL.GifImagePlugin import GifImageFile

from customer_app.customers.pictures import delete_picture, picture_filename, store_picture
from customer_app.errors import PictureError

MB = 1024 * 1024
RED, BLUE = (255, 0, 0), (0, 0, 255)


def _store(data: bytes, directory: Path, *, max_bytes: int = 10 * MB, max_pixels: int = 50_000_000) -> str:
    return store_picture(data, directory=directory, max_bytes=max_bytes, max_pixels=max_pixels)


def _encode(image: Image.Image, fmt: str, **params) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def _halves(size: tuple[int, int], left=RED, right=BLUE) -> Image.Image:
    """An image whose left half is one colour and right half another."""
    image = Image.new("RGB", size, right)
    image.paste(left, (0, 0, size[0] // 2, size[1]))
    return image


def _open_stored(directory: Path, key: str, size: int) -> Image.Image:
    image = Image.open(directory / picture_filename(key, size))
    image.load()
    return image


def _close_to(pixel, colour, tolerance: int = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour, strict=True))


def _huge_png(width: int, height: int) -> bytes:
    """A valid, tiny 1-bit PNG that declares width x height pixels (a decompression bomb)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte + packed bits
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


@pytest.mark.parametrize(
    ("fmt", "mode"),
    [("JPEG", "RGB"), ("PNG", "RGB"), ("PNG", "RGBA"), ("WEBP", "RGB")],
)
def test_accepted_formats_are_stored_as_512_and_64_pixel_webp_squares(tmp_path, fmt, mode):
    data = _encode(_halves((900, 600)).convert(mode), fmt)

    key = _store(data, tmp_path)

    for size in (512, 64):
        stored = _open_stored(tmp_path, key, size)
        assert stored.format == "WEBP"
        assert stored.size == (size, size)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([f"{key}_512.webp", f"{key}_64.webp"])


def test_keys_are_unguessable_url_safe_and_distinct_per_upload(tmp_path):
    data = _encode(_halves((100, 100)), "PNG")

    keys = {_store(data, tmp_path) for _ in range(3)}

    assert len(keys) == 3
    for key in keys:
        assert len(key) <= 64
        assert len(key) >= 22
        assert key.replace("-", "").replace("_", "").isalnum()


def test_transparency_survives_in_the_stored_webp(tmp_path):
    image = Image.new("RGBA", (600, 600), (0, 0, 0, 0))
    image.paste((0, 200, 0, 255), (200, 200, 400, 400))

    key = _store(_encode(image, "PNG"), tmp_path)

    stored = _open_stored(tmp_path, key, 512)
    assert stored.mode == "RGBA"
    corner, middle = stored.getpixel((5, 5)), stored.getpixel((256, 256))
    assert isinstance(corner, tuple)
    assert isinstance(middle, tuple)
    assert corner[3] == 0
    assert middle[3] == 255


def test_16_bit_greyscale_png_keeps_its_tone_instead_of_turning_white(tmp_path):
    data = _encode(Image.new("I;16", (600, 600), 0x8000), "PNG")

    key = _store(data, tmp_path)

    assert _close_to(_open_stored(tmp_path, key, 64).getpixel((32, 32)), (128, 128, 128), tolerance=6)


def test_wide_picture_is_centre_cropped_not_squashed(tmp_path):
    # Red | blue | red bands: only a centre crop keeps blue in the middle and red at both edges.
    image = Image.new("RGB", (1800, 600), RED)
    image.paste(BLUE, (600, 0, 1200, 600))

    key = _store(_encode(image, "PNG"), tmp_path)

    stored = _open_stored(tmp_path, key, 512)
    assert _close_to(stored.getpixel((256, 256)), BLUE)
    assert _close_to(stored.getpixel((5, 256)), BLUE)
    assert _close_to(stored.getpixel((506, 256)), BLUE)


def test_small_picture_is_not_enlarged(tmp_path):
    key = _store(_encode(_halves((120, 90)), "PNG"), tmp_path)

    assert _open_stored(tmp_path, key, 512).size == (90, 90)
    assert _open_stored(tmp_path, key, 64).size == (64, 64)


def test_animated_gif_is_stored_from_its_first_frame(tmp_path):
    frames = [Image.new("RGB", (300, 300), colour) for colour in (RED, (0, 255, 0), BLUE)]
    data = _encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    gif = Image.open(io.BytesIO(data))
    assert isinstance(gif, GifImageFile)
    assert gif.n_frames == 3

    key = _store(data, tmp_path)

    stored = _open_stored(tmp_path, key, 64)
    assert getattr(stored, "n_frames", 1) == 1
    assert _close_to(stored.getpixel((32, 32)), RED)


def test_exif_orientation_6_is_applied_so_the_photo_is_upright(tmp_path):
    # Stored sideways: red on the left. Orientation 6 means "rotate 90° clockwise to view",
    # which puts red on top — so after a centre crop the top-right corner is red, not blue.
    exif = Image.Exif()
    exif[0x0112] = 6
    data = _encode(_halves((1200, 600)), "JPEG", exif=exif.tobytes(), quality=95)

    key = _store(data, tmp_path)

    stored = _open_stored(tmp_path, key, 512)
    assert _close_to(stored.getpixel((500, 10)), RED)
    assert _close_to(stored.getpixel((500, 500)), BLUE)


def test_gps_exif_xmp_and_icc_metadata_are_never_stored(tmp_path):
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (48.0, 51.0, 29.0)
    gps[3], gps[4] = "E", (2.0, 17.0, 40.0)
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>'
    data = _encode(_halves((800, 800)), "JPEG", exif=exif.tobytes(), icc_profile=icc, xmp=xmp)
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)  # the source really carries GPS

    key = _store(data, tmp_path)

    for size in (512, 64):
        stored = _open_stored(tmp_path, key, size)
        assert "exif" not in stored.info
        assert not stored.getexif()
        assert "icc_profile" not in stored.info
        assert "xmp" not in stored.info
        raw = (tmp_path / picture_filename(key, size)).read_bytes()
        assert b"EXIF" not in raw
        assert b"ICCP" not in raw
        assert b"XMP " not in raw


def test_truncated_jpeg_is_refused_as_damaged(tmp_path):
    data = _encode(_halves((800, 600)), "JPEG")

    with pytest.raises(PictureError, match="damaged or incomplete"):
        _store(data[: len(data) // 2], tmp_path)
    assert not tmp_path.exists() or not any(tmp_path.iterdir())


@pytest.mark.parametrize(
    "data",
    [b"hello", b"", b"%PDF-1.7\n" + b"0" * 100, _encode(Image.new("RGB", (50, 50)), "BMP")],
    ids=["text-named-jpg", "empty", "pdf", "bmp"],
)
def test_files_that_are_not_jpeg_png_webp_or_gif_are_refused_whatever_their_name(tmp_path, data):
    with pytest.raises(PictureError, match=r"not a JPEG, PNG, WebP or GIF picture"):
        _store(data, tmp_path)


@pytest.mark.parametrize(
    ("width", "height"),
    [(20_000, 20_000), (10_000, 6_000)],
    ids=["beyond-pillows-own-limit", "under-pillows-limit-over-ours"],
)
def test_decompression_bomb_is_refused_before_decoding(tmp_path, width, height):
    data = _huge_png(width, height)  # tens or hundreds of millions of pixels in a file of kilobytes
    assert len(data) < 200_000

    with pytest.raises(PictureError, match="too large in pixels"):
        _store(data, tmp_path)


def test_pixel_limit_is_the_callers_not_pillows(tmp_path):
    data = _encode(_halves((300, 300)), "PNG")

    with pytest.raises(PictureError, match="too large in pixels"):
        _store(data, tmp_path, max_pixels=300 * 300 - 1)
    assert _store(data, tmp_path, max_pixels=300 * 300)


def test_file_over_the_byte_limit_is_refused_with_the_limit_in_megabytes(tmp_path):
    data = b"\xff\xd8" + b"\x00" * (2 * MB)

    with pytest.raises(PictureError, match=r"^The picture is larger than 2 MB\.$"):
        _store(data, tmp_path, max_bytes=2 * MB)
    with pytest.raises(PictureError, match=r"^The picture is larger than 10 MB\.$"):
        _store(b"\x00" * (10 * MB + 1), tmp_path, max_bytes=10 * MB)


def test_missing_directory_is_created(tmp_path):
    directory = tmp_path / "uploads" / "pictures"

    key = _store(_encode(_halves((100, 100)), "PNG"), directory)

    assert (directory / picture_filename(key, 64)).is_file()


def test_delete_picture_removes_both_files_and_tolerates_missing_ones(tmp_path):
    key = _store(_encode(_halves((100, 100)), "PNG"), tmp_path)

    delete_picture(key, directory=tmp_path)
    delete_picture(key, directory=tmp_path)  # already gone: no error

    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize(
    "key", ["../etc/passwd", "../../aaaaaaaaaaaaaaaaaaaa", "/etc/passwd", "", "a" * 23 + "/", "a" * 65]
)
def test_delete_picture_rejects_keys_that_could_escape_the_directory(tmp_path, key):
    outside = tmp_path / "keep_512.webp"
    outside.write_bytes(b"x")

    with pytest.raises(PictureError):
        delete_picture(key, directory=tmp_path / "pictures")
    assert outside.exists()

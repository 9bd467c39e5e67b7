"""Time the profile-picture pipeline on a 12-megapixel photo against a naive full-resolution decode."""

from __future__ import annotations

import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

# Run from a checkout without installing the project.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PIL import Image

from customer_app.customers.pictures import delete_picture, store_picture

WIDTH, HEIGHT = 4000, 3000
RUNS = 5


def make_photo() -> bytes:
    """A 12 MP JPEG that compresses like a photo: smooth gradients plus sensor-like noise, quality 90."""
    gradient = Image.linear_gradient("L").resize((WIDTH, HEIGHT))
    red = gradient
    green = gradient.rotate(90).resize((WIDTH, HEIGHT))
    blue = Image.radial_gradient("L").resize((WIDTH, HEIGHT))
    noise = Image.effect_noise((WIDTH, HEIGHT), 24)
    base = Image.merge("RGB", (red, green, blue))
    photo = Image.blend(base, Image.merge("RGB", (noise, noise, noise)), 0.25)
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def naive(data: bytes, directory: Path) -> None:
    """What one writes first: decode every pixel, then resize and save each size."""
    image = Image.open(io.BytesIO(data))
    image.load()
    for size in (512, 64):
        image.resize((size, size), Image.Resampling.LANCZOS).save(directory / f"naive_{size}.webp", "WEBP")


def median_ms(action) -> float:
    """Median wall time of RUNS calls, after one warm-up call."""
    action()
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    data = make_photo()
    with tempfile.TemporaryDirectory() as folder:
        directory = Path(folder)

        def pipeline() -> None:
            key = store_picture(data, directory=directory, max_bytes=10 * 1024 * 1024, max_pixels=50_000_000)
            delete_picture(key, directory=directory)

        pipeline_ms = median_ms(pipeline)
        naive_ms = median_ms(lambda: naive(data, directory))
    print(f"input: {WIDTH}x{HEIGHT} JPEG q90, {len(data) / 1e6:.1f} MB; median of {RUNS} runs")
    print(
        f"picture pipeline 12 MP: {pipeline_ms:.1f} ms median; "
        f"naive full decode+resize: {naive_ms:.1f} ms; ratio {pipeline_ms / naive_ms:.2f}"
    )


if __name__ == "__main__":
    main()

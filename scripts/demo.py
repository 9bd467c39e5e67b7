"""Load N demo customers into the configured database: `python scripts/demo.py 200`."""

import io
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image, ImageDraw

from customer_app.core.db import engine
from customer_app.customers import pictures
from customer_app.customers.demo_data import insert_demo
from customer_app.settings import settings

PICTURES = 12


def demo_picture(n: int) -> bytes:
    """A small colourful portrait-like JPEG."""
    image = Image.new("RGB", (640, 480), (40 + n * 17 % 200, 90 + n * 31 % 150, 160 + n * 13 % 90))
    draw = ImageDraw.Draw(image)
    draw.ellipse((220, 80, 420, 280), fill=(245, 222, 200))
    draw.rectangle((170, 300, 470, 480), fill=(30 + n * 11 % 120, 60, 120))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def main(count: int) -> None:
    """Insert `count` customers, the first few with pictures, and report the time taken."""
    started = time.perf_counter()
    keys = [
        pictures.store_picture(
            demo_picture(n),
            directory=settings.picture_dir,
            max_bytes=settings.picture_max_bytes,
            max_pixels=settings.picture_max_pixels,
        )
        for n in range(min(PICTURES, count))
    ]
    with engine().begin() as connection:
        insert_demo(connection, count, pictures=keys)
    print(f"Loaded {count:,} demo customers in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)

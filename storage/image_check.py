"""图片校验 — whether uploaded bytes really are the PNG or JPEG image they claim to be: Pillow reads the header
and checks the file's structure (``verify``: PNG chunks and their checksums; a JPEG's markers) without decoding
the pixels, and an image larger than ``MAX_PIXELS`` is refused before anything is decoded, so a small file
cannot make the check expand to gigabytes. Pillow is already installed for fpdf2 (which depends on it)."""

from __future__ import annotations

import io
import warnings

from PIL import Image

MAX_PIXELS = 50_000_000
"""50 megapixels: beyond any phone photo of a site or document."""

FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG"}


def readable_image(content: bytes, media_type: str) -> bool:
    """The bytes open as an image of ``media_type`` (image/png or image/jpeg) and pass Pillow's verify."""
    expected = FORMATS.get(media_type)
    if expected is None:
        return False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                if image.format != expected or image.width * image.height > MAX_PIXELS:
                    return False
                image.verify()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        return False
    return True

"""QImage <-> NumPy helpers and loading an image file as an ink-bright digit.

Ink-bright means what MNIST and :func:`engine.preprocess_canvas` use: 0 is background,
255 is ink. Photos and scans are usually dark ink on a light page, so loading detects the
polarity and inverts when the image is mostly bright.
"""

from __future__ import annotations

import os

import numpy as np
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor, QImage, QImageReader, QPainter

from engine import GREY_MAX

#: A grey level above this (of GREY_MAX) counts as bright when deciding the polarity.
BRIGHT_LEVEL = 128
#: Pixels with alpha below this (of 255) count as transparent background.
TRANSPARENT_ALPHA = 128
#: Refuse images with more pixels than this (a decompression bomb must not fill memory).
MAX_IMAGE_PIXELS = 40_000_000


def qimage_to_gray(image: QImage) -> np.ndarray:
    """Grey levels (H, W) uint8 of ``image``, copied out of Qt's padded rows."""
    img = image.convertToFormat(QImage.Format.Format_Grayscale8)
    buf = np.frombuffer(img.constBits(), np.uint8, count=img.sizeInBytes())
    return buf.reshape(img.height(), img.bytesPerLine())[:, : img.width()].copy()


def gray_to_qimage(gray: np.ndarray) -> QImage:
    """A Grayscale8 QImage owning a copy of ``gray`` (H, W) uint8."""
    a = np.ascontiguousarray(gray, dtype=np.uint8)
    if a.ndim != 2:
        raise ValueError(f"expected a 2-D grey image, got shape {a.shape}")
    h, w = a.shape
    # QImage does not own a foreign buffer: copy() detaches it before ``a`` can be freed.
    return QImage(a.data, w, h, w, QImage.Format.Format_Grayscale8).copy()


def rgb_to_qimage(rgb: np.ndarray) -> QImage:
    """An RGB32 QImage owning a copy of ``rgb`` (H, W) uint32 holding 0xFFRRGGBB values."""
    a = np.ascontiguousarray(rgb, dtype=np.uint32)
    h, w = a.shape
    return QImage(a.data, w, h, 4 * w, QImage.Format.Format_RGB32).copy()


def _flatten_transparency(image: QImage) -> QImage:
    """Composite a transparent image onto the background that contrasts with its ink.

    A drawing saved with a transparent background holds its ink in the opaque pixels, so
    the background is made the opposite shade of those pixels (white under dark ink).
    """
    argb = image.convertToFormat(QImage.Format.Format_ARGB32)
    buf = np.frombuffer(argb.constBits(), np.uint32, count=argb.sizeInBytes() // 4)
    pixels = buf.reshape(argb.height(), argb.bytesPerLine() // 4)[:, : argb.width()]
    alpha = pixels >> 24
    opaque = alpha >= TRANSPARENT_ALPHA
    if opaque.all():
        return argb
    grey = qimage_to_gray(argb)
    ink_is_dark = opaque.any() and float(np.median(grey[opaque])) < BRIGHT_LEVEL
    out = QImage(argb.size(), QImage.Format.Format_RGB32)
    out.fill(QColor(Qt.GlobalColor.white if ink_is_dark else Qt.GlobalColor.black))
    painter = QPainter(out)
    painter.drawImage(0, 0, argb)
    painter.end()
    return out


def to_ink_bright(gray: np.ndarray) -> np.ndarray:
    """Turn a grey image (H, W) uint8 of a digit into ink-bright uint8 (0 background, 255 ink).

    Inverts a mostly bright image (dark ink on paper), then maps the background level (the
    median) to 0 and strong ink to 255, so a grey page does not read as faint ink everywhere.
    """
    a = np.asarray(gray, dtype=np.float32)
    if float(np.median(a)) >= BRIGHT_LEVEL:
        a = GREY_MAX - a
    background, full = float(np.median(a)), float(a.max())
    if full <= background:  # one flat colour: no ink
        return np.zeros(a.shape, dtype=np.uint8)
    ink = (a - background) * (GREY_MAX / (full - background))
    return np.clip(np.rint(ink), 0, GREY_MAX).astype(np.uint8)


def load_ink_image(path: str | os.PathLike) -> np.ndarray:
    """Read an image file as an ink-bright grey array (H, W) uint8.

    Raises
    ------
    ValueError
        Naming the file when it is missing, not an image Qt can read, empty or too large.
    """
    path = os.fspath(path)
    name = os.path.basename(path) or path
    if not os.path.isfile(path):
        raise ValueError(
            QCoreApplication.translate("image_io", "{name}: file not found").format(name=name)
        )
    reader = QImageReader(path)
    size = reader.size()
    if size.isValid() and size.width() * size.height() > MAX_IMAGE_PIXELS:
        raise ValueError(
            QCoreApplication.translate(
                "image_io", "{name}: {width}×{height} pixels is too large (at most {most} pixels)"
            ).format(
                name=name,
                width=size.width(),
                height=size.height(),
                most=f"{MAX_IMAGE_PIXELS:,}",
            )
        )
    image = reader.read()
    if image.isNull():
        raise ValueError(
            QCoreApplication.translate(
                "image_io", "{name}: not a readable image ({reason})"
            ).format(name=name, reason=reader.errorString())
        )
    if image.hasAlphaChannel():
        image = _flatten_transparency(image)
    return to_ink_bright(qimage_to_gray(image))


def ink_colour_table(page: QColor, ink: QColor) -> np.ndarray:
    """(256,) uint32 0xFFRRGGBB colours blending ``page`` (level 0) into ``ink`` (level 255)."""
    t = np.linspace(0.0, 1.0, GREY_MAX + 1)
    channels = []
    for lo, hi in ((page.red(), ink.red()), (page.green(), ink.green()), (page.blue(), ink.blue())):
        channels.append(np.rint(lo + (hi - lo) * t).astype(np.uint32))
    r, g, b = channels
    return np.uint32(0xFF000000) | (r << 16) | (g << 8) | b


def ink_to_display(gray: np.ndarray, colour_table: np.ndarray) -> QImage:
    """Colour an ink-bright (H, W) uint8 image with :func:`ink_colour_table` for display."""
    return rgb_to_qimage(colour_table[np.asarray(gray, dtype=np.uint8)])

"""Stroke-width normalisation: make a thin-pen or thick-pen drawing look MNIST-bold.

Works on a digit already scaled so its longer side is :data:`WORK_SIDE` px. The stroke
width is estimated from the distance transform: across a stroke of width ``w`` the distance
to the background runs from 0 to ``w / 2`` and back, so its mean over the ink is ``w / 4``
(plus half a pixel for pixel centres). The ink is then redrawn at the target width from
its signed distance, with a one-pixel anti-aliased edge.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

#: Working resolution: the digit's longer side, in pixels, while strokes are normalised
#: (4× the 20-px MNIST box, so widths have sub-pixel precision in the final image).
WORK_SIDE = 80
#: Median MNIST stroke width at WORK_SIDE, measured by :func:`stroke_width` on the
#: 60,000 training digits upscaled the same way (see bench/measure_strokes.py).
MNIST_STROKE_WIDTH = 11.0
#: A pixel at or above this level counts as ink when measuring.
INK_LEVEL = 0.5


def stroke_width(image: np.ndarray) -> float:
    """Estimated stroke width (pixels) of the ink in ``image``; 0 for a blank image."""
    ink = image >= INK_LEVEL
    if not ink.any():
        return 0.0
    inside = ndimage.distance_transform_edt(ink)
    return float(4.0 * (inside[ink].mean() - 0.5))


def normalise_strokes(image: np.ndarray, target: float = MNIST_STROKE_WIDTH) -> np.ndarray:
    """Redraw the ink of ``image`` (h, w) in [0, 1] with stroke width ``target``.

    A blank image comes back unchanged. Thinning never erases a stroke completely: each
    stroke keeps at least its centre line.
    """
    ink = image >= INK_LEVEL
    if not ink.any():
        return image
    change = (target - stroke_width(image)) / 2  # grow (>0) or shrink (<0) each side
    pad = max(0, int(np.ceil(change)) + 1)
    ink = np.pad(ink, pad)
    inside = ndimage.distance_transform_edt(ink)
    outside = ndimage.distance_transform_edt(~ink)
    signed = np.where(ink, inside - 0.5, 0.5 - outside)  # >0 inside, distance to the edge
    if change < 0:
        # never thinner than the centre line: clamp the shrink per pixel by the local ridge
        ridge = ndimage.maximum_filter(inside, size=3)
        change = np.maximum(change, 1.0 - ridge)
    out = np.clip(signed + change + 0.5, 0.0, 1.0).astype(np.float32)
    return out[pad:out.shape[0] - pad, pad:out.shape[1] - pad] if pad else out

"""The Train tab's colours stay apart for the common colour-vision deficiencies.

Each colour is passed through Machado, Oliveira & Fernandes (2009), "A physiologically-based
model for simulation of color vision deficiency" (IEEE TVCG 15(6)), at severity 1 (complete
protanopia, deuteranopia, tritanopia), applied to linear RGB; the results are compared in
CIELAB (D65) with the CIEDE2000 colour difference.

Threshold: a CIEDE2000 difference of 1 is about one just-noticeable difference between large
patches seen side by side; thin curves need several times that (Stone, Szafir & Setlur 2014,
"An engineering model for color difference as a function of size", put the difference half of
viewers notice on small marks near 5-6). :data:`MIN_RUN_DE` = 6 asks every pair of run colours
for at least that under each deficiency. The Tableau 10 palette the curves used before fails
it (orange against green under protanopia: 1.3, below one JND), which the last test checks.
The diverging map's two ends must read as opposites, far further apart (:data:`MIN_ENDS_DE`).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from PySide6.QtGui import QColor

from softmax_gui.train.edge_glyphs import RAY_COLOUR
from softmax_gui.train.plot_style import RUN_COLOURS, run_colour
from softmax_gui.train.weights_view import NEUTRAL, diverging_map
from softmax_gui.widgets import colours

MIN_RUN_DE = 6.0
MIN_ENDS_DE = 30.0
#: Machado et al. (2009), Table 1 at severity 1.0: linear RGB -> simulated linear RGB.
MACHADO = {
    "protanopia": [
        [0.152286, 1.052583, -0.204868],
        [0.114503, 0.786281, 0.099216],
        [-0.003882, -0.048116, 1.051998],
    ],
    "deuteranopia": [
        [0.367322, 0.860646, -0.227968],
        [0.280085, 0.672501, 0.047413],
        [-0.011820, 0.042940, 0.968881],
    ],
    "tritanopia": [
        [1.255528, -0.076749, -0.178779],
        [-0.078411, 0.930809, 0.147602],
        [0.004733, 0.691367, 0.303900],
    ],
}
#: The run colours before: Tableau 10 (matplotlib's default cycle).
TABLEAU_10 = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)
_SRGB_TO_XYZ = np.array(
    [
        [0.4124564, 0.3575761, 0.1804375],
        [0.2126729, 0.7151522, 0.0721750],
        [0.0193339, 0.1191920, 0.9503041],
    ]
)
_D65 = np.array([0.95047, 1.0, 1.08883])


def linear(rgb: np.ndarray) -> np.ndarray:
    """sRGB in [0, 1] -> linear RGB."""
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def lab_of_linear(lin: np.ndarray) -> np.ndarray:
    """Linear RGB -> CIELAB (D65)."""
    t = (_SRGB_TO_XYZ @ lin) / _D65
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def seen(colour: str | QColor, deficiency: str) -> np.ndarray:
    """The CIELAB colour a person with ``deficiency`` sees for ``colour``."""
    q = QColor(colour)
    rgb = np.array([q.redF(), q.greenF(), q.blueF()])
    simulated = np.clip(np.array(MACHADO[deficiency]) @ linear(rgb), 0.0, 1.0)
    return lab_of_linear(simulated)


def ciede2000(lab1: np.ndarray, lab2: np.ndarray) -> float:
    """CIEDE2000 colour difference (Sharma, Wu & Dalal 2005)."""
    L1, a1, b1 = lab1
    L2, a2, b2 = lab2
    c_mean = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(c_mean**7 / (c_mean**7 + 25.0**7)))
    a1, a2 = (1 + g) * a1, (1 + g) * a2
    c1, c2 = np.hypot(a1, b1), np.hypot(a2, b2)
    h1, h2 = np.degrees(np.arctan2(b1, a1)) % 360, np.degrees(np.arctan2(b2, a2)) % 360
    dh = 0.0 if c1 * c2 == 0 else (h2 - h1 + 180) % 360 - 180
    d_hue = 2 * np.sqrt(c1 * c2) * np.sin(np.radians(dh / 2))
    l_mean, c_mean = (L1 + L2) / 2, (c1 + c2) / 2
    if c1 * c2 == 0:
        h_mean = h1 + h2
    elif abs(h1 - h2) <= 180:
        h_mean = (h1 + h2) / 2
    else:
        h_mean = (h1 + h2 + 360) / 2 if h1 + h2 < 360 else (h1 + h2 - 360) / 2
    t = (
        1
        - 0.17 * np.cos(np.radians(h_mean - 30))
        + 0.24 * np.cos(np.radians(2 * h_mean))
        + 0.32 * np.cos(np.radians(3 * h_mean + 6))
        - 0.20 * np.cos(np.radians(4 * h_mean - 63))
    )
    rotation = -np.sin(np.radians(60 * np.exp(-(((h_mean - 275) / 25) ** 2)))) * (
        2 * np.sqrt(c_mean**7 / (c_mean**7 + 25.0**7))
    )
    s_l = 1 + 0.015 * (l_mean - 50) ** 2 / np.sqrt(20 + (l_mean - 50) ** 2)
    s_c = 1 + 0.045 * c_mean
    s_h = 1 + 0.015 * c_mean * t
    dl, dc, dhh = (L2 - L1) / s_l, (c2 - c1) / s_c, d_hue / s_h
    return float(np.sqrt(dl**2 + dc**2 + dhh**2 + rotation * dc * dhh))


def closest_pair(palette: tuple[str, ...], deficiency: str) -> float:
    """The smallest difference between two colours of ``palette`` as ``deficiency`` sees them."""
    return min(
        ciede2000(seen(a, deficiency), seen(b, deficiency))
        for a, b in itertools.combinations(palette, 2)
    )


def test_ciede2000_matches_the_published_test_data():
    # Sharma, Wu & Dalal (2005), Table 1, pairs 1 and 17
    assert ciede2000(np.array([50, 2.6772, -79.7751]), np.array([50, 0, -82.7485])) == (
        pytest.approx(2.0425, abs=1e-4)
    )
    assert ciede2000(np.array([50, 2.5, 0]), np.array([73, 25, -18])) == pytest.approx(
        27.1492, abs=1e-4
    )


def test_the_runs_take_the_okabe_ito_colours_in_order():
    shown = [run_colour(n).name() for n in range(1, len(colours.OKABE_ITO) + 2)]
    assert shown == [c.lower() for c in (*colours.OKABE_ITO, colours.OKABE_ITO[0])]


@pytest.mark.parametrize("deficiency", list(MACHADO))
def test_every_two_run_colours_stay_apart(deficiency):
    assert closest_pair(tuple(RUN_COLOURS), deficiency) >= MIN_RUN_DE


@pytest.mark.parametrize("deficiency", list(MACHADO))
def test_the_diverging_ends_stay_apart_and_off_the_middle(deficiency):
    cmap = diverging_map()
    low, high = (QColor(*cmap.map(x, mode="byte")[:3]) for x in (0.0, 1.0))
    assert low == colours.AGAINST_COLOUR and high == colours.FOR_COLOUR
    ends = [seen(c, deficiency) for c in (low, high)]
    middle = seen(NEUTRAL, deficiency)
    assert ciede2000(*ends) >= MIN_ENDS_DE
    assert min(ciede2000(end, middle) for end in ends) >= MIN_RUN_DE


def test_the_edge_glyphs_draw_in_the_for_colour():
    assert RAY_COLOUR == colours.FOR_COLOUR


def test_the_check_catches_the_old_tableau_palette():
    assert closest_pair(TABLEAU_10, "protanopia") < MIN_RUN_DE
    assert closest_pair(TABLEAU_10, "deuteranopia") < MIN_RUN_DE

"""Engine text the Draw, Gradient check and Evaluate tabs show is worded by the GUI: every
value the engine can produce has a translation entry (found by pyside6-lupdate), and the
GUI's wording of a gradient-check coordinate says what the engine's does."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import engine
from engine.data.dataset_kinds import KNOWN_KINDS
from engine.features.maps import PART_NAMES
from engine.gradcheck import describe_coordinate
from softmax_gui.checks import engine_words
from softmax_gui.checks.coordinates import describe
from softmax_gui.draw.evidence_parts import PART_LABELS

ROOT = Path(__file__).resolve().parents[2]
LUPDATE = Path(sys.executable).with_name("pyside6-lupdate")


def engine_values() -> set[str]:
    """Every class name (other than the digits) and subject of the datasets the engine
    knows."""
    values = {kind.subject for kind in KNOWN_KINDS}
    for kind in KNOWN_KINDS:
        values |= set(kind.class_names) - set(engine.DIGIT_NAMES)
    return values


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> dict[str, set[str]]:
    """The messages pyside6-lupdate finds in the modules of these tabs, by context."""
    ts = tmp_path_factory.mktemp("ts") / "words.ts"
    sources = sorted(
        str(p) for d in ("checks", "draw") for p in (ROOT / "softmax_gui" / d).glob("*.py")
    )
    subprocess.run([str(LUPDATE), *sources, "-ts", str(ts), "-silent"], check=True)
    found: dict[str, set[str]] = {}
    for context in ET.parse(ts).getroot().iter("context"):
        messages = {m.findtext("source") or "" for m in context.iter("message")}
        found.setdefault(context.findtext("name") or "", set()).update(messages)
    return found


def test_every_engine_value_shown_has_an_entry(extracted):
    values = engine_values()
    assert {"clothing images", "Ankle boot", "ki"} <= values  # the values are really read
    assert values <= set(engine_words.CLASS_NAMES + engine_words.SUBJECTS)
    assert values <= extracted["engine_words"]


def test_every_part_of_an_input_map_has_a_label(extracted):
    parts = {*PART_NAMES, "offset"}
    assert parts == set(PART_LABELS)
    assert set(PART_LABELS.values()) <= extracted["evidence_parts"]


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("W[523,8]", {}),
        ("b[3]", {}),
        ("W[900,2]", {"pixels": False}),
        ("W[10,1]", {"class_names": engine.DIGIT_NAMES}),
        ("b[0]", {"class_names": ("T-shirt/top",) + engine.DIGIT_NAMES[1:]}),
        ("W[40,9]", {"class_names": engine.DIGIT_NAMES[:9] + ("Ankle boot",)}),
    ],
)
def test_the_gui_words_a_coordinate_as_the_engine_does(qapp, name, kwargs):
    # no translator is installed: the GUI's English is the engine's
    coordinate = engine.locate_coordinate(name, **kwargs)
    assert describe(coordinate) == describe_coordinate(name, **kwargs)


def test_a_check_gives_its_coordinates_as_data(mnist_small):
    result = engine.gradient_check(mnist_small.X_test[:20], mnist_small.y_test[:20], n_checks=12)
    assert len(result.coordinates) == len(result.parameter) == 12
    for name, coordinate, meaning in zip(
        result.parameter, result.coordinates, result.meaning, strict=True
    ):
        assert coordinate == engine.locate_coordinate(name)
        assert describe(coordinate) == meaning

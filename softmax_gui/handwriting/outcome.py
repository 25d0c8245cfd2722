"""What the app says after a correction, and which model reads and learns: plain sentences
built from plain facts (no widget, no model maths)."""

from __future__ import annotations

from dataclasses import dataclass

import engine


def count_samples(n: int) -> str:
    """ "1 sample", "2 samples"."""
    return f"{n} sample{'' if n == 1 else 's'}"


def n_adapted(model: engine.SoftmaxModel) -> int:
    """How many samples ``model`` was adapted on (0 for a model that was not)."""
    facts = model.metadata.get("adapted")
    return int(facts["n_personal_samples"]) if isinstance(facts, dict) else 0


@dataclass(frozen=True)
class Taught:
    """One correction as the user made it."""

    label: int  # the digit the user said the drawing is
    read_as: int | None  # what the model read it as when they said so (None: unknown)
    turned_use_on: bool  # "Use my handwriting" was off, and teaching turned it on
    also_taught_as: tuple[int, ...] = ()  # the same model input was taught as these too


def taught_text(taught: Taught, now_reads: int) -> str:
    """The outcome of ``taught`` once the model adapted: ``now_reads`` is what the adapted
    model reads the taught drawing as. Says plainly when the correction did not stick."""
    label, before = taught.label, taught.read_as
    if taught.also_taught_as:  # more of the same digit cannot settle it: say what can
        others = " and ".join(str(k) for k in taught.also_taught_as)
        text = (
            f"Taught {label}, but this same drawing was also taught as {others}, and it reads "
            f"{now_reads}: delete the wrong one in My handwriting"
        )
    elif now_reads == label:
        if before is None or before == label:
            text = f"Learnt: it reads {label}, as you taught"
        else:
            text = f"Learnt: now reads {label} (it read {before})"
    else:
        text = f"Taught {label}, but it still reads {now_reads}: teach it a few more {label}s"
    if taught.turned_use_on:
        text += ". “Use my handwriting” was off: teaching turned it back on"
    return text


def forgetting_text(model: engine.SoftmaxModel) -> str:
    """What teaching cost on the images the base learnt from, as the engine measured it on
    held-out training images, e.g. "its training digits: 95.4% → 95.1%"; "" if unknown."""
    facts = model.metadata.get("adapted")
    if not isinstance(facts, dict):
        return ""
    before, after = facts.get("held_out_base_accuracy"), facts.get("held_out_accuracy")
    if not (engine.is_number(before) and engine.is_number(after)):
        return ""
    return f"its training digits: {before:.1%} → {after:.1%}"


def with_cost(text: str, model: engine.SoftmaxModel) -> str:
    """``text`` followed by what teaching cost (:func:`forgetting_text`), when known."""
    cost = forgetting_text(model)
    return f"{text} · {cost}" if cost else text


def base_name(source: str, shipped: bool) -> str:
    """The base model in words: the shipped one, or the run or file it came from."""
    return "the shipped model" if shipped else f"“{source}”"


def reading_text(source: str, shipped: bool, n_used: int, n_samples: int, use: bool) -> str:
    """Which model reads drawings and learns from corrections, e.g. "Reading with: the
    shipped model + your 12 digits"."""
    text = f"Reading with: {base_name(source, shipped)}"
    if not shipped:
        text += " (not the shipped model)"
    if n_used:
        text += f" + your {n_used} digit{'s' if n_used != 1 else ''}"
    elif n_samples and not use:
        text += f"; your {n_samples} digit{'s' if n_samples != 1 else ''} are not used"
    return text

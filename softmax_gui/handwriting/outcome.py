"""What the app says after a correction, and which model reads and learns: plain sentences
built from plain facts (no widget, no model maths), translated (context "outcome")."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

import engine


def count_samples(n: int) -> str:
    """ "1 sample", "2 samples" (a header or a count on its own, not inside a sentence)."""
    if n == 1:
        return QCoreApplication.translate("outcome", "1 sample")
    return QCoreApplication.translate("outcome", "{n} samples").format(n=n)


def digit_list(digits: tuple[int, ...] | list[int]) -> str:
    """ "4", "4 and 7", "1, 4 and 7"."""
    words = [str(d) for d in digits]
    if len(words) < 2:
        return "".join(words)
    return QCoreApplication.translate("outcome", "{digits} and {last}").format(
        digits=", ".join(words[:-1]), last=words[-1]
    )


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


#: An untaught digit's mean probability may fall this much before the status line says so.
LESS_SURE_DROP = 0.02


def taught_text(taught: Taught, now_reads: int) -> str:
    """The outcome of ``taught`` once the model adapted: ``now_reads`` is what the adapted
    model reads the taught drawing as. Says plainly when the correction did not stick."""
    label, before = taught.label, taught.read_as
    if taught.also_taught_as:  # more of the same digit cannot settle it: say what can
        text = QCoreApplication.translate(
            "outcome",
            "Taught {label}, but this same drawing was also taught as {others}, and it reads "
            "{now}: delete the wrong one in My handwriting",
        ).format(label=label, others=digit_list(taught.also_taught_as), now=now_reads)
    elif now_reads == label:
        if before is None or before == label:
            text = QCoreApplication.translate(
                "outcome", "Learnt: it reads {label}, as you taught"
            ).format(label=label)
        else:
            text = QCoreApplication.translate(
                "outcome", "Learnt: now reads {label} (it read {before})"
            ).format(label=label, before=before)
    else:
        text = QCoreApplication.translate(
            "outcome", "Taught {label}, but it still reads {now}: teach it a few more {label}s"
        ).format(label=label, now=now_reads)
    if taught.turned_use_on:
        text = QCoreApplication.translate(
            "outcome", "{outcome}. “Use my handwriting” was off: teaching turned it back on"
        ).format(outcome=text)
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
    cost = QCoreApplication.translate("outcome", "its training digits: {before} → {after}").format(
        before=f"{before:.1%}", after=f"{after:.1%}"
    )
    less_sure = less_sure_text(facts)
    if not less_sure:
        return cost
    return QCoreApplication.translate("outcome", "{cost}; {less_sure}").format(
        cost=cost, less_sure=less_sure
    )


def less_sure_text(facts: dict) -> str:
    """The digit whose held-out training images teaching made the model least sure of, when
    its mean probability fell by :data:`LESS_SURE_DROP` or more, e.g. "3s read less surely:
    95% → 88%"; "" otherwise (an untaught digit can drift without a misread)."""
    before, after = facts.get("held_out_base_confidence"), facts.get("held_out_confidence")
    if not (isinstance(before, list) and isinstance(after, list) and len(before) == len(after)):
        return ""
    drops = [
        (b - a, k)
        for k, (b, a) in enumerate(zip(before, after, strict=True))
        if engine.is_number(b) and engine.is_number(a)
    ]
    if not drops or max(drops)[0] < LESS_SURE_DROP:
        return ""
    digit = max(drops)[1]
    return QCoreApplication.translate(
        "outcome", "{digit}s read less surely: {before} → {after}"
    ).format(digit=digit, before=f"{before[digit]:.0%}", after=f"{after[digit]:.0%}")


def with_cost(text: str, model: engine.SoftmaxModel) -> str:
    """``text`` followed by what teaching cost (:func:`forgetting_text`), when known."""
    cost = forgetting_text(model)
    if not cost:
        return text
    return QCoreApplication.translate("outcome", "{outcome} · {cost}").format(
        outcome=text, cost=cost
    )


def base_name(source: str, shipped: bool) -> str:
    """The base model in words: the shipped one, or the run or file it came from."""
    if shipped:
        return QCoreApplication.translate("outcome", "the shipped model")
    return QCoreApplication.translate("outcome", "“{model}”").format(model=source)


def adapted_name(source: str, n: int) -> str:
    """The name of the model adapted from ``source`` on ``n`` samples."""
    if n == 1:
        return QCoreApplication.translate(
            "outcome", "{model} + your handwriting (1 sample)"
        ).format(model=source)
    return QCoreApplication.translate("outcome", "{model} + your handwriting ({n} samples)").format(
        model=source, n=n
    )


def reading_text(source: str, shipped: bool, n_used: int, n_samples: int, use: bool) -> str:
    """Which model reads drawings and learns from corrections, e.g. "Reading with: the
    shipped model + your 12 digits"."""
    name = base_name(source, shipped)
    if shipped:
        if n_used == 1:
            text = QCoreApplication.translate("outcome", "Reading with: {model} + your 1 digit")
        elif n_used:
            text = QCoreApplication.translate("outcome", "Reading with: {model} + your {n} digits")
        elif n_samples and not use:
            text = (
                QCoreApplication.translate(
                    "outcome", "Reading with: {model}; your 1 digit is not used"
                )
                if n_samples == 1
                else QCoreApplication.translate(
                    "outcome", "Reading with: {model}; your {n} digits are not used"
                )
            )
        else:
            text = QCoreApplication.translate("outcome", "Reading with: {model}")
    elif n_used == 1:
        text = QCoreApplication.translate(
            "outcome", "Reading with: {model} (not the shipped model) + your 1 digit"
        )
    elif n_used:
        text = QCoreApplication.translate(
            "outcome", "Reading with: {model} (not the shipped model) + your {n} digits"
        )
    elif n_samples and not use:
        text = (
            QCoreApplication.translate(
                "outcome", "Reading with: {model} (not the shipped model); your 1 digit is not used"
            )
            if n_samples == 1
            else QCoreApplication.translate(
                "outcome",
                "Reading with: {model} (not the shipped model); your {n} digits are not used",
            )
        )
    else:
        text = QCoreApplication.translate(
            "outcome", "Reading with: {model} (not the shipped model)"
        )
    return text.format(model=name, n=n_used or n_samples)

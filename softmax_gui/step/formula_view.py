"""The arithmetic of one example: each stage's formula, the NumPy line that computes it, and
its ten numbers, one column per class; the loss beneath.

Formulas are plain Unicode or Qt rich text (no LaTeX). Every number comes from an
:class:`engine.StepExplanation`; nothing is computed here but the text.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from engine import STEP_NUMPY_LINES as LINES
from engine import StepExplanation
from softmax_gui.step.engine_words import stage_name
from softmax_gui.step.stage_grid import Row, StageGrid, formatted

#: Values at least this large (in magnitude) are written with fixed decimals, smaller ones
#: in scientific notation, so a probability of 3e-7 does not read as "0.000".
FIXED_FROM = 1e-3
DECIMALS = 3


def format_value(value: float) -> str:
    """A number as the tables show it: ``0.872``, ``−1.204``, ``3.1e−05``, ``0``."""
    v = float(value)
    if v == 0.0:
        return "0"
    if abs(v) >= FIXED_FROM:
        return f"{v:.{DECIMALS}f}".replace("-", "−")
    return f"{v:.1e}".replace("-", "−")


def format_short(value: float) -> str:
    """A number in a small grid cell: two decimals (``0.98``, ``−0.45``, ``0.00``)."""
    return f"{float(value):.2f}".replace("-", "−")


def format_scientific(value: float) -> str:
    """A derivative, to six significant digits: ``0.00112983``, ``−1.23456e−05``."""
    return f"{float(value):.6g}".replace("-", "−")


def code(text: str) -> str:
    """A NumPy line in a fixed-pitch font, for rich text."""
    return f"<code>{html.escape(text)}</code>"


def _values(values: np.ndarray) -> tuple[str, ...]:
    return formatted(values, format_value)


def class_marks(true: int | None, predicted: int | None) -> dict[int, str]:
    """``{class: "y"}``, ``{class: "ŷ"}`` or ``{class: "y = ŷ"}`` for the header."""
    marks: dict[int, str] = {}
    for mark, k in (("y", true), ("ŷ", predicted)):
        if k is not None:
            marks[k] = f"{marks[k]} = {mark}" if k in marks else mark
    return marks


def named(formula: str, key: str) -> str:
    """``formula`` followed by the name of stage ``key`` in brackets."""
    return f"{formula}   ({stage_name(key)})"


def stage_rows(step: StepExplanation, i: int) -> list[Row]:
    """Example ``i``'s stages: scores, the stable softmax, the one-hot label, ``p − y``."""
    x = "xᵢ" if step.n_examples > 1 else "x"
    return [
        Row(named(f"{x}W", "weighted"), LINES["weighted"], _values(step.weighted[i])),
        Row(named("b", "bias"), LINES["bias"], _values(step.b)),
        Row(named("z = xW + b", "logits"), LINES["logits"], _values(step.logits[i]), bold=True),
        Row(
            named("z − max z", "shifted"),
            LINES["shifted"],
            _values(step.shifted[i]),
            f"max z = {format_value(float(step.logits[i].max()))}",
        ),
        Row(
            named("e = exp(z − max z)", "exp"),
            LINES["exp"],
            _values(step.exp[i]),
            f"Σe = {format_value(float(step.sum_exp[i]))}",
        ),
        Row(
            named("p = e / Σe", "probabilities"),
            LINES["probabilities"],
            _values(step.probabilities[i]),
            bold=True,
        ),
        Row(named("y = 1{y = j}", "one_hot"), LINES["one_hot"], _values(step.one_hot[i])),
        Row(
            named("p − y" + ("" if step.n_examples > 1 else " = ∂L/∂b"), "error"),
            LINES["error"],
            _values(step.error[i]),
        ),
    ]


def loss_html(step: StepExplanation, i: int, names: Sequence[str]) -> str:
    """The loss of example ``i``, and for a batch the mean; the L2 part when there is one."""
    true = int(step.labels[i])
    p_true = float(step.probabilities[i, true])
    name = html.escape(names[true])
    sub = "i" if step.n_examples > 1 else ""
    formula = (
        f"L<sub>{sub}</sub> = −log p<sub>y</sub> = −log p<sub>{name}</sub>"
        f" = −log {format_scientific(p_true)} = "
        f"<b>{format_value(float(step.per_example_loss[i]))}</b>"
    )
    lines = [
        QCoreApplication.translate(
            "formula_view", "<b>Loss</b> &nbsp; {formula} &nbsp; {code}"
        ).format(formula=formula, code=code(LINES["loss"]))
    ]
    if step.n_examples > 1:
        lines.append(
            QCoreApplication.translate(
                "formula_view", "Batch of m = {m}: mean of the m losses = {value} &nbsp; {code}"
            ).format(
                m=step.n_examples,
                value=format_value(step.data_loss),
                code=code(LINES["batch_loss"]),
            )
        )
    if step.l2 > 0:
        formula = (
            f"λ/2 · ‖W‖² = {step.l2:g} / 2 × {format_value(2 * step.l2_loss / step.l2)}"
            f" = {format_value(step.l2_loss)}"
        )
        lines.append(
            QCoreApplication.translate("formula_view", "L2 part {formula} &nbsp; {code}").format(
                formula=formula, code=code(LINES["l2_loss"])
            )
        )
    if step.n_examples > 1 or step.l2 > 0:
        lines.append(
            QCoreApplication.translate(
                "formula_view", "<b>J = {value}</b> (what the step lowers)"
            ).format(value=format_value(step.loss))
        )
    return "<br>".join(lines)


def bias_rows(step: StepExplanation) -> list[Row]:
    """``∂J/∂b`` as one row of ten numbers, with its formula and NumPy line."""
    if step.n_examples > 1:
        return [
            Row("∂J/∂b = Σᵢ(pᵢ − yᵢ) / m", "db = (P - Y).sum(axis=0) / m", _values(step.grad_b))
        ]
    return [Row("∂J/∂b = p − y", "db = p - y", _values(step.grad_b))]


def after_rows(step: StepExplanation, i: int) -> list[Row]:
    """Example ``i``'s probabilities before and after the step, and the change."""
    after = step.probabilities_after[i]
    return [
        Row(
            QCoreApplication.translate("formula_view", "p before"),
            "p",
            _values(step.probabilities[i]),
        ),
        Row(
            QCoreApplication.translate("formula_view", "p after"),
            "softmax(x @ W_new + b_new)",
            _values(after),
            bold=True,
        ),
        Row(
            QCoreApplication.translate("formula_view", "change"),
            "p_new - p",
            _values(after - step.probabilities[i]),
        ),
    ]


def after_loss_html(step: StepExplanation, i: int) -> str:
    """Example ``i``'s loss before → after, and the whole J when it differs."""
    text = (
        f"L = −log p<sub>y</sub>: {format_value(float(step.per_example_loss[i]))} → "
        f"<b>{format_value(float(step.per_example_loss_after[i]))}</b>"
    )
    if step.n_examples > 1 or step.l2 > 0:
        if step.l2 > 0:
            whole = QCoreApplication.translate("formula_view", "J (all {m}, with L2): {values}")
        else:
            whole = QCoreApplication.translate("formula_view", "J (all {m}): {values}")
        values = f"{format_value(step.loss)} → <b>{format_value(step.loss_after)}</b>"
        text += " &nbsp;·&nbsp; " + whole.format(m=step.n_examples, values=values)
    return text


def weight_change_summary(step: StepExplanation) -> str:
    """One sentence on the size of ``ΔW`` against ``W``."""
    change = float(np.abs(step.weight_change).max())
    scale = float(np.abs(step.W).max())
    return QCoreApplication.translate(
        "formula_view",
        "ΔW = −η · ∂J/∂W with η = {lr}: the largest change is {change}, against weights up "
        "to {scale} in size.",
    ).format(lr=f"{step.lr:g}", change=format_value(change), scale=format_value(scale))


class StageTable(QWidget):
    """One example's stages, from the scores to ``p − y``, with the loss beneath."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = StageGrid()
        self.loss = QLabel()
        self.loss.setTextFormat(Qt.TextFormat.RichText)
        self.loss.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.grid)
        layout.addWidget(self.loss)

    def show_example(self, step: StepExplanation, i: int, names: Sequence[str]) -> None:
        """Show example ``i`` of ``step``; classes are named ``names``."""
        true = int(step.labels[i])
        marks = class_marks(true, int(step.predicted[i]))
        self.grid.set_rows(names, stage_rows(step, i), tinted=true, marks=marks)
        self.loss.setText(loss_html(step, i, names))

    def text(self) -> str:
        """Everything on show as plain text: the grid, then the loss."""
        return self.grid.text() + "\n" + self.loss.text()

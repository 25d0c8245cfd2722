"""The stages before the step: the input, the arithmetic from pixels to a loss, the batch's
P, Y and P − Y, and the gradient images with one weight's derivative checked numerically.

A view: it is handed an :class:`engine.StepExplanation` and writes its numbers beside the
formulas; it computes nothing.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

import engine
from softmax_gui.draw.probability_view import PixelImageView
from softmax_gui.step.formula_view import StageTable, bias_rows, code, format_scientific
from softmax_gui.step.gradient_images import GradientImages, describe_weight
from softmax_gui.step.matrix_view import MatrixView
from softmax_gui.step.stage_grid import StageGrid

MATRIX_TITLES = ("P (probabilities)", "Y (one-hot)", "P − Y")
MATRIX_HINT = "Rows: the m examples. Hover a cell for its value; click a row to show that example."
DIVIDE_BY_M = (
    "<b>Why divide by m?</b> J is the <i>mean</i> of the m losses, so its gradient is the mean "
    "of their gradients: Xᵀ(P − Y) adds up m outer products x<sub>i</sub>(p<sub>i</sub> − "
    "y<sub>i</sub>)ᵀ, and dividing by m keeps the step the same size whatever the batch size "
    "(a sum would make a batch of 100 step 100 times further at the same η)."
)
GRADIENT_LEGEND = (
    "Red: J grows if the weight grows, so the step lowers it; blue: the step raises it. "
    "Click a pixel (or a number of ∂J/∂b) to compare with the finite difference."
)
FRAMES_LEGEND = " Green frame: the true class y; dashed orange: the predicted class ŷ."
#: Gap level between the images of the batch mosaic (ink is 1, the page 0): a faint grid.
GAP_LEVEL = 0.25


def section(title: str, *widgets: QWidget) -> QGroupBox:
    """A titled box holding ``widgets`` one under the other."""
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    for widget in widgets:
        layout.addWidget(widget)
    return box


def rich(text: str = "", *, wrap: bool = True) -> QLabel:
    """A selectable rich-text label; ``wrap=False`` for text that changes often and has its
    own line breaks: re-wrapping costs a relayout of the whole page (~30 ms measured)."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def tile(images: np.ndarray) -> np.ndarray:
    """(m, 784) images as a square-ish mosaic with faint one-pixel gaps, for display."""
    m, side = images.shape[0], engine.MNIST_SIDE
    cols = math.ceil(math.sqrt(m))
    rows = math.ceil(m / cols)
    cell = side + 1
    out = np.full((rows * cell - 1, cols * cell - 1), GAP_LEVEL, dtype=np.float32)
    for k in range(m):
        r, c = divmod(k, cols)
        out[r * cell : r * cell + side, c * cell : c * cell + side] = images[k].reshape(side, side)
    return out


def describe_x(input_map: engine.InputMap) -> str:
    """What ``x`` is for a model with ``input_map``: the pixels, or the map's features."""
    side = engine.MNIST_SIDE
    if input_map.is_identity:
        return (
            f"<b>x</b>: the {side}×{side} pixels read row by row into 784 numbers in "
            f"[0, 1] &nbsp; {code('x = image.reshape(784)')}"
        )
    words = {"pixels": "its 784 pixels", "edges": "{n:,} edge-direction features"}
    parts = [
        words.get(name, "{n:,} random features").format(n=cols.stop - cols.start)
        for name, cols in input_map.parts
    ]
    return (
        f"<b>x</b>: the {input_map.n_features:,} features the model's input map makes of the "
        f"image: {', '.join(parts[:-1])} and {parts[-1]},<br>each standardised (minus its "
        f"mean, over its spread on the training images) &nbsp; {code('x = model.inputs(image)')}"
        "<br>The picture is the image; the gradient below shows the pixel part of x as images."
    )


class StagesView(QWidget):
    """Sections 1–3 of the tab: input, stages, batch matrices, gradient."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.input_view = PixelImageView()
        self._images = np.zeros((0, engine.N_FEATURES), np.float32)  # (m, 784) on show
        self.batch_view = PixelImageView()
        self.example = QSpinBox(minimum=0, maximum=0)
        self.example.setToolTip("Which example of the batch the stages show (row i of X)")
        self.example_row = QWidget()
        row = QHBoxLayout(self.example_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel("Show example i ="))
        row.addWidget(self.example)
        row.addStretch(1)
        self.input_text = rich(wrap=False)
        images = QHBoxLayout()
        images.addWidget(self.input_view)
        images.addWidget(self.batch_view)
        images.addWidget(self.input_text, 1)
        inputs = QWidget()
        inputs.setLayout(images)
        self.stages = StageTable()
        self.matrices = [MatrixView(signed=False), MatrixView(signed=False), MatrixView(True)]
        grids = QHBoxLayout()
        for title, view in zip(MATRIX_TITLES, self.matrices, strict=True):
            column = QVBoxLayout()
            column.addWidget(QLabel(f"<b>{title}</b>"))
            column.addWidget(view, 1)
            grids.addLayout(column)
            view.row_clicked.connect(self.example.setValue)
        grid_widget = QWidget()
        grid_widget.setLayout(grids)
        self.gradient_formula = rich()
        self.gradient = GradientImages("∂J/∂W")
        self.gradient_legend = rich(GRADIENT_LEGEND)
        self.bias_gradient = StageGrid()
        self.bias_gradient.setCursor(Qt.CursorShape.PointingHandCursor)
        self.bias_gradient.setToolTip("Click a number to check it by finite differences")
        self.derivative = rich("Click a pixel of a gradient image, or a bias.", wrap=False)
        self.batch_section = section(
            "The batch: P, Y and P − Y", rich(MATRIX_HINT), grid_widget, rich(DIVIDE_BY_M)
        )
        self.sections = [
            section("1 · The input", inputs, self.example_row),
            section("2 · From pixels to a loss", self.stages),
            self.batch_section,
            section(
                "3 · The gradient",
                self.gradient_formula,
                self.gradient,
                self.gradient_legend,
                self.bias_gradient,
                self.derivative,
            ),
        ]
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for box in self.sections:
            layout.addWidget(box)

    def chosen_example(self, step: engine.StepExplanation) -> int:
        """The example the stages show: the spin box's, within the batch."""
        return min(self.example.value(), step.n_examples - 1)

    def show_step(
        self,
        step: engine.StepExplanation,
        names: Sequence[str],
        images: np.ndarray | None = None,
    ) -> None:
        """Show the whole record: the batch (if any), the gradient and the chosen example.
        ``images`` (m, 784) are the 28×28 images the inputs were made of; a model with an
        input map needs them (its inputs are features), the pixel model's are the inputs."""
        m = step.n_examples
        if images is None:
            if not step.model_after.input_map.is_identity:
                raise ValueError("a model with an input map needs the images of its inputs")
            images = step.inputs
        self._images = np.asarray(images, dtype=np.float32).reshape(m, -1)
        self.example.setMaximum(m - 1)
        self.example_row.setVisible(m > 1)
        self.batch_view.setVisible(m > 1)
        self.batch_section.setVisible(m > 1)
        if m > 1:
            self.batch_view.set_image(tile(self._images))
        self._show_gradient(step, names)
        self.show_example(step, names)

    def show_example(self, step: engine.StepExplanation, names: Sequence[str]) -> None:
        """The input and the stages of the chosen example; its row framed in the matrices."""
        i = self.chosen_example(step)
        true, side = int(step.labels[i]), engine.MNIST_SIDE
        images = self._images if self._images.shape[0] == step.n_examples else step.inputs
        self.input_view.set_image(images[i].reshape(side, side))
        d = step.inputs.shape[1]
        rows = (
            f"<b>X</b>: m = {step.n_examples} images, one per row of X (m × {d:,}); on the "
            f"left, example i = {i} (row i of X), then the whole batch.<br>"
            if step.n_examples > 1
            else ""
        )
        self.input_text.setText(
            rows + describe_x(step.model_after.input_map) + "<br>"
            f"true class y = <b>{names[true]}</b>; the model reads "
            f"<b>{names[int(step.predicted[i])]}</b>"
        )
        self.stages.show_example(step, i, names)
        for view, values in zip(
            self.matrices, (step.probabilities, step.one_hot, step.error), strict=True
        ):
            view.set_matrix(values, i)

    def show_derivative(
        self, step: engine.StepExplanation, i: int | None, j: int, names: Sequence[str]
    ) -> None:
        """The analytic derivative of weight ``W[i, j]`` (or bias ``b[j]`` for ``i`` None)
        beside its finite difference."""
        if i is None:
            numeric = engine.finite_difference(step, "b", j)
            analytic = float(step.grad_b[j])
            what, name, line = f"b[{j}]: the bias of class {names[j]}", f"b[{j}]", f"db[{j}]"
        else:
            numeric = engine.finite_difference(step, "W", (i, j))
            analytic = float(step.grad_W[i, j])
            what, name, line = describe_weight(i, j, names), f"W[{i}, {j}]", f"dW[{i}, {j}]"
            if step.n_examples == 1:
                what += f" (x<sub>{i}</sub> = {step.inputs[0, i]:.3f})"
        scale = max(abs(analytic), abs(numeric), 1e-12)
        self.derivative.setText(
            f"<b>{what}</b><br>"
            f"analytic ∂J/∂{name} = <b>{format_scientific(analytic)}</b> &nbsp; "
            f"{code(line)}<br>"
            f"finite difference (J({name} + ε) − J({name} − ε)) / 2ε, ε = 1e-4: "
            f"<b>{format_scientific(numeric)}</b> &nbsp; relative difference "
            f"{abs(analytic - numeric) / scale:.1e}"
        )

    def _show_gradient(self, step: engine.StepExplanation, names: Sequence[str]) -> None:
        single = step.n_examples == 1
        l2 = " + λW" if step.l2 > 0 else ""
        l2_code = " + l2 * W" if step.l2 > 0 else ""
        if single:
            x = "the image x" if step.model_after.input_map.is_identity else "x"
            formula = f"∂J/∂W = x (p − y)ᵀ{l2}: column j is {x} times p<sub>j</sub> − y<sub>j</sub>"
            line = f"dW = np.outer(x, p - y){l2_code}"
        else:
            formula = (
                f"∂J/∂W = Xᵀ(P − Y) / m{l2}: the mean of the m examples' "
                "x<sub>i</sub>(p<sub>i</sub> − y<sub>i</sub>)ᵀ"
            )
            line = f"dW = X.T @ (P - Y) / m{l2_code}"
        self.gradient_formula.setText(f"<b>{formula}</b> &nbsp; {code(line)}")
        self.gradient.show_array(
            step.grad_W,
            names,
            true=int(step.labels[0]) if single else None,
            predicted=int(step.predicted[0]) if single else None,
            input_map=step.model_after.input_map,
        )
        self.bias_gradient.set_rows(names, bias_rows(step))
        self.gradient_legend.setText(GRADIENT_LEGEND + (FRAMES_LEGEND if single else ""))

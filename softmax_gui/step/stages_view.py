"""The stages before the step: the input, the arithmetic from pixels to a loss, the batch's
P, Y and P − Y, and the gradient images with one weight's derivative checked numerically.

A view: it is handed an :class:`engine.StepExplanation` and writes its numbers beside the
formulas; it computes nothing.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

import engine
from softmax_gui.draw.probability_view import PixelImageView
from softmax_gui.step.accessible import set_description
from softmax_gui.step.engine_words import part_words
from softmax_gui.step.formula_view import StageTable, bias_rows, code, format_scientific
from softmax_gui.step.gradient_images import GradientImages, describe_weight
from softmax_gui.step.matrix_view import MatrixView
from softmax_gui.step.stage_grid import StageGrid

MATRIX_TITLES = (
    str(QT_TRANSLATE_NOOP("StagesView", "P (probabilities)")),
    str(QT_TRANSLATE_NOOP("StagesView", "Y (one-hot)")),
    "P − Y",
)
#: The ε engine.finite_difference uses when not given one (shown beside its result).
FD_EPS = float(inspect.signature(engine.finite_difference).parameters["eps"].default)
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
        return QCoreApplication.translate(
            "stages_view",
            "<b>x</b>: the {side}×{side} pixels read row by row into {n} numbers in [0, 1] "
            "&nbsp; {code}",
        ).format(side=side, n=engine.N_FEATURES, code=code("x = image.reshape(784)"))
    parts = [part_words(name, cols.stop - cols.start) for name, cols in input_map.parts]
    return QCoreApplication.translate(
        "stages_view",
        "<b>x</b>: the {n} features the model's input map makes of the image<br>({parts}),<br>"
        "each standardised (minus its mean, over its spread on the training images):<br>"
        "{code}<br>The picture is the image; the gradient below shows the pixel part of x as "
        "images.",
    ).format(
        n=f"{input_map.n_features:,}", parts=" + ".join(parts), code=code("x = model.inputs(image)")
    )


class StagesView(QWidget):
    """Sections 1–3 of the tab: input, stages, batch matrices, gradient."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.input_view = PixelImageView()
        self.input_view.setAccessibleName(self.tr("The input image"))
        self._images = np.zeros((0, engine.N_FEATURES), np.float32)  # (m, 784) on show
        self.batch_view = PixelImageView()
        self.batch_view.setAccessibleName(self.tr("All the images of the batch"))
        self.example = QSpinBox(minimum=0, maximum=0)
        self.example.setToolTip(self.tr("Which example of the batch the stages show (row i of X)"))
        self.example.setAccessibleName(self.tr("Example i of the batch"))
        self.example_row = QWidget()
        row = QHBoxLayout(self.example_row)
        row.setContentsMargins(0, 0, 0, 0)
        example_label = QLabel(self.tr("Show example i ="))
        example_label.setBuddy(self.example)
        row.addWidget(example_label)
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
        self.stages.grid.setAccessibleName(
            self.tr("The stages of the chosen example, from the scores to p − y")
        )
        self.matrices = [MatrixView(signed=False), MatrixView(signed=False), MatrixView(True)]
        grids = QHBoxLayout()
        for source, view in zip(MATRIX_TITLES, self.matrices, strict=True):
            title = QCoreApplication.translate("StagesView", source)
            view.setAccessibleName(self.tr("Matrix {title}").format(title=title))
            column = QVBoxLayout()
            column.addWidget(QLabel(f"<b>{title}</b>"))
            column.addWidget(view, 1)
            grids.addLayout(column)
            view.row_clicked.connect(self.example.setValue)
        grid_widget = QWidget()
        grid_widget.setLayout(grids)
        self.gradient_formula = rich()
        self.gradient = GradientImages("∂J/∂W")
        self.gradient.set_accessible_name(
            self.tr("Gradient ∂J/∂W: ten images, one per class"),
            self.tr(
                "Arrow keys move the cursor over the pixels, Page Up and Page Down change the "
                "class, Enter compares the weight's derivative with its finite difference."
            ),
        )
        self.gradient_legend = rich()
        self.bias_gradient = StageGrid(keyboard=True)
        self.bias_gradient.setCursor(Qt.CursorShape.PointingHandCursor)
        self.bias_gradient.setToolTip(
            self.tr(
                "Click a number (or use the arrow keys and Enter) to check it by finite differences"
            )
        )
        self.bias_gradient.setAccessibleName(self.tr("Gradient of the bias ∂J/∂b"))
        self.derivative = rich(
            self.tr(
                "Click a pixel of a gradient image, or a bias (from the keyboard: Tab to the "
                "images, arrow keys, Enter)."
            ),
            wrap=False,
        )
        self.derivative.setAccessibleName(self.tr("Derivative against finite difference"))
        matrix_hint = self.tr(
            "Rows: the m examples. Hover a cell for its value; click a row (or use the Up and "
            "Down arrow keys) to show that example."
        )
        divide_by_m = self.tr(
            "<b>Why divide by m?</b> J is the <i>mean</i> of the m losses, so its gradient is the "
            "mean of their gradients: Xᵀ(P − Y) adds up m outer products x<sub>i</sub>"
            "(p<sub>i</sub> − y<sub>i</sub>)ᵀ, and dividing by m keeps the step the same size "
            "whatever the batch size (a sum would make a batch of 100 step 100 times further at "
            "the same η)."
        )
        self.batch_section = section(
            self.tr("The batch: P, Y and P − Y"), rich(matrix_hint), grid_widget, rich(divide_by_m)
        )
        self.sections = [
            section(self.tr("1 · The input"), inputs, self.example_row),
            section(self.tr("2 · From pixels to a loss"), self.stages),
            self.batch_section,
            section(
                self.tr("3 · The gradient"),
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
            self.tr(
                "<b>X</b>: m = {m} images, one per row of X (m × {d});<br>on the left, "
                "example i = {i} (row i of X), then the whole batch."
            ).format(m=step.n_examples, d=f"{d:,}", i=i)
            + "<br>"
            if step.n_examples > 1
            else ""
        )
        reading = self.tr("true class y = <b>{true}</b>; the model reads <b>{predicted}</b>")
        self.input_text.setText(
            rows
            + describe_x(step.model_after.input_map)
            + "<br>"
            + reading.format(true=names[true], predicted=names[int(step.predicted[i])])
        )
        set_description(
            self.input_view,
            self.tr("Example {i}: the true class is {true}, the model reads {predicted}").format(
                i=i, true=names[true], predicted=names[int(step.predicted[i])]
            ),
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
            what = self.tr("b[{j}]: the bias of class {name}").format(j=j, name=names[j])
            name, line = f"b[{j}]", f"db[{j}]"
        else:
            numeric = engine.finite_difference(step, "W", (i, j))
            analytic = float(step.grad_W[i, j])
            what, name, line = describe_weight(i, j, names), f"W[{i}, {j}]", f"dW[{i}, {j}]"
            if step.n_examples == 1:
                what += f" (x<sub>{i}</sub> = {step.inputs[0, i]:.3f})"
        scale = max(abs(analytic), abs(numeric), 1e-12)
        analytic_line = self.tr("analytic ∂J/∂{name} = <b>{value}</b> &nbsp; {code}").format(
            name=name, value=format_scientific(analytic), code=code(line)
        )
        numeric_line = self.tr(
            "finite difference (J({name} + ε) − J({name} − ε)) / 2ε, ε = {eps}: <b>{value}</b> "
            "&nbsp; relative difference {relative}"
        ).format(
            name=name,
            eps=f"{FD_EPS:g}",
            value=format_scientific(numeric),
            relative=f"{abs(analytic - numeric) / scale:.1e}",
        )
        self.derivative.setText(f"<b>{what}</b><br>{analytic_line}<br>{numeric_line}")
        set_description(self.derivative, self.derivative.text())

    def _show_gradient(self, step: engine.StepExplanation, names: Sequence[str]) -> None:
        single = step.n_examples == 1
        l2 = " + λW" if step.l2 > 0 else ""
        l2_code = " + l2 * W" if step.l2 > 0 else ""
        if single and step.model_after.input_map.is_identity:
            words = self.tr(
                "{formula}: column j is the image x times p<sub>j</sub> − y<sub>j</sub>"
            )
        elif single:
            words = self.tr("{formula}: column j is x times p<sub>j</sub> − y<sub>j</sub>")
        else:
            words = self.tr(
                "{formula}: the mean of the m examples' "
                "x<sub>i</sub>(p<sub>i</sub> − y<sub>i</sub>)ᵀ"
            )
        if single:
            formula = words.format(formula=f"∂J/∂W = x (p − y)ᵀ{l2}")
            line = f"dW = np.outer(x, p - y){l2_code}"
        else:
            formula = words.format(formula=f"∂J/∂W = Xᵀ(P − Y) / m{l2}")
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
        if single:
            legend = self.tr(
                "Vermillion (+): J grows if the weight grows, so the step lowers it; blue (−): the "
                "step raises it. Click a pixel (or a number of ∂J/∂b) to compare with the finite "
                "difference. Solid blue frame: the true class y; dashed vermillion frame: the "
                "predicted class ŷ."
            )
        else:
            legend = self.tr(
                "Vermillion (+): J grows if the weight grows, so the step lowers it; blue (−): the "
                "step raises it. Click a pixel (or a number of ∂J/∂b) to compare with the finite "
                "difference."
            )
        self.gradient_legend.setText(legend)

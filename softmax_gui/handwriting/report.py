"""The "How well does it read you?" figures of the My handwriting tab, in words a newcomer
reads at once: how many of their digits it reads right before and after teaching (each read
by a model not taught that digit), how well it still reads the dataset it learnt first, and
when there are too few samples to tell."""

from __future__ import annotations

from softmax_gui.handwriting.kept_report import KeptReport

#: Below this many samples of a digit, cross-validation has nothing of it left to learn from.
MIN_PER_DIGIT = 2
NOT_SEEN = (
    "“Not seen”: each of your digits is read by a model taught on all your other digits, "
    "never on that one, as a new drawing would be."
)


def _right(share: float, n: int) -> str:
    return f"{round(share * n)} of {n} right"


def _too_few(n: int, n_alone: int) -> str:
    if n_alone == n:
        return (
            "Too few to tell yet: every digit was taught only once, so when one is left out "
            f"nothing like it is left to learn from. Teach each digit at least {MIN_PER_DIGIT} "
            "times."
        )
    those = "1 digit was" if n_alone == 1 else f"{n_alone} digits were"
    return (
        f"{those.capitalize()} taught only once: left out, nothing like it is left to learn "
        f"from, so it counts against “after”. Teach each digit at least {MIN_PER_DIGIT} times "
        "for a fair figure."
    )


def report_html(kept: KeptReport, n_now: int) -> str:
    """The figures of ``kept`` as a few short paragraphs; ``n_now`` is how many samples the
    user has now (a note asks to measure again when it differs)."""
    report = kept.report
    n = report.n_samples
    yours = f"{_right(report.base_accuracy, n)} before teaching"
    if report.adapted_cv_accuracy is None:
        yours += f"; “after” needs at least {MIN_PER_DIGIT} samples"
    else:
        yours += f", {round(report.adapted_cv_accuracy * n)} of {n} after"
    parts = [f"<p><b>On your digits it has not seen:</b> {yours}.</p>"]
    if report.base_test_accuracy is not None and report.adapted_test_accuracy is not None:
        name = kept.test_name or "the test set"
        parts.append(
            f"<p><b>On {name} (what it learnt first):</b> "
            f"{100 * report.base_test_accuracy:.1f}% before, "
            f"{100 * report.adapted_test_accuracy:.1f}% after.</p>"
        )
    parts.append(f"<p><small>{NOT_SEEN}</small></p>")
    if report.adapted_cv_accuracy is not None:
        if report.n_alone:
            parts.append(f"<p><i>{_too_few(n, report.n_alone)}</i></p>")
        elif report.adapted_cv_accuracy < report.base_accuracy:
            parts.append(
                "<p><i>Fewer right after: the left-out digits look unlike the others taught "
                "as the same digit (few samples, or several people's writing). More of your "
                "own usual writing will help.</i></p>"
            )
    when = kept.measured_at.strftime("%d %b %Y, %H:%M")
    about = f"Measured {when} with {n} sample{'s' if n != 1 else ''}"
    if kept.model:
        about += f" on {kept.model}"
    if n_now != n:
        about += f"; you have {n_now} now: measure again to update"
    parts.append(f"<p><small>{about}.</small></p>")
    return "".join(parts)

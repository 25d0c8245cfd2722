"""The "How well does it read you?" figures of the My handwriting tab as a small HTML table:
the base model against the adapted one, on the user's digits and on the test set."""

from __future__ import annotations

import engine


def _percent(p: float | None, decimals: int) -> str:
    return "–" if p is None else f"{100 * p:.{decimals}f}%"


def _only_of_their_digit(n_alone: int, n: int) -> str:
    if n_alone == n:
        return "Each of them is the only one of its digit"
    if n_alone == 1:
        return "1 of them is the only one of its digit"
    return f"{n_alone} of them are the only one of their digit"


def report_html(report: engine.PersonalReport, test_name: str) -> str:
    """A small table of ``report``'s figures (base model against adapted)."""
    n = report.n_samples
    cv = (
        "cross-validated: each of your digits is read by a model adapted on the others"
        if report.adapted_cv_accuracy is not None
        else "needs at least 2 samples"
    )
    rows = [
        (
            f"Your {n} digit{'s' if n != 1 else ''}*",
            _percent(report.base_accuracy, 0),
            _percent(report.adapted_cv_accuracy, 0),
        )
    ]
    if report.base_test_accuracy is not None:
        rows.append(
            (
                f"Test set ({test_name})",
                _percent(report.base_test_accuracy, 1),
                _percent(report.adapted_test_accuracy, 1),
            )
        )
    body = "".join(
        f"<tr><td>{name}</td><td align='right'>{base}</td>"
        f"<td align='right'><b>{adapted}</b></td></tr>"
        for name, base, adapted in rows
    )
    note = ""
    if report.adapted_cv_accuracy is not None and report.adapted_cv_accuracy < report.base_accuracy:
        note = (
            " Lower than the base: held out, these digits do not look like the others "
            "taught as the same digit (few samples, or several people's writing), so "
            "adapting on the others does not help them. More samples of your own usual "
            "writing will."
        )
    if report.adapted_cv_accuracy is not None and report.n_alone:
        note += (
            f" {_only_of_their_digit(report.n_alone, n)}: held out, nothing of that digit is "
            "left to learn from, so this figure cannot credit them. Teach a digit twice or "
            "more to see what adapting does for it."
        )
    return (
        f"<table cellspacing='0' cellpadding='3'><tr><th></th><th align='right'>base</th>"
        f"<th align='right'>adapted</th></tr>{body}</table>"
        f"<p><small>* {cv}.{note}</small></p>"
    )

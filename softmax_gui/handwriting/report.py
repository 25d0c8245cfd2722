"""The "How well does it read you?" figures of the My handwriting tab, in words a newcomer
reads at once: how many of their digits it reads right before and after teaching (each read
by a model not taught that digit), how well it still reads the dataset it learnt first, and
when there are too few samples to tell. Translated (context "report")."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from softmax_gui.handwriting.kept_report import KeptReport

#: Below this many samples of a digit, cross-validation has nothing of it left to learn from.
MIN_PER_DIGIT = 2


def not_seen() -> str:
    """What "not seen" means, in one sentence."""
    return QCoreApplication.translate(
        "report",
        "“Not seen”: each of your digits is read by a model taught on all your other digits, "
        "never on that one, as a new drawing would be.",
    )


def _too_few(n: int, n_alone: int) -> str:
    if n_alone == n:
        return QCoreApplication.translate(
            "report",
            "Too few to tell yet: every digit was taught only once, so when one is left out "
            "nothing like it is left to learn from. Teach each digit at least {min} times.",
        ).format(min=MIN_PER_DIGIT)
    if n_alone == 1:
        text = QCoreApplication.translate(
            "report",
            "1 digit was taught only once: left out, nothing like it is left to learn from, so "
            "it counts against “after”. Teach each digit at least {min} times for a fair figure.",
        )
    else:
        text = QCoreApplication.translate(
            "report",
            "{n} digits were taught only once: left out, nothing like them is left to learn "
            "from, so they count against “after”. Teach each digit at least {min} times for a "
            "fair figure.",
        )
    return text.format(n=n_alone, min=MIN_PER_DIGIT)


def _yours(base: int, after: int | None, n: int) -> str:
    if after is None:
        return QCoreApplication.translate(
            "report",
            "<b>On your digits it has not seen:</b> {before} of {n} right before teaching; "
            "“after” needs at least {min} samples.",
        ).format(before=base, n=n, min=MIN_PER_DIGIT)
    return QCoreApplication.translate(
        "report",
        "<b>On your digits it has not seen:</b> {before} of {n} right before teaching, "
        "{after} of {n} after.",
    ).format(before=base, after=after, n=n)


def _about(kept: KeptReport, n_now: int) -> str:
    n, when = kept.report.n_samples, kept.measured_at.strftime("%Y-%m-%d %H:%M")
    if kept.model:
        about = (
            QCoreApplication.translate("report", "Measured {when} with 1 sample on {model}.")
            if n == 1
            else QCoreApplication.translate(
                "report", "Measured {when} with {n} samples on {model}."
            )
        )
    else:
        about = (
            QCoreApplication.translate("report", "Measured {when} with 1 sample.")
            if n == 1
            else QCoreApplication.translate("report", "Measured {when} with {n} samples.")
        )
    about = about.format(when=when, n=n, model=kept.model)
    if n_now != n:
        about += " " + QCoreApplication.translate(
            "report", "You have {n} now: measure again to update."
        ).format(n=n_now)
    return about


def report_html(kept: KeptReport, n_now: int) -> str:
    """The figures of ``kept`` as a few short paragraphs; ``n_now`` is how many samples the
    user has now (a note asks to measure again when it differs)."""
    report = kept.report
    n = report.n_samples
    after = None if report.adapted_cv_accuracy is None else round(report.adapted_cv_accuracy * n)
    parts = [f"<p>{_yours(round(report.base_accuracy * n), after, n)}</p>"]
    if report.base_test_accuracy is not None and report.adapted_test_accuracy is not None:
        name = kept.test_name or QCoreApplication.translate("report", "the test set")
        parts.append(
            "<p>"
            + QCoreApplication.translate(
                "report", "<b>On {name} (what it learnt first):</b> {before} before, {after} after."
            ).format(
                name=name,
                before=f"{100 * report.base_test_accuracy:.1f}%",
                after=f"{100 * report.adapted_test_accuracy:.1f}%",
            )
            + "</p>"
        )
    parts.append(f"<p><small>{not_seen()}</small></p>")
    if report.adapted_cv_accuracy is not None:
        if report.n_alone:
            parts.append(f"<p><i>{_too_few(n, report.n_alone)}</i></p>")
        elif report.adapted_cv_accuracy < report.base_accuracy:
            fewer = QCoreApplication.translate(
                "report",
                "Fewer right after: the left-out digits look unlike the others taught as the "
                "same digit (few samples, or several people's writing). More of your own usual "
                "writing will help.",
            )
            parts.append(f"<p><i>{fewer}</i></p>")
    parts.append(f"<p><small>{_about(kept, n_now)}</small></p>")
    return "".join(parts)

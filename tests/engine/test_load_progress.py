"""A dataset load reports how far it is, so a first start (which prepares every image) can
show a progress bar."""

from __future__ import annotations

from engine import load_mnist

from ..idx_files import N_TEST, N_TRAIN, make_idx_folder


def test_a_load_reports_rising_progress_up_to_done(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    make_idx_folder(tmp_path / "digits")
    seen: list[tuple[float, str]] = []
    load_mnist(tmp_path / "digits", preprocessing_version=3, progress=lambda *r: seen.append(r))
    shares = [share for share, _ in seen]
    assert shares == sorted(shares) and shares[0] == 0.0 and shares[-1] == 1.0
    preparing = [text for _, text in seen if text.startswith("preparing")]
    assert preparing and preparing[-1].endswith(f"{N_TRAIN + N_TEST:,} of {N_TRAIN + N_TEST:,}")
    seen.clear()  # prepared once: the second load reads the cache and only reads and ends
    load_mnist(tmp_path / "digits", preprocessing_version=3, progress=lambda *r: seen.append(r))
    assert not any(text.startswith("preparing") for _, text in seen) and seen[-1][0] == 1.0

"""The app's process asks glibc to hand large freed arrays back to the system (the effect on
the app's peak is measured by bench/memory.py, not here)."""

from __future__ import annotations

import platform
import sys

import pytest

from softmax_gui import memory


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc",
    reason="mallopt and malloc_trim are glibc's",
)
def test_glibc_takes_the_settings_and_trims():
    assert memory.hand_large_arrays_back()  # mallopt returns 1 when it accepts a setting
    memory.return_freed_memory()  # no error, whatever there was to give back


def test_elsewhere_nothing_is_changed(monkeypatch):
    monkeypatch.setattr(sys, "platform", "darwin")
    assert not memory.hand_large_arrays_back()
    assert not memory.return_freed_memory()

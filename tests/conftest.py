"""Shared test setup: Qt runs offscreen; the dataset cache stays inside the checkout."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Tests never write to the user's ~/.cache; the cache survives between runs in the
# (git-ignored) pytest cache folder, so only the first run pays for decompression.
os.environ.setdefault(
    "XDG_CACHE_HOME", str(Path(__file__).resolve().parent.parent / ".pytest_cache" / "xdg")
)

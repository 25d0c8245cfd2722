"""Shared test setup: Qt runs offscreen; the dataset cache lives in a per-session folder."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

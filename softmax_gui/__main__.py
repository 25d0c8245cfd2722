"""``python -m softmax_gui`` starts the app."""

from __future__ import annotations

from .app import main

raise SystemExit(main())

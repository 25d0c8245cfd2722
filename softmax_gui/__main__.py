"""``python -m softmax_gui`` starts the app."""

from __future__ import annotations

from softmax_gui.app import main

raise SystemExit(main())

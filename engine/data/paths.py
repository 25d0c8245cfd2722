"""Where the bundled resources (MNIST, the shipped model, the icons) are.

A source checkout keeps them in its top-level ``resources/`` folder. A wheel installs that
folder as the ``softmax_gui_resources`` package: a name no other distribution will claim,
unlike a top-level ``resources`` (see pyproject.toml).
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path

#: The import name the ``resources/`` folder is installed under.
RESOURCES_PACKAGE = "softmax_gui_resources"
_CHECKOUT_ROOT = Path(__file__).resolve().parents[2]
_CHECKOUT_RESOURCES = _CHECKOUT_ROOT / "resources"


def _resources_dir() -> Path:
    # Engine code running from a checkout (editable install included) uses that checkout's
    # files, even if some installed copy of the package is also importable.
    if (_CHECKOUT_ROOT / "pyproject.toml").is_file() and _CHECKOUT_RESOURCES.is_dir():
        return _CHECKOUT_RESOURCES
    try:
        installed = importlib.resources.files(RESOURCES_PACKAGE)
    except ModuleNotFoundError:
        # Neither: the paths still name where the files belong, and loading them fails with
        # that path in the message.
        return _CHECKOUT_RESOURCES
    return Path(str(installed)).resolve()


#: The folder holding ``mnist/``, ``model.npz`` and ``icons/``.
RESOURCES_DIR = _resources_dir()

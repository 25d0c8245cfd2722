"""A wheel ships every bundled file under the package name the engine looks up, and no
generic top-level ``resources`` package (checked on pyproject.toml; no wheel is built).
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath

import pytest

from engine.data.paths import RESOURCES_DIR, RESOURCES_PACKAGE

tomllib = pytest.importorskip("tomllib")  # Python 3.11+

PROJECT_ROOT = Path(__file__).resolve().parents[2]
RESOURCES_FOLDER = "resources"


@pytest.fixture(scope="module")
def setuptools_config() -> dict:
    with open(PROJECT_ROOT / "pyproject.toml", "rb") as fh:
        return tomllib.load(fh)["tool"]["setuptools"]


def packaged(relative: PurePosixPath, patterns: list[str]) -> bool:
    """Whether a package-data glob takes the file (as setuptools does, ``*`` stops at ``/``)."""
    return any(
        len(relative.parts) == len(PurePosixPath(p).parts)
        and all(map(fnmatchcase, relative.parts, PurePosixPath(p).parts))
        for p in patterns
    )


def test_resources_folder_installs_under_the_engines_distinctive_name(setuptools_config):
    mapped = {
        name
        for name, folder in setuptools_config["package-dir"].items()
        if folder == RESOURCES_FOLDER
    }
    assert mapped == {RESOURCES_PACKAGE}
    assert RESOURCES_PACKAGE in setuptools_config["packages"]
    # a top-level "resources" in site-packages would clash with other distributions
    assert RESOURCES_FOLDER not in setuptools_config["packages"]


def test_every_bundled_file_goes_into_the_wheel(setuptools_config):
    assert RESOURCES_DIR == PROJECT_ROOT / RESOURCES_FOLDER
    patterns = setuptools_config["package-data"][RESOURCES_PACKAGE]
    bundled = [
        PurePosixPath(p.relative_to(RESOURCES_DIR).as_posix())
        for p in RESOURCES_DIR.rglob("*")
        if p.is_file() and p.suffix != ".py" and "__pycache__" not in p.parts
    ]
    assert {"model.npz", "mnist", "icons"} <= {f.parts[0] for f in bundled}
    left_out = [str(f) for f in bundled if not packaged(f, patterns)]
    assert not left_out, f"bundled files missing from package-data: {left_out}"


def test_every_code_package_is_in_the_wheel(setuptools_config):
    found = {
        ".".join(init.parent.relative_to(PROJECT_ROOT).parts)
        for top in ("engine", "softmax_gui")
        for init in (PROJECT_ROOT / top).rglob("__init__.py")
    }
    assert found <= set(setuptools_config["packages"])

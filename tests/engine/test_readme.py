"""The README's promises that drift silently: its commands, its layout tree, the bench data."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
README_ZH = ROOT / "README.zh-CN.md"
#: Top-level folders whose subpackages the layout tree must name.
PACKAGES = ("engine", "softmax_gui")
TREE_BRANCH = re.compile(r"^[│├└─\s]*")


def _section(title: str, text: str = README) -> str:
    """The README's text from the heading ``## title`` to the next heading of that level."""
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"README has no '## {title}' section"
    return match.group(1)


def _code_blocks(text: str, language: str = "") -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", text, re.M | re.S)


def _layout_folders() -> list[str]:
    """Folders the layout tree names, as paths from the repository root."""
    (tree,) = _code_blocks(_section("Layout"))
    folders, parent = [], ""
    for line in tree.splitlines():
        name = TREE_BRANCH.sub("", line).split(" ", 1)[0]
        if not name.endswith("/"):
            continue  # a continuation line of a description
        if line[0] in "├└":
            folders.append(parent + name.rstrip("/"))
        else:
            parent = name
            folders.append(name.rstrip("/"))
    return folders


def test_the_test_command_is_the_one_ci_runs() -> None:
    """`.ci/run` runs the README's second quick-start command (quietly: its only change)."""
    commands = [block.strip() for block in _code_blocks(_section("Quick start"), "bash")]
    assert len(commands) == 2, commands
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    ci_lines = [line for line in ci.splitlines() if line.startswith("python3 -m venv")]
    assert [line.replace(" -q ", " ") for line in ci_lines] == [commands[1]]
    assert commands[0].endswith(".venv/bin/softmax-gui")


def test_the_chinese_readme_has_the_same_quick_start() -> None:
    """README.zh-CN.md is linked from the README and gives exactly its two commands."""
    assert "(README.zh-CN.md)" in README
    chinese = README_ZH.read_text(encoding="utf-8")
    english = [block.strip() for block in _code_blocks(_section("Quick start"), "bash")]
    quick = [block.strip() for block in _code_blocks(_section("快速开始", chinese), "bash")]
    assert quick == english
    targets = re.findall(r"\]\(((?!https?:|#)[^)#]+)", chinese)
    assert [t for t in targets if not (ROOT / t).exists()] == []


def test_layout_tree_names_folders_that_exist() -> None:
    folders = _layout_folders()
    assert folders, "the layout tree names no folders"
    missing = [f for f in folders if not (ROOT / f).is_dir()]
    assert not missing, f"README's layout names folders that do not exist: {missing}"


def test_layout_tree_names_every_package_folder() -> None:
    named = set(_layout_folders())
    packages = {
        init.parent.relative_to(ROOT).as_posix()
        for top in PACKAGES
        for init in (ROOT / top).rglob("__init__.py")
    }
    assert packages - named == set(), "package folders missing from README's layout tree"


def test_readme_links_point_at_files() -> None:
    targets = re.findall(r"\]\(((?!https?:|#)[^)#]+)", README)
    assert targets
    missing = [t for t in targets if not (ROOT / t).exists()]
    # the development and damaged-files guides are written alongside this README
    assert set(missing) <= {"docs/development.md", "docs/damaged-files.md"}, missing


def test_bench_pen_digits_match_their_checksum() -> None:
    """The benchmarks' pen digits are the file their README describes, byte for byte."""
    folder = ROOT / "bench" / "data" / "unipen-dev"
    (listed,) = re.findall(
        r"\b([0-9a-f]{64})\s+strokes\.json\.gz", (folder / "README.md").read_text()
    )
    assert hashlib.sha256((folder / "strokes.json.gz").read_bytes()).hexdigest() == listed

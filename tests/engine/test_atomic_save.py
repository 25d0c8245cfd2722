"""A model save killed midway (SIGKILL: no cleanup runs) leaves the previous file intact, and
the temporary file it leaves behind does not break a later save or load.

A child process saves over an existing model with one step of ``engine.save_model`` patched to
stop midway: it tells the parent where it is, then blocks on its stdin until it is killed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from engine import PREPROCESSING_VERSION, SoftmaxModel, load_model, save_model

REPO_ROOT = Path(__file__).resolve().parents[2]
N_FEATURES, N_CLASSES = 784, 10
#: Generous bound for a child process to import numpy and reach the patched step.
CHILD_TIMEOUT_S = 60
READY = "blocked"

#: Where the child stops. Each body replaces one call inside save_model; it announces READY on
#: stdout and then waits on stdin, which the parent never writes: only SIGKILL ends it.
STOPS = {
    # half of the archive's bytes are in the temporary file
    "mid_write": """
        real_savez = np.savez
        def stop(fh, **arrays):
            import io
            buf = io.BytesIO()
            real_savez(buf, **arrays)
            data = buf.getvalue()
            fh.write(data[: len(data) // 2])
            fh.flush()
            block()
        model_io.np.savez = stop
    """,
    # the whole archive is written, but not yet synced or renamed into place
    "before_rename": """
        def stop(fd):
            block()
        model_io.os.fsync = stop
    """,
}

CHILD = """
import sys
import numpy as np
from engine import SoftmaxModel
from engine.data import model_io

def block():
    print("{ready}", flush=True)
    sys.stdin.read()  # never returns: the parent kills us

{patch}
rng = np.random.default_rng(1)
model = SoftmaxModel(W=rng.normal(size=({n_features}, {n_classes})).astype(np.float32),
                     b=rng.normal(size={n_classes}).astype(np.float32),
                     preprocessing_version={version}, metadata={{"run": "killed"}})
model_io.save_model(model, sys.argv[1])
print("save returned", flush=True)  # must never be reached
"""


def make_model(seed: int, note: str) -> SoftmaxModel:
    rng = np.random.default_rng(seed)
    return SoftmaxModel(
        W=rng.normal(size=(N_FEATURES, N_CLASSES)).astype(np.float32),
        b=rng.normal(size=N_CLASSES).astype(np.float32),
        preprocessing_version=PREPROCESSING_VERSION,
        metadata={"run": note},
    )


def assert_same_model(a: SoftmaxModel, b: SoftmaxModel) -> None:
    np.testing.assert_array_equal(a.W, b.W)
    np.testing.assert_array_equal(a.b, b.b)
    assert a.preprocessing_version == b.preprocessing_version
    assert a.metadata == b.metadata


def kill_a_save_midway(path: Path, stop: str) -> None:
    """Run a save over ``path`` in a child process and SIGKILL it at ``stop``."""
    code = CHILD.format(
        ready=READY,
        patch=textwrap.dedent(STOPS[stop]),
        n_features=N_FEATURES,
        n_classes=N_CLASSES,
        version=PREPROCESSING_VERSION,
    )
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-c", code, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO_ROOT,
    )
    try:
        line = child.stdout.readline().strip()  # blocks until the child reaches the stop
        assert line == READY, f"child did not reach the stop: {line!r} {child.stderr.read()}"
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=CHILD_TIMEOUT_S) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=CHILD_TIMEOUT_S)
        for stream in (child.stdin, child.stdout, child.stderr):
            stream.close()


def leftovers(folder: Path, keep: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p != keep)


@pytest.mark.parametrize("stop", sorted(STOPS))
def test_a_killed_save_keeps_the_previous_file(tmp_path, stop):
    path = tmp_path / "model.npz"
    original = make_model(0, "original")
    save_model(original, path)
    before = path.read_bytes()

    kill_a_save_midway(path, stop)

    assert path.read_bytes() == before
    assert_same_model(load_model(path), original)
    temps = leftovers(tmp_path, path)
    assert len(temps) == 1  # SIGKILL gives no chance to clean up: the half-done temp stays
    assert temps[0].name.startswith(f".{path.name}.") and temps[0].name.endswith(".tmp")
    if stop == "mid_write":  # half an archive is refused with an error naming it
        with pytest.raises(ValueError, match=temps[0].name):
            load_model(temps[0])


def test_a_leftover_temp_file_does_not_break_later_saves_and_loads(tmp_path):
    path = tmp_path / "model.npz"
    save_model(make_model(0, "original"), path)
    kill_a_save_midway(path, "mid_write")
    kill_a_save_midway(path, "before_rename")
    stale = leftovers(tmp_path, path)
    assert len(stale) == 2

    newer = make_model(2, "after the crash")
    save_model(newer, path)
    assert_same_model(load_model(path), newer)
    assert leftovers(tmp_path, path) == stale  # other processes' temps are not ours to delete


def test_a_killed_first_save_leaves_no_file_at_the_target(tmp_path):
    path = tmp_path / "model.npz"
    kill_a_save_midway(path, "mid_write")
    assert not path.exists()
    with pytest.raises(ValueError, match="file not found"):
        load_model(path)
    save_model(make_model(3, "first real save"), path)
    assert load_model(path).metadata == {"run": "first real save"}

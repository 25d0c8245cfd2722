"""What each file reader does with damaged files: load, clear ValueError, or another exception.

For each reader (model ``.npz`` as saved and compressed, personal samples ``.npz``, gzipped IDX,
the prepared-data cache ``.npy``) it writes N damaged copies of a valid file (bit flips
anywhere, half of them in the headers and the start of compressed data; truncation; spliced and
random bytes; see tests/damage.py), loads each, and counts the outcomes. The cache reader's
"ValueError" is its "sent back for rebuilding". Seeded: the same N give the same counts.

    .venv/bin/python bench/damaged_files.py [-n 1500] [--seed 0]
"""

from __future__ import annotations

import argparse
import collections
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the checkout's engine, tests

from tests.damage import READERS, RandomChooser, damage  # noqa: E402

LOADED, REFUSED = "loaded", "ValueError"


def outcomes(reader_name: str, n: int, seed: int, folder: Path) -> collections.Counter:
    reader = READERS[reader_name]
    raw = reader.make()
    choose = RandomChooser(np.random.default_rng([seed, len(reader_name)]))
    counts: collections.Counter = collections.Counter()
    path = folder / f"damaged{reader.suffix}"
    for _ in range(n):
        _, data = damage(raw, choose)
        path.write_bytes(data)
        try:
            reader.load(path)
        except ValueError:
            counts[REFUSED] += 1
        except Exception as exc:  # noqa: BLE001  # what the bench is here to count
            counts[f"{type(exc).__module__}.{type(exc).__qualname__}"] += 1
        else:
            counts[LOADED] += 1
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1500, help="damaged copies per reader")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(f"{args.n} damaged copies per reader, seed {args.seed}\n")
    print("| reader | loaded | ValueError | other exceptions |")
    print("|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for name in READERS:
            counts = outcomes(name, args.n, args.seed, Path(tmp))
            other = {k: v for k, v in counts.items() if k not in (LOADED, REFUSED)}
            detail = ", ".join(f"{k} {v}" for k, v in sorted(other.items(), key=lambda kv: -kv[1]))
            print(
                f"| {name} | {counts[LOADED]:,} | {counts[REFUSED]:,} | "
                f"{sum(other.values()):,}{f' ({detail})' if detail else ''} |"
            )


if __name__ == "__main__":
    main()

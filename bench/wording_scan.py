"""Speed of wording-error's near-miss scan (`rules.wording_error.near_misses`) over a long page.

    python bench/wording_scan.py [--repeat 20]

The text: 6,000 characters of a typical news page naming the site 200 times (every occurrence of
the name's first character is a candidate). Prints the seconds per scan; on this machine's two
cores a scan took 0.25 ms (2026-12-02; the bound the tests once held: 50 ms).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rules.wording_error import near_misses  # noqa: E402

NAME = "清河市新北区人民政府"
TEXT = ("清河市新北区人民政府召开常务会议，研究部署中华人民共和国成立纪念活动。" * 200)[:6000]


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=20, help="scans timed [20]")
    args = ap.parse_args(argv)
    start = time.perf_counter()
    for _ in range(args.repeat):
        assert list(near_misses(TEXT, NAME)) == []
    seconds = (time.perf_counter() - start) / args.repeat
    print(f"near_misses over {len(TEXT):,} characters: {seconds * 1000:.2f} ms per scan ({args.repeat} scans)")


if __name__ == "__main__":
    main()

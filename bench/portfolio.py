"""Benchmark: the portfolio at demo size and at 10,000 vendors, interleaved (issue 23).

Both databases are seeded by bench/scale.py (10,000 vendors, 10,000 reviews, 40,000 stages, 10,000 activities
against the demo's shape at a hundredth). Each round asks each path of the demo database, then of the 10k
one, alternating which goes first, so that whatever else the machine does falls on both alike; the requests
go through Django's test Client as Legal (every middleware, a signed-in session), as bench/pages.py does.
Prints, per path: median and p95 at each size, the 10k/demo ratio and the query count. The PDF is measured
too (fewer rounds: it is rendered by WeasyPrint). Prints figures; it never fails a build.

    .venv/bin/python bench/scale.py --database vetted_scale_demo --size demo     # once
    .venv/bin/python bench/scale.py --database vetted_scale_10k                  # once
    .venv/bin/python bench/portfolio.py [--rounds 15] [--demo vetted_scale_demo] [--big vetted_scale_10k]
"""

import argparse
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

PATHS = ("/portfolio/", "/portfolio/waiting.csv", "/portfolio/stage-days.csv", "/portfolio/trend.csv")
PDF = "/portfolio/board-zh-hans.pdf"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--demo", default="vetted_scale_demo")
    parser.add_argument("--big", default="vetted_scale_10k")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--pdf-rounds", type=int, default=3)
    args = parser.parse_args()

    from pages import Database, fetch, p95, queries_of, setup

    setup(args.demo)
    databases = [Database("demo", args.demo, "default"), Database("10k", args.big, "big")]
    for db in databases:
        db.prepare()
    times: dict[tuple[str, str], list[float]] = {}
    plan = [(path, args.rounds) for path in PATHS] + [(PDF, args.pdf_rounds)]
    for path, rounds in plan:
        for db in databases:  # warm-up
            db.activate()
            fetch(db, "legal", path)
        for i in range(rounds):
            order = databases if i % 2 == 0 else databases[::-1]
            for db in order:
                db.activate()
                ms, status = fetch(db, "legal", path)
                assert status == 200, (path, db.label, status)
                times.setdefault((path, db.label), []).append(ms)
    print(f"{'path':32} {'demo ms':>9} {'p95':>7} {'10k ms':>9} {'p95':>7} {'ratio':>6} {'queries':>8}")
    for path, _rounds in plan:
        demo, big = times[(path, "demo")], times[(path, "10k")]
        counts = []
        for db in databases:
            db.activate()
            counts.append(str(queries_of(db, "legal", path)))
        queries = "/".join(counts)
        print(
            f"{path:32} {statistics.median(demo):9.1f} {p95(demo):7.1f} {statistics.median(big):9.1f} "
            f"{p95(big):7.1f} {statistics.median(big) / statistics.median(demo):6.2f} {queries:>8}"
        )


if __name__ == "__main__":
    main()

"""Time the benchmarking engine at England scale against a bare pandas rank.

Run from the project root:

    .venv/bin/python benchmarks/benchmark_build.py

It builds synthetic data for 153 LAs, 100 indicators and 48 quarters (about
734,000 rows), then times, best of three, (a) the floor: a plain grouped
rank of the same frame, and (b) the full `benchmark_frame` build. The engine
should take no more than three times the floor, and under ten seconds.
"""

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

# Run as a script, Python puts benchmarks/ on the path, not the project root.
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KEYS = ["period", "indicator", "group"]
LA_COUNT = 153
INDICATOR_COUNT = 100
QUARTER_COUNT = 48
MISSING_SHARE = 0.03
TARGET_RATIO = 3.0
TARGET_SECONDS = 10.0


def synthetic_values(seed: int = 2025) -> pd.DataFrame:
    """One row per LA, indicator and quarter, in a shuffled order.

    Indicators mix the three polarities and the three multipliers. Values
    are rounded (percentages to whole numbers, others to one decimal place) so that ties
    occur, as they do in published data; about 3% of values are missing.
    """
    rng = np.random.default_rng(seed)
    periods = [f"{2013 + q // 4}-Q{q % 4 + 1}" for q in range(QUARTER_COUNT)]
    indicators = [f"IND{i:03d}" for i in range(1, INDICATOR_COUNT + 1)]
    las = np.arange(201, 201 + LA_COUNT)

    per_period = INDICATOR_COUNT * LA_COUNT
    indicator_index = np.tile(
        np.repeat(np.arange(INDICATOR_COUNT), LA_COUNT), QUARTER_COUNT
    )
    polarities = np.array(["high_good", "low_good", "neither"], dtype=object)
    polarity = rng.choice(polarities, INDICATOR_COUNT)
    multiplier = rng.choice([1.0, 100.0, 10_000.0], INDICATOR_COUNT)

    rows = per_period * QUARTER_COUNT
    denominator = rng.integers(200, 20_000, rows).astype(float)
    numerator = np.floor(denominator * rng.beta(2, 5, rows))
    scale = multiplier[indicator_index]
    exact = numerator / denominator * scale
    value = np.where(scale == 100, np.round(exact), np.round(exact, 1))

    missing = rng.random(rows) < MISSING_SHARE
    for column in (value, numerator, denominator):
        column[missing] = np.nan

    frame = pd.DataFrame(
        {
            "period": np.repeat(np.array(periods, dtype=object), per_period),
            "indicator": np.array(indicators, dtype=object)[indicator_index],
            "group": "england",
            "la": np.tile(las, INDICATOR_COUNT * QUARTER_COUNT),
            "value": value,
            "polarity": polarity[indicator_index],
            "numerator": numerator,
            "denominator": denominator,
            "multiplier": scale,
        }
    )
    return frame.sample(frac=1, random_state=seed).reset_index(drop=True)


def best_time(work: Callable[[], object], repeats: int) -> float:
    """The fastest of `repeats` runs of `work`, in seconds."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    from benchmarking.engine import benchmark_frame

    values = synthetic_values()
    print(f"{len(values):,} rows, {values.groupby(KEYS).ngroups:,} groups")

    floor = best_time(
        lambda: values.groupby(KEYS)["value"].rank(method="average"), args.repeats
    )
    full = best_time(lambda: benchmark_frame(values), args.repeats)
    ratio = full / floor

    print(f"floor (grouped rank):  {floor:.3f} s")
    print(f"full benchmark_frame:  {full:.3f} s")
    print(f"ratio:                 {ratio:.2f}x (target <= {TARGET_RATIO:g}x)")
    met = ratio <= TARGET_RATIO and full < TARGET_SECONDS
    print("targets met" if met else "TARGETS MISSED")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())

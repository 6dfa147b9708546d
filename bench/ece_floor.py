#!/usr/bin/python3
"""How much ECE a test split can measure (issue 10).

Expected calibration error over few detections is mostly sampling noise: even a detector whose
confidences are exactly right shows an ECE well above zero when its outcomes are few coin flips
per bin. This prints, for the test detections in one or more stored-prediction files
(models/P/V/predictions.json, pooled when several are given), the measured ECE (10 bins of width
0.1, detections of confidence >= 10%, as evaluation.json reports it) beside the ECE a perfectly
calibrated detector with the same confidences would show: each outcome drawn as a true positive
with probability equal to its confidence, many times over.

Usage: bench/ece_floor.py PREDICTIONS.json [MORE.json ...] [--draws N]
"""
import argparse
import json
import random
import statistics


def ece(pairs):
    bins = [[] for _ in range(10)]
    for confidence, correct in pairs:
        bins[min(int(confidence * 10), 9)].append((confidence, correct))
    n = len(pairs)
    return sum(len(b) / n * abs(sum(c for c, _ in b) / len(b) - sum(ok for _, ok in b) / len(b))
               for b in bins if b)


def test_detections(path):
    stored = json.load(open(path))
    # A detection row is [label, box, confidence, truth index or -1 for a false positive].
    return [(d[2], d[3] >= 0) for image in stored["images"] for d in image["detections"] if d[2] >= 0.1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("predictions", nargs="+")
    parser.add_argument("--draws", type=int, default=4000)
    args = parser.parse_args()
    observed = [pair for path in args.predictions for pair in test_detections(path)]
    if not observed:
        raise SystemExit("no test detections of confidence >= 10% in " + ", ".join(args.predictions))
    rng = random.Random(1)
    floor = sorted(ece([(c, rng.random() < c) for c, _ in observed]) for _ in range(args.draws))
    measured = ece(observed)
    rank = sum(e <= measured for e in floor) / len(floor)
    print(f"{len(observed)} test detections >= 10% in {len(args.predictions)} file(s): measured ECE {measured:.3f}; "
          f"a perfectly calibrated detector: median {statistics.median(floor):.3f}, "
          f"90th percentile {floor[int(0.9 * len(floor))]:.3f}, P(ECE <= 0.05) {sum(e <= 0.05 for e in floor) / len(floor):.2f}; "
          f"the measured ECE is above {100 * rank:.0f}% of its draws")


if __name__ == "__main__":
    main()

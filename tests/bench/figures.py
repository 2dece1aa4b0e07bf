#!/usr/bin/env python3
"""Turn the benchmark scripts' raw figures into compact tables.

    figures.py sum FILE
        FILE: "wall user sys maxrss_kib" lines (one per process run, as
        /usr/bin/time -f '%e %U %S %M' writes them); prints
        "wall cpu maxrss_kib runs", summed (peak RSS: the largest).
    figures.py compare RECORDS BYTES MESSAGES
        RECORDS: "tool round wall cpu maxrss_kib cycles" lines; prints, per
        tool, the medians over the rounds, MiB/s and messages/s from them,
        and the ratio to the first tool.
    figures.py stats VALUES...
        prints "median max count" of the numbers given.
"""
import statistics
import sys


def load(path):
    with open(path) as f:
        return [l.split() for l in f if l.strip()]


def cmd_sum(path):
    rows = [list(map(float, r[:4])) for r in load(path)]
    print("%.2f %.2f %d %d" % (sum(r[0] for r in rows),
                               sum(r[1] + r[2] for r in rows),
                               max(r[3] for r in rows), len(rows)))


def cmd_compare(path, nbytes, nmsgs):
    nbytes, nmsgs = int(nbytes), int(nmsgs)
    tools, order = {}, []
    for r in load(path):
        if r[0] not in tools:
            tools[r[0]] = []
            order.append(r[0])
        tools[r[0]].append([float(x) for x in r[2:6]])
    base = None
    print("%-24s %5s %8s %8s %7s %7s %8s %8s %9s" % (
        "tool", "runs", "wall s", "cpu s", "MiB/s", "msg/s", "RSS MiB",
        "cycles", "wall/1st"))
    for name in order:
        runs = tools[name]
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        rss = statistics.median(r[2] for r in runs) / 1024
        cycles = statistics.median(r[3] for r in runs)
        if base is None:
            base = wall
        print("%-24s %5d %8.2f %8.2f %7.1f %7.1f %8.1f %8g %9.2f" % (
            name, len(runs), wall, cpu,
            nbytes / 1048576 / wall if wall else 0,
            nmsgs / wall if wall else 0, rss, cycles,
            wall / base if base else 0))
    print("(medians of interleaved rounds; the wall of each round: %s)" % "; ".join(
        "%s %s" % (n, " ".join("%.1f" % r[0] for r in tools[n])) for n in order))


def cmd_stats(values):
    v = [float(x) for x in values]
    print("%.3f %.3f %d" % (statistics.median(v), max(v), len(v)))


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    {"sum": cmd_sum, "compare": cmd_compare, "stats": cmd_stats}[cmd](
        *([args] if cmd == "stats" else args))
    return 0


if __name__ == "__main__":
    sys.exit(main())

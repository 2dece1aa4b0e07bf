#!/usr/bin/env python3
"""Time N sequential SMTP sends to a server, one connection each, the way
subgate and a submitter's client talk to the local mail stack.  Prints the
total, the median and the slowest send, and how many took over a second
(a resolver timeout shows as sends of about 5 s).

    smtp-sends.py --port N [--count 100] [--to ADDR]
"""
import argparse
import smtplib
import statistics
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--count", type=int, default=100)
    ap.add_argument("--to", default="sink@example.test")
    a = ap.parse_args()
    times = []
    start = time.monotonic()
    for i in range(a.count):
        msg = ("From: bench@example.test\r\nTo: %s\r\nSubject: send %d\r\n"
               "Message-ID: <send-%d-%f@example.test>\r\n\r\nbody\r\n"
               % (a.to, i, i, start)).encode()
        t = time.monotonic()
        with smtplib.SMTP(a.host, a.port, timeout=60) as s:
            s.sendmail("bench@example.test", [a.to], msg)
        times.append(time.monotonic() - t)
    total = time.monotonic() - start
    print("%d sends in %.2f s: median %.3f s, max %.2f s, %d over 1 s"
          % (a.count, total, statistics.median(times), max(times),
             sum(1 for t in times if t > 1)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""peak-rss.py OUT COMMAND...: runs COMMAND (its output passes through) and
writes its peak resident set size in KiB to OUT, as the kernel counted it
for that one child (wait4's ru_maxrss).  Exits with COMMAND's status."""
import os
import sys


def main(argv):
    out, cmd = argv[1], argv[2:]
    pid = os.fork()
    if pid == 0:
        try:
            os.execvp(cmd[0], cmd)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    with open(out, "w") as f:
        f.write("%d\n" % usage.ru_maxrss)
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main(sys.argv))

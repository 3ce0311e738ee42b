#!/usr/bin/env python3
"""Where a process's CPU went, by function, counting callees: each function's share of the samples whose call stack
holds it (perf's "children" view, without its call-graph tree), from `perf script` output.

    perf script -i .run/test/perf-webbavtal.data | swift demangle --simplified | deploy/perf-share.py [regex] [top]

Prints the `top` (default 40) functions matching `regex` (a Python regular expression; default: all) by share. With
`make load`'s `LOAD_PERF=<service>` the profile of each named service is in `.run/test/perf-<service>.data`
(docs/PERFORMANCE.md, issue 19: how much of a service's time one piece of code costs, before and after a change).
"""
import collections
import re
import sys


def stacks(lines):
    """Each sample's call stack as a list of function names, innermost first."""
    stack = []
    for line in lines:
        if not line.strip():
            if stack:
                yield stack
            stack = []
        elif line[0] in " \t":
            parts = line.strip().split(" ", 1)
            if len(parts) == 2:
                stack.append(re.sub(r"(\+0x[0-9a-f]+)? \(.*\)$", "", parts[1]))
    if stack:
        yield stack


def main():
    pattern = re.compile(sys.argv[1]) if len(sys.argv) > 1 else None
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    samples = 0
    holding = collections.Counter()
    for stack in stacks(sys.stdin):
        samples += 1
        holding.update(set(stack))
    if samples == 0:
        sys.exit("no samples: give perf script's output, recorded with call graphs (perf record -g)")
    shown = 0
    for function, count in holding.most_common():
        if pattern and not pattern.search(function):
            continue
        print(f"{100 * count / samples:6.2f}%  {function[:200]}")
        shown += 1
        if shown == top:
            break
    print(f"({samples} samples)")


if __name__ == "__main__":
    main()

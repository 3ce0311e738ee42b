#!/usr/bin/env python3
"""Looks for personal data, unmasked, in what the services wrote during a test run: every line of every log file named.

Personnummer (12 digits, or 10 with a dash or plus, that read as a date), e-mail addresses and Swedish phone numbers
(+46… or 07…) are what the test data carries; the services must only ever write them masked (`19640823-****`,
`a***@example.se`, `+4670*****67`). Service accounts of ours (`…@avtalsflode.local`) are not people. Prints each
finding with its file and line, and exits 1 if there is any; the number of files and lines read otherwise.
"""
import re
import sys

HEX = r"0-9A-Fa-f"
DATE = r"(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]|[6-8]\d|9[01])"  # a month, and a day (samordningsnummer: +60)
PERSONNUMMER = re.compile(
    rf"(?<![{HEX}\-+.:/])(?:(?:19|20)\d{{2}}{DATE}\d{{4}}|\d{{2}}{DATE}[-+]\d{{4}})(?![{HEX}\-.:])")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:se|com|nu|org|net|eu)\b")
PHONE = re.compile(r"(?<![0-9A-Za-z*+\-])(?:\+467\d{8}|\+46[1-9]\d{6,8}|07\d[- ]?\d{3}[- ]?\d{2}[- ]?\d{2})(?![0-9A-Za-z*])")


def findings(line):
    for kind, pattern in (("personnummer", PERSONNUMMER), ("e-mail", EMAIL), ("phone", PHONE)):
        for match in pattern.finditer(line):
            yield kind, match.group(0)


def main(paths):
    found = 0
    lines = 0
    for path in paths:
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                for number, line in enumerate(handle, 1):
                    lines += 1
                    for kind, value in findings(line):
                        found += 1
                        if found <= 50:
                            print(f"{path}:{number}: unmasked {kind} {value!r}: {line.strip()[:300]}")
        except FileNotFoundError:
            continue
    if found:
        print(f"personal data scan: {found} unmasked value(s) in {len(paths)} files, {lines} lines")
        return 1
    print(f"personal data scan: nothing unmasked in {len(paths)} files, {lines} lines")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/env python3
"""`make test`: the webhook signature check docs/partner-api.md gives partners, run as written.

Takes the Python block of the "Status webhooks" section and runs its `verify` on the Standard Webhooks
specification's own example (github.com/standard-webhooks/standard-webhooks): the signature is accepted; a changed
body, a changed id, a timestamp past five minutes and a missing v1 signature are refused; a second, wrong signature
beside the right one (a rotation) does not stop it.
"""
import os
import re
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
ID, TIMESTAMP, BODY = "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, b'{"test": 2432232314}'
SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def main():
    with open(os.path.join(ROOT, "docs", "partner-api.md")) as file:
        text = file.read()
    section = text.split("## Status webhooks", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    if len(blocks) != 1:
        sys.exit("check-webhook-verification: expected one Python block in docs/partner-api.md's Status webhooks section")
    code = "\n".join(line[2:] if line.startswith("  ") else line for line in blocks[0].splitlines())
    namespace = {}
    exec(compile(code, "docs/partner-api.md", "exec"), namespace)
    verify = namespace["verify"]

    def headers(id=ID, timestamp=TIMESTAMP, signature=SIGNATURE):
        return {"webhook-id": id, "webhook-timestamp": str(timestamp), "webhook-signature": signature}

    now = time.time
    time.time = lambda: TIMESTAMP + 10
    try:
        cases = [
            ("the specification's example", verify(SECRET, headers(), BODY), True),
            ("beside a second signature", verify(SECRET, headers(signature="v1,AAAA " + SIGNATURE), BODY), True),
            ("a changed body", verify(SECRET, headers(), BODY.replace(b"4}", b"5}")), False),
            ("a changed id", verify(SECRET, headers(id=ID + "x"), BODY), False),
            ("no v1 signature", verify(SECRET, headers(signature="v2," + SIGNATURE[3:]), BODY), False),
        ]
        time.time = lambda: TIMESTAMP + 301
        cases.append(("a timestamp over five minutes old", verify(SECRET, headers(), BODY), False))
    finally:
        time.time = now
    wrong = [f"{name}: {got}, expected {expected}" for name, got, expected in cases if got is not expected]
    if wrong:
        print("docs/partner-api.md's verify() is wrong:\n" + "\n".join(wrong))
        return 1
    print(f"webhook verification: the documented Python check holds in {len(cases)} cases")
    return 0


if __name__ == "__main__":
    sys.exit(main())

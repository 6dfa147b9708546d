#!/usr/bin/python3
"""Issue 9's attack suite: `apiary serve` on 127.0.0.1 under hostile clients.

Each case attacks through real sockets, checks the refusal, then checks that a normal signed
request still succeeds and that the objects stored at the start are intact (GET + compare).
Every case is bounded by socket timeouts and deadlines; the suite takes a few minutes at most.
Prints PASS/FAIL per case, exits 1 if any failed. The cases live in attack_cases_*.py.
Usage: attack_test.py APIARY_BINARY [--only NAME[,NAME...]] [--list] [--keep]
"""
import argparse
import os
import shutil
import sys
import tempfile
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import attack_cases_requests  # noqa: E402,F401  (importing a module registers its cases, in this order)
import attack_cases_uploads  # noqa: E402,F401
import attack_cases_auth  # noqa: E402,F401
import attack_cases_datasets  # noqa: E402,F401
import attack_cases_connections  # noqa: E402,F401  (last: graceful_shutdown stops the server)
from attack_suite import CASES, Suite  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("apiary")
    parser.add_argument("--only", default="", help="comma-separated case names")
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args()
    names = [c.__name__ for c in CASES]
    if args.list:
        print("\n".join(names))
        return 0
    chosen = [n for n in args.only.split(",") if n] or names
    unknown = [n for n in chosen if n not in names]
    if unknown:
        print("unknown case(s): %s; cases: %s" % (", ".join(unknown), ", ".join(names)))
        return 2
    work = tempfile.mkdtemp(prefix="apiary-attack.")
    t = Suite(os.path.abspath(args.apiary), work)
    failed = []
    try:
        t.setup()
        missing = [f for f in ("--header-timeout", "--idle-timeout", "--min-body-rate", "--max-connections",
                               "--max-connections-per-client", "--tls-cert") if f not in t.available]
        if missing:
            print("note: apiary serve lacks %s; those cases use the defaults or fail" % ", ".join(missing))
        for fn in CASES:
            if fn.__name__ not in chosen:
                continue
            start = time.time()
            try:
                fn(t)
                t.healthy()
                print("PASS %s (%.1f s)" % (fn.__name__, time.time() - start), flush=True)
            except Exception as e:  # noqa: BLE001 - every failure is reported, the suite goes on
                failed.append(fn.__name__)
                detail = str(e) if isinstance(e, AssertionError) else "".join(traceback.format_exception(e))[-1500:]
                print("FAIL %s (%.1f s): %s" % (fn.__name__, time.time() - start, detail), flush=True)
                if not t.server.alive():
                    print("     the server died: %s" % t.server.stderr_tail(800).strip(), flush=True)
                    t.server.start()  # so that the following cases still run
    finally:
        t.server.stop()
        if args.keep:
            print("work directory kept: " + work)
        else:
            shutil.rmtree(work, ignore_errors=True)
    print("%d of %d cases passed%s" % (len(chosen) - len(failed), len(chosen),
                                       "; failed: " + ", ".join(failed) if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

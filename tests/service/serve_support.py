"""Shared by the Python service tests: start `apiary serve` on a free loopback port and read the
access key it prints at its first start (the Python twin of serve_support.sh)."""
import os
import re
import subprocess
import time


def start_server(apiary, work, data, *args, timeout_s=60):
    """Returns (process, endpoint, access key id, secret). `args` go to `apiary serve`."""
    out = open(os.path.join(work, "server.out"), "w+")
    proc = subprocess.Popen([apiary, "--data-dir", data, "serve", "--port", "0", *args],
                            stdout=out, stderr=open(os.path.join(work, "server.err"), "w"))
    text = ""
    deadline = time.time() + timeout_s  # a loaded 2-core machine can take seconds to load libtorch
    while time.time() < deadline:
        out.seek(0)
        text = out.read()
        if "listening on" in text:
            break
        if proc.poll() is not None:
            raise AssertionError("apiary serve exited at startup: " + open(os.path.join(work, "server.err")).read())
        time.sleep(0.1)
    match = re.search(r"listening on https?://127\.0\.0\.1:(\d+)", text)
    if not match:
        raise AssertionError("apiary serve did not start within %d s" % timeout_s)
    key = re.search(r"aws_access_key_id\s+= (\S+)", text).group(1)
    secret = re.search(r"aws_secret_access_key\s+= (\S+)", text).group(1)
    return proc, "http://127.0.0.1:" + match.group(1), key, secret

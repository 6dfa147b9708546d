#!/usr/bin/python3
"""Issue 9's attack suite: `apiary serve` on 127.0.0.1 under hostile clients.

Each case attacks through real sockets, checks the refusal, then checks that a normal signed
request still succeeds and that the objects stored at the start are intact (GET + compare).
Every case is bounded by socket timeouts and deadlines; the suite takes a few minutes at most.
Prints PASS/FAIL per case, exits 1 if any failed.
Usage: attack_test.py APIARY_BINARY [--only NAME[,NAME...]] [--list] [--keep]
"""
import argparse
import datetime
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import zlib
import base64

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import boto3  # noqa: E402
from botocore.config import Config  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402

from attack_support import Conn, RssWatch, Server, encode_request, request, serve_flags, sign, signed  # noqa: E402

SEED_BUCKET, BUCKET = "attack-seed", "attack"
HEADER_TIMEOUT_S = 5  # passed as --header-timeout (bounded test); the default is 10
IDLE_TIMEOUT_S = 3    # passed as --idle-timeout; the default is 15
RSS_MARGIN_KB = 100 * 1024
MiB = 1 << 20

CASES = []


def case(fn):
    CASES.append(fn)
    return fn


class Failed(AssertionError):
    pass


def check(condition, message):
    if not condition:
        raise Failed(message)


class Suite:
    """What the cases share: the server, clients, the seed objects and the pipeline."""

    def __init__(self, apiary, work):
        self.apiary, self.work = apiary, work
        self.available = serve_flags(apiary)
        flags = ["--train-option", "epochs=1", "--train-option", "image_size=64",
                 "--pipeline-visibility-timeout", "2"]
        for flag, value in (("--header-timeout", HEADER_TIMEOUT_S), ("--idle-timeout", IDLE_TIMEOUT_S)):
            if flag in self.available:
                flags += [flag, str(value)]
        self.server = Server(apiary, work, flags).start()
        self.seeds = {"a.txt": b"alpha\n", "bin/b.bin": os.urandom(70000),
                      "c/deep/key with spaces.txt": b"gamma " * 1000}

    # -- clients
    def endpoint(self):
        return "http://127.0.0.1:%d" % self.server.port

    def boto(self, service):
        session = boto3.session.Session(aws_access_key_id=self.server.key, aws_secret_access_key=self.server.secret,
                                        region_name="us-east-1")
        config = Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1},
                        connect_timeout=5, read_timeout=30)
        return session.client(service, endpoint_url=self.endpoint(), config=config)

    def json_api(self, operation, body, timeout=10.0):
        headers = {"X-Amz-Target": "RekognitionService." + operation,
                   "Content-Type": "application/x-amz-json-1.1"}
        return signed(self.server, "POST", "/", body, headers, timeout=timeout, service="rekognition")

    def pipeline(self, *args):
        out = subprocess.run([self.apiary, "--data-dir", self.server.data, "pipeline"] + list(args),
                             capture_output=True, text=True, timeout=60)
        if out.returncode != 0:
            raise RuntimeError("apiary pipeline %s: %s" % (" ".join(args), out.stderr))
        return out.stdout

    def pipeline_status(self):
        return json.loads(self.pipeline("status", "attack", "--json"))

    # -- the state every case must leave intact
    def setup(self):
        s3 = self.boto("s3")
        for bucket in (SEED_BUCKET, BUCKET, "attack-src"):
            s3.create_bucket(Bucket=bucket)
        for key, body in self.seeds.items():
            s3.put_object(Bucket=SEED_BUCKET, Key=key, Body=body)
        self.setup_pipeline(s3)

    def setup_pipeline(self, s3):
        """A paused pipeline on attack/pipe/ (paused: events stay queued, so they can be counted).
        Its model: a one-epoch, 64 px version trained through the API (a few seconds)."""
        demo = os.path.join(self.work, "demo")
        subprocess.run([self.apiary, "demo-data", demo, "--images", "2", "--seed", "9"], check=True,
                       stdout=subprocess.DEVNULL, timeout=60)
        self.demo_jpeg = os.path.join(demo, "images", "00001.jpg")
        with open(os.path.join(demo, "output.manifest")) as f:
            self.demo_line = f.read().splitlines()[0].replace("s3://apiary-demo/bees/images/00001.jpg",
                                                              "s3://attack-src/img/00001.jpg")
        with open(self.demo_jpeg, "rb") as f:
            s3.put_object(Bucket="attack-src", Key="img/00001.jpg", Body=f.read())
        rek = self.boto("rekognition")
        project = rek.create_project(ProjectName="pipe-model")["ProjectArn"]
        dataset = rek.create_dataset(ProjectArn=project, DatasetType="TRAIN")["DatasetArn"]
        rek.update_dataset_entries(DatasetArn=dataset, Changes={"GroundTruth": (self.demo_line + "\n").encode()})
        rek.create_project_version(ProjectArn=project, VersionName="v1",
                                   OutputConfig={"S3Bucket": "attack-src", "S3KeyPrefix": "eval/"})
        deadline = time.time() + 120
        while True:
            status = rek.describe_project_versions(ProjectArn=project)["ProjectVersionDescriptions"][0]["Status"]
            if status != "TRAINING_IN_PROGRESS":
                break
            if time.time() > deadline:
                raise RuntimeError("the pipeline's model did not finish training in 120 s")
            time.sleep(0.5)
        self.pipeline("create", "attack", "--bucket", BUCKET, "--prefix", "pipe/", "--model", "pipe-model/v1")
        self.pipeline("pause", "attack")

    def healthy(self):
        """The server is up, answers a signed request, and the seed objects are unchanged."""
        check(self.server.alive(), "the server died (exit %s): %s" % (self.server.proc.poll(), self.server.stderr_tail(600)))
        r = signed(self.server, "GET", "/", timeout=5)
        check(r.status == 200, "ListBuckets after the attack: %r" % r)
        for key, body in self.seeds.items():
            r = signed(self.server, "GET", "/%s/%s" % (SEED_BUCKET, quote_key(key)), timeout=5)
            check(r.status == 200 and r.body == body,
                  "seed object %s changed: %r" % (key, r if r.status != 200 else "%d bytes" % len(r.body)))

    def head(self, key, bucket=BUCKET):
        return signed(self.server, "HEAD", "/%s/%s" % (bucket, quote_key(key))).status


def quote_key(key):
    from urllib.parse import quote
    return quote(key, safe="/~")


def sha256_hex(b):
    return hashlib.sha256(b).hexdigest()


def refused_status(status):
    return status in (400, 431)


def send_oversized(t, data):
    """Sends a request the server should refuse part-way; returns (Response or None, bytes the
    server took before it refused or reset)."""
    c = Conn(t.server, timeout=10)
    sent, response = 0, None
    try:
        view = memoryview(data)
        while sent < len(data):
            sent += c.sock.send(view[sent:sent + 65536])
            if c.closed_by_peer(0):
                break
    except (ConnectionError, OSError):
        pass
    try:
        response = c.read_response()
    except (ConnectionError, OSError, ValueError):
        response = None
    closed = c.closed_by_peer(3) if response else True
    c.close()
    return response, sent, closed


# ---------------------------------------------------------------- slow and idle clients
@case
def slowloris(t):
    """64 connections each dripping a header byte a second; a signed client keeps getting answers
    within 1 s each, and the server closes the slow ones at its header deadline."""
    header_deadline = HEADER_TIMEOUT_S if "--header-timeout" in t.available else 10
    slow = []
    for i in range(64):
        c = Conn(t.server, timeout=5)
        c.send(b"GET /%s/a.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow-%d: " % (SEED_BUCKET.encode(), i))
        slow.append({"conn": c, "closed_at": None})
    start = time.time()
    stop = threading.Event()

    def drip():
        while not stop.is_set():
            for s in slow:
                if s["closed_at"] is None:
                    try:
                        if s["conn"].closed_by_peer(0):
                            raise ConnectionError()
                        s["conn"].send(b"x")
                    except (ConnectionError, OSError):
                        s["closed_at"] = time.time() - start
            stop.wait(1.0)

    dripper = threading.Thread(target=drip, daemon=True)
    dripper.start()
    slow_answers, errors, answers = [], [], 0
    try:
        while time.time() - start < max(12.0, header_deadline + 4.0):
            for method, target in (("GET", "/"), ("HEAD", "/%s/a.txt" % SEED_BUCKET)):
                t0 = time.time()
                try:
                    r = signed(t.server, method, target, timeout=1.0)
                    took = time.time() - t0
                    if r.status != 200:
                        errors.append("%s %s: %r" % (method, target, r))
                    elif took > 1.0:
                        slow_answers.append(took)
                    else:
                        answers += 1
                except (OSError, ConnectionError) as e:
                    errors.append("%s %s at %.1f s: %s" % (method, target, time.time() - start, e or type(e).__name__))
            time.sleep(0.2)
    finally:
        stop.set()
        dripper.join()
        still_open = [i for i, s in enumerate(slow) if s["closed_at"] is None]
        for s in slow:
            s["conn"].close()
    check(not errors, "%d of the signed requests failed while 64 slow connections were open; first: %s"
          % (len(errors), errors[0] if errors else ""))
    check(not slow_answers, "%d answers took over 1 s (max %.2f s)" % (len(slow_answers), max(slow_answers or [0])))
    check(not still_open, "%d of 64 slow connections still open %.0f s after they started (header deadline %d s)"
          % (len(still_open), time.time() - start, header_deadline))
    late = [s["closed_at"] for s in slow if s["closed_at"] > header_deadline + 2.5]
    check(not late, "%d slow connections closed only after %.1f s (header deadline %d s)"
          % (len(late), max(late or [0]), header_deadline))


@case
def idle_keepalive(t):
    """A keep-alive connection left idle is closed after the idle timeout."""
    idle = IDLE_TIMEOUT_S if "--idle-timeout" in t.available else 15
    c = Conn(t.server, timeout=5)
    try:
        c.send(encode_request("GET", "/", sign(t.server, "GET", "/")))
        r = c.read_response()
        check(r.status == 200, "ListBuckets: %r" % r)
        start = time.time()
        closed = c.closed_by_peer(idle + 3)
        check(closed, "an idle keep-alive connection was still open after %.0f s (idle timeout %d s)"
              % (time.time() - start, idle))
    finally:
        c.close()


@case
def connection_cap(t):
    """Beyond --max-connections-per-client (here 8) and --max-connections (12): 503 SlowDown, then
    close; once the holders go, requests are served again."""
    for flag in ("--max-connections", "--max-connections-per-client"):
        check(flag in t.available, "apiary serve has no %s flag" % flag)
    cap_dir = tempfile.mkdtemp(prefix="cap.", dir=t.work)
    server = Server(t.apiary, cap_dir, ["--max-connections", "12", "--max-connections-per-client", "8"]).start()
    held = []
    try:
        def connect(source):
            s = socket.create_connection(("127.0.0.1", server.port), timeout=5, source_address=(source, 0))
            held.append(s)
            return s

        def expect_slow_down(sock, what):
            sock.sendall(encode_request("GET", "/", sign(server, "GET", "/")))
            c = Conn.__new__(Conn)
            c.sock, c.buf = sock, b""
            r = c.read_response()
            check(r.status == 503 and r.error_code() == "SlowDown", "%s: expected 503 SlowDown, got %r" % (what, r))
            check(c.closed_by_peer(3), "%s: the connection stayed open after the 503" % what)

        for _ in range(8):
            connect("127.0.0.1")
        time.sleep(0.3)
        expect_slow_down(connect("127.0.0.1"), "a 9th connection from 127.0.0.1")
        for _ in range(4):
            connect("127.0.0.2")
        time.sleep(0.3)
        expect_slow_down(connect("127.0.0.3"), "a 13th connection in all")
        for s in held:
            s.close()
        held.clear()
        deadline = time.time() + 5
        while True:  # the server notices the closes asynchronously
            r = signed(server, "GET", "/")
            if r.status == 200 or time.time() > deadline:
                break
            time.sleep(0.2)
        check(r.status == 200, "after the holders closed: %r" % r)
    finally:
        for s in held:
            s.close()
        server.stop()


# ---------------------------------------------------------------- header blocks
@case
def header_line_1mib(t):
    """A 1 MiB header line: 431 (or 400) and close, memory bounded."""
    baseline = t.server.rss_kb()
    data = (b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"a" * MiB + b"\r\n\r\n")
    with RssWatch(t.server) as rss:
        r, sent, closed = send_oversized(t, data)
    check(r is None or refused_status(r.status), "a 1 MiB header line was answered %r" % r)
    check(r is not None or sent < len(data), "the server dropped the connection without an answer after reading it all")
    check(closed, "the connection stayed open after the refusal")
    check(rss.peak_kb - baseline < RSS_MARGIN_KB, "RSS grew by %d KiB" % (rss.peak_kb - baseline))


@case
def headers_10000(t):
    """10,000 header fields: 431 (or 400) and close."""
    data = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + b"".join(b"X-H%d: v\r\n" % i for i in range(10000)) + b"\r\n"
    r, sent, closed = send_oversized(t, data)
    check(r is None or refused_status(r.status), "10,000 headers were answered %r" % r)
    check(r is not None or sent < len(data), "the server dropped the connection without an answer")
    check(closed, "the connection stayed open after the refusal")


@case
def headers_over_limits(t):
    """Just past the limits: 101 fields (a small block) and a 17 KiB block of short fields are
    refused; 90 fields in under 16 KiB are served (the limit is not set below real clients)."""
    def attempt(extra):
        headers = sign(t.server, "GET", "/", {})
        return send_oversized(t, encode_request("GET", "/", headers + extra))
    r, _, _ = attempt([("X-F%d" % i, "v") for i in range(101)])
    check(r is None or refused_status(r.status), "101 header fields were answered %r" % r)
    r, _, _ = attempt([("X-L%d" % i, "v" * 400) for i in range(44)])  # 44 * ~410 bytes > 17 KiB
    check(r is None or refused_status(r.status), "a 17 KiB header block was answered %r" % r)
    r = request(t.server, "GET", "/", sign(t.server, "GET", "/", {"X-N%d" % i: "v" * 100 for i in range(80)}))
    check(r.status == 200, "80 signed headers (9 KiB) should be served: %r" % r)


# ---------------------------------------------------------------- bodies
def chunked_flood(t, head, seconds=10.0, chunk=MiB):
    """Sends `head` then 1 MiB chunks as fast as the server takes them, for up to `seconds` or
    until it answers or closes. Returns (Response or None, bytes sent, seconds until it stopped taking them)."""
    c = Conn(t.server, timeout=2)
    frame = b"%x\r\n" % chunk + b"\0" * chunk + b"\r\n"
    sent, start, response = 0, time.time(), None
    try:
        c.send(head)
        while time.time() - start < seconds and sent < 5 * (1 << 30):
            c.send(frame)
            sent += chunk
            if c.closed_by_peer(0) or b"\r\n\r\n" in c.buf:
                break
    except (ConnectionError, OSError):
        pass
    took = time.time() - start
    try:
        c.sock.settimeout(3)
        response = c.read_response()
    except (ConnectionError, OSError, ValueError):
        pass
    c.close()
    return response, sent, took


@case
def chunked_5gb_unauthenticated(t):
    """An unsigned PUT with a 5 GB chunked body: refused (403 AccessDenied) before the body is
    read, RSS under baseline + 100 MB, nothing stored."""
    baseline = t.server.rss_kb()
    head = encode_request("PUT", "/%s/flood.bin" % BUCKET,
                          [("Host", "127.0.0.1"), ("Transfer-Encoding", "chunked")])
    with RssWatch(t.server) as rss:
        r, sent, took = chunked_flood(t, head)
    check(rss.peak_kb - baseline < RSS_MARGIN_KB, "RSS grew by %d MiB while %d MiB were sent"
          % ((rss.peak_kb - baseline) >> 10, sent >> 20))
    check(r is not None and r.status == 403 and r.error_code() == "AccessDenied",
          "expected 403 AccessDenied, got %r after %d MiB in %.1f s" % (r, sent >> 20, took))
    check(sent < 256 * MiB, "the server read %d MiB of an unauthenticated body before refusing it" % (sent >> 20))
    check(t.head("flood.bin") == 404, "an object was stored")


@case
def chunked_json_unauthenticated(t):
    """The same flood at the JSON API: refused before the body is read."""
    baseline = t.server.rss_kb()
    head = encode_request("POST", "/", [("Host", "127.0.0.1"), ("Transfer-Encoding", "chunked"),
                                        ("X-Amz-Target", "RekognitionService.DescribeProjects"),
                                        ("Content-Type", "application/x-amz-json-1.1")])
    with RssWatch(t.server) as rss:
        r, sent, took = chunked_flood(t, head)
    check(rss.peak_kb - baseline < RSS_MARGIN_KB, "RSS grew by %d MiB" % ((rss.peak_kb - baseline) >> 10))
    check(r is not None and r.error_code() in ("MissingAuthenticationToken", "UnrecognizedClientException"),
          "expected MissingAuthenticationToken, got %r after %d MiB in %.1f s" % (r, sent >> 20, took))
    check(sent < 64 * MiB, "the server read %d MiB of an unauthenticated body before refusing it" % (sent >> 20))


@case
def huge_length_unauthenticated(t):
    """Unsigned requests declaring 5 GiB (S3 PUT) and 1 GiB (JSON API): answered from the headers
    alone, with no body sent."""
    def answer_without_body(method, target, headers):
        c = Conn(t.server, timeout=3)
        try:
            c.send(encode_request(method, target, headers))
            return c.read_response()
        except (ConnectionError, OSError) as e:
            raise Failed("%s %s: no answer before the body was sent (%s)" % (method, target, e or type(e).__name__))
        finally:
            c.close()
    r = answer_without_body("PUT", "/%s/huge.bin" % BUCKET, [("Host", "127.0.0.1"), ("Content-Length", str(5 << 30))])
    check(r.status == 403 and r.error_code() == "AccessDenied", "S3 PUT: %r" % r)
    r = answer_without_body("POST", "/", [("Host", "127.0.0.1"), ("Content-Length", str(1 << 30)),
                                          ("X-Amz-Target", "RekognitionService.DescribeProjects"),
                                          ("Content-Type", "application/x-amz-json-1.1")])
    check(r.status == 413 or r.error_code() in ("MissingAuthenticationToken", "UnrecognizedClientException"),
          "JSON API: %r" % r)
    check(t.head("huge.bin") == 404, "an object was stored")


@case
def json_body_over_limit(t):
    """Signed JSON API bodies over 16 MiB: refused from Content-Length alone, and as a chunked
    body once 16 MiB have arrived, RSS bounded."""
    body = b'{"ProjectNames":["' + b"a" * (17 * MiB) + b'"]}'
    headers = sign(t.server, "POST", "/", {"X-Amz-Target": "RekognitionService.DescribeProjects",
                                           "Content-Type": "application/x-amz-json-1.1"}, body, service="rekognition")
    c = Conn(t.server, timeout=3)
    try:
        c.send(encode_request("POST", "/", headers + [("Content-Length", str(len(body)))]))
        r = c.read_response()
    except (ConnectionError, OSError) as e:
        raise Failed("no answer to a 17 MiB Content-Length before the body was sent (%s)" % (e or type(e).__name__))
    finally:
        c.close()
    check(r.status in (400, 413), "17 MiB declared: %r" % r)
    baseline = t.server.rss_kb()
    with RssWatch(t.server) as rss:
        r, sent, took = chunked_flood(t, encode_request("POST", "/", headers + [("Transfer-Encoding", "chunked")]),
                                      seconds=10)
    check(r is not None and r.status in (400, 413), "a chunked body past 16 MiB: %r after %d MiB" % (r, sent >> 20))
    check(sent < 48 * MiB, "the server took %d MiB of a chunked JSON body before refusing it" % (sent >> 20))
    check(rss.peak_kb - baseline < RSS_MARGIN_KB, "RSS grew by %d MiB" % ((rss.peak_kb - baseline) >> 10))


def gzip_bomb_bytes(work):
    """1 GiB of zeros, gzip-compressed (about 1 MiB), cached for reruns."""
    path = os.path.join(work, "bomb.gz")
    if not os.path.exists(path):
        z = zlib.compressobj(9, zlib.DEFLATED, 31)
        zero = bytes(MiB)
        with open(path, "wb") as f:
            for _ in range(1024):
                f.write(z.compress(zero))
            f.write(z.flush())
    with open(path, "rb") as f:
        return f.read()


@case
def gzip_bomb(t):
    """A signed PUT of a gzip bomb with Content-Encoding: gzip is stored as sent (GET returns
    exactly the compressed bytes), RSS bounded; the same body at the JSON API is not inflated."""
    bomb = gzip_bomb_bytes(t.work)
    baseline = t.server.rss_kb()
    with RssWatch(t.server) as rss:
        r = signed(t.server, "PUT", "/%s/bomb.gz" % BUCKET, bomb,
                   {"Content-Encoding": "gzip", "Content-Type": "application/octet-stream"}, timeout=30)
        put_status = r
        got = signed(t.server, "GET", "/%s/bomb.gz" % BUCKET, timeout=30)
        j = t.json_api("DescribeProjects", bomb, timeout=30)
    check(rss.peak_kb - baseline < RSS_MARGIN_KB, "RSS grew by %d MiB" % ((rss.peak_kb - baseline) >> 10))
    check(put_status.status == 200, "the PUT: %r" % put_status)
    check(got.status == 200 and got.body == bomb,
          "GET returned %d bytes, not the %d compressed bytes sent (%r)" % (len(got.body), len(bomb), got))
    check(j.status == 400 and j.error_code() == "SerializationException", "the JSON API: %r" % j)
    signed(t.server, "DELETE", "/%s/bomb.gz" % BUCKET)


@case
def body_on_bodiless_methods(t):
    """A body on DELETE, GET or HEAD: 400 UnexpectedContent from the headers, the body not read,
    and nothing deleted."""
    for method in ("DELETE", "GET", "HEAD"):
        target = "/%s/a.txt" % SEED_BUCKET
        headers = sign(t.server, method, target, payload_hash="UNSIGNED-PAYLOAD")
        c = Conn(t.server, timeout=3)
        try:
            c.send(encode_request(method, target, headers + [("Content-Length", str(64 * MiB))]))
            r = c.read_response(head=(method == "HEAD"))
        except (ConnectionError, OSError) as e:
            raise Failed("%s with a 64 MiB body: no answer before the body was sent (%s)" % (method, e or type(e).__name__))
        finally:
            c.close()
        want = "UnexpectedContent" if method != "HEAD" else None
        check(r.status == 400 and (want is None or r.error_code() == want), "%s with a body: %r" % (method, r))
    # Chunked, too.
    headers = sign(t.server, "DELETE", "/%s/a.txt" % SEED_BUCKET, payload_hash="UNSIGNED-PAYLOAD")
    r, sent, _ = chunked_flood(t, encode_request("DELETE", "/%s/a.txt" % SEED_BUCKET,
                                                 headers + [("Transfer-Encoding", "chunked")]), seconds=5)
    check(r is not None and r.status == 400 and r.error_code() == "UnexpectedContent",
          "DELETE with a chunked body: %r after %d MiB" % (r, sent >> 20))


@case
def truncated_put(t):
    """PUT declaring 1 MB, 100 KB sent, then disconnect (with a signed payload hash and with
    UNSIGNED-PAYLOAD): no object, no pipeline event. A complete PUT on the same prefix is the
    control: it does queue one."""
    before = t.pipeline_status()
    body = os.urandom(1000000)
    for key, payload in (("pipe/trunc-signed.jpg", sha256_hex(body)), ("pipe/trunc-unsigned.jpg", "UNSIGNED-PAYLOAD")):
        target = "/%s/%s" % (BUCKET, key)
        headers = sign(t.server, "PUT", target, {"Content-Type": "image/jpeg"}, payload_hash=payload)
        c = Conn(t.server, timeout=3)
        c.send(encode_request("PUT", target, headers + [("Content-Length", str(len(body)))], body[:100000]))
        time.sleep(0.3)
        c.close()
    time.sleep(1.0)
    for key in ("pipe/trunc-signed.jpg", "pipe/trunc-unsigned.jpg"):
        check(t.head(key) == 404, "the truncated upload %s was stored" % key)
    after = t.pipeline_status()
    check(after["Queued"] == before["Queued"], "the truncated uploads queued pipeline events: %s -> %s"
          % (before["Queued"], after["Queued"]))
    with open(t.demo_jpeg, "rb") as f:
        r = signed(t.server, "PUT", "/%s/pipe/complete.jpg" % BUCKET, f.read())
    check(r.status == 200, "the control PUT: %r" % r)
    check(t.pipeline_status()["Queued"] == before["Queued"] + 1, "the control PUT queued no event: the check is blind")


@case
def digest_mismatch(t):
    """x-amz-content-sha256 or Content-MD5 not matching the body: 400 XAmzContentSHA256Mismatch /
    BadDigest, no object."""
    body = b"the body actually sent"
    r = signed(t.server, "PUT", "/%s/sha.txt" % BUCKET, body, payload_hash=sha256_hex(b"another body"))
    check(r.status == 400 and r.error_code() == "XAmzContentSHA256Mismatch", "sha256 mismatch: %r" % r)
    check(t.head("sha.txt") == 404, "stored despite the sha256 mismatch")
    wrong_md5 = base64.b64encode(hashlib.md5(b"another body").digest()).decode()
    for payload in (None, "UNSIGNED-PAYLOAD"):
        r = signed(t.server, "PUT", "/%s/md5.txt" % BUCKET, body, {"Content-MD5": wrong_md5}, payload_hash=payload)
        check(r.status == 400 and r.error_code() == "BadDigest", "Content-MD5 mismatch (%s): %r" % (payload or "signed", r))
        check(t.head("md5.txt") == 404, "stored despite the Content-MD5 mismatch")


@case
def multipart_form_data_put(t):
    """A PUT with Content-Type multipart/form-data is an ordinary object PUT: bytes stored as sent."""
    body = (b"--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\nhello\r\n--xyz--\r\n")
    r = signed(t.server, "PUT", "/%s/form.bin" % BUCKET, body, {"Content-Type": "multipart/form-data; boundary=xyz"})
    check(r.status == 200, "the PUT: %r" % r)
    got = signed(t.server, "GET", "/%s/form.bin" % BUCKET)
    check(got.status == 200 and got.body == body, "GET: %r (%d bytes, sent %d)" % (got, len(got.body), len(body)))


@case
def json_100k_deep(t):
    """A 100k-deep JSON array (and object) to the Rekognition API: 400, server alive."""
    for body in (b"[" * 100000 + b"]" * 100000, b'{"a":' * 100000 + b"1" + b"}" * 100000):
        try:
            r = t.json_api("DescribeProjects", body)
        except (ConnectionError, OSError) as e:
            raise Failed("no answer to a 100k-deep JSON body (%s); server alive: %s" % (e or type(e).__name__, t.server.alive()))
        check(r.status == 400 and r.error_code() in ("SerializationException", "ValidationException"),
              "a 100k-deep JSON body: %r" % r)


# ---------------------------------------------------------------- keys
def files_outside(root, data, name):
    found = []
    for dirpath, _, files in os.walk(root):
        if os.path.commonpath([dirpath, data]) == data:
            continue
        found += [os.path.join(dirpath, f) for f in files if name in f]
    return found


@case
def key_dot_dot(t):
    """Keys with ../ (percent-encoded and literal) are plain keys: stored and read back under that
    key, or refused; no file appears outside the data directory."""
    tag = "escape-%d" % os.getpid()
    key = "../../../../" + tag + "-encoded"
    r = signed(t.server, "PUT", "/%s/%s" % (BUCKET, key.replace("/", "%2F")), b"dotdot")
    check(r.status == 200, "PUT of key %s: %r" % (key, r))
    got = signed(t.server, "GET", "/%s/%s" % (BUCKET, key.replace("/", "%2F")))
    check(got.status == 200 and got.body == b"dotdot", "GET of key %s: %r" % (key, got))
    listing = signed(t.server, "GET", "/%s?list-type=2&prefix=..%%2F" % BUCKET)
    check(listing.status == 200 and b"<Key>../../../../" + tag.encode() in listing.body,
          "the listing does not show the plain key: %r" % listing)
    r = signed(t.server, "PUT", "/%s/../../../../%s-literal" % (BUCKET, tag), b"dotdot")
    check(r.status in (200, 400, 403, 404), "PUT with a literal ../ path: %r" % r)
    leaked = files_outside(os.path.dirname(t.work), t.server.data, tag) + files_outside("/tmp", t.server.data, tag)
    check(not leaked, "files written outside the data directory: %s" % leaked)


@case
def key_with_nul(t):
    """A key with NUL (%00): refused with 400 or stored as a plain key; the data directory intact."""
    before = sorted(os.listdir(t.server.data))
    r = signed(t.server, "PUT", "/%s/nul%%00key" % BUCKET, b"nul")
    check(r.status in (200, 400), "PUT of a key with NUL: %r" % r)
    if r.status == 200:
        got = signed(t.server, "GET", "/%s/nul%%00key" % BUCKET)
        check(got.status == 200 and got.body == b"nul", "GET of the NUL key: %r" % got)
        check(signed(t.server, "HEAD", "/%s/nul" % BUCKET).status == 404, "the NUL key was truncated to 'nul'")
    check(sorted(os.listdir(t.server.data)) == before, "the data directory changed: %s -> %s"
          % (before, sorted(os.listdir(t.server.data))))


@case
def key_too_long(t):
    """Keys over 1024 bytes (1025 and 2 KiB): 400 KeyTooLongError; 1024 bytes is stored."""
    for n in (1025, 2048):
        r = signed(t.server, "PUT", "/%s/%s" % (BUCKET, "k" * n), b"long")
        check(r.status == 400 and r.error_code() == "KeyTooLongError", "a %d-byte key: %r" % (n, r))
    r = signed(t.server, "PUT", "/%s/%s" % (BUCKET, "k" * 1024), b"long")
    check(r.status == 200, "a 1024-byte key: %r" % r)


# ---------------------------------------------------------------- authentication
@case
def unsigned_requests(t):
    """No signature: S3 403 AccessDenied (read and write), JSON API MissingAuthenticationToken."""
    r = request(t.server, "GET", "/%s/a.txt" % SEED_BUCKET, [("Host", "127.0.0.1")])
    check(r.status == 403 and r.error_code() == "AccessDenied", "unsigned GET: %r" % r)
    r = request(t.server, "PUT", "/%s/unsigned.txt" % BUCKET, [("Host", "127.0.0.1"), ("Content-Length", "3")], b"abc")
    check(r.status == 403 and r.error_code() == "AccessDenied", "unsigned PUT: %r" % r)
    check(t.head("unsigned.txt") == 404, "the unsigned PUT was stored")
    r = request(t.server, "DELETE", "/%s/a.txt" % SEED_BUCKET, [("Host", "127.0.0.1")])
    check(r.status == 403, "unsigned DELETE: %r" % r)
    r = request(t.server, "POST", "/", [("Host", "127.0.0.1"), ("X-Amz-Target", "RekognitionService.DescribeProjects"),
                                        ("Content-Type", "application/x-amz-json-1.1"), ("Content-Length", "2")], b"{}")
    check(r.error_code() == "MissingAuthenticationToken", "unsigned JSON API: %r" % r)


@case
def wrong_key(t):
    """An access key id the server does not know: 403 InvalidAccessKeyId / UnrecognizedClientException."""
    r = signed(t.server, "GET", "/%s/a.txt" % SEED_BUCKET, key="AKIANOTAKEY000000000", secret="x" * 40)
    check(r.status == 403 and r.error_code() == "InvalidAccessKeyId", "S3: %r" % r)
    r = signed(t.server, "POST", "/", b"{}", {"X-Amz-Target": "RekognitionService.DescribeProjects",
                                              "Content-Type": "application/x-amz-json-1.1"},
               service="rekognition", key="AKIANOTAKEY000000000", secret="x" * 40)
    check(r.error_code() == "UnrecognizedClientException", "JSON API: %r" % r)


@case
def wrong_signature(t):
    """The right key id with the wrong secret, and a valid signature moved to another key: 403
    SignatureDoesNotMatch / InvalidSignatureException; nothing written."""
    r = signed(t.server, "PUT", "/%s/badsig.txt" % BUCKET, b"x", secret="y" * 40)
    check(r.status == 403 and r.error_code() == "SignatureDoesNotMatch", "wrong secret: %r" % r)
    check(t.head("badsig.txt") == 404, "stored with a wrong signature")
    headers = sign(t.server, "PUT", "/%s/signed-for.txt" % BUCKET, body=b"x") + [("Content-Length", "1")]
    r = request(t.server, "PUT", "/%s/moved-to.txt" % BUCKET, headers, b"x")
    check(r.status == 403 and r.error_code() == "SignatureDoesNotMatch", "signature for another key: %r" % r)
    check(t.head("moved-to.txt") == 404, "stored under a key it was not signed for")
    r = signed(t.server, "POST", "/", b"{}", {"X-Amz-Target": "RekognitionService.DescribeProjects",
                                              "Content-Type": "application/x-amz-json-1.1"},
               service="rekognition", secret="y" * 40)
    check(r.error_code() == "InvalidSignatureException", "JSON API: %r" % r)


@case
def replayed(t):
    """Correctly signed but X-Amz-Date 16 minutes old (a replay) or 16 minutes ahead: 403
    RequestTimeTooSkewed; nothing written."""
    for minutes in (-16, 16):
        when = datetime.datetime.utcnow() + datetime.timedelta(minutes=minutes)
        r = signed(t.server, "PUT", "/%s/replay.txt" % BUCKET, b"x", when=when)
        check(r.status == 403 and r.error_code() == "RequestTimeTooSkewed", "%+d min: %r" % (minutes, r))
    check(t.head("replay.txt") == 404, "a replayed PUT was stored")
    r = signed(t.server, "GET", "/", when=datetime.datetime.utcnow() - datetime.timedelta(minutes=14))
    check(r.status == 200, "14 minutes of skew is inside the window: %r" % r)


@case
def header_injection(t):
    """Bare CR or LF and obs-fold in a header are refused (or the fold never becomes a header);
    percent-encoded CRLF in the path or in response-content-type adds no response header; an
    unsigned x-amz-* header added to a signed request is 403."""
    target = "/%s/a.txt" % SEED_BUCKET
    for name, raw in (("bare CR", b"X-Note: a\rX-Amz-Meta-Evil: yes\r\n"), ("bare LF", b"X-Note: a\nX-Amz-Meta-Evil: yes\r\n")):
        headers = encode_request("GET", target, sign(t.server, "GET", target))
        data = headers[:-2] + raw + b"\r\n"
        c = Conn(t.server, timeout=3)
        try:
            c.send(data)
            r = c.read_response()
        except (ConnectionError, OSError):
            r = None  # closed without an answer: refused
        finally:
            c.close()
        check(r is None or r.status == 400, "a header with a %s: %r" % (name, r))
    # obs-fold on a signed PUT whose continuation looks like an x-amz-meta header.
    put = "/%s/fold.txt" % BUCKET
    headers = sign(t.server, "PUT", put, {"X-Note": "a"}, b"fold") + [("Content-Length", "4")]
    data = encode_request("PUT", put, headers, b"fold").replace(b"X-Note: a\r\n", b"X-Note: a\r\n X-Amz-Meta-Evil: yes\r\n")
    c = Conn(t.server, timeout=3)
    try:
        c.send(data)
        r = c.read_response()
    except (ConnectionError, OSError):
        r = None
    finally:
        c.close()
    if r is not None and r.status == 200:
        h = signed(t.server, "HEAD", put)
        check(h.header("x-amz-meta-evil") is None, "obs-fold became a header: x-amz-meta-evil=%s" % h.header("x-amz-meta-evil"))
    else:
        check(r is None or r.status == 400, "obs-fold: %r" % r)
    for path in ("/%s/a.txt%%0d%%0aX-Injected:%%20yes" % SEED_BUCKET,
                 "/%s/a.txt?response-content-type=text/plain%%0D%%0AX-Injected:%%20yes" % SEED_BUCKET):
        r = signed(t.server, "GET", path)
        check(r.header("X-Injected") is None, "%s added a response header: %r" % (path, r.headers))
    # An x-amz-* header the signature does not cover.
    put = "/%s/unsigned-header.txt" % BUCKET
    headers = sign(t.server, "PUT", put, body=b"x") + [("Content-Length", "1"), ("X-Amz-Meta-Added", "1")]
    r = request(t.server, "PUT", put, headers, b"x")
    check(r.status == 403, "an unsigned x-amz-meta header on a signed PUT: %r" % r)
    check(t.head("unsigned-header.txt") == 404, "stored with an unsigned x-amz-* header")


# ---------------------------------------------------------------- dataset source-refs
LEAK_WORDS = re.compile(r"exist|\bjpe?g\b|\bpng\b|image/|passwd|apiary\.db|/etc/|/tmp/|\bbytes\b|\d+\s*x\s*\d+",
                        re.IGNORECASE)


def names_line(message, n):
    """'line N' or the file:line form ('Changes.GroundTruth:N')."""
    return re.search(r"\bline %d\b|:%d\b" % (n, n), message, re.IGNORECASE) is not None


def leaks(message, ref, extra):
    """What a message tells about server files: a server path (the ref itself, unless it is the
    client's own s3:// URI), the data directory, a size, "exists", an image type."""
    own = [] if ref.startswith("s3://") else [ref]
    found = [w for w in own + extra if w and w in message]
    m = LEAK_WORDS.search(message)
    if m:
        found.append(m.group(0))
    return found


@case
def source_ref_file_read(t):
    """Through the API a source-ref may name only objects in this server's buckets: server paths,
    file:// URIs, ../apiary.db, relative paths and a real JPEG outside the data directory are each
    refused with InvalidParameterException naming the line; no message reveals a path or a fact
    about a file; nothing is imported."""
    outside = tempfile.mkdtemp(prefix="outside.", dir=t.work)
    jpeg = os.path.join(outside, "secret.jpg")
    shutil.copy(t.demo_jpeg, jpeg)
    facts = [t.server.data, outside, str(os.path.getsize(jpeg)), str(os.path.getsize("/etc/passwd"))]
    refs = ["/etc/passwd", "file:///etc/passwd", "../apiary.db", "apiary.db", "images/00001.jpg", jpeg,
            "file://" + jpeg, "s3://no-such-bucket/img/00001.jpg"]
    rek = t.boto("rekognition")
    s3 = t.boto("s3")
    project = rek.create_project(ProjectName="source-refs")["ProjectArn"]
    dataset = rek.create_dataset(ProjectArn=project, DatasetType="TRAIN")["DatasetArn"]
    problems = []

    def line_for(ref):
        return t.demo_line.replace("s3://attack-src/img/00001.jpg", ref)

    def expect_refusal(what, ref, call, line_no):
        try:
            call()
        except ClientError as e:
            code, message = e.response["Error"]["Code"], e.response["Error"].get("Message", "")
            if code != "InvalidParameterException":
                problems.append("%s %s: %s %s" % (what, ref, code, message))
            elif not names_line(message, line_no):
                problems.append("%s %s: the message does not name line %d: %s" % (what, ref, line_no, message))
            bad = leaks(message, ref, facts)
            if bad:
                problems.append("%s %s: the message reveals %s: %s" % (what, ref, bad, message))
            return
        problems.append("%s %s: accepted" % (what, ref))

    for ref in refs:
        expect_refusal("UpdateDatasetEntries", ref, lambda: rek.update_dataset_entries(
            DatasetArn=dataset, Changes={"GroundTruth": (line_for(ref) + "\n").encode()}), 1)
    # A bad line after a good one is named by its number.
    expect_refusal("UpdateDatasetEntries (2 lines)", jpeg, lambda: rek.update_dataset_entries(
        DatasetArn=dataset, Changes={"GroundTruth": (t.demo_line + "\n" + line_for(jpeg) + "\n").encode()}), 2)
    described = rek.describe_dataset(DatasetArn=dataset)["DatasetDescription"]
    bad = leaks(described.get("StatusMessage", ""), "", facts)
    if bad:
        problems.append("DescribeDataset StatusMessage reveals %s: %s" % (bad, described.get("StatusMessage")))
    entries = rek.list_dataset_entries(DatasetArn=dataset).get("DatasetEntries", [])
    if any(outside in e or "passwd" in e or "apiary.db" in e for e in entries):
        problems.append("imported a server file: %s" % entries)

    # CreateDataset from a manifest in a bucket: refused at once, or failed with a clean StatusMessage.
    for i, ref in enumerate(refs[:6]):
        s3.put_object(Bucket="attack-src", Key="manifests/%d.manifest" % i, Body=(line_for(ref) + "\n").encode())
        p = rek.create_project(ProjectName="source-refs-%d" % i)["ProjectArn"]
        source = {"GroundTruthManifest": {"S3Object": {"Bucket": "attack-src", "Name": "manifests/%d.manifest" % i}}}
        try:
            arn = rek.create_dataset(ProjectArn=p, DatasetType="TRAIN", DatasetSource=source)["DatasetArn"]
        except ClientError as e:
            code, message = e.response["Error"]["Code"], e.response["Error"].get("Message", "")
            if code != "InvalidParameterException" or not names_line(message, 1):
                problems.append("CreateDataset %s: %s %s" % (ref, code, message))
            if leaks(message, ref, facts):
                problems.append("CreateDataset %s: the message reveals %s: %s" % (ref, leaks(message, ref, facts), message))
            continue
        deadline = time.time() + 20
        while True:
            d = rek.describe_dataset(DatasetArn=arn)["DatasetDescription"]
            if d["Status"] != "CREATE_IN_PROGRESS" or time.time() > deadline:
                break
            time.sleep(0.2)
        stats = d.get("DatasetStats", {})
        if d["Status"] != "CREATE_FAILED" or stats.get("TotalEntries", 0):
            problems.append("CreateDataset %s: %s with %s entries (%s)" % (ref, d["Status"], stats.get("TotalEntries"),
                                                                            d.get("StatusMessage")))
        if leaks(d.get("StatusMessage", ""), ref, facts):
            problems.append("CreateDataset %s: StatusMessage reveals %s: %s" % (ref, leaks(d["StatusMessage"], ref, facts),
                                                                                 d["StatusMessage"]))
    check(not problems, "%d problems:\n    %s" % (len(problems), "\n    ".join(problems)))


# ---------------------------------------------------------------- TLS and shutdown
@case
def tls(t):
    """--tls-cert/--tls-key: a signed request over TLS succeeds; plain HTTP on that port is not served."""
    for flag in ("--tls-cert", "--tls-key"):
        check(flag in t.available, "apiary serve has no %s flag" % flag)
    tls_dir = tempfile.mkdtemp(prefix="tls.", dir=t.work)
    cert, key = os.path.join(tls_dir, "cert.pem"), os.path.join(tls_dir, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "1", "-subj", "/CN=127.0.0.1"], check=True, capture_output=True, timeout=60)
    os.chmod(key, 0o600)
    server = Server(t.apiary, tls_dir, ["--tls-cert", cert, "--tls-key", key]).start()
    try:
        c = Conn(server, timeout=5, tls=True)
        try:
            c.send(encode_request("GET", "/", sign(server, "GET", "/")))
            r = c.read_response()
        finally:
            c.close()
        check(r.status == 200, "ListBuckets over TLS: %r" % r)
        try:
            plain = request(server, "GET", "/", sign(server, "GET", "/"), timeout=3)
            check(plain.status >= 400, "plain HTTP on the TLS port was served: %r" % plain)
        except (ConnectionError, OSError, ValueError, IndexError):
            pass
    finally:
        server.stop()


@case
def graceful_shutdown(t):
    """SIGTERM with slow connections open and a request in flight: the server exits 0 promptly
    (last: it stops the suite's server)."""
    slow = [Conn(t.server, timeout=3) for _ in range(8)]
    for c in slow:
        c.send(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    start = time.time()
    code = t.server.stop(timeout=20)
    took = time.time() - start
    for c in slow:
        c.close()
    check(code == 0, "exit status %s after SIGTERM" % code)
    check(took < 15, "the server took %.1f s to stop" % took)
    t.server.start()  # for the health check


# ---------------------------------------------------------------- runner
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

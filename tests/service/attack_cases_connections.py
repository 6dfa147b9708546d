"""Attack cases on connections: slowloris, idle keep-alive, connection caps, TLS, shutdown."""
import os
import socket
import subprocess
import tempfile
import threading
import time

from attack_suite import BUCKET, HEADER_TIMEOUT_S, IDLE_TIMEOUT_S, SEED_BUCKET, case, check
from attack_support import Conn, Server, encode_request, request, sign, signed


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
    early = min(s["closed_at"] for s in slow)
    check(early >= header_deadline - 1.5, "a slow connection was closed after %.1f s, before the %d s header deadline: "
          "the answers above were not measured under load" % (early, header_deadline))
    late = [s["closed_at"] for s in slow if s["closed_at"] > header_deadline + 2.5]
    check(not late, "%d slow connections closed only after %.1f s (header deadline %d s)"
          % (len(late), max(late or [0]), header_deadline))


@case
def slow_body(t):
    """Signed PUTs whose bodies trickle in at 200 bytes/s, far under --min-body-rate: closed once
    the 10 s grace is over, nothing stored."""
    check("--min-body-rate" in t.available, "apiary serve has no --min-body-rate flag")
    conns = []
    for i in range(4):
        target = "/%s/trickle-%d.bin" % (BUCKET, i)
        headers = sign(t.server, "PUT", target, payload_hash="UNSIGNED-PAYLOAD") + [("Content-Length", "1000000")]
        c = Conn(t.server, timeout=5)
        c.send(encode_request("PUT", target, headers))
        conns.append({"conn": c, "closed_at": None})
    start = time.time()
    try:
        while time.time() - start < 15 and any(s["closed_at"] is None for s in conns):
            for s in conns:
                if s["closed_at"] is None:
                    try:
                        if s["conn"].closed_by_peer(0):
                            raise ConnectionError()
                        s["conn"].send(b"b" * 100)
                    except (ConnectionError, OSError):
                        s["closed_at"] = time.time() - start
            time.sleep(0.5)
    finally:
        for s in conns:
            s["conn"].close()
    open_ = [i for i, s in enumerate(conns) if s["closed_at"] is None]
    check(not open_, "%d of 4 trickling uploads still open after 15 s" % len(open_))
    for i in range(4):
        check(signed(t.server, "HEAD", "/%s/trickle-%d.bin" % (BUCKET, i)).status == 404, "a trickled upload was stored")


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

"""Plumbing for attack_test.py: start `apiary serve`, sign hand-built requests with botocore's
SigV4 signer, speak raw HTTP/1.1 over sockets (the malformed cases cannot go through an HTTP
library, which would refuse to send them), and watch the server's resident memory.
"""
import datetime
import os
import re
import select
import socket
import ssl
import subprocess
import threading
import time

from botocore.auth import SIGV4_TIMESTAMP, S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

REGION = "us-east-1"


def serve_flags(apiary):
    """The long options `apiary serve --help` lists, so the suite passes only flags this build has."""
    text = subprocess.run([apiary, "serve", "--help"], capture_output=True, text=True, timeout=30).stdout
    return set(re.findall(r"(--[a-z][a-z0-9-]*)", text))


class Server:
    """One `apiary serve` on a free loopback port; restartable on the same data directory."""

    def __init__(self, apiary, work, flags):
        self.apiary, self.work, self.flags = apiary, work, list(flags)
        self.data = os.path.join(work, "data")
        self.proc, self.port, self.key, self.secret = None, None, None, None
        self.starts = 0

    def start(self):
        self.starts += 1
        out_path = os.path.join(self.work, "server-%d.out" % self.starts)
        self.err_path = os.path.join(self.work, "server-%d.err" % self.starts)
        out = open(out_path, "w+")
        self.proc = subprocess.Popen([self.apiary, "--data-dir", self.data, "serve", "--port", "0"] + self.flags,
                                     stdout=out, stderr=open(self.err_path, "w"))
        text = ""
        deadline = time.time() + 30
        while time.time() < deadline and "listening on" not in text:
            if self.proc.poll() is not None:
                raise RuntimeError("apiary serve exited with %s: %s" % (self.proc.returncode, self.stderr_tail()))
            time.sleep(0.05)
            out.seek(0)
            text = out.read()
        match = re.search(r"127\.0\.0\.1:(\d+)", text)
        if not match:
            raise RuntimeError("apiary serve did not report its port: " + text + self.stderr_tail())
        self.port = int(match.group(1))
        key = re.search(r"aws_access_key_id\s+= (\S+)", text)
        if key:  # printed only when the data directory had no key yet
            self.key = key.group(1)
            self.secret = re.search(r"aws_secret_access_key = (\S+)", text).group(1)
        return self

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout=30):
        if self.proc is None:
            return None
        if self.alive():
            self.proc.terminate()
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        code, self.proc = self.proc.returncode, None
        return code

    def rss_kb(self):
        """VmRSS of the serve process in KiB (0 once it has gone)."""
        try:
            with open("/proc/%d/status" % self.proc.pid) as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1])
        except (OSError, AttributeError):
            pass
        return 0

    def threads(self):
        try:
            return len(os.listdir("/proc/%d/task" % self.proc.pid))
        except OSError:
            return 0

    def stderr_tail(self, n=2000):
        try:
            with open(self.err_path, errors="replace") as f:
                return f.read()[-n:]
        except OSError:
            return ""


class RssWatch:
    """Samples the server's RSS every 20 ms in a thread; `peak_kb` is the highest seen."""

    def __init__(self, server):
        self.server, self.peak_kb, self._stop = server, server.rss_kb(), threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            self.peak_kb = max(self.peak_kb, self.server.rss_kb())
            self._stop.wait(0.02)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


class _Signer(S3SigV4Auth):
    """botocore's SigV4 with a chosen clock and a chosen declared payload hash (S3 signs the
    x-amz-content-sha256 header's value, not the body, so a case can declare a hash for bytes
    it never sends)."""

    def __init__(self, credentials, service, when, payload_hash):
        super().__init__(credentials, service, REGION)
        self._when, self._payload_hash = when, payload_hash

    def payload(self, request):
        return self._payload_hash if self._payload_hash is not None else super().payload(request)

    def add_auth(self, request):
        request.context["timestamp"] = self._when.strftime(SIGV4_TIMESTAMP)
        self._modify_request_before_signing(request)
        canonical = self.canonical_request(request)
        self._inject_signature_to_request(request, self.signature(self.string_to_sign(request, canonical), request))


class _JsonSigner(SigV4Auth):
    """SigV4 for the JSON API: the body's hash is signed, no x-amz-content-sha256 header."""

    def __init__(self, credentials, when):
        super().__init__(credentials, "rekognition", REGION)
        self._when = when

    def add_auth(self, request):
        request.context["timestamp"] = self._when.strftime(SIGV4_TIMESTAMP)
        self._modify_request_before_signing(request)
        canonical = self.canonical_request(request)
        self._inject_signature_to_request(request, self.signature(self.string_to_sign(request, canonical), request))


def sign(server, method, target, headers=None, body=b"", service="s3", payload_hash=None, when=None,
         key=None, secret=None):
    """The headers of a signed request for `target` (raw path and query, already percent-encoded,
    sent as is). Returns a list of (name, value)."""
    headers = dict(headers or {})
    headers.setdefault("Host", "127.0.0.1:%d" % server.port)
    request = AWSRequest(method=method, url="http://127.0.0.1:%d%s" % (server.port, target), data=body,
                         headers=headers)
    credentials = Credentials(key or server.key, secret or server.secret)
    when = when or datetime.datetime.utcnow()
    if service == "s3":
        _Signer(credentials, "s3", when, payload_hash).add_auth(request)
    else:
        _JsonSigner(credentials, when).add_auth(request)
    return list(request.headers.items())


class Response:
    def __init__(self, status, reason, headers, body):
        self.status, self.reason, self.headers, self.body = status, reason, headers, body

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def error_code(self):
        """The S3 XML <Code> or the JSON API's __type / x-amzn-ErrorType."""
        m = re.search(rb"<Code>([^<]*)</Code>", self.body or b"")
        if m:
            return m.group(1).decode()
        t = self.header("x-amzn-ErrorType")
        if t:
            return t.split(":")[0]
        m = re.search(rb'"__type"\s*:\s*"([^"]*)"', self.body or b"")
        return m.group(1).decode().split("#")[-1] if m else None

    def refuses_as(self, *codes):
        """The error code is one of `codes`; AWS's JSON services send some codes with an
        "Exception" suffix (MissingAuthenticationTokenException), so both spellings count."""
        code = self.error_code() or ""
        return code in codes or (code.endswith("Exception") and code[:-len("Exception")] in codes)

    def __repr__(self):
        return "HTTP %d %s %s" % (self.status, self.error_code() or "", (self.body or b"")[:300])


class Conn:
    """A raw HTTP/1.1 connection to the server."""

    def __init__(self, server, timeout=5.0, tls=False):
        self.sock = socket.create_connection(("127.0.0.1", server.port), timeout=timeout)
        if tls:
            context = ssl.create_default_context()
            context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
            self.sock = context.wrap_socket(self.sock)
        self.buf = b""

    def send(self, data):
        self.sock.sendall(data)

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        self.buf += chunk

    def read_response(self, head=False, max_body=64 << 20):
        while b"\r\n\r\n" not in self.buf:
            self._fill()
            if len(self.buf) > 1 << 20:
                raise ValueError("response header block over 1 MiB")
        block, self.buf = self.buf.split(b"\r\n\r\n", 1)
        lines = block.split(b"\r\n")
        parts = lines[0].decode("latin-1").split(" ", 2)
        status = int(parts[1])
        headers = []
        for line in lines[1:]:
            name, _, value = line.decode("latin-1").partition(":")
            headers.append((name.strip(), value.strip()))
        r = Response(status, parts[2] if len(parts) > 2 else "", headers, b"")
        if head or status in (204, 304) or 100 <= status < 200:
            return r
        if (r.header("Transfer-Encoding") or "").lower() == "chunked":
            body = b""
            while True:
                while b"\r\n" not in self.buf:
                    self._fill()
                size_line, self.buf = self.buf.split(b"\r\n", 1)
                size = int(size_line.split(b";")[0], 16)
                while len(self.buf) < size + 2:
                    self._fill()
                body, self.buf = body + self.buf[:size], self.buf[size + 2:]
                if size == 0:
                    break
            r.body = body
        elif r.header("Content-Length") is not None:
            n = int(r.header("Content-Length"))
            if n > max_body:
                raise ValueError("response body of %d bytes" % n)
            while len(self.buf) < n:
                self._fill()
            r.body, self.buf = self.buf[:n], self.buf[n:]
        else:  # delimited by close
            try:
                while True:
                    self._fill()
            except (ConnectionError, OSError):
                pass
            r.body, self.buf = self.buf, b""
        return r

    def closed_by_peer(self, wait=0.0):
        """True when the server has closed (EOF or reset) within `wait` seconds; any bytes the
        server sent first (an error response) are kept in the buffer."""
        deadline = time.time() + wait
        while True:
            left = max(0.0, deadline - time.time())
            ready, _, _ = select.select([self.sock], [], [], left)
            if not ready:
                return False
            try:
                chunk = self.sock.recv(65536)
            except (ConnectionError, OSError):
                return True
            if not chunk:
                return True
            self.buf += chunk


def encode_request(method, target, headers, body=b""):
    head = "%s %s HTTP/1.1\r\n" % (method, target)
    head += "".join("%s: %s\r\n" % (k, v) for k, v in headers)
    return head.encode("latin-1") + b"\r\n" + body


def request(server, method, target, headers, body=b"", timeout=5.0, head=None):
    """Sends one request on a fresh connection and reads the answer."""
    c = Conn(server, timeout)
    try:
        c.send(encode_request(method, target, headers, body))
        return c.read_response(head=(method == "HEAD") if head is None else head)
    finally:
        c.close()


def signed(server, method, target, body=b"", headers=None, timeout=5.0, **kw):
    """A signed request, sent with a Content-Length; returns the Response."""
    h = sign(server, method, target, headers, body, **kw)
    if body or method in ("PUT", "POST"):
        h.append(("Content-Length", str(len(body))))
    return request(server, method, target, h, body, timeout)

"""Attack cases on request framing: header blocks past their limits, bodies past theirs (floods,
declared lengths, a gzip bomb, bodies on bodiless methods), deeply nested JSON."""
import os
import zlib

from attack_suite import (BUCKET, MiB, RSS_MARGIN_KB, SEED_BUCKET, Failed, case, check, chunked_flood,
                          refused_status, send_oversized)
from attack_support import Conn, RssWatch, encode_request, request, sign, signed


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
    check(r is not None and r.refuses_as("MissingAuthenticationToken", "UnrecognizedClientException"),
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
    check(r.status == 413 or r.refuses_as("MissingAuthenticationToken", "UnrecognizedClientException"),
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
def json_100k_deep(t):
    """A 100k-deep JSON array (and object) to the Rekognition API: 400, server alive."""
    for body in (b"[" * 100000 + b"]" * 100000, b'{"a":' * 100000 + b"1" + b"}" * 100000):
        try:
            r = t.json_api("DescribeProjects", body)
        except (ConnectionError, OSError) as e:
            raise Failed("no answer to a 100k-deep JSON body (%s); server alive: %s" % (e or type(e).__name__, t.server.alive()))
        check(r.status == 400 and r.error_code() in ("SerializationException", "ValidationException"),
              "a 100k-deep JSON body: %r" % r)

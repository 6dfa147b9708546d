"""Attack cases on authentication: unsigned, unknown key, wrong signature, replayed and
header-injected requests."""
import datetime

from attack_suite import BUCKET, SEED_BUCKET, case, check
from attack_support import Conn, encode_request, request, sign, signed


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
    check(r.refuses_as("MissingAuthenticationToken"), "unsigned JSON API: %r" % r)


@case
def wrong_key(t):
    """An access key id the server does not know: 403 InvalidAccessKeyId / UnrecognizedClientException."""
    r = signed(t.server, "GET", "/%s/a.txt" % SEED_BUCKET, key="AKIANOTAKEY000000000", secret="x" * 40)
    check(r.status == 403 and r.error_code() == "InvalidAccessKeyId", "S3: %r" % r)
    r = signed(t.server, "POST", "/", b"{}", {"X-Amz-Target": "RekognitionService.DescribeProjects",
                                              "Content-Type": "application/x-amz-json-1.1"},
               service="rekognition", key="AKIANOTAKEY000000000", secret="x" * 40)
    check(r.refuses_as("UnrecognizedClientException"), "JSON API: %r" % r)


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
    check(r.refuses_as("InvalidSignatureException"), "JSON API: %r" % r)


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
    # A server may refuse obs-fold (400) or fold it into X-Note's value (RFC 9112 5.2), which then
    # no longer matches its signature (403); what it must never do is make the fold a header.
    if r is not None and r.status == 200:
        h = signed(t.server, "HEAD", put)
        check(h.header("x-amz-meta-evil") is None, "obs-fold became a header: x-amz-meta-evil=%s" % h.header("x-amz-meta-evil"))
    else:
        check(r is None or r.status in (400, 403), "obs-fold: %r" % r)
        check(signed(t.server, "HEAD", put).status == 404, "the refused obs-fold PUT was stored")
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

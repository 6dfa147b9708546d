"""Attack cases on stored objects: truncated and mismatched uploads, multipart/form-data as an
ordinary PUT, hostile keys (../, NUL, over 1024 bytes)."""
import base64
import hashlib
import os
import time

from attack_suite import BUCKET, case, check, sha256_hex
from attack_support import Conn, encode_request, sign, signed


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

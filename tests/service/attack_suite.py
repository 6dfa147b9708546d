"""What attack_test.py's cases share: the suite's server and clients, the objects every case must
leave intact, the case registry, and helpers for floods and oversized requests."""
import hashlib
import json
import os
import subprocess
import time
from urllib.parse import quote

import boto3
from botocore.config import Config

from attack_support import Conn, Server, serve_flags, signed

SEED_BUCKET, BUCKET = "attack-seed", "attack"
HEADER_TIMEOUT_S = 5  # passed as --header-timeout (bounded test); the default is 10
IDLE_TIMEOUT_S = 3    # passed as --idle-timeout; the default is 15
RSS_MARGIN_KB = 100 * 1024
MiB = 1 << 20

CASES = []  # in the order they run; graceful_shutdown stops the server, so it runs last


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

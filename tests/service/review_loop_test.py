#!/usr/bin/python3
"""The review loop end to end: a pipeline with a review band receives 10 images; exactly those
whose best confidence falls in the band wait for review; a reviewer corrects and accepts them
in the console (session cookie + CSRF token), and the next version trains on them.

The band is set from a first pass over the same 10 images (the model is deterministic), so the
test knows which ones must be queued without guessing at confidences.
Usage: review_loop_test.py APIARY_BINARY
"""
import base64
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import boto3

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import serve_support  # noqa: E402
from botocore.config import Config

APIARY = sys.argv[1]
WORK = tempfile.mkdtemp(prefix="apiary-review-test.")
DATA = os.path.join(WORK, "data")


def start_server():
    return serve_support.start_server(APIARY, WORK, DATA, "--train-option", "epochs=6", "--train-option", "image_size=128")


class Console:
    """The console's own requests: a session cookie and its CSRF token."""

    def __init__(self, endpoint, key, secret):
        self.endpoint = endpoint
        req = urllib.request.Request(endpoint + "/console/api/session", method="POST",
                                     data=json.dumps({"accessKeyId": key, "secretAccessKey": secret}).encode(),
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req) as res:
            self.cookie = res.headers["Set-Cookie"].split(";")[0]
            self.csrf = json.load(res)["csrfToken"]

    def call(self, method, path, body=None):
        req = urllib.request.Request(self.endpoint + path, method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Cookie": self.cookie, "X-CSRF-Token": self.csrf,
                                              "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req) as res:
                return json.load(res)
        except urllib.error.HTTPError as e:
            e.msg = e.msg + ": " + e.read().decode()
            raise


def wait_for(fn, what, seconds=600):
    deadline = time.time() + seconds
    while time.time() < deadline:
        value = fn()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError("timed out waiting for " + what)


def jpeg_size(path):
    """(width, height) from a baseline or progressive JPEG's SOF marker."""
    data = open(path, "rb").read()
    i = 2
    while i < len(data):
        marker, length = data[i + 1], int.from_bytes(data[i + 2:i + 4], "big")
        if marker in (0xC0, 0xC1, 0xC2):
            return int.from_bytes(data[i + 7:i + 9], "big"), int.from_bytes(data[i + 5:i + 7], "big")
        i += 2 + length
    raise AssertionError("no SOF marker in " + path)


def best_confidence(s3, bucket, key):
    body = s3.get_object(Bucket=bucket, Key=key + ".json")["Body"].read()
    return max([l["Confidence"] for l in json.loads(body)["CustomLabels"]] + [0.0])


def run(s3, rek, console, key_id):
    bees = os.path.join(WORK, "bees")
    subprocess.run([APIARY, "demo-data", bees, "--images", "24", "--seed", "6"], check=True, stdout=subprocess.DEVNULL)
    s3.create_bucket(Bucket="apiary-demo")
    for name in sorted(os.listdir(os.path.join(bees, "images"))):
        s3.upload_file(os.path.join(bees, "images", name), "apiary-demo", "bees/images/" + name)
    s3.upload_file(os.path.join(bees, "output.manifest"), "apiary-demo", "bees/output.manifest")
    project = rek.create_project(ProjectName="bees")["ProjectArn"]
    rek.create_dataset(ProjectArn=project, DatasetType="TRAIN", DatasetSource={
        "GroundTruthManifest": {"S3Object": {"Bucket": "apiary-demo", "Name": "bees/output.manifest"}}})
    v1 = rek.create_project_version(ProjectArn=project, VersionName="v1",
                                    OutputConfig={"S3Bucket": "apiary-demo", "S3KeyPrefix": "eval/"})["ProjectVersionArn"]
    status = lambda v: rek.describe_project_versions(ProjectArn=project, VersionNames=[v])[
        "ProjectVersionDescriptions"][0]["Status"]
    wait_for(lambda: status("v1") == "TRAINING_COMPLETED", "v1 to train")
    rek.start_project_version(ProjectVersionArn=v1, MinInferenceUnits=1)
    wait_for(lambda: status("v1") == "RUNNING", "v1 to run")

    # Ten fresh camera images (another seed: not in the training data).
    cams = os.path.join(WORK, "cams")
    subprocess.run([APIARY, "demo-data", cams, "--images", "10", "--seed", "9"], check=True, stdout=subprocess.DEVNULL)
    names = sorted(os.listdir(os.path.join(cams, "images")))
    s3.create_bucket(Bucket="cams")
    subprocess.run([APIARY, "--data-dir", DATA, "pipeline", "create", "first", "--bucket", "cams", "--prefix", "a/",
                    "--model", v1, "--min-confidence", "0"], check=True, stdout=subprocess.DEVNULL)
    for name in names:
        s3.upload_file(os.path.join(cams, "images", name), "cams", "a/" + name)
    wait_for(lambda: all(s3.list_objects_v2(Bucket="cams", Prefix="a/" + n + ".json")["KeyCount"] for n in names),
             "the first pass's results")
    best = {n: best_confidence(s3, "cams", "a/" + n) for n in names}
    ranked = sorted(best.values())
    low, high = ranked[2], ranked[7]
    print("best confidences", [round(v, 2) for v in ranked], "band", round(low, 3), round(high, 3))
    subprocess.run([APIARY, "--data-dir", DATA, "pipeline", "create", "second", "--bucket", "cams", "--prefix", "b/",
                    "--model", v1, "--min-confidence", "0", "--review-band", "%.6f-%.6f" % (low - 1e-6, high + 1e-6)],
                   check=True, stdout=subprocess.DEVNULL)
    for name in names:
        s3.upload_file(os.path.join(cams, "images", name), "cams", "b/" + name)
    wait_for(lambda: all(s3.list_objects_v2(Bucket="cams", Prefix="b/" + n + ".json")["KeyCount"] for n in names),
             "the second pass's results")
    expected = {"b/" + n for n, c in best.items() if low <= c <= high}
    pending = console.call("GET", "/console/api/reviews?pipeline=second")
    got = {r["Key"] for r in pending["reviews"]}
    assert got == expected, (sorted(got), sorted(expected))
    assert pending["counts"]["pending"] == len(expected) >= 6, pending["counts"]
    assert console.call("GET", "/console/api/reviews?pipeline=first")["counts"]["pending"] == 0  # no band: none

    # Correct each: one bee box (as a reviewer would draw it), then accept; reject one.
    reviews = sorted(pending["reviews"], key=lambda r: r["Key"])
    accepted = []
    for r in reviews[:-1]:
        width, height = jpeg_size(os.path.join(cams, "images", r["Key"][2:]))
        line = {"source-ref": "s3://cams/" + r["Key"],
                "bounding-box": {"image_size": [{"width": width, "height": height, "depth": 3}],
                                 "annotations": [{"class_id": 0, "left": 40, "top": 50, "width": 60, "height": 40}]},
                "bounding-box-metadata": {"class-map": {"0": "bee"}, "type": "groundtruth/object-detection",
                                          "human-annotated": "yes", "objects": [{"confidence": 1}],
                                          "creation-date": "2026-12-01T00:00:00", "job-name": "review"}}
        decided = console.call("POST", "/console/api/reviews/%d/accept" % r["Id"], {"line": json.dumps(line)})
        assert decided["review"]["State"] == "accepted" and decided["review"]["Reviewer"] == key_id, decided
        accepted.append("s3://cams/" + r["Key"])
    assert console.call("POST", "/console/api/reviews/%d/reject" % reviews[-1]["Id"])["review"]["State"] == "rejected"
    try:
        console.call("POST", "/console/api/reviews/%d/reject" % reviews[0]["Id"])
        raise AssertionError("a decided review was decided again")
    except urllib.error.HTTPError as e:
        assert e.code == 409, e.code

    listed = json.loads(subprocess.run([APIARY, "--data-dir", DATA, "--json", "review", "list", "--state", "all"],
                                       check=True, capture_output=True, text=True).stdout)
    assert listed["Accepted"] == len(accepted) and listed["Rejected"] == 1, listed

    # The next version trains on the training dataset, which now holds the accepted images.
    rek.create_project_version(ProjectArn=project, VersionName="v2",
                               OutputConfig={"S3Bucket": "apiary-demo", "S3KeyPrefix": "eval/"})
    wait_for(lambda: status("v2") in ("TRAINING_COMPLETED", "TRAINING_FAILED"), "v2 to train")
    assert status("v2") == "TRAINING_COMPLETED"
    train = [d["DatasetArn"] for d in rek.describe_projects(ProjectNames=["bees"])["ProjectDescriptions"][0]["Datasets"]
             if d["DatasetType"] == "TRAIN"][0]
    refs = set()
    for page in rek.get_paginator("list_dataset_entries").paginate(DatasetArn=train):
        refs |= {json.loads(e)["source-ref"] for e in page["DatasetEntries"]}
    assert set(accepted) <= refs, sorted(set(accepted) - refs)
    assert "s3://cams/" + reviews[-1]["Key"] not in refs  # the rejected one did not join


def main():
    proc, endpoint, key, secret = start_server()
    try:
        session = boto3.session.Session(aws_access_key_id=key, aws_secret_access_key=secret, region_name="us-east-1")
        s3 = session.client("s3", endpoint_url=endpoint, config=Config(s3={"addressing_style": "path"}))
        rek = session.client("rekognition", endpoint_url=endpoint)
        run(s3, rek, Console(endpoint, key, secret), key)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
        shutil.rmtree(WORK)
    print("PASS: review loop")


if __name__ == "__main__":
    main()

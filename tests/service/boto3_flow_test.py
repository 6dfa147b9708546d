#!/usr/bin/python3
"""The reference notebook's flow with Debian's python3-boto3 against `apiary serve`.

Covers what the AWS CLI test does not: the waiters used as a notebook uses them (polling during
training), pagination, tags, UpdateDatasetEntries, DistributeDatasetEntries, ListDatasetEntries,
multipart uploads through boto3's transfer manager, CopyObject, DeleteObjects, listings with a
delimiter and continuation tokens, Range reads.
Usage: boto3_flow_test.py APIARY_BINARY
"""
import base64
import concurrent.futures
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import boto3

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import serve_support  # noqa: E402
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import ClientError

APIARY = sys.argv[1]
WORK = tempfile.mkdtemp(prefix="apiary-boto3-test.")


def expect_error(code, fn, *args, **kwargs):
    try:
        fn(*args, **kwargs)
    except ClientError as e:
        assert e.response["Error"]["Code"] == code, (code, e.response["Error"])
        return
    raise AssertionError("expected " + code)


def start_server():
    return serve_support.start_server(APIARY, WORK, os.path.join(WORK, "data"),
                                      "--train-option", "epochs=2", "--train-option", "image_size=128")


def main():
    subprocess.run([APIARY, "demo-data", os.path.join(WORK, "bees"), "--images", "30", "--seed", "5"],
                   check=True, stdout=subprocess.DEVNULL)
    proc, endpoint, key, secret = start_server()
    try:
        session = boto3.session.Session(aws_access_key_id=key, aws_secret_access_key=secret, region_name="us-east-1")
        s3 = session.client("s3", endpoint_url=endpoint, config=Config(s3={"addressing_style": "path"}))
        rek = session.client("rekognition", endpoint_url=endpoint)
        run(s3, rek)
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0, "server did not stop cleanly"
        shutil.rmtree(WORK)
    print("PASS: boto3 flow")


def run(s3, rek):
    bucket = "bee-data"
    s3.create_bucket(Bucket=bucket)
    expect_error("BucketAlreadyOwnedByYou", s3.create_bucket, Bucket=bucket)
    expect_error("InvalidBucketName", s3.create_bucket, Bucket="Bad_Name")

    # Upload the images (put_object) and the manifest; the manifest's refs point at this bucket.
    images = sorted(os.listdir(os.path.join(WORK, "bees", "images")))
    for name in images:
        with open(os.path.join(WORK, "bees", "images", name), "rb") as f:
            s3.put_object(Bucket=bucket, Key="bees/images/" + name, Body=f.read(), ContentType="image/jpeg")
    with open(os.path.join(WORK, "bees", "output.manifest")) as f:
        manifest = f.read().replace("s3://apiary-demo/", "s3://%s/" % bucket)
    lines = manifest.splitlines()
    s3.put_object(Bucket=bucket, Key="bees/train.manifest", Body="\n".join(lines[:25]) + "\n")

    # Listing: paging with continuation tokens, delimiter roll-up.
    keys, token = [], None
    while True:
        kwargs = {"Bucket": bucket, "Prefix": "bees/images/", "MaxKeys": 7}
        if token:
            kwargs["ContinuationToken"] = token
        page = s3.list_objects_v2(**kwargs)
        keys += [o["Key"] for o in page.get("Contents", [])]
        if not page["IsTruncated"]:
            break
        token = page["NextContinuationToken"]
    assert keys == ["bees/images/" + n for n in images], keys
    top = s3.list_objects_v2(Bucket=bucket, Prefix="bees/", Delimiter="/")
    assert [p["Prefix"] for p in top["CommonPrefixes"]] == ["bees/images/"], top
    assert [o["Key"] for o in top["Contents"]] == ["bees/train.manifest"], top

    # Multipart through the transfer manager, ranged reads, copy, batch delete.
    blob = os.urandom(13 * 1024 * 1024)
    path = os.path.join(WORK, "blob.bin")
    with open(path, "wb") as f:
        f.write(blob)
    config = TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024)
    s3.upload_file(path, bucket, "big/blob.bin", Config=config)
    head = s3.head_object(Bucket=bucket, Key="big/blob.bin")
    assert head["ContentLength"] == len(blob)
    parts = [blob[i:i + 5 * 1024 * 1024] for i in range(0, len(blob), 5 * 1024 * 1024)]
    expected = hashlib.md5(b"".join(hashlib.md5(p).digest() for p in parts)).hexdigest() + "-%d" % len(parts)
    assert head["ETag"] == '"%s"' % expected, (head["ETag"], expected)
    got = s3.get_object(Bucket=bucket, Key="big/blob.bin", Range="bytes=100-199")["Body"].read()
    assert got == blob[100:200]
    s3.download_file(bucket, "big/blob.bin", path + ".back", Config=config)
    assert open(path + ".back", "rb").read() == blob
    s3.copy_object(Bucket=bucket, Key="big/copy.bin", CopySource={"Bucket": bucket, "Key": "big/blob.bin"})
    assert s3.head_object(Bucket=bucket, Key="big/copy.bin")["ETag"] == head["ETag"]
    s3.put_object(Bucket=bucket, Key="meta.txt", Body=b"x", Metadata={"colour": "amber"})
    assert s3.head_object(Bucket=bucket, Key="meta.txt")["Metadata"] == {"colour": "amber"}
    deleted = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "big/blob.bin"}, {"Key": "big/copy.bin"},
                                                                   {"Key": "meta.txt"}]})
    assert len(deleted["Deleted"]) == 3, deleted
    expect_error("NoSuchKey", s3.get_object, Bucket=bucket, Key="big/blob.bin")
    expect_error("BucketNotEmpty", s3.delete_bucket, Bucket=bucket)

    # Projects, pagination, tags.
    arns = [rek.create_project(ProjectName=n)["ProjectArn"] for n in ("bees", "spare-1", "spare-2")]
    project = arns[0]
    pages = list(rek.get_paginator("describe_projects").paginate(PaginationConfig={"PageSize": 2}))
    assert len(pages) == 2 and sum(len(p["ProjectDescriptions"]) for p in pages) == 3, pages
    for arn in arns[1:]:
        rek.delete_project(ProjectArn=arn)
    rek.tag_resource(ResourceArn=project, Tags={"team": "pollinators", "stage": "test"})
    rek.untag_resource(ResourceArn=project, TagKeys=["stage"])
    assert rek.list_tags_for_resource(ResourceArn=project)["Tags"] == {"team": "pollinators"}

    # Datasets: from the manifest, then more entries, then the 80/20 distribution.
    train = rek.create_dataset(ProjectArn=project, DatasetType="TRAIN", DatasetSource={
        "GroundTruthManifest": {"S3Object": {"Bucket": bucket, "Name": "bees/train.manifest"}}})["DatasetArn"]
    test = rek.create_dataset(ProjectArn=project, DatasetType="TEST")["DatasetArn"]
    rek.update_dataset_entries(DatasetArn=train, Changes={"GroundTruth": ("\n".join(lines[25:]) + "\n").encode()})
    stats = rek.describe_dataset(DatasetArn=train)["DatasetDescription"]["DatasetStats"]
    assert stats["TotalEntries"] == 30 and stats["LabeledEntries"] == 30, stats
    rek.distribute_dataset_entries(Datasets=[{"Arn": train}, {"Arn": test}])
    n_test = rek.describe_dataset(DatasetArn=test)["DatasetDescription"]["DatasetStats"]["TotalEntries"]
    assert 4 <= n_test <= 8, n_test
    entries = [e for p in rek.get_paginator("list_dataset_entries").paginate(
        DatasetArn=train, PaginationConfig={"PageSize": 10}) for e in p["DatasetEntries"]]
    assert len(entries) == 30 - n_test
    assert all(json.loads(e)["source-ref"].startswith("s3://%s/bees/images/" % bucket) for e in entries)
    labels = {l["LabelName"] for l in rek.list_dataset_labels(DatasetArn=train)["DatasetLabelDescriptions"]}
    assert "bee" in labels, labels

    # Training with the waiter polling while it runs, as a notebook does.
    version = rek.create_project_version(ProjectArn=project, VersionName="v1",
                                         OutputConfig={"S3Bucket": bucket, "S3KeyPrefix": "eval/"})["ProjectVersionArn"]
    expect_error("ResourceInUseException", rek.create_project_version, ProjectArn=project, VersionName="v1",
                 OutputConfig={"S3Bucket": bucket, "S3KeyPrefix": "eval/"})
    rek.get_waiter("project_version_training_completed").wait(
        ProjectArn=project, VersionNames=["v1"], WaiterConfig={"Delay": 1, "MaxAttempts": 600})
    desc = rek.describe_project_versions(ProjectArn=project)["ProjectVersionDescriptions"][0]
    assert desc["Status"] == "TRAINING_COMPLETED", desc
    assert 0 <= desc["EvaluationResult"]["F1Score"] <= 1
    summary = desc["EvaluationResult"]["Summary"]["S3Object"]
    body = json.loads(s3.get_object(Bucket=summary["Bucket"], Key=summary["Name"])["Body"].read())
    assert body["EvaluationDetails"]["ProjectVersionArn"] == version

    # Start, detect (bytes and S3 object agree), stop.
    rek.start_project_version(ProjectVersionArn=version, MinInferenceUnits=1)
    rek.get_waiter("project_version_running").wait(ProjectArn=project, VersionNames=["v1"],
                                                   WaiterConfig={"Delay": 1, "MaxAttempts": 60})
    with open(os.path.join(WORK, "bees", "images", images[0]), "rb") as f:
        image = f.read()
    by_bytes = rek.detect_custom_labels(ProjectVersionArn=version, Image={"Bytes": image}, MinConfidence=0, MaxResults=5)
    by_s3 = rek.detect_custom_labels(ProjectVersionArn=version, MinConfidence=0, MaxResults=5,
                                     Image={"S3Object": {"Bucket": bucket, "Name": "bees/images/" + images[0]}})
    assert by_bytes["CustomLabels"] == by_s3["CustomLabels"] and 0 < len(by_bytes["CustomLabels"]) <= 5, by_bytes
    expect_error("InvalidImageFormatException", rek.detect_custom_labels, ProjectVersionArn=version,
                 Image={"Bytes": b"\xff\xd8\xff" + b"\0" * 100})
    # Stop while requests are in flight: those already running finish; later ones are refused.
    def detect_once():
        try:
            rek.detect_custom_labels(ProjectVersionArn=version, Image={"Bytes": image}, MinConfidence=0)
            return "ok"
        except ClientError as e:
            return e.response["Error"]["Code"]
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        running = [pool.submit(detect_once) for _ in range(40)]
        time.sleep(0.1)
        rek.stop_project_version(ProjectVersionArn=version)
        outcomes = [f.result() for f in running]
    assert set(outcomes) <= {"ok", "ResourceNotReadyException"}, outcomes
    assert "ok" in outcomes, outcomes
    print("stop during traffic:", {o: outcomes.count(o) for o in sorted(set(outcomes))})
    for _ in range(100):
        status = rek.describe_project_versions(ProjectArn=project)["ProjectVersionDescriptions"][0]["Status"]
        if status == "STOPPED":
            break
        time.sleep(0.1)
    assert status == "STOPPED", status
    expect_error("ResourceNotReadyException", rek.detect_custom_labels, ProjectVersionArn=version, Image={"Bytes": image})

    # Clean-up as in the walk-through.
    rek.delete_project_version(ProjectVersionArn=version)
    rek.delete_dataset(DatasetArn=train)
    rek.delete_dataset(DatasetArn=test)
    rek.delete_project(ProjectArn=project)
    expect_error("ResourceNotFoundException", rek.describe_project_versions, ProjectArn=project)


if __name__ == "__main__":
    main()

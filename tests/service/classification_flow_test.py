#!/usr/bin/python3
"""A classification project through `apiary serve` with Debian's python3-boto3: images and a
Ground Truth image-classification manifest uploaded to a bucket, create project and datasets,
train (the server splits 80/20), describe with F1Score and the summary's ConfusionMatrix, start,
detect with Image.Bytes and Image.S3Object (labels without Geometry, best first, MaxResults),
stop. The pictures are generated shapes (`apiary demo-data --shapes`).
Usage: classification_flow_test.py APIARY_BINARY
"""
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
from botocore.config import Config

APIARY = sys.argv[1]
WORK = tempfile.mkdtemp(prefix="apiary-classification-test.")
LABELS = ["circle", "square", "triangle"]


def start_server():
    return serve_support.start_server(APIARY, WORK, os.path.join(WORK, "data"), "--train-option", "epochs=2",
                                      "--train-option", "image_size=96", "--train-option", "threads=2")


def main():
    subprocess.run([APIARY, "demo-data", os.path.join(WORK, "shapes"), "--shapes", "--images", "12", "--seed", "3"],
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
    print("PASS: classification flow")


def run(s3, rek):
    bucket = "shape-data"
    s3.create_bucket(Bucket=bucket)
    lines = []
    for class_id, label in enumerate(LABELS):
        for name in sorted(os.listdir(os.path.join(WORK, "shapes", label))):
            key = "shapes/%s/%s" % (label, name)
            with open(os.path.join(WORK, "shapes", label, name), "rb") as f:
                s3.put_object(Bucket=bucket, Key=key, Body=f.read(), ContentType="image/jpeg")
            lines.append(json.dumps({"source-ref": "s3://%s/%s" % (bucket, key), "shape": class_id,
                                     "shape-metadata": {"class-name": label, "confidence": 1,
                                                        "type": "groundtruth/image-classification",
                                                        "job-name": "labeling-job/shapes", "human-annotated": "yes",
                                                        "creation-date": "2024-01-01T00:00:00"}}))
    s3.put_object(Bucket=bucket, Key="shapes/train.manifest", Body="\n".join(lines) + "\n")

    project = rek.create_project(ProjectName="shapes")["ProjectArn"]
    train = rek.create_dataset(ProjectArn=project, DatasetType="TRAIN", DatasetSource={
        "GroundTruthManifest": {"S3Object": {"Bucket": bucket, "Name": "shapes/train.manifest"}}})["DatasetArn"]
    labels = {l["LabelName"] for l in rek.list_dataset_labels(DatasetArn=train)["DatasetLabelDescriptions"]}
    assert labels == set(LABELS), labels

    version = rek.create_project_version(ProjectArn=project, VersionName="v1",
                                         OutputConfig={"S3Bucket": bucket, "S3KeyPrefix": "eval/"})["ProjectVersionArn"]
    rek.get_waiter("project_version_training_completed").wait(
        ProjectArn=project, VersionNames=["v1"], WaiterConfig={"Delay": 1, "MaxAttempts": 600})
    desc = rek.describe_project_versions(ProjectArn=project)["ProjectVersionDescriptions"][0]
    assert desc["Status"] == "TRAINING_COMPLETED", desc
    assert 0 <= desc["EvaluationResult"]["F1Score"] <= 1, desc["EvaluationResult"]
    summary = desc["EvaluationResult"]["Summary"]["S3Object"]
    body = json.loads(s3.get_object(Bucket=summary["Bucket"], Key=summary["Name"])["Body"].read())
    assert body["EvaluationDetails"]["ProjectVersionArn"] == version
    matrix = body["AggregatedEvaluationResults"]["ConfusionMatrix"]
    assert len(matrix) == len(LABELS) ** 2 and {"GroundTruthLabel", "PredictedLabel", "Value"} <= set(matrix[0]), matrix
    assert {r["Label"] for r in body["LabelEvaluationResults"]} == set(LABELS), body["LabelEvaluationResults"]

    rek.start_project_version(ProjectVersionArn=version, MinInferenceUnits=1)
    rek.get_waiter("project_version_running").wait(ProjectArn=project, VersionNames=["v1"],
                                                   WaiterConfig={"Delay": 1, "MaxAttempts": 60})
    with open(os.path.join(WORK, "shapes", "square", "square-0001.jpg"), "rb") as f:
        image = f.read()
    by_bytes = rek.detect_custom_labels(ProjectVersionArn=version, Image={"Bytes": image}, MinConfidence=0)
    by_s3 = rek.detect_custom_labels(ProjectVersionArn=version, MinConfidence=0,
                                     Image={"S3Object": {"Bucket": bucket, "Name": "shapes/square/square-0001.jpg"}})
    found = by_bytes["CustomLabels"]
    assert found == by_s3["CustomLabels"], (found, by_s3)
    assert len(found) == len(LABELS) and all("Geometry" not in l for l in found), found
    assert [l["Confidence"] for l in found] == sorted((l["Confidence"] for l in found), reverse=True), found
    one = rek.detect_custom_labels(ProjectVersionArn=version, Image={"Bytes": image}, MinConfidence=0, MaxResults=1)
    assert one["CustomLabels"] == found[:1], one
    rek.stop_project_version(ProjectVersionArn=version)
    for _ in range(100):
        status = rek.describe_project_versions(ProjectArn=project)["ProjectVersionDescriptions"][0]["Status"]
        if status == "STOPPED":
            break
        time.sleep(0.1)
    assert status == "STOPPED", status


if __name__ == "__main__":
    main()

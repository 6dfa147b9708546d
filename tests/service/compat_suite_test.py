#!/usr/bin/python3
"""Issue 14's compatibility suite: the reference service's workflow, in its order, as its
published programs drive it, with Debian's python3-boto3 (and /usr/bin/aws for the waiters)
against `apiary serve`:

create project (Tags, Feature, AutoUpdate) -> dataset from a manifest, waiting for CREATE_COMPLETE
-> entries listed from an empty NextToken with their own source-ref, label attribute and metadata,
rejected lines under HasErrors -> UpdateDatasetEntries with an unlabelled line -> a classification
dataset filled by UpdateDatasetEntries -> CreateDataset copying a dataset of the same project ->
train with TestingData.AutoCreate (the user's dataset untouched) and with TrainingData/TestingData
Assets -> describe with the data results, manifest summaries and fixed training timestamps ->
start with MinInferenceUnits -> detect -> stop, reading STOPPING/STOPPED at
once -> CopyProjectVersion -> project policies -> error codes -> delete.

Debian's botocore predates some members (Tags/Feature/AutoUpdate on CreateProject, Tags on
CreateDataset, VersionDescription): those requests are signed and sent by hand (`raw`).
Usage: compat_suite_test.py APIARY_BINARY
"""
import concurrent.futures
import json
import os
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
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

APIARY = sys.argv[1]
WORK = tempfile.mkdtemp(prefix="apiary-compat-test.")
BUCKET = "compat-data"


class RawError(Exception):
    def __init__(self, status, code, message):
        super().__init__("%d %s: %s" % (status, code, message))
        self.status, self.code, self.message = status, code, message


class Raw:
    """A Rekognition JSON request signed with SigV4, for members this botocore does not know."""

    def __init__(self, endpoint, key, secret):
        self.endpoint, self.credentials = endpoint, Credentials(key, secret)

    def __call__(self, operation, body):
        req = AWSRequest(method="POST", url=self.endpoint + "/", data=json.dumps(body).encode(),
                         headers={"Content-Type": "application/x-amz-json-1.1",
                                  "X-Amz-Target": "RekognitionService." + operation})
        SigV4Auth(self.credentials, "rekognition", "us-east-1").add_auth(req)
        http = urllib.request.Request(self.endpoint + "/", data=req.body, headers=dict(req.headers.items()),
                                      method="POST")
        try:
            with urllib.request.urlopen(http, timeout=60) as resp:
                return json.loads(resp.read())
        except urllib.error.HTTPError as e:
            err = json.loads(e.read() or b"{}")
            raise RawError(e.code, err.get("__type", ""), err.get("message", "")) from None


def expect_error(code, fn, *args, **kwargs):
    try:
        fn(*args, **kwargs)
    except ClientError as e:
        assert e.response["Error"]["Code"] == code, (code, e.response["Error"])
        assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 400, e.response
        return e.response["Error"]["Message"]
    except RawError as e:
        assert e.code == code and e.status == 400, (code, e)
        return e.message
    raise AssertionError("expected " + code)


def wait_for(what, fn, timeout_s=120):
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        value = fn()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("timed out waiting for " + what)


def main():
    subprocess.run([APIARY, "demo-data", os.path.join(WORK, "bees"), "--images", "32", "--seed", "7"],
                   check=True, stdout=subprocess.DEVNULL)
    proc, endpoint, key, secret = serve_support.start_server(
        APIARY, WORK, os.path.join(WORK, "data"), "--train-option", "epochs=2", "--train-option", "image_size=96",
        "--train-option", "threads=2")
    try:
        session = boto3.session.Session(aws_access_key_id=key, aws_secret_access_key=secret, region_name="us-east-1")
        s3 = session.client("s3", endpoint_url=endpoint, config=Config(s3={"addressing_style": "path"}))
        rek = session.client("rekognition", endpoint_url=endpoint)
        cli_env = dict(os.environ, AWS_ACCESS_KEY_ID=key, AWS_SECRET_ACCESS_KEY=secret, AWS_DEFAULT_REGION="us-east-1")
        run(s3, rek, Raw(endpoint, key, secret), endpoint, cli_env)
    except BaseException:
        sys.stderr.write("--- server log ---\n" + open(os.path.join(WORK, "server.err")).read()[-6000:])
        raise
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0, "server did not stop cleanly"
        shutil.rmtree(WORK)
    print("PASS: compatibility suite")


def aws_wait(env, endpoint, waiter, project, version):
    """The AWS CLI's waiter, as the reference walk-through runs it. Its polls are 120 s (training)
    and 30 s (running) apart and it takes no delay option, so the suite calls it once boto3's
    waiter (1 s polls) has seen the state: the CLI's first poll must then succeed."""
    subprocess.run(["/usr/bin/aws", "--endpoint-url", endpoint, "rekognition", "wait", waiter,
                    "--project-arn", project, "--version-names", version], check=True, env=env, timeout=900)


def upload(s3):
    s3.create_bucket(Bucket=BUCKET)
    images = sorted(os.listdir(os.path.join(WORK, "bees", "images")))
    for name in images:
        with open(os.path.join(WORK, "bees", "images", name), "rb") as f:
            s3.put_object(Bucket=BUCKET, Key="bees/images/" + name, Body=f.read(), ContentType="image/jpeg")
    with open(os.path.join(WORK, "bees", "output.manifest")) as f:
        lines = f.read().replace("s3://apiary-demo/", "s3://%s/" % BUCKET).splitlines()
    return images, lines


def run(s3, rek, raw, endpoint, cli_env):
    images, lines = upload(s3)
    attribute = next(k[:-len("-metadata")] for k in json.loads(lines[0]) if k.endswith("-metadata"))
    # A rejected line (its box beyond the picture) among 20 good ones.
    bad = json.loads(lines[20])
    bad[attribute]["annotations"][0]["left"] = 100000
    s3.put_object(Bucket=BUCKET, Key="bees/train.manifest", Body="\n".join(lines[:20] + [json.dumps(bad)]) + "\n")

    # 1. The project, with the members newer SDKs send.
    project = raw("CreateProject", {"ProjectName": "compat", "Feature": "CUSTOM_LABELS", "AutoUpdate": "DISABLED",
                                    "Tags": {"team": "pollinators"}})["ProjectArn"]
    assert rek.list_tags_for_resource(ResourceArn=project)["Tags"] == {"team": "pollinators"}
    described = raw("DescribeProjects", {"ProjectNames": ["compat"]})["ProjectDescriptions"][0]
    assert described["Feature"] == "CUSTOM_LABELS" and described["AutoUpdate"] == "DISABLED", described
    msg = expect_error("InvalidParameterException", raw, "CreateProject",
                       {"ProjectName": "moderation", "Feature": "CONTENT_MODERATION"})
    assert "Feature" in msg, msg
    expect_error("InvalidParameterException", raw, "CreateProject", {"ProjectName": "x", "AutoUpdate": "SOMETIMES"})

    # 2. The dataset from a manifest, waited for as the published create-dataset programs do.
    train = raw("CreateDataset", {"ProjectArn": project, "DatasetType": "TRAIN", "Tags": {"split": "train"},
                                  "DatasetSource": {"GroundTruthManifest": {"S3Object": {
                                      "Bucket": BUCKET, "Name": "bees/train.manifest"}}}})["DatasetArn"]
    status = wait_for("CREATE_COMPLETE", lambda: (lambda d: d if d["Status"] != "CREATE_IN_PROGRESS" else None)(
        rek.describe_dataset(DatasetArn=train)["DatasetDescription"]))
    assert status["Status"] == "CREATE_COMPLETE", status
    assert status["DatasetStats"]["TotalEntries"] == 20 and status["DatasetStats"]["ErrorEntries"] == 1, status
    assert rek.list_tags_for_resource(ResourceArn=train)["Tags"] == {"split": "train"}

    # 3. Entries from an empty NextToken, each with the source-ref, label attribute and metadata
    # it was imported with; the rejected line under HasErrors with its errors.
    entries, token = [], ""
    while True:
        page = rek.list_dataset_entries(DatasetArn=train, MaxResults=6, NextToken=token)
        entries += page["DatasetEntries"]
        token = page.get("NextToken")
        if not token:
            break
    assert len(entries) == 20, len(entries)
    originals = {json.loads(l)["source-ref"]: json.loads(l) for l in lines}
    for e in map(json.loads, entries):
        assert e["source-ref"].startswith("s3://%s/bees/images/" % BUCKET), e
        original = originals[e["source-ref"]]
        assert attribute in e and attribute + "-metadata" in e, e
        for k in ("job-name", "creation-date", "human-annotated", "type"):
            assert e[attribute + "-metadata"][k] == original[attribute + "-metadata"][k], (k, e, original)
        assert len(e[attribute]["annotations"]) == len(original[attribute]["annotations"])
    errors = rek.list_dataset_entries(DatasetArn=train, HasErrors=True)["DatasetEntries"]
    assert len(errors) == 1, errors
    rejected = json.loads(errors[0])
    assert rejected["source-ref"] == bad["source-ref"], rejected
    assert rejected["errors"][0]["code"] == "box-outside-image", rejected
    expect_error("InvalidPaginationTokenException", rek.list_dataset_entries, DatasetArn=train, NextToken="bogus")

    # 4. UpdateDatasetEntries: more labelled lines and one with only a source-ref (unlabelled).
    unlabelled = {"source-ref": "s3://%s/bees/images/%s" % (BUCKET, images[30])}
    rek.update_dataset_entries(DatasetArn=train, Changes={"GroundTruth": (
        "\n".join(lines[21:30] + [json.dumps(unlabelled)]) + "\n").encode()})
    stats = rek.describe_dataset(DatasetArn=train)["DatasetDescription"]
    assert stats["Status"] == "UPDATE_COMPLETE", stats
    assert stats["DatasetStats"]["TotalEntries"] == 30 and stats["DatasetStats"]["LabeledEntries"] == 29, stats
    listed = rek.list_dataset_entries(DatasetArn=train, Labeled=False)["DatasetEntries"]
    assert [json.loads(l)["source-ref"] for l in listed] == [unlabelled["source-ref"]], listed
    # The corrected line replaces the rejected one: no error entry left.
    fixed = json.loads(lines[20])
    rek.update_dataset_entries(DatasetArn=train, Changes={"GroundTruth": (json.dumps(fixed) + "\n").encode()})
    assert rek.list_dataset_entries(DatasetArn=train, HasErrors=True)["DatasetEntries"] == []
    train_total = rek.describe_dataset(DatasetArn=train)["DatasetDescription"]["DatasetStats"]["TotalEntries"]
    assert train_total == 31, train_total

    classification_dataset(rek)
    copied_dataset(rek)

    # 5. Training: with the project's dataset and TestingData.AutoCreate (a copy is split; the
    # user's dataset keeps every entry and no TEST dataset appears), and with manifests given
    # directly as TrainingData/TestingData Assets.
    v1 = raw("CreateProjectVersion", {
        "ProjectArn": project, "VersionName": "v1", "VersionDescription": "first try",
        "OutputConfig": {"S3Bucket": BUCKET, "S3KeyPrefix": "eval/"}, "TestingData": {"AutoCreate": True},
        "KmsKeyId": "alias/apiary-test", "Tags": {"stage": "v1"}})["ProjectVersionArn"]
    s3.put_object(Bucket=BUCKET, Key="legacy/train.manifest", Body="\n".join(lines[:24]) + "\n")
    s3.put_object(Bucket=BUCKET, Key="legacy/test.manifest", Body="\n".join(lines[24:30]) + "\nnot json\n")
    legacy = rek.create_project(ProjectName="legacy")["ProjectArn"]
    expect_error("InvalidParameterException", rek.create_project_version, ProjectArn=legacy, VersionName="x",
                 OutputConfig={"S3Bucket": BUCKET, "S3KeyPrefix": "legacy/"},
                 TrainingData={"Assets": [{"GroundTruthManifest": {"S3Object": {
                     "Bucket": BUCKET, "Name": "legacy/train.manifest"}}}]})  # TestingData missing
    # CreateProjectVersion's reference lists no InvalidS3ObjectException: a missing manifest is a bad parameter.
    msg = expect_error("InvalidParameterException", rek.create_project_version, ProjectArn=legacy, VersionName="x",
                 OutputConfig={"S3Bucket": BUCKET, "S3KeyPrefix": "legacy/"},
                 TrainingData={"Assets": [{"GroundTruthManifest": {"S3Object": {"Bucket": BUCKET, "Name": "nope"}}}]},
                 TestingData={"AutoCreate": True})
    assert "TrainingData.Assets[0]" in msg and "nope" in msg, msg
    # One epoch: this version is only described (Apiary's TrainingOptions, hence `raw`).
    lv = raw("CreateProjectVersion", {
        "ProjectArn": legacy, "VersionName": "assets", "OutputConfig": {"S3Bucket": BUCKET, "S3KeyPrefix": "legacy/"},
        "TrainingData": {"Assets": [{"GroundTruthManifest": {"S3Object": {"Bucket": BUCKET, "Name": "legacy/train.manifest"}}}]},
        "TestingData": {"Assets": [{"GroundTruthManifest": {"S3Object": {"Bucket": BUCKET, "Name": "legacy/test.manifest"}}}]},
        "TrainingOptions": {"epochs": 1}})["ProjectVersionArn"]
    rek.get_waiter("project_version_training_completed").wait(
        ProjectArn=project, VersionNames=["v1"], WaiterConfig={"Delay": 1, "MaxAttempts": 900})
    aws_wait(cli_env, endpoint, "project-version-training-completed", project, "v1")
    assert rek.describe_dataset(DatasetArn=train)["DatasetDescription"]["DatasetStats"]["TotalEntries"] == train_total
    datasets = rek.describe_projects(ProjectNames=["compat"])["ProjectDescriptions"][0]["Datasets"]
    assert [d["DatasetType"] for d in datasets] == ["TRAIN"], datasets
    assert rek.describe_projects(ProjectNames=["legacy"])["ProjectDescriptions"][0]["Datasets"] == []

    # 6. Describe: data results with the files they name, the manifest summary, the fields as given.
    desc = raw("DescribeProjectVersions", {"ProjectArn": project, "VersionNames": ["v1"]})["ProjectVersionDescriptions"][0]
    assert desc["Status"] == "TRAINING_COMPLETED", desc
    assert desc["VersionDescription"] == "first try" and desc["KmsKeyId"] == "alias/apiary-test", desc
    assert "MinInferenceUnits" not in desc, desc  # never started yet
    tr, te = desc["TrainingDataResult"], desc["TestingDataResult"]
    assert te["Input"]["AutoCreate"] is True and te["Output"]["AutoCreate"] is True, te

    def read(asset):
        o = asset["GroundTruthManifest"]["S3Object"]
        return s3.get_object(Bucket=o["Bucket"], Key=o["Name"])["Body"].read().decode()

    train_lines = read(tr["Output"]["Assets"][0]).splitlines()
    test_lines = read(te["Output"]["Assets"][0]).splitlines()
    assert len(train_lines) + len(test_lines) == train_total and 4 <= len(test_lines) <= 8, (len(train_lines), len(test_lines))
    assert all(json.loads(l)["source-ref"].startswith("s3://%s/" % BUCKET) for l in train_lines + test_lines)
    assert not set(train_lines) & set(test_lines)
    summary_obj = desc["ManifestSummary"]["S3Object"]
    manifest_summary = json.loads(s3.get_object(Bucket=BUCKET, Key=summary_obj["Name"])["Body"].read())
    assert manifest_summary["statistics"]["training"]["valid_json_lines"] == len(train_lines), manifest_summary
    assert manifest_summary["statistics"]["testing"]["valid_json_lines"] == len(test_lines), manifest_summary
    evaluation = desc["EvaluationResult"]["Summary"]["S3Object"]
    body = json.loads(s3.get_object(Bucket=evaluation["Bucket"], Key=evaluation["Name"])["Body"].read())
    aggregated = body["AggregatedEvaluationResults"]
    recalls = [l["Metrics"]["Recall"] for l in body["LabelEvaluationResults"]]
    assert abs(aggregated["AverageRecall"] - sum(recalls) / len(recalls)) < 1e-9, aggregated
    assert body["EvaluationDetails"]["NumberOfTestingImages"] == len(test_lines), body["EvaluationDetails"]

    # The data results exist from CreateProjectVersion on: read while this one trains, queued after v1.
    ldesc = rek.describe_project_versions(ProjectArn=legacy)["ProjectVersionDescriptions"][0]
    assert ldesc["Status"] in ("TRAINING_IN_PROGRESS", "TRAINING_COMPLETED"), ldesc
    assert ldesc["TrainingDataResult"]["Input"]["Assets"][0]["GroundTruthManifest"]["S3Object"]["Name"] == "legacy/train.manifest"
    assert ldesc["TestingDataResult"]["Input"]["AutoCreate"] is False, ldesc["TestingDataResult"]
    assert len(read(ldesc["TrainingDataResult"]["Output"]["Assets"][0]).splitlines()) == 24
    assert len(read(ldesc["TestingDataResult"]["Output"]["Assets"][0]).splitlines()) == 6
    validation = read(ldesc["TestingDataResult"]["Validation"]["Assets"][0]).splitlines()
    assert [json.loads(v)["code"] for v in validation] == ["malformed-json"], validation
    lsummary = json.loads(s3.get_object(Bucket=BUCKET, Key=ldesc["ManifestSummary"]["S3Object"]["Name"])["Body"].read())
    assert lsummary["statistics"]["testing"]["invalid_json_lines"] == 1, lsummary

    # 7. Start with two inference workers; TrainingEndTimestamp and the billable time stay put.
    before = (desc["TrainingEndTimestamp"], desc["BillableTrainingTimeInSeconds"])
    time.sleep(1.1)
    rek.start_project_version(ProjectVersionArn=v1, MinInferenceUnits=2, MaxInferenceUnits=3)
    rek.get_waiter("project_version_running").wait(ProjectArn=project, VersionNames=["v1"],
                                                   WaiterConfig={"Delay": 1, "MaxAttempts": 120})
    aws_wait(cli_env, endpoint, "project-version-running", project, "v1")
    # Read raw (epoch seconds, as sent) to compare with `desc` exactly.
    running = raw("DescribeProjectVersions", {"ProjectArn": project, "VersionNames": ["v1"]})["ProjectVersionDescriptions"][0]
    assert running["Status"] == "RUNNING" and running["MinInferenceUnits"] == 2 and running["MaxInferenceUnits"] == 3, running
    assert (running["TrainingEndTimestamp"], running["BillableTrainingTimeInSeconds"]) == before, (running, before)
    expect_error("LimitExceededException", rek.start_project_version, ProjectVersionArn=lv, MinInferenceUnits=1000)

    # 8. Detection, served by two workers: concurrent calls by bytes and by S3 object agree.
    # (Whether MinConfidence 30-50 finds the bees, as the published programs filter, needs a
    # better-trained model than this suite's: confidence_filter_test.py.)
    with open(os.path.join(WORK, "bees", "images", images[0]), "rb") as f:
        image = f.read()
    reference = rek.detect_custom_labels(ProjectVersionArn=v1, Image={"Bytes": image}, MinConfidence=0, MaxResults=10)
    assert reference["CustomLabels"], reference
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda i: rek.detect_custom_labels(
            ProjectVersionArn=v1, MinConfidence=0, MaxResults=10,
            Image={"S3Object": {"Bucket": BUCKET, "Name": "bees/images/" + images[0]}} if i % 2 else {"Bytes": image}),
            range(8)))
    assert all(a["CustomLabels"] == reference["CustomLabels"] for a in answers), answers

    # 9. Stop: the status read right after the call is STOPPING or STOPPED, never RUNNING.
    assert rek.stop_project_version(ProjectVersionArn=v1)["Status"] == "STOPPING"
    now = rek.describe_project_versions(ProjectArn=project, VersionNames=["v1"])["ProjectVersionDescriptions"][0]
    assert now["Status"] in ("STOPPING", "STOPPED"), now
    wait_for("STOPPED", lambda: rek.describe_project_versions(ProjectArn=project, VersionNames=["v1"])[
        "ProjectVersionDescriptions"][0]["Status"] == "STOPPED")
    after = raw("DescribeProjectVersions", {"ProjectArn": project, "VersionNames": ["v1"]})["ProjectVersionDescriptions"][0]
    assert (after["TrainingEndTimestamp"], after["BillableTrainingTimeInSeconds"]) == before, (after, before)

    # 10. CopyProjectVersion into another project; the copy runs like the original.
    target = rek.create_project(ProjectName="compat-copy")["ProjectArn"]
    copy = rek.copy_project_version(SourceProjectArn=project, SourceProjectVersionArn=v1, DestinationProjectArn=target,
                                    VersionName="v1-copy", OutputConfig={"S3Bucket": BUCKET, "S3KeyPrefix": "copy/"},
                                    Tags={"copied": "yes"})["ProjectVersionArn"]
    copied = wait_for("COPYING_COMPLETED", lambda: (lambda d: d if d["Status"] != "COPYING_IN_PROGRESS" else None)(
        rek.describe_project_versions(ProjectArn=target)["ProjectVersionDescriptions"][0]))
    assert copied["Status"] == "COPYING_COMPLETED" and copied["SourceProjectVersionArn"] == v1, copied
    assert copied["EvaluationResult"]["F1Score"] == after["EvaluationResult"]["F1Score"], copied
    copy_summary = copied["EvaluationResult"]["Summary"]["S3Object"]
    assert json.loads(s3.get_object(Bucket=BUCKET, Key=copy_summary["Name"])["Body"].read())[
        "EvaluationDetails"]["ProjectVersionArn"] == copy
    assert rek.list_tags_for_resource(ResourceArn=copy)["Tags"] == {"copied": "yes"}
    expect_error("ResourceInUseException", rek.copy_project_version, SourceProjectArn=project,
                 SourceProjectVersionArn=v1, DestinationProjectArn=target, VersionName="v1-copy",
                 OutputConfig={"S3Bucket": BUCKET, "S3KeyPrefix": "copy/"})
    expect_error("ResourceNotFoundException", rek.copy_project_version, SourceProjectArn=project,
                 SourceProjectVersionArn=v1 + "0", DestinationProjectArn=target, VersionName="other",
                 OutputConfig={"S3Bucket": BUCKET, "S3KeyPrefix": "copy/"})
    rek.start_project_version(ProjectVersionArn=copy, MinInferenceUnits=1)
    rek.get_waiter("project_version_running").wait(ProjectArn=target, VersionNames=["v1-copy"],
                                                   WaiterConfig={"Delay": 1, "MaxAttempts": 120})
    assert rek.detect_custom_labels(ProjectVersionArn=copy, Image={"Bytes": image}, MinConfidence=0,
                                    MaxResults=10)["CustomLabels"] == reference["CustomLabels"]
    rek.stop_project_version(ProjectVersionArn=copy)

    policies(rek, project)
    errors_as_documented(rek, raw, project, train)

    # The version trained from Assets has finished meanwhile, evaluated on its TestingData.
    rek.get_waiter("project_version_training_completed").wait(
        ProjectArn=legacy, VersionNames=["assets"], WaiterConfig={"Delay": 1, "MaxAttempts": 900})
    ldesc = rek.describe_project_versions(ProjectArn=legacy)["ProjectVersionDescriptions"][0]
    lsum = ldesc["EvaluationResult"]["Summary"]["S3Object"]
    assert json.loads(s3.get_object(Bucket=BUCKET, Key=lsum["Name"])["Body"].read())[
        "EvaluationDetails"]["NumberOfTestingImages"] == 6, ldesc

    # 11. Clean-up as in the walk-through.
    wait_for("copy STOPPED", lambda: rek.describe_project_versions(ProjectArn=target)[
        "ProjectVersionDescriptions"][0]["Status"] == "STOPPED")
    for arn in (copy, v1, lv):
        rek.delete_project_version(ProjectVersionArn=arn)
    rek.delete_dataset(DatasetArn=train)
    for arn in (project, legacy, target):
        rek.delete_project(ProjectArn=arn)
    expect_error("ResourceNotFoundException", rek.describe_project_versions, ProjectArn=project)


def classification_dataset(rek):
    """A classification dataset created empty and filled by UpdateDatasetEntries with Ground Truth
    classification lines is a classification dataset: its entries list with their class."""
    arn = rek.create_project(ProjectName="compat-classes")["ProjectArn"]
    ds = rek.create_dataset(ProjectArn=arn, DatasetType="TRAIN")["DatasetArn"]
    images = sorted(os.listdir(os.path.join(WORK, "bees", "images")))[:6]
    lines = [json.dumps({"source-ref": "s3://%s/bees/images/%s" % (BUCKET, n), "kind": i % 2,
                         "kind-metadata": {"class-name": ["busy", "idle"][i % 2], "confidence": 1,
                                           "type": "groundtruth/image-classification", "human-annotated": "yes",
                                           "creation-date": "2026-01-01T00:00:00", "job-name": "labeling-job/kinds"}})
             for i, n in enumerate(images)]
    rek.update_dataset_entries(DatasetArn=ds, Changes={"GroundTruth": ("\n".join(lines) + "\n").encode()})
    stats = rek.describe_dataset(DatasetArn=ds)["DatasetDescription"]["DatasetStats"]
    assert stats["TotalEntries"] == 6 and stats["LabeledEntries"] == 6 and stats["TotalLabels"] == 2, stats
    for line in rek.list_dataset_entries(DatasetArn=ds)["DatasetEntries"]:
        e = json.loads(line)
        assert e["kind-metadata"]["type"] == "groundtruth/image-classification", e
        assert e["kind-metadata"]["class-name"] in ("busy", "idle") and e["kind-metadata"]["job-name"] == "labeling-job/kinds", e
        assert e["kind"] == ["busy", "idle"].index(e["kind-metadata"]["class-name"]), e
    labelled = rek.list_dataset_entries(DatasetArn=ds, Labeled=True, ContainsLabels=["busy"])["DatasetEntries"]
    assert len(labelled) == 3, labelled
    rek.delete_project(ProjectArn=arn)


def copied_dataset(rek):
    """CreateDataset from a dataset of the same project copies: the source keeps its entries."""
    arn = rek.create_project(ProjectName="compat-copies")["ProjectArn"]
    train = rek.create_dataset(ProjectArn=arn, DatasetType="TRAIN", DatasetSource={
        "GroundTruthManifest": {"S3Object": {"Bucket": BUCKET, "Name": "bees/train.manifest"}}})["DatasetArn"]
    test = rek.create_dataset(ProjectArn=arn, DatasetType="TEST", DatasetSource={"DatasetArn": train})["DatasetArn"]
    for ds in (train, test):
        assert rek.describe_dataset(DatasetArn=ds)["DatasetDescription"]["DatasetStats"]["TotalEntries"] == 20, ds
    rek.delete_project(ProjectArn=arn)


def policies(rek, project):
    doc = json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
        "Action": "rekognition:CopyProjectVersion", "Resource": "*"}]})
    assert rek.list_project_policies(ProjectArn=project)["ProjectPolicies"] == []
    first = rek.put_project_policy(ProjectArn=project, PolicyName="copy-to-prod", PolicyDocument=doc)["PolicyRevisionId"]
    expect_error("ResourceAlreadyExistsException", rek.put_project_policy, ProjectArn=project,
                 PolicyName="copy-to-prod", PolicyDocument=doc)
    expect_error("InvalidPolicyRevisionIdException", rek.put_project_policy, ProjectArn=project,
                 PolicyName="copy-to-prod", PolicyDocument=doc, PolicyRevisionId="0123abcd")
    msg = expect_error("MalformedPolicyDocumentException", rek.put_project_policy, ProjectArn=project,
                       PolicyName="broken", PolicyDocument='{"Statement": [{"Effect": "Maybe", "Action": "*"}]}')
    assert "Effect" in msg, msg
    second = rek.put_project_policy(ProjectArn=project, PolicyName="copy-to-prod", PolicyDocument=doc,
                                    PolicyRevisionId=first)["PolicyRevisionId"]
    assert second != first
    listed = rek.list_project_policies(ProjectArn=project, NextToken="")["ProjectPolicies"]
    assert [(p["PolicyName"], p["PolicyRevisionId"], json.loads(p["PolicyDocument"])) for p in listed] == [
        ("copy-to-prod", second, json.loads(doc))], listed
    expect_error("InvalidPolicyRevisionIdException", rek.delete_project_policy, ProjectArn=project,
                 PolicyName="copy-to-prod", PolicyRevisionId=first)
    rek.delete_project_policy(ProjectArn=project, PolicyName="copy-to-prod", PolicyRevisionId=second)
    expect_error("ResourceNotFoundException", rek.delete_project_policy, ProjectArn=project, PolicyName="copy-to-prod")
    assert rek.list_project_policies(ProjectArn=project)["ProjectPolicies"] == []


def errors_as_documented(rek, raw, project, train):
    """The exceptions each operation's reference lists, with 400 and the member named."""
    expect_error("InvalidPaginationTokenException", rek.describe_project_versions, ProjectArn=project, NextToken="zz")
    expect_error("InvalidPaginationTokenException", rek.describe_projects, NextToken="zz")
    many = {"k%d" % i: "v" for i in range(51)}
    expect_error("ServiceQuotaExceededException", rek.tag_resource, ResourceArn=project, Tags=many)
    expect_error("LimitExceededException", raw, "CreateProject", {"ProjectName": "tagged", "Tags": many})
    expect_error("InvalidParameterException", rek.start_project_version, ProjectVersionArn=project, MinInferenceUnits=1)
    expect_error("ResourceNotFoundException", rek.list_project_policies, ProjectArn=project.replace("/compat/", "/nope/"))
    msg = expect_error("InvalidParameterException", raw, "ListDatasetEntries", {"DatasetArn": train, "MaxResults": 0})
    assert "MaxResults" in msg, msg


if __name__ == "__main__":
    main()

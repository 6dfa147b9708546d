"""Attack case on dataset source-refs: no file of the server's machine can be read through the API."""
import os
import re
import shutil
import tempfile
import time

from botocore.exceptions import ClientError

from attack_suite import case, check


# ---------------------------------------------------------------- dataset source-refs
LEAK_WORDS = re.compile(r"exist|\bjpe?g\b|\bpng\b|image/|passwd|apiary\.db|/etc/|/tmp/|\bbytes\b|\d+\s*x\s*\d+",
                        re.IGNORECASE)


def names_line(message, n):
    """'line N' or the file:line form ('Changes.GroundTruth:N')."""
    return re.search(r"\bline %d\b|:%d\b" % (n, n), message, re.IGNORECASE) is not None


def leaks(message, ref, extra):
    """What a message tells about server files: a server path (the ref itself, unless it is the
    client's own s3:// URI), the data directory, a size, "exists", an image type."""
    own = [] if ref.startswith("s3://") else [ref]
    if ref.startswith("s3://"):
        message = message.replace(ref, "<ref>")  # echoing the client's own URI tells nothing
    found = [w for w in own + extra if w and w in message]
    m = LEAK_WORDS.search(message)
    if m:
        found.append(m.group(0))
    return found


@case
def source_ref_file_read(t):
    """Through the API a source-ref may name only objects in this server's buckets: server paths,
    file:// URIs, ../apiary.db, relative paths and a real JPEG outside the data directory are each
    refused with InvalidParameterException naming the line; no message reveals a path or a fact
    about a file; nothing is imported."""
    outside = tempfile.mkdtemp(prefix="outside.", dir=t.work)
    jpeg = os.path.join(outside, "secret.jpg")
    shutil.copy(t.demo_jpeg, jpeg)
    facts = [t.server.data, outside, str(os.path.getsize(jpeg)), str(os.path.getsize("/etc/passwd"))]
    refs = ["/etc/passwd", "file:///etc/passwd", "../apiary.db", "apiary.db", "images/00001.jpg", jpeg,
            "file://" + jpeg, "s3://no-such-bucket/img/00001.jpg"]
    rek = t.boto("rekognition")
    s3 = t.boto("s3")
    project = rek.create_project(ProjectName="source-refs")["ProjectArn"]
    dataset = rek.create_dataset(ProjectArn=project, DatasetType="TRAIN")["DatasetArn"]
    problems = []

    def line_for(ref):
        return t.demo_line.replace("s3://attack-src/img/00001.jpg", ref)

    def expect_refusal(what, ref, call, line_no):
        try:
            call()
        except ClientError as e:
            code, message = e.response["Error"]["Code"], e.response["Error"].get("Message", "")
            if code != "InvalidParameterException":
                problems.append("%s %s: %s %s" % (what, ref, code, message))
            elif not names_line(message, line_no):
                problems.append("%s %s: the message does not name line %d: %s" % (what, ref, line_no, message))
            bad = leaks(message, ref, facts)
            if bad:
                problems.append("%s %s: the message reveals %s: %s" % (what, ref, bad, message))
            return
        problems.append("%s %s: accepted" % (what, ref))

    for ref in refs:
        expect_refusal("UpdateDatasetEntries", ref, lambda: rek.update_dataset_entries(
            DatasetArn=dataset, Changes={"GroundTruth": (line_for(ref) + "\n").encode()}), 1)
    # A bad line after a good one is named by its number.
    expect_refusal("UpdateDatasetEntries (2 lines)", jpeg, lambda: rek.update_dataset_entries(
        DatasetArn=dataset, Changes={"GroundTruth": (t.demo_line + "\n" + line_for(jpeg) + "\n").encode()}), 2)
    described = rek.describe_dataset(DatasetArn=dataset)["DatasetDescription"]
    bad = leaks(described.get("StatusMessage", ""), "", facts)
    if bad:
        problems.append("DescribeDataset StatusMessage reveals %s: %s" % (bad, described.get("StatusMessage")))
    entries = rek.list_dataset_entries(DatasetArn=dataset).get("DatasetEntries", [])
    if any(outside in e or "passwd" in e or "apiary.db" in e for e in entries):
        problems.append("imported a server file: %s" % entries)

    # CreateDataset from a manifest in a bucket: refused at once, or failed with a clean StatusMessage.
    for i, ref in enumerate(refs[:6]):
        s3.put_object(Bucket="attack-src", Key="manifests/%d.manifest" % i, Body=(line_for(ref) + "\n").encode())
        p = rek.create_project(ProjectName="source-refs-%d" % i)["ProjectArn"]
        source = {"GroundTruthManifest": {"S3Object": {"Bucket": "attack-src", "Name": "manifests/%d.manifest" % i}}}
        try:
            arn = rek.create_dataset(ProjectArn=p, DatasetType="TRAIN", DatasetSource=source)["DatasetArn"]
        except ClientError as e:
            code, message = e.response["Error"]["Code"], e.response["Error"].get("Message", "")
            if code != "InvalidParameterException" or not names_line(message, 1):
                problems.append("CreateDataset %s: %s %s" % (ref, code, message))
            if leaks(message, ref, facts):
                problems.append("CreateDataset %s: the message reveals %s: %s" % (ref, leaks(message, ref, facts), message))
            continue
        deadline = time.time() + 20
        while True:
            d = rek.describe_dataset(DatasetArn=arn)["DatasetDescription"]
            if d["Status"] != "CREATE_IN_PROGRESS" or time.time() > deadline:
                break
            time.sleep(0.2)
        stats = d.get("DatasetStats", {})
        if d["Status"] != "CREATE_FAILED" or stats.get("TotalEntries", 0):
            problems.append("CreateDataset %s: %s with %s entries (%s)" % (ref, d["Status"], stats.get("TotalEntries"),
                                                                            d.get("StatusMessage")))
        if leaks(d.get("StatusMessage", ""), ref, facts):
            problems.append("CreateDataset %s: StatusMessage reveals %s: %s" % (ref, leaks(d["StatusMessage"], ref, facts),
                                                                                 d["StatusMessage"]))
    check(not problems, "%d problems:\n    %s" % (len(problems), "\n    ".join(problems)))

#!/usr/bin/env python3
"""Conformance of pagewise-emulator with clients nobody here wrote: botocore/boto3 and the AWS CLI.

    conformance.py write-data FILE        write a --data document with known resources
    conformance.py boto3 URL FILE         check the emulator at URL (serving FILE) with boto3
    conformance.py cli URL FILE           the same listings through the `aws` command line

Expected results are computed here, in Python, from FILE: every filter and sort, and every
PageSize/MaxItems/StartingToken combination must give exactly that list. Exit status: 0 when
everything passed, 1 on the first failure, 77 when boto3 or the aws CLI is missing.
"""

import datetime
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

SKIP = 77
ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
ACCOUNT = "123456789012"
FARM = "farm-" + "1" * 32
QUEUE = "queue-" + "2" * 32
JOB = "job-" + "3" * 32
EMPTY_JOB = "job-" + "4" * 32
GROUPS = ["arn:aws:personalize:us-west-2:%s:dataset-group/shop-%d" % (ACCOUNT, i) for i in range(3)]
IMAGE_STATUSES = ["CREATING", "CREATED", "CREATE_FAILED", "UPDATING", "UPDATE_FAILED", "DELETING", "DELETE_FAILED"]
SESSION_STATUSES = ["STARTED", "UPDATE_IN_PROGRESS", "UPDATE_SUCCEEDED", "UPDATE_FAILED", "ENDED"]
T2021 = 1609459200
T2023 = 1672531200


def client_environment(tmp):
    """Only the example key pair and region: the machine's own AWS setup must not interfere."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    empty = os.path.join(tmp, "empty")
    open(empty, "w").close()
    env.update({
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": empty,
        "AWS_SHARED_CREDENTIALS_FILE": empty,
        "AWS_DISABLE_HOST_PREFIX_INJECTION": "true",
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_MAX_ATTEMPTS": "1",
    })
    return env


# ---------------------------------------------------------------------------------------------
# Data

def iso(ms):
    text = datetime.datetime.fromtimestamp(ms // 1000, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    return text + (".%03dZ" % (ms % 1000) if ms % 1000 else "Z")


def write_data(path):
    rng = random.Random(20240501)
    words = ["alpha", "Beta", "gamma", "delta.v2", "Omega", "gpu", "cpu", "data-sci"]
    images = []
    base = 1546300800000
    for i in range(160):
        created = base + rng.randrange(0, 6 * 365 * 86400) * 1000 + rng.choice([0, rng.randrange(1000)])
        if i % 17 == 0 and images:  # ties on CreationTime: the order must still be total
            created = images[-1]["_created"]
        modified = created + rng.choice([0, rng.randrange(0, 400 * 86400 * 1000)])
        name = "%s-%s-%03d" % (rng.choice(words), rng.choice(words), i)
        image = {
            "ImageName": name,
            "ImageArn": "arn:aws:sagemaker:us-east-1:%s:image/%s" % (ACCOUNT, name),
            "CreationTime": created / 1000.0,
            "LastModifiedTime": iso(modified),
            "ImageStatus": IMAGE_STATUSES[i % len(IMAGE_STATUSES)],
            "_created": created,
        }
        if i % 3:
            image["Description"] = rng.choice(["Équipe données", "plain", "数据 \"quoted\""])
        if i % 4:
            image["DisplayName"] = rng.choice(["Base Py", "Grüße", "GPU ✓"])
        if image["ImageStatus"].endswith("_FAILED"):
            image["FailureReason"] = rng.choice(["", "Role not assumable"])
        images.append(image)
    for image in images:
        del image["_created"]

    datasets = []
    for i in range(95):
        group = GROUPS[i % 2 if i < 90 else 0]  # the third group stays empty
        created = base + rng.randrange(0, 5 * 365 * 86400) * 1000 + rng.randrange(1000)
        if i % 11 == 0 and datasets:
            created = int(round(datasets[-1]["creationDateTime"] * 1000))
        name = "ds-%03d" % i
        datasets.append({
            "datasetGroupArn": group,
            "datasetArn": "arn:aws:personalize:us-west-2:%s:dataset/%s/%s" % (ACCOUNT, group.rsplit("/", 1)[1], name),
            "name": name,
            "datasetType": ["Interactions", "Items", "Users"][i % 3],
            "status": ["ACTIVE", "CREATE PENDING", "CREATE IN_PROGRESS"][i % 3],
            "creationDateTime": created / 1000.0,
            "lastUpdatedDateTime": created / 1000.0 + 60,
        })

    sessions = []
    for i in range(130):
        started = base + rng.randrange(0, 200 * 86400) * 1000 + rng.choice([0, rng.randrange(1000)])
        status = SESSION_STATUSES[i % len(SESSION_STATUSES)]
        session = {
            "farmId": FARM, "queueId": QUEUE, "jobId": JOB,
            "sessionId": "session-%032x" % rng.getrandbits(128),
            "fleetId": "fleet-%032x" % (i % 3),
            "workerId": "worker-%032x" % (i % 7),
            "startedAt": iso(started),
            "lifecycleStatus": status,
        }
        if status == "ENDED":
            session["endedAt"] = iso(started + 3600500)
            session["targetLifecycleStatus"] = "ENDED"
        sessions.append(session)

    document = {
        "images": images,
        "datasetGroups": GROUPS,
        "datasets": datasets,
        "jobs": [{"farmId": FARM, "queueId": QUEUE, "jobId": EMPTY_JOB}],
        "sessions": sessions,
    }
    with open(path, "w", encoding="utf-8") as out:
        json.dump(document, out, ensure_ascii=False, indent=1)


def parse_time(value):
    """Epoch milliseconds from what the data file or botocore holds."""
    if isinstance(value, datetime.datetime):
        return int(round(value.timestamp() * 1000))
    if isinstance(value, (int, float)):
        return int(round(value * 1000))
    return int(round(datetime.datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp() * 1000))


def expected_images(data, params):
    out = []
    for image in data["images"]:
        created, modified = parse_time(image["CreationTime"]), parse_time(image["LastModifiedTime"])
        if "CreationTimeAfter" in params and created < params["CreationTimeAfter"] * 1000:
            continue
        if "CreationTimeBefore" in params and created > params["CreationTimeBefore"] * 1000:
            continue
        if "LastModifiedTimeAfter" in params and modified < params["LastModifiedTimeAfter"] * 1000:
            continue
        if "LastModifiedTimeBefore" in params and modified > params["LastModifiedTimeBefore"] * 1000:
            continue
        if "NameContains" in params and params["NameContains"].lower() not in image["ImageName"].lower():
            continue
        out.append((created, modified, image["ImageName"]))
    sort_by = params.get("SortBy", "CREATION_TIME")
    key = {"CREATION_TIME": lambda t: (t[0], t[2]), "LAST_MODIFIED_TIME": lambda t: (t[1], t[2]),
           "IMAGE_NAME": lambda t: t[2]}[sort_by]
    out.sort(key=key, reverse=params.get("SortOrder", "DESCENDING") == "DESCENDING")
    return [t[2] for t in out]


def expected_datasets(data, group=None):
    rows = [(parse_time(d["creationDateTime"]), d["datasetArn"]) for d in data["datasets"]
            if group is None or d["datasetGroupArn"] == group]
    rows.sort(key=lambda r: (-r[0], r[1]))
    return [r[1] for r in rows]


def expected_sessions(data, job):
    rows = [(parse_time(s["startedAt"]), s["sessionId"]) for s in data["sessions"] if s["jobId"] == job]
    rows.sort()
    return [r[1] for r in rows]


# ---------------------------------------------------------------------------------------------
# Checks

class Failure(Exception):
    pass


def check(condition, what):
    if not condition:
        raise Failure(what)


def compare(actual, expected, what):
    if actual != expected:
        missing = [x for x in expected if x not in actual][:5]
        extra = [x for x in actual if x not in expected][:5]
        dupes = len(actual) - len(set(actual))
        raise Failure("%s: got %d items, expected %d (missing %s, unexpected %s, %d duplicates, first difference at %s)"
                      % (what, len(actual), len(expected), missing, extra, dupes,
                         next((i for i, (a, b) in enumerate(zip(actual, expected)) if a != b), "end")))


IMAGE_CASES = [
    {},
    {"SortOrder": "ASCENDING"},
    {"SortBy": "LAST_MODIFIED_TIME"},
    {"SortBy": "LAST_MODIFIED_TIME", "SortOrder": "ASCENDING"},
    {"SortBy": "IMAGE_NAME"},
    {"SortBy": "IMAGE_NAME", "SortOrder": "ASCENDING"},
    {"NameContains": "BETA"},
    {"NameContains": "v2", "SortBy": "IMAGE_NAME", "SortOrder": "ASCENDING"},
    {"CreationTimeAfter": T2021},
    {"CreationTimeAfter": T2021, "CreationTimeBefore": T2023, "SortOrder": "ASCENDING"},
    {"LastModifiedTimeAfter": T2021, "LastModifiedTimeBefore": T2023, "SortBy": "LAST_MODIFIED_TIME"},
    {"LastModifiedTimeBefore": T2021, "NameContains": "a", "SortBy": "IMAGE_NAME"},
    {"NameContains": "no-such-image"},
]
PAGINATIONS = [(None, None), (1, 4), (7, None), (7, 13), (100, 5), (3, 3)]
# Fewer combinations for the further filter cases: the paging paths are already covered.
SHORT_PAGINATIONS = [(None, None), (7, 13), (100, 5)]


def paginate_all(client, operation, params, result_key, page_size, max_items):
    """The whole listing in botocore's chunks of MaxItems, resuming each time with StartingToken."""
    paginator = client.get_paginator(operation)
    out, token, rounds = [], None, 0
    while True:
        config = {}
        if page_size:
            config["PageSize"] = page_size
        if max_items:
            config["MaxItems"] = max_items
        if token:
            config["StartingToken"] = token
        result = paginator.paginate(**params, PaginationConfig=config).build_full_result()
        chunk = result.get(result_key, [])
        if max_items:
            check(len(chunk) <= max_items, "%s returned more than MaxItems" % operation)
        out.extend(chunk)
        token = result.get("NextToken")
        rounds += 1
        check(rounds < 5000, "%s never ended" % operation)
        if not token:
            return out


def client_error(call, code):
    from botocore.exceptions import ClientError
    try:
        call()
    except ClientError as error:
        got = error.response["Error"]["Code"]
        check(got == code, "expected %s, got %s: %s" % (code, got, error))
        check(error.response["ResponseMetadata"].get("RequestId"), "error without a request id")
        return error
    raise Failure("expected %s, but the call succeeded" % code)


def run_boto3(url, data_file):
    try:
        import boto3
        from botocore.config import Config
    except ImportError:
        print("SKIP: python3 has no boto3/botocore (pip install boto3)")
        return SKIP
    data = json.load(open(data_file, encoding="utf-8"))
    tmp = tempfile.mkdtemp(prefix="pagewise-conformance-")
    os.environ.clear()
    os.environ.update(client_environment(tmp))
    config = Config(retries={"total_max_attempts": 1})
    session = boto3.session.Session()
    sagemaker = session.client("sagemaker", endpoint_url=url, config=config)
    personalize = session.client("personalize", endpoint_url=url, config=config)
    deadline = session.client("deadline", endpoint_url=url, config=config)
    checks = 0

    # ListImages: every filter and sort, every pagination.
    for number, params in enumerate(IMAGE_CASES):
        expected = expected_images(data, params)
        for page_size, max_items in PAGINATIONS if number < 2 else SHORT_PAGINATIONS:
            got = [i["ImageName"] for i in paginate_all(sagemaker, "list_images", params, "Images", page_size, max_items)]
            compare(got, expected, "ListImages %s PageSize=%s MaxItems=%s" % (params, page_size, max_items))
            checks += 1
    first = sagemaker.list_images()
    check(len(first["Images"]) == 10 and first.get("NextToken"), "ListImages default page is not 10 with a token")
    image = first["Images"][0]
    check(isinstance(image["CreationTime"], datetime.datetime), "CreationTime did not parse as a timestamp")
    check(first["ResponseMetadata"]["HTTPHeaders"]["content-type"] == "application/x-amz-json-1.1", "content type")
    print("ok - ListImages: %d filter/sort/pagination combinations" % checks)

    # ListDatasets: all, per group, empty group.
    for group in [None] + GROUPS:
        params = {"datasetGroupArn": group} if group else {}
        expected = expected_datasets(data, group)
        for page_size, max_items in SHORT_PAGINATIONS if group else PAGINATIONS:
            got = [d["datasetArn"] for d in paginate_all(personalize, "list_datasets", params, "datasets", page_size, max_items)]
            compare(got, expected, "ListDatasets %s PageSize=%s MaxItems=%s" % (params, page_size, max_items))
            checks += 1
    check(len(personalize.list_datasets()["datasets"]) == 95, "ListDatasets default page is not 100 items")
    print("ok - ListDatasets")

    # ListSessions: a job with sessions and an empty one.
    for job in [JOB, EMPTY_JOB]:
        params = {"farmId": FARM, "queueId": QUEUE, "jobId": job}
        expected = expected_sessions(data, job)
        for page_size, max_items in PAGINATIONS:
            got = [s["sessionId"] for s in paginate_all(deadline, "list_sessions", params, "sessions", page_size, max_items)]
            compare(got, expected, "ListSessions %s PageSize=%s MaxItems=%s" % (job, page_size, max_items))
            checks += 1
    empty = deadline.list_sessions(farmId=FARM, queueId=QUEUE, jobId=EMPTY_JOB)
    check(empty["sessions"] == [] and "nextToken" not in empty, "empty job must give sessions: [] without token")
    page = deadline.list_sessions(farmId=FARM, queueId=QUEUE, jobId=JOB, maxResults=100)["sessions"]
    ended = [s for s in page if s["lifecycleStatus"] == "ENDED"]
    check(ended and all(isinstance(s["endedAt"], datetime.datetime) for s in ended), "endedAt did not parse")
    check(all("endedAt" not in s for s in page if s["lifecycleStatus"] != "ENDED"), "endedAt on a running session")
    print("ok - ListSessions")

    # Validation errors, as each service reports them.
    client_error(lambda: sagemaker.list_images(MaxResults=500), "ValidationException")
    client_error(lambda: sagemaker.list_images(NameContains="a b"), "ValidationException")
    client_error(lambda: sagemaker.list_images(SortBy="NAME"), "ValidationException")
    client_error(lambda: sagemaker.list_images(NextToken="forged"), "ValidationException")
    stale = sagemaker.list_images(MaxResults=2, NameContains="a")["NextToken"]
    client_error(lambda: sagemaker.list_images(MaxResults=2, NameContains="b", NextToken=stale), "ValidationException")
    client_error(lambda: personalize.list_datasets(datasetGroupArn="arn:aws:s3:::bucket"), "InvalidInputException")
    client_error(lambda: personalize.list_datasets(maxResults=101), "InvalidInputException")
    error = client_error(lambda: personalize.list_datasets(nextToken="expired-or-bogus"), "InvalidNextTokenException")
    check(isinstance(error, personalize.exceptions.InvalidNextTokenException), "InvalidNextTokenException is modeled")
    error = client_error(lambda: deadline.list_sessions(farmId="farm-bad", queueId=QUEUE, jobId=JOB), "ValidationException")
    check(error.response.get("reason") == "FIELD_VALIDATION_FAILED", "Deadline reason: %s" % error.response)
    check([f["name"] for f in error.response.get("fieldList", [])] == ["farmId"], "Deadline fieldList")
    check(error.response["ResponseMetadata"]["HTTPStatusCode"] == 400, "Deadline validation status")
    client_error(lambda: deadline.list_sessions(farmId=FARM, queueId=QUEUE, jobId=JOB, maxResults=1000),
                 "ValidationException")
    client_error(lambda: deadline.list_sessions(farmId=FARM, queueId=QUEUE, jobId=JOB, nextToken="forged"),
                 "ValidationException")
    error = client_error(lambda: deadline.list_sessions(farmId=FARM, queueId=QUEUE, jobId="job-" + "f" * 32),
                         "ResourceNotFoundException")
    check(isinstance(error, deadline.exceptions.ResourceNotFoundException), "ResourceNotFoundException is modeled")
    check(error.response.get("resourceType") == "job" and error.response.get("resourceId") == "job-" + "f" * 32,
          "ResourceNotFoundException members: %s" % error.response)
    check(error.response["ResponseMetadata"]["HTTPStatusCode"] == 404, "ResourceNotFoundException status")
    print("ok - validation errors")

    # Credentials: a wrong secret and an unknown key are refused.
    for service, call in [("sagemaker", lambda c: c.list_images()),
                          ("personalize", lambda c: c.list_datasets()),
                          ("deadline", lambda c: c.list_sessions(farmId=FARM, queueId=QUEUE, jobId=JOB))]:
        wrong = session.client(service, endpoint_url=url, config=config, aws_access_key_id=ACCESS_KEY,
                               aws_secret_access_key="not-the-secret")
        error = client_error(lambda: call(wrong), "InvalidSignatureException")
        status = error.response["ResponseMetadata"]["HTTPStatusCode"]
        check(status == (403 if service == "deadline" else 400), "%s InvalidSignatureException status %d" % (service, status))
        unknown = session.client(service, endpoint_url=url, config=config, aws_access_key_id="AKIDUNKNOWNKEY",
                                 aws_secret_access_key=SECRET_KEY)
        client_error(lambda: call(unknown), "UnrecognizedClientException")
        temporary = session.client(service, endpoint_url=url, config=config, aws_access_key_id=ACCESS_KEY,
                                   aws_secret_access_key=SECRET_KEY, aws_session_token="FQoGZXIvYXdzEXAMPLESESSIONTOKEN")
        call(temporary)  # signed session tokens are accepted
    print("ok - signatures: wrong secret, unknown key, session token")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


def run_cli(url, data_file):
    aws = shutil.which("aws")
    if not aws:
        print("SKIP: the aws command line is not on PATH")
        return SKIP
    data = json.load(open(data_file, encoding="utf-8"))
    tmp = tempfile.mkdtemp(prefix="pagewise-conformance-cli-")
    env = client_environment(tmp)

    def aws_json(*args):
        result = subprocess.run([aws, *args, "--endpoint-url", url, "--output", "json"], env=env,
                                capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise Failure("aws %s failed (%d): %s" % (" ".join(args), result.returncode, result.stderr.strip()))
        return json.loads(result.stdout or "{}")

    def listing(args, result_key, item_key, max_items, page_size):
        out, token = [], None
        while True:
            extra = ["--max-items", str(max_items), "--page-size", str(page_size)]
            if token:
                extra += ["--starting-token", token]
            result = aws_json(*args, *extra)
            out.extend(item[item_key] for item in result.get(result_key, []))
            token = result.get("NextToken")
            if not token:
                return out

    params = {"SortBy": "IMAGE_NAME", "SortOrder": "ASCENDING", "NameContains": "a"}
    got = listing(["sagemaker", "list-images", "--sort-by", "IMAGE_NAME", "--sort-order", "ASCENDING",
                   "--name-contains", "a"], "Images", "ImageName", 40, 15)
    compare(got, expected_images(data, params), "aws sagemaker list-images")
    print("ok - aws sagemaker list-images with --starting-token")

    got = listing(["personalize", "list-datasets", "--dataset-group-arn", GROUPS[1]], "datasets", "datasetArn", 20, 7)
    compare(got, expected_datasets(data, GROUPS[1]), "aws personalize list-datasets")
    print("ok - aws personalize list-datasets with --starting-token")

    got = listing(["deadline", "list-sessions", "--farm-id", FARM, "--queue-id", QUEUE, "--job-id", JOB],
                  "sessions", "sessionId", 60, 25)
    compare(got, expected_sessions(data, JOB), "aws deadline list-sessions")
    print("ok - aws deadline list-sessions with --starting-token")

    result = subprocess.run([aws, "sagemaker", "list-images", "--max-results", "500", "--endpoint-url", url],
                            env=env, capture_output=True, text=True, timeout=120)
    check(result.returncode != 0 and "ValidationException" in result.stderr,
          "aws did not report the ValidationException: %s" % result.stderr)
    print("ok - aws reports ValidationException")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


def main(argv):
    if len(argv) == 3 and argv[1] == "write-data":
        write_data(argv[2])
        return 0
    if len(argv) == 4 and argv[1] in ("boto3", "cli"):
        try:
            return (run_boto3 if argv[1] == "boto3" else run_cli)(argv[2], argv[3])
        except Failure as failure:
            print("FAIL: %s" % failure)
            return 1
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))

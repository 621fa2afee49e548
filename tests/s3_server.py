"""A real S3-compatible server on loopback for the tests of object storage: moto's server mode (moto[server]),
spoken to over HTTP by boto3 exactly as Aliyun OSS, Tencent COS, Huawei OBS or MinIO would be. `.ci/run`
starts one and names it in VETTED_TEST_S3_ENDPOINT; without that, `s3_endpoint()` starts one for the test run
(and bench/three_hosts.py its own)."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid

ACCESS_KEY, SECRET_KEY, REGION = "vetted-test", "vetted-test-secret", "cn-north-1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(endpoint: str) -> bool:
    try:
        with urllib.request.urlopen(endpoint + "/moto-api/", timeout=2):
            return True
    except OSError:
        return False


def start(port: int | None = None, *, seconds: float = 60) -> tuple[subprocess.Popen, str]:
    """Start moto's server on a loopback port; (process, endpoint). RuntimeError when it does not answer."""
    port = port or free_port()
    endpoint = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if answers(endpoint):
            return process, endpoint
        if process.poll() is not None:
            raise RuntimeError(f"the S3 server exited: {process.stderr.read().decode()[-2000:]}")
        time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"the S3 server did not answer at {endpoint} within {seconds:.0f} s")


def client(endpoint: str):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name=REGION,
    )


def new_bucket(endpoint: str, prefix: str = "vetted-test") -> str:
    name = f"{prefix}-{uuid.uuid4().hex[:12]}"
    client(endpoint).create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    return name


def storage_env(endpoint: str, bucket: str) -> dict[str, str]:
    """The environment that puts a process's files in `bucket` (config/settings/base.py)."""
    return {
        "VETTED_STORAGE": "s3",
        "VETTED_S3_ENDPOINT_URL": endpoint,
        "VETTED_S3_BUCKET": bucket,
        "VETTED_S3_REGION": REGION,
        "VETTED_S3_ACCESS_KEY": ACCESS_KEY,
        "VETTED_S3_SECRET_KEY": SECRET_KEY,
        "VETTED_S3_ADDRESSING_STYLE": "path",
    }


def configured_endpoint() -> str:
    return os.environ.get("VETTED_TEST_S3_ENDPOINT", "").rstrip("/")

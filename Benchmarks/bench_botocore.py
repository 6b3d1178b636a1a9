"""botocore with its clock frozen at the benchmark's instant: the client, the timed loop
(`bench.py botocore-loop`, run pinned as a child) and the check of the SigV4 model
against botocore's canonical request and URL.

boto3/botocore are imported only when a function here needs them.
"""
import datetime
import json
import resource
import sys
import time

from bench_keys import AT_RFC3339, BUCKET, EXPIRES, REGION, canonical_request, model_url, read_keys
from bench_urls import split_url


def freeze_botocore_clock():
    """botocore 1.43 signers read the clock through botocore.auth.get_current_datetime
    (imported from botocore.compat); patch that name, as Tests/StandIns/botocore_presign.py does for the same reason."""
    import botocore.auth
    fixed = datetime.datetime.strptime(AT_RFC3339, "%Y-%m-%dT%H:%M:%SZ")
    botocore.auth.get_current_datetime = lambda remove_tzinfo=True: fixed


def make_client():
    import boto3
    from botocore.config import Config
    freeze_botocore_clock()
    # addressing_style=virtual + us_east_1_regional_endpoint=regional gives the regional
    # virtual host BUCKET.s3.us-east-1.amazonaws.com, which is what presign emits.
    cfg = Config(signature_version="s3v4",
                 s3={"addressing_style": "virtual", "us_east_1_regional_endpoint": "regional"})
    return boto3.client("s3", region_name=REGION, config=cfg)


def botocore_loop(keys_path, out_path):
    """Child process (run pinned): time generate_presigned_url for every key, write URLs,
    print {"n", "seconds", "cpu_seconds"} as one JSON line."""
    keys = read_keys(keys_path)  # environment: set by the parent (clean_env)
    client = make_client()
    client.generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": "warm-up"},
                                  ExpiresIn=EXPIRES)  # untimed: first-call lazy loading
    gen = client.generate_presigned_url
    ru0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    with open(out_path, "w", encoding="utf-8", newline="\n") as f:
        for k in keys:
            f.write(gen("get_object", Params={"Bucket": BUCKET, "Key": k}, ExpiresIn=EXPIRES))
            f.write("\n")
    t1 = time.perf_counter()
    ru1 = resource.getrusage(resource.RUSAGE_SELF)
    json.dump({"n": len(keys), "seconds": t1 - t0,
               "cpu_seconds": (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)},
              sys.stdout)
    print()


def model_check_sample(n):
    """Indices of the keys the model is checked on: the first 50 and about 200 spread out."""
    return sorted(set(range(min(n, 50))) | set(range(0, n, max(1, n // 200))))


def check_model_against_botocore(keys):
    """The model that gives L1 must agree with botocore (same signature => same canonical
    request). Returns (number of sampled keys, the sampled keys where it does not).
    Uses the process environment, so the caller sets that up first."""
    client = make_client()
    import botocore.auth
    captured = {}
    orig_creq = botocore.auth.S3SigV4QueryAuth.canonical_request
    def spy(self, request):
        captured["creq"] = orig_creq(self, request)
        return captured["creq"]
    botocore.auth.S3SigV4QueryAuth.canonical_request = spy
    sample = model_check_sample(len(keys))
    model_bad = []
    for i in sample:
        u = client.generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": keys[i]},
                                          ExpiresIn=EXPIRES)
        if captured.get("creq") != canonical_request(keys[i]) or split_url(u) != split_url(model_url(keys[i])):
            model_bad.append(keys[i])
    botocore.auth.S3SigV4QueryAuth.canonical_request = orig_creq
    return len(sample), model_bad

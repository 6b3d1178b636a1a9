#!/usr/bin/env python3
"""Presigned S3 URLs made by botocore (the reference signer), for tests that compare servers.

Reads a JSON list of requests on stdin, prints a JSON list of URLs:
  [{"endpoint": "http://127.0.0.1:9100", "bucket": "b", "key": "k", "method": "GET"|"PUT",
    "expires": 600, "at": <epoch seconds>, "access_key": "...", "secret_key": "...", "region": "us-east-1"}]
The clock is frozen at `at` (botocore.auth.get_current_datetime), signature version s3v4, path style.
"""
import datetime
import json
import sys

import boto3
import botocore.auth
from botocore.config import Config


def presign(request):
    at = datetime.datetime.fromtimestamp(request["at"], datetime.timezone.utc).replace(tzinfo=None)
    botocore.auth.get_current_datetime = lambda *args, **kwargs: at
    client = boto3.client(
        "s3", endpoint_url=request["endpoint"], region_name=request.get("region", "us-east-1"),
        aws_access_key_id=request["access_key"], aws_secret_access_key=request["secret_key"],
        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}))
    operation = {"GET": "get_object", "PUT": "put_object", "DELETE": "delete_object", "HEAD": "head_object"}[request["method"]]
    return client.generate_presigned_url(operation, Params={"Bucket": request["bucket"], "Key": request["key"]}, ExpiresIn=request["expires"])


if __name__ == "__main__":
    print(json.dumps([presign(r) for r in json.load(sys.stdin)]))

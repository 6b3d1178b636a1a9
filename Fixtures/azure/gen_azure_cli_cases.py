#!/usr/bin/env python3
"""Generate Fixtures/azure/azure-cli-cases.json: `presign azure` / `presign azure-account` CLI cases
whose expected SAS tokens come from Microsoft's `azure-storage-blob` SDK.

Each case is what a user types (`cli_args`, `env`, and the user delegation key file's JSON), and the SAS
the SDK produces for exactly those inputs.  Pipeline for every case:

  1. `interpret()` -- an independent model of the CLI contract (docs/CLI.md, `presign azure` and
     `presign azure-account`) turns cli_args + env into SAS fields: permission letters reordered to the
     canonical order, `se` = --at + --expires (or --expiry), `st` from --start, sv default 2026-10-06, ...
  2. The SDK release that implements the string-to-sign layout of the requested `sv` signs those
     fields (the newest release, 12.31.1, for every layout it implements; older releases only for the
     older layouts, which the newest SDK cannot produce).  The SDK's string-to-sign is captured by
     wrapping its `sign_string` (and with `sts_hook` where the release has it).
  3. Cross-checks, all of which must pass or the script exits non-zero:
       * reference string-to-sign (written here from the spec tables) == the SDK's string-to-sign;
       * HMAC-SHA256 of it with the key == the SDK's `sig`; the SDK signed with the expected key
         (account key, or the user delegation key's value);
       * the SDK token's decoded parameters == the reference parameter set (nothing extra, nothing
         missing), and the hand-written `want` values of the case (e.g. sp, se) match;
       * the URLs built here == the URLs built by the newest SDK's BlobClient / ContainerClient /
         BlobServiceClient; connection strings parsed here == the SDK's `parse_connection_str`;
       * canonical permission order used here == the SDK's `*SasPermissions.from_string` order
         (for the letters the SDK knows).

The SDK is never given a clock reading: all times are computed from `--at` and passed as timezone-aware
UTC datetimes, which the SDK formats as YYYY-MM-DDThh:mm:ssZ; in the worker `time.time` is also frozen to
`--at` of the default case.  Output is deterministic (byte-identical on re-run).

Usage:
    python3 Fixtures/azure/gen_azure_cli_cases.py            # (re)write azure-cli-cases.json
    python3 Fixtures/azure/gen_azure_cli_cases.py --check    # regenerate in memory, diff, exit 1 if different
    AZ_CLI_SDK_CACHE=/some/dir python3 ...                   # where SDK releases are pip-installed
                                                             # (default <tmp>/presign-azure-cli-sdk-cache)
Internal:
    python3 gen_azure_cli_cases.py --worker PROFILE   (PYTHONPATH=<cache>/<PROFILE>; jobs on stdin, JSON out)

Needs pip + PyPI the first time (to fill the cache).  The main process uses only the standard library.
"""
import argparse
import base64
import difflib
import hashlib
import hmac
import json
import os
import random
import re
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from urllib.parse import quote, unquote, urlsplit

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DEFAULT = os.path.join(HERE, "azure-cli-cases.json")
GENERATOR = "Fixtures/azure/gen_azure_cli_cases.py"

# ---------------------------------------------------------------------------------------------
# Accounts and keys
# ---------------------------------------------------------------------------------------------
DEV_ACCOUNT = "devstoreaccount1"
# The publicly documented Azurite / Storage Emulator key (not a secret).
DEV_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
DEV_ENDPOINT = "http://127.0.0.1:10000/devstoreaccount1"
# A made-up second account; its key is 64 bytes from a fixed-seed PRNG (Mersenne Twister, stable across
# CPython 3.x), so it is reproducible and obviously not a real credential.
ACCOUNT2 = "presignfixture2"
KEY2_SEED = 20250101
KEY2 = base64.b64encode(random.Random(KEY2_SEED).randbytes(64)).decode()
KEYS = {DEV_ACCOUNT: DEV_KEY, ACCOUNT2: KEY2}
KEY_REFS = {DEV_ACCOUNT: "$ACCOUNT_KEY", ACCOUNT2: "$ACCOUNT_KEY_2"}
CUSTOM_DOMAIN = "https://photos.example.com"

DEFAULT_SV = "2026-10-06"          # CLI.md: default --version = newest supported layout
DEFAULT_AT = "2025-01-01T00:00:00Z"
UDK_FILE = "user-delegation-key.json"

# ---------------------------------------------------------------------------------------------
# SDK releases.  "layouts" = string-to-sign layouts the release implements (checked: every case's SDK
# string-to-sign must equal the reference one).  The newest release is used for every layout it has.
# ---------------------------------------------------------------------------------------------
LATEST = "12.31.1"
PROFILES = {
    "12.31.1": {"pip": ["azure-storage-blob==12.31.1", "azure-core==1.41.0"], "family": "v12",
                "native_sv": "2026-10-06",
                "layouts": ["service-2020-12-06", "ud-2026-04-06", "account-2020-12-06"]},
    "12.28.0": {"pip": ["azure-storage-blob==12.28.0", "azure-core==1.41.0"], "family": "v12",
                "native_sv": "2026-02-06", "layouts": ["ud-2025-07-05"]},
    "12.25.1": {"pip": ["azure-storage-blob==12.25.1", "azure-core==1.41.0"], "family": "v12",
                "native_sv": "2025-05-05", "layouts": ["ud-2020-12-06"]},
    "12.9.0": {"pip": ["azure-storage-blob==12.9.0", "azure-core==1.41.0", "six"], "family": "v12",
               "native_sv": "2020-10-02",
               "layouts": ["service-2018-11-09", "ud-2020-02-10", "account-2015-04-05"]},
    "12.4.0": {"pip": ["azure-storage-blob==12.4.0", "azure-core==1.41.0", "six"], "family": "v12",
               "native_sv": "2019-12-12", "layouts": ["service-2018-11-09", "ud-2018-11-09", "account-2015-04-05"]},
    "1.4.0": {"pip": ["azure-storage-blob==1.4.0", "azure-storage-common==1.4.2"], "family": "legacy1",
              "native_sv": "2018-03-28", "layouts": ["service-2015-04-05", "account-2015-04-05"]},
}


def _v(sv):
    return tuple(int(x) for x in sv.split("-"))


def layout_of(kind, sv):
    v = _v(sv)
    if v < (2015, 4, 5):
        raise ValueError("sv %s is older than the oldest layout covered (2015-04-05)" % sv)
    if kind == "account":
        return "account-2020-12-06" if v >= (2020, 12, 6) else "account-2015-04-05"
    if kind.startswith("ud-"):
        if v < (2018, 11, 9):
            raise ValueError("user delegation SAS needs sv >= 2018-11-09")
        for cut, name in [((2026, 4, 6), "ud-2026-04-06"), ((2025, 7, 5), "ud-2025-07-05"),
                          ((2020, 12, 6), "ud-2020-12-06"), ((2020, 2, 10), "ud-2020-02-10"),
                          ((2018, 11, 9), "ud-2018-11-09")]:
            if v >= cut:
                return name
    for cut, name in [((2020, 12, 6), "service-2020-12-06"), ((2018, 11, 9), "service-2018-11-09"),
                      ((2015, 4, 5), "service-2015-04-05")]:
        if v >= cut:
            return name


def pick_profile(layout, sv):
    if layout in PROFILES[LATEST]["layouts"]:
        return LATEST
    cands = [p for p, d in PROFILES.items() if layout in d["layouts"]]
    newer = sorted((p for p in cands if _v(PROFILES[p]["native_sv"]) >= _v(sv)),
                   key=lambda p: _v(PROFILES[p]["native_sv"]))
    if newer:
        return newer[0]
    return max(cands, key=lambda p: _v(PROFILES[p]["native_sv"]))


# ---------------------------------------------------------------------------------------------
# User delegation keys (what Get User Delegation Key would return; fabricated).  camelCase = the CLI's
# --user-delegation-key JSON file.
# ---------------------------------------------------------------------------------------------
def _udk_value(label):
    return base64.b64encode(hashlib.sha256(("presign-fixture-udk-" + label).encode()).digest()).decode()


def udk(label, signed_version, tid=None):
    d = {
        "signedOid": "11111111-2222-3333-4444-555555555555",
        "signedTid": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
        "signedStart": "2024-12-31T23:00:00Z",
        "signedExpiry": "2025-01-07T23:00:00Z",
        "signedService": "b",
        "signedVersion": signed_version,
        "value": _udk_value(label),
    }
    if tid:
        d["signedDelegatedUserTid"] = tid
    return d


UDK_CAMEL_TO_SNAKE = [("signedOid", "signed_oid"), ("signedTid", "signed_tid"), ("signedStart", "signed_start"),
                      ("signedExpiry", "signed_expiry"), ("signedService", "signed_service"),
                      ("signedVersion", "signed_version"), ("value", "value"),
                      ("signedDelegatedUserTid", "signed_delegated_user_tid")]
UDK_A = udk("a", "2025-01-05")
UDK_TID = udk("tid", "2026-10-06", tid="bbbbbbbb-cccc-dddd-eeee-ffffffffffff")

# ---------------------------------------------------------------------------------------------
# Environments (credentials), varied across cases
# ---------------------------------------------------------------------------------------------
def env_keys(acct):
    return {"AZURE_STORAGE_ACCOUNT": acct, "AZURE_STORAGE_KEY": KEYS[acct]}


def env_conn(acct):
    return {"AZURE_STORAGE_CONNECTION_STRING":
            "DefaultEndpointsProtocol=https;AccountName=%s;AccountKey=%s;EndpointSuffix=core.windows.net"
            % (acct, KEYS[acct])}


def env_conn_endpoint(acct, endpoint, proto):
    # Azurite's documented connection string has this shape (and a trailing ';').
    return {"AZURE_STORAGE_CONNECTION_STRING":
            "DefaultEndpointsProtocol=%s;AccountName=%s;AccountKey=%s;BlobEndpoint=%s;"
            % (proto, acct, KEYS[acct], endpoint)}


ENV_DEVSTORAGE = {"AZURE_STORAGE_CONNECTION_STRING": "UseDevelopmentStorage=true"}

# ---------------------------------------------------------------------------------------------
# Cases.  `want` = hand-written expectations on decoded SAS parameters (None = must be absent); they
# are checked against the SDK's token, on top of the full reference cross-check.
# `beyond` = what the case assumes that CLI.md does not spell out (empty: fully specified by CLI.md).
# ---------------------------------------------------------------------------------------------
AT = DEFAULT_AT
DEV = DEV_ACCOUNT
A2 = ACCOUNT2
BEYOND_POLICY = ("with --policy and no --permissions/--expires/--expiry the tool applies no default sp/se: "
                 "Azure rejects a field that is set in both the SAS and the stored access policy")
BEYOND_SNAPSHOT = ("--snapshot TIME is not in CLI.md (az storage blob generate-sas has the same flag): "
                   "sr=bs, the snapshot time is signed, and the URL carries ?snapshot=TIME first, as the "
                   "SDK's BlobClient(snapshot=...).url does")
BEYOND_VERSION_ID = ("--version-id ID is not in CLI.md: sr=bv, the version id is signed, and the URL carries "
                     "?versionid=ID first (same shape as the snapshot URL; the SDK does not build this URL)")
BEYOND_UD_NO_KEY = ("a user delegation SAS needs no account key: the account name comes from the URL and "
                    "the environment is empty")
BEYOND_ACCOUNT_VERSION = "--version on azure-account (CLI.md lists only time, IP and protocol flags for it)"
BEYOND_ACCOUNT_SES = "--encryption-scope on azure-account (CLI.md lists only time, IP and protocol flags for it)"

RSC_TRICKY = [
    "--cache-control", "no-cache, no-store, max-age=0",
    "--content-disposition", "attachment; filename=\"\u00c9t\u00e9 2024 \u2013 photo #1.jpg\"; "
                             "filename*=UTF-8''%C3%89t%C3%A9%202024.jpg",
    "--content-encoding", "gzip",
    "--content-language", "fr-CA, en;q=0.8",
    "--content-type", "image/jpeg; name=\"photo 1.jpg\"",
]

CASES = [
    # ---------------- method defaults ----------------
    dict(id="get-defaults", command="azure", env=env_keys(DEV),
         description="GET with every default: sp=r, se=--at+1h, no st, sr=b, sv=2026-10-06",
         cli_args=["az://devstoreaccount1/lightroom/in/photo.jpg", "--at", AT],
         want={"sp": "r", "st": None, "se": "2025-01-01T01:00:00Z", "sr": "b", "sv": "2026-10-06", "spr": None}),
    dict(id="put-defaults", command="azure", env=env_conn(DEV),
         description="PUT default permissions sp=cw; connection string with EndpointSuffix",
         cli_args=["az://devstoreaccount1/lightroom/out/photo_edited.jpg", "--method", "PUT", "--at", AT],
         want={"sp": "cw", "se": "2025-01-01T01:00:00Z", "sr": "b"}),
    dict(id="get-explicit-method-and-seconds", command="azure", env=env_keys(A2),
         description="second account; --method GET spelled out; --expires in plain seconds (5400 = 1h30m)",
         cli_args=["az://presignfixture2/raw-uploads/2025/01/IMG_0001.CR3", "--method", "GET",
                   "--expires", "5400", "--at", AT],
         want={"sp": "r", "se": "2025-01-01T01:30:00Z"}),
    # ---------------- permissions ----------------
    dict(id="put-permissions-reordered", command="azure", env=env_keys(DEV),
         description="--permissions typed out of order (wdcar) is signed as racwd",
         cli_args=["az://devstoreaccount1/lightroom/out/photo.jpg", "--method", "PUT", "--permissions", "wdcar",
                   "--at", AT],
         want={"sp": "racwd"}),
    dict(id="put-overwrite-w", command="azure", env=env_conn(A2),
         description="PUT with --permissions w (overwrite an existing blob)",
         cli_args=["az://presignfixture2/lightroom/out/edited.dng", "--method", "PUT", "--permissions", "w",
                   "--expires", "30m", "--at", AT],
         want={"sp": "w", "se": "2025-01-01T00:30:00Z"}),
    dict(id="blob-permissions-all-blob-letters", command="azure", env=env_conn(DEV),
         description="every blob-level letter reversed (itemyxdwcar) -> racwdxytmei",
         cli_args=["az://devstoreaccount1/lightroom/in/photo.jpg", "--permissions", "itemyxdwcar", "--at", AT],
         want={"sp": "racwdxytmei"}),
    dict(id="blob-permissions-hns-op", command="azure", env=env_keys(DEV),
         description="Data Lake letters o (ownership) and p (permissions) in the canonical order: pdor -> rdop",
         cli_args=["az://devstoreaccount1/lightroom/in/photo.jpg", "--permissions", "pdor", "--at", AT],
         want={"sp": "rdop"}),
    # ---------------- time ----------------
    dict(id="expires-90s", command="azure", env=env_conn(DEV),
         description="--expires 90s",
         cli_args=["az://devstoreaccount1/lightroom/in/photo.jpg", "--expires", "90s", "--at", AT],
         want={"se": "2025-01-01T00:01:30Z", "st": None}),
    dict(id="expires-15m", command="azure", env=env_conn_endpoint(DEV, DEV_ENDPOINT, "http"),
         description="--expires 15m with --at given first",
         cli_args=["--at", AT, "az://devstoreaccount1/lightroom/in/photo.jpg", "--expires", "15m"],
         want={"se": "2025-01-01T00:15:00Z"}),
    dict(id="start-and-expires-12h", command="azure", env=env_keys(DEV),
         description="--expires counts from --at, not from --start: st=06:00, se=--at+12h=12:00",
         cli_args=["az://devstoreaccount1/lightroom/in/photo.jpg", "--start", "2025-01-01T06:00:00Z",
                   "--expires", "12h", "--at", AT],
         want={"st": "2025-01-01T06:00:00Z", "se": "2025-01-01T12:00:00Z"}),
    dict(id="expires-7d", command="azure", env=env_conn(DEV),
         description="--expires 7d",
         cli_args=["az://devstoreaccount1/lightroom/in/photo.jpg", "--expires", "7d", "--at", AT],
         want={"se": "2025-01-08T00:00:00Z"}),
    dict(id="expiry-absolute", command="azure", env=env_keys(DEV),
         description="--expiry absolute RFC 3339 time",
         cli_args=["az://devstoreaccount1/lightroom/in/photo.jpg", "--expiry", "2025-03-31T23:59:59Z", "--at", AT],
         want={"se": "2025-03-31T23:59:59Z", "st": None}),
    dict(id="start-expiry-with-offsets", command="azure", env=env_keys(DEV),
         description="RFC 3339 times with a +09:00 offset are converted to UTC (st, se) before signing",
         cli_args=["az://devstoreaccount1/lightroom/in/photo.jpg", "--start", "2025-01-01T09:00:00+09:00",
                   "--expiry", "2025-01-02T09:00:00+09:00", "--at", AT],
         want={"st": "2025-01-01T00:00:00Z", "se": "2025-01-02T00:00:00Z"}),
    dict(id="basic-form-times", command="azure", env=env_keys(DEV),
         description="--at and --start in the SigV4 basic form (20250615T123045Z); se = --at + 2h",
         cli_args=["az://devstoreaccount1/lightroom/in/photo.jpg", "--start", "20250615T120000Z",
                   "--expires", "2h", "--at", "20250615T123045Z"],
         want={"st": "2025-06-15T12:00:00Z", "se": "2025-06-15T14:30:45Z"}),
    dict(id="leap-day-expires-1d", command="azure", env=env_keys(A2),
         description="--at on a leap day, --expires 1d crosses into March",
         cli_args=["az://presignfixture2/lightroom/in/photo.jpg", "--expires", "1d", "--at", "2024-02-29T23:30:00Z"],
         want={"se": "2024-03-01T23:30:00Z"}),
    # ---------------- resource ----------------
    dict(id="container-get-list", command="azure", env=env_conn(DEV),
         description="--resource container, --permissions lr -> rl; URL is CONTAINER?SAS",
         cli_args=["az://devstoreaccount1/lightroom", "--resource", "container", "--permissions", "lr", "--at", AT],
         want={"sr": "c", "sp": "rl"}),
    dict(id="container-put-defaults", command="azure", env=env_conn(A2),
         description="--resource container with --method PUT: default sp=cw on the container",
         cli_args=["az://presignfixture2/uploads", "--resource", "container", "--method", "PUT", "--at", AT],
         want={"sr": "c", "sp": "cw"}),
    dict(id="container-permissions-all-letters", command="azure", env=env_keys(DEV),
         description="every container-level letter reversed (ifemtlyxdwcar) -> racwdxyltfmei",
         cli_args=["az://devstoreaccount1/lightroom", "--resource", "container", "--permissions", "ifemtlyxdwcar",
                   "--at", AT],
         want={"sr": "c", "sp": "racwdxyltfmei"}),
    dict(id="resource-blob-explicit", command="azure", env=env_keys(DEV),
         description="--resource blob spelled out",
         cli_args=["az://devstoreaccount1/lightroom/in/photo.jpg", "--resource", "blob", "--at", AT],
         want={"sr": "b", "sp": "r"}),
    # ---------------- network ----------------
    dict(id="https-only-single-ip", command="azure", env=env_conn(DEV),
         description="--https-only (spr=https) and a single --ip",
         cli_args=["az://devstoreaccount1/lightroom/in/photo.jpg", "--https-only", "--ip", "203.0.113.7",
                   "--at", AT],
         want={"spr": "https", "sip": "203.0.113.7"}),
    dict(id="ip-range", command="azure", env=env_conn(DEV),
         description="--ip A-B range, protocol left open (no spr)",
         cli_args=["az://devstoreaccount1/lightroom/out/photo.jpg", "--method", "PUT",
                   "--ip", "198.51.100.0-198.51.100.255", "--at", AT],
         want={"sip": "198.51.100.0-198.51.100.255", "spr": None, "sp": "cw"}),
    # ---------------- --version: one per service layout ----------------
    dict(id="version-2015-04-05-blob", command="azure", env=env_conn(DEV),
         description="--version 2015-04-05 (first layout with sip/spr; no sr/snapshot/ses lines)",
         cli_args=["az://devstoreaccount1/lightroom/in/photo.jpg", "--version", "2015-04-05", "--at", AT],
         want={"sv": "2015-04-05"}),
    dict(id="version-2017-11-09-container-everything", command="azure", env=env_keys(A2),
         description="--version 2017-11-09 container SAS with start, ip, https-only and all five overrides",
         cli_args=["az://presignfixture2/lightroom", "--resource", "container", "--permissions", "rl",
                   "--version", "2017-11-09", "--start", "2024-12-31T23:55:00Z", "--expires", "2h",
                   "--https-only", "--ip", "10.1.2.3-10.1.2.200"] + RSC_TRICKY + ["--at", AT],
         want={"sv": "2017-11-09", "sr": "c", "rsce": "gzip"}),
    dict(id="version-2018-03-28-policy-and-expiry", command="azure", env=env_keys(DEV),
         description="--version 2018-03-28 with --policy, --permissions and --expiry",
         cli_args=["az://devstoreaccount1/lightroom/in/photo.jpg", "--version", "2018-03-28", "--policy",
                   "lr-read-policy", "--permissions", "r", "--expiry", "2025-01-02T00:00:00Z", "--at", AT],
         want={"sv": "2018-03-28", "si": "lr-read-policy", "se": "2025-01-02T00:00:00Z"}),
    dict(id="version-2018-11-09-put", command="azure", env=env_conn_endpoint(DEV, DEV_ENDPOINT, "http"),
         description="--version 2018-11-09 (sr and snapshot-time lines added) PUT",
         cli_args=["az://devstoreaccount1/lightroom/out/photo.jpg", "--method", "PUT", "--version", "2018-11-09",
                   "--at", AT],
         want={"sv": "2018-11-09", "sp": "cw"}),
    dict(id="version-2019-12-12-overrides", command="azure", env=env_conn(DEV),
         description="--version 2019-12-12 with content-type and content-disposition overrides",
         cli_args=["az://devstoreaccount1/lightroom/in/photo.jpg", "--version", "2019-12-12",
                   "--content-type", "image/x-adobe-dng", "--content-disposition", "inline; filename=\"a&b=c+d?.dng\"",
                   "--at", AT],
         want={"sv": "2019-12-12", "rsct": "image/x-adobe-dng"}),
    dict(id="version-2020-10-02-container-https", command="azure", env=env_keys(DEV),
         description="--version 2020-10-02 (last layout without ses) container, https only",
         cli_args=["az://devstoreaccount1/lightroom", "--resource", "container", "--version", "2020-10-02",
                   "--https-only", "--permissions", "lwr", "--at", AT],
         want={"sv": "2020-10-02", "sp": "rwl", "spr": "https"}),
    dict(id="version-2020-12-06-encryption-scope", command="azure", env=env_keys(DEV),
         description="--version 2020-12-06 (ses line added) PUT with --encryption-scope",
         cli_args=["az://devstoreaccount1/lightroom/out/photo.jpg", "--method", "PUT", "--version", "2020-12-06",
                   "--encryption-scope", "lr-scope-1", "--at", AT],
         want={"sv": "2020-12-06", "ses": "lr-scope-1"}),
    dict(id="version-2025-05-05-all-fields", command="azure", env=env_keys(DEV),
         description="--version 2025-05-05 with every service-SAS field set",
         cli_args=["az://devstoreaccount1/lightroom/in/photo.jpg", "--version", "2025-05-05",
                   "--permissions", "rw", "--start", "2025-01-01T00:00:00Z", "--expires", "45m",
                   "--https-only", "--ip", "168.1.5.65", "--encryption-scope", "lr-scope-1",
                   "--policy", "lr-policy-2"] + RSC_TRICKY + ["--at", AT],
         want={"sv": "2025-05-05", "si": "lr-policy-2", "se": "2025-01-01T00:45:00Z"}),
    dict(id="version-2026-10-06-explicit", command="azure", env=env_keys(DEV),
         description="--version 2026-10-06 spelled out == the default",
         cli_args=["az://devstoreaccount1/lightroom/in/photo.jpg", "--version", "2026-10-06", "--at", AT],
         want={"sv": "2026-10-06"}),
    # ---------------- stored access policy ----------------
    dict(id="policy-only-container", command="azure", env=env_keys(DEV), beyond=[BEYOND_POLICY],
         description="--policy alone: si only, permissions and expiry come from the stored policy",
         cli_args=["az://devstoreaccount1/lightroom", "--resource", "container", "--policy", "lr-policy-1",
                   "--at", AT],
         want={"si": "lr-policy-1", "sp": None, "se": None, "st": None, "sr": "c"}),
    dict(id="policy-with-permissions-no-se", command="azure", env=env_keys(DEV), beyond=[BEYOND_POLICY],
         description="--policy with --permissions but no expiry: sp kept, no se (the policy has the expiry)",
         cli_args=["az://devstoreaccount1/lightroom/in/photo.jpg", "--policy", "lr-policy-1",
                   "--permissions", "r", "--at", AT],
         want={"si": "lr-policy-1", "sp": "r", "se": None}),
    dict(id="policy-with-expires", command="azure", env=env_keys(DEV),
         description="--policy with explicit --permissions and --expires (si, sp and se all present), "
                     "emulator --endpoint",
         cli_args=["az://devstoreaccount1/lightroom", "--resource", "container", "--policy", "lr-policy-1",
                   "--permissions", "lr", "--expires", "2h", "--endpoint", DEV_ENDPOINT, "--at", AT],
         want={"si": "lr-policy-1", "sp": "rl", "se": "2025-01-01T02:00:00Z"}),
    # ---------------- response overrides / encryption scope ----------------
    dict(id="response-overrides-tricky", command="azure", env=env_keys(DEV),
         description="all five response overrides with quotes, spaces, semicolons, '=', '%' and non-ASCII",
         cli_args=["az://devstoreaccount1/lightroom/in/photo.jpg"] + RSC_TRICKY + ["--at", AT],
         want={"rscc": "no-cache, no-store, max-age=0", "rsce": "gzip", "rscl": "fr-CA, en;q=0.8"}),
    dict(id="response-content-type-plus-ampersand", command="azure", env=env_conn(A2),
         description="--content-type with '+', '&', '=' and --cache-control alone",
         cli_args=["az://presignfixture2/lightroom/in/doc.psd", "--content-type",
                   "application/vnd.adobe.photoshop+octet; a=b&c=d", "--cache-control", "private", "--at", AT],
         want={"rsct": "application/vnd.adobe.photoshop+octet; a=b&c=d", "rscc": "private", "rscd": None}),
    dict(id="encryption-scope-put", command="azure", env=env_keys(DEV),
         description="--encryption-scope on a default-version PUT",
         cli_args=["az://devstoreaccount1/lightroom/out/photo.jpg", "--method", "PUT", "--encryption-scope",
                   "lr-scope-1", "--at", AT],
         want={"ses": "lr-scope-1", "sp": "cw"}),
    # ---------------- user delegation SAS ----------------
    dict(id="ud-get-default", command="azure", env={}, udk=UDK_A, beyond=[BEYOND_UD_NO_KEY],
         description="user delegation SAS, default version, GET",
         cli_args=["az://devstoreaccount1/lightroom/in/photo.jpg", "--user-delegation-key", UDK_FILE, "--at", AT],
         want={"skoid": UDK_A["signedOid"], "skv": "2025-01-05", "skdutid": None, "sp": "r"}),
    dict(id="ud-put-delegated-tid", command="azure", env=env_keys(DEV), udk=UDK_TID,
         description="user delegation SAS with signedDelegatedUserTid (skdutid), PUT, https only; "
                     "the account key in the environment is not used",
         cli_args=["az://devstoreaccount1/lightroom/out/photo.jpg", "--method", "PUT", "--https-only",
                   "--user-delegation-key", UDK_FILE, "--at", AT],
         want={"skdutid": "bbbbbbbb-cccc-dddd-eeee-ffffffffffff", "sp": "cw", "spr": "https"}),
    dict(id="ud-container-list-ip", command="azure", env=env_keys(DEV), udk=UDK_A,
         description="user delegation container SAS, rl, single IP, start, emulator --endpoint",
         cli_args=["az://devstoreaccount1/lightroom", "--resource", "container", "--permissions", "lr",
                   "--ip", "168.1.5.65", "--start", "2025-01-01T00:00:00Z", "--user-delegation-key", UDK_FILE,
                   "--endpoint", DEV_ENDPOINT, "--at", AT],
         want={"sr": "c", "sp": "rl", "sip": "168.1.5.65"}),
    dict(id="ud-overrides-and-scope", command="azure", env=env_conn(DEV), udk=UDK_TID,
         description="user delegation SAS with all response overrides and an encryption scope",
         cli_args=["az://devstoreaccount1/lightroom/in/Été/photo 1.jpg", "--user-delegation-key", UDK_FILE,
                   "--encryption-scope", "lr-scope-1"] + RSC_TRICKY + ["--expiry", "2025-01-01T08:00:00Z",
                                                                      "--at", AT],
         want={"ses": "lr-scope-1", "se": "2025-01-01T08:00:00Z"}),
    dict(id="ud-version-2018-11-09", command="azure", env=env_keys(DEV), udk=udk("v2018", "2018-11-09"),
         description="--version 2018-11-09 user delegation layout (no saoid/suoid/scid lines)",
         cli_args=["az://devstoreaccount1/lightroom/in/photo.jpg", "--version", "2018-11-09",
                   "--user-delegation-key", UDK_FILE, "--at", AT],
         want={"sv": "2018-11-09", "skv": "2018-11-09"}),
    dict(id="ud-version-2020-02-10", command="azure", env=env_keys(DEV), udk=udk("v2020", "2020-02-10"),
         description="--version 2020-02-10 user delegation layout (empty saoid/suoid/scid lines)",
         cli_args=["az://devstoreaccount1/lightroom/out/photo.jpg", "--method", "PUT", "--version", "2020-02-10",
                   "--user-delegation-key", UDK_FILE, "--at", AT],
         want={"sv": "2020-02-10", "sp": "cw"}),
    dict(id="ud-version-2021-08-06-scope", command="azure", env=env_conn(DEV), udk=udk("v2021", "2021-08-06"),
         description="--version 2021-08-06 user delegation layout (ses line) with --encryption-scope",
         cli_args=["az://devstoreaccount1/lightroom/out/photo.jpg", "--method", "PUT", "--version", "2021-08-06",
                   "--encryption-scope", "lr-scope-1", "--user-delegation-key", UDK_FILE, "--at", AT],
         want={"sv": "2021-08-06", "ses": "lr-scope-1"}),
    dict(id="ud-version-2025-07-05", command="azure", env=env_conn_endpoint(DEV, DEV_ENDPOINT, "http"),
         udk=udk("v2025", "2025-07-05"),
         description="--version 2025-07-05 user delegation layout (empty skdutid/sduoid lines)",
         cli_args=["az://devstoreaccount1/lightroom", "--resource", "container", "--permissions", "rl",
                   "--version", "2025-07-05", "--user-delegation-key", UDK_FILE, "--at", AT],
         want={"sv": "2025-07-05", "sr": "c"}),
    dict(id="ud-version-2026-02-06-ip", command="azure", env=env_keys(DEV), udk=udk("v2026a", "2026-02-06"),
         description="--version 2026-02-06 (last version without the srh/srq lines) with an IP range",
         cli_args=["az://devstoreaccount1/lightroom/in/photo.jpg", "--version", "2026-02-06",
                   "--ip", "10.0.0.1-10.0.0.255", "--user-delegation-key", UDK_FILE, "--at", AT],
         want={"sv": "2026-02-06", "sip": "10.0.0.1-10.0.0.255"}),
    dict(id="ud-version-2026-04-06-tid", command="azure", env=env_conn(DEV), udk=UDK_TID,
         description="--version 2026-04-06 (first layout with srh/srq lines) with signedDelegatedUserTid",
         cli_args=["az://devstoreaccount1/lightroom/in/photo.jpg", "--version", "2026-04-06",
                   "--user-delegation-key", UDK_FILE, "--at", AT],
         want={"sv": "2026-04-06", "skdutid": "bbbbbbbb-cccc-dddd-eeee-ffffffffffff"}),
    # ---------------- blob names ----------------
    dict(id="name-unicode-spaces-nested", command="azure", env=env_conn(DEV),
         description="az:// blob name with spaces, accents, CJK and an emoji, several levels deep",
         cli_args=["az://devstoreaccount1/lightroom/in/2024/\u00c9t\u00e9 \u00e0 Paris/\u5199\u771f "
                   "\U0001f4f7 01.jpg", "--at", AT],
         want={"sr": "b"}),
    dict(id="name-plus-hash-question", command="azure", env=env_keys(DEV),
         description="az:// blob name taken literally with '+', '#', '?', '=', '&'",
         cli_args=["az://devstoreaccount1/lightroom/in/a+b #1?x=y&z.jpg", "--method", "PUT", "--at", AT],
         want={"sp": "cw"}),
    dict(id="name-percent-tilde-literal", command="azure", env=env_conn(DEV),
         description="az:// names are not percent-decoded: '%25' and '%E2%9C%93' stay literal; '~' kept",
         cli_args=["az://devstoreaccount1/lightroom/in/100%25 done~v2/%E2%9C%93.jpg", "--at", AT],
         want={"sr": "b"}),
    dict(id="https-url-decoded-once", command="azure", env=env_keys(DEV),
         description="https:// URL argument: path percent-decoded once "
                     "(Caf%C3%A9%20%2B... -> 'Café + crème #1?.jpg')",
         cli_args=["https://devstoreaccount1.blob.core.windows.net/lightroom/in/"
                   "Caf%C3%A9%20%2B%20cr%C3%A8me%20%231%3F.jpg", "--at", AT],
         want={"sr": "b"}),
    dict(id="https-url-tilde-double-percent", command="azure", env=env_keys(A2),
         description="https:// URL argument, deep path, %7E -> '~' and %2525 -> '%25' (decoded once only)",
         cli_args=["https://presignfixture2.blob.core.windows.net/lightroom/deep/a/b/c/d/e/f%7Eg%2525.tif",
                   "--method", "PUT", "--at", AT],
         want={"sp": "cw"}),
    dict(id="https-url-container", command="azure", env=env_keys(DEV),
         description="https:// container URL with --resource container",
         cli_args=["https://devstoreaccount1.blob.core.windows.net/lightroom", "--resource", "container",
                   "--permissions", "rl", "--at", AT],
         want={"sr": "c"}),
    # ---------------- snapshot / version id (not in CLI.md) ----------------
    dict(id="snapshot-bs", command="azure", env=env_keys(DEV), beyond=[BEYOND_SNAPSHOT],
         description="--snapshot: sr=bs, snapshot time signed but not in the SAS token",
         cli_args=["az://devstoreaccount1/lightroom/in/photo.jpg", "--snapshot", "2024-12-31T23:59:59.1234567Z",
                   "--at", AT],
         want={"sr": "bs"}),
    dict(id="version-id-bv", command="azure", env=env_keys(DEV), beyond=[BEYOND_VERSION_ID],
         description="--version-id: sr=bv, version id signed but not in the SAS token; --permissions xr -> rx",
         cli_args=["az://devstoreaccount1/lightroom/in/photo.jpg", "--version-id", "2024-12-31T23:59:59.1234567Z",
                   "--permissions", "xr", "--at", AT],
         want={"sr": "bv", "sp": "rx"}),
    # ---------------- endpoints / emulator ----------------
    dict(id="emulator-endpoint-flag-put", command="azure", env=env_keys(DEV),
         description="--endpoint http://127.0.0.1:10000/devstoreaccount1: emulator URL, same signature",
         cli_args=["az://devstoreaccount1/lightroom/out/photo.jpg", "--method", "PUT", "--endpoint", DEV_ENDPOINT,
                   "--at", AT],
         want={"sp": "cw"}),
    dict(id="emulator-connection-string-blob-endpoint", command="azure",
         env=env_conn_endpoint(DEV, DEV_ENDPOINT, "http"),
         description="Azurite connection string with BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1",
         cli_args=["az://devstoreaccount1/lightroom/in/photo.jpg", "--expires", "10m", "--at", AT],
         want={"se": "2025-01-01T00:10:00Z"}),
    dict(id="emulator-use-development-storage-container", command="azure", env=ENV_DEVSTORAGE,
         description="UseDevelopmentStorage=true: account devstoreaccount1, emulator endpoint, container SAS",
         cli_args=["az://devstoreaccount1/lightroom", "--resource", "container", "--permissions", "wlr",
                   "--at", AT],
         want={"sr": "c", "sp": "rwl"}),
    dict(id="emulator-use-development-storage-blob", command="azure", env=ENV_DEVSTORAGE,
         description="UseDevelopmentStorage=true with an unusual blob name",
         cli_args=["az://devstoreaccount1/lightroom/in/Été 2024/#1 +raw.jpg", "--method", "PUT", "--at", AT],
         want={"sp": "cw"}),
    dict(id="custom-domain-blob-endpoint", command="azure",
         env=env_conn_endpoint(A2, CUSTOM_DOMAIN, "https"),
         description="second account whose connection string has BlobEndpoint=https://photos.example.com: "
                     "URL on that host, canonicalized resource still /blob/presignfixture2/...",
         cli_args=["az://presignfixture2/lightroom/in/photo.jpg", "--at", AT],
         want={"sp": "r"}),
    # ---------------- account SAS ----------------
    dict(id="account-blob-sco-rl", command="azure-account", env=env_conn(DEV),
         description="account SAS --services b --resource-types sco --permissions lr -> rl",
         cli_args=["--services", "b", "--resource-types", "sco", "--permissions", "lr", "--at", AT],
         want={"ss": "b", "srt": "sco", "sp": "rl", "se": "2025-01-01T01:00:00Z", "sv": "2026-10-06"}),
    dict(id="account-all-permissions-time-ip-https", command="azure-account", env=env_conn(DEV),
         description="account SAS, every letter reversed (itfpucalyxdwr -> rwdxylacupfti), all services, "
                     "--start, --expiry, --ip range, --https-only",
         cli_args=["--services", "bqtf", "--resource-types", "sco", "--permissions", "itfpucalyxdwr",
                   "--start", "2024-12-31T23:00:00Z", "--expiry", "2025-01-02T00:00:00Z",
                   "--ip", "168.1.5.60-168.1.5.70", "--https-only", "--at", AT],
         want={"sp": "rwdxylacupfti", "ss": "bqtf", "spr": "https", "st": "2024-12-31T23:00:00Z"}),
    dict(id="account-encryption-scope", command="azure-account", env=env_keys(DEV), beyond=[BEYOND_ACCOUNT_SES],
         description="account SAS with --encryption-scope; --permissions cwra -> rwac",
         cli_args=["--services", "b", "--resource-types", "o", "--permissions", "cwra", "--encryption-scope",
                   "lr-scope-1", "--expires", "15m", "--at", AT],
         want={"sp": "rwac", "ses": "lr-scope-1", "se": "2025-01-01T00:15:00Z"}),
    dict(id="account-version-2015-04-05", command="azure-account", env=env_keys(DEV),
         beyond=[BEYOND_ACCOUNT_VERSION],
         description="account SAS --version 2015-04-05 (no ses line), services bf",
         cli_args=["--services", "bf", "--resource-types", "co", "--permissions", "wr", "--version", "2015-04-05",
                   "--at", AT],
         want={"sv": "2015-04-05", "sp": "rw"}),
    dict(id="account-version-2020-10-02", command="azure-account", env=env_keys(A2),
         beyond=[BEYOND_ACCOUNT_VERSION],
         description="account SAS --version 2020-10-02 (last account layout without ses), single IP",
         cli_args=["--services", "b", "--resource-types", "so", "--permissions", "dlr", "--version", "2020-10-02",
                   "--ip", "203.0.113.9", "--at", AT],
         want={"sv": "2020-10-02", "sp": "rdl", "sip": "203.0.113.9"}),
    dict(id="account-use-development-storage", command="azure-account", env=ENV_DEVSTORAGE,
         description="account SAS with UseDevelopmentStorage=true: URL is the emulator endpoint root",
         cli_args=["--services", "b", "--resource-types", "sco", "--permissions", "rwdlac", "--at", AT],
         want={"sp": "rwdlac"}),
    dict(id="account-second-account-7d", command="azure-account", env=env_conn(A2),
         description="second account via connection string, --expires 7d, --start",
         cli_args=["--services", "b", "--resource-types", "c", "--permissions", "l", "--start",
                   "2025-01-01T00:00:00Z", "--expires", "7d", "--at", AT],
         want={"se": "2025-01-08T00:00:00Z", "srt": "c"}),
    dict(id="account-azurite-connection-string", command="azure-account",
         env=env_conn_endpoint(DEV, DEV_ENDPOINT, "http"),
         description="account SAS, Azurite connection string with BlobEndpoint",
         cli_args=["--services", "b", "--resource-types", "sco", "--permissions", "rl", "--at", AT],
         want={"sp": "rl"}),
]

# ---------------------------------------------------------------------------------------------
# Reference model of the CLI (docs/CLI.md) -- independent of the SDK
# ---------------------------------------------------------------------------------------------
SERVICE_ORDER = "racwdxyltfmeopi"
ACCOUNT_ORDER = "rwdxylacupfti"
RSC_FLAGS = [("--cache-control", "rscc", "cache_control"), ("--content-disposition", "rscd", "content_disposition"),
             ("--content-encoding", "rsce", "content_encoding"), ("--content-language", "rscl", "content_language"),
             ("--content-type", "rsct", "content_type")]
VALUE_FLAGS = {
    "azure": {"--method", "--permissions", "--expires", "--expiry", "--start", "--resource", "--ip", "--version",
              "--policy", "--encryption-scope", "--endpoint", "--user-delegation-key", "--at",
              "--snapshot", "--version-id"} | {f for f, _, _ in RSC_FLAGS},
    "azure-account": {"--services", "--resource-types", "--permissions", "--expires", "--expiry", "--start",
                      "--ip", "--version", "--encryption-scope", "--at"},
}
BOOL_FLAGS = {"azure": {"--https-only"}, "azure-account": {"--https-only"}}


class CLIError(Exception):
    pass


def parse_time(s):
    m = re.fullmatch(r"(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z", s)
    if m:
        y, mo, d, h, mi, se = map(int, m.groups())
        return datetime(y, mo, d, h, mi, se, tzinfo=timezone.utc)
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})", s)
    if not m:
        raise CLIError("bad time %r" % s)
    y, mo, d, h, mi, se = map(int, m.groups()[:6])
    if m.group(7):
        raise CLIError("fractional seconds not used in these fixtures: %r" % s)
    tz = m.group(8)
    if tz in ("Z", "z"):
        off = timedelta(0)
    else:
        sign = 1 if tz[0] == "+" else -1
        off = sign * timedelta(hours=int(tz[1:3]), minutes=int(tz[4:6]))
    return datetime(y, mo, d, h, mi, se, tzinfo=timezone(off)).astimezone(timezone.utc)


def fmt_time(dt):
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_duration(s):
    m = re.fullmatch(r"(\d+)(ms|s|m|h|d)?", s)
    if not m:
        raise CLIError("bad duration %r" % s)
    n, unit = int(m.group(1)), m.group(2) or "s"
    return timedelta(milliseconds=n) if unit == "ms" else timedelta(seconds=n * {"s": 1, "m": 60, "h": 3600,
                                                                                 "d": 86400}[unit])


def canonical_permissions(letters, order):
    if len(set(letters)) != len(letters):
        raise CLIError("repeated permission letter in %r" % letters)
    bad = [c for c in letters if c not in order]
    if bad:
        raise CLIError("unknown permission letter(s) %r" % bad)
    return "".join(c for c in order if c in letters)


def parse_args(command, args):
    opts, pos = {}, []
    i = 0
    while i < len(args):
        a = args[i]
        if a in BOOL_FLAGS[command]:
            opts[a] = True
            i += 1
        elif a in VALUE_FLAGS[command]:
            if i + 1 >= len(args):
                raise CLIError("%s needs a value" % a)
            opts[a] = args[i + 1]          # last one wins (the same flag is never repeated here)
            i += 2
        elif a.startswith("--"):
            raise CLIError("unknown flag %s" % a)
        else:
            pos.append(a)
            i += 1
    if "--at" not in opts:
        raise CLIError("every fixture case must pass --at")
    return opts, pos


def parse_conn_str(cs):
    settings = {}
    for part in cs.rstrip(";").split(";"):
        k, sep, v = part.partition("=")
        if not sep:
            raise CLIError("malformed connection string")
        settings[k.upper()] = v
    if settings.get("USEDEVELOPMENTSTORAGE") == "true":
        return DEV_ACCOUNT, DEV_KEY, DEV_ENDPOINT
    acct, key = settings["ACCOUNTNAME"], settings["ACCOUNTKEY"]
    if "BLOBENDPOINT" in settings:
        return acct, key, settings["BLOBENDPOINT"].rstrip("/")
    proto = settings.get("DEFAULTENDPOINTSPROTOCOL", "https")
    return acct, key, "%s://%s.blob.%s" % (proto, acct, settings.get("ENDPOINTSUFFIX", "core.windows.net"))


def credentials_from_env(env):
    if "AZURE_STORAGE_CONNECTION_STRING" in env:
        return parse_conn_str(env["AZURE_STORAGE_CONNECTION_STRING"]) + ("connection-string",)
    if "AZURE_STORAGE_ACCOUNT" in env:
        acct = env["AZURE_STORAGE_ACCOUNT"]
        return acct, env.get("AZURE_STORAGE_KEY"), "https://%s.blob.core.windows.net" % acct, "account+key"
    return None, None, None, "none"


def parse_target(url):
    """-> (account, container, blob or None).  az:// literal; https:// path decoded once."""
    if url.startswith("az://"):
        rest = url[len("az://"):]
        acct, _, path = rest.partition("/")
        container, _, blob = path.partition("/")
        return acct, container, (blob or None)
    u = urlsplit(url)
    if u.scheme != "https" or not u.hostname.endswith(".blob.core.windows.net"):
        raise CLIError("unsupported URL %r" % url)
    acct = u.hostname.split(".")[0]
    path = unquote(u.path.lstrip("/"))
    container, _, blob = path.partition("/")
    return acct, container, (blob or None)


def interpret(case):
    """CLI contract -> SAS fields.  Returns a dict R (see below)."""
    command = case["command"]
    opts, pos = parse_args(command, case["cli_args"])
    at = parse_time(opts["--at"])
    env_acct, env_key, env_endpoint, cred_source = credentials_from_env(case["env"])
    R = {"command": command, "params": {}, "snapshot": None, "version_id": None, "container": None,
         "blob": None, "udk": None, "method": None, "cred_source": cred_source}
    p = R["params"]

    if command == "azure":
        if len(pos) != 1:
            raise CLIError("azure takes one URL")
        acct, container, blob = parse_target(pos[0])
        if env_acct is not None and env_acct != acct:
            raise CLIError("fixture: environment account %s != URL account %s" % (env_acct, acct))
        resource = opts.get("--resource", "blob")
        if resource == "container" and blob is not None:
            raise CLIError("container SAS with a blob path")
        if resource == "blob" and blob is None:
            raise CLIError("blob SAS without a blob name")
        R["method"] = opts.get("--method", "GET")
        udk_file = opts.get("--user-delegation-key")
        kind = ("ud-" if udk_file else "service-") + resource
        if udk_file:
            if udk_file != UDK_FILE or case.get("udk") is None:
                raise CLIError("fixture: UD key file mismatch")
            R["udk"] = case["udk"]
        elif env_key is None:
            raise CLIError("no account key")
        R.update(kind=kind, account=acct, container=container, blob=blob)
        R["key"] = R["udk"]["value"] if R["udk"] else env_key
        R["key_ref"] = "$USER_DELEGATION_KEY_VALUE" if R["udk"] else KEY_REFS[acct]
        if env_key is not None and KEYS.get(acct) != env_key and not R["udk"]:
            raise CLIError("fixture: unexpected key")
        policy = opts.get("--policy")
        sv = opts.get("--version", DEFAULT_SV)
        if "--permissions" in opts:
            sp = canonical_permissions(opts["--permissions"], SERVICE_ORDER)
        elif policy:
            sp = None
        else:
            sp = {"GET": "r", "PUT": "cw"}[R["method"]]
        if "--expiry" in opts:
            se = fmt_time(parse_time(opts["--expiry"]))
        elif "--expires" in opts:
            se = fmt_time(at + parse_duration(opts["--expires"]))
        elif policy:
            se = None
        else:
            se = fmt_time(at + timedelta(hours=1))
        st = fmt_time(parse_time(opts["--start"])) if "--start" in opts else None
        R["snapshot"] = opts.get("--snapshot")
        R["version_id"] = opts.get("--version-id")
        sr = "c" if resource == "container" else ("bs" if R["snapshot"] else ("bv" if R["version_id"] else "b"))
        if sr in ("bs", "bv") and _v(sv) < (2018, 11, 9):
            raise CLIError("snapshot/version SAS needs sv >= 2018-11-09")
        if opts.get("--encryption-scope") and _v(sv) < (2020, 12, 6):
            raise CLIError("ses needs sv >= 2020-12-06")
        for k, v in [("sp", sp), ("st", st), ("se", se), ("sip", opts.get("--ip")),
                     ("spr", "https" if opts.get("--https-only") else None), ("sv", sv), ("sr", sr), ("si", policy)]:
            if v is not None:
                p[k] = v
        for flag, q, _ in RSC_FLAGS:
            if flag in opts:
                p[q] = opts[flag]
        if opts.get("--encryption-scope"):
            p["ses"] = opts["--encryption-scope"]
        if R["udk"]:
            if policy:
                raise CLIError("stored policies are not supported for a user delegation SAS")
            u = R["udk"]
            for q, name in [("skoid", "signedOid"), ("sktid", "signedTid"), ("skt", "signedStart"),
                            ("ske", "signedExpiry"), ("sks", "signedService"), ("skv", "signedVersion")]:
                p[q] = u[name]
            if u.get("signedDelegatedUserTid"):
                if _v(sv) < (2026, 4, 6):
                    # 12.26.0-12.28.0 sign an (always empty) skdutid line but cannot emit a value.
                    raise CLIError("fixture: signedDelegatedUserTid only with sv >= 2026-04-06 (no SDK oracle below)")
                p["skdutid"] = u["signedDelegatedUserTid"]
        endpoint = opts.get("--endpoint") or env_endpoint or "https://%s.blob.core.windows.net" % acct
        R["endpoint"] = endpoint.rstrip("/")
    else:
        if pos:
            raise CLIError("azure-account takes no positional argument")
        if env_acct is None or env_key is None:
            raise CLIError("azure-account needs an account key")
        sv = opts.get("--version", DEFAULT_SV)
        if opts.get("--encryption-scope") and _v(sv) < (2020, 12, 6):
            raise CLIError("ses needs sv >= 2020-12-06")
        R.update(kind="account", account=env_acct, key=env_key, key_ref=KEY_REFS[env_acct], endpoint=env_endpoint)
        if "--expiry" in opts:
            se = fmt_time(parse_time(opts["--expiry"]))
        else:
            se = fmt_time(at + (parse_duration(opts["--expires"]) if "--expires" in opts else timedelta(hours=1)))
        st = fmt_time(parse_time(opts["--start"])) if "--start" in opts else None
        for k, v in [("sp", canonical_permissions(opts["--permissions"], ACCOUNT_ORDER)), ("st", st), ("se", se),
                     ("sip", opts.get("--ip")), ("spr", "https" if opts.get("--https-only") else None), ("sv", sv),
                     ("ss", opts["--services"]), ("srt", opts["--resource-types"]),
                     ("ses", opts.get("--encryption-scope"))]:
            if v is not None:
                p[k] = v
    R["sv"] = sv
    R["layout"] = layout_of(R["kind"], sv)
    R["at"] = fmt_time(at)
    return R


def reference_string_to_sign(R):
    """String-to-sign from the spec tables (Microsoft's Create a service SAS / account SAS documentation)."""
    p = R["params"]
    g = lambda k: p.get(k, "")  # noqa: E731
    v = _v(R["sv"])
    if R["kind"] == "account":
        parts = [R["account"], g("sp"), g("ss"), g("srt"), g("st"), g("se"), g("sip"), g("spr"), g("sv")]
        if v >= (2020, 12, 6):
            parts.append(g("ses"))
        return "\n".join(parts) + "\n"        # account SAS keeps its trailing newline
    canon = "/blob/%s/%s" % (R["account"], R["container"])
    if R["blob"] is not None:
        canon += "/" + R["blob"]
    parts = [g("sp"), g("st"), g("se"), canon]
    if R["kind"].startswith("ud-"):
        parts += [g("skoid"), g("sktid"), g("skt"), g("ske"), g("sks"), g("skv")]
        if v >= (2020, 2, 10):
            parts += ["", "", ""]                      # saoid, suoid, scid (not set by the CLI)
        if v >= (2025, 7, 5):
            parts += [g("skdutid"), ""]                # skdutid, sduoid
    else:
        parts.append(g("si"))
    parts += [g("sip"), g("spr"), g("sv")]
    if v >= (2018, 11, 9):
        parts += [g("sr"), R["snapshot"] or R["version_id"] or ""]
    if v >= (2020, 12, 6):
        parts.append(g("ses"))
    if R["kind"].startswith("ud-") and v >= (2026, 4, 6):
        parts += ["", ""]                              # srh block, srq block (not set by the CLI)
    parts += [g("rscc"), g("rscd"), g("rsce"), g("rscl"), g("rsct")]
    return "\n".join(parts)


def hmac_sign(key_b64, sts):
    return base64.b64encode(hmac.new(base64.b64decode(key_b64), sts.encode("utf-8"), hashlib.sha256).digest()).decode()


def reference_urls(R, token):
    """-> (public url, emulator-style url, url the CLI prints)."""
    acct = R["account"]
    if R["kind"] == "account":
        tail = "/?" + token
        return ("https://%s.blob.core.windows.net%s" % (acct, tail),
                "http://127.0.0.1:10000/%s%s" % (acct, tail), R["endpoint"] + tail)
    path = "/" + quote(R["container"])
    if R["blob"] is not None:
        path += "/" + quote(R["blob"], safe="/~")
    query = "?"
    if R["snapshot"]:
        query += "snapshot=%s&" % R["snapshot"]
    if R["version_id"]:
        query += "versionid=%s&" % R["version_id"]
    tail = path + query + token
    return ("https://%s.blob.core.windows.net%s" % (acct, tail),
            "http://127.0.0.1:10000/%s%s" % (acct, tail), R["endpoint"] + tail)


def parse_token(token):
    out = []
    for part in token.split("&"):
        k, _, v = part.partition("=")
        out.append([k, unquote(v)])
    return out


# ---------------------------------------------------------------------------------------------
# SDK worker (runs with PYTHONPATH=<cache>/<profile>)
# ---------------------------------------------------------------------------------------------
def _dt(s):
    return datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc) if s else None


def worker(profile):
    import time
    frozen = parse_time(DEFAULT_AT).timestamp()
    time.time = lambda: frozen          # frozen clock: nothing in SAS generation may depend on "now"
    jobs = json.load(sys.stdin)
    fam = PROFILES[profile]["family"]
    import azure.storage.blob as blobpkg
    out = {"profile": profile, "sdk_file": os.path.realpath(blobpkg.__file__), "results": [], "aux": {}}
    captured = []

    def wrap(mod, name):
        orig = getattr(mod, name)

        def rec(key, string_to_sign, *a, **k):
            captured.append({"key": key, "sts": string_to_sign})
            return orig(key, string_to_sign, *a, **k)
        setattr(mod, name, rec)

    if fam == "legacy1":
        import azure.storage.common.sharedaccesssignature as cm
        wrap(cm, "_sign_string")
        from azure.storage.blob.sharedaccesssignature import BlobSharedAccessSignature
        from azure.storage.common.sharedaccesssignature import SharedAccessSignature
        from azure.storage.blob._constants import X_MS_VERSION
        UserDelegationKey = None
    else:
        import azure.storage.blob._shared_access_signature as bm
        import azure.storage.blob._shared.shared_access_signature as sm
        wrap(bm, "sign_string")
        wrap(sm, "sign_string")
        from azure.storage.blob._shared_access_signature import BlobSharedAccessSignature
        from azure.storage.blob._shared.shared_access_signature import SharedAccessSignature
        from azure.storage.blob._shared.constants import X_MS_VERSION
        from azure.storage.blob import UserDelegationKey
        import azure.storage.blob as b
    out["native_sv"] = X_MS_VERSION
    rsc_names = [n for _, _, n in RSC_FLAGS]

    for job in jobs.get("sign", []):
        del captured[:]
        hook_seen = []
        start, expiry = _dt(job["start"]), _dt(job["expiry"])
        use_public = profile == LATEST and job["sv"] == X_MS_VERSION
        if job["kind"] == "account":
            kw = {}
            if job.get("encryption_scope"):
                kw["encryption_scope"] = job["encryption_scope"]
            if use_public:
                tok = b.generate_account_sas(job["account"], job["key"], resource_types=job["resource_types"],
                                             permission=job["permission"], expiry=expiry, start=start,
                                             ip=job["ip"], services=job["services"], protocol=job["protocol"],
                                             sts_hook=hook_seen.append, **kw)
            else:
                sas = SharedAccessSignature(job["account"], job["key"], x_ms_version=job["sv"])
                tok = sas.generate_account(job["services"], job["resource_types"], job["permission"], expiry,
                                           start=start, ip=job["ip"], protocol=job["protocol"], **kw)
        else:
            rsc = {n: job[n] for n in rsc_names if job.get(n) is not None}
            udk = None
            if job.get("udk"):
                udk = UserDelegationKey()
                for name, val in job["udk"].items():
                    setattr(udk, name, val)
            common = dict(permission=job["permission"], expiry=expiry, start=start, ip=job["ip"],
                          protocol=job["protocol"], **rsc)
            extra = {}
            if job.get("encryption_scope"):
                extra["encryption_scope"] = job["encryption_scope"]
            if use_public:
                cred = {"user_delegation_key": udk} if udk else {"account_key": job["key"]}
                if job["blob"] is None:
                    tok = b.generate_container_sas(job["account"], job["container"], policy_id=job["policy_id"],
                                                   sts_hook=hook_seen.append, **cred, **common, **extra)
                else:
                    if job.get("version_id"):
                        extra["version_id"] = job["version_id"]
                    tok = b.generate_blob_sas(job["account"], job["container"], job["blob"],
                                              snapshot=job.get("snapshot"), policy_id=job["policy_id"],
                                              sts_hook=hook_seen.append, **cred, **common, **extra)
            else:
                if fam == "legacy1":
                    sas = BlobSharedAccessSignature(job["account"], job["key"])
                    common["id"] = job["policy_id"]
                elif udk is not None:
                    sas = BlobSharedAccessSignature(job["account"], user_delegation_key=udk)
                    common["policy_id"] = job["policy_id"]
                else:
                    sas = BlobSharedAccessSignature(job["account"], account_key=job["key"])
                    common["policy_id"] = job["policy_id"]
                sas.x_ms_version = job["sv"]
                if "sts_hook" in BlobSharedAccessSignature.generate_blob.__code__.co_varnames:
                    extra["sts_hook"] = hook_seen.append
                if job["blob"] is None:
                    tok = sas.generate_container(job["container"], **common, **extra)
                else:
                    if job.get("snapshot"):
                        common["snapshot"] = job["snapshot"]
                    if job.get("version_id"):
                        common["version_id"] = job["version_id"]
                    tok = sas.generate_blob(job["container"], job["blob"], **common, **extra)
        if len(captured) != 1:
            raise SystemExit("job %s: expected exactly one sign_string call, saw %d" % (job["id"], len(captured)))
        out["results"].append({"id": job["id"], "token": tok, "sdk_string_to_sign": captured[0]["sts"],
                               "sdk_signing_key": captured[0]["key"],
                               "sts_hook": hook_seen[-1] if hook_seen else None,
                               "api": "public generate_*_sas" if use_public else "BlobSharedAccessSignature / "
                                      "SharedAccessSignature with x_ms_version=%s" % job["sv"]})

    if jobs.get("urls") is not None:
        # newest SDK only: URL building, connection-string parsing and permission order
        from azure.storage.blob._shared.base_client import parse_connection_str
        urls = {}
        for u in jobs["urls"]:
            if u["kind"] == "account":
                url = b.BlobServiceClient(u["account_url"], credential=u["token"]).url
            elif u["blob"] is None:
                url = b.ContainerClient(u["account_url"], u["container"], credential=u["token"]).url
            else:
                url = b.BlobClient(u["account_url"], u["container"], u["blob"], snapshot=u.get("snapshot"),
                                   credential=u["token"]).url
            urls[u["key"]] = url
        conns = {}
        for cs in jobs["conn_strings"]:
            primary, _secondary, cred = parse_connection_str(cs, None, "blob")
            if isinstance(cred, dict):
                conns[cs] = {"endpoint": primary, "account": cred["account_name"], "key": cred["account_key"]}
            else:   # UseDevelopmentStorage=true returns only the key; the account is the endpoint's path
                conns[cs] = {"endpoint": primary, "account": urlsplit(primary).path.strip("/"), "key": cred}
        perms = {}
        for cls_name, probes in jobs["perm_probes"].items():
            cls = getattr(b, cls_name)
            perms[cls_name] = {p: str(cls.from_string(p)) for p in probes}
        out["aux"] = {"urls": urls, "conn_strings": conns, "permissions": perms}
    json.dump(out, sys.stdout)


# ---------------------------------------------------------------------------------------------
# Driver
# ---------------------------------------------------------------------------------------------
def ensure_profile(cache, profile):
    target = os.path.join(cache, profile)
    marker = os.path.join(target, ".complete")
    if not os.path.exists(marker):
        os.makedirs(target, exist_ok=True)
        cmd = [sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check", "--no-warn-conflicts",
               "--target", target] + PROFILES[profile]["pip"]
        p = subprocess.run(cmd, capture_output=True, text=True)
        if p.returncode != 0:
            sys.stderr.write(p.stdout + p.stderr)
            sys.exit("pip install failed for azure-storage-blob profile %s" % profile)
        open(marker, "w").close()
    return target


def run_worker(cache, profile, jobs):
    target = ensure_profile(cache, profile)
    env = dict(os.environ, PYTHONPATH=target)
    env.pop("PYTHONHOME", None)
    p = subprocess.run([sys.executable, "-s", os.path.abspath(__file__), "--worker", profile], env=env,
                       input=json.dumps(jobs), capture_output=True, text=True)
    if p.returncode != 0:
        sys.stderr.write(p.stderr)
        sys.exit("SDK worker %s failed" % profile)
    data = json.loads(p.stdout)
    if not data["sdk_file"].startswith(os.path.realpath(target) + os.sep):
        sys.exit("profile %s imported an SDK from outside its cache dir: %s" % (profile, data["sdk_file"]))
    if data["native_sv"] != PROFILES[profile]["native_sv"]:
        sys.exit("profile %s: native sv %s != expected %s" % (profile, data["native_sv"],
                                                             PROFILES[profile]["native_sv"]))
    return data


def udk_snake(camel):
    return {snake: camel[c] for c, snake in UDK_CAMEL_TO_SNAKE if c in camel}


def sign_job(case, R):
    p = R["params"]
    job = {"id": case["id"], "kind": R["kind"], "account": R["account"], "key": R["key"] if not R["udk"] else None,
           "sv": R["sv"], "permission": p.get("sp"), "start": p.get("st"), "expiry": p.get("se"),
           "ip": p.get("sip"), "protocol": p.get("spr"), "encryption_scope": p.get("ses")}
    if R["kind"] == "account":
        job.update(services=p["ss"], resource_types=p["srt"])
    else:
        job.update(container=R["container"], blob=R["blob"], policy_id=p.get("si"), snapshot=R["snapshot"],
                   version_id=R["version_id"], udk=udk_snake(R["udk"]) if R["udk"] else None)
        for _, q, name in RSC_FLAGS:
            job[name] = p.get(q)
    return job


def build_inputs(R):
    """Same schema as `inputs` in Fixtures/azure-sas/sdk-cases.json (what the SDK was given)."""
    p = R["params"]
    d = {"account_name": R["account"]}
    if R["kind"] != "account":
        d["container"] = R["container"]
        if R["blob"] is not None:
            d["blob"] = R["blob"]
    for k in ("snapshot", "version_id"):
        if R[k]:
            d[k] = R[k]
    for name, q in [("permission", "sp"), ("start", "st"), ("expiry", "se"), ("ip", "sip"), ("protocol", "spr"),
                    ("policy_id", "si")] + [(n, q) for _, q, n in RSC_FLAGS] + \
                   [("encryption_scope", "ses"), ("services", "ss"), ("resource_types", "srt")]:
        if p.get(q) is not None:
            d[name] = p[q]
    if R["udk"]:
        d["user_delegation_key"] = udk_snake(R["udk"])
    else:
        d["account_key"] = R["key_ref"]
    return d


REQUIRED_FLAGS = {
    # every flag of `presign azure` / `presign azure-account` in docs/CLI.md (+ --at)
    "azure": ["--method", "--permissions", "--expires", "--expiry", "--start", "--resource", "--https-only", "--ip",
              "--version", "--policy", "--cache-control", "--content-disposition", "--content-encoding",
              "--content-language", "--content-type", "--encryption-scope", "--endpoint", "--user-delegation-key",
              "--at"],
    "azure-account": ["--services", "--resource-types", "--permissions", "--expires", "--expiry", "--start", "--ip",
                      "--https-only", "--at"],
}
ALL_LAYOUTS = ["service-2015-04-05", "service-2018-11-09", "service-2020-12-06", "ud-2018-11-09", "ud-2020-02-10",
               "ud-2020-12-06", "ud-2025-07-05", "ud-2026-04-06", "account-2015-04-05", "account-2020-12-06"]


def env_form(env):
    cs = env.get("AZURE_STORAGE_CONNECTION_STRING")
    if cs is None:
        return "AZURE_STORAGE_ACCOUNT+AZURE_STORAGE_KEY" if env else "none"
    if cs == "UseDevelopmentStorage=true":
        return "UseDevelopmentStorage=true"
    return "connection string with BlobEndpoint" if "BlobEndpoint=" in cs else "connection string with EndpointSuffix"


def coverage(interpreted):
    """Counts per flag / layout / env form; exits when something CLI.md has is not covered."""
    flags = {cmd: {f: 0 for f in fl} for cmd, fl in REQUIRED_FLAGS.items()}
    extra_flags = {}
    values = {"--method": set(), "--resource": set(), "--ip": set()}
    layouts = {l: [] for l in ALL_LAYOUTS}
    envs = {}
    defaults_sv = 0
    for case, R in interpreted:
        opts, _ = parse_args(case["command"], case["cli_args"])
        for f in opts:
            if f in flags[case["command"]]:
                flags[case["command"]][f] += 1
            else:
                extra_flags[case["command"] + " " + f] = extra_flags.get(case["command"] + " " + f, 0) + 1
            if f in values and case["command"] == "azure":
                values[f].add("range" if f == "--ip" and "-" in opts[f] else ("single" if f == "--ip" else opts[f]))
        if "--version" not in opts:
            defaults_sv += 1
        if R["sv"] not in layouts[R["layout"]]:
            layouts[R["layout"]].append(R["sv"])
        envs[env_form(case["env"])] = envs.get(env_form(case["env"]), 0) + 1
    missing = ["%s %s" % (c, f) for c, fl in flags.items() for f, n in fl.items() if n == 0]
    missing += ["--method " + v for v in ("GET", "PUT") if v not in values["--method"]]
    missing += ["--resource " + v for v in ("blob", "container") if v not in values["--resource"]]
    missing += ["--ip " + v for v in ("single", "range") if v not in values["--ip"]]
    missing += ["layout " + l for l, svs in layouts.items() if not svs]
    missing += ["env " + e for e in ("AZURE_STORAGE_ACCOUNT+AZURE_STORAGE_KEY", "connection string with EndpointSuffix",
                                     "connection string with BlobEndpoint", "UseDevelopmentStorage=true")
                if e not in envs]
    if not defaults_sv:
        missing.append("default --version")
    if missing:
        sys.exit("coverage: not covered: " + ", ".join(missing))
    return {"flags_in_cli_md": flags, "flags_beyond_cli_md": dict(sorted(extra_flags.items())),
            "string_to_sign_layouts": {l: sorted(svs, key=_v) for l, svs in layouts.items()},
            "cases_with_default_version": defaults_sv,
            "env_forms": dict(sorted(envs.items()))}


def generate(cache):
    interpreted = []
    jobs_by_profile = {}
    for case in CASES:
        try:
            R = interpret(case)
        except CLIError as e:
            sys.exit("case %s: %s" % (case["id"], e))
        R["profile"] = pick_profile(R["layout"], R["sv"])
        if R["layout"] not in PROFILES[R["profile"]]["layouts"]:
            sys.exit("case %s: no SDK profile for layout %s" % (case["id"], R["layout"]))
        interpreted.append((case, R))
        jobs_by_profile.setdefault(R["profile"], []).append(sign_job(case, R))
    ids = [c["id"] for c in CASES]
    if len(set(ids)) != len(ids):
        sys.exit("duplicate case ids")
    cov = coverage(interpreted)

    results = {}
    for profile in PROFILES:                       # fixed order -> deterministic
        if profile in jobs_by_profile:
            data = run_worker(cache, profile, {"sign": jobs_by_profile[profile]})
            for r in data["results"]:
                results[r["id"]] = r

    # newest SDK: URLs for every case, connection strings, permission order
    url_jobs, conn_strings = [], []
    for case, R in interpreted:
        token = results[case["id"]]["token"]
        for which, base in [("url", "https://%s.blob.core.windows.net" % R["account"]),
                            ("emulator", "http://127.0.0.1:10000/%s" % R["account"]),
                            ("cli", R["endpoint"])]:
            url_jobs.append({"key": case["id"] + "|" + which, "kind": R["kind"], "account_url": base,
                             "container": R["container"], "blob": R["blob"], "snapshot": R["snapshot"],
                             "token": token})
        cs = case["env"].get("AZURE_STORAGE_CONNECTION_STRING")
        if cs and cs not in conn_strings:
            conn_strings.append(cs)
    perm_probes = {"BlobSasPermissions": [], "ContainerSasPermissions": [], "AccountSasPermissions": []}
    for case, R in interpreted:
        sp = R["params"].get("sp")
        if not sp:
            continue
        cls = {"account": "AccountSasPermissions", "service-container": "ContainerSasPermissions",
               "ud-container": "ContainerSasPermissions"}.get(R["kind"], "BlobSasPermissions")
        known = {"BlobSasPermissions": "racwdxyltmei", "ContainerSasPermissions": "racwdxyltfmei",
                 "AccountSasPermissions": "rwdxylacupfti"}[cls]
        if all(ch in known for ch in sp):
            perm_probes[cls].append(sp[::-1])   # typed backwards; the SDK must restore the canonical order
    aux = run_worker(cache, LATEST, {"sign": [], "urls": url_jobs, "conn_strings": conn_strings,
                                     "perm_probes": perm_probes})["aux"]

    failures = []
    for cs in conn_strings:
        mine = parse_conn_str(cs)
        sdk = aux["conn_strings"][cs]
        if (sdk["account"], sdk["key"], sdk["endpoint"].rstrip("/")) != mine:
            failures.append("connection string parse mismatch: %r sdk=%r mine=%r" % (cs, sdk, mine))
    perm_checked = 0
    for cls, probes in aux["permissions"].items():
        for typed, sdk_order in probes.items():
            order = ACCOUNT_ORDER if cls == "AccountSasPermissions" else SERVICE_ORDER
            perm_checked += 1
            if canonical_permissions(typed, order) != sdk_order:
                failures.append("permission order %s(%s): sdk %s" % (cls, typed, sdk_order))

    out_cases = []
    for case, R in interpreted:
        r = results[case["id"]]
        token = r["token"]
        pairs = parse_token(token)
        q = dict(pairs)
        sts = reference_string_to_sign(R)
        sig = hmac_sign(R["key"], sts)
        errs = []
        if len(q) != len(pairs):
            errs.append("repeated parameter in token")
        if r["sdk_string_to_sign"] != sts:
            errs.append("string-to-sign: sdk %r != reference %r" % (r["sdk_string_to_sign"], sts))
        if r["sts_hook"] is not None and r["sts_hook"] != sts:
            errs.append("sts_hook string-to-sign differs")
        if r["sdk_signing_key"] != R["key"]:
            errs.append("SDK signed with another key")
        if q.get("sig") != sig:
            errs.append("signature: sdk %s != reference %s" % (q.get("sig"), sig))
        sdk_params = {k: v for k, v in q.items() if k != "sig"}
        if sdk_params != R["params"]:
            errs.append("parameters: sdk %r != reference %r" % (sdk_params, R["params"]))
        for k, v in case["want"].items():
            if q.get(k) != v:
                errs.append("want %s=%r, sdk has %r" % (k, v, q.get(k)))
        url, emu, cli_url = reference_urls(R, token)
        sdk_urls = [aux["urls"][case["id"] + "|" + w] for w in ("url", "emulator", "cli")]
        if R["version_id"]:   # the SDK has no URL form for a version id: insert it where snapshot= would go
            sdk_urls = [s.replace("?", "?versionid=%s&" % R["version_id"], 1) for s in sdk_urls]
        if [url, emu, cli_url] != sdk_urls:
            errs.append("urls: sdk %r != reference %r" % (sdk_urls, [url, emu, cli_url]))
        if errs:
            failures += ["%s: %s" % (case["id"], e) for e in errs]
            continue
        cli_json = {"provider": "azure"}
        if R["command"] == "azure":
            cli_json["method"] = R["method"]
        cli_json["url"] = cli_url
        cli_json["headers"] = {"x-ms-blob-type": "BlockBlob"} if R["method"] == "PUT" else {}
        cli_json["expiresAt"] = R["params"].get("se")
        expected = {
            "string_to_sign": sts,
            "signature": sig,
            "token": token,
            "query_params_in_sdk_order": pairs,
            "url": url,
            "emulator_style_url": emu,
            "cli_url": cli_url,
            "cli_json_subset": cli_json,
        }
        if R["snapshot"]:
            expected["note"] = "snapshot time is signed but not in the SAS token; the URL carries snapshot= first"
        if R["version_id"]:
            expected["note"] = "version id is signed but not in the SAS token; the URL carries versionid= first"
        out_cases.append({
            "id": case["id"],
            "description": case["description"],
            "command": case["command"],
            "cli_args": case["cli_args"],
            "env": case["env"],
            "user_delegation_key": case.get("udk"),
            "beyond_cli_md": case.get("beyond", []),
            "kind": R["kind"],
            "sv": R["sv"],
            "sv_overridden": R["sv"] != PROFILES[R["profile"]]["native_sv"],
            "string_to_sign_layout": R["layout"],
            "generated_by": "azure-storage-blob==%s" % R["profile"],
            "sdk_api": r["api"],
            "times_passed_as": "datetime",
            "inputs": build_inputs(R),
            "expected": expected,
            "verified": "sdk string-to-sign == reference; sdk sig == HMAC(reference); sdk parameters == "
                        "reference parameters from cli_args; hand-written expectations; sdk URLs == reference URLs",
        })
    if failures:
        for f in failures:
            print("FAIL", f, file=sys.stderr)
        sys.exit("%d cross-check failure(s)" % len(failures))

    used = [p for p in PROFILES if any(c["generated_by"] == "azure-storage-blob==" + p for c in out_cases)]
    doc = {
        "generator": GENERATOR,
        "description": "presign azure / presign azure-account CLI cases. Every expected SAS was produced by "
                       "Microsoft's azure-storage-blob SDK from the inputs the CLI contract (docs/CLI.md) "
                       "derives from cli_args + env, and cross-checked by an independent reference "
                       "implementation in the generator. Times are UTC.",
        "azure_storage_blob_version": LATEST,
        "azure_storage_blob_older_releases": {p: PROFILES[p]["native_sv"] for p in used if p != LATEST},
        "older_releases_note": "azure-storage-blob %s signs only the newest string-to-sign layouts (service and "
                               "account >= 2020-12-06, user delegation >= 2026-04-06) whatever x_ms_version says; "
                               "cases whose --version needs an older layout are signed by the older release "
                               "named in the case's generated_by (x_ms_version set to the requested sv, same "
                               "layout)." % LATEST,
        "constants": {
            "ACCOUNT_KEY": DEV_KEY,
            "ACCOUNT_KEY_note": "publicly documented Azurite / Storage Emulator key of devstoreaccount1",
            "ACCOUNT_KEY_2": KEY2,
            "ACCOUNT_KEY_2_note": "made-up key of the made-up account %s: base64 of "
                                  "random.Random(%d).randbytes(64)" % (ACCOUNT2, KEY2_SEED),
            "USER_DELEGATION_KEY_VALUE_note": "user delegation SAS cases sign with user_delegation_key.value",
            "default_version": DEFAULT_SV,
            "emulator_blob_endpoint": DEV_ENDPOINT,
        },
        "harness": {
            "user_delegation_key": "when not null, write it as JSON to the file named after "
                                   "--user-delegation-key in cli_args (%s, relative to the working directory)"
                                   % UDK_FILE,
            "env": "run with exactly these AZURE_STORAGE_* variables set (and no other AZURE_STORAGE_*)",
            "cli_url": "the URL the CLI prints (the endpoint in effect: --endpoint, the connection string's "
                       "BlobEndpoint / UseDevelopmentStorage, else https://ACCOUNT.blob.core.windows.net)",
            "cli_json_subset": "keys that --json must contain, each with exactly this value (headers compared "
                               "as a whole object; expiresAt null when the SAS has no se). azure-account cases "
                               "assert no method: CLI.md gives none for an account SAS",
            "compare": "the CLI may order SAS parameters differently from the SDK: compare decoded "
                       "query parameters as a set and the signature exactly; the string_to_sign is exact",
            "beyond_cli_md": "non-empty = the case assumes behaviour CLI.md does not spell out (listed)",
        },
        "encoding_rules": {
            "token_value_escaping": "urllib.parse.quote(value, safe='/') in the SDK's token",
            "blob_path_in_url": "quote(blob_name, safe='/~') (container: quote(container)); the canonicalized "
                                "resource uses the decoded name",
            "times": "YYYY-MM-DDThh:mm:ssZ (UTC)",
        },
        "permission_order_checked_against_sdk": aux["permissions"],
        "coverage": cov,
        "cases": out_cases,
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--worker")
    ap.add_argument("--out", default=OUT_DEFAULT)
    ap.add_argument("--check", action="store_true", help="regenerate in memory and diff against --out")
    args = ap.parse_args()
    if args.worker:
        worker(args.worker)
        return
    cache = os.environ.get("AZ_CLI_SDK_CACHE", os.path.join(tempfile.gettempdir(), "presign-azure-cli-sdk-cache"))
    text = generate(cache)
    n = text.count('\n    {\n      "id": ')
    if args.check:
        try:
            with open(args.out, encoding="utf-8") as f:
                old = f.read()
        except FileNotFoundError:
            sys.exit("--check: %s does not exist" % args.out)
        if old != text:
            diff = difflib.unified_diff(old.splitlines(True), text.splitlines(True), args.out, "regenerated")
            sys.stdout.writelines(list(diff)[:200])
            sys.exit("--check: %s differs from a fresh generation" % args.out)
        print("--check: %s is up to date (%d cases)" % (args.out, n))
        return
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(text)
    print("wrote %d cases to %s" % (n, args.out))


if __name__ == "__main__":
    main()

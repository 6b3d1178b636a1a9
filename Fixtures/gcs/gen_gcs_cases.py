#!/usr/bin/env python3
"""Oracle fixtures for `presign gcs`: GCS V4 signed URLs produced by google-cloud-storage.

Usage (any Python >= 3.9; it bootstraps its own environment):

    python3 gen_gcs_cases.py                 # install the LATEST google-cloud-storage + google-auth into a
                                             # venv under /tmp, regenerate gcs-cli-cases.json next to this file
    python3 gen_gcs_cases.py --check         # regenerate in memory with the versions RECORDED in the saved
                                             # JSON and diff against it (exit 1 on any difference)
    python3 gen_gcs_cases.py --check --latest   # same, but against the latest releases
    python3 gen_gcs_cases.py --python PY     # use interpreter PY (must already have the packages); no pip

What it does
------------
* Loads the dummy service-account key published with Google's conformance tests
  (Fixtures/gcs-v4/test_service_account.not-a-test.json; see NOTICE.md there). Some upstream
  revisions of that file miss the comma after the "comment" line; that is repaired in memory.
* Freezes the library's clock (google.cloud.storage._signing._NOW, plus _helpers._NOW and the
  deprecated _signing.NOW) per case.
* Turns each case's `cli_args` (exactly what a user types after `presign gcs`) into inputs following
  docs/CLI.md, maps those inputs onto Blob.generate_signed_url(version="v4", ...) (or
  Bucket.generate_signed_url for a bucket-only URL), and captures the library's own canonical request
  (by shimming the `hashlib` module that google.cloud.storage._signing uses) and string to sign (by
  wrapping credentials.sign_bytes).
* Re-derives canonical request / string to sign / signature / URL with a small independent model of the
  CLI.md contract (stdlib + `cryptography`), and asserts:
    - the library is self-consistent (sha256(canonical request) is in the string to sign, the URL carries
      the canonical query and the signature, the RSA signature verifies);
    - model == library for every case WITHOUT a declared `differs_from_cli_contract`, and model != library
      for every case WITH one (so each recorded divergence stays true);
    - cases with `conformance_test` reproduce that test of Fixtures/gcs-v4/v4_signatures.json.
* Runs the library once over every signingV4Tests entry of v4_signatures.json (mapping hostname /
  clientEndpoint / STORAGE_EMULATOR_HOST / universe domain onto the library's own options) and records
  which outputs match (`conformance_crosscheck`).

No network access is made while signing (the only network use is pip talking to PyPI during bootstrap).
The output is deterministic: running twice gives byte-identical JSON.
"""
import argparse
import datetime
import difflib
import hashlib
import json
import os
import re
import subprocess
import sys
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "gcs-cli-cases.json")
VENV_ROOT_DEFAULT = "/tmp/presign-gcs-oracle"
PACKAGES = ("google-cloud-storage", "google-auth")
KEY_REL = "gcs-v4/test_service_account.not-a-test.json"   # relative to Fixtures/
CONFORMANCE_REL = "gcs-v4/v4_signatures.json"


# ---------------------------------------------------------------------------------------------------
# Bootstrap (runs under any python3): venv under /tmp, then re-run this file inside it as the worker.
# ---------------------------------------------------------------------------------------------------
def _run(cmd):
    print("+ " + " ".join(cmd), file=sys.stderr)
    subprocess.run(cmd, check=True)


def _venv_has(python, pins):
    code = ("import importlib.metadata as m, json, sys; "
            "print(json.dumps({p: m.version(p) for p in sys.argv[1:]}))")
    try:
        out = subprocess.run([python, "-c", code, *pins], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return False
    have = json.loads(out)
    return all(have.get(p) == v for p, v in pins.items())


def ensure_env(venv_root, pins):
    """Return a python interpreter that has google-cloud-storage / google-auth (and cryptography).

    pins None -> latest releases (pip install --upgrade every time); else {"pkg": "version"}."""
    name = "latest" if pins is None else "_".join(f"{p}-{v}" for p, v in sorted(pins.items()))
    venv = os.path.join(venv_root, name)
    python = os.path.join(venv, "bin", "python")
    if not os.path.exists(python):
        os.makedirs(venv_root, exist_ok=True)
        _run([sys.executable, "-m", "venv", venv])
    if pins is None:
        _run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--upgrade",
              *PACKAGES, "cryptography"])
    elif not _venv_has(python, pins):
        _run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
              *[f"{p}=={v}" for p, v in sorted(pins.items())], "cryptography"])
    return python


def bootstrap(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="regenerate in memory and diff against the saved JSON")
    ap.add_argument("--latest", action="store_true",
                    help="with --check: use the latest releases instead of the versions recorded in the JSON")
    ap.add_argument("--python", help="interpreter that already has the packages (skips venv/pip)")
    ap.add_argument("--venv-root", default=VENV_ROOT_DEFAULT, help="where venvs go (default %(default)s)")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        return worker(check=args.check)
    python = args.python
    if python is None:
        pins = None
        if args.check and not args.latest:
            with open(OUT, encoding="utf-8") as f:
                saved = json.load(f)
            pins = {"google-cloud-storage": saved["google_cloud_storage_version"],
                    "google-auth": saved["google_auth_version"]}
        python = ensure_env(args.venv_root, pins)
    cmd = [python, os.path.abspath(__file__), "--worker"] + (["--check"] if args.check else [])
    return subprocess.run(cmd).returncode


# ---------------------------------------------------------------------------------------------------
# Locating the fixtures and loading the key
# ---------------------------------------------------------------------------------------------------
def find_vectors_dir():
    """The repository's Fixtures/ folder (the conformance file and its key are in Fixtures/gcs-v4/)."""
    fixtures = os.path.dirname(HERE)
    if not os.path.exists(os.path.join(fixtures, KEY_REL)):
        sys.exit("cannot find Fixtures/" + KEY_REL)
    return fixtures


_COMMENT_NO_COMMA = re.compile(r'("comment"\s*:\s*"(?:[^"\\]|\\.)*")(\s*\n\s*")')


def load_key_json(text):
    """Parse the service-account JSON; some upstream revisions lack the comma after the "comment" line."""
    try:
        return json.loads(text), False
    except json.JSONDecodeError:
        fixed, n = _COMMENT_NO_COMMA.subn(r"\1,\2", text, count=1)
        if not n:
            raise
        return json.loads(fixed), True


def _selftest_key_repair(text):
    broken = re.sub(r'("comment"\s*:\s*"(?:[^"\\]|\\.)*"),', r"\1", text, count=1)
    assert broken != text or '"comment"' not in text
    if broken != text:
        try:
            json.loads(broken)
            raise AssertionError("comma removal did not break the JSON")
        except json.JSONDecodeError:
            pass
        assert load_key_json(broken) == (json.loads(text), True)


# ---------------------------------------------------------------------------------------------------
# The case table. Each case is what a user types after `presign gcs`; "--at" and "--key-file $KEY_FILE"
# are appended. `divergence` = why google-cloud-storage's output differs from CLI.md (asserted).
# ---------------------------------------------------------------------------------------------------
T = "2024-06-01T12:00:00Z"
B = "example-bucket"
O = "photos/2024/cat.jpg"
G = f"gs://{B}/{O}"
CT = "2019-02-01T09:00:00Z"     # conformance-test timestamp
CG = "gs://test-bucket/test-object"

DIV_DEFAULT_PORT = (
    "CLI.md: 'A default port (80 for http, 443 for https) never appears in a URL or in the signed host'. "
    "google-cloud-storage copies the endpoint's netloc verbatim, so the explicit default port stays in the URL "
    "AND in the signed host header (host:{netloc}). `contract_expected` has the CLI.md form (port dropped in "
    "both). Both are internally consistent; a server only accepts the one whose Host header the client sends.")
DIV_QUERY_SORT = (
    "google-cloud-storage sorts the encoded 'name=value' STRINGS (python-storage PR #48, _signing._url_encode), "
    "not the parameter names: a name that is a prefix of another name followed by a character below '=' "
    "('-', '.', '%', '0'-'9') sorts AFTER the longer name (e.g. 'tag-2=...' < 'tag.3=...' < 'tag=...'). GCS's "
    "canonical-request rules (and CLI.md's model, and every other Google client: Go url.Values.Encode, Node "
    "Object.keys().sort()) sort by name, then value. Same class of bug as boto/boto#1122 and "
    "tedder/requests-aws4auth#21 for SigV4. Which order the GCS server computes is NOT verified here; "
    "`contract_expected` sorts by (name, value).")
DIV_TRAILING_SLASH = (
    "google-cloud-storage builds the URL as api_access_endpoint + resource, so an endpoint given with a trailing "
    "'/' yields '//' after the host in the URL, while the signed canonical path is '/<bucket>/<object>'. The "
    "request path actually sent then differs from the signed one (GCS would reject it). CLI.md's --endpoint is "
    "'scheme, host and port': the '/' path is not part of the host, so `contract_expected` has a single '/'.")


def C(id, description, url, *opts, at=T, divergence=None, conformance=None, note=None):
    return dict(id=id, description=description,
                cli_args=[url, *opts, "--at", at, "--key-file", "$KEY_FILE"],
                divergence=divergence, conformance=conformance, note=note)


CASES = [
    # --- defaults, clock forms, durations ----------------------------------------------------------
    C("get-defaults", "All defaults: GET, 1h, path style, https, storage.googleapis.com", G),
    C("get-at-basic-form", "--at in SigV4 basic form (20240601T120000Z), --expires 15m",
      G, "--method", "GET", "--expires", "15m", at="20240601T120000Z"),
    C("get-at-offset", "--at with a +02:00 RFC 3339 offset (signs 12:00:00Z), --expires 90s",
      G, "--expires", "90s", at="2024-06-01T14:00:00+02:00"),
    C("expires-1s", "Shortest expiry: --expires 1 (plain seconds)", G, "--expires", "1"),
    C("expires-7d", "Longest expiry written with a unit: --expires 7d = 604800", G, "--expires", "7d"),
    C("expires-604800", "Longest expiry in plain seconds, on a leap day", G, "--expires", "604800",
      at="2024-02-29T00:00:00Z"),
    C("expires-12h-date-rollover", "--expires 12h signed one second before New Year (scope date 20231231)",
      G, "--expires", "12h", at="2023-12-31T23:59:59Z"),
    # --- methods ----------------------------------------------------------------------------------------
    C("put-content-type", "PUT with a signed content-type", f"gs://{B}/uploads/report.pdf",
      "--method", "PUT", "--content-type", "application/pdf"),
    C("put-content-type-params", "PUT, content-type with parameters and a space",
      f"gs://{B}/notes/readme.txt", "--method", "PUT", "--content-type", "text/plain; charset=utf-8"),
    C("head", "HEAD", G, "--method", "HEAD"),
    C("head-generation", "HEAD of a given generation", G, "--method", "HEAD",
      "--query", "generation=1717243200123456"),
    C("delete", "DELETE", G, "--method", "DELETE"),
    C("delete-generation", "DELETE a given generation", G, "--method", "DELETE",
      "--query", "generation=1717243200123456"),
    C("post-plain", "POST without x-goog-resumable (signed as given; GCS only accepts POST to start a resumable "
      "upload, so such a URL is refused by the server, not by the signer)", G, "--method", "POST"),
    C("resumable", "RESUMABLE = POST with a signed x-goog-resumable:start", f"gs://{B}/uploads/big.bin",
      "--method", "RESUMABLE"),
    C("resumable-content-type-meta", "RESUMABLE with content-type and a metadata header",
      f"gs://{B}/uploads/big.bin", "--method", "RESUMABLE", "--content-type", "application/octet-stream",
      "--header", "x-goog-meta-owner: alice"),
    # --- headers ------------------------------------------------------------------------------------------
    C("header-upper-case-trim", "Upper-case header names lower-cased; value trimmed and inner runs collapsed",
      G, "--header", "X-Goog-Meta-Owner:   Alice    Smith  ", "--header", "CONTENT-LANGUAGE: en"),
    C("header-tabs", "TABs around and inside a header value collapse to one space",
      G, "--header", "x-goog-meta-tabs:\tabc\t\t\tdef\t"),
    C("header-repeated-name", "The same header twice (name case differs) is signed once, values joined by ','",
      G, "--header", "X-Goog-Meta-Tag: one", "--header", "x-goog-meta-tag: two",
      note="google-cloud-storage takes headers as a dict, so an exactly repeated name cannot be passed; the "
           "second occurrence here differs only in case, which the library lower-cases and joins in order."),
    C("header-colon-in-value", "Only the first ':' splits --header; later colons belong to the value",
      G, "--header", "x-goog-meta-time: 2023-02-10T03:04:05Z"),
    C("header-inline-list", "Comma-separated value with spaces around items (only runs collapse)",
      G, "--header", "x-goog-meta-list:  a ,  b,c  "),
    C("header-range", "A signed Range header (must then be sent exactly)", G,
      "--header", "Range: bytes=0-1023"),
    C("header-slash-in-name", "Header name with '/': literal in canonical headers, %2F in X-Goog-SignedHeaders",
      G, "--header", "x-goog-meta-a/b: v"),
    C("header-csek", "Customer-supplied encryption key headers",
      G, "--header", "X-Goog-Encryption-Algorithm: AES256",
      "--header", "X-Goog-Encryption-Key: AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
      "--header", "X-Goog-Encryption-Key-Sha256: Yw3NKWbEM2aRElRIu7JbT/QSpJxzLbLIq8G4WBvXEN0="),
    C("header-signed-payload", "x-goog-content-sha256 replaces UNSIGNED-PAYLOAD as the payload line",
      f"gs://{B}/hello.txt", "--method", "PUT", "--content-type", "text/plain",
      "--header", "x-goog-content-sha256: 2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"),
    # --- query parameters -------------------------------------------------------------------------------
    C("query-content-disposition", "response-content-disposition with quotes, spaces and ';'",
      G, "--query", 'response-content-disposition=attachment; filename="my report.pdf"'),
    C("query-content-disposition-rfc5987", "RFC 5987 filename* value containing '%' and \"'\"",
      G, "--query", "response-content-disposition=attachment; filename*=UTF-8''na%C3%AFve%20file.txt"),
    C("query-response-multi", "Several user parameters, sorted among the X-Goog-* ones",
      G, "--query", "response-content-type=text/plain; charset=utf-8", "--query", "userProject=my-project",
      "--query", "response-content-disposition=inline"),
    C("query-generation", "generation (object version)", G, "--query", "generation=1717243200123456"),
    C("query-encoding", "Name and value needing encoding (the conformance characters aA0é/=%-_.~)",
      G, "--query", "aA0é/%-_.~=~ ._-%=/é0Aa"),
    C("query-plus-amp-space", "Value with '+', '&', '=' and a space", G, "--query", "note=a+b c&d=e"),
    C("query-empty-value", "name= gives an empty value, still signed as 'name='", G, "--query", "flag="),
    C("query-sort-prefix-names", "Parameter names that are prefixes of each other (tag, tag-2, tag.3)",
      G, "--query", "tag=one", "--query", "tag-2=two", "--query", "tag.3=three", divergence=DIV_QUERY_SORT),
    # --- object names -------------------------------------------------------------------------------------
    C("obj-spaces", "Spaces -> %20 (never '+')", f"gs://{B}/my file name.txt"),
    C("obj-unicode-nfc", "Precomposed é and CJK", f"gs://{B}/caf\u00e9/日本語 ファイル.txt"),
    C("obj-unicode-nfd", "e + U+0301 (different bytes from NFC)", f"gs://{B}/cafe\u0301.txt"),
    C("obj-emoji", "4-byte UTF-8", f"gs://{B}/smile-\U0001F600.png"),
    C("obj-tilde-plus", "'~' stays, '+' -> %2B, '=' -> %3D", f"gs://{B}/~user/a+b=c~.txt"),
    C("obj-question-hash", "'?' and '#' are part of the name (taken literally) -> %3F %23",
      f"gs://{B}/what?#frag.txt"),
    C("obj-percent", "Literal '%' and an already-encoded-looking '%2F' are encoded once",
      f"gs://{B}/100%/already%2Fencoded.txt"),
    C("obj-leading-slash", "Leading '/' in the name gives '//' after the bucket", f"gs://{B}//leading.txt"),
    C("obj-nested-dots-double-slash", "Nested path with '//', './' and '../' kept as is",
      f"gs://{B}/a//b/./c/../d.txt"),
    C("obj-reserved", "Sub-delims and gen-delims are encoded", f"gs://{B}/a:b@c!$&'()*,;=.txt"),
    C("bucket-only-path", "Bucket-level URL (no object; e.g. listing): path /<bucket>", f"gs://{B}",
      note="CLI.md documents gs://BUCKET/OBJECT only; the library signs a bucket-only URL with "
           "Bucket.generate_signed_url (canonical path /<bucket>, or / for the other styles)."),
    C("bucket-only-virtual-hosted", "Bucket-level URL, virtual-hosted style: path /", f"gs://{B}",
      "--url-style", "virtual-hosted",
      note="CLI.md documents gs://BUCKET/OBJECT only; see bucket-only-path."),
    # --- URL styles, schemes, endpoints, universe domain -------------------------------------------
    C("virtual-hosted", "Virtual-hosted style: <bucket>.storage.googleapis.com, path /<object>",
      G, "--url-style", "virtual-hosted"),
    C("virtual-hosted-http", "Virtual-hosted style over http", G, "--url-style", "virtual-hosted",
      "--scheme", "http"),
    C("virtual-hosted-dotted-bucket", "Virtual-hosted with a dotted bucket name (signed as given)",
      "gs://my.dotted.bucket/a.txt", "--url-style", "virtual-hosted"),
    C("path-http", "--scheme http with path style", G, "--scheme", "http"),
    C("bucket-bound-https", "Bucket-bound hostname, default scheme https",
      G, "--url-style", "bucket-bound-hostname", "--bucket-bound-hostname", "cdn.example.com"),
    C("bucket-bound-http", "Bucket-bound hostname over http", G, "--url-style", "bucket-bound-hostname",
      "--bucket-bound-hostname", "cdn.example.com", "--scheme", "http"),
    C("bucket-bound-port", "Bucket-bound hostname with a non-default port (kept in URL and signed host)",
      G, "--url-style", "bucket-bound-hostname", "--bucket-bound-hostname", "cdn.example.com:8443"),
    C("bucket-bound-default-port", "Bucket-bound hostname written with the default port :443",
      G, "--url-style", "bucket-bound-hostname", "--bucket-bound-hostname", "cdn.example.com:443",
      divergence=DIV_DEFAULT_PORT.format(netloc="cdn.example.com:443")),
    C("endpoint-localhost-9199", "Emulator-style endpoint with a non-default port: host:localhost:9199 signed",
      G, "--endpoint", "http://localhost:9199"),
    C("endpoint-localhost-9199-put", "PUT with content-type through an http endpoint with a port",
      f"gs://{B}/uploads/report.pdf", "--method", "PUT", "--content-type", "application/pdf",
      "--endpoint", "http://localhost:9199"),
    C("endpoint-localhost-9199-virtual", "Virtual-hosted style on a custom endpoint: bucket prefixed to host:port",
      G, "--endpoint", "http://localhost:9199", "--url-style", "virtual-hosted"),
    C("endpoint-ipv6-port", "IPv6 literal endpoint with a port", G, "--endpoint", "http://[::1]:9199"),
    C("endpoint-https-custom-port", "https endpoint on port 8443", G, "--endpoint",
      "https://storage.example.internal:8443"),
    C("endpoint-https-default-port", "https endpoint written with the default port :443",
      G, "--endpoint", "https://storage.googleapis.com:443",
      divergence=DIV_DEFAULT_PORT.format(netloc="storage.googleapis.com:443")),
    C("endpoint-http-default-port", "http endpoint written with the default port :80",
      G, "--endpoint", "http://127.0.0.1:80", divergence=DIV_DEFAULT_PORT.format(netloc="127.0.0.1:80")),
    C("endpoint-trailing-slash", "Endpoint given with a trailing '/'",
      G, "--endpoint", "http://localhost:9199/", divergence=DIV_TRAILING_SLASH),
    C("universe-domain", "--universe-domain: host storage.<domain>", G, "--universe-domain", "my-universe.example"),
    C("universe-domain-virtual-hosted", "Universe domain with virtual-hosted style",
      G, "--universe-domain", "my-universe.example", "--url-style", "virtual-hosted"),
    C("universe-domain-http", "Universe domain over http", G, "--universe-domain", "my-universe.example",
      "--scheme", "http"),
    # --- everything at once ---------------------------------------------------------------------------
    C("kitchen-sink", "PUT, content-type, several headers and query params, virtual-hosted, 7d",
      f"gs://{B}/dir/sub dir/fïle+1.txt", "--method", "PUT", "--expires", "7d", "--content-type",
      "text/csv", "--header", "X-Goog-Meta-Project:  Apollo  11 ", "--header", "x-goog-acl: private",
      "--query", "userProject=billing-proj", "--query", "response-content-disposition=attachment",
      "--url-style", "virtual-hosted"),
    # --- Google's conformance tests, written as CLI invocations ---------------------------------------
    C("conf-simple-get", "conformance: Simple GET", CG, "--expires", "10", at=CT, conformance="Simple GET"),
    C("conf-simple-put", "conformance: Simple PUT", CG, "--method", "PUT", "--expires", "10", at=CT,
      conformance="Simple PUT"),
    C("conf-resumable", "conformance: POST for resumable uploads (via --method RESUMABLE)", CG,
      "--method", "RESUMABLE", "--expires", "10", at=CT, conformance="POST for resumable uploads"),
    C("conf-vary-expiration", "conformance: Vary expiration and timestamp", CG, "--expires", "20",
      at="2019-03-01T09:00:00Z", conformance="Vary expiration and timestamp"),
    C("conf-vary-bucket-object", "conformance: Vary bucket and object", "gs://test-bucket2/test-object2",
      "--expires", "10", at=CT, conformance="Vary bucket and object"),
    C("conf-slashes", "conformance: Slashes in object name should not be URL encoded",
      "gs://test-bucket/path/with/slashes/under_score/amper&sand/file.ext",
      "--header", "header/name/with/slash: should-be-encoded", "--expires", "10", at=CT,
      conformance="Slashes in object name should not be URL encoded"),
    C("conf-forward-slashes", "conformance: Forward Slashes should not be stripped",
      "gs://test-bucket//path/with/slashes/under_score/amper&sand/file.ext", "--expires", "10", at=CT,
      conformance="Forward Slashes should not be stripped"),
    C("conf-simple-headers", "conformance: Simple headers", CG, "--header", "BAR: BAR-value",
      "--header", "foo: foo-value", "--expires", "10", at=CT, conformance="Simple headers"),
    C("conf-headers-colons", "conformance: Headers with colons", CG, "--header", "BAR: 2023-02-10T03:",
      "--header", "foo: 2023-02-10T02:00:00Z", "--expires", "10", at=CT, conformance="Headers with colons"),
    C("conf-headers-trimmed", "conformance: Headers should be trimmed", CG,
      "--header", "collapsed: abc    def", "--header", "leading:     xyz", "--header", "trailing: abc    ",
      "--header", "tabs: \tabc\t\t\t\tdef\t", "--expires", "10", at=CT, conformance="Headers should be trimmed"),
    C("conf-header-inline-values", "conformance: Header value with multiple inline values", CG,
      "--header", "multiple:  xyz ,  abc, def  , xyz   ", "--expires", "10", at=CT,
      conformance="Header value with multiple inline values"),
    C("conf-csek", "conformance: Customer-supplied encryption key", CG,
      "--header", "X-Goog-Encryption-Algorithm: AES256", "--header", "X-Goog-Encryption-Key: key",
      "--header", "X-Goog-Encryption-Key-Sha256: key-hash", "--expires", "10", at=CT,
      conformance="Customer-supplied encryption key"),
    C("conf-list-objects", "conformance: List Objects (bucket-only URL)", "gs://test-bucket", "--expires", "10",
      at=CT, conformance="List Objects"),
    C("conf-query-ordering", "conformance: Query Parameter Ordering", CG, "--query", "prefix=/foo",
      "--query", "X-Goog-Meta-Foo=bar", "--expires", "10", at=CT, conformance="Query Parameter Ordering"),
    C("conf-header-ordering", "conformance: Header Ordering", CG, "--header", "X-Goog-Date: 20190201T090000Z",
      "--expires", "10", at=CT, conformance="Header Ordering"),
    C("conf-signed-payload", "conformance: Signed Payload Instead of UNSIGNED-PAYLOAD", CG, "--method", "PUT",
      "--header", "X-Goog-Content-SHA256: 2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b982",
      "--header", "X-TestCaseMetadata-Payload-Value: hello", "--expires", "10", at=CT,
      conformance="Signed Payload Instead of UNSIGNED-PAYLOAD"),
    C("conf-virtual-hosted", "conformance: Virtual Hosted Style", CG, "--url-style", "virtual-hosted",
      "--expires", "10", at=CT, conformance="Virtual Hosted Style"),
    C("conf-bucket-bound-http", "conformance: HTTP Bucket Bound Hostname Support", CG,
      "--url-style", "bucket-bound-hostname", "--bucket-bound-hostname", "mydomain.tld", "--scheme", "http",
      "--expires", "10", at=CT, conformance="HTTP Bucket Bound Hostname Support"),
    C("conf-bucket-bound-https", "conformance: HTTPS Bucket Bound Hostname Support", CG,
      "--url-style", "bucket-bound-hostname", "--bucket-bound-hostname", "mydomain.tld",
      "--expires", "10", at=CT, conformance="HTTPS Bucket Bound Hostname Support"),
    C("conf-hostname", "conformance: Simple GET with hostname (as --endpoint https://storage.googleapis.com)", CG,
      "--endpoint", "https://storage.googleapis.com", "--expires", "10", at=CT,
      conformance="Simple GET with hostname"),
    C("conf-emulator-host", "conformance: Emulator host (as --endpoint https://xyz.googleapis.com)", CG,
      "--endpoint", "https://xyz.googleapis.com", "--expires", "10", at=CT, conformance="Emulator host"),
    C("conf-universe-domain", "conformance: Universe domain", CG, "--universe-domain", "domain.com",
      "--expires", "10", at=CT, conformance="Universe domain"),
    C("conf-universe-domain-virtual", "conformance: Universe domain with virtual hosted style", CG,
      "--universe-domain", "domain.com", "--url-style", "virtual-hosted", "--expires", "10", at=CT,
      conformance="Universe domain with virtual hosted style"),
    C("conf-endpoint-8080", "conformance inputs of 'Endpoint on client with scheme' (http://localhost:8080)", CG,
      "--endpoint", "http://localhost:8080", "--expires", "10", at=CT,
      conformance="Endpoint on client with scheme",
      note="google-cloud-storage and CLI.md both sign host:localhost:8080; the conformance test signs "
           "host:localhost (googleapis/conformance-tests#90), so the URL/canonical request/string to sign "
           "here deliberately do NOT equal that test's (CLI.md names this the known exception)."),
    C("conf-endpoint-443", "conformance inputs of 'Simple GET with endpoint on client' "
      "(storage.googleapis.com:443)", CG, "--endpoint", "https://storage.googleapis.com:443", "--expires", "10",
      at=CT, conformance="Simple GET with endpoint on client",
      divergence=DIV_DEFAULT_PORT.format(netloc="storage.googleapis.com:443"),
      note="Three different answers: the conformance test keeps ':443' in the URL but signs "
           "host:storage.googleapis.com; google-cloud-storage keeps ':443' in both; CLI.md drops it from both."),
]

# Conformance tests whose inputs the CLI cannot express, or that are covered above under other inputs.
CONFORMANCE_NOT_EXPRESSIBLE = {
    "Query Parameter Encoding": "its parameter NAME contains '=' ('aA0é/=%-_.~'), which `--query name=value` "
                                "(split at the first '=') cannot carry; case query-encoding uses the same "
                                "characters with the '=' moved into the value",
    "Simple GET with non-default hostname": "`hostname` option (no CLI flag); same inputs as conf-endpoint-8080",
    "Endpoint on client takes precedence over emulator": "emulator variable has no CLI flag; same signed "
                                                        "inputs as conf-endpoint-8080",
    "Hostname takes precendence over endpoint and emulator": "`hostname` option and emulator variable have no "
                                                            "CLI flag; same signed inputs as conf-emulator-host",
}


# ---------------------------------------------------------------------------------------------------
# CLI.md argument parsing -> inputs
# ---------------------------------------------------------------------------------------------------
_DUR = re.compile(r"^(\d+)(ms|s|m|h|d)?$")
_UNIT = {None: 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
SEVEN_DAYS = 604800


def parse_duration(s):
    m = _DUR.match(s)
    if not m:
        raise ValueError(f"bad duration {s!r}")
    n, unit = int(m.group(1)), m.group(2)
    if unit == "ms":
        if n % 1000:
            raise ValueError("GCS expirations are whole seconds")
        return n // 1000
    return n * _UNIT[unit]


def parse_at(s):
    if re.fullmatch(r"\d{8}T\d{6}Z", s):
        dt = datetime.datetime.strptime(s, "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.timezone.utc)
    else:
        dt = datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))
        if dt.tzinfo is None:
            raise ValueError("--at needs a zone")
    return dt.astimezone(datetime.timezone.utc)


def parse_cli_lenient(argv):
    return parse_cli(argv, check_limits=False)


def parse_cli(argv, check_limits=True):
    url, rest = argv[0], argv[1:]
    assert url.startswith("gs://"), url
    bucket, sep, obj = url[len("gs://"):].partition("/")
    inp = dict(bucket=bucket, object=obj if sep else None, method="GET", expiration=3600, content_type=None,
               headers=[], query_parameters=[], url_style="path", bucket_bound_hostname=None, scheme=None,
               endpoint=None, universe_domain=None, timestamp=None)
    i = 0
    while i < len(rest):
        flag, val = rest[i], rest[i + 1]
        i += 2
        if flag == "--method":
            assert val in ("GET", "PUT", "HEAD", "DELETE", "POST", "RESUMABLE"), val
            inp["method"] = val
        elif flag == "--expires":
            inp["expiration"] = parse_duration(val)
        elif flag == "--content-type":
            inp["content_type"] = val
        elif flag == "--header":
            name, colon, value = val.partition(":")
            assert colon, val
            inp["headers"].append([name, value])
        elif flag == "--query":
            name, eq, value = val.partition("=")
            assert eq, val
            inp["query_parameters"].append([name, value])
        elif flag == "--url-style":
            assert val in ("path", "virtual-hosted", "bucket-bound-hostname"), val
            inp["url_style"] = val
        elif flag == "--bucket-bound-hostname":
            inp["bucket_bound_hostname"] = val
        elif flag == "--scheme":
            assert val in ("http", "https"), val
            inp["scheme"] = val
        elif flag == "--endpoint":
            inp["endpoint"] = val
        elif flag == "--universe-domain":
            inp["universe_domain"] = val
        elif flag == "--at":
            inp["timestamp"] = parse_at(val).strftime("%Y-%m-%dT%H:%M:%SZ")
        elif flag == "--key-file":
            assert val == "$KEY_FILE"
        else:
            raise ValueError(flag)
    assert inp["timestamp"], "every case passes --at"
    assert not check_limits or 1 <= inp["expiration"] <= SEVEN_DAYS
    assert (inp["url_style"] == "bucket-bound-hostname") == (inp["bucket_bound_hostname"] is not None)
    # Resolved scheme: explicit --scheme, else the endpoint's, else https (CLI.md defaults).
    if inp["scheme"] is None:
        inp["scheme"] = urllib.parse.urlsplit(inp["endpoint"]).scheme if inp["endpoint"] else "https"
    elif inp["endpoint"]:
        raise ValueError("cases do not combine --scheme with --endpoint")
    return inp


# ---------------------------------------------------------------------------------------------------
# Independent model of CLI.md (stdlib + cryptography)
# ---------------------------------------------------------------------------------------------------
_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")
_DEFAULT_PORT = {"http": "80", "https": "443"}


def enc(s, keep_slash=False):
    return "".join(chr(c) if (c in _UNRESERVED or (keep_slash and c == 0x2F)) else "%%%02X" % c
                   for c in s.encode("utf-8"))


def drop_default_port(netloc, scheme):
    host, colon, port = netloc.rpartition(":")
    if colon and not port.endswith("]") and port == _DEFAULT_PORT[scheme]:
        return host
    return netloc


def model(inp, email, sign):
    """CLI.md's contract: returns dict(canonical_request, string_to_sign, signature, url)."""
    ts = datetime.datetime.strptime(inp["timestamp"], "%Y-%m-%dT%H:%M:%SZ")
    xdate, date = ts.strftime("%Y%m%dT%H%M%SZ"), ts.strftime("%Y%m%d")
    scheme = inp["scheme"]
    if inp["url_style"] == "bucket-bound-hostname":
        netloc = inp["bucket_bound_hostname"]
    elif inp["endpoint"]:
        netloc = urllib.parse.urlsplit(inp["endpoint"]).netloc   # scheme, host and port only
    else:
        netloc = "storage." + (inp["universe_domain"] or "googleapis.com")
    netloc = drop_default_port(netloc, scheme)
    obj = inp["object"]
    if inp["url_style"] == "path":
        path = "/" + inp["bucket"] + ("/" + enc(obj, True) if obj is not None else "")
    else:
        path = "/" + (enc(obj, True) if obj is not None else "")
        if inp["url_style"] == "virtual-hosted":
            netloc = inp["bucket"] + "." + netloc
    method = inp["method"]
    raw_headers = list(inp["headers"])
    if inp["content_type"] is not None:
        raw_headers.append(["Content-Type", inp["content_type"]])
    raw_headers.append(["host", netloc])
    if method == "RESUMABLE":
        method = "POST"
        raw_headers.append(["x-goog-resumable", "start"])
    headers = {}
    for name, value in raw_headers:
        headers.setdefault(name.strip(" \t").lower(), []).append(
            re.sub(r"[ \t\r\n\v\f]+", " ", value).strip(" "))
    names = sorted(headers)
    signed = ";".join(names)
    canon_headers = "".join(f"{n}:{','.join(headers[n])}\n" for n in names)
    scope = f"{date}/auto/storage/goog4_request"
    q = [("X-Goog-Algorithm", "GOOG4-RSA-SHA256"), ("X-Goog-Credential", f"{email}/{scope}"),
         ("X-Goog-Date", xdate), ("X-Goog-Expires", str(inp["expiration"])), ("X-Goog-SignedHeaders", signed)]
    q += [tuple(p) for p in inp["query_parameters"]]
    cq = "&".join(f"{k}={v}" for k, v in sorted((enc(k), enc(v)) for k, v in q))
    payload = ",".join(headers.get("x-goog-content-sha256", ["UNSIGNED-PAYLOAD"]))
    creq = "\n".join([method, path, cq, canon_headers, signed, payload])
    sts = "\n".join(["GOOG4-RSA-SHA256", xdate, scope, hashlib.sha256(creq.encode("utf-8")).hexdigest()])
    sig = sign(sts.encode("utf-8")).hex()
    return dict(canonical_request=creq, string_to_sign=sts, signature=sig,
                url=f"{scheme}://{netloc}{path}?{cq}&X-Goog-Signature={sig}")


# ---------------------------------------------------------------------------------------------------
# Worker: runs inside the environment that has google-cloud-storage
# ---------------------------------------------------------------------------------------------------
def worker(check):
    for k in list(os.environ):   # keep the environment from steering the library
        if k.startswith(("GOOGLE_", "CLOUDSDK_", "GCLOUD_")) or k in (
                "STORAGE_EMULATOR_HOST", "API_ENDPOINT_OVERRIDE", "API_VERSION_OVERRIDE"):
            del os.environ[k]

    import importlib.metadata as md

    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding
    from google.cloud import storage
    from google.cloud.storage import _helpers, _signing
    from google.oauth2 import service_account

    gcs_version, auth_version = md.version("google-cloud-storage"), md.version("google-auth")
    vectors = find_vectors_dir()
    with open(os.path.join(vectors, KEY_REL), encoding="utf-8") as f:
        key_text = f.read()
    _selftest_key_repair(key_text)
    info, repaired = load_key_json(key_text)
    if repaired:
        print("note: repaired the missing comma after the key file's \"comment\" line", file=sys.stderr)
    email = info["client_email"]
    pkey = serialization.load_pem_private_key(info["private_key"].encode(), password=None)

    def rsa_sign(msg):
        return pkey.sign(msg, padding.PKCS1v15(), hashes.SHA256())

    def rsa_verify(sig, msg):
        pkey.public_key().verify(sig, msg, padding.PKCS1v15(), hashes.SHA256())

    # -- capture hooks ------------------------------------------------------------------------------
    if getattr(_signing, "hashlib", None) is not hashlib or not hasattr(_signing, "_NOW"):
        sys.exit("google.cloud.storage._signing no longer has module-level `hashlib` / `_NOW`; "
                 "update the capture hooks in this script")
    hashed = []

    class _HashShim:
        @staticmethod
        def sha256(data=b""):
            hashed.append(bytes(data))
            return hashlib.sha256(data)

    _signing.hashlib = _HashShim
    frozen = [None]

    def fake_now(tz=None):
        return frozen[0] if tz is not None else frozen[0].replace(tzinfo=None)

    _signing._NOW = fake_now
    _helpers._NOW = fake_now
    _signing.NOW = lambda: frozen[0].replace(tzinfo=None)

    base_creds = service_account.Credentials.from_service_account_info(info)

    def make_creds(universe_domain):
        creds = base_creds.with_universe_domain(universe_domain) if universe_domain else base_creds
        signed = []
        orig = creds.sign_bytes

        def sign_bytes(message):
            signed.append(message if isinstance(message, bytes) else message.encode("utf-8"))
            return orig(message)

        creds.sign_bytes = sign_bytes
        return creds, signed

    def call_sdk(frozen_at, universe_domain, client_endpoint, emulator, bucket, obj, kwargs):
        """Returns (url, canonical_request, string_to_sign, signature)."""
        frozen[0] = frozen_at
        creds, signed = make_creds(universe_domain)
        opts = {}
        if universe_domain:
            opts["universe_domain"] = universe_domain
        if client_endpoint:
            opts["api_endpoint"] = client_endpoint
        if emulator:
            os.environ["STORAGE_EMULATOR_HOST"] = emulator
        try:
            client = storage.Client(project="dummy-project-id", credentials=creds, client_options=opts or None)
            target = client.bucket(bucket)
            if obj is not None:
                target = target.blob(obj)
            del hashed[:]
            url = target.generate_signed_url(version="v4", credentials=creds, **kwargs)
        finally:
            os.environ.pop("STORAGE_EMULATOR_HOST", None)
        assert len(hashed) == 1 and len(signed) == 1, (len(hashed), len(signed))
        creq, sts = hashed[0].decode("ascii"), signed[0].decode("ascii")
        sig = rsa_sign(signed[0]).hex()
        return url, creq, sts, sig

    with open(os.path.join(vectors, CONFORMANCE_REL), encoding="utf-8") as f:
        conformance = {t["description"]: t for t in json.load(f)["signingV4Tests"]}

    # -- cases ------------------------------------------------------------------------------------------
    out_cases, seen = [], set()
    problems = []
    for case in CASES:
        cid = case["id"]
        assert cid not in seen, cid
        seen.add(cid)
        inp = parse_cli(case["cli_args"])
        kwargs = {"expiration": inp["expiration"], "method": inp["method"]}
        if inp["content_type"] is not None:
            if inp["object"] is not None:
                kwargs["content_type"] = inp["content_type"]
        hdrs = {}
        for name, value in inp["headers"]:
            if name in hdrs:
                raise ValueError(f"{cid}: the library takes headers as a dict; exact repeats are inexpressible")
            hdrs[name] = value
        if inp["content_type"] is not None and inp["object"] is None:
            hdrs["Content-Type"] = inp["content_type"]   # Bucket.generate_signed_url has no content_type
        if hdrs:
            kwargs["headers"] = hdrs
        if inp["query_parameters"]:
            qp = {}
            for name, value in inp["query_parameters"]:
                assert name not in qp, f"{cid}: repeated query names are inexpressible in the library"
                qp[name] = value
            kwargs["query_parameters"] = qp
        ud = inp["universe_domain"]
        if inp["url_style"] == "bucket-bound-hostname":
            kwargs["bucket_bound_hostname"] = inp["bucket_bound_hostname"]
            kwargs["scheme"] = inp["scheme"]          # the library's own default is "http"
        else:
            if inp["endpoint"]:
                kwargs["api_access_endpoint"] = inp["endpoint"]
            elif inp["scheme"] != "https":            # the library only takes a scheme via the endpoint URL
                kwargs["api_access_endpoint"] = f"{inp['scheme']}://storage.{ud or 'googleapis.com'}"
            if inp["url_style"] == "virtual-hosted":
                kwargs["virtual_hosted_style"] = True
        at = datetime.datetime.strptime(inp["timestamp"], "%Y-%m-%dT%H:%M:%SZ").replace(
            tzinfo=datetime.timezone.utc)
        # Copy: the library mutates the headers dict it is given (adds Host, Content-Type, ...).
        call_kwargs = json.loads(json.dumps(kwargs))
        url, creq, sts, sig = call_sdk(at, ud, None, None, inp["bucket"], inp["object"], call_kwargs)

        # library self-consistency
        lines = creq.split("\n")
        assert sts.split("\n")[-1] == hashlib.sha256(creq.encode()).hexdigest(), cid
        assert sts.split("\n")[1] == at.strftime("%Y%m%dT%H%M%SZ"), f"{cid}: clock not frozen"
        assert url.endswith("&X-Goog-Signature=" + sig), cid
        rsa_verify(bytes.fromhex(sig), sts.encode())
        u = urllib.parse.urlsplit(url)
        assert u.query == lines[2] + "&X-Goog-Signature=" + sig, cid
        path_ok = u.path == lines[1]
        if not path_ok:
            assert case["divergence"] == DIV_TRAILING_SLASH, f"{cid}: URL path {u.path!r} != signed {lines[1]!r}"

        sdk = dict(canonical_request=creq, string_to_sign=sts, signature=sig, url=url)
        ref = model(inp, email, rsa_sign)
        agree = ref == sdk
        if case["divergence"] and agree:
            problems.append(f"{cid}: declared divergence but the library now agrees with CLI.md's model")
        if not case["divergence"] and not agree:
            problems.append(f"{cid}: library != model\n  sdk   {sdk}\n  model {ref}")

        conf_note = None
        if case["conformance"]:
            t = conformance[case["conformance"]]
            same = (creq == t["expectedCanonicalRequest"], sts == t["expectedStringToSign"],
                    url == t["expectedUrl"])
            if case["conformance"] == "Universe domain with virtual hosted style":
                assert same == (False, True, True), (cid, same)
                conf_note = ("string to sign and URL equal the conformance test's; its printed "
                             "expectedCanonicalRequest is a known upstream erratum (path /test-bucket/test-object "
                             "instead of /test-object, see Fixtures/gcs-v4/NOTICE.md)")
            elif case["id"] in ("conf-endpoint-8080", "conf-endpoint-443"):
                assert same == (False, False, False), (cid, same)
            else:
                if not all(same):
                    problems.append(f"{cid}: does not reproduce conformance test {case['conformance']!r}: {same}")

        rec = {"id": cid, "description": case["description"], "cli_args": case["cli_args"], "inputs": inp,
               "sdk_call": {"target": "Blob" if inp["object"] is not None else "Bucket",
                            "client_options": {"universe_domain": ud} if ud else {},
                            "generate_signed_url_kwargs": dict(version="v4", **kwargs)},
               "expected": sdk}
        if case["divergence"]:
            rec["differs_from_cli_contract"] = case["divergence"]
            rec["contract_expected"] = ref
        if case["conformance"]:
            rec["conformance_test"] = case["conformance"]
            if conf_note:
                rec["conformance_note"] = conf_note
        if case["note"]:
            rec["note"] = case["note"]
        out_cases.append(rec)

    # -- rejected inputs (the CLI must fail with exit 2 and print nothing) ---------------------------
    rejected = []
    for rid, desc, opts, kwargs, note in [
        ("expires-604801", "one second over 7 days", ["--expires", "604801"], {"expiration": 604801}, None),
        ("expires-8d", "--expires 8d", ["--expires", "8d"], {"expiration": 8 * 86400}, None),
        ("header-non-ascii-value", "a header value outside ASCII", ["--header", "x-goog-meta-name: café"],
         {"expiration": 3600, "headers": {"x-goog-meta-name": " café"}},
         "google-cloud-storage encodes the canonical request as ASCII, so any non-ASCII header value raises "
         "(non-ASCII object names and query parameters are fine: they are percent-encoded first). CLI.md does "
         "not say; a CLI that signs UTF-8 header bytes instead has no oracle here."),
    ]:
        cli = [G, *opts, "--at", T, "--key-file", "$KEY_FILE"]
        assert parse_cli_lenient(cli)
        try:
            call_sdk(parse_at(T), None, None, None, B, O, kwargs)
            err = None
        except Exception as e:   # noqa: BLE001 - the message is the point
            err = f"{type(e).__name__}: {e}"
        assert err, rid
        rec = {"id": rid, "description": desc, "cli_args": cli, "sdk_error": err}
        if note:
            rec["note"] = note
        rejected.append(rec)

    # -- conformance cross-check through the library's own options ---------------------------------
    cross = []
    for desc, t in conformance.items():
        scheme = t.get("scheme")
        kwargs = {"expiration": t["expiration"], "method": t["method"]}
        if t.get("headers"):
            kwargs["headers"] = dict(t["headers"])
        if t.get("queryParameters"):
            kwargs["query_parameters"] = dict(t["queryParameters"])
        style = t.get("urlStyle", "PATH_STYLE")
        if style == "VIRTUAL_HOSTED_STYLE":
            kwargs["virtual_hosted_style"] = True
        elif style == "BUCKET_BOUND_HOSTNAME":
            kwargs["bucket_bound_hostname"] = t["bucketBoundHostname"]
            kwargs["scheme"] = scheme or "https"
        mapping = []
        if t.get("hostname"):
            kwargs["api_access_endpoint"] = f"{scheme or 'https'}://{t['hostname']}"
            mapping.append("hostname -> api_access_endpoint=<scheme>://<hostname>")
        client_ep = t.get("clientEndpoint")
        if client_ep and "://" not in client_ep:
            client_ep = f"{scheme or 'https'}://{client_ep}"
            mapping.append("scheme-less clientEndpoint given the test's scheme")
        if client_ep:
            mapping.append("clientEndpoint -> client_options.api_endpoint")
        if t.get("emulatorHostname"):
            mapping.append("emulatorHostname -> STORAGE_EMULATOR_HOST")
        if t.get("universeDomain"):
            mapping.append("universeDomain -> client_options.universe_domain")
        at = datetime.datetime.strptime(t["timestamp"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
        url, creq, sts, _ = call_sdk(at, t.get("universeDomain"), client_ep, t.get("emulatorHostname"),
                                      t["bucket"], t.get("object"), kwargs)
        entry = {"description": desc,
                 "url_matches": url == t["expectedUrl"],
                 "canonical_request_matches": creq == t["expectedCanonicalRequest"],
                 "string_to_sign_matches": sts == t["expectedStringToSign"]}
        if mapping:
            entry["mapping"] = mapping
        if not all((entry["url_matches"], entry["canonical_request_matches"], entry["string_to_sign_matches"])):
            entry["sdk_url"] = url
            entry["sdk_host_line"] = next(line for line in creq.split("\n") if line.startswith("host:"))
        cross.append(entry)
    n_full = sum(1 for e in cross if e["url_matches"] and e["canonical_request_matches"]
                 and e["string_to_sign_matches"])

    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1

    doc = {
        "generator": "Fixtures/gcs/gen_gcs_cases.py",
        "google_cloud_storage_version": gcs_version,
        "google_auth_version": auth_version,
        "key_file": KEY_REL,
        "notes": [
            "cli_args: the argv a user types after `presign gcs`; $KEY_FILE stands for Fixtures/" + KEY_REL,
            "inputs: what CLI.md makes of cli_args. headers / query_parameters are [name, value] lists in "
            "command-line order, split at the first ':' / '=' and not yet trimmed; expiration is seconds; "
            "timestamp is --at in UTC; scheme is resolved (--scheme, else the endpoint's, else https); "
            "content_type is --content-type (signed as content-type).",
            "expected: google-cloud-storage's output with the clock frozen at inputs.timestamp. canonical_request "
            "and string_to_sign are captured from inside the library, signature is RSASSA-PKCS1-v1_5/SHA-256 hex.",
            "Every case without differs_from_cli_contract was also re-derived by an independent model of CLI.md "
            "and matched byte for byte; cases with it also carry contract_expected (that model's output: "
            "self-computed, not an oracle).",
            "sdk_call: how the inputs were passed to the library (Blob/Bucket.generate_signed_url).",
        ],
        "cases": out_cases,
        "rejected": rejected,
        "conformance_crosscheck": {
            "what": "google-cloud-storage run over every signingV4Tests entry of Fixtures/" + CONFORMANCE_REL
                    + " using its own options",
            "fully_matching": f"{n_full}/{len(cross)}",
            "not_expressible_as_cli_args": CONFORMANCE_NOT_EXPRESSIBLE,
            "tests": cross,
        },
    }
    text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    print(f"{len(out_cases)} cases ({sum(1 for c in out_cases if 'differs_from_cli_contract' in c)} divergent), "
          f"{len(rejected)} rejected, conformance {n_full}/{len(cross)}; google-cloud-storage {gcs_version}, "
          f"google-auth {auth_version}", file=sys.stderr)
    if check:
        with open(OUT, encoding="utf-8") as f:
            old = f.read()
        if old == text:
            print("OK: " + os.path.basename(OUT) + " is up to date", file=sys.stderr)
            return 0
        sys.stdout.writelines(difflib.unified_diff(old.splitlines(True), text.splitlines(True),
                                                   "saved", "regenerated"))
        return 1
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(text)
    print("wrote " + OUT, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(bootstrap(sys.argv[1:]))

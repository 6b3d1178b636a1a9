"""Tests of the Adobe IMS / Lightroom API stand-in (lightroom_standin.py): IMS token rules, gateway auth
errors, request validation against Adobe's schemas (every request body of
Fixtures/lightroom/examples.json), jobs end to end against a tiny local storage server, scripted
faults and the request log.

    python3 -m pytest -q -p no:cacheprovider Tests/StandIns/test_lightroom_standin.py

The stand-in runs as a subprocess on a free port (--port 0); it needs Adobe's schemas from
Fixtures/lightroom/, and every test fails, naming them, when they are missing.
"""
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from standin_testing import FIXTURES, HERE, Response, require_fixture  # noqa: E402

LR_DIR = os.path.join(FIXTURES, "lightroom")
ACR = os.path.join(LR_DIR, "cis-photoshop-api-docs", "static", "acr")
EXAMPLES = os.path.join(LR_DIR, "examples.json")


@pytest.fixture(autouse=True)
def _fixtures_present():
    require_fixture(ACR)
    require_fixture(EXAMPLES)


CLIENT_ID, SECRET = "presign-test-client", "presign-test-secret+&=/"
SCOPE = "openid,AdobeID,read_organizations"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
if os.path.exists(EXAMPLES):
    with open(EXAMPLES) as _f:
        EXAMPLE_REQUESTS = json.load(_f)["requests"]
else:
    EXAMPLE_REQUESTS = []


class LightroomStandIn:
    def __init__(self, *extra):
        self.proc = subprocess.Popen([sys.executable, "-B", os.path.join(HERE, "lightroom_standin.py"),
                                      "--host", "127.0.0.1", "--port", "0", *extra],
                                     stderr=subprocess.PIPE, text=True)
        line = self.proc.stderr.readline()
        assert line.startswith("lightroom_standin: listening on http://127.0.0.1:"), line
        self.port = int(line.strip().rsplit(":", 1)[1])
        self.base = "http://127.0.0.1:%d" % self.port

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)
        self.proc.stderr.close()

    def request(self, method, target, body=None, headers=None):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            c.request(method, target, body=body, headers=headers or {})
            return Response(c.getresponse())
        finally:
            c.close()

    def token_request(self, body, headers=FORM, query=""):
        return self.request("POST", "/ims/token/v3" + query, body, headers)

    def token(self):
        r = self.token_request(urllib.parse.urlencode({"grant_type": "client_credentials", "client_id": CLIENT_ID,
                                                       "client_secret": SECRET, "scope": SCOPE}))
        assert r.status == 200, r.body
        return r.json()["access_token"]

    def api(self, method, path, body=None, token=None, key=CLIENT_ID, ctype="application/json"):
        headers = {"Content-Type": ctype} if body is not None else {}
        if token:
            headers["Authorization"] = "Bearer " + token
        if key:
            headers["x-api-key"] = key
        data = json.dumps(body) if isinstance(body, (dict, list)) else body
        return self.request(method, path, data, headers)

    def control(self, method, target, obj=None):
        return self.request(method, target, json.dumps(obj) if obj is not None else None)

    def wait(self, status_url, token, timeout=10):
        seen, deadline = [], time.monotonic() + timeout
        path = urllib.parse.urlsplit(status_url).path
        while time.monotonic() < deadline:
            body = self.api("GET", path, token=token).json()
            states = [o["status"] for o in body["outputs"]]
            if not seen or seen[-1] != states:
                seen.append(states)
            if all(s in ("succeeded", "failed") for s in states):
                return body, seen
            time.sleep(0.02)
        raise AssertionError("job did not finish: %s" % seen)


@pytest.fixture(scope="module")
def lr():
    inst = LightroomStandIn("--allow-http-loopback", "--loopback-only", "--step", "0.1")
    yield inst
    inst.stop()


@pytest.fixture(autouse=True)
def clean(lr):
    lr.control("DELETE", "/__faults")
    lr.control("DELETE", "/__attempts")


# ---- tiny storage server ----------------------------------------------------------------------------
class Storage(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def _answer(self, status, data=b""):
        self.send_response(status)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        st = self.server.store
        st["gets"].append(self.path)
        if self.path.startswith("/flaky") and st["flaky"] > 0:
            st["flaky"] -= 1
            return self._answer(503)
        data = st["files"].get(self.path.split("?")[0])
        self._answer(200, data) if data is not None else self._answer(404)

    def do_PUT(self):
        st = self.server.store
        data = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        st["uploads"].append((self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, data))
        if self.path.startswith("/refuse"):
            return self._answer(403)
        st["files"][self.path.split("?")[0]] = data
        self._answer(201)

    do_POST = do_PUT


@pytest.fixture
def storage():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Storage)
    srv.daemon_threads = True
    srv.store = {"files": {"/in/photo.jpg": b"\xff\xd8 jpeg bytes \x00\x01", "/in/preset.xmp": b"<x/>"},
                 "gets": [], "uploads": [], "flaky": 0}
    srv.base = "http://127.0.0.1:%d" % srv.server_address[1]
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield srv
    srv.shutdown()
    srv.server_close()


def autotone(src, *outputs):
    return {"inputs": {"href": src, "storage": "external"},
            "outputs": [{"href": h, "storage": s, "type": "image/jpeg"} for h, s in outputs]}


# ---- IMS ---------------------------------------------------------------------------------------------
def test_token_success(lr):
    r = lr.token_request(urllib.parse.urlencode({"grant_type": "client_credentials", "client_id": CLIENT_ID,
                                                 "client_secret": SECRET, "scope": SCOPE}))
    assert r.status == 200
    body = r.json()
    assert body["access_token"].startswith("lr-test-") and body["token_type"] == "bearer"
    assert body["expires_in"] == 86399
    # scope in the query string works too
    q = "?" + urllib.parse.urlencode({"scope": SCOPE})
    r = lr.token_request(urllib.parse.urlencode({"grant_type": "client_credentials", "client_id": CLIENT_ID,
                                                 "client_secret": SECRET}), query=q)
    assert r.status == 200, r.body


@pytest.mark.parametrize("fields,status,error", [
    ({"client_id": "someone-else"}, 400, "invalid_client"),
    ({"client_id": None}, 400, "invalid_client"),
    ({"client_secret": "wrong"}, 401, "invalid_client"),
    ({"grant_type": "authorization_code"}, 400, "unsupported_grant_type"),
    ({"scope": "openid,AdobeID"}, 400, "invalid_scope"),
    ({"scope": None}, 400, "invalid_scope"),
])
def test_token_errors(lr, fields, status, error):
    form = {"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": SECRET, "scope": SCOPE}
    form.update(fields)
    r = lr.token_request(urllib.parse.urlencode({k: v for k, v in form.items() if v is not None}))
    assert (r.status, r.json()["error"]) == (status, error)
    assert r.json()["error_description"]


def test_secret_must_be_form_encoded(lr):
    raw = "grant_type=client_credentials&client_id=%s&client_secret=%s&scope=%s" % (CLIENT_ID, SECRET, SCOPE)
    r = lr.token_request(raw)
    assert (r.status, r.json()["error"]) == (401, "invalid_client")
    r = lr.token_request(raw.replace(SECRET, urllib.parse.quote(SECRET, safe="")))
    assert r.status == 200


def test_token_expiry():
    inst = LightroomStandIn("--token-ttl", "1")
    try:
        token = inst.token()
        assert inst.api("GET", "/lrService/status/nope", token=token).status == 404
        time.sleep(1.2)
        r = inst.api("GET", "/lrService/status/nope", token=token)
        assert (r.status, r.json()) == (401, {"error_code": "401013", "message": "Oauth token is not valid"})
    finally:
        inst.stop()


# ---- gateway auth ------------------------------------------------------------------------------------
def test_api_auth_errors(lr):
    body = autotone("https://example.com/in.jpg", ("https://example.com/out.jpg", "external"))
    token = lr.token()
    for tok in (None, "lr-test-made-up"):
        r = lr.api("POST", "/lrService/autoTone", body, token=tok)
        assert (r.status, r.json()) == (401, {"error_code": "401013", "message": "Oauth token is not valid"})
    r = lr.api("POST", "/lrService/autoTone", body, token=token, key=None)
    assert (r.status, r.json()) == (403, {"error_code": "403000", "message": "Api Key is required"})
    r = lr.api("POST", "/lrService/autoTone", body, token=token, key="another-key")
    assert (r.status, r.json()) == (403, {"error_code": "403003", "message": "Api Key is invalid"})
    r = lr.api("GET", "/lrService/status/unknown-job", token=token)
    assert r.status == 404


# ---- validation: Adobe's verdicts --------------------------------------------------------------------
def schema_errors(schema_file, body):
    """Errors of `body` against one of Adobe's schemas (siblings resolved as gen_lightroom.py does)."""
    from jsonschema import Draft7Validator
    from referencing import Registry
    from referencing.jsonschema import DRAFT7
    reg = Registry()
    for fn in os.listdir(ACR):
        with open(os.path.join(ACR, fn)) as f:
            reg = reg.with_resource(fn, DRAFT7.create_resource(json.loads(f.read(), strict=False)))
    path = schema_file if os.path.isabs(schema_file) else os.path.join(ACR, schema_file)
    with open(path) as f:
        return [e.message for e in Draft7Validator(json.loads(f.read(), strict=False), registry=reg).iter_errors(body)]


@pytest.mark.parametrize("case", EXAMPLE_REQUESTS, ids=[c["id"] for c in EXAMPLE_REQUESTS])
def test_examples_agree_with_adobe_schemas(lr, case):
    token = lr.token()
    if not case["endpoint"].startswith("POST "):       # the 202 answer example: ours has the same shape
        r = lr.api("POST", "/lrService/autoTone", autotone("https://example.com/a.jpg",
                                                          ("https://example.com/b.jpg", "external")), token=token)
        assert r.status == 202
        assert schema_errors(os.path.basename(case["schema"]), r.json()) == []
        assert set(case["body"]) == set(r.json()) and set(r.json()["_links"]["self"]) == {"href"}
        return
    r = lr.api("POST", case["endpoint"].split(" ", 1)[1], case["body"], token=token)
    if case["valid"]:
        assert r.status == 202, r.body
        assert r.json()["_links"]["self"]["href"].startswith(lr.base + "/lrService/status/")
    else:
        assert r.status == 400, r.body
        body = r.json()
        assert (body["type"], body["title"], body["code"]) == (
            "InputValidationError", "request parameters didn't validate", "400")
        assert body["details"]["name"] and body["details"]["reason"] and body["details"]["errors"]
        assert schema_errors(os.path.join(os.path.dirname(ACR), "api_response_400_error_schema.json"), body) == []


def test_details_name_the_field(lr):
    token = lr.token()
    body = autotone("https://example.com/a.jpg", ("https://example.com/b.jpg", "external"))
    body["outputs"][0]["quality"] = 13
    r = lr.api("POST", "/lrService/autoTone", body, token=token)
    assert r.json()["details"]["name"] == "outputs[0].quality"
    r = lr.api("POST", "/lrService/autoTone", "{not json", token=token)
    assert r.status == 400 and r.json()["type"] == "InputValidationError"


def test_http_loopback_only_with_flag(lr):
    body = autotone("http://127.0.0.1:9/in.jpg", ("http://localhost:9/out.jpg", "azure"))
    assert lr.api("POST", "/lrService/autoTone", body, token=lr.token()).status == 202
    other = autotone("http://127.0.0.1.example.com/in.jpg", ("https://example.com/out.jpg", "external"))
    assert lr.api("POST", "/lrService/autoTone", other, token=lr.token()).status == 400
    strict = LightroomStandIn()
    try:
        r = strict.api("POST", "/lrService/autoTone", body, token=strict.token())
        assert r.status == 400 and r.json()["details"]["name"] == "inputs.href"
    finally:
        strict.stop()


# ---- jobs end to end ---------------------------------------------------------------------------------
def status_schema_errors(body):
    return schema_errors("get_status.schema.json", body)


def submit(lr, path, body):
    token = lr.token()
    r = lr.api("POST", path, body, token=token)
    assert r.status == 202, r.body
    return lr.wait(r.json()["_links"]["self"]["href"], token)


def test_job_succeeds_and_copies_bytes(lr, storage):
    src, out = storage.base + "/in/photo.jpg", storage.base + "/out/photo.jpg?sig=a%2Bb"
    body, seen = submit(lr, "/lrService/autoTone", autotone(src, (out, "external")))
    assert seen[0] == ["pending"] and ["running"] in seen and seen[-1] == ["succeeded"]
    assert storage.store["files"]["/out/photo.jpg"] == storage.store["files"]["/in/photo.jpg"]
    method, path, headers, _ = storage.store["uploads"][0]
    assert (method, path) == ("PUT", "/out/photo.jpg?sig=a%2Bb")
    assert "content-type" not in headers and "x-ms-blob-type" not in headers
    assert body["outputs"][0]["input"] == src
    assert body["outputs"][0]["_links"]["self"] == {"href": out, "storage": "external"}
    assert body["jobId"] in body["_links"]["self"]["href"] and body["created"] and body["modified"]
    assert status_schema_errors(body) == []


def test_storage_specific_uploads(lr, storage):
    src = storage.base + "/in/photo.jpg"
    body, _ = submit(lr, "/lrService/edit", {
        "inputs": {"source": {"href": src, "storage": "external"}}, "options": {"Exposure": 1.25},
        "outputs": [{"href": storage.base + "/az/out.jpg", "storage": "azure", "type": "image/jpeg"},
                    {"href": storage.base + "/dbx/out.jpg", "storage": "dropbox", "type": "image/png"}]})
    assert [o["status"] for o in body["outputs"]] == ["succeeded", "succeeded"]
    ups = {u[1]: u for u in storage.store["uploads"]}
    assert ups["/az/out.jpg"][0] == "PUT" and ups["/az/out.jpg"][2]["x-ms-blob-type"] == "BlockBlob"
    assert ups["/dbx/out.jpg"][0] == "POST"
    assert ups["/dbx/out.jpg"][2]["content-type"] == "application/octet-stream"


def test_presets_fetch_source_and_presets(lr, storage):
    body, _ = submit(lr, "/lrService/presets", {
        "inputs": {"source": {"href": storage.base + "/in/photo.jpg", "storage": "external"},
                   "presets": [{"href": storage.base + "/in/preset.xmp", "storage": "external"}]},
        "outputs": [{"href": storage.base + "/out/p.jpg", "storage": "external", "type": "image/jpeg"}]})
    assert body["outputs"][0]["status"] == "succeeded"
    assert "/in/preset.xmp" in storage.store["gets"]


def test_unreadable_input_fails(lr, storage):
    body, _ = submit(lr, "/lrService/autoTone", autotone(storage.base + "/in/missing.jpg",
                                                         (storage.base + "/out/a.jpg", "external"),
                                                         (storage.base + "/out/b.jpg", "azure")))
    for o in body["outputs"]:
        assert o["status"] == "failed"
        assert o["errors"] == {"type": "FileLinkInvalidError", "code": "410", "title":
                               "Unable to download the input href. The link is either invalid or has expired.",
                               "details": [{"name": "href", "reason": "404"}]}
    assert storage.store["uploads"] == []
    assert status_schema_errors(body) == []


def test_input_read_is_retried(lr, storage):
    storage.store["files"]["/flaky.jpg"], storage.store["flaky"] = b"abc", 3
    body, _ = submit(lr, "/lrService/autoTone", autotone(storage.base + "/flaky.jpg",
                                                         (storage.base + "/out/f.jpg", "external")))
    assert body["outputs"][0]["status"] == "succeeded" and storage.store["gets"].count("/flaky.jpg") == 4
    storage.store["gets"].clear()
    storage.store["flaky"] = 4
    body, _ = submit(lr, "/lrService/autoTone", autotone(storage.base + "/flaky.jpg",
                                                         (storage.base + "/out/f.jpg", "external")))
    assert body["outputs"][0]["errors"]["details"] == [{"name": "href", "reason": "503"}]
    assert storage.store["gets"].count("/flaky.jpg") == 4


def test_refused_output_fails_auth_forbidden(lr, storage):
    body, _ = submit(lr, "/lrService/autoTone", autotone(storage.base + "/in/photo.jpg",
                                                         (storage.base + "/refuse/x.jpg", "external"),
                                                         (storage.base + "/out/ok.jpg", "external")))
    bad, good = body["outputs"]
    assert bad["status"] == "failed" and good["status"] == "succeeded"
    assert bad["errors"] == {"type": "AuthForbidden", "title": "Unable to upload the outputs", "code": "403",
                             "details": [{"name": "href", "reason": "403"}]}


def test_loopback_only_does_not_contact_other_hosts(lr):
    body, _ = submit(lr, "/lrService/autoTone", autotone("https://example.invalid/in.jpg",
                                                         ("https://example.invalid/out.jpg", "external")))
    assert body["outputs"][0]["errors"]["details"][0]["reason"] == "not fetched: --loopback-only"


# ---- faults and the request log ----------------------------------------------------------------------
def test_fault_queue_then_normal(lr):
    token = lr.token()
    body = autotone("https://example.com/a.jpg", ("https://example.com/b.jpg", "external"))
    r = lr.control("POST", "/__faults", {"path": "/lrService/autoTone", "responses": [{"status": 503}]})
    assert r.status == 200 and r.json()["queued"] == {"/lrService/autoTone": 1}
    r = lr.api("POST", "/lrService/autoTone", body, token=token)
    assert r.status == 503 and r.json() == {"type": "InternalServerError", "title": "Internal server error",
                                            "code": "503"}
    assert lr.api("POST", "/lrService/autoTone", body, token=token).status == 202
    a = lr.control("GET", "/__attempts?path=/lrService/autoTone").json()
    assert a["count"] == 2 and a["methods"] == ["POST", "POST"] and a["times"][0] <= a["times"][1]
    assert len(a["wall_times"]) == 2


def test_fault_429_retry_after_and_ims_faults(lr):
    lr.control("POST", "/__faults", {"path": "/ims/token/v3",
                                     "responses": [{"status": 429, "retry_after": "2"}, {"status": 502}]})
    r = lr.token_request("x=1")
    assert r.status == 429 and r.headers["retry-after"] == "2" and r.json()["code"] == "429"
    r = lr.token_request("x=1")
    assert r.status == 502 and r.json()["error"] == "server_error"
    assert lr.token()
    assert lr.control("GET", "/__attempts?path=/ims/").json()["count"] == 3


def test_fault_drop_and_delay(lr):
    token = lr.token()
    lr.control("POST", "/__faults", {"path": "/lrService/status/",
                                     "responses": [{"drop": True}, {"delay": 0.5}]})
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError, socket.timeout)):
        lr.api("GET", "/lrService/status/x", token=token)
    t0 = time.monotonic()
    assert lr.api("GET", "/lrService/status/x", token=token).status == 404
    assert time.monotonic() - t0 >= 0.45
    assert lr.control("GET", "/__attempts?path=/lrService/status/").json()["count"] == 2
    lr.control("POST", "/__faults", {"path": "/lrService/", "responses": [{"status": 500}]})
    assert lr.control("DELETE", "/__faults").status == 200
    assert lr.api("GET", "/lrService/status/x", token=token).status == 404


def test_requests_last_and_attempts_reset(lr):
    form = urllib.parse.urlencode({"grant_type": "client_credentials", "client_id": CLIENT_ID,
                                   "client_secret": SECRET, "scope": SCOPE})
    lr.token_request(form, headers={"Content-Type": "application/x-www-form-urlencoded", "X-Trace": "t1"})
    last = lr.control("GET", "/__requests/last?path=/ims/token/v3").json()
    assert last["method"] == "POST" and last["path"] == "/ims/token/v3" and last["body"] == form
    assert last["headers"]["x-trace"] == "t1"
    assert lr.control("GET", "/__requests/last?path=/lrService/").status == 404
    assert lr.control("DELETE", "/__attempts").status == 200
    assert lr.control("GET", "/__attempts").json() == {"count": 0, "times": [], "wall_times": [], "methods": []}


def test_expire_tokens_control(lr):
    token = lr.token()
    assert lr.control("POST", "/__expire_tokens").status == 200
    assert lr.api("GET", "/lrService/status/x", token=token).status == 401

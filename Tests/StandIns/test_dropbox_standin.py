"""Tests of the Dropbox stand-in (dropbox_standin.py): the SDK wire vectors replayed against it, then links,
single use, ranges, expiry, refresh, faults, PUT -> 405 and Expect: 100-continue.

    python3 -m pytest -q Tests/StandIns/test_dropbox_standin.py

Each stand-in runs as a subprocess on a free port (--port 0).  The vectors are read from
Fixtures/dropbox/sdk-requests.json; the replay tests fail, naming it, when that file is missing.  If the `dropbox` SDK happens to be importable, one more
test drives the real SDK against the stand-in.
"""
import base64
import hashlib
import http.client
import json
import os
import re
import sys
import time
import urllib.parse

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from standin_testing import (  # noqa: E402
    FIXTURES, Response, StandInProcess, answers_health, read_answer, read_head, require_fixture, standins_fixture)

VECTORS = os.path.join(FIXTURES, "dropbox", "sdk-requests.json")
TOKEN, READONLY = "sl.TEST-ACCESS-TOKEN", "sl.TEST-READONLY-TOKEN"
LINK, UPLOAD_LINK, OAUTH = "/2/files/get_temporary_link", "/2/files/get_temporary_upload_link", "/oauth2/token"
MiB = 1024 * 1024


def dropbox_hash(data):
    """Independent Dropbox content hash for the checks."""
    blocks = [hashlib.sha256(data[i:i + 4 * MiB]).digest() for i in range(0, len(data), 4 * MiB)]
    return hashlib.sha256(b"".join(blocks)).hexdigest()


class StandIn(StandInProcess):
    script, name = "dropbox_standin.py", "dropbox-standin"

    def rpc(self, route, arg, token=TOKEN, ctype="application/json", conn=None):
        headers = {"Content-Type": ctype}
        if token is not None:
            headers["Authorization"] = "Bearer " + token
        body = arg if isinstance(arg, (bytes, str)) else json.dumps(arg)
        return self.request("POST", route, body, headers, conn)

    def seed(self, path, data):
        r = self.request("PUT", "/__files" + urllib.parse.quote(path), data)
        assert r.status == 200, r.body
        return r.json()

    def read(self, path):
        return self.request("GET", "/__files" + urllib.parse.quote(path))

    def link_for(self, path, token=TOKEN):
        r = self.rpc(LINK, {"path": path}, token)
        assert r.status == 200, r.body
        return r.json()

    def upload_link(self, commit_info, duration=None):
        arg = {"commit_info": commit_info}
        if duration is not None:
            arg["duration"] = duration
        r = self.rpc(UPLOAD_LINK, arg)
        assert r.status == 200, r.body
        link = r.json()["link"]
        assert re.fullmatch(re.escape(self.base) + r"/content/apitul/1/[A-Za-z0-9_-]+", link), link
        return urllib.parse.urlsplit(link).path

    def upload(self, path, data, ctype="application/octet-stream", method="POST"):
        return self.request(method, path, data, {"Content-Type": ctype})


standins = standins_fixture(StandIn, "dropbox")


@pytest.fixture
def dbx(standins):
    return standins()


@pytest.fixture
def short(standins):
    return standins("--link-ttl", "1", "--upload-link-ttl", "1", "--token-ttl", "1")


# ---- replay of the SDK wire vectors ---------------------------------------------------------------

def load_vectors():
    if not os.path.exists(VECTORS):
        return None
    with open(VECTORS) as f:
        return {s["scenario"]: s for s in json.load(f)["scenarios"]}


VECTOR_SET = load_vectors()
REFRESH_APP = ("--refresh-token", "REFRESH-TOKEN", "--app-key", "APPKEY", "--app-secret", "APPSECRET")
# scenario -> (stand-in options, setup(inst), request bodies to send instead of the recorded one)
SCENARIOS = {
    "get_temporary_link-success": ((), lambda i: i.seed("/Lightroom/in/photo.jpg", os.urandom(2048)), None),
    "get_temporary_link-409-path-not_found": ((), None, None),
    "get_temporary_link-409-unsupported_file": ((), lambda i: i.seed("/Lightroom/in/doc.gdoc", b"{}"), None),
    "get_temporary_upload_link-overwrite-3600s": ((), None, None),
    "get_temporary_upload_link-defaults": ((), None, None),
    # The SDK refuses duration=30 itself; the server must refuse it too.
    "get_temporary_upload_link-duration-too-small-client-side": ((), None, None),
    "401-expired_access_token-refresh-then-retry": (
        REFRESH_APP, lambda i: (i.seed("/Lightroom/in/photo.jpg", b"x" * 2048),
                                i.control({"tokens": [{"access_token": "sl.OLD", "expires_in": 0}]})), None),
    "refresh-before-first-call-pkce-no-secret": (
        ("--pkce", "--refresh-token", "REFRESH-TOKEN", "--app-key", "APPKEY"),
        lambda i: i.seed("/Lightroom/in/photo.jpg", b"x" * 2048), None),
    "refresh-invalid_grant": (("--app-key", "APPKEY", "--app-secret", "S"), None, None),
    # The recorded token must be unknown / read-only to the stand-in for these two.
    "401-invalid_access_token": (("--token", "sl.SOMETHING-ELSE"), None, None),
    "401-missing_scope": (("--token", "sl.SOMETHING-ELSE", "--readonly-token", TOKEN), None, None),
    "429-json-too_many_requests-then-success": (
        (), lambda i: (i.seed("/x.jpg", b"x"), i.control(
            {"route": LINK, "responses": [{"status": 429, "retry_after": 300, "json": True}]})), None),
    "429-plain-text-Retry-After-header-no-retry": (
        (), lambda i: i.control({"route": LINK, "responses": [{"status": 429, "retry_after": 7, "json": False}]}),
        None),
    "client-side-path-validation-no-request": ((), None, None),
    # The canned 400 quotes path 'x.jpg' (the SDK never sends it): send that path to get that answer.
    "400-bad-input-plain-text-from-server": ((), None, ['{"path": "x.jpg"}']),
    "500-retried-then-success": (
        (), lambda i: (i.seed("/x.jpg", b"x"), i.control(
            {"route": LINK, "responses": [{"status": 500}, {"status": 503}]})), None),
}
NO_REQUEST_STAND_INS = {   # what the server answers to the inputs the SDK rejects client-side
    "get_temporary_upload_link-duration-too-small-client-side": (
        UPLOAD_LINK, '{"commit_info": {"path": "/a.jpg"}, "duration": 30.0}',
        "request body: duration: 30.000000 is not greater than 60.000000"),
    "client-side-path-validation-no-request": (
        LINK, '{"path": "photo.jpg"}', "request body: path: 'photo.jpg' did not match pattern"),
}


def assert_same_shape(got, want, where="$"):
    if isinstance(want, dict):
        assert isinstance(got, dict) and set(got) == set(want), "%s: keys %s != %s" % (where, got, want)
        for k in want:
            assert_same_shape(got[k], want[k], where + "." + k)
    else:
        assert type(got) is type(want), "%s: %r is not like %r" % (where, got, want)


def assert_matches_canned(r, canned):
    assert r.status == canned["status"], (r.status, r.body)
    if canned["content_type"] == "application/json":
        assert r.ctype == "application/json"      # exactly: the SDK compares the header verbatim
        got, want = r.json(), json.loads(canned["body"])
        if {"metadata", "link", "access_token"} & set(want):
            assert_same_shape(got, want)
        else:
            summary_got, summary_want = got.pop("error_summary", None), want.pop("error_summary", None)
            assert got == want
            assert (summary_got or "").rstrip(".") == (summary_want or "").rstrip(".")
    else:
        assert r.ctype.startswith("text/plain") and canned["content_type"].startswith("text/plain")
        assert r.text == canned["body"]
    for name, value in canned["headers"].items():
        assert r.headers[name.lower()] == value


def test_every_vector_scenario_has_a_replay():
    require_fixture(VECTORS)
    assert set(VECTOR_SET) == set(SCENARIOS)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_replay_sdk_vector(standins, name):
    require_fixture(VECTORS)
    scenario = VECTOR_SET[name]
    options, setup, bodies = SCENARIOS[name]
    inst = standins(*options)                                      # (reset: empty log and fault queues)
    if setup:
        setup(inst)
    if not scenario["requests_sent"]:
        route, body, message = NO_REQUEST_STAND_INS[name]
        r = inst.rpc(route, body)
        assert r.status == 400 and r.ctype == "text/plain; charset=utf-8"
        assert r.text.startswith('Error in call to API function "%s": %s' % (route[3:], message))
        return
    sent, issued = [], None
    for i, req in enumerate(scenario["requests_sent"]):
        headers = {k.replace(" (added by requests)", ""): v for k, v in req["headers"].items()}
        if issued and headers.get("Authorization") == "Bearer sl.NEW-TOKEN":
            headers["Authorization"] = "Bearer " + issued      # the token this stand-in issued instead
        body = bodies[i] if bodies else req["body"]
        path = urllib.parse.urlsplit(req["url"]).path
        r = inst.request(req["method"], path, body.encode(), headers)
        assert_matches_canned(r, scenario["canned_responses"][i])
        if path == OAUTH and r.status == 200:
            issued = r.json()["access_token"]
            assert issued.startswith("sl.") and r.json()["expires_in"] == 14400
        if path == LINK and r.status == 200:
            link = r.json()["link"]
            assert re.fullmatch(re.escape(inst.base) + r"/content/get/[A-Za-z0-9_-]+/[^/]+", link), link
            meta = r.json()["metadata"]
            assert re.fullmatch(r"id:[A-Za-z0-9_-]{22}", meta["id"]) and re.fullmatch(r"[0-9a-f]{9,}", meta["rev"])
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", meta["server_modified"])
            data = inst.read(meta["path_display"]).body
            assert meta["size"] == len(data) and meta["content_hash"] == dropbox_hash(data)
            assert inst.request("GET", urllib.parse.urlsplit(link).path).body == data
        sent.append((req["method"], path, body, headers))
    logged = [e for e in inst.log() if not e["path"].startswith("/content/")]
    assert len(logged) == len(sent)
    for entry, (method, path, body, headers) in zip(logged, sent):
        assert (entry["method"], entry["path"], entry["body"]) == (method, path, body)
        assert set(headers.items()) <= {tuple(h) for h in entry["headers"]}


# ---- get_temporary_link ---------------------------------------------------------------------------

def test_metadata_and_path_forms(dbx):
    meta = dbx.seed("/Photos/Trip/IMG 1.jpg", b"abc")
    for path in ("/photos/TRIP/img 1.jpg", meta["id"], "rev:" + meta["rev"], "ns:1/Photos/Trip/IMG 1.jpg"):
        got = dbx.link_for(path)["metadata"]
        assert got == meta, path
    assert meta["path_lower"] == "/photos/trip/img 1.jpg" and meta["name"] == "IMG 1.jpg"


@pytest.mark.parametrize("path,tag", [
    ("/Photos", "not_file"), ("/", "not_file"), ("/nothing.jpg", "not_found"), ("ns:99/a.jpg", "not_found"),
    ("id:AAAAAAAAAAAAAAAAAAAAAA", "not_found"), ("rev:0123456789", "not_found"), ("/a//b.jpg", "malformed_path"),
    ("/Photos/", "malformed_path"), ("/a/../b", "malformed_path"), ("id:", "malformed_path")])
def test_lookup_errors(dbx, path, tag):
    dbx.seed("/Photos/p.jpg", b"x")
    r = dbx.rpc(LINK, {"path": path})
    assert r.status == 409 and r.ctype == "application/json"
    assert r.json() == {"error_summary": "path/%s/.." % tag, "error": {".tag": "path", "path": {".tag": tag}}}


@pytest.mark.parametrize("arg,message", [
    (b"{nope", "request body: could not decode input as JSON"),
    ({}, "request body: missing required field 'path'"),
    ({"path": None}, "request body: path: 'None' expected to be a string, got null"),
    ({"path": "/a", "extra": 1}, "request body: unknown field 'extra'"),
    ({"path": "rev:123"}, "request body: path: 'rev:123' did not match pattern")])
def test_link_bad_input(dbx, arg, message):
    r = dbx.rpc(LINK, arg)
    assert r.status == 400 and r.ctype == "text/plain; charset=utf-8"
    assert r.text.startswith('Error in call to API function "files/get_temporary_link": ' + message)


def test_content_type_and_auth_rules(dbx):
    dbx.seed("/a.txt", b"a")
    assert dbx.rpc(LINK, {"path": "/a.txt"}, ctype="application/json; charset=utf-8").status == 200
    for ctype in ("text/plain", "application/x-www-form-urlencoded", ""):
        r = dbx.rpc(LINK, {"path": "/a.txt"}, ctype=ctype)
        assert r.status == 400 and 'Bad HTTP "Content-Type" header: "%s".' % ctype in r.text
    r = dbx.rpc(LINK, {"path": "/a.txt"}, token=None)
    assert r.status == 400 and r.text.endswith('Must provide HTTP header "Authorization" or URL parameter "authorization".')
    r = dbx.request("POST", LINK, '{"path": "/a.txt"}', {"Authorization": "Basic eHg6eXk=",
                                                          "Content-Type": "application/json"})
    assert r.status == 400 and 'Invalid authorization value in HTTP header "Authorization"' in r.text
    r = dbx.rpc(LINK, {"path": "/a.txt"}, token="sl.UNKNOWN")
    assert (r.status, r.ctype) == (401, "application/json")
    assert r.json() == {"error_summary": "invalid_access_token/..", "error": {".tag": "invalid_access_token"}}
    assert dbx.rpc(LINK, {"path": "/a.txt"}, token=READONLY).status == 200
    r = dbx.rpc(UPLOAD_LINK, {"commit_info": {"path": "/b.txt"}}, token=READONLY)
    assert r.status == 401 and r.json()["error"] == {".tag": "missing_scope", "required_scope": "files.content.write"}
    r = dbx.request("GET", LINK)
    assert r.status == 405 and r.headers["allow"] == "POST"


# ---- download links -------------------------------------------------------------------------------

def test_download_link_get_head_range(dbx):
    data = bytes(range(256)) * 4
    link = urllib.parse.urlsplit(dbx.link_for(dbx.seed("/Caf\u00e9 photo.jpg", data)["path_display"])["link"]).path
    assert link.endswith("/Caf%C3%A9%20photo.jpg")
    r = dbx.request("GET", link)
    assert (r.status, r.body, r.ctype, r.headers["accept-ranges"]) == (200, data, "image/jpeg", "bytes")
    r = dbx.request("HEAD", link)
    assert (r.status, r.body, r.headers["content-length"]) == (200, b"", "1024")
    for rng, start, end in (("bytes=0-3", 0, 3), ("bytes=1000-", 1000, 1023), ("bytes=-10", 1014, 1023),
                            ("bytes=1020-5000", 1020, 1023)):
        r = dbx.request("GET", link, headers={"Range": rng})
        assert r.status == 206 and r.body == data[start:end + 1], rng
        assert r.headers["content-range"] == "bytes %d-%d/1024" % (start, end)
    r = dbx.request("GET", link, headers={"Range": "bytes=1024-"})
    assert r.status == 416 and r.headers["content-range"] == "bytes */1024"
    assert dbx.request("GET", link, headers={"Range": "bytes=5-2"}).status == 200       # invalid: ignored
    assert dbx.request("GET", link.rsplit("/", 1)[0] + "/other.jpg").status == 404
    assert dbx.request("GET", "/content/get/unknown/x.jpg").status == 404
    r = dbx.request("POST", link, b"")
    assert r.status == 405 and r.headers["allow"] == "GET, HEAD"


def test_download_link_expires(short):
    link = urllib.parse.urlsplit(short.link_for(short.seed("/e.bin", b"e")["path_display"])["link"]).path
    assert short.request("GET", link).status == 200
    time.sleep(1.2)
    assert short.request("GET", link).status == 410


# ---- upload links ---------------------------------------------------------------------------------

def test_upload_single_use_and_content_hash(dbx):
    data = os.urandom(4 * MiB + 1000)                      # two 4 MiB blocks
    link = dbx.upload_link({"path": "/Out/big.bin", "mode": {".tag": "overwrite"}, "mute": True}, 3600.0)
    r = dbx.upload(link, data)
    assert (r.status, r.ctype, r.json()) == (200, "application/json", {"content-hash": dropbox_hash(data)})
    assert dbx.read("/out/BIG.bin").body == data
    r = dbx.upload(link, b"again")
    assert r.status == 410 and "recently consumed" in r.text
    assert dbx.upload("/content/apitul/1/doesnotexist", b"x").status == 409


def test_upload_wrong_content_type_put_and_get_do_not_consume(dbx):
    link = dbx.upload_link({"path": "/ct.txt"})
    r = dbx.upload(link, b"x", ctype="application/json")
    assert r.status == 400 and 'Bad HTTP "Content-Type" header' in r.text
    for method in ("PUT", "GET", "DELETE"):
        r = dbx.upload(link, b"put body" if method == "PUT" else None, method=method)
        assert (r.status, r.headers["allow"]) == (405, "POST"), method
    assert dbx.upload(link, b"plain", ctype="text/plain; charset=utf-8").status == 200
    assert dbx.read("/ct.txt").body == b"plain"


@pytest.mark.parametrize("arg,message", [
    ({}, "missing required field 'commit_info'"),
    ({"commit_info": {}}, "commit_info: missing required field 'path'"),
    ({"commit_info": {"path": "rel.txt"}}, "commit_info.path: 'rel.txt' did not match pattern"),
    ({"commit_info": {"path": "/a", "mode": "bogus"}}, "commit_info.mode: unknown tag 'bogus'"),
    ({"commit_info": {"path": "/a", "autorename": "yes"}}, "commit_info.autorename: 'yes' is not a valid boolean"),
    ({"commit_info": {"path": "/a", "client_modified": "2025-01-01"}}, "commit_info.client_modified: time data"),
    ({"commit_info": {"path": "/a"}, "duration": 59.9}, "duration: 59.900000 is not greater than 60.000000"),
    ({"commit_info": {"path": "/a"}, "duration": 14400.5}, "duration: 14400.500000 is not less than 14400.000000"),
    ({"commit_info": {"path": "/a"}, "duration": "60"}, "duration: expected real number, got string")])
def test_upload_link_bad_input(dbx, arg, message):
    r = dbx.rpc(UPLOAD_LINK, arg)
    assert r.status == 400 and r.ctype == "text/plain; charset=utf-8"
    assert r.text.startswith('Error in call to API function "files/get_temporary_upload_link": request body: '
                             + message), r.text


def test_upload_link_duration_forms(dbx):
    for duration in (60, 60.0, 14400, 1234.5):
        dbx.upload_link({"path": "/d.txt"}, duration)
    dbx.upload_link({"path": "/d.txt", "mode": {".tag": "update", "update": "0123456789abcdef"}})


def test_commit_modes(dbx):
    dbx.seed("/m/a.txt", b"one")
    r = dbx.upload(dbx.upload_link({"path": "/m/a.txt"}), b"two")                 # add onto another file
    assert r.status == 409
    assert dbx.read("/m/a.txt").body == b"one"
    assert dbx.upload(dbx.upload_link({"path": "/m/a.txt"}), b"one").status == 200    # same bytes: no conflict
    assert dbx.upload(dbx.upload_link({"path": "/m/a.txt", "strict_conflict": True}), b"one").status == 409
    for n in (1, 2):
        assert dbx.upload(dbx.upload_link({"path": "/m/a.txt", "autorename": True}), b"n%d" % n).status == 200
        assert dbx.read("/m/a (%d).txt" % n).body == b"n%d" % n
    rev = dbx.link_for("/m/a.txt")["metadata"]["rev"]
    assert dbx.upload(dbx.upload_link({"path": "/m/a.txt", "mode": {".tag": "update", "update": "0" * 12}}),
                      b"x").status == 409
    assert dbx.upload(dbx.upload_link({"path": "/m/a.txt", "mode": {".tag": "update", "update": rev}}),
                      b"three").status == 200
    link = dbx.upload_link({"path": "/m/a.txt", "mode": "overwrite", "client_modified": "2020-02-03T04:05:06Z"})
    assert dbx.upload(link, b"four").status == 200
    meta = dbx.link_for("/m/a.txt")["metadata"]
    assert (meta["client_modified"], meta["size"]) == ("2020-02-03T04:05:06Z", 4)
    assert dbx.upload(dbx.upload_link({"path": "/m", "mode": "overwrite"}), b"x").status == 409   # a folder
    assert dbx.upload(dbx.upload_link({"path": "/m/a.txt/b.txt"}), b"x").status == 409           # file as folder
    r = dbx.upload(dbx.upload_link({"path": meta["id"], "mode": "overwrite"}), b"by id")
    assert r.status == 200 and dbx.read("/m/a.txt").body == b"by id"


def test_conflicting_upload_still_consumes(dbx):
    dbx.seed("/c.txt", b"old")
    link = dbx.upload_link({"path": "/c.txt"})
    assert dbx.upload(link, b"new").status == 409
    assert dbx.upload(link, b"new").status == 410


def test_upload_link_expires(short):
    link = short.upload_link({"path": "/late.txt"}, 60)
    time.sleep(1.2)
    r = short.upload(link, b"late")
    assert r.status == 410 and "expired" in r.text
    assert short.read("/late.txt").status == 404


def test_chunked_upload(dbx):
    link = dbx.upload_link({"path": "/chunked.bin"})
    c = dbx.conn()
    c.request("POST", link, body=iter([b"abc", b"defg", b""]), encode_chunked=True,
              headers={"Content-Type": "application/octet-stream", "Transfer-Encoding": "chunked"})
    r = Response(c.getresponse())
    assert r.status == 200 and r.json()["content-hash"] == dropbox_hash(b"abcdefg")
    assert dbx.request("GET", "/__health", conn=c).status == 200      # same connection still usable
    c.close()


# ---- Expect: 100-continue (raw sockets) -----------------------------------------------------------

def expect_request(inst, path, length, ctype="application/octet-stream"):
    return inst.raw("POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: %s\r\nContent-Length: %d\r\n"
                    "Expect: 100-continue\r\n\r\n" % (path, ctype, length))


def probe(inst, link, length):
    """Expect: 100-continue request; retried while the link is still busy with an abandoned attempt."""
    deadline = time.time() + 5
    while True:
        s = expect_request(inst, link, length)
        status = read_head(s)[0]
        if status != 409 or time.time() > deadline:
            return s, status
        s.close()
        time.sleep(0.05)


def test_expect_100_probe_does_not_consume(dbx):
    link = dbx.upload_link({"path": "/probe.txt"})
    s, status = probe(dbx, link, 10)
    assert status == 100
    s.close()                                                        # probe only: no body sent
    s, status = probe(dbx, link, 10)
    assert status == 100
    s.sendall(b"12345")                                              # half a body, then gone
    s.close()
    deadline = time.time() + 5
    while True:                                                      # busy (409) until the server notices
        r = dbx.upload(link, b"full body")
        if r.status != 409 or time.time() > deadline:
            break
        time.sleep(0.05)
    assert r.status == 200 and dbx.read("/probe.txt").body == b"full body"
    s = expect_request(dbx, link, 4)                                 # consumed: final answer, no 100
    status, headers, rest = read_head(s)
    assert status == 410 and headers["connection"] == "close"
    assert rest + s.recv(4096) == b"Temporary upload link has been recently consumed."
    s.close()
    s = expect_request(dbx, "/content/apitul/1/unknown", 4)
    assert read_head(s)[0] == 409
    s.close()
    s = expect_request(dbx, dbx.upload_link({"path": "/probe2.txt"}), 4, ctype="image/jpeg")
    assert read_head(s)[0] == 400
    s.close()


def test_expect_100_full_exchange_keeps_connection(dbx):
    link = dbx.upload_link({"path": "/expect.txt"})
    s = expect_request(dbx, link, 4)
    assert read_head(s)[0] == 100
    s.sendall(b"data")
    status, headers, rest = read_answer(s)
    assert status == 200 and json.loads(rest)["content-hash"] == dropbox_hash(b"data")
    assert answers_health(s)
    s.close()


def test_concurrent_upload_is_refused_while_busy(dbx):
    link = dbx.upload_link({"path": "/busy.txt"})
    s = expect_request(dbx, link, 10)
    assert read_head(s)[0] == 100                                    # sent once the link is claimed
    s.sendall(b"12345")
    r = dbx.upload(link, b"second")
    assert r.status == 409 and "currently unavailable" in r.text
    s.sendall(b"67890")
    status, headers, rest = read_head(s)
    assert status == 200 and dbx.read("/busy.txt").body == b"1234567890"
    s.close()


# ---- OAuth refresh --------------------------------------------------------------------------------

def form(**fields):
    return urllib.parse.urlencode(fields)


FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def test_refresh_and_token_expiry(short):
    r = short.request("POST", OAUTH, form(grant_type="refresh_token", refresh_token="TEST-REFRESH-TOKEN",
                                          client_id="test-app-key", client_secret="test-app-secret"), FORM)
    assert r.status == 200 and r.ctype == "application/json"
    body = r.json()
    assert set(body) == {"access_token", "token_type", "expires_in"} and body["token_type"] == "bearer"
    assert body["expires_in"] == 1 and re.fullmatch(r"sl\.[A-Za-z0-9_-]{20,}", body["access_token"])
    short.seed("/t.txt", b"t")
    assert short.rpc(LINK, {"path": "/t.txt"}, token=body["access_token"]).status == 200
    time.sleep(1.2)
    r = short.rpc(LINK, {"path": "/t.txt"}, token=body["access_token"])
    assert r.status == 401
    assert r.json() == {"error_summary": "expired_access_token/..", "error": {".tag": "expired_access_token"}}


def test_refresh_client_rules(dbx):
    basic = {"Authorization": "Basic " + base64.b64encode(b"test-app-key:test-app-secret").decode(), **FORM}
    r = dbx.request("POST", OAUTH, form(grant_type="refresh_token", refresh_token="TEST-REFRESH-TOKEN"), basic)
    assert r.status == 200
    ok = dict(grant_type="refresh_token", refresh_token="TEST-REFRESH-TOKEN", client_id="test-app-key")
    invalid_client = {"error": "invalid_client: Invalid client_id or client_secret"}
    for fields, status, expected in [
            (dict(ok, client_secret="wrong"), 400, invalid_client),
            (dict(ok, client_id="other", client_secret="test-app-secret"), 400, invalid_client),
            (ok, 400, invalid_client),                                          # secret needed without --pkce
            (dict(ok, client_secret="test-app-secret", refresh_token="BAD"), 400,
             {"error": "invalid_grant", "error_description": "refresh token is invalid or revoked"})]:
        r = dbx.request("POST", OAUTH, form(**fields), FORM)
        assert (r.status, r.json()) == (status, expected), fields
    r = dbx.request("POST", OAUTH, form(grant_type="refresh_token", refresh_token="TEST-REFRESH-TOKEN"), FORM)
    assert r.status == 400 and r.json()["error"] == "invalid_request"
    r = dbx.request("POST", OAUTH, form(**dict(ok, grant_type="password", client_secret="test-app-secret")), FORM)
    assert r.status == 400 and r.json()["error"] == "unsupported_grant_type"
    r = dbx.request("POST", OAUTH, form(**dict(ok, client_secret="test-app-secret", scope="files.content.read")), FORM)
    token = r.json()["access_token"]
    r = dbx.rpc(UPLOAD_LINK, {"commit_info": {"path": "/x"}}, token=token)
    assert r.status == 401 and r.json()["error"][".tag"] == "missing_scope"


def test_control_expire_tokens_and_links(dbx):
    dbx.seed("/x.txt", b"x")
    link = urllib.parse.urlsplit(dbx.link_for("/x.txt")["link"]).path
    dbx.control({"tokens": [{"access_token": "sl.SEEDED", "expires_in": 3600}]})
    assert dbx.rpc(LINK, {"path": "/x.txt"}, token="sl.SEEDED").status == 200
    dbx.control({"expire_tokens": True, "expire_links": True})
    assert dbx.rpc(LINK, {"path": "/x.txt"}, token="sl.SEEDED").status == 401
    assert dbx.rpc(LINK, {"path": "/x.txt"}).status == 200              # the fixed token never expires
    assert dbx.request("GET", link).status == 410


# ---- faults, request log, keep-alive --------------------------------------------------------------

def test_scripted_faults_and_request_log(dbx):
    dbx.seed("/f.txt", b"f")
    dbx.control({"route": LINK, "responses": [{"status": 429, "retry_after": 2}, {"status": 503},
                                              {"drop": True}, {"status": 500, "body": "boom"}]})
    r = dbx.rpc(LINK, {"path": "/f.txt"})
    assert (r.status, r.ctype, r.headers["retry-after"]) == (429, "application/json", "2")
    assert r.json() == {"error_summary": "too_many_requests/..",
                        "error": {"reason": {".tag": "too_many_requests"}, "retry_after": 2}}
    r = dbx.rpc(LINK, {"path": "/f.txt"})
    assert r.status == 503 and r.ctype.startswith("text/plain")
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        dbx.rpc(LINK, {"path": "/f.txt"})
    r = dbx.rpc(LINK, {"path": "/f.txt"})
    assert (r.status, r.text) == (500, "boom")
    assert dbx.rpc(LINK, {"path": "/f.txt"}).status == 200
    log = dbx.log()
    assert [e["status"] for e in log] == [429, 503, "dropped", 500, 200]
    assert all(b["time"] > a["time"] for a, b in zip(log, log[1:]))
    assert log[0]["body"] == '{"path": "/f.txt"}' and ["Content-Type", "application/json"] in log[0]["headers"]
    dbx.control({"route": LINK, "responses": [{"status": 503}]})
    dbx.reset()
    assert dbx.log() == [] and dbx.rpc(LINK, {"path": "/f.txt"}).status == 200      # queue gone, file kept


def test_fault_on_upload_prefix_does_not_consume(dbx):
    link = dbx.upload_link({"path": "/fp.txt"})
    dbx.control({"route": "/content/apitul/1/*", "responses": [{"status": 503}]})
    assert dbx.upload(link, b"x").status == 503
    assert dbx.upload(link, b"x").status == 200


def test_request_log_truncates_bodies(dbx):
    body = json.dumps({"path": "/" + "a" * 5000})
    dbx.rpc(LINK, body)
    entry = dbx.log()[0]
    assert entry["body"] == body[:4096] and entry["body_truncated"] and entry["body_length"] == len(body)


def test_keep_alive_across_answers(dbx):
    dbx.seed("/k.txt", b"k")
    c = dbx.conn()
    dbx.control({"route": LINK, "responses": [{"status": 429, "retry_after": 1, "json": False}]})
    statuses, socks = [], set()
    for method, path, body, headers in [
            ("POST", LINK, '{"path": "/k.txt"}', {"Authorization": "Bearer " + TOKEN, "Content-Type": "application/json"}),
            ("POST", LINK, '{"path": "/k.txt"}', {"Authorization": "Bearer " + TOKEN, "Content-Type": "application/json"}),
            ("POST", LINK, '{"path": "/none"}', {"Authorization": "Bearer " + TOKEN, "Content-Type": "application/json"}),
            ("POST", LINK, '{"path": "/k.txt"}', {"Authorization": "Bearer x", "Content-Type": "application/json"}),
            ("POST", LINK, '{"path": "k"}', {"Authorization": "Bearer " + TOKEN, "Content-Type": "application/json"}),
            ("PUT", "/content/apitul/1/zzz", "body", {"Content-Type": "application/octet-stream"}),
            ("POST", "/content/apitul/1/zzz", "body", {"Content-Type": "application/octet-stream"}),
            ("GET", "/nowhere", None, {})]:
        r = dbx.request(method, path, body, headers, conn=c)
        statuses.append(r.status)
        assert not r.will_close, (method, path)
        socks.add(id(c.sock))
    assert statuses == [429, 200, 409, 401, 400, 405, 409, 404] and len(socks) == 1
    c.close()


# ---- the real SDK, when installed ------------------------------------------------------------------

def test_real_sdk_against_standin(dbx):
    dropbox = pytest.importorskip("dropbox")
    import requests
    base = dbx.base

    class Local(requests.Session):
        def request(self, method, url, *args, **kwargs):
            for host in ("https://api.dropboxapi.com", "https://content.dropboxapi.com"):
                url = url.replace(host, base)
            return super().request(method, url, *args, **kwargs)

    dbx.seed("/Lightroom/in/photo.jpg", b"jpeg")
    client = dropbox.Dropbox(TOKEN, session=Local())
    result = client.files_get_temporary_link("/Lightroom/in/photo.jpg")
    assert result.metadata.size == 4 and requests.get(result.link).content == b"jpeg"
    link = client.files_get_temporary_upload_link(
        dropbox.files.CommitInfo("/Lightroom/out/x.jpg", mode=dropbox.files.WriteMode.overwrite), 3600).link
    assert requests.post(link, data=b"out", headers={"Content-Type": "application/octet-stream"}).status_code == 200
    with pytest.raises(dropbox.exceptions.ApiError) as e:
        client.files_get_temporary_link("/Lightroom")
    assert e.value.error.get_path().is_not_file()
    dbx.control({"tokens": [{"access_token": "sl.OLD", "expires_in": 0}]})
    refreshing = dropbox.Dropbox(oauth2_access_token="sl.OLD", oauth2_refresh_token="TEST-REFRESH-TOKEN",
                                 app_key="test-app-key", app_secret="test-app-secret", session=Local(),
                                 oauth2_access_token_expiration=__import__("datetime").datetime(2100, 1, 1))
    assert refreshing.files_get_temporary_link("/Lightroom/in/photo.jpg").metadata.name == "photo.jpg"
    assert [e["path"] for e in dbx.log()][-3:] == [LINK, OAUTH, LINK]

"""Tests of the Google OAuth / Drive stand-in (google_standin.py): the JWT-bearer grant rules with JWTs
signed here (cryptography, RS256) and the shared google-auth vectors, Drive downloads, resumable upload
sessions, Expect: 100-continue and scripted faults.

    python3 -m pytest -q -p no:cacheprovider Tests/StandIns/test_google_standin.py

Each stand-in runs as a subprocess on a free port (--port 0) with the throwaway key
Fixtures/google-jwt/test-service-account.json; every test fails, naming it, when that folder is missing.
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
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from standin_testing import (  # noqa: E402
    FIXTURES, Response, StandInProcess, answers_health, read_answer, read_head, require_fixture, standins_fixture)

VECTOR_DIR = os.path.join(FIXTURES, "google-jwt")
KEY_FILE = os.path.join(VECTOR_DIR, "test-service-account.json")
CASES_FILE = os.path.join(VECTOR_DIR, "cases.json")



@pytest.fixture(autouse=True)
def _fixtures_present():
    require_fixture(KEY_FILE)
    require_fixture(CASES_FILE)


JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
AUTH = "https://www.googleapis.com/auth/"
DRIVE, READONLY, DRIVE_FILE = AUTH + "drive", AUTH + "drive.readonly", AUTH + "drive.file"
GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
CLOCK_ERROR = {"error": "invalid_grant", "error_description":
               "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. "
               "Check your iat and exp values in the JWT claim."}
SIGNATURE_ERROR = {"error": "invalid_grant", "error_description": "Invalid JWT Signature."}
AUDIENCE_ERROR = {"error": "invalid_grant", "error_description": "Invalid JWT: Failed audience check."}
SCOPE_ERROR = {"error": "invalid_scope", "error_description": "Invalid OAuth scope or ID token audience provided."}
DWD_ERROR = {"error": "unauthorized_client", "error_description":
             "Client is unauthorized to retrieve access tokens using this method, or client not authorized for "
             "any of the scopes requested."}
DROP = object()

if os.path.exists(KEY_FILE):
    with open(KEY_FILE) as _f:
        KEY = json.load(_f)
    PRIVATE = serialization.load_pem_private_key(KEY["private_key"].encode(), password=None)
    EMAIL, KID = KEY["client_email"], KEY["private_key_id"]
    with open(CASES_FILE) as _f:
        VECTORS = json.load(_f)
    CASES = {c["id"]: c for c in VECTORS["cases"]}
else:
    KEY = PRIVATE = EMAIL = KID = VECTORS = None
    CASES = {}


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def sign_jwt(header, claims, key=None):
    signing_input = b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())
    sig = (key or PRIVATE).sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    return signing_input + "." + b64url(sig)


class StandIn(StandInProcess):
    script, name = "google_standin.py", "google-standin"

    def __init__(self, state_dir, *extra):
        super().__init__(state_dir, *extra)
        self.token_url = self.base + "/token"

    def arguments(self, state_dir, extra):
        return super().arguments(state_dir, extra) + ([] if "--key-file" in extra else ["--key-file", KEY_FILE])

    # token endpoint
    def assertion(self, header=None, key=None, **claims):
        now = int(time.time())
        full = {"iat": now, "exp": now + 3600, "iss": EMAIL, "aud": self.token_url, "scope": DRIVE}
        full.update(claims)
        full = {k: v for k, v in full.items() if v is not DROP}
        return sign_jwt(header or {"typ": "JWT", "alg": "RS256", "kid": KID}, full, key)

    def token_request(self, jwt, grant_type=JWT_BEARER):
        fields = {"assertion": jwt}
        if grant_type is not None:
            fields["grant_type"] = grant_type
        return self.request("POST", "/token", urllib.parse.urlencode(fields), FORM)

    def token(self, *scopes):
        r = self.token_request(self.assertion(scope=" ".join(scopes or (DRIVE,))))
        assert r.status == 200, r.body
        return r.json()["access_token"]

    # control
    def tokens(self):
        return {t["access_token"]: t for t in self.request("GET", "/__tokens").json()}

    def seed(self, file_id, data, **params):
        target = "/__files/" + file_id + ("?" + urllib.parse.urlencode(params) if params else "")
        r = self.request("PUT", target, data)
        assert r.status == 200, r.body
        return r.json()

    def read(self, file_id):
        return self.request("GET", "/__files/" + file_id)

    # drive
    def get(self, file_id, token=None, query="alt=media", headers=None, method="GET", conn=None):
        h = dict(headers or {})
        if token is not None:
            h["Authorization"] = "Bearer " + token
        return self.request(method, "/drive/v3/files/%s%s" % (file_id, "?" + query if query else ""), None, h, conn)

    def open_session(self, token, file_id=None, metadata=None, headers=None, query="uploadType=resumable"):
        h = {"Authorization": "Bearer " + token} if token else {}
        h.update(headers or {})
        body = None
        if metadata is not None:
            body = json.dumps(metadata)
            h["Content-Type"] = "application/json; charset=UTF-8"
        path = "/upload/drive/v3/files" + ("/" + file_id if file_id else "")
        return self.request("PATCH" if file_id else "POST", path + "?" + query, body, h)

    def session(self, token, file_id=None, metadata=None, headers=None):
        r = self.open_session(token, file_id, metadata, headers)
        assert r.status == 200 and r.body == b"", (r.status, r.body)
        loc = r.headers["location"]
        assert loc.startswith(self.base + "/upload/drive/v3/files")
        return loc[len(self.base):]

    def put(self, target, data, headers=None, conn=None):
        return self.request("PUT", target, data, headers or {}, conn)


standins = standins_fixture(StandIn, "google")


@pytest.fixture
def g(standins):
    return standins()


# ---- POST /token ------------------------------------------------------------------------------------

def test_token_success_is_recorded(g):
    jwt = g.assertion(scope=DRIVE + " " + AUTH + "devstorage.read_write")
    r = g.token_request(jwt)
    assert r.status == 200 and r.ctype.startswith("application/json")
    body = r.json()
    assert set(body) == {"access_token", "expires_in", "token_type"}
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3599
    assert re.fullmatch(r"ya29\.[A-Za-z0-9_-]{40,}", body["access_token"])
    rec = g.tokens()[body["access_token"]]
    assert rec["scopes"] == [DRIVE, AUTH + "devstorage.read_write"] and rec["iss"] == EMAIL and rec["sub"] is None
    assert 3590 <= rec["expires_at"] - time.time() <= 3600 and not rec["expired"]
    assert g.token() != body["access_token"]                         # a fresh token every time
    entry = g.log()[0]
    assert entry["method"] == "POST" and entry["path"] == "/token" and entry["status"] == 200
    assert urllib.parse.parse_qs(entry["body"]) == {"assertion": [jwt], "grant_type": [JWT_BEARER]}


def test_grant_type_and_request_shape(g):
    jwt = g.assertion()
    r = g.token_request(jwt, grant_type=None)
    assert (r.status, r.json()) == (400, {"error": "unsupported_grant_type", "error_description": "Invalid grant_type: "})
    r = g.token_request(jwt, grant_type="client_credentials")
    assert (r.status, r.json()) == (400, {"error": "unsupported_grant_type",
                                          "error_description": "Invalid grant_type: client_credentials"})
    r = g.request("POST", "/token", "grant_type=" + urllib.parse.quote(JWT_BEARER), FORM)
    assert r.status == 400 and r.json()["error"] == "invalid_request"
    r = g.request("POST", "/token", json.dumps({"grant_type": JWT_BEARER, "assertion": jwt}),
                  {"Content-Type": "application/json"})
    assert r.status == 400 and r.json()["error"] == "invalid_request"
    assert g.request("GET", "/token").status == 405
    assert g.token_request(jwt).status == 200                        # the same JWT is still fine


def test_signature_is_verified(g):
    jwt = g.assertion()
    head, payload, sig = jwt.split(".")
    flipped = sig[:10] + ("A" if sig[10] != "A" else "B") + sig[11:]
    r = g.token_request(".".join([head, payload, flipped]))
    assert (r.status, r.json()) == (400, SIGNATURE_ERROR)
    other = json.loads(base64.urlsafe_b64decode(payload + "=="))
    other["scope"] = AUTH + "cloud-platform"                          # payload changed, old signature kept
    r = g.token_request(".".join([head, b64url(json.dumps(other).encode()), sig]))
    assert (r.status, r.json()) == (400, SIGNATURE_ERROR)
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    r = g.token_request(g.assertion(key=stranger))                   # right iss and kid, wrong key
    assert (r.status, r.json()) == (400, SIGNATURE_ERROR)
    for bad in ["", "abc", "a.b", "a.b.c", head + "." + payload + ".", head + "." + payload + "." + sig + ".x"]:
        r = g.token_request(bad)
        assert r.status == 400 and r.json()["error"] in ("invalid_grant", "invalid_request"), bad


def test_header_alg_and_kid(g):
    assert g.token_request(g.assertion(header={"alg": "RS256", "typ": "JWT"})).status == 200     # no kid: ok
    r = g.token_request(g.assertion(header={"alg": "RS256", "typ": "JWT", "kid": "f" * 40}))
    assert (r.status, r.json()) == (400, SIGNATURE_ERROR)
    for alg in ("HS256", "RS512", "none", None):
        r = g.token_request(g.assertion(header={"alg": alg, "typ": "JWT", "kid": KID}))
        assert (r.status, r.json()) == (400, SIGNATURE_ERROR), alg


def test_unknown_issuer(g):
    r = g.token_request(g.assertion(iss="someone@else.iam.gserviceaccount.com"))
    assert (r.status, r.json()) == (400, {"error": "invalid_grant",
                                          "error_description": "Invalid grant: account not found"})
    r = g.token_request(g.assertion(iss=DROP))
    assert r.status == 400 and r.json()["error"] == "invalid_grant"


def test_audience(g):
    for aud in ("https://example.com/token", g.base + "/token/", "http://localhost:%d/token" % g.port,
                [g.token_url], DROP):
        r = g.token_request(g.assertion(aud=aud))
        assert (r.status, r.json()) == (400, AUDIENCE_ERROR), aud
    assert g.token_request(g.assertion(aud=g.token_url)).status == 200
    assert g.token_request(g.assertion(aud=GOOGLE_TOKEN_URI)).status == 200     # the key file's token_uri


def test_lifetime_and_clock(g):
    now = int(time.time())
    assert g.token_request(g.assertion(iat=now, exp=now + 3600)).status == 200
    assert g.token_request(g.assertion(iat=now - 100, exp=now + 60)).status == 200
    assert g.token_request(g.assertion(iat=now + 240, exp=now + 1000)).status == 200       # 4 min ahead: ok
    for iat, exp in [(now, now + 3601), (now + 600, now + 1200), (now - 7200, now - 3600), (now, now),
                     (now, now - 1), (str(now), now + 3600), (now, float(now + 3600)), (DROP, now + 3600),
                     (now, DROP), (True, now + 3600)]:
        r = g.token_request(g.assertion(iat=iat, exp=exp))
        assert (r.status, r.json()) == (400, CLOCK_ERROR), (iat, exp)


def test_scopes(g):
    for scope in (DROP, "", "   ", "drive", "https://www.googleapis.com/drive", DRIVE + " email",
                  "https://evil.example.com/auth/drive", ["x"], 7):
        r = g.token_request(g.assertion(scope=scope))
        assert (r.status, r.json()) == (400, SCOPE_ERROR), scope
    token = g.token(DRIVE_FILE, AUTH + "devstorage.read_write")
    assert g.tokens()[token]["scopes"] == [DRIVE_FILE, AUTH + "devstorage.read_write"]


def test_domain_wide_delegation(standins):
    g = standins()
    r = g.token_request(g.assertion(sub="user@example.com"))
    assert (r.status, r.json()) == (401, DWD_ERROR)
    dwd = standins("--dwd-subject", "user@example.com", "--dwd-subject", "admin@example.com")
    r = dwd.token_request(dwd.assertion(sub="user@example.com"))
    assert r.status == 200
    assert dwd.tokens()[r.json()["access_token"]]["sub"] == "user@example.com"
    r = dwd.token_request(dwd.assertion(sub="other@example.com"))
    assert (r.status, r.json()) == (401, DWD_ERROR)


def test_token_expiry_and_ttl(standins):
    g = standins("--token-ttl", "120")
    g.seed("ttl", b"x")
    r = g.token_request(g.assertion())
    assert r.json()["expires_in"] == 120
    token = r.json()["access_token"]
    assert g.get("ttl", token).status == 200
    g.control({"now": time.time() + 121})
    assert g.get("ttl", token).status == 401 and g.tokens()[token]["expired"]
    g.reset()                                                       # real clock again
    assert g.get("ttl", token).status == 200
    g.control({"expire_tokens": True})
    assert g.get("ttl", token).status == 401


# ---- the shared google-auth vectors ------------------------------------------------------------------

def vector_body(case_id):
    return CASES[case_id]["token_request"]["body"] if "token_request" in CASES[case_id] else \
        urllib.parse.urlencode({"assertion": CASES[case_id]["expected"]["jwt"], "grant_type": JWT_BEARER})


def test_vectors_verify_with_google_token_uri(standins):
    g = standins()
    assertion_cases = [c for c, v in CASES.items() if v["expected"]["claims"].get("aud") == GOOGLE_TOKEN_URI]
    assert {"assertion-drive", "assertion-two-scopes", "assertion-no-kid",
            "compact-sorted-assertion-drive"} <= set(assertion_cases)
    r = g.request("POST", "/token", vector_body("assertion-drive"), FORM)
    assert (r.status, r.json()) == (400, CLOCK_ERROR)               # signed for 2025-01-01: expired now
    g.control({"now": VECTORS["now_epoch"] + 60})
    for case in assertion_cases:
        r = g.request("POST", "/token", vector_body(case), FORM)
        if CASES[case]["expected"]["claims"].get("sub"):
            assert (r.status, r.json()) == (401, DWD_ERROR), case
        else:
            assert r.status == 200, (case, r.body)
            rec = g.tokens()[r.json()["access_token"]]
            assert rec["scopes"] == CASES[case]["expected"]["claims"]["scope"].split()
    for case in ("self-signed-audience", "self-signed-audience-drive", "compact-sorted-self-signed"):
        r = g.request("POST", "/token", vector_body(case), FORM)
        assert r.status == 400 and r.json()["error"] in ("invalid_grant", "invalid_scope"), case
    g.control({"now": VECTORS["now_epoch"] + 3601})
    assert g.request("POST", "/token", vector_body("assertion-drive"), FORM).json() == CLOCK_ERROR


def test_vector_dwd_subject_allowed(standins):
    sub = CASES["assertion-domain-wide-delegation-sub"]["expected"]["claims"]["sub"]
    g = standins("--dwd-subject", sub)
    g.control({"now": VECTORS["now_epoch"] + 60})
    r = g.request("POST", "/token", vector_body("assertion-domain-wide-delegation-sub"), FORM)
    assert r.status == 200 and g.tokens()[r.json()["access_token"]]["sub"] == sub


def test_vectors_refused_when_key_file_names_another_token_uri(standins, tmp_path):
    key = dict(KEY, token_uri="https://token.example.test/token")
    path = tmp_path / "other-token-uri.json"
    path.write_text(json.dumps(key))
    g = standins("--key-file", str(path))
    g.control({"now": VECTORS["now_epoch"] + 60})
    r = g.request("POST", "/token", vector_body("assertion-drive"), FORM)
    assert (r.status, r.json()) == (400, AUDIENCE_ERROR)
    assert g.token_request(g.assertion(aud="https://token.example.test/token")).status == 400   # clock moved
    g.reset()
    assert g.token_request(g.assertion(aud="https://token.example.test/token")).status == 200
    assert g.token_request(g.assertion(aud=g.token_url)).status == 200


def test_rule_errors_match_token_endpoint_vectors(g):
    """The stand-in's own refusals equal the bodies google-auth was fed in token_endpoint_behaviour."""
    behaviour = {b["scenario"]: b for b in VECTORS["token_endpoint_behaviour"]}
    expected = {s: json.loads(b["responses"][0]["body"]) for s, b in behaviour.items()
                if s in ("invalid_grant-bad-signature", "invalid_grant-clock", "invalid_scope")}
    jwt = g.assertion()
    got = {"invalid_grant-bad-signature": g.token_request(jwt[:-4] + ("AAAA" if not jwt.endswith("AAAA") else "BBBB")),
           "invalid_grant-clock": g.token_request(g.assertion(exp=int(time.time()) + 7200)),
           "invalid_scope": g.token_request(g.assertion(scope=DROP))}
    for scenario, r in got.items():
        assert (r.status, r.json()) == (behaviour[scenario]["responses"][0]["status"], expected[scenario])


def test_token_endpoint_vector_responses_can_be_scripted(g):
    """Every scripted response of token_endpoint_behaviour comes back byte-identical through /__control."""
    for b in VECTORS["token_endpoint_behaviour"]:
        g.reset()
        g.control({"route": "/token", "responses": [{"status": x["status"], "body": x["body"],
                                                     "content_type": "application/json"}
                                                    for x in b["responses"] if x["status"] != 200]})
        for x in b["responses"]:
            r = g.token_request(g.assertion())
            assert r.status == x["status"], b["scenario"]
            if x["status"] == 200:
                assert set(r.json()) == set(json.loads(x["body"]))
            else:
                assert r.body.decode() == x["body"]
        assert [e["status"] for e in g.log()] == [x["status"] for x in b["responses"]]


# ---- Drive download --------------------------------------------------------------------------------

def test_download_header_and_query_token(g):
    data = bytes(range(256)) * 4
    g.seed("photo1", data, name="photo.jpg", mimeType="image/jpeg")
    token = g.token(DRIVE)
    r = g.get("photo1", token)
    assert (r.status, r.body, r.ctype, r.headers["content-length"]) == (200, data, "image/jpeg", "1024")
    r = g.get("photo1", query="alt=media&access_token=" + token)
    assert (r.status, r.body) == (200, data)
    r = g.get("photo1", token, method="HEAD")
    assert (r.status, r.body, r.headers["content-length"]) == (200, b"", "1024")
    for scope in (READONLY, DRIVE_FILE):
        assert g.get("photo1", g.token(scope)).body == data
    assert g.log()[2]["path"] == "/drive/v3/files/photo1?alt=media&access_token=" + token


def test_download_ranges(g):
    data = b"0123456789"
    g.seed("r", data)
    token = g.token(DRIVE)
    for rng, status, body, content_range in [("bytes=2-5", 206, b"2345", "bytes 2-5/10"),
                                             ("bytes=7-", 206, b"789", "bytes 7-9/10"),
                                             ("bytes=-3", 206, b"789", "bytes 7-9/10"),
                                             ("bytes=8-100", 206, b"89", "bytes 8-9/10"),
                                             ("bytes=5-2", 200, data, None),
                                             ("bytes=0-1,4-5", 200, data, None)]:
        r = g.get("r", token, headers={"Range": rng})
        assert (r.status, r.body, r.headers.get("content-range")) == (status, body, content_range), rng
    r = g.get("r", token, headers={"Range": "bytes=10-"})
    assert r.status == 416 and r.headers["content-range"] == "bytes */10"
    assert r.json()["error"]["code"] == 416


def test_metadata_and_fields(g):
    g.seed("m1", b"hello", name="hello.txt", mimeType="text/plain")
    token = g.token(DRIVE)
    r = g.get("m1", token, query=None)
    assert (r.status, r.json()) == (200, {"kind": "drive#file", "id": "m1", "name": "hello.txt",
                                          "mimeType": "text/plain"})
    r = g.get("m1", token, query="fields=id,size,md5Checksum")
    assert r.json() == {"id": "m1", "size": "5", "md5Checksum": hashlib.md5(b"hello").hexdigest()}
    assert set(g.get("m1", token, query="fields=*").json()) >= {"kind", "id", "parents", "modifiedTime", "size"}
    r = g.get("m1", token, query="fields=id,webViewLinkx")
    assert r.status == 400 and r.json()["error"]["message"] == "Invalid field selection webViewLinkx"
    meta_token = g.token(AUTH + "drive.metadata.readonly")
    assert g.get("m1", meta_token, query=None).status == 200
    r = g.get("m1", meta_token)
    assert r.status == 403 and r.json()["error"]["errors"][0]["reason"] == "insufficientPermissions"


def test_download_401(g):
    g.seed("a1", b"x")
    r = g.get("a1")
    assert r.status == 401
    err = r.json()["error"]
    assert err["code"] == 401 and err["status"] == "UNAUTHENTICATED" and err["errors"][0]["reason"] == "required"
    assert err["message"].startswith("Request is missing required authentication credential. Expected OAuth 2 "
                                     "access token, login cookie or other valid authentication credential.")
    assert r.headers["www-authenticate"].startswith("Bearer realm=")
    token = g.token(DRIVE)
    g.control({"now": time.time() + 3600})                          # the token is now expired
    for headers, query in [({"Authorization": "Bearer ya29.unknown"}, "alt=media"),
                           ({"Authorization": "Bearer " + token}, "alt=media"),
                           ({}, "alt=media&access_token=" + token),
                           ({"Authorization": "Basic dXNlcjpwdw=="}, "alt=media"),
                           ({"Authorization": token}, "alt=media")]:
        r = g.get("a1", headers=headers, query=query)
        assert r.status == 401, headers
        err = r.json()["error"]
        assert err["status"] == "UNAUTHENTICATED" and err["errors"][0]["reason"] == "authError"
        assert err["message"].startswith("Request had invalid authentication credentials. Expected OAuth 2 access "
                                         "token, login cookie or other valid authentication credential.")
        assert 'error="invalid_token"' in r.headers["www-authenticate"]


def test_download_403_scope(g):
    g.seed("s1", b"x")
    r = g.get("s1", g.token(AUTH + "devstorage.read_only"))
    assert r.status == 403
    err = r.json()["error"]
    assert (err["code"], err["message"], err["status"]) == (403, "Request had insufficient authentication scopes.",
                                                             "PERMISSION_DENIED")
    assert err["errors"] == [{"message": "Insufficient Permission", "domain": "global",
                              "reason": "insufficientPermissions"}]


def test_download_404_and_docs_file(g):
    token = g.token(DRIVE)
    r = g.get("nope123", token)
    assert (r.status, r.json()) == (404, {"error": {"code": 404, "message": "File not found: nope123.", "errors": [
        {"message": "File not found: nope123.", "domain": "global", "reason": "notFound", "location": "fileId",
         "locationType": "parameter"}]}})
    assert g.get("nope123", token, query=None).status == 404
    g.seed("doc1", b"", name="Notes", mimeType="application/vnd.google-apps.document")
    r = g.get("doc1", token)
    assert r.status == 403 and r.json()["error"]["errors"][0]["reason"] == "fileNotDownloadable"
    assert g.get("doc1", token, query=None).status == 200
    assert g.request("DELETE", "/drive/v3/files/doc1", None, {"Authorization": "Bearer " + token}).status == 405


def test_strict_drive_file(standins):
    g = standins("--strict-drive-file")
    g.seed("seeded", b"s")
    g.seed("mine", b"m", appCreated="1")
    narrow = g.token(DRIVE_FILE)
    assert g.get("seeded", narrow).status == 404 and g.get("mine", narrow).body == b"m"
    assert g.get("seeded", g.token(DRIVE)).status == 200
    assert g.open_session(narrow, "seeded").status == 404
    created = g.put(g.session(narrow, metadata={"name": "new.bin"}), b"new").json()["id"]
    assert g.get(created, narrow).body == b"new"


# ---- resumable upload sessions ------------------------------------------------------------------------

def test_update_session_put_without_auth(g):
    g.seed("out1", b"old content", name="out.jpg", mimeType="image/jpeg")
    token = g.token(DRIVE)
    target = g.session(token, "out1")
    assert re.fullmatch(r"/upload/drive/v3/files/out1\?uploadType=resumable&upload_id=[A-Za-z0-9_-]{20,}", target)
    r = g.put(target, b"new bytes")                                  # no Authorization header at all
    assert r.status == 200
    assert r.json() == {"kind": "drive#file", "id": "out1", "name": "out.jpg", "mimeType": "image/jpeg"}
    assert g.read("out1").body == b"new bytes"
    assert g.get("out1", token).body == b"new bytes"
    put = [e for e in g.log() if e["method"] == "PUT"][0]
    assert not any(k.lower() == "authorization" for k, _ in put["headers"]) and put["body"] == "new bytes"
    # reuse: the file is never written twice
    r = g.put(target, b"second write")
    assert r.status == 410 and r.json()["error"]["code"] == 410
    assert g.read("out1").body == b"new bytes"
    r = g.put(target, b"", {"Content-Range": "bytes */9"})              # status query: 200 + metadata
    assert (r.status, r.json()["id"]) == (200, "out1")


def test_reused_session_status_options(standins):
    for status in ("404", "200"):
        g = standins("--reused-session-status", status)
        g.seed("ru", b"a")
        target = g.session(g.token(DRIVE), "ru")
        assert g.put(target, b"b").status == 200
        r = g.put(target, b"c")
        assert r.status == int(status)
        if status == "200":
            assert r.json()["id"] == "ru"
        assert g.read("ru").body == b"b"


def test_create_session(g):
    g.seed("folder1", b"", name="out", mimeType="application/vnd.google-apps.folder")
    token = g.token(DRIVE_FILE)
    target = g.session(token, metadata={"name": "result.jpg", "parents": ["folder1"]},
                       headers={"X-Upload-Content-Type": "image/jpeg"})
    assert re.fullmatch(r"/upload/drive/v3/files\?uploadType=resumable&upload_id=[A-Za-z0-9_-]{20,}", target)
    r = g.put(target, b"\xff\xd8jpeg", {"Content-Type": "image/jpeg"})
    assert r.status == 200
    meta = r.json()
    assert set(meta) == {"kind", "id", "name", "mimeType"} and meta["name"] == "result.jpg"
    assert meta["mimeType"] == "image/jpeg" and meta["id"] != "folder1"
    full = g.request("GET", "/__files/%s?meta=1" % meta["id"]).json()
    assert full["parents"] == ["folder1"] and full["appCreated"]
    assert g.read(meta["id"]).body == b"\xff\xd8jpeg"
    # no metadata at all: "Untitled"; fields at session start shape the final answer
    r = g.open_session(token, query="uploadType=resumable&fields=id,name,size")
    target = r.headers["location"][len(g.base):]
    assert "fields=id%2Cname%2Csize" in target
    done = g.put(target, b"abc").json()
    assert set(done) == {"id", "name", "size"} and (done["name"], done["size"]) == ("Untitled", "3")
    assert g.put(target, b"", {"Content-Range": "bytes */3"}).json() == done


def test_session_start_rules(g):
    g.seed("exists", b"x")
    token = g.token(DRIVE)
    assert g.open_session(g.token(READONLY), "exists").status == 403
    r = g.open_session(g.token(READONLY))
    assert r.status == 403 and r.json()["error"]["errors"][0]["reason"] == "insufficientPermissions"
    assert g.open_session(None, "exists").status == 401
    r = g.open_session("ya29.bogus", "exists")
    assert r.status == 401 and r.json()["error"]["errors"][0]["reason"] == "authError"
    r = g.open_session(token, "missing-file")
    assert (r.status, r.json()["error"]["message"]) == (404, "File not found: missing-file.")
    r = g.open_session(token, metadata={"name": "x", "parents": ["no-such-folder"]})
    assert (r.status, r.json()["error"]["message"]) == (404, "File not found: no-such-folder.")
    r = g.request("POST", "/upload/drive/v3/files?uploadType=resumable", "{not json",
                  {"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    assert r.status == 400 and r.json()["error"]["errors"][0]["reason"] == "parseError"
    assert g.open_session(token, query="uploadType=multipart").status == 400
    assert g.open_session(token, query="").status == 400
    r = g.request("POST", "/upload/drive/v3/files?uploadType=resumable&access_token=" + token)
    assert r.status == 200 and "access_token" not in r.headers["location"]
    assert g.request("PUT", "/upload/drive/v3/files/exists?uploadType=resumable", b"",
                     {"Authorization": "Bearer " + token}).status == 405
    assert g.request("GET", "/upload/drive/v3/files?uploadType=resumable&upload_id=x").status == 405


def test_media_upload(g):
    g.seed("simple", b"old")
    token = g.token(DRIVE)
    r = g.request("PATCH", "/upload/drive/v3/files/simple?uploadType=media", b"replaced",
                  {"Authorization": "Bearer " + token, "Content-Type": "application/octet-stream"})
    assert r.status == 200 and r.json()["id"] == "simple" and g.read("simple").body == b"replaced"
    assert g.request("PATCH", "/upload/drive/v3/files/simple?uploadType=media", b"x").status == 401


def test_chunked_session_and_status_queries(g):
    g.seed("big", b"")
    target = g.session(g.token(DRIVE), "big")
    data = os.urandom(300)
    r = g.put(target, b"", {"Content-Range": "bytes */*"})
    assert r.status == 308 and r.reason == "Resume Incomplete" and "range" not in r.headers
    r = g.put(target, data[:100], {"Content-Range": "bytes 0-99/*"})
    assert (r.status, r.headers["range"], r.body) == (308, "bytes=0-99", b"")
    r = g.put(target, b"", {"Content-Range": "bytes */300"})
    assert (r.status, r.headers["range"]) == (308, "bytes=0-99")
    r = g.put(target, data[50:200], {"Content-Range": "bytes 50-199/300"})      # overlap is dropped
    assert (r.status, r.headers["range"]) == (308, "bytes=0-199")
    r = g.put(target, data[250:], {"Content-Range": "bytes 250-299/300"})        # gap -> 400
    assert r.status == 400 and "exceeds already uploaded size of 200" in r.json()["error"]["message"]
    r = g.put(target, data[200:210], {"Content-Range": "bytes 200-219/300"})     # length mismatch
    assert r.status == 400
    r = g.put(target, data[200:], {"Content-Range": "bytes 200-299/300"})
    assert r.status == 200 and r.json()["id"] == "big"
    assert g.read("big").body == data
    sessions = g.request("GET", "/__sessions").json()
    assert [s["state"] for s in sessions if s["file_id"] == "big"] == ["done"]


def test_declared_length_and_content_length_rules(g):
    g.seed("dl", b"")
    token = g.token(DRIVE)
    target = g.session(token, "dl", headers={"X-Upload-Content-Length": "5"})
    r = g.put(target, b"123456")
    assert r.status == 400 and r.json()["error"]["errors"][0]["reason"] == "badContent"
    assert g.put(target, b"12345").status == 200
    target = g.session(token, "dl")
    c = g.conn()
    c.putrequest("PUT", target)
    c.putheader("Transfer-Encoding", "chunked")
    c.endheaders()
    c.send(b"3\r\nabc\r\n0\r\n\r\n")
    r = Response(c.getresponse())
    c.close()
    assert r.status == 411
    assert g.put(target, b"fine").status == 200 and g.read("dl").body == b"fine"
    assert g.put(target.replace("upload_id=", "upload_id=zz"), b"x").status == 404
    assert g.put(target.replace("/dl?", "/other?"), b"x").status == 404       # upload_id bound to its URL
    assert g.put(target, b"x", {"Content-Range": "bytes 0-0/garbage"}).status == 400


def test_session_expiry(g):
    g.seed("exp", b"orig")
    token = g.token(DRIVE)
    target = g.session(token, "exp")
    g.control({"now": time.time() + 7 * 86400 - 60})
    assert g.put(target, b"", {"Content-Range": "bytes */*"}).status == 308     # still open after ~7 days
    g.control({"now": time.time() + 7 * 86400 + 1})
    r = g.put(target, b"late")
    assert r.status == 404 and g.read("exp").body == b"orig"
    g.reset()
    target = g.session(token, "exp")
    g.control({"expire_sessions": True})
    assert g.put(target, b"late").status == 404


def test_short_session_ttl(standins):
    g = standins("--session-ttl", "1")
    g.seed("sttl", b"orig")
    target = g.session(g.token(DRIVE), "sttl")
    time.sleep(1.2)
    assert g.put(target, b"late").status == 404


# ---- Expect: 100-continue (raw sockets) -----------------------------------------------------------------

def expect_put(inst, target, length):
    return inst.raw("PUT %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: %d\r\nContent-Type: image/jpeg\r\n"
                    "Expect: 100-continue\r\n\r\n" % (target, length))


def test_expect_100_continue(g):
    g.seed("e1", b"orig")
    target = g.session(g.token(DRIVE), "e1")
    s = expect_put(g, target, 4)
    assert read_head(s)[0] == 100
    s.sendall(b"data")
    status, headers, rest = read_answer(s)
    assert status == 200 and json.loads(rest)["id"] == "e1" and g.read("e1").body == b"data"
    assert answers_health(s)                                       # connection still usable
    s.close()
    for bad, expected in [(target, 410),                                            # completed
                          ("/upload/drive/v3/files/e1?uploadType=resumable&upload_id=unknown", 404)]:
        s = expect_put(g, bad, 4)
        status, headers, _ = read_head(s)
        assert (status, headers["connection"]) == (expected, "close")
        s.close()
    assert g.read("e1").body == b"data"


def test_expect_probe_then_abandon_keeps_session(g):
    g.seed("e2", b"orig")
    target = g.session(g.token(DRIVE), "e2")
    s = expect_put(g, target, 10)
    assert read_head(s)[0] == 100                                           # the session is claimed by now
    s.sendall(b"12345")                                                     # half a body ...
    r = g.put(target, b"full body!")
    assert r.status == 503 and r.json()["error"]["errors"][0]["reason"] == "backendError"
    r = g.put(target, b"", {"Content-Range": "bytes */*"})                  # queries still answer
    assert r.status == 308 and "range" not in r.headers
    s.close()                                                               # ... then gone
    deadline = time.time() + 5
    while time.time() < deadline and any(x["busy"] for x in g.request("GET", "/__sessions").json()
                                         if x["file_id"] == "e2"):
        time.sleep(0.05)
    r = g.put(target, b"", {"Content-Range": "bytes */*"})
    assert r.status == 308 and "range" not in r.headers                     # nothing persisted
    assert g.put(target, b"full body!").status == 200 and g.read("e2").body == b"full body!"


# ---- faults, request log, keep-alive -------------------------------------------------------------------

def test_token_faults(g):
    g.control({"route": "/token", "responses": [{"status": 500}, {"status": 503}, {"status": 429, "retry_after": 3},
                                                {"drop": True}, {"status": 400, "json": {"error": "temporarily_unavailable"}},
                                                {"status": 502, "json": False}]})
    jwt = g.assertion()
    r = g.token_request(jwt)
    assert (r.status, r.json()) == (500, {"error": "internal_failure"})
    assert g.token_request(jwt).json() == {"error": "internal_failure"}
    r = g.token_request(jwt)
    assert (r.status, r.headers["retry-after"], r.json()) == (429, "3", {"error": "rate_limit_exceeded"})
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        g.token_request(jwt)
    r = g.token_request(jwt)
    assert (r.status, r.json()) == (400, {"error": "temporarily_unavailable"})
    r = g.token_request(jwt)
    assert (r.status, r.body) == (502, b"Bad Gateway") and r.ctype.startswith("text/plain")
    assert g.token_request(jwt).status == 200
    log = g.log()
    assert [e["status"] for e in log] == [500, 503, 429, "dropped", 400, 502, 200]
    assert all(b["time"] > a["time"] for a, b in zip(log, log[1:]))


def test_drive_and_upload_faults(g):
    g.seed("f1", b"payload")
    token = g.token(DRIVE)
    target = g.session(token, "f1")
    g.control({"route": "/drive/v3/files*", "responses": [{"status": 503}, {"status": 429, "retry_after": 1},
                                                          {"status": 403, "reason": "userRateLimitExceeded"},
                                                          {"status": 200, "delay": 0.3, "body": "slow"}]})
    r = g.get("f1", token)
    assert r.status == 503 and r.json()["error"]["errors"][0]["reason"] == "backendError"
    r = g.get("f1", token)
    assert r.status == 429 and r.json()["error"]["status"] == "RESOURCE_EXHAUSTED" and r.headers["retry-after"] == "1"
    r = g.get("f1", token)
    assert r.status == 403 and r.json()["error"]["errors"][0]["reason"] == "userRateLimitExceeded"
    t0 = time.monotonic()
    assert g.get("f1", token).body == b"slow" and time.monotonic() - t0 >= 0.3
    assert g.get("f1", token).body == b"payload"
    g.control({"route": "/upload/drive/v3/files*", "responses": [{"status": 503}, {"drop": True}]})
    assert g.put(target, b"new").status == 503                               # the session is not consumed
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        g.put(target, b"new")
    assert g.put(target, b"new").status == 200 and g.read("f1").body == b"new"
    g.control({"route": "/upload/drive/v3/files/f1", "responses": [{"status": 500}]})
    s = expect_put(g, target, 3)                                             # faults answer before any 100
    assert read_head(s)[0] == 500
    s.close()


def test_request_log_and_reset(g):
    g.seed("l1", b"x")
    token = g.token(DRIVE)
    g.get("l1", token, headers={"X-Trace": "abc"})
    g.put(g.session(token, "l1"), b"y" * 5000)
    log = g.log()
    assert [(e["method"], e["status"]) for e in log] == [("POST", 200), ("GET", 200), ("PATCH", 200), ("PUT", 200)]
    assert ["X-Trace", "abc"] in log[1]["headers"] and log[1]["path"] == "/drive/v3/files/l1?alt=media"
    assert log[3]["body"] == "y" * 4096 and log[3]["body_truncated"] and log[3]["body_length"] == 5000
    assert all(isinstance(e["time"], float) for e in log)
    g.control({"route": "/token", "responses": [{"status": 503}]})
    g.reset()
    assert g.log() == [] and g.token() and g.read("l1").body == b"y" * 5000    # queue gone, files kept
    assert g.request("GET", "/__health").body == b"ok"


def test_keep_alive_across_answers(g):
    g.seed("k1", b"k")
    token = g.token(DRIVE)
    c = g.conn()
    socks, statuses = set(), []
    for method, target, body, headers in [
            ("GET", "/drive/v3/files/k1?alt=media", None, {"Authorization": "Bearer " + token}),
            ("GET", "/drive/v3/files/k1?alt=media", None, {}),
            ("GET", "/drive/v3/files/zz?alt=media", None, {"Authorization": "Bearer " + token}),
            ("POST", "/token", "grant_type=x", FORM),
            ("PATCH", "/upload/drive/v3/files/k1?uploadType=resumable", None, {"Authorization": "Bearer x"}),
            ("PUT", "/upload/drive/v3/files?uploadType=resumable&upload_id=nope", b"abc", {}),
            ("GET", "/nowhere", None, {})]:
        r = g.request(method, target, body, headers, conn=c)
        statuses.append(r.status)
        assert not r.will_close, (method, target)
        socks.add(id(c.sock))
    assert statuses == [200, 401, 404, 400, 401, 404, 404] and len(socks) == 1
    c.close()


def test_control_tokens_and_listing(g):
    g.control({"tokens": [{"access_token": "ya29.SEEDED", "scopes": [READONLY], "expires_in": 600}]})
    g.seed("c1", b"c")
    assert g.get("c1", "ya29.SEEDED").status == 200
    assert g.open_session("ya29.SEEDED", "c1").status == 403
    assert g.tokens()["ya29.SEEDED"]["scopes"] == [READONLY]
    ids = [m["id"] for m in g.request("GET", "/__files").json()]
    assert "c1" in ids
    assert g.request("DELETE", "/__files/c1").status == 200 and g.get("c1", "ya29.SEEDED").status == 404
    assert g.request("PUT", "/__files/bad%2Fid", b"x").status == 400


def test_self_signed_jwt_option(standins):
    g = standins("--self-signed-jwt")
    g.seed("ss", b"self")
    now = int(time.time())
    jwt = sign_jwt({"alg": "RS256", "typ": "JWT", "kid": KID},
                   {"iss": EMAIL, "sub": EMAIL, "iat": now, "exp": now + 3600, "aud": "https://drive.googleapis.com/"})
    assert g.get("ss", jwt).body == b"self"
    g.control({"now": VECTORS["now_epoch"] + 60})
    for case in ("self-signed-audience-drive", "self-signed-scope-claim"):
        assert g.get("ss", CASES[case]["expected"]["jwt"]).status == 200, case
    assert g.get("ss", CASES["assertion-drive"]["expected"]["jwt"]).status == 401   # aud = token endpoint
    assert standins().get("ss", jwt).status == 401                               # off by default


def test_real_google_auth_against_standin(g):
    """google-auth's service_account.Credentials refresh against the stand-in, when installed."""
    pytest.importorskip("google.auth")
    from google.auth.transport.requests import Request
    from google.oauth2 import service_account
    creds = service_account.Credentials.from_service_account_info(dict(KEY, token_uri=g.token_url),
                                                                  scopes=[DRIVE])
    creds.refresh(Request())
    assert creds.token.startswith("ya29.")
    g.seed("ga", b"ga")
    assert g.get("ga", creds.token).body == b"ga"

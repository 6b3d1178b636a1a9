#!/usr/bin/env python3
"""Local stand-in for Adobe IMS (OAuth server-to-server) and the Lightroom API (lrService).

    python3 lightroom_standin.py --host 127.0.0.1 --port 8093 [--step 0.2] [--token-ttl 86399]
                                 [--allow-http-loopback] [--loopback-only] [--verbose]

Python 3.11 stdlib + `jsonschema`.  `--port 0` picks a free port; the first stderr line is
"lightroom_standin: listening on http://HOST:PORT".  Job validation and processing live in
lightroom_standin_jobs.py.  Sources: Adobe's Lightroom API and IMS documentation (the project's provider
notes, section 4); Adobe's schemas copied in Fixtures/lightroom/cis-photoshop-api-docs (start-up fails
without them).

Credentials: client_id presign-test-client, client_secret "presign-test-secret+&=/" (breaks a client that
does not form-encode).

  POST /ims/token/v3   form grant_type=client_credentials, client_id, client_secret, scope (comma-separated;
        fields may also be in the query string, the body wins) -> 200 {"access_token":"lr-test-...",
        "token_type":"bearer","expires_in":<--token-ttl>}.  Checks in order: unknown/missing client_id 400
        invalid_client; wrong secret 401 invalid_client; grant_type 400 unsupported_grant_type; scope lacking
        openid, AdobeID or read_organizations 400 invalid_scope.  A non-form Content-Type -> 400
        invalid_request.  Errors are {"error","error_description"}.
  Every /lrService/... request: Authorization: Bearer <live token> (else 401 {"error_code":"401013",
        "message":"Oauth token is not valid"}), then x-api-key (missing 403 403000 "Api Key is required",
        not the client id 403 403003 "Api Key is invalid").
  POST /lrService/autoTone | autoStraighten | presets | edit | xmp   JSON body validated with jsonschema
        against post_auto_tone | post_auto_straighten | post_presets | post_image_edit | post_xmp
        .schema.json -> 400 {"type":"InputValidationError","title":"request parameters didn't validate",
        "code":"400","details":{"name": <first failing field>, "reason": <message>, "allowedValues"?,
        "errors": [every {"name","reason"[,"allowedValues"]}]}} (details is an object, as
        api_response_400_error_schema.json says); a body that is not JSON or a Content-Type other than
        application/json is the same 400.  Valid -> 202 {"_links":{"self":{"href":
        "http://<Host header>/lrService/status/<uuid>"}}}.
        --allow-http-loopback: an href starting http://127.0.0.1 or http://localhost is read as https://...
        FOR VALIDATION ONLY (the real API demands ^https:// for external/azure/dropbox; local test storage
        is plain http).  The job still fetches/uploads the real http:// URL.
  Processing (a thread per job): outputs "pending" for --step s, then "running"; after another --step s the
        input href (inputs.href, or inputs.source.href; presets' hrefs are fetched too) is read with GET,
        no redirects followed, retrying 429/502/503/504 three times (0.1/0.2/0.4 s back-off).  Unreadable ->
        every output "failed" with errors {"type":"FileLinkInvalidError","title":"Unable to download the
        input href. The link is either invalid or has expired.","code":"410","details":[{"name":"href"
        (or "presets[i].href"),"reason":"<status or error>"}]}.  Else the input bytes go to each output:
        external PUT (no extra headers), azure PUT + x-ms-blob-type: BlockBlob, dropbox POST +
        Content-Type: application/octet-stream (uploads are not retried); 2xx -> "succeeded", else "failed"
        with errors {"type":"AuthForbidden","title":"Unable to upload the outputs","code":"403","details":
        [{"name":"href","reason":"<status or error>"}]}.  --loopback-only: hrefs on other hosts are not
        contacted (failed, reason "not fetched: --loopback-only") - for tests that must stay offline.
  GET /lrService/status/<jobId> -> 200 get_status.schema.json body {"jobId","created","modified","outputs":
        [{"input","status","_links":{"self":{"href","storage"}},"errors"?}],"_links":{"self":{"href"}}};
        unknown job -> 404 {"type":"ResourceNotFound","title":"Requested resource was not found","code":"404"}.
Test control (no auth, not recorded)
  POST /__faults {"path": PREFIX, "responses": [{"status": 503}, {"status": 429, "retry_after": "2"},
        {"drop": true}, {"delay": 1.5}, ...]}  queued answers, one per request whose path starts with PREFIX
        (longest queued prefix first).  {"status": N} -> N with {"type","title","code":"N"} (5xx
        InternalServerError; 429 TooManyRequests + Retry-After if given; /ims/... bodies also carry
        "error"/"error_description"); optional "body" (JSON) and "headers" override.  {"drop": true} closes
        the connection unanswered; {"delay": S} sleeps, then handles normally (or answers "status" if given).
  DELETE /__faults   clears every queue.
  GET /__attempts?path=PREFIX -> {"count","times" (monotonic s),"wall_times","methods"};  DELETE /__attempts
  GET /__requests/last?path=PREFIX -> {"method","path","query","target","headers":{lower-case},"body"} | 404
  POST /__expire_tokens  every issued token expires now;  GET /__health -> "ok"
"""
import argparse
import json
import os
import secrets
import sys
import threading
import time
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lightroom_standin_jobs as jobs  # noqa: E402
import standin_lifecycle as lifecycle  # noqa: E402

CLIENT_ID = "presign-test-client"
CLIENT_SECRET = "presign-test-secret+&=/"
REQUIRED_SCOPES = ("openid", "AdobeID", "read_organizations")
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(REPO, "Fixtures")
TOKEN_INVALID = {"error_code": "401013", "message": "Oauth token is not valid"}
KEY_REQUIRED = {"error_code": "403000", "message": "Api Key is required"}
KEY_INVALID = {"error_code": "403003", "message": "Api Key is invalid"}
NOT_FOUND = {"type": "ResourceNotFound", "title": "Requested resource was not found", "code": "404"}
FAULT_TYPES = {400: ("InputValidationError", "request parameters didn't validate"),
               401: ("Unauthorized", "Unauthorized"), 403: ("AuthForbidden", "Forbidden"),
               404: ("ResourceNotFound", "Requested resource was not found"),
               409: ("FileOverwriteError", "Conflict"), 410: ("FileLinkInvalidError", jobs.DOWNLOAD_ERROR),
               429: ("TooManyRequests", "Too many requests")}


class State:
    def __init__(self, args):
        self.args = args
        self.validator = jobs.Validator(jobs.schema_dir(FIXTURES))
        self.lock = threading.Lock()
        self.tokens, self.jobs, self.faults, self.log = {}, {}, {}, []

    def next_fault(self, path):
        with self.lock:
            for prefix in sorted(self.faults, key=len, reverse=True):
                if path.startswith(prefix) and self.faults[prefix]:
                    return self.faults[prefix].pop(0)
        return None

    def matching(self, prefix):
        with self.lock:
            return [e for e in self.log if e["path"].startswith(prefix or "")]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "lightroom-standin"
    timeout = 120
    disable_nagle_algorithm = True

    def log_message(self, fmt, *args):
        if self.server.state.args.verbose:
            sys.stderr.write("lightroom_standin: %s\n" % (fmt % args))

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = lambda self: self._dispatch()

    # ---- plumbing -----------------------------------------------------------------------------------
    def _read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            out = b""
            while True:
                size = int(self.rfile.readline(1024).split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(8192) not in (b"\r\n", b"\n", b""):
                        pass
                    return out
                out += self.rfile.read(size)
                self.rfile.readline(8)
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    def _send(self, status, body, ctype="application/json", headers=()):
        data = body if isinstance(body, bytes) else (body if isinstance(body, str) else json.dumps(body)).encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _dispatch(self):
        self.st = st = self.server.state
        url = urllib.parse.urlsplit(self.path)
        path, self.query = url.path, urllib.parse.parse_qs(url.query, keep_blank_values=True)
        try:
            self.body = self._read_body()
        except (ValueError, OSError):
            self.close_connection = True
            return
        if path.startswith("/__"):
            return self._control(path)
        with st.lock:
            st.log.append({"path": path, "query": url.query, "target": self.path, "method": self.command,
                           "headers": {k.lower(): v for k, v in self.headers.items()},
                           "body": self.body.decode("utf-8", "replace"),
                           "time": time.monotonic(), "wall_time": time.time()})
        fault = st.next_fault(path)
        if fault is not None:
            time.sleep(float(fault.get("delay", 0)))
            if fault.get("drop"):
                self.close_connection = True
                return
            if "status" in fault:
                return self._fault(fault, path)
        if path == "/ims/token/v3":
            return self._token()
        if path.startswith("/lrService/"):
            return self._api(path)
        self._send(404, NOT_FOUND)

    def _fault(self, f, path):
        status = int(f["status"])
        kind, title = FAULT_TYPES.get(status, ("InternalServerError", "Internal server error") if status >= 500
                                      else ("Error", "Error"))
        body = {"type": kind, "title": title, "code": str(status)}
        if path.startswith("/ims/"):
            body.update(error="server_error" if status >= 500 else "temporarily_unavailable"
                        if status == 429 else "invalid_request", error_description=title)
        headers = list((f.get("headers") or {}).items())
        if f.get("retry_after") is not None:
            headers.append(("Retry-After", str(f["retry_after"])))
        self._send(status, f.get("body", body), headers=headers)

    # ---- IMS ----------------------------------------------------------------------------------------
    def _ims_error(self, status, error, description):
        self._send(status, {"error": error, "error_description": description})

    def _token(self):
        if self.command != "POST":
            return self._ims_error(405, "invalid_request", "method not allowed")
        ctype = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if ctype != "application/x-www-form-urlencoded":
            return self._ims_error(400, "invalid_request", "Content-Type must be application/x-www-form-urlencoded")
        fields = {k: v[0] for k, v in self.query.items()}
        fields.update({k: v[0] for k, v in urllib.parse.parse_qs(
            self.body.decode("utf-8", "replace"), keep_blank_values=True).items()})
        if fields.get("client_id") != CLIENT_ID:
            return self._ims_error(400, "invalid_client", "invalid client_id parameter")
        if fields.get("client_secret") != CLIENT_SECRET:
            return self._ims_error(401, "invalid_client", "invalid client_secret parameter")
        if fields.get("grant_type") != "client_credentials":
            return self._ims_error(400, "unsupported_grant_type",
                                   "unsupported grant_type: %s" % fields.get("grant_type"))
        scopes = [s.strip() for s in fields.get("scope", "").split(",") if s.strip()]
        missing = [s for s in REQUIRED_SCOPES if s not in scopes]
        if missing:
            return self._ims_error(400, "invalid_scope", "invalid scope: missing %s" % ",".join(missing))
        token, ttl = "lr-test-" + secrets.token_urlsafe(24), self.st.args.token_ttl
        with self.st.lock:
            self.st.tokens[token] = time.monotonic() + ttl
        self._send(200, {"access_token": token, "token_type": "bearer",
                         "expires_in": int(ttl) if float(ttl).is_integer() else ttl})

    # ---- Lightroom API ------------------------------------------------------------------------------
    def _api(self, path):
        auth = self.headers.get("Authorization", "")
        token = auth[7:].strip() if auth[:7].lower() == "bearer " else None
        with self.st.lock:
            expiry = self.st.tokens.get(token)
        if expiry is None or time.monotonic() >= expiry:
            return self._send(401, TOKEN_INVALID)
        key = self.headers.get("x-api-key")
        if not key:
            return self._send(403, KEY_REQUIRED)
        if key != CLIENT_ID:
            return self._send(403, KEY_INVALID)
        if path in jobs.ENDPOINTS:
            if self.command != "POST":
                return self._send(405, {"type": "MethodNotAllowed", "title": "Method not allowed", "code": "405"})
            return self._submit(path)
        if path.startswith("/lrService/status/") and self.command in ("GET", "HEAD"):
            with self.st.lock:
                job = self.st.jobs.get(path[len("/lrService/status/"):])
            return self._send(200, job.status_body()) if job else self._send(404, NOT_FOUND)
        self._send(404, NOT_FOUND)

    def _invalid(self, details):
        first = dict(details[0])
        self._send(400, {"type": "InputValidationError", "title": "request parameters didn't validate",
                         "code": "400", "details": dict(first, errors=details)})

    def _submit(self, path):
        ctype = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if ctype != "application/json":
            return self._invalid([{"name": "Content-Type", "reason": "must be application/json, not %r" % ctype}])
        try:
            body = json.loads(self.body)
        except ValueError as e:
            return self._invalid([{"name": "body", "reason": "not valid JSON: %s" % e}])
        errors = self.st.validator.errors(jobs.ENDPOINTS[path], body, self.st.args.allow_http_loopback)
        if errors:
            return self._invalid(errors)
        job_id = str(uuid.uuid4())
        host = self.headers.get("Host") or "%s:%d" % self.server.server_address[:2]
        status_url = "http://%s/lrService/status/%s" % (host, job_id)
        job = jobs.Job(job_id, path, body, status_url, self.st.args.step, self.st.args.loopback_only)
        with self.st.lock:
            self.st.jobs[job_id] = job
        job.start()
        self._send(202, {"_links": {"self": {"href": status_url}}})

    # ---- test control -------------------------------------------------------------------------------
    def _control(self, path):
        st, prefix = self.st, (self.query.get("path") or [""])[0]
        if path == "/__health":
            return self._send(200, "ok", "text/plain; charset=utf-8")
        if path == "/__faults" and self.command == "POST":
            try:
                cmd = json.loads(self.body or b"{}")
                with st.lock:
                    st.faults.setdefault(cmd["path"], []).extend(cmd.get("responses", []))
                    queued = {p: len(q) for p, q in st.faults.items() if q}
            except (ValueError, KeyError, TypeError, AttributeError) as e:
                return self._send(400, {"error": "bad fault command: %s" % e})
            return self._send(200, {"queued": queued})
        if path == "/__faults" and self.command == "DELETE":
            with st.lock:
                st.faults.clear()
            return self._send(200, {"cleared": True})
        if path == "/__attempts" and self.command == "GET":
            hits = st.matching(prefix)
            return self._send(200, {"count": len(hits), "times": [e["time"] for e in hits],
                                    "wall_times": [e["wall_time"] for e in hits],
                                    "methods": [e["method"] for e in hits]})
        if path == "/__attempts" and self.command == "DELETE":
            with st.lock:
                st.log.clear()
            return self._send(200, {"cleared": True})
        if path == "/__requests/last" and self.command == "GET":
            hits = st.matching(prefix)
            if not hits:
                return self._send(404, {"error": "no request matches path prefix %r" % prefix})
            return self._send(200, {k: hits[-1][k] for k in ("method", "path", "query", "target", "headers", "body")})
        if path == "/__expire_tokens" and self.command == "POST":
            with st.lock:
                st.tokens = dict.fromkeys(st.tokens, 0.0)
            return self._send(200, {"expired": len(st.tokens)})
        self._send(404, {"error": "unknown control route"})


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8093, help="0 = pick a free port")
    p.add_argument("--step", type=float, default=0.2, help="seconds per job step (pending, running, ...)")
    p.add_argument("--token-ttl", type=float, default=86399, help="access token lifetime (s)")
    p.add_argument("--allow-http-loopback", action="store_true",
                   help="validate http://127.0.0.1 / http://localhost hrefs as if they were https://")
    p.add_argument("--loopback-only", action="store_true", help="never contact hrefs on other hosts")
    p.add_argument("--verbose", action="store_true", help="log every request on stderr")
    lifecycle.add_arguments(p)
    args = p.parse_args(argv)
    with lifecycle.running(args, "lightroom-standin"):
        server = Server((args.host, args.port), Handler)
        try:
            server.state = State(args)
        except (OSError, ValueError) as e:
            server.server_close()
            sys.exit("lightroom_standin: %s" % e)
        sys.stderr.write("lightroom_standin: listening on http://%s:%d\n" % (args.host, server.server_address[1]))
        sys.stderr.flush()
        try:
            server.serve_forever(poll_interval=0.2)
        finally:
            server.server_close()


if __name__ == "__main__":
    main()

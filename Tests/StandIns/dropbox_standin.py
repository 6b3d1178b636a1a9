#!/usr/bin/env python3
"""Local stand-in for the documented Dropbox API v2 temporary-link workflow (Python 3 stdlib only).

    python3 dropbox_standin.py --host 127.0.0.1 --port N --state-dir DIR [options]

One port serves everything; the client is configured with --api-base http://127.0.0.1:N and every link
handed out points back to that port.  `--port 0` picks a free port.  The first stdout line is
"dropbox-standin listening on http://HOST:PORT" (read it to learn the port).  Rules and state live in
dropbox_standin_store.py next to this file; the HTTP scaffolding shared with google_standin.py (request log,
fault queues, control routes, start-up) in standin_common.py.

Dropbox routes (sources: Dropbox's HTTP API documentation, dropbox/dropbox-api-spec
files.stone, dropbox SDK 12.2.4, Fixtures/dropbox/sdk-requests.json)
  POST /2/files/get_temporary_link         Bearer; {"path"} -> 200 {"metadata", "link"}; 409 path/not_found,
                                           path/malformed_path, path/not_file, unsupported_file
  POST /2/files/get_temporary_upload_link  Bearer with files.content.write; {"commit_info", "duration"?}
                                           -> 200 {"link"}; 400 Stone validation text
  POST /oauth2/token                       grant_type=refresh_token (form body; client_secret or HTTP Basic)
  GET|HEAD /content/get/<id>/<name>        file bytes; Range: bytes=a-b|a-|-n -> 206/416; 410 once expired
  POST /content/apitul/1/<id>              one-time upload -> 200 {"content-hash"}; 400/405/409/410
Test-control routes (no auth, not logged)
  POST /__control   {"route": "/2/...", "responses": [{"status": 429, "retry_after": 2, "json": true},
                    {"status": 503}, {"drop": true}, {"status": 409, "body": {...}}, ...]}  queued answers,
                    returned in order before normal handling ("route" may end in "*" = prefix); entries may
                    also carry "headers", "content_type", "delay" (seconds), "reason" (429 reason tag).
                    Also {"tokens": [{"access_token": "sl.OLD", "expires_in": 0, "write": true}]},
                    {"expire_links": true}, {"expire_tokens": true}.
  GET  /__requests  JSON list of every non-control request: seq, method, path (with query), headers
                    [[name, value]...], body (first 4 KiB as text), body_length, body_truncated,
                    time (the stand-in's time.monotonic() at arrival), status (int, "dropped", or null)
  POST /__reset     clears fault queues and the request log (files, links and tokens stay)
  PUT|GET|DELETE /__files/<dropbox path>   seed / read back / delete a file;  GET /__health -> "ok"

Behaviour taken from observed Dropbox answers (error strings quoted by client code and SDKs)
  * No Authorization header -> 400 text 'Must provide HTTP header "Authorization" or URL parameter
    "authorization".'; a non-"Bearer <token>" value -> 400 'Invalid authorization value ...' (what Dropbox
    answers, seen in client code handling these strings); a well-formed unknown token -> 401 invalid_access_token.
  * Wrong app key/secret at /oauth2/token -> 400 {"error": "invalid_client: Invalid client_id or client_secret"}
    (the body clients match on); no client_id at all -> 400 invalid_request "No auth function available ...".
  * A path that fails the ReadPath/WritePathOrId pattern -> 400 Stone text (vector 400-bad-input...);
    409 malformed_path is for pattern-valid paths that are still malformed ("//", trailing "/", "." / "..",
    control characters, 256+ char names, bare "id:").
  * Content-Type accepted on RPC routes: "application/json", "application/json; charset=utf-8",
    "text/plain; charset=dropbox-cors-hack" (Dropbox's own error text lists these three).
  * JSON responses carry Content-Type exactly "application/json": the SDK asserts it for 401 and
    uses it to tell JSON 429s from plain ones.
Assumptions (not verifiable offline)
  * PUT (or any non-POST method) on a temporary upload link -> 405 Method Not Allowed, "Allow: POST", link not
    consumed.  Dropbox documents only POST; whether it accepts PUT is unverified (spec section 6).
  * Upload link: unknown or busy (another upload in progress) -> 409; consumed -> 410 "Temporary upload link
    has been recently consumed."; expired -> 410.  States are checked before Content-Type (400).  The link is
    consumed only once a complete body has arrived - also when the commit then fails with 409.  With
    "Expect: 100-continue" the stand-in answers 100 only if the link is usable and the Content-Type is
    right, otherwise sends the final status at once and closes the connection without reading the body.
  * A failed commit answers 409 with the generic body "Conflict"; the stand-in-only header X-Standin-Reason
    names the cause for test debugging.  Every non-control answer carries an X-Dropbox-Request-Id.
  * Commit rules: add conflicts on an existing file unless the contents are identical (and strict_conflict
    is false); autorename -> "name (1).ext", "(2)"...; update(rev) conflicts on another rev; a folder
    or a file as parent folder is a conflict; bodies over 150 MiB -> 409.
  * Unknown request fields -> 400 "unknown field" (Stone strict decoding).  Stone message texts are those
    of the stone validators the SDK ships.  .gdoc/.gsheet/.paper... -> 409 unsupported_file.  "/" and
    "ns:<--namespace-id>" are the root folder (-> not_file); other namespaces -> not_found.
  * A download link serves the file's current bytes (looked up by id); a deleted file -> 404.  Its last
    URL segment must be the file name the link was issued with (else 404).  Non-GET/HEAD -> 405.
  * /oauth2/token: a `scope` without files.content.write yields a read-only token; without --pkce a
    missing client_secret is invalid_client; only form bodies are read.
"""
import base64
import mimetypes
import os
import re
import sys
import tempfile
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dropbox_standin_store as st  # noqa: E402
import standin_common as common  # noqa: E402

JSON_TYPE = "application/json"
RPC_TYPES = ("application/json", "application/json;charset=utf-8", "text/plain;charset=dropbox-cors-hack")
UPLOAD_PREFIX, DOWNLOAD_PREFIX = "/content/apitul/1/", "/content/get/"
ROUTES = ("/2/files/get_temporary_link", "/2/files/get_temporary_upload_link")
INVALID_CLIENT = {"error": "invalid_client: Invalid client_id or client_secret"}


class StandIn(common.StandInState):
    """Everything shared between request threads."""

    def __init__(self, args, base_url):
        super().__init__(args, base_url)
        self.store = st.Store(args.state_dir, args.namespace_id)
        self.tokens = st.Tokens(args.token, args.readonly_token, args.token_ttl)
        self.links = st.Links(args.link_ttl, args.upload_link_ttl)


def media_type(value):
    return ";".join(p.strip() for p in (value or "").split(";") if p.strip()).lower()


class Handler(common.StandInHandler):
    name = "dropbox-standin"
    server_version = "dropbox-standin/1"
    json_type = JSON_TYPE

    def _log_headers(self):
        return [("X-Dropbox-Request-Id", os.urandom(16).hex())]

    def _small_unused_body(self):
        # unlike the base rule: HTTP/1.0 "Expect: 100-continue" also leaves the body unread, chunked bodies are read
        return (self.headers.get("Expect", "").lower() != "100-continue"
                and self._content_length() <= common.SMALL_BODY)

    def _read_before_drop(self):
        return self.headers.get("Expect", "").lower() != "100-continue"

    def _api_error(self, route, message):
        self._text(400, 'Error in call to API function "%s": %s' % (route, message))

    # ---- dispatch ---------------------------------------------------------------------------------
    def _route(self, path):
        if path in ROUTES:
            return self._rpc(path[3:])
        if path == "/oauth2/token":
            return self._token()
        if path.startswith(DOWNLOAD_PREFIX):
            return self._download(path[len(DOWNLOAD_PREFIX):])
        if path.startswith(UPLOAD_PREFIX):
            return self._upload(path[len(UPLOAD_PREFIX):])
        if path.startswith("/2/"):
            return self._discard_then(self._text, 404, 'Unknown API function: "%s"' % path[3:])
        return self._discard_then(self._text, 404, "Not Found")

    def _fault_body(self, f, status, path, headers):
        body = f.get("body")
        if status == 429:
            retry_after = int(f.get("retry_after", 1))
            headers.append(("Retry-After", str(retry_after)))
            if body is None and f.get("json", True):
                body = {"error_summary": "%s/.." % f.get("reason", "too_many_requests"),
                        "error": {"reason": {".tag": f.get("reason", "too_many_requests")},
                                  "retry_after": retry_after}}
            elif body is None:
                body = "Too Many Requests"
        return "" if body is None else body

    # ---- /2/files/* ---------------------------------------------------------------------------------
    def _rpc(self, route):
        if self.command != "POST":
            return self._discard_then(self._text, 405, "Method Not Allowed", [("Allow", "POST")])
        raw = self._read_body()
        header, param = self.headers.get("Authorization"), self.query.get("authorization", [None])[0]
        value = header if header is not None else param
        if value is None:
            return self._api_error(route, 'Must provide HTTP header "Authorization" or URL parameter "authorization".')
        m = re.fullmatch(r"[Bb]earer +(\S+)", value.strip())
        if not m:
            return self._api_error(route, 'Invalid authorization value in HTTP header "Authorization": "%s".  '
                                          'Expecting "Bearer <oauth2-access-token>".' % value)
        tag, can_write = self.standin.tokens.check(m.group(1))
        if tag:
            return self._json(401, {"error_summary": tag + "/..", "error": {".tag": tag}})
        if route.endswith("upload_link") and not can_write:
            return self._json(401, {"error_summary": "missing_scope/..",
                                    "error": {".tag": "missing_scope", "required_scope": "files.content.write"}})
        ctype = self.headers.get("Content-Type", "")
        if media_type(ctype) not in RPC_TYPES:
            return self._api_error(route, 'Bad HTTP "Content-Type" header: "%s".  Expecting one of '
                                          '"application/json", "application/json; charset=utf-8", '
                                          '"text/plain; charset=dropbox-cors-hack".' % ctype)
        try:
            obj = st.parse_json_object(raw)
            if route == "files/get_temporary_link":
                return self._temporary_link(st.validate_get_temporary_link_arg(obj))
            info, duration = st.validate_upload_link_arg(obj)
        except st.BadInput as e:
            return self._api_error(route, str(e))
        key = self.standin.links.new_upload(info, duration)
        self._json(200, {"link": self.standin.base_url + UPLOAD_PREFIX + key})

    def _temporary_link(self, path):
        s = self.standin
        status, disk = s.store.resolve(path)
        if status == "ok" and os.path.isdir(disk):
            status = "not_file"
        if status != "ok":
            return self._json(409, {"error_summary": "path/%s/.." % status,
                                    "error": {".tag": "path", "path": {".tag": status}}})
        if disk.lower().endswith(st.UNSUPPORTED_EXTENSIONS):
            return self._json(409, {"error_summary": "unsupported_file/..", "error": {".tag": "unsupported_file"}})
        meta = s.store.metadata(disk)
        key = s.links.new_download(meta["id"], meta["name"])
        link = "%s%s%s/%s" % (s.base_url, DOWNLOAD_PREFIX, key, urllib.parse.quote(meta["name"], safe=""))
        self._json(200, {"metadata": meta, "link": link})

    # ---- /oauth2/token ----------------------------------------------------------------------------
    def _token(self):
        a = self.standin.args
        if self.command != "POST":
            return self._discard_then(self._text, 405, "Method Not Allowed", [("Allow", "POST")])
        raw = self._read_body()
        if media_type(self.headers.get("Content-Type")).split(";")[0] != "application/x-www-form-urlencoded":
            return self._json(400, {"error": "invalid_request",
                                    "error_description": "request body must be application/x-www-form-urlencoded"})
        form = {k: v[0] for k, v in urllib.parse.parse_qs(raw.decode("utf-8", "replace"),
                                                           keep_blank_values=True).items()}
        client_id, secret = form.get("client_id"), form.get("client_secret")
        auth = self.headers.get("Authorization", "")
        if auth[:6].lower() == "basic ":
            try:
                b_id, _, b_secret = base64.b64decode(auth[6:].strip(), validate=True).decode().partition(":")
            except ValueError:
                return self._json(400, INVALID_CLIENT)
            if (client_id not in (None, b_id)) or (secret not in (None, b_secret)):
                return self._json(400, INVALID_CLIENT)
            client_id, secret = b_id, b_secret
        if not client_id:
            return self._json(400, {"error": "invalid_request",
                                    "error_description": "No auth function available for given request"})
        if client_id != a.app_key or (secret is None and not a.pkce) or (secret is not None and secret != a.app_secret):
            return self._json(400, INVALID_CLIENT)
        if form.get("grant_type") != "refresh_token":
            return self._json(400, {"error": "unsupported_grant_type",
                                    "error_description": "grant_type must be refresh_token"})
        if not form.get("refresh_token"):
            return self._json(400, {"error": "invalid_request", "error_description": "No refresh_token"})
        if form["refresh_token"] != a.refresh_token:
            return self._json(400, {"error": "invalid_grant", "error_description": "refresh token is invalid or revoked"})
        scope = form.get("scope")
        token = self.standin.tokens.issue(write=scope is None or "files.content.write" in scope.split())
        self._json(200, {"access_token": token, "token_type": "bearer", "expires_in": int(round(a.token_ttl))})

    # ---- links --------------------------------------------------------------------------------------
    def _download(self, rest):
        s = self.standin
        if self.command not in ("GET", "HEAD"):
            return self._discard_then(self._text, 405, "Method Not Allowed", [("Allow", "GET, HEAD")])
        self._read_body()
        key, _, name = rest.partition("/")
        state, rec = s.links.download(key)
        if state == "unknown" or urllib.parse.unquote(name) != rec["name"]:
            return self._text(404, "Not Found")
        if state == "expired":
            return self._text(410, "Gone: this temporary link has expired.")
        status, disk = s.store.resolve(rec["file_id"])
        if status != "ok" or not os.path.isfile(disk):
            return self._text(404, "Not Found")
        size = os.path.getsize(disk)
        rng = common.parse_range(self.headers.get("Range"), size)
        if rng == "unsatisfiable":
            return self._text(416, "Range Not Satisfiable", [("Content-Range", "bytes */%d" % size)])
        headers = [("Accept-Ranges", "bytes"),
                   ("Content-Disposition", "attachment; filename*=UTF-8''%s" % urllib.parse.quote(rec["name"]))]
        ctype = mimetypes.guess_type(rec["name"])[0] or "application/octet-stream"
        self._send_range(rng, size, ctype, headers, lambda: open(disk, "rb"))

    def _upload_refusal(self, state):
        if state in ("unknown", "busy"):
            return self._text(409, "Temporary upload link does not exist or is currently unavailable.")
        if state == "consumed":
            return self._text(410, "Temporary upload link has been recently consumed.")
        return self._text(410, "Temporary upload link has expired.")

    def _upload(self, key):
        s = self.standin
        if self.command != "POST":
            return self._discard_then(self._text, 405, "Method Not Allowed", [("Allow", "POST")])
        state = s.links.upload_state(key)
        if state != "open":
            return self._discard_then(self._upload_refusal, state)
        ctype = self.headers.get("Content-Type", "")
        if media_type(ctype).split(";")[0] not in ("application/octet-stream", "text/plain"):
            return self._discard_then(self._text, 400, 'Bad HTTP "Content-Type" header: "%s".  Expecting one of '
                                   '"application/octet-stream", "text/plain".' % ctype)
        state = s.links.claim_upload(key)
        if state != "open":
            return self._discard_then(self._upload_refusal, state)
        spool = tempfile.NamedTemporaryFile(prefix="dropbox-standin-", delete=False)
        try:
            hasher = st.ContentHasher()
            try:
                with spool:
                    total = self._spool_body(spool, digest=hasher)
            except BaseException:
                s.links.finish_upload(key, consumed=False)    # no complete body: the link stays usable
                raise
            s.links.finish_upload(key, consumed=True)
            if total > st.MAX_UPLOAD_BYTES:
                return self._text(409, "Conflict", [("X-Standin-Reason", "larger than 150 MiB")])
            digest = hasher.hexdigest()
            try:
                s.store.commit(s.links.commit_info(key), spool.name, digest)
            except st.Conflict as e:
                return self._text(409, "Conflict", [("X-Standin-Reason", str(e))])
            self._json(200, {"content-hash": digest})
        finally:
            os.unlink(spool.name)

    # ---- test control -------------------------------------------------------------------------------
    def _control_command(self, cmd):
        s = self.standin
        for t in cmd.get("tokens", []):
            s.tokens.seed(t["access_token"], float(t.get("expires_in", s.args.token_ttl)), t.get("write", True))
        if cmd.get("expire_links"):
            s.links.expire_all()
        if cmd.get("expire_tokens"):
            s.tokens.expire_all()
        return {}

    def _other_control(self, path, raw):
        """/__files/<dropbox path>: PUT seeds, GET|HEAD reads back, DELETE deletes."""
        s = self.standin
        if not path.startswith("/__files/"):
            return False
        parts = s.store.split("/" + urllib.parse.unquote(path[len("/__files/"):]))
        if not parts or s.store.malformed(parts):
            self._text(400, "bad path")
        elif self.command == "PUT":
            try:
                self._json(200, s.store.metadata(s.store.write(parts, raw)))
            except st.Conflict as e:
                self._text(409, str(e))
        elif self.command == "DELETE":
            self._text(200 if s.store.delete(parts) else 404, "")
        elif self.command in ("GET", "HEAD"):
            disk = s.store.resolve("/" + "/".join(parts))[1]
            if disk is None or not os.path.isfile(disk):
                self._text(404, "Not Found")
            else:
                with open(disk, "rb") as f:
                    self._send(200, f.read(), "application/octet-stream")
        else:
            return False
        return True


def main(argv=None):
    p = common.arg_parser(__doc__, "directory holding the fake Dropbox's files")
    p.add_argument("--public-base", help="base URL put into links (default http://HOST:PORT)")
    p.add_argument("--token", default="sl.TEST-ACCESS-TOKEN", help="fixed long-lived access token")
    p.add_argument("--readonly-token", default="sl.TEST-READONLY-TOKEN", help="token without files.content.write")
    p.add_argument("--token-ttl", type=float, default=14400, help="lifetime of refreshed tokens (s)")
    p.add_argument("--refresh-token", default="TEST-REFRESH-TOKEN")
    p.add_argument("--app-key", default="test-app-key")
    p.add_argument("--app-secret", default="test-app-secret")
    p.add_argument("--pkce", action="store_true", help="the refresh token is a PKCE one: no secret required")
    p.add_argument("--link-ttl", type=float, default=14400, help="temporary download link lifetime (s)")
    p.add_argument("--upload-link-ttl", type=float, default=None,
                   help="cap on upload link lifetime (s), for expiry tests; the API still takes 60..14400")
    p.add_argument("--namespace-id", default="1", help="root namespace id accepted in ns:<id>/... paths")
    common.serve(common.finish_args(p, argv), Handler, StandIn)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Local stand-in for Google's OAuth 2.0 token endpoint (JWT-bearer grant) and Drive v3 download/upload.

    python3 google_standin.py --host 127.0.0.1 --port N --state-dir DIR --key-file SA.json [--key-file ...]
                              [--dwd-subject EMAIL ...] [--token-ttl 3599] [--session-ttl 604800] [--quiet]

Python 3.11 stdlib + `cryptography`.  One port serves everything; point the client's token URI and Drive
base at http://127.0.0.1:N.  `--port 0` picks a free port; the first stdout line is
"google-standin listening on http://HOST:PORT".  Rules and state live in google_standin_store.py; the
HTTP scaffolding shared with dropbox_standin.py (request log, fault queues, control routes, start-up) in
standin_common.py.
--key-file: service-account JSON files whose keys are trusted; the public key is derived from
`private_key`, the account is `client_email`, the key id `private_key_id`, `token_uri` an accepted aud.

Routes (sources: Google's OAuth 2.0 service-account documentation, Fixtures/google-jwt
cases.json + token_endpoint_behaviour, google-auth 2.63.0, Drive v3 reference / resumable-upload guide,
error bodies as quoted in public issue threads)
  POST /token      form grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=<JWT>
                   -> 200 {"access_token":"ya29...","expires_in":<ttl>,"token_type":"Bearer"}; checks, in order:
                   grant_type (400 unsupported_grant_type "Invalid grant_type: <value>"), assertion present
                   (400 invalid_request), JWT structure / alg RS256 / kid (if the header has one it must be
                   the private_key_id of a key of that account) / RS256 signature against the key(s) of the
                   account named by iss (400 invalid_grant "Invalid JWT Signature."), aud == http://HOST:PORT
                   /token, the key file's token_uri or an --audience (400 invalid_grant "Invalid JWT: Failed
                   audience check."), iat/exp integers with 0 < exp-iat <= 3600, iat <= now+300, exp >= now
                   (400 invalid_grant "Invalid JWT: Token must be a short-lived token (60 minutes) ..."),
                   scope present and every scope https://www.googleapis.com/auth/... (400 invalid_scope),
                   sub only if given with --dwd-subject (401 unauthorized_client).
  GET|HEAD /drive/v3/files/<id>[?alt=media][&fields=...]       Bearer header or ?access_token=
                   alt=media: content (scope drive | drive.readonly | drive.file), Range -> 206 / 416;
                   otherwise metadata {"kind","id","name","mimeType"} (also drive.metadata[.readonly]);
                   fields=a,b | * selects from kind,id,name,mimeType,parents,size,md5Checksum,sha256Checksum,
                   createdTime,modifiedTime,version (unknown -> 400 "Invalid field selection x").
                   401 missing / invalid / expired token, 403 insufficientPermissions (scope), 404 notFound,
                   403 fileNotDownloadable for application/vnd.google-apps.* (Docs Editors files).
  POST  /upload/drive/v3/files?uploadType=resumable         (new file; JSON metadata body optional:
                   name, mimeType, parents[1]; X-Upload-Content-Type / -Length honoured)
  PATCH /upload/drive/v3/files/<id>?uploadType=resumable    (new content for an existing file)
                   Bearer with drive or drive.file (readonly -> 403); unknown id -> 404; unknown parent -> 404
                   -> 200, empty body, Location: <same URL minus access_token>&upload_id=<id>
                   uploadType=media does a one-shot upload (200 metadata); other uploadTypes -> 400.
  PUT (or POST) <session URI>   the bytes.  No Content-Range: whole file.  "Content-Range: bytes a-b/N|*":
                   one chunk -> 308 "Resume Incomplete" with "Range: bytes=0-<last>" until the last byte,
                   then 200 metadata (update and create both answer 200, as Drive does).  Empty body with
                   "Content-Range: bytes */N|*" = status query (308 / 200 metadata, completing when N bytes
                   are there).  A chunk starting before the received offset has the overlap dropped; after
                   it -> 400.  Unknown / expired (--session-ttl, default 7 days) -> 404.
Test-control routes (no auth, not logged)
  POST /__control  {"route": "/token" | "/drive/v3/files*" | "/upload/drive/v3/files*" | exact path,
                   "responses": [{"status": 503}, {"status": 429, "retry_after": 2}, {"drop": true},
                   {"status": 500, "body": "text" | {...}}, {"status": 503, "json": {...}}, ...]} queued answers
                   given in order before normal handling ("*" = prefix); entries may also carry "headers",
                   "content_type", "delay" (s), "reason"/"message" (Drive error fields).  Default bodies:
                   /token 5xx {"error":"internal_failure"}, 429 {"error":"rate_limit_exceeded"}; Drive and upload
                   routes Google's JSON error ({"error":{"code","message","errors":[{reason...}],"status"}}),
                   e.g. 429 rateLimitExceeded, 5xx backendError.  "json": false gives a text/plain body.
                   Also {"tokens": [{"access_token", "scopes", "expires_in"}]}, {"expire_tokens": true},
                   {"expire_sessions": true}, {"now": <epoch> | null} (shift the stand-in's clock so that now is
                   <epoch>; null = real time), {"clock_offset": <s>}.
  GET  /__requests  every non-control request: seq, method, path (with query), headers [[name, value]...],
                   body (first 4 KiB as text), body_length, body_truncated, time (time.monotonic() at
                   arrival), status (int, "dropped", or null)
  POST /__reset     clears fault queues and the request log, restores the start-up clock (files, tokens and
                   sessions stay)
  PUT  /__files/<id>[?name=&mimeType=&parents=a,b&appCreated=1]  seed a file (200 full metadata);
  GET  /__files/<id> bytes (?meta=1: metadata);  DELETE /__files/<id>;  GET /__files: all metadata
  GET  /__tokens    issued tokens: access_token, scopes, iss, sub, issued_at, expires_at, expires_in, expired
  GET  /__sessions  upload sessions;   GET /__health -> "ok"

Deviations from the brief's wording, taken from Google's observed answers (public issue threads)
  * JWT whose iss is no trusted account -> 400 invalid_grant "Invalid grant: account not found" (what Google
    says for a deleted/unknown service account); a known account with a wrong key / kid / signature ->
    "Invalid JWT Signature.".
  * Drive 401: no credential at all -> message "Request is missing required authentication credential. ..."
    reason "required", details CREDENTIALS_MISSING; invalid/expired -> "Request had invalid authentication
    credentials. ..." reason "authError".  Both status UNAUTHENTICATED, both messages end with Google's
    " See https://developers.google.com/identity/sign-in/web/devconsole-project.", and carry
    WWW-Authenticate: Bearer realm="https://accounts.google.com/"[, error="invalid_token"].
  * 403 scope: message "Request had insufficient authentication scopes.", errors[0] {"message":"Insufficient
    Permission","domain":"global","reason":"insufficientPermissions"}, status PERMISSION_DENIED, details
    ErrorInfo ACCESS_TOKEN_SCOPE_INSUFFICIENT.
ASSUMPTIONS (not verifiable offline)
  * ASSUMPTION: the session URI accepts the PUT WITHOUT an Authorization header (an Authorization header, if
    sent, is ignored).  Google's docs never say the session URI needs the token again; unverified (spec
    section 6).  This is what makes a Drive session URI usable as a "signed PUT URL".
  * A session completes once.  A status query (empty body, "Content-Range: bytes */N") on a completed session
    answers 200 + metadata (documented).  A PUT carrying bytes after completion -> 410 Gone
    (--reused-session-status; 404 and 200 are the alternatives): Google's behaviour is undocumented; a Google
    engineer says expired sessions give 404 and 410 means the session is dead, and GCS emulators report that
    GCS answers 200 with the already stored metadata (bytes discarded) - pass 200 to mimic that.  The file is
    never written twice.
  * Session PUT needs Content-Length (missing, or Transfer-Encoding: chunked -> 411).  With
    "Expect: 100-continue" the 100 is sent only when the session is open and the headers are acceptable;
    otherwise the final status (404 unknown/expired, 410 reused, 400/411) goes out at once, the body is not
    read and the connection is closed.  A body cut short is not persisted (the offset stays); a PUT while
    another PUT on the same session is in progress -> 503 backendError.  Wrong URL path for an upload_id
    (e.g. another file id) -> 404.  POST to a session URI is treated like PUT (google-api-go-client does this).
  * X-Upload-Content-Length (if given at session start) must equal the final size -> else 400 badContent.
  * Bodies of 404 session / 410 / 416 / 411 are Google-style JSON made up here; exact texts unverified.
  * drive.file: by default grants access to every file (as the brief asks).  --strict-drive-file limits a
    drive.file-only token to files created through this stand-in's uploads or seeded with appCreated=1
    (Google's documented meaning); others then give 404 notFound, as Drive does for invisible files.
  * --self-signed-jwt: a self-signed service-account JWT (AIP-4111; aud https://drive.googleapis.com/ or
    https://www.googleapis.com/, or a scope claim) is accepted as a Bearer credential at Drive routes.
  * POST /token with a non-form Content-Type -> 400 invalid_request (Google may accept JSON; the stand-in
    insists on the form google-auth sends).  Non-POST -> 405.  A malformed JWT -> "Invalid JWT Signature.".
  * Both Authorization header and access_token parameter: the header wins.
"""
import http
import json
import os
import re
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import google_standin_store as st  # noqa: E402
import standin_common as common  # noqa: E402

JSON_TYPE = "application/json; charset=UTF-8"
DRIVE_FILES, UPLOAD_FILES = "/drive/v3/files", "/upload/drive/v3/files"
HELP_URL = " See https://developers.google.com/identity/sign-in/web/devconsole-project."
API_DEFAULTS = {   # status -> (message, reason, domain, status name) for scripted Drive/upload faults
    400: ("Bad Request", "badRequest", "global", "INVALID_ARGUMENT"),
    403: ("User rate limit exceeded.", "userRateLimitExceeded", "usageLimits", "PERMISSION_DENIED"),
    404: ("Not Found", "notFound", "global", "NOT_FOUND"),
    408: ("Request Timeout", "requestTimeout", "global", "DEADLINE_EXCEEDED"),
    429: ("Rate Limit Exceeded", "rateLimitExceeded", "usageLimits", "RESOURCE_EXHAUSTED"),
    500: ("Internal Error", "backendError", "global", "INTERNAL"),
    502: ("Bad Gateway", "backendError", "global", "UNAVAILABLE"),
    503: ("The service is currently unavailable.", "backendError", "global", "UNAVAILABLE"),
    504: ("Deadline exceeded", "backendError", "global", "DEADLINE_EXCEEDED"),
}


def google_error(code, message, reason, domain="global", status=None, location=None, location_type=None,
                 error_message=None, details=None):
    item = {"message": error_message or message, "domain": domain, "reason": reason}
    if location:
        item["location"], item["locationType"] = location, location_type or "parameter"
    err = {"code": code, "message": message, "errors": [item]}
    if status:
        err["status"] = status
    if details:
        err["details"] = details
    return {"error": err}


def not_found(file_id):
    return google_error(404, "File not found: %s." % file_id, "notFound", location="fileId",
                        location_type="parameter")


def invalid_parameter(message, location):
    return google_error(400, message, "invalidParameter", location=location, location_type="parameter")


def parse_content_range(value):
    """None | ("query", total|None) | ("data", start, end, total|None); ValueError if malformed."""
    if value is None:
        return None
    m = re.fullmatch(r"\s*bytes\s+(?:(\d+)-(\d+)|(\*))/(\d+|\*)\s*", value)
    if not m:
        raise ValueError(value)
    total = None if m.group(4) == "*" else int(m.group(4))
    if m.group(3):
        return "query", total
    start, end = int(m.group(1)), int(m.group(2))
    if end < start or (total is not None and end >= total):
        raise ValueError(value)
    return "data", start, end, total


def media_type(value):
    return (value or "").split(";")[0].strip().lower()


class StandIn(common.StandInState):
    """Everything shared between request threads."""

    def __init__(self, args, base_url):
        super().__init__(args, base_url)
        self.token_url = base_url + "/token"
        self.clock = st.Clock((args.now - time.time()) if args.now is not None else 0.0)
        self.keyring = st.KeyRing(args.key_file)
        self.audiences = [self.token_url] + list(args.audience or [])
        self.dwd_subjects = set(args.dwd_subject or [])
        self.tokens = st.Tokens(self.clock, args.token_ttl)
        self.files = st.Files(args.state_dir, self.clock)
        self.sessions = st.Sessions(args.state_dir, self.clock, args.session_ttl)

    def reset(self):
        super().reset()
        self.clock.reset()


class Handler(common.StandInHandler):
    name = "google-standin"
    server_version = "google-standin/1"
    json_type = JSON_TYPE
    json_text = staticmethod(lambda obj: json.dumps(obj, indent=2) + "\n")
    keep_blank_values = True

    # ---- dispatch ---------------------------------------------------------------------------------
    def _route(self, path):
        if path == "/token":
            return self._token()
        if path == DRIVE_FILES or path.startswith(DRIVE_FILES + "/"):
            return self._drive(path)
        if path == UPLOAD_FILES or path.startswith(UPLOAD_FILES + "/"):
            return self._upload(path)
        return self._discard_then(self._text, 404, "Not Found")

    def _fault_body(self, f, status, path, headers):
        if "retry_after" in f:
            headers.append(("Retry-After", str(f["retry_after"])))
        if "body" in f:
            return f["body"]
        if "json" in f and not isinstance(f["json"], bool):
            return f["json"]
        if f.get("json") is False:
            return http.HTTPStatus(status).phrase if status in http.HTTPStatus._value2member_map_ else "Error"
        if path == "/token":
            return {"error": "rate_limit_exceeded" if status == 429 else
                    "internal_failure" if status >= 500 else "invalid_request"}
        message, reason, domain, name = API_DEFAULTS.get(status, ("Error", "error", "global", "UNKNOWN"))
        return google_error(status, f.get("message", message), f.get("reason", reason), domain, name)

    # ---- POST /token ------------------------------------------------------------------------------
    def _token(self):
        s = self.standin
        if self.command != "POST":
            return self._discard_then(self._json, 405, {"error": "invalid_request",
                                                        "error_description": "Method not allowed"},
                                      [("Allow", "POST")])
        raw = self._read_body()
        if media_type(self.headers.get("Content-Type")) != "application/x-www-form-urlencoded":
            return self._json(400, {"error": "invalid_request",
                                    "error_description": "Request body must be application/x-www-form-urlencoded"})
        form = {k: v[0] for k, v in urllib.parse.parse_qs(raw.decode("utf-8", "replace"),
                                                           keep_blank_values=True).items()}
        no_store = [("Cache-Control", "no-cache, no-store, max-age=0, must-revalidate"), ("Pragma", "no-cache")]
        try:
            claims, scopes = st.jwt_bearer_grant(form, s.keyring, s.audiences, s.dwd_subjects, s.clock.now())
        except st.GrantError as e:
            return self._json(e.status, e.body(), no_store)
        rec = s.tokens.issue(scopes, claims["iss"], claims.get("sub"))
        self._json(200, {"access_token": rec["access_token"], "expires_in": int(round(s.tokens.ttl)),
                         "token_type": "Bearer"}, no_store)

    # ---- credentials ------------------------------------------------------------------------------
    def _credential(self):
        """-> ("missing", None) | ("invalid", None) | ("ok", token record)."""
        s = self.standin
        header = self.headers.get("Authorization")
        if header is not None:
            m = re.fullmatch(r"\s*[Bb]earer\s+(\S+)\s*", header)
            token = m.group(1) if m else None
            if token is None:
                return "invalid", None
        else:
            token = self.q("access_token")
            if not token:
                return "missing", None
        rec = s.tokens.lookup(token)
        if rec is None and s.args.self_signed_jwt and token.count(".") == 2:
            rec = st.self_signed_grant(token, s.keyring, s.clock.now())
        return ("ok", rec) if rec else ("invalid", None)

    def _authorize(self, allowed_scopes):
        """Send 401/403 (body discarded) and return None, or return the token record."""
        state, rec = self._credential()
        if state == "missing":
            self._discard_then(self._json, 401, google_error(
                401, "Request is missing required authentication credential. Expected OAuth 2 access token, "
                     "login cookie or other valid authentication credential." + HELP_URL,
                "required", status="UNAUTHENTICATED", location="Authorization", location_type="header",
                error_message="Login Required.",
                details=[{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "CREDENTIALS_MISSING",
                          "domain": "googleapis.com",
                          "metadata": {"service": "drive.googleapis.com"}}]),
                [("WWW-Authenticate", 'Bearer realm="https://accounts.google.com/"')])
            return None
        if state == "invalid":
            self._discard_then(self._json, 401, google_error(
                401, "Request had invalid authentication credentials. Expected OAuth 2 access token, "
                     "login cookie or other valid authentication credential." + HELP_URL,
                "authError", status="UNAUTHENTICATED", location="Authorization", location_type="header",
                error_message="Invalid Credentials"),
                [("WWW-Authenticate", 'Bearer realm="https://accounts.google.com/", error="invalid_token"')])
            return None
        if not set(rec["scopes"]) & allowed_scopes:
            self._discard_then(self._json, 403, google_error(
                403, "Request had insufficient authentication scopes.", "insufficientPermissions",
                status="PERMISSION_DENIED", error_message="Insufficient Permission",
                details=[{"@type": "type.googleapis.com/google.rpc.ErrorInfo",
                          "reason": "ACCESS_TOKEN_SCOPE_INSUFFICIENT", "domain": "googleapis.com",
                          "metadata": {"service": "drive.googleapis.com"}}]),
                [("WWW-Authenticate", 'Bearer realm="https://accounts.google.com/", error="insufficient_scope"')])
            return None
        return rec

    def _visible(self, file_id, rec):
        """Metadata of file_id if this token may see it, else None."""
        meta = self.standin.files.meta(file_id)
        if meta is None:
            return None
        if self.standin.args.strict_drive_file and not meta.get("appCreated") \
                and not set(rec["scopes"]) & (st.META_SCOPES - {st.DRIVE + ".file"}):
            return None
        return meta

    def _fields(self):
        try:
            return st.parse_fields(self.q("fields"))
        except st.BadFields as e:
            self._discard_then(self._json, 400, invalid_parameter("Invalid field selection %s" % e, "fields"))
            return None

    # ---- GET|HEAD /drive/v3/files/<id> -------------------------------------------------------------
    def _drive(self, path):
        s = self.standin
        file_id = urllib.parse.unquote(path[len(DRIVE_FILES) + 1:])
        if not file_id or "/" in file_id:
            return self._discard_then(self._text, 404, "Not Found")
        if self.command not in ("GET", "HEAD"):
            return self._discard_then(self._json, 405, google_error(405, "Method Not Allowed", "httpMethodNotAllowed"),
                                      [("Allow", "GET, HEAD")])
        alt = self.q("alt") or "json"
        if alt not in ("json", "media"):
            return self._discard_then(self._json, 400, invalid_parameter("Invalid value for alt: " + alt, "alt"))
        rec = self._authorize(st.READ_SCOPES if alt == "media" else st.META_SCOPES)
        if rec is None:
            return
        fields = self._fields() if alt == "json" else st.DEFAULT_FIELDS
        if fields is None:
            return
        self._read_body()
        meta = self._visible(file_id, rec)
        if meta is None:
            return self._json(404, not_found(file_id))
        if alt == "json":
            return self._json(200, st.project(meta, fields))
        if meta["mimeType"].startswith(st.GOOGLE_APPS_PREFIX):
            return self._json(403, google_error(
                403, "Only files with binary content can be downloaded. Use Export with Docs Editors files.",
                "fileNotDownloadable", location="alt", location_type="parameter"))
        disk = s.files.data_path(file_id)
        try:
            f = open(disk, "rb")
        except FileNotFoundError:
            return self._json(404, not_found(file_id))
        with f:
            size = os.fstat(f.fileno()).st_size
            rng = common.parse_range(self.headers.get("Range"), size)
            if rng == "unsatisfiable":
                return self._json(416, google_error(416, "Request range not satisfiable",
                                                    "requestedRangeNotSatisfiable"),
                                  [("Content-Range", "bytes */%d" % size)])
            headers = [("Cache-Control", "private, max-age=0, must-revalidate"),
                       ("Content-Disposition", "attachment")]
            self._send_range(rng, size, meta["mimeType"], headers, lambda: f)

    # ---- /upload/drive/v3/files ---------------------------------------------------------------------
    def _upload(self, path):
        rest = path[len(UPLOAD_FILES):]
        file_id = urllib.parse.unquote(rest[1:]) if rest else None
        if file_id is not None and (not file_id or "/" in file_id):
            return self._discard_then(self._text, 404, "Not Found")
        upload_id = self.q("upload_id")
        if upload_id is not None:
            if self.command not in ("PUT", "POST"):
                return self._discard_then(self._json, 405, google_error(405, "Method Not Allowed",
                                                                        "httpMethodNotAllowed"),
                                          [("Allow", "PUT, POST")])
            return self._session_put(upload_id, path)
        if (file_id is None and self.command != "POST") or (file_id is not None and self.command != "PATCH"):
            return self._discard_then(self._json, 405, google_error(405, "Method Not Allowed", "httpMethodNotAllowed"),
                                      [("Allow", "POST" if file_id is None else "PATCH")])
        rec = self._authorize(st.WRITE_SCOPES)
        if rec is None:
            return
        upload_type = self.q("uploadType")
        if upload_type not in ("resumable", "media"):
            return self._discard_then(self._json, 400, invalid_parameter(
                "Invalid value for uploadType: %s (the stand-in implements resumable and media)" % upload_type,
                "uploadType"))
        fields = self._fields()
        if fields is None:
            return
        if file_id is not None and self._visible(file_id, rec) is None:
            return self._discard_then(self._json, 404, not_found(file_id))
        if upload_type == "media":
            return self._media_upload(file_id, fields)
        return self._open_session(path, file_id, fields, rec)

    def _bad_request(self, message, reason="badRequest", location=None):
        self._json(400, google_error(400, message, reason, location=location))

    def _open_session(self, path, file_id, fields, rec):
        s = self.standin
        raw = self._read_body()
        metadata = {}
        if raw.strip():
            try:
                metadata = json.loads(raw)
            except ValueError:
                return self._json(400, google_error(400, "Parse Error", "parseError"))
            if not isinstance(metadata, dict):
                return self._json(400, google_error(400, "Parse Error", "parseError"))
        for key in ("name", "mimeType"):
            if key in metadata and not isinstance(metadata[key], str):
                return self._bad_request("Invalid value for %s" % key, "invalid", key)
        parents = metadata.get("parents")
        if parents is not None:
            if not isinstance(parents, list) or not all(isinstance(p, str) for p in parents):
                return self._bad_request("Invalid value for parents", "invalid", "parents")
            if file_id is not None:
                return self._json(403, google_error(
                    403, "The parents field is not directly writable in update requests. Use the addParents "
                         "and removeParents parameters instead.", "fieldNotWritable"))
            if len(parents) > 1:
                return self._json(403, google_error(
                    403, "Increasing the number of parents is not allowed. A file must have exactly one parent.",
                    "cannotAddParent"))
            for p in parents:
                if p != "root" and self._visible(p, rec) is None:
                    return self._json(404, not_found(p))
        declared = self.headers.get("X-Upload-Content-Length")
        if declared is not None and not declared.strip().isdigit():
            return self._bad_request("Invalid X-Upload-Content-Length header", "badRequest")
        sess = s.sessions.create(path, file_id, metadata, int(declared) if declared is not None else None,
                                 self.headers.get("X-Upload-Content-Type"), fields, rec["access_token"])
        query = [(k, v) for k, v in urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query,
                                                            keep_blank_values=True)
                 if k not in ("access_token", "upload_id")]
        query.append(("upload_id", sess["upload_id"]))
        location = s.base_url + path + "?" + urllib.parse.urlencode(query)
        self._send(200, b"", None, [("Location", location), ("X-GUploader-UploadID", sess["upload_id"])])

    def _media_upload(self, file_id, fields):
        s = self.standin
        spool = s.files.spool()
        try:
            with spool:
                self._spool_body(spool)
            ctype = self.headers.get("Content-Type")
            if file_id is None:
                meta = s.files.put(s.files.new_id(), spool.name, name="Untitled",
                                   mime_type=media_type(ctype) or "application/octet-stream", app_created=True)
            else:
                meta = s.files.put(file_id, spool.name)
            self._json(200, st.project(meta, fields))
        finally:
            if os.path.exists(spool.name):
                os.unlink(spool.name)

    # ---- PUT <session URI> --------------------------------------------------------------------------
    def _session_gone(self):
        self._json(404, google_error(404, "Upload session not found or expired. Start a new upload session.",
                                     "notFound"))

    def _session_put(self, upload_id, path):
        s = self.standin
        state, sess = s.sessions.get(upload_id)
        if sess is not None and sess["path"] != path:
            state = "unknown"
        if state in ("unknown", "expired"):
            return self._discard_then(self._session_gone)
        try:
            crange = parse_content_range(self.headers.get("Content-Range"))
        except ValueError:
            return self._discard_then(self._bad_request, "Failed to parse Content-Range header.")
        if self.headers.get("Content-Length") is None or self._chunked():
            return self._discard_then(self._json, 411, google_error(
                411, "Length Required: the upload request needs a Content-Length header.", "lengthRequired"))
        length = self._content_length()
        query = crange is not None and crange[0] == "query"
        if state == "done":
            if query:
                return self._discard_then(self._finished, sess)
            return self._discard_then(self._reused, sess)
        if query:
            if length:
                return self._discard_then(self._bad_request, "A status query (Content-Range: bytes */N) "
                                                             "must have an empty body.")
            total = crange[1]
            if total is not None and total < sess["received"]:
                return self._bad_request("Content-Range total %d is less than the %d bytes already received."
                                         % (total, sess["received"]))
            if total is not None and total == sess["received"]:
                return self._complete(sess, total)
            return self._incomplete(sess)
        if crange is None:
            start, end, total = 0, length - 1, length
        else:
            _, start, end, total = crange
            if end - start + 1 != length:
                return self._discard_then(self._bad_request, "Content-Range %d-%d does not match Content-Length %d."
                                          % (start, end, length))
        declared = sess["declared_length"]
        if declared is not None and (end + 1 > declared or (total is not None and total != declared)):
            return self._discard_then(self._bad_request, "Upload size does not match X-Upload-Content-Length %d."
                                      % declared, "badContent")
        received = sess["received"]
        if start > received:
            return self._discard_then(self._bad_request,
                                      "Invalid request. According to the Content-Range header, the upload offset is "
                                      "%d byte(s), which exceeds already uploaded size of %d byte(s)."
                                      % (start, received))
        if not s.sessions.claim(sess):
            return self._discard_then(self._json, 503, google_error(
                503, "Another request is uploading to this session.", "backendError", status="UNAVAILABLE"))
        try:
            with open(sess["spool"], "r+b") as out:
                out.seek(received)
                try:
                    self._spool_body(out, skip=received - start)
                except BaseException:
                    out.truncate(received)                  # a cut-short body is not persisted
                    raise
                sess["received"] = max(received, end + 1)
                out.truncate(sess["received"])
            sess["puts"] += 1
        finally:
            s.sessions.release(sess)
        if total is not None and sess["received"] == total:
            return self._complete(sess, total)
        return self._incomplete(sess)

    def _incomplete(self, sess):
        headers = [("X-GUploader-UploadID", sess["upload_id"])]
        if sess["received"]:
            headers.append(("Range", "bytes=0-%d" % (sess["received"] - 1)))
        if self.headers.get("X-GUploader-No-308", "").lower() == "yes":
            return self._send(200, b"", None, headers + [("X-HTTP-Status-Code-Override", "308")])
        self._send(308, b"", None, headers, reason="Resume Incomplete")

    def _complete(self, sess, total):
        s = self.standin
        meta_in = sess["metadata"]
        mime = meta_in.get("mimeType") or sess["declared_type"]
        if sess["file_id"] is not None:
            if not s.files.exists(sess["file_id"]):
                s.sessions.finish(sess, None)
                return self._json(404, not_found(sess["file_id"]))
            meta = s.files.put(sess["file_id"], sess["spool"], name=meta_in.get("name"), mime_type=mime)
        else:
            name = meta_in.get("name", "Untitled")
            mime = mime or media_type(self.headers.get("Content-Type")) or None
            meta = s.files.put(s.files.new_id(), sess["spool"], name=name, mime_type=mime,
                               parents=meta_in.get("parents", []), app_created=True)
        s.sessions.finish(sess, meta["id"])
        self._json(200, st.project(meta, sess["fields"]), [("X-GUploader-UploadID", sess["upload_id"])])

    def _finished(self, sess):
        meta = self.standin.files.meta(sess["result"]) if sess["result"] else None
        if meta is None:
            return self._session_gone()
        self._json(200, st.project(meta, sess["fields"]), [("X-GUploader-UploadID", sess["upload_id"])])

    def _reused(self, sess):
        status = self.standin.args.reused_session_status
        if status == 200:
            return self._finished(sess)
        if status == 404:
            return self._session_gone()
        self._json(410, google_error(410, "The upload session has already completed; its URL cannot be used "
                                          "to upload again.", "gone"))

    # ---- test control -------------------------------------------------------------------------------
    def _control_command(self, cmd):
        s = self.standin
        for t in cmd.get("tokens", []):
            s.tokens.issue(t.get("scopes", [st.DRIVE]), t.get("iss"), t.get("sub"),
                           float(t.get("expires_in", s.tokens.ttl)), t["access_token"])
        if cmd.get("expire_tokens"):
            s.tokens.expire_all()
        if cmd.get("expire_sessions"):
            s.sessions.expire_all()
        if "now" in cmd:
            s.clock.set_now(cmd["now"])
        if "clock_offset" in cmd:
            s.clock.offset = float(cmd["clock_offset"])
        return {"now": s.clock.now()}

    def _other_control(self, path, raw):
        """GET /__tokens, /__sessions, /__files (listings);  PUT|GET|HEAD|DELETE /__files/<id>."""
        s = self.standin
        listings = {"/__tokens": s.tokens, "/__sessions": s.sessions, "/__files": s.files}
        if path in listings and self.command == "GET":
            self._json(200, listings[path].listing())
            return True
        if not path.startswith("/__files/"):
            return False
        file_id = urllib.parse.unquote(path[len("/__files/"):])
        if not s.files.valid_id(file_id):
            self._text(400, "bad file id (use [A-Za-z0-9_-]{1,128})")
            return True
        return self._file_control(file_id, raw)

    def _file_control(self, file_id, raw):
        s = self.standin
        if self.command == "PUT":
            parents = self.q("parents")
            meta = s.files.put(file_id, raw, name=self.q("name"), mime_type=self.q("mimeType"),
                               parents=parents.split(",") if parents else None,
                               app_created=(self.q("appCreated") or "") in ("1", "true"))
            self._json(200, meta)
        elif self.command == "DELETE":
            self._text(200 if s.files.delete(file_id) else 404, "")
        elif self.command in ("GET", "HEAD"):
            meta = s.files.meta(file_id)
            if meta is None:
                self._text(404, "Not Found")
            elif self.q("meta"):
                self._json(200, meta)
            else:
                with open(s.files.data_path(file_id), "rb") as f:
                    self._send(200, f.read(), meta["mimeType"])
        else:
            return False
        return True


def main(argv=None):
    p = common.arg_parser(__doc__, "directory holding the fake Drive's files")
    p.add_argument("--key-file", action="append", required=True,
                   help="service-account JSON whose public half is trusted (repeatable)")
    p.add_argument("--dwd-subject", action="append", default=[],
                   help="subject (sub) allowed for domain-wide delegation (repeatable)")
    p.add_argument("--audience", action="append", default=[],
                   help="extra accepted JWT aud besides http://HOST:PORT/token and the key's token_uri")
    p.add_argument("--token-ttl", type=float, default=3599, help="access token lifetime (s)")
    p.add_argument("--session-ttl", type=float, default=7 * 86400, help="upload session lifetime (s)")
    p.add_argument("--reused-session-status", type=int, choices=(410, 404, 200), default=410,
                   help="answer to a data PUT on a completed session (200 = metadata, bytes discarded)")
    p.add_argument("--strict-drive-file", action="store_true",
                   help="drive.file-only tokens see only files created through uploads / seeded appCreated=1")
    p.add_argument("--self-signed-jwt", action="store_true",
                   help="accept self-signed service-account JWTs as Bearer credentials at Drive routes")
    p.add_argument("--now", type=float, default=None, help="start the stand-in's clock at this epoch time")
    p.add_argument("--public-base", help="base URL used in Location headers and as token aud "
                                         "(default http://HOST:PORT)")
    common.serve(common.finish_args(p, argv), Handler, StandIn, fatal=(OSError, ValueError))


if __name__ == "__main__":
    main()

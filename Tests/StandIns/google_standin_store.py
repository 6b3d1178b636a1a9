"""State and rules of the Google OAuth / Drive v3 stand-in (see google_standin.py for the HTTP side).

Python 3.11 stdlib + `cryptography`.  Holds: the trusted service-account keys and the JWT-bearer grant
rules (RFC 7523 as Google applies them), the issued access tokens, the fake Drive (plain files under
--state-dir/files) and the resumable upload sessions.  Every time check goes through Clock, which tests
can shift (POST /__control {"now": epoch}) so that the fixed-clock JWTs of the shared vectors verify.
"""
import base64
import binascii
import datetime
import hashlib
import json
import mimetypes
import os
import re
import secrets
import shutil
import tempfile
import threading
import time

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
MAX_LIFETIME = 3600                  # exp - iat may not exceed one hour
MAX_IAT_FUTURE = 300                 # iat at most 5 min ahead of the server clock
SCOPE_RE = re.compile(r"https://www\.googleapis\.com/auth/[A-Za-z0-9._-]+(?:/[A-Za-z0-9._-]+)*\Z")
DRIVE = "https://www.googleapis.com/auth/drive"
READ_SCOPES = frozenset({DRIVE, DRIVE + ".readonly", DRIVE + ".file"})          # file content
META_SCOPES = READ_SCOPES | {DRIVE + ".metadata", DRIVE + ".metadata.readonly"}  # metadata only
WRITE_SCOPES = frozenset({DRIVE, DRIVE + ".file"})
FOLDER_TYPE = "application/vnd.google-apps.folder"
GOOGLE_APPS_PREFIX = "application/vnd.google-apps."
ID_RE = re.compile(r"[A-Za-z0-9_-]{1,128}\Z")
DEFAULT_FIELDS = ("kind", "id", "name", "mimeType")
ALL_FIELDS = ("kind", "id", "name", "mimeType", "parents", "size", "md5Checksum", "sha256Checksum",
              "createdTime", "modifiedTime", "version")

CLOCK_MESSAGE = ("Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. "
                 "Check your iat and exp values in the JWT claim.")
SIGNATURE_MESSAGE = "Invalid JWT Signature."
ACCOUNT_MESSAGE = "Invalid grant: account not found"
AUDIENCE_MESSAGE = "Invalid JWT: Failed audience check."
SCOPE_MESSAGE = "Invalid OAuth scope or ID token audience provided."
DWD_MESSAGE = ("Client is unauthorized to retrieve access tokens using this method, or client not authorized "
               "for any of the scopes requested.")


class Clock:
    """time.time() plus an adjustable offset (the stand-in's idea of "now")."""

    def __init__(self, offset=0.0):
        self.initial = self.offset = float(offset)

    def now(self):
        return time.time() + self.offset

    def set_now(self, epoch):
        self.offset = 0.0 if epoch is None else float(epoch) - time.time()

    def reset(self):
        self.offset = self.initial


def rfc3339(epoch):
    dt = datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (dt.microsecond // 1000)


# ---- JWT-bearer grant ---------------------------------------------------------------------------------

class GrantError(Exception):
    """A token-endpoint refusal: HTTP status, OAuth error code, error_description."""

    def __init__(self, status, error, description):
        super().__init__(description)
        self.status, self.error, self.description = status, error, description

    def body(self):
        return {"error": self.error, "error_description": self.description}


def b64url_decode(text):
    """Strict base64url without padding (padding tolerated); raises ValueError."""
    if not isinstance(text, str) or not re.fullmatch(r"[A-Za-z0-9_-]*={0,2}", text) or len(text.rstrip("=")) % 4 == 1:
        raise ValueError("not base64url")
    try:
        return base64.urlsafe_b64decode(text.rstrip("=") + "=" * (-len(text.rstrip("=")) % 4))
    except binascii.Error as e:
        raise ValueError(str(e))


class ServiceAccountKey:
    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            info = json.load(f)
        for field in ("client_email", "private_key"):
            if not isinstance(info.get(field), str) or not info[field]:
                raise ValueError("%s: no %s" % (path, field))
        private = serialization.load_pem_private_key(info["private_key"].encode(), password=None)
        if not isinstance(private, rsa.RSAPrivateKey):
            raise ValueError("%s: private_key is not an RSA key" % path)
        self.path, self.email = path, info["client_email"]
        self.kid = info.get("private_key_id") or None
        self.token_uri = info.get("token_uri") or None
        self.public_key = private.public_key()

    def verifies(self, signing_input, signature):
        try:
            self.public_key.verify(signature, signing_input, padding.PKCS1v15(), hashes.SHA256())
            return True
        except InvalidSignature:
            return False


class KeyRing:
    """Public halves of the trusted service-account keys, by client_email (several keys per account allowed)."""

    def __init__(self, paths):
        self.keys = [ServiceAccountKey(p) for p in paths]
        self.by_email = {}
        for k in self.keys:
            self.by_email.setdefault(k.email, []).append(k)

    def decode_verified(self, jwt):
        """-> (header, claims, key).  Checks structure, alg, kid, iss and the RS256 signature."""
        parts = jwt.split(".") if isinstance(jwt, str) else []
        if len(parts) != 3:
            raise GrantError(400, "invalid_grant", SIGNATURE_MESSAGE)
        try:
            header = json.loads(b64url_decode(parts[0]))
            claims = json.loads(b64url_decode(parts[1]))
            signature = b64url_decode(parts[2])
        except ValueError:                    # also json.JSONDecodeError / UnicodeDecodeError
            raise GrantError(400, "invalid_grant", SIGNATURE_MESSAGE)
        if not isinstance(header, dict) or not isinstance(claims, dict):
            raise GrantError(400, "invalid_grant", SIGNATURE_MESSAGE)
        iss = claims.get("iss")
        candidates = self.by_email.get(iss, []) if isinstance(iss, str) else []
        if not candidates:
            raise GrantError(400, "invalid_grant", ACCOUNT_MESSAGE)
        if header.get("alg") != "RS256":
            raise GrantError(400, "invalid_grant", SIGNATURE_MESSAGE)
        kid = header.get("kid")
        if kid is not None:
            candidates = [k for k in candidates if k.kid == kid]
        signing_input = (parts[0] + "." + parts[1]).encode("ascii")
        for key in candidates:
            if key.verifies(signing_input, signature):
                return header, claims, key
        raise GrantError(400, "invalid_grant", SIGNATURE_MESSAGE)


def is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def check_lifetime(claims, now):
    iat, exp = claims.get("iat"), claims.get("exp")
    if not (is_int(iat) and is_int(exp)) or exp <= iat or exp - iat > MAX_LIFETIME \
            or iat > now + MAX_IAT_FUTURE or exp < now:
        raise GrantError(400, "invalid_grant", CLOCK_MESSAGE)


def jwt_bearer_grant(form, keyring, audiences, dwd_subjects, now):
    """Apply Google's JWT-bearer rules to a parsed form -> (claims, scopes); raises GrantError."""
    grant_type = form.get("grant_type", "")
    if grant_type != JWT_BEARER:
        raise GrantError(400, "unsupported_grant_type", "Invalid grant_type: " + grant_type)
    if not form.get("assertion"):
        raise GrantError(400, "invalid_request", "Missing required parameter: assertion")
    _, claims, key = keyring.decode_verified(form["assertion"])
    allowed = set(audiences) | ({key.token_uri} if key.token_uri else set())
    if not isinstance(claims.get("aud"), str) or claims["aud"] not in allowed:
        raise GrantError(400, "invalid_grant", AUDIENCE_MESSAGE)
    check_lifetime(claims, now)
    scope = claims.get("scope")
    scopes = scope.split() if isinstance(scope, str) else []
    if not scopes or not all(SCOPE_RE.match(s) for s in scopes):
        raise GrantError(400, "invalid_scope", SCOPE_MESSAGE)
    sub = claims.get("sub")
    if sub is not None and sub not in dwd_subjects:
        raise GrantError(401, "unauthorized_client", DWD_MESSAGE)
    return claims, scopes


def self_signed_grant(jwt, keyring, now):
    """A self-signed JWT used directly as a Bearer credential (AIP-4111) -> token record or None."""
    try:
        _, claims, _ = keyring.decode_verified(jwt)
        check_lifetime(claims, now)
    except GrantError:
        return None
    if claims.get("sub") != claims["iss"]:        # google-auth always sets sub = iss; an assertion has none
        return None
    if "scope" in claims and "aud" not in claims:
        scopes = claims["scope"].split() if isinstance(claims["scope"], str) else []
    elif claims.get("aud") in ("https://drive.googleapis.com/", "https://www.googleapis.com/"):
        scopes = [DRIVE]                    # audience form: full access of the service account
    else:
        return None
    return {"access_token": jwt, "scopes": scopes, "iss": claims["iss"], "sub": None,
            "issued_at": claims["iat"], "expires_at": claims["exp"], "self_signed": True}


# ---- access tokens -------------------------------------------------------------------------------------

class ExpiringRecords:
    """Records (dicts with "expires_at" on `clock`) by key; new ones live `ttl` seconds."""

    def __init__(self, clock, ttl):
        self.clock, self.ttl = clock, float(ttl)
        self.lock = threading.Lock()
        self.records = {}

    def add(self, key, rec):
        with self.lock:
            self.records[key] = rec
        return rec

    def find(self, key):
        with self.lock:
            return self.records.get(key)

    def expire_all(self):
        now = self.clock.now()
        with self.lock:
            for rec in self.records.values():
                rec["expires_at"] = min(rec["expires_at"], now)


class Tokens(ExpiringRecords):

    def issue(self, scopes, iss=None, sub=None, ttl=None, token=None):
        now = self.clock.now()
        token = token or "ya29." + secrets.token_urlsafe(48)
        rec = {"access_token": token, "scopes": list(scopes), "iss": iss, "sub": sub, "issued_at": now,
               "expires_at": now + (self.ttl if ttl is None else float(ttl))}
        return self.add(token, rec)

    def lookup(self, token):
        """-> record of a live token, or None (unknown or expired)."""
        rec = self.find(token)
        if rec is None or rec["expires_at"] <= self.clock.now():
            return None
        return rec

    def listing(self):
        now = self.clock.now()
        with self.lock:
            return [dict(rec, expires_in=max(0, round(rec["expires_at"] - now)),
                         expired=rec["expires_at"] <= now) for rec in self.records.values()]


# ---- the fake Drive ------------------------------------------------------------------------------------

class Files:
    """Files under <state-dir>/files: <id> holds the bytes, <id>.meta.json the metadata."""

    def __init__(self, state_dir, clock):
        self.dir = os.path.join(state_dir, "files")
        self.tmp = os.path.join(state_dir, "tmp")
        os.makedirs(self.dir, exist_ok=True)
        os.makedirs(self.tmp, exist_ok=True)
        self.clock = clock
        self.lock = threading.Lock()

    @staticmethod
    def valid_id(file_id):
        return isinstance(file_id, str) and bool(ID_RE.match(file_id))

    def _paths(self, file_id):
        return os.path.join(self.dir, file_id), os.path.join(self.dir, file_id + ".meta.json")

    def new_id(self):
        while True:
            file_id = "1" + secrets.token_urlsafe(24)[:32]
            if not os.path.exists(self._paths(file_id)[1]):
                return file_id

    def spool(self):
        return tempfile.NamedTemporaryFile(dir=self.tmp, prefix="body-", delete=False)

    def meta(self, file_id):
        if not self.valid_id(file_id):
            return None
        try:
            with open(self._paths(file_id)[1], encoding="utf-8") as f:
                return json.load(f)
        except FileNotFoundError:
            return None

    def data_path(self, file_id):
        return self._paths(file_id)[0]

    def exists(self, file_id):
        return self.meta(file_id) is not None

    def put(self, file_id, source, name=None, mime_type=None, parents=None, app_created=None):
        """Create or replace file_id's bytes from `source` (bytes, or a path that is moved in) and update
        the metadata; name/mimeType/parents given as None keep the old values.  -> metadata."""
        data_path, meta_path = self._paths(file_id)
        with self.lock:
            old = self.meta(file_id) or {}
            tmp = data_path + ".tmp-" + secrets.token_hex(4)
            if isinstance(source, (bytes, bytearray)):
                with open(tmp, "wb") as f:
                    f.write(source)
            else:
                shutil.move(source, tmp)
            md5, sha = hashlib.md5(), hashlib.sha256()
            size = 0
            with open(tmp, "rb") as f:
                for chunk in iter(lambda: f.read(1 << 20), b""):
                    md5.update(chunk)
                    sha.update(chunk)
                    size += len(chunk)
            os.replace(tmp, data_path)
            now = rfc3339(self.clock.now())
            name = name if name is not None else old.get("name", file_id)
            meta = {"kind": "drive#file", "id": file_id, "name": name,
                    "mimeType": mime_type or old.get("mimeType") or mimetypes.guess_type(name)[0]
                    or "application/octet-stream",
                    "parents": parents if parents is not None else old.get("parents", []),
                    "size": str(size), "md5Checksum": md5.hexdigest(), "sha256Checksum": sha.hexdigest(),
                    "createdTime": old.get("createdTime", now), "modifiedTime": now,
                    "version": str(int(old.get("version", "0")) + 1),
                    "appCreated": bool(app_created if app_created is not None else old.get("appCreated", False))}
            with open(meta_path + ".tmp", "w", encoding="utf-8") as f:
                json.dump(meta, f)
            os.replace(meta_path + ".tmp", meta_path)
            return meta

    def delete(self, file_id):
        if not self.exists(file_id):
            return False
        with self.lock:
            for p in self._paths(file_id):
                try:
                    os.unlink(p)
                except FileNotFoundError:
                    pass
        return True

    def listing(self):
        ids = sorted(n[:-len(".meta.json")] for n in os.listdir(self.dir) if n.endswith(".meta.json"))
        return [m for m in (self.meta(i) for i in ids) if m is not None]


class BadFields(ValueError):
    pass


def parse_fields(value):
    """Drive's `fields` selector (top-level names only) -> tuple of names; raises BadFields(name)."""
    if value is None:
        return DEFAULT_FIELDS
    names = [n.strip() for n in value.split(",") if n.strip()]
    if names == ["*"]:
        return ALL_FIELDS
    for n in names:
        if n not in ALL_FIELDS:
            raise BadFields(n)
    return tuple(names) or DEFAULT_FIELDS


def project(meta, fields):
    return {k: meta[k] for k in fields if k in meta}


# ---- resumable upload sessions -------------------------------------------------------------------------

class Sessions(ExpiringRecords):
    """Upload sessions: open -> done; expire `ttl` seconds after creation (Google: one week)."""

    def __init__(self, state_dir, clock, ttl):
        self.dir = os.path.join(state_dir, "uploads")
        os.makedirs(self.dir, exist_ok=True)
        super().__init__(clock, ttl)

    def create(self, path, file_id, metadata, declared_length, declared_type, fields, issued_to):
        upload_id = "AHVrFx" + secrets.token_urlsafe(48)
        spool = os.path.join(self.dir, upload_id)
        open(spool, "wb").close()
        rec = {"upload_id": upload_id, "path": path, "file_id": file_id, "metadata": metadata,
               "declared_length": declared_length, "declared_type": declared_type, "fields": list(fields),
               "created_at": self.clock.now(), "expires_at": self.clock.now() + self.ttl,
               "state": "open", "received": 0, "spool": spool, "result": None, "busy": False,
               "issued_to": issued_to, "puts": 0}
        return self.add(upload_id, rec)

    def get(self, upload_id):
        """-> (state, record): state in unknown | expired | open | done."""
        rec = self.find(upload_id)
        if rec is None:
            return "unknown", None
        if rec["state"] == "open" and rec["expires_at"] <= self.clock.now():
            return "expired", rec
        return rec["state"], rec

    def claim(self, rec):
        with self.lock:
            if rec["busy"]:
                return False
            rec["busy"] = True
            return True

    def release(self, rec):
        with self.lock:
            rec["busy"] = False

    def finish(self, rec, result):
        with self.lock:
            rec["state"], rec["result"] = "done", result
        try:
            os.unlink(rec["spool"])
        except FileNotFoundError:
            pass

    def listing(self):
        now = self.clock.now()
        with self.lock:
            out = []
            for rec in self.records.values():
                state = "expired" if rec["state"] == "open" and rec["expires_at"] <= now else rec["state"]
                out.append({k: rec[k] for k in ("upload_id", "path", "file_id", "received", "declared_length",
                                                "created_at", "expires_at", "puts", "result", "busy")}
                           | {"state": state})
            return out

"""The benchmark's fixed parameters, its object keys and an independent SigV4 model.

Standard library only. The model is what gives the floor its message lengths (L1, L2)
and referees URL mismatches; `bench.py run` checks it against botocore every run.
"""
import hashlib
import hmac
import random
import statistics

BUCKET = "bench-bucket"
REGION = "us-east-1"
AT_RFC3339 = "2026-01-01T00:00:00Z"
AMZ_DATE = "20260101T000000Z"
EXPIRES = 3600
ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
HOST = f"{BUCKET}.s3.{REGION}.amazonaws.com"
SEED = 20260101


# ----------------------------------------------------------------------------- keys

def generate_keys(n, seed=SEED):
    """n realistic object keys, deterministic for a seed. No newline/CR/TAB, no
    leading/trailing space (a line is a key)."""
    rng = random.Random(seed)
    exts = ["CR3", "NEF", "ARW", "DNG", "JPG", "jpg", "HEIC", "tif", "RAF", "xmp"]
    clients = ["Acme Corp", "Blue Sky Studio", "J Smith", "Nordic Light", "Old Town Bakery"]
    shoots = ["Wedding", "Portraits", "Product shoot", "Team day", "Event"]
    uni_dirs = ["Été 2023", "写真/東京", "фото/Москва", "Fotos/Mädchen", "São Paulo", "Ωmega",
                "🎉 party", "Kraków", "naïve café", "사진"]
    uni_names = ["café", "Bild", "IMG", "写真", "фото", "über", "niño", "🌅sunrise", "Åsa", "smörgås"]
    users = ["alice", "bob", "carol", "dave"]
    cams = ["EOS R5", "Z8", "A7IV", "X-T5"]
    keys = []
    for _ in range(n):
        r = rng.random()
        y = rng.randint(2015, 2025)
        m = rng.randint(1, 12)
        d = rng.randint(1, 28)
        i = rng.randint(0, 999999)
        ext = rng.choice(exts)
        if r < 0.40:    # the common case
            k = f"photos/{y}/{m:02d}/IMG_{i:06d}.{ext}"
        elif r < 0.55:  # dated camera folders
            k = f"raw/{y}-{m:02d}-{d:02d}/{rng.choice(cams)}/DSC{i % 100000:05d}.{ext}"
        elif r < 0.70:  # spaces
            k = (f"clients/{rng.choice(clients)}/{rng.choice(shoots)} {m}/"
                 f"DSC {i % 10000:04d}.{ext}")
        elif r < 0.82:  # unicode (NFC; 2-, 3- and 4-byte UTF-8)
            k = f"albums/{rng.choice(uni_dirs)}/{rng.choice(uni_names)}_{i % 1000:03d}.{ext}"
        elif r < 0.90:  # '+'
            k = f"exports/{rng.choice([1080, 2048, 4096])}px+crop/IMG+{i % 10000:04d}.{ext}"
        elif r < 0.96:  # '~'
            k = f"home/~{rng.choice(users)}/backup~{d}/IMG_{i % 10000:04d}.{ext}~"
        else:           # other punctuation seen in real file names
            k = f"inbox/IMG_{i % 10000:04d} ({rng.randint(1, 9)}).{ext}"
        keys.append(k)
    return keys


def write_keys(path, keys):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for k in keys:
            f.write(k)
            f.write("\n")


def read_keys(path):
    with open(path, encoding="utf-8", newline="\n") as f:
        return f.read().split("\n")[:-1]


def key_stats(path, keys):
    """What results.json records about the key file at path."""
    key_bytes = [len(k.encode("utf-8")) for k in keys]
    return {"file": path, "avg_bytes": statistics.fmean(key_bytes),
            "min_bytes": min(key_bytes), "max_bytes": max(key_bytes),
            "non_ascii": sum(1 for k in keys if not k.isascii()),
            "with_space": sum(1 for k in keys if " " in k),
            "with_plus": sum(1 for k in keys if "+" in k),
            "with_tilde": sum(1 for k in keys if "~" in k)}


# ----------------------------------------------------------------------------- SigV4 model
# A straightforward model of SigV4 query presigning for S3, per
# the S3 presigned-URL rules (GET, host signed, UNSIGNED-PAYLOAD).

_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def uri_encode(s, keep_slash):
    out = []
    for b in s.encode("utf-8"):
        if b in _UNRESERVED or (keep_slash and b == 0x2F):
            out.append(chr(b))
        else:
            out.append("%%%02X" % b)
    return "".join(out)


SCOPE = f"{AMZ_DATE[:8]}/{REGION}/s3/aws4_request"
AUTH_PARAMS = [
    ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
    ("X-Amz-Credential", f"{ACCESS_KEY}/{SCOPE}"),
    ("X-Amz-Date", AMZ_DATE),
    ("X-Amz-Expires", str(EXPIRES)),
    ("X-Amz-SignedHeaders", "host"),
]
CANONICAL_QUERY = "&".join(
    f"{uri_encode(k, False)}={uri_encode(v, False)}" for k, v in sorted(AUTH_PARAMS))
STS_PREFIX = f"AWS4-HMAC-SHA256\n{AMZ_DATE}\n{SCOPE}\n"


def _hmac(key, msg):
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


SIGNING_KEY = _hmac(_hmac(_hmac(_hmac(("AWS4" + SECRET_KEY).encode(), AMZ_DATE[:8]), REGION), "s3"),
                    "aws4_request")


def canonical_request(key):
    path = "/" + uri_encode(key, True)
    return f"GET\n{path}\n{CANONICAL_QUERY}\nhost:{HOST}\n\nhost\nUNSIGNED-PAYLOAD"


def string_to_sign(creq):
    return STS_PREFIX + hashlib.sha256(creq.encode("utf-8")).hexdigest()


def model_url(key):
    creq = canonical_request(key)
    sig = hmac.new(SIGNING_KEY, string_to_sign(creq).encode(), hashlib.sha256).hexdigest()
    return f"https://{HOST}/{uri_encode(key, True)}?{CANONICAL_QUERY}&X-Amz-Signature={sig}"


def message_lengths(keys):
    """(L1, L2) for the floor: the keys' average canonical-request length in bytes and the
    string-to-sign length (the same for every key)."""
    creq_lens = [len(canonical_request(k).encode("utf-8")) for k in keys]
    l1 = statistics.fmean(creq_lens)
    l2 = float(len((STS_PREFIX + "0" * 64).encode()))
    return l1, l2

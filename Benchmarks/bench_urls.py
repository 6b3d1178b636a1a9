"""URL comparison: every presign URL against botocore's, with the SigV4 model as referee.

Nothing is percent-decoded, so "equal" means byte-identical apart from the order of
query parameters.
"""
from bench_keys import model_url


def split_url(url):
    """(scheme, host, raw path, sorted raw query pairs). Nothing is percent-decoded, so
    equality means byte-identical apart from the order of query parameters."""
    scheme, rest = url.split("://", 1)
    hostpart, _, pathquery = rest.partition("/")
    path, _, query = ("/" + pathquery).partition("?")
    pairs = sorted(tuple(p.partition("=")[::2]) for p in query.split("&")) if query else []
    return scheme, hostpart, path, pairs


def describe_diff(a, b):
    sa, sb = split_url(a), split_url(b)
    parts = []
    for name, x, y in zip(("scheme", "host", "path", "query"), sa, sb):
        if x != y:
            if name == "query":
                dx, dy = dict(x), dict(y)
                for q in sorted(set(dx) | set(dy)):
                    if dx.get(q) != dy.get(q):
                        parts.append(f"query {q}: presign={dx.get(q)!r} botocore={dy.get(q)!r}")
            else:
                parts.append(f"{name}: presign={x!r} botocore={y!r}")
    return parts


def referee(presign_url, botocore_url, key):
    """Which side of a mismatch agrees with the independent SigV4 model."""
    m = split_url(model_url(key))
    if split_url(presign_url) == m:
        return "presign agrees with the SigV4 model"
    if split_url(botocore_url) == m:
        return "botocore agrees with the SigV4 model"
    return "neither agrees with the SigV4 model"


def read_url_lines(presign_out, boto_out):
    """The URLs each signer wrote, one per line. presign's final newline is optional."""
    with open(presign_out, encoding="utf-8", newline="\n") as f:
        p_lines = f.read().split("\n")
    if p_lines and p_lines[-1] == "":
        p_lines.pop()
    with open(boto_out, encoding="utf-8", newline="\n") as f:
        b_lines = f.read().split("\n")[:-1]
    return p_lines, b_lines


def compare_urls(presign_out, boto_out, keys, show):
    """The url_check record of results.json; at most `show` mismatches are kept as examples."""
    p_lines, b_lines = read_url_lines(presign_out, boto_out)
    n = len(keys)
    check = {"presign_lines": len(p_lines), "keys": n, "compared": min(len(p_lines), n),
             "byte_identical": 0, "equal_modulo_query_order": 0, "mismatches": 0, "examples": []}
    for i in range(min(len(p_lines), n)):
        p, b = p_lines[i], b_lines[i]
        if p == b:
            check["byte_identical"] += 1
            check["equal_modulo_query_order"] += 1
        elif split_url(p) == split_url(b):
            check["equal_modulo_query_order"] += 1
        else:
            check["mismatches"] += 1
            if len(check["examples"]) < show:
                check["examples"].append({"line": i + 1, "key": keys[i], "presign": p,
                                          "botocore": b, "diff": describe_diff(p, b),
                                          "referee": referee(p, b, keys[i])})
    return check


def url_problems(check):
    """The PROBLEMS lines a url_check record calls for, in report order."""
    problems = []
    if check["presign_lines"] != check["keys"]:
        problems.append(f"presign printed {check['presign_lines']} lines for {check['keys']} keys")
    if check["mismatches"]:
        problems.append(f"{check['mismatches']} of {check['compared']} presign URLs differ "
                        "from botocore's (see url_check.examples)")
    return problems

/*
 * openssl_floor.c: the crypto floor of one S3 SigV4 presign, measured with OpenSSL 3.
 *
 * One "computation" is what a presigner cannot avoid per URL once the signing key
 * (kSigning) is derived for the day/region/service:
 *   1. SHA-256 of an L1-byte message (the canonical request), and
 *   2. HMAC-SHA256, 32-byte key, of an L2-byte message (the string to sign, whose
 *      last 64 bytes are the lower-case hex of the digest from step 1).
 *
 * Fastest sensible use of the API: algorithms fetched once (EVP_MD_fetch,
 * EVP_MAC_fetch), contexts allocated once and reused, EVP_DigestInit_ex2 per digest,
 * and the HMAC key set once then EVP_MAC_init(ctx, NULL, 0, NULL) per message (this
 * reuses the precomputed inner/outer key state, as a presigner signing many URLs
 * with the same kSigning can). A second pass re-keys on every message
 * (EVP_MAC_init with the key), for reference.
 *
 * The canonical-request bytes change every iteration (a counter is written into
 * them), and the string to sign carries the new digest, so nothing can be cached.
 *
 * usage: openssl_floor N L1 L2 [MIN_SECONDS]
 *   runs rounds of N computations until MIN_SECONDS (default 1.0) have elapsed
 *   (after one untimed warm-up round) and prints one JSON line.
 */
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char HEX[] = "0123456789abcdef";

static void die(const char *what) {
    fprintf(stderr, "openssl_floor: %s failed\n", what);
    ERR_print_errors_fp(stderr);
    exit(1);
}

static double clock_s(clockid_t id) {
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
static double now(void) { return clock_s(CLOCK_MONOTONIC); }
static double cpu_now(void) { return clock_s(CLOCK_PROCESS_CPUTIME_ID); }

/* Fill buf[0..len) by repeating a template (bytes that look like the real input). */
static void fill(unsigned char *buf, size_t len, const char *tmpl) {
    size_t tl = strlen(tmpl);
    for (size_t i = 0; i < len; i++) buf[i] = (unsigned char)tmpl[i % tl];
}

typedef struct {
    EVP_MD *md;
    EVP_MD_CTX *mdctx;
    EVP_MAC_CTX *macctx;
    const unsigned char *key;
    unsigned char *m1, *m2;
    size_t l1, l2;
    size_t ctr_off;  /* where the counter goes in m1 */
    size_t hex_off;  /* where the digest hex goes in m2 */
    int rekey;
    unsigned char sink;
} floor_t;

/* One computation; the counter is written as 16 hex digits into the canonical request. */
static void one(floor_t *f, uint64_t ctr, unsigned char sig[32]) {
    unsigned char dig[EVP_MAX_MD_SIZE];
    unsigned int dlen = 0;
    size_t slen = 0;

    for (int k = 0; k < 16 && f->ctr_off + k < f->l1; k++)
        f->m1[f->ctr_off + k] = (unsigned char)HEX[(ctr >> (60 - 4 * k)) & 0xf];

    if (!EVP_DigestInit_ex2(f->mdctx, f->md, NULL)) die("EVP_DigestInit_ex2");
    if (!EVP_DigestUpdate(f->mdctx, f->m1, f->l1)) die("EVP_DigestUpdate");
    if (!EVP_DigestFinal_ex(f->mdctx, dig, &dlen)) die("EVP_DigestFinal_ex");

    for (unsigned int k = 0; k < 32 && f->hex_off + 2 * k + 1 < f->l2; k++) {
        f->m2[f->hex_off + 2 * k] = (unsigned char)HEX[dig[k] >> 4];
        f->m2[f->hex_off + 2 * k + 1] = (unsigned char)HEX[dig[k] & 0xf];
    }

    if (f->rekey) {
        if (!EVP_MAC_init(f->macctx, f->key, 32, NULL)) die("EVP_MAC_init(key)");
    } else {
        if (!EVP_MAC_init(f->macctx, NULL, 0, NULL)) die("EVP_MAC_init(NULL)");
    }
    if (!EVP_MAC_update(f->macctx, f->m2, f->l2)) die("EVP_MAC_update");
    if (!EVP_MAC_final(f->macctx, sig, &slen, 32) || slen != 32) die("EVP_MAC_final");
    f->sink ^= sig[0];
}

/* Rounds of n computations until min_s elapsed; returns computations per second. */
static double measure(floor_t *f, uint64_t n, double min_s, uint64_t *ctr,
                      uint64_t *done_out, double *secs_out, double *cpu_out) {
    unsigned char sig[32];
    uint64_t warm = n < 20000 ? n : 20000;
    for (uint64_t i = 0; i < warm; i++) one(f, (*ctr)++, sig);

    uint64_t done = 0;
    double c0 = cpu_now(), t0 = now(), t1;
    do {
        for (uint64_t i = 0; i < n; i++) one(f, (*ctr)++, sig);
        done += n;
        t1 = now();
    } while (t1 - t0 < min_s);
    *done_out = done;
    *secs_out = t1 - t0;
    *cpu_out = cpu_now() - c0;
    return (double)done / (t1 - t0);
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s N L1 L2 [MIN_SECONDS]\n", argv[0]);
        return 2;
    }
    uint64_t n = strtoull(argv[1], NULL, 10);
    size_t l1 = strtoul(argv[2], NULL, 10);
    size_t l2 = strtoul(argv[3], NULL, 10);
    double min_s = argc > 4 ? atof(argv[4]) : 1.0;
    if (n == 0 || l1 < 16 || l2 < 64) {
        fprintf(stderr, "openssl_floor: need N > 0, L1 >= 16, L2 >= 64\n");
        return 2;
    }

    /* A fixed 32-byte key (stands for kSigning). */
    static const unsigned char key[32] = {
        0xdb, 0xb8, 0x93, 0xac, 0xc0, 0x10, 0x96, 0x49, 0x18, 0xf1, 0xfd, 0x43, 0x3a, 0xdd, 0x87, 0xc7,
        0x0e, 0x8b, 0x0d, 0xb6, 0xbe, 0x30, 0xc1, 0xfb, 0xea, 0xfe, 0xfa, 0x5e, 0xc6, 0xba, 0x83, 0x78};

    floor_t f = {0};
    f.l1 = l1;
    f.l2 = l2;
    f.key = key;
    f.m1 = malloc(l1);
    f.m2 = malloc(l2);
    if (!f.m1 || !f.m2) die("malloc");
    fill(f.m1, l1,
         "GET\n/photos/2024/IMG_000123.CR3\nX-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential="
         "AKIAIOSFODNN7EXAMPLE%2F20260101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20260101T000000Z"
         "&X-Amz-Expires=3600&X-Amz-SignedHeaders=host\nhost:bench-bucket.s3.us-east-1.amazonaws.com\n"
         "\nhost\nUNSIGNED-PAYLOAD");
    fill(f.m2, l2,
         "AWS4-HMAC-SHA256\n20260101T000000Z\n20260101/us-east-1/s3/aws4_request\n");
    f.ctr_off = 5;           /* inside the object key */
    f.hex_off = l2 - 64;     /* the digest hex ends the string to sign */

    f.md = EVP_MD_fetch(NULL, "SHA256", NULL);
    if (!f.md) die("EVP_MD_fetch(SHA256)");
    EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    if (!mac) die("EVP_MAC_fetch(HMAC)");
    f.mdctx = EVP_MD_CTX_new();
    f.macctx = EVP_MAC_CTX_new(mac);
    if (!f.mdctx || !f.macctx) die("context allocation");
    char digest_name[] = "SHA256";
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
        OSSL_PARAM_construct_end()};
    if (!EVP_MAC_init(f.macctx, key, sizeof key, params)) die("EVP_MAC_init(params)");

    /* Self-check: the keep-the-key path must give the same MAC as a full re-key and as
     * the one-shot EVP_Q_mac, for the same input. */
    unsigned char a[32], b[32], c[32];
    size_t clen = 0;
    f.rekey = 0; one(&f, 42, a);
    f.rekey = 1; one(&f, 42, b);
    if (!EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, key, sizeof key, f.m2, l2, c, sizeof c, &clen))
        die("EVP_Q_mac");
    if (memcmp(a, b, 32) != 0 || memcmp(a, c, 32) != 0) {
        fprintf(stderr, "openssl_floor: self-check failed (HMAC key reuse differs)\n");
        return 1;
    }

    uint64_t ctr = 1000, done_reuse, done_rekey;
    double secs_reuse, secs_rekey, cpu_reuse, cpu_rekey;
    f.rekey = 0;
    double ps_reuse = measure(&f, n, min_s, &ctr, &done_reuse, &secs_reuse, &cpu_reuse);
    f.rekey = 1;
    double ps_rekey = measure(&f, n, min_s, &ctr, &done_rekey, &secs_rekey, &cpu_rekey);

    printf("{\"openssl\": \"%s\", \"l1\": %zu, \"l2\": %zu, "
           "\"iterations\": %llu, \"seconds\": %.6f, \"cpu_seconds\": %.6f, \"per_sec\": %.1f, "
           "\"rekey_iterations\": %llu, \"rekey_seconds\": %.6f, \"rekey_cpu_seconds\": %.6f, "
           "\"rekey_per_sec\": %.1f, "
           "\"sink\": %u}\n",
           OpenSSL_version(OPENSSL_VERSION), l1, l2,
           (unsigned long long)done_reuse, secs_reuse, cpu_reuse, ps_reuse,
           (unsigned long long)done_rekey, secs_rekey, cpu_rekey, ps_rekey, (unsigned)f.sink);

    EVP_MAC_CTX_free(f.macctx);
    EVP_MD_CTX_free(f.mdctx);
    EVP_MAC_free(mac);
    EVP_MD_free(f.md);
    free(f.m1);
    free(f.m2);
    return 0;
}

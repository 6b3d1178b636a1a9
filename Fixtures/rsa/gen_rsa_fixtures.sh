#!/usr/bin/env bash
# Regenerates the throw-away RSA test fixtures in this directory with the openssl CLI.
#
# These keys are test material only: they are public, protect nothing, and must never be used
# for real signing. Re-running the script makes NEW keys and NEW signatures (the tests read both
# from disk, so they stay consistent).
#
# Usage: Fixtures/rsa/gen_rsa_fixtures.sh   (from anywhere; writes next to this script)
set -euo pipefail

cd "$(dirname "$0")"
OPENSSL="${OPENSSL:-openssl}"
PASS="presign-test-passphrase"

rm -f -- *.pem messages/* signatures/*
mkdir -p messages signatures

# --- Keys --------------------------------------------------------------------------------------
# 2048-bit RSA, PKCS#8 ("BEGIN PRIVATE KEY").
"$OPENSSL" genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa2048-pkcs8.pem
# The same key as PKCS#1 ("BEGIN RSA PRIVATE KEY").
"$OPENSSL" rsa -in rsa2048-pkcs8.pem -traditional -outform PEM -out rsa2048-pkcs1.pem
# 3072-bit RSA, PKCS#8.
"$OPENSSL" genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out rsa3072-pkcs8.pem
# 1024-bit RSA (too short: must be refused with key-too-short), PKCS#8 and PKCS#1.
"$OPENSSL" genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out rsa1024-pkcs8.pem
"$OPENSSL" rsa -in rsa1024-pkcs8.pem -traditional -outform PEM -out rsa1024-pkcs1.pem
# EC P-256, PKCS#8 (not RSA: must be refused).
"$OPENSSL" genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec-p256-pkcs8.pem
# The 2048-bit key encrypted as PKCS#8 ("BEGIN ENCRYPTED PRIVATE KEY"): must be refused, no prompt.
"$OPENSSL" pkcs8 -topk8 -in rsa2048-pkcs8.pem -v2 aes-256-cbc -passout "pass:$PASS" -out rsa2048-pkcs8-encrypted.pem
# The 2048-bit key encrypted as legacy PKCS#1 ("BEGIN RSA PRIVATE KEY" + "Proc-Type: 4,ENCRYPTED").
"$OPENSSL" rsa -in rsa2048-pkcs8.pem -traditional -aes256 -passout "pass:$PASS" -out rsa2048-pkcs1-encrypted.pem
echo -n "$PASS" > encrypted-passphrase.txt
chmod 644 ./*.pem  # test keys only; readable like the other fixtures

# --- Messages ----------------------------------------------------------------------------------
printf '' > messages/empty.txt
printf 'hello' > messages/hello.txt
# 10 KB (10,240 bytes) of printable text: the line "0123456789abcdef...\n" (64 bytes) 160 times.
line='0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ+'
for _ in $(seq 160); do printf '%s\n' "$line"; done > messages/10k.txt
# Non-ASCII UTF-8 (2-, 3- and 4-byte sequences).
printf 'Grüße aus Köln — 東京 🚀 naïve café' > messages/utf8.txt

# --- Signatures (RSASSA-PKCS1-v1_5 / SHA-256 is deterministic) ----------------------------------
for key in rsa2048-pkcs8 rsa3072-pkcs8; do
  for message in messages/*.txt; do
    name="$(basename "$message" .txt)"
    "$OPENSSL" dgst -sha256 -sign "$key.pem" -binary "$message" | od -An -v -tx1 | tr -d ' \n' > "signatures/$key.$name.sig.hex"
    echo >> "signatures/$key.$name.sig.hex"
  done
done

echo "RSA fixtures written to $(pwd)"

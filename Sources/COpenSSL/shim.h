#ifndef PRESIGN_COPENSSL_SHIM_H
#define PRESIGN_COPENSSL_SHIM_H

#include <openssl/evp.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <openssl/rsa.h>

/// OSSL_PARAM arrays are terminated by OSSL_PARAM_END, a macro Swift cannot see.
static inline OSSL_PARAM COpenSSL_param_end(void) {
    OSSL_PARAM end = OSSL_PARAM_END;
    return end;
}

#endif

internal import CCurl

/// Turns a libcurl failure into an ``HTTPError`` with a sentence that says what to do.
enum CurlErrors {
    static func classify(code: Int, handle: CurlHandle, request: HTTPRequest, state: TransferState) -> HTTPError {
        let host = URLRedaction.origin(of: request.url)
        let detail = CurlHandle.describe(code)
        func error(_ kind: HTTPError.Kind, _ message: String) -> HTTPError { HTTPError(kind: kind, curlCode: code, message: message) }

        switch CURLcode(rawValue: UInt32(code)) {
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT:
            return error(.invalidURL, "The URL \(URLRedaction.redact(request.url)) is not a valid http(s) URL (\(detail)). Check it was copied whole.")
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return error(.dnsFailure, "The host of \(host) could not be resolved. Check the host name, your DNS, or HTTPS_PROXY.")
        case CURLE_COULDNT_CONNECT:
            return error(.connectionRefused, "Could not connect to \(host): nothing accepted the connection. Check the host and port, or that the server is running.")
        case CURLE_OPERATION_TIMEDOUT:
            return error(.timeout, "\(host) did not answer in time (connect timeout \(request.connectTimeout) s, total \(request.totalTimeout) s). Retry later or raise the timeout.")
        case CURLE_PEER_FAILED_VERIFICATION:
            return tlsError(code: code, verifyResult: handle.long(CURLINFO_SSL_VERIFYRESULT), host: host, detail: state.errorText ?? detail)
        case CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR:
            return error(.tlsOther, "The TLS connection to \(host) failed (\(detail)). Check the server's certificate setup, or the --cacert file.")
        case CURLE_GOT_NOTHING, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_PARTIAL_FILE:
            return error(.connectionDropped, "\(host) closed the connection before answering completely (\(detail)). This is usually transient: retry.")
        case CURLE_ABORTED_BY_CALLBACK:
            if let fileError = state.localFileError {
                return error(.localFile, "Reading the file to upload failed (\(fileError)).")
            }
            return error(.cancelled, "The request to \(host) was cancelled.")
        default:
            return error(.other, "The request to \(host) failed: \(detail) (curl error \(code)).")
        }
    }

    /// X509 verify results (OpenSSL's `X509_V_ERR_*`) that curl reports with CURLE_PEER_FAILED_VERIFICATION.
    static func tlsError(code: Int, verifyResult: Int, host: String, detail: String) -> HTTPError {
        switch verifyResult {
        case 10: // X509_V_ERR_CERT_HAS_EXPIRED
            return HTTPError(kind: .tlsExpired, curlCode: code, message: "The TLS certificate of \(host) has expired. The server must renew it; a URL there cannot be used until then.")
        case 18, 19: // DEPTH_ZERO_SELF_SIGNED_CERT, SELF_SIGNED_CERT_IN_CHAIN
            return HTTPError(kind: .tlsSelfSigned, curlCode: code, message: "The TLS certificate of \(host) is self-signed, so it cannot be trusted. Use a certificate from a public authority (cloud services will refuse this one), or pass --cacert for a test server.")
        case 2, 20, 21: // UNABLE_TO_GET_ISSUER_CERT(_LOCALLY), UNABLE_TO_VERIFY_LEAF_SIGNATURE
            return HTTPError(kind: .tlsUnknownAuthority, curlCode: code, message: "The TLS certificate of \(host) was issued by an authority this machine does not trust. Cloud services will refuse it too; for a private CA pass --cacert FILE.")
        case 62: // X509_V_ERR_HOSTNAME_MISMATCH
            return nameMismatch(code: code, host: host)
        case 0 where detail.contains("host name") || detail.contains("subject name"),
             1 where detail.contains("host name") || detail.contains("subject name"):
            // curl's own host-name check: the chain verified, the name did not (result 0 or 1).
            return nameMismatch(code: code, host: host)
        default:
            return HTTPError(kind: .tlsOther, curlCode: code, message: "The TLS certificate of \(host) could not be verified (\(detail), X509 error \(verifyResult)).")
        }
    }

    static func nameMismatch(code: Int, host: String) -> HTTPError {
        HTTPError(kind: .tlsNameMismatch, curlCode: code, message: "The TLS certificate of \(host) is for another host name. Use the host name the certificate names (e.g. the provider's regional host), not an IP or alias.")
    }
}

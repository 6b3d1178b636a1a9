/// Validation of the user-supplied headers and query parameters of an S3 presign.
enum S3PresignRequestParts {
    private static let tokenBytes = Set(Array("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8))

    static func validatedHeaders(_ headers: [SigV4.Header]) throws -> [SigV4.Header] {
        for header in headers {
            let name = header.name.lowercased()
            guard !name.isEmpty, name.utf8.allSatisfy({ tokenBytes.contains($0) }) else {
                throw AWSSigV4Error(code: AWSSigV4Error.invalidHeader, message: "'\(header.name)' is not a valid HTTP header name (letters, digits and !#$%&'*+-.^_`|~ only). Write headers as 'Name: value'.")
            }
            guard !["host", "authorization", "x-amz-date", "x-amz-security-token"].contains(name) else {
                throw AWSSigV4Error(code: AWSSigV4Error.invalidHeader, message: "The header '\(header.name)' is set by the signer or the HTTP client, not by --header. Remove it.")
            }
            guard !header.value.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D || $0 == 0x00 }) else {
                throw AWSSigV4Error(code: AWSSigV4Error.invalidHeader, message: "The value of header '\(header.name)' contains a line break, which HTTP does not allow. Give it on one line.")
            }
        }
        return headers
    }

    static func validatedQuery(_ query: [SigV4.QueryParameter]) throws -> [SigV4.QueryParameter] {
        for parameter in query {
            guard !parameter.name.isEmpty else {
                throw AWSSigV4Error(code: AWSSigV4Error.invalidQuery, message: "A query parameter has an empty name. Write it as name=value, e.g. versionId=abc.")
            }
        }
        return query
    }
}

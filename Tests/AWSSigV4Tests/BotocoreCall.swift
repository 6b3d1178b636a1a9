import AWSSigV4
import Foundation
import SigningCore
import Testing

/// A botocore client call (`operation` + `params`) translated into the S3 request it makes:
/// header-typed params become signed headers, query-typed params query parameters, as
/// botocore's S3 service model serialises them.
struct BotocoreCall {
    var bucket: String
    var key: String?
    var method: String
    var headers: [SigV4.Header] = []
    var query: [SigV4.QueryParameter] = []

    init(input: [String: Any]) throws {
        let params = try #require(input["params"] as? [String: Any])
        bucket = try #require(params["Bucket"] as? String)
        key = params["Key"] as? String
        method = try #require(input["method"] as? String)
        let queryNames = [
            "ResponseContentDisposition": "response-content-disposition", "ResponseContentType": "response-content-type",
            "ResponseCacheControl": "response-cache-control", "ResponseContentLanguage": "response-content-language",
            "ResponseContentEncoding": "response-content-encoding", "ResponseExpires": "response-expires",
            "VersionId": "versionId", "PartNumber": "partNumber", "UploadId": "uploadId",
            "Prefix": "prefix", "Delimiter": "delimiter", "MaxKeys": "max-keys",
        ]
        let headerNames = [
            "Range": "range", "ContentType": "content-type", "ACL": "x-amz-acl",
            "ServerSideEncryption": "x-amz-server-side-encryption",
        ]
        for (name, value) in params where name != "Bucket" && name != "Key" {
            if let queryName = queryNames[name] {
                query.append((queryName, "\(value)"))
            } else if let headerName = headerNames[name] {
                headers.append((headerName, "\(value)"))
            } else if name == "Metadata", let metadata = value as? [String: String] {
                headers += metadata.map { ("x-amz-meta-\($0.key.lowercased())", $0.value) }
            } else {
                Issue.record("botocore param \(name) is not mapped")
            }
        }
        switch input["operation"] as? String {
        case "create_multipart_upload": query.append(("uploads", ""))
        case "list_objects_v2": query += [("list-type", "2"), ("encoding-type", "url")]
        default: break
        }
    }

    /// Python's `parse_qs` as botocore applies it to a hand-made URL: `+` is a space, names
    /// repeat only once (the first value wins), blank values are kept.
    static func parseQS(_ query: String) -> [SigV4.QueryParameter] {
        var seen = Set<String>()
        var out: [SigV4.QueryParameter] = []
        for part in query.split(separator: "&") {
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = PercentEncoding.decode(String(kv[0]), plusAsSpace: true) ?? String(kv[0])
            let value = kv.count > 1 ? PercentEncoding.decode(String(kv[1]), plusAsSpace: true) ?? String(kv[1]) : ""
            if seen.insert(name).inserted { out.append((name, value)) }
        }
        return out
    }
}

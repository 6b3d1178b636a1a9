import Foundation

/// A job's status document (`GET /lrService/status/{jobId}`).
public struct LightroomJobStatus: Sendable {
    public struct Output: Sendable {
        /// `pending`, `running`, `succeeded` or `failed`.
        public let status: String
        /// Where the output goes (the service's `_links.self.href`), if given.
        public let href: String?
        /// The failure's type, code and reason, when failed.
        public let error: String?
    }

    public let jobID: String
    public let outputs: [Output]
    public let selfLink: String?

    /// Whether every output is `succeeded` or `failed`.
    public var isFinished: Bool { !outputs.isEmpty && outputs.allSatisfy { $0.status == "succeeded" || $0.status == "failed" } }
    /// Whether every output succeeded.
    public var succeeded: Bool { !outputs.isEmpty && outputs.allSatisfy { $0.status == "succeeded" } }
    /// `2 succeeded, 1 running`.
    public var summary: String {
        let order = ["succeeded", "failed", "running", "pending"]
        let counts = Dictionary(grouping: outputs, by: \.status).mapValues(\.count)
        let known = order.compactMap { name in counts[name].map { "\($0) \(name)" } }
        let others = counts.keys.filter { !order.contains($0) }.sorted().map { "\(counts[$0]!) \($0)" }
        return (known + others).joined(separator: ", ")
    }

    public init(parsing body: [UInt8]) throws {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any], let outputs = object["outputs"] as? [[String: Any]] else {
            throw LightroomError(code: "bad-status", message: "The status answer is not a job status document: \(String(decoding: body.prefix(200), as: UTF8.self))")
        }
        jobID = object["jobId"] as? String ?? ""
        selfLink = ((object["_links"] as? [String: Any])?["self"] as? [String: Any])?["href"] as? String
        self.outputs = outputs.map { entry in
            let link = ((entry["_links"] as? [String: Any])?["self"] as? [String: Any])?["href"] as? String
            var error: String?
            if let errors = entry["errors"] as? [String: Any] {
                let reasons = (errors["details"] as? [[String: Any]])?.compactMap { $0["reason"].map { "\($0)" } } ?? []
                error = [errors["type"] as? String, errors["title"] as? String, errors["code"].map { "code \($0)" }].compactMap { $0 }.joined(separator: ": ")
                    + (reasons.isEmpty ? "" : " (\(reasons.joined(separator: "; ")))")
            } else if let details = entry["details"] {
                error = "\(details)"
            }
            return Output(status: entry["status"] as? String ?? "unknown", href: link, error: error)
        }
    }
}

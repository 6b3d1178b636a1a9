import Foundation
import HTTP
import SigningCore

/// A thin client of the Lightroom API: sends a job with the API's retry rule (5xx only, three
/// retries, exponential back-off with jitter), reads job status, and waits for a job to finish.
public struct LightroomClient: Sendable {
    public static let defaultBase = "https://image.adobe.io"

    public let base: String
    /// Sent as `x-api-key`: the client id.
    public let apiKey: String
    public let tokens: IMSTokenProvider
    public let http: HTTPClient
    public var policy: RetryPolicy

    public init(base: String = LightroomClient.defaultBase, apiKey: String, tokens: IMSTokenProvider, http: HTTPClient = HTTPClient(),
                policy: RetryPolicy = .serverErrors()) {
        self.base = base.hasSuffix("/") ? String(base.dropLast()) : base
        self.apiKey = apiKey
        self.tokens = tokens
        self.http = http
        self.policy = policy
    }

    /// The request that `submit` sends, without the token (for `--dry-run`).
    public func plannedRequest(_ job: LightroomJobRequest) throws -> (method: String, url: String, headers: [(name: String, value: String)], body: [UInt8]) {
        ("POST", base + job.endpoint.path, [("Authorization", "Bearer <redacted>"), ("x-api-key", apiKey), ("Content-Type", "application/json")], try job.body())
    }

    /// Sends the job; returns its status URL.
    public func submit(_ job: LightroomJobRequest) async throws -> String {
        let body = try job.body()
        let response = try await call("POST", base + job.endpoint.path, body: body, what: "job request")
        guard response.status == 202 || response.status == 200 else { throw LightroomErrors.error(response, what: "The job") }
        let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any]
        guard let links = object?["_links"] as? [String: Any], let link = (links["self"] as? [String: Any])?["href"] as? String else {
            throw LightroomError(code: "no-status-link", message: "The API accepted the job (\(response.status)) but sent no status link (_links.self.href). Answer: \(response.text.prefix(200))")
        }
        return link
    }

    /// The status of a job, from its status URL or its id.
    public func status(_ jobURLOrID: String) async throws -> LightroomJobStatus {
        let url = jobURLOrID.contains("://") ? jobURLOrID : base + "/lrService/status/" + jobURLOrID
        let response = try await call("GET", url, body: nil, what: "status request")
        guard response.status == 200 || response.status == 202 else { throw LightroomErrors.error(response, what: "The status request") }
        return try LightroomJobStatus(parsing: response.body)
    }

    /// Polls until every output is `succeeded` or `failed`: first after `interval`, then 1.5 times
    /// longer each time up to 30 s, the last poll at `timeout` (so it gives up within one poll of
    /// it); `progress` sees each status with the seconds since the wait began. Throws after `timeout`.
    public func wait(for jobURL: String, interval: Double = 2, timeout: Double = 900,
                     progress: @Sendable (LightroomJobStatus, Double) -> Void = { _, _ in }) async throws -> LightroomJobStatus {
        let clock = ContinuousClock(), start = clock.now
        var pause = interval
        while true {
            let status = try await status(jobURL)
            let elapsed = Self.seconds(clock.now - start)
            progress(status, elapsed)
            if status.isFinished { return status }
            let left = timeout - elapsed
            guard left > 0 else {
                throw LightroomError(code: "wait-timeout", message: "The job was not finished after \(Self.elapsedText(elapsed)) (--timeout \(Self.elapsedText(timeout)); outputs: \(status.summary)). Check it later with: presign lightroom status \(jobURL)")
            }
            try await Task.sleep(nanoseconds: UInt64(min(pause, left) * 1e9))
            pause = min(pause * 1.5, max(interval, 30))
        }
    }

    /// `2.3 s`: how the wait shows elapsed times.
    public static func elapsedText(_ seconds: Double) -> String {
        String(format: "%.1f s", seconds)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// One API call with auth headers; a 401 gets one new token (IMS tokens can be revoked).
    func call(_ method: String, _ url: String, body: [UInt8]?, what: String) async throws -> HTTPResponse {
        var renewed = false
        while true {
            var headers = [(name: "Authorization", value: "Bearer \(try await tokens.token())"), (name: "x-api-key", value: apiKey)]
            if body != nil { headers.append((name: "Content-Type", value: "application/json")) }
            let request = HTTPRequest(method: method, url: url, headers: headers, body: body.map { .bytes($0) } ?? .none)
            let response = try await LightroomTransport.send(request, http: http, policy: policy, what: what)
            if response.status == 401, !renewed, case .clientCredentials = tokens.source {
                await tokens.invalidate()
                renewed = true
                continue
            }
            return response
        }
    }
}

import Foundation
import HTTP

/// Sends with the API's retry rule and turns transport failures into `LightroomError`s.
enum LightroomTransport {
    static func send(_ request: HTTPRequest, http: HTTPClient, policy: RetryPolicy, what: String) async throws -> HTTPResponse {
        do {
            return try await http.send(request, retrying: policy).response
        } catch let exhausted as RetryExhausted {
            let tries = exhausted.attempts.count
            throw LightroomError(code: exhausted.error.code, message: "The \(what) failed\(tries > 1 ? " after \(tries) tries" : ""): \(exhausted.error.message)")
        } catch let error as HTTPError {
            throw LightroomError(code: error.code, message: "The \(what) failed: \(error.message)", isUsageError: error.isUsageError)
        }
    }
}

import Foundation

/// The one HTTP client of the project, on libcurl.
///
/// `send` is async and never blocks the cooperative thread pool: each transfer runs on a thread
/// of its own, at most `maxConcurrentTransfers` at a time (the rest wait their turn). Cancelling
/// the calling task stops the transfer. Proxies come from the environment (`HTTPS_PROXY`,
/// `NO_PROXY`, ...) as curl reads them; TLS uses the system trust store plus `caFile`.
public final class HTTPClient: Sendable {
    /// How many transfers may run at once.
    public let maxConcurrentTransfers: Int
    private let slots: TransferSlots
    private let handles: CurlHandlePool

    /// Creates a client.
    public init(maxConcurrentTransfers: Int = 32) {
        self.maxConcurrentTransfers = max(1, maxConcurrentTransfers)
        slots = TransferSlots(count: self.maxConcurrentTransfers)
        handles = CurlHandlePool(capacity: self.maxConcurrentTransfers)
    }

    /// Sends `request` once. Throws ``HTTPError`` when no HTTP response came back; any status,
    /// 4xx and 5xx included, is a response.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await slots.acquire()
        defer { Task { await slots.release() } }
        try Task.checkCancellation()
        let cancel = CancelFlag()
        let handles = self.handles
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPResponse, Error>) in
                let thread = Thread {
                    let handle = handles.take()
                    let result = Result { try CurlTransfer.perform(request, on: handle, cancel: cancel) }
                    handles.give(handle)
                    continuation.resume(with: result)
                }
                thread.stackSize = 1 << 20
                thread.start()
            }
        } onCancel: {
            cancel.cancel()
        }
    }

    /// Sends `request` under `policy`: retries the statuses and transport errors it names, with
    /// its back-off, telling `policy.onRetry` before each wait. Returns the last response and
    /// every attempt made.
    public func send(_ request: HTTPRequest, retrying policy: RetryPolicy) async throws -> RetriedResponse {
        var attempts: [RetriedResponse.Attempt] = []
        var retry = 0
        while true {
            let started = Date()
            let delay: Double
            do {
                let response = try await send(request)
                attempts.append(.init(started: started, status: response.status, error: nil))
                guard retry < policy.retries, let wait = policy.delay(beforeRetry: retry, after: response) else {
                    return RetriedResponse(response: response, attempts: attempts)
                }
                delay = wait
            } catch let error as HTTPError {
                attempts.append(.init(started: started, status: nil, error: error))
                guard retry < policy.retries, policy.shouldRetry(error) else { throw RetryExhausted(error: error, attempts: attempts) }
                delay = policy.backoffDelay(beforeRetry: retry)
            }
            let last = attempts[attempts.count - 1]
            try await policy.pause(beforeRetry: retry, delay: delay, status: last.status, error: last.error, url: request.url)
            retry += 1
        }
    }
}

/// The final response of a retried request and the history of its attempts.
public struct RetriedResponse: Sendable {
    /// One try.
    public struct Attempt: Sendable {
        /// When it started.
        public let started: Date
        /// Its status, or `nil` when it failed without a response.
        public let status: Int?
        /// Its transport error, if any.
        public let error: HTTPError?
    }

    /// The last response.
    public let response: HTTPResponse
    /// Every attempt, in order.
    public let attempts: [Attempt]
}

/// A transport error that persisted through every retry.
public struct RetryExhausted: Error, Sendable {
    /// The last error.
    public let error: HTTPError
    /// Every attempt, in order.
    public let attempts: [RetriedResponse.Attempt]
}

/// A counting semaphore for tasks.
actor TransferSlots {
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(count: Int) { free = count }

    func acquire() async throws {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }
}

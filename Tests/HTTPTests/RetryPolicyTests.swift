import Foundation
import HTTP
import Testing

/// The back-off formula and `Retry-After` parsing, without a network.
struct RetryPolicyTests {
    @Test func delaysDoubleAndCarryTheRandomFactor() {
        let low = RetryPolicy(retries: 3, backoff: 1, retryableStatuses: [503], random: { 0.5 })
        #expect((0..<4).map { low.backoffDelay(beforeRetry: $0) } == [0.5, 1, 2, 4])
        let high = RetryPolicy(retries: 3, backoff: 0.25, retryableStatuses: [503], random: { 1.0 })
        #expect((0..<3).map { high.backoffDelay(beforeRetry: $0) } == [0.25, 0.5, 1])
        let wild = RetryPolicy(retries: 3, backoff: 1, retryableStatuses: [503], random: { 7 })
        #expect(wild.backoffDelay(beforeRetry: 0) == 1, "the factor is clamped to [0.5, 1]")
    }

    @Test func defaultRandomFactorStaysInRange() {
        let policy = RetryPolicy(backoff: 1, retryableStatuses: [503])
        for _ in 0..<1000 {
            let delay = policy.backoffDelay(beforeRetry: 2)
            #expect(delay >= 2 && delay <= 4)
        }
    }

    @Test func onlyNamedStatusesAreRetried() {
        let policy = RetryPolicy.serverErrors()
        #expect(policy.delay(beforeRetry: 0, after: HTTPResponse(status: 503)) != nil)
        #expect(policy.delay(beforeRetry: 0, after: HTTPResponse(status: 500)) != nil)
        for status in [200, 201, 400, 401, 403, 404, 409, 429] {
            #expect(policy.delay(beforeRetry: 0, after: HTTPResponse(status: status)) == nil, "\(status)")
        }
        let fetch = RetryPolicy.storageFetch()
        #expect(fetch.retryableStatuses == [429, 502, 503, 504])
    }

    @Test func retryAfterReplacesTheBackoffWhereHonoured() {
        let response = HTTPResponse(status: 429, headers: [(name: "retry-after", value: "7")])
        let honouring = RetryPolicy(backoff: 1, retryableStatuses: [429], honoursRetryAfter: true, random: { 1 })
        #expect(honouring.delay(beforeRetry: 0, after: response) == 7)
        let ignoring = RetryPolicy(backoff: 1, retryableStatuses: [429], honoursRetryAfter: false, random: { 1 })
        #expect(ignoring.delay(beforeRetry: 0, after: response) == 1)
        let capped = RetryPolicy(backoff: 1, retryableStatuses: [429], honoursRetryAfter: true, maximumRetryAfter: 3)
        #expect(capped.delay(beforeRetry: 0, after: response) == 3)
    }

    @Test func retryAfterForms() {
        let now = Date(timeIntervalSince1970: 1_445_412_480) // Wed, 21 Oct 2015 07:28:00 GMT
        #expect(RetryPolicy.parseRetryAfter("120", now: now) == 120)
        #expect(RetryPolicy.parseRetryAfter(" 0 ", now: now) == 0)
        #expect(RetryPolicy.parseRetryAfter("Wed, 21 Oct 2015 07:28:30 GMT", now: now) == 30)
        #expect(RetryPolicy.parseRetryAfter("Wed, 21 Oct 2015 07:27:00 GMT", now: now) == 0)
        #expect(RetryPolicy.parseRetryAfter("-5", now: now) == nil)
        #expect(RetryPolicy.parseRetryAfter("soon", now: now) == nil)
        // RFC 9110's own example of an IMF-fixdate.
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT") == Date(timeIntervalSince1970: 784_111_777))
        #expect(HTTPDate.parse("Sunday, 06-Nov-94 08:49:37 GMT") == nil)
    }

    @Test func errorBodyElementsAreRead() {
        let azure = HTTPResponse(status: 403, body: Array("<?xml version=\"1.0\"?><Error><Code>AuthenticationFailed</Code><Message>No.\nRequestId:1</Message><AuthenticationErrorDetail>Signature did not match.</AuthenticationErrorDetail></Error>".utf8))
        #expect(azure.xmlElement("Code") == "AuthenticationFailed")
        #expect(azure.xmlElement("Message") == "No.\nRequestId:1")
        #expect(azure.xmlElement("AuthenticationErrorDetail") == "Signature did not match.")
        #expect(azure.xmlElement("HeaderName") == nil)
        #expect(HTTPResponse(status: 400, body: Array("</Code><Code>".utf8)).xmlElement("Code") == nil)
    }

    @Test func redactionHidesSignaturesAndTokens() {
        let url = "https://b.s3.amazonaws.com/k?X-Amz-Credential=AKID%2F20240101&X-Amz-Signature=abc123&X-Amz-Security-Token=tok#frag"
        let redacted = URLRedaction.redact(url)
        #expect(redacted == "https://b.s3.amazonaws.com/k?X-Amz-Credential=AKID%2F20240101&X-Amz-Signature=REDACTED&X-Amz-Security-Token=REDACTED#frag")
        #expect(URLRedaction.redact("https://acct.blob.core.windows.net/c/b?sv=2024&sig=SECRET%2B") == "https://acct.blob.core.windows.net/c/b?sv=2024&sig=REDACTED")
        #expect(URLRedaction.origin(of: "https://host:8443/path?q=1") == "https://host:8443")
    }
}

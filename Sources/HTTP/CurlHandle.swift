internal import CCurl
import Foundation

/// One libcurl easy handle. Used by one transfer at a time; kept in a pool between transfers so
/// connections are re-used.
final class CurlHandle: @unchecked Sendable {
    let raw: UnsafeMutableRawPointer

    private static let globalInit: Bool = {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK
    }()

    init() {
        precondition(Self.globalInit, "curl_global_init failed")
        guard let handle = curl_easy_init() else { fatalError("curl_easy_init failed: out of memory") }
        raw = handle
    }

    deinit { curl_easy_cleanup(raw) }

    /// Forgets every option of the previous transfer (keeps the connection cache).
    func reset() { curl_easy_reset(raw) }

    func set(_ option: CURLoption, _ value: Int) { _ = CCurl_setopt_long(raw, option, value) }
    func set(_ option: CURLoption, offset value: Int64) { _ = CCurl_setopt_off_t(raw, option, curl_off_t(value)) }
    func set(_ option: CURLoption, string value: UnsafePointer<CChar>?) { _ = CCurl_setopt_string(raw, option, value) }
    func set(_ option: CURLoption, pointer value: UnsafeMutableRawPointer?) { _ = CCurl_setopt_pointer(raw, option, value) }
    func set(_ option: CURLoption, list value: UnsafeMutablePointer<curl_slist>?) { _ = CCurl_setopt_slist(raw, option, value) }
    func set(_ option: CURLoption, callback value: CCurl_data_callback) { _ = CCurl_setopt_data_callback(raw, option, value) }
    func setProgress(_ value: CCurl_progress_callback) { _ = CCurl_setopt_progress_callback(raw, value) }

    func long(_ info: CURLINFO) -> Int {
        var value = 0
        _ = CCurl_getinfo_long(raw, info, &value)
        return value
    }

    func seconds(_ info: CURLINFO) -> Double {
        var value: curl_off_t = 0
        _ = CCurl_getinfo_off_t(raw, info, &value)
        return Double(value) / 1_000_000
    }

    func perform() -> Int { Int(curl_easy_perform(raw).rawValue) }

    static func describe(_ code: Int) -> String {
        String(cString: curl_easy_strerror(CURLcode(rawValue: UInt32(code))))
    }
}

/// A small pool of idle handles.
final class CurlHandlePool: Sendable {
    private let idle = Mutex<[CurlHandle]>([])
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    func take() -> CurlHandle {
        if let handle = idle.withLock({ $0.popLast() }) { return handle }
        return CurlHandle()
    }

    func give(_ handle: CurlHandle) {
        handle.reset()
        idle.withLock { if $0.count < capacity { $0.append(handle) } }
    }
}

import Synchronization

internal import CCurl
import Foundation

enum CurlTransfer {
    /// Runs `request` on `handle`, blocking the calling thread (never a cooperative-pool thread).
    static func perform(_ request: HTTPRequest, on handle: CurlHandle, cancel: CancelFlag) throws -> HTTPResponse {
        let hasBody: Bool
        switch request.body {
        case .none: hasBody = request.announcedLength != nil || ["POST", "PUT", "PATCH"].contains(request.method)
        default: hasBody = true
        }
        let probe: Bool
        if case .probe = request.expectContinue { probe = true } else { probe = false }
        let upload = hasBody ? try UploadSource(body: request.body) : nil
        let state = TransferState(maxBody: request.maxResponseBytes, probe: probe, cancel: cancel, upload: upload)
        let context = Unmanaged.passUnretained(state).toOpaque()

        var lines = request.headers.map { $0.value.isEmpty ? "\($0.name);" : "\($0.name): \($0.value)" }
        let asked = Set(request.headers.map { $0.name.lowercased() })
        // libcurl adds these on its own; an empty value removes them unless the caller set them.
        if !asked.contains("accept") { lines.append("Accept:") }
        switch request.expectContinue {
        case .off: if !asked.contains("expect") { lines.append("Expect:") }
        case .send(let timeout), .probe(let timeout):
            lines.append("Expect: 100-continue")
            handle.set(CURLOPT_EXPECT_100_TIMEOUT_MS, Int(timeout * 1000))
        }
        if hasBody && !asked.contains("content-type") { lines.append("Content-Type:") }
        var list: UnsafeMutablePointer<curl_slist>?
        for line in lines { list = curl_slist_append(list, line) }
        defer { curl_slist_free_all(list) }

        handle.set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(state.errorBuffer))
        handle.set(CURLOPT_NOSIGNAL, 1)
        handle.set(CURLOPT_PATH_AS_IS, 1)
        handle.set(CURLOPT_FOLLOWLOCATION, request.followRedirects ? 1 : 0)
        handle.set(CURLOPT_MAXREDIRS, 5)
        handle.set(CURLOPT_CONNECTTIMEOUT_MS, Int(request.connectTimeout * 1000))
        handle.set(CURLOPT_TIMEOUT_MS, Int(request.totalTimeout * 1000))
        handle.set(CURLOPT_NOPROGRESS, 0)
        handle.set(CURLOPT_HTTPHEADER, list: list)
        handle.set(CURLOPT_HEADERFUNCTION, callback: curlHeaderCallback)
        handle.set(CURLOPT_HEADERDATA, pointer: context)
        handle.set(CURLOPT_WRITEFUNCTION, callback: curlWriteCallback)
        handle.set(CURLOPT_WRITEDATA, pointer: context)
        handle.setProgress(curlProgressCallback)
        handle.set(CURLOPT_XFERINFODATA, pointer: context)

        if let upload {
            handle.set(CURLOPT_UPLOAD, 1)
            handle.set(CURLOPT_INFILESIZE_LARGE, offset: request.announcedLength ?? upload.length)
            handle.set(CURLOPT_READFUNCTION, callback: curlReadCallback)
            handle.set(CURLOPT_READDATA, pointer: context)
        } else if request.method == "HEAD" {
            handle.set(CURLOPT_NOBODY, 1)
        } else {
            handle.set(CURLOPT_HTTPGET, 1)
        }

        let code: Int = request.method.withCString { method in
            request.url.withCString { url in
                (request.caFile ?? "").withCString { caFile in
                    "http,https".withCString { protocols in
                        handle.set(CURLOPT_URL, string: url)
                        handle.set(CURLOPT_PROTOCOLS_STR, string: protocols)
                        if request.caFile != nil { handle.set(CURLOPT_CAINFO, string: caFile) }
                        let standard = (upload != nil && request.method == "PUT") || (upload == nil && ["GET", "HEAD"].contains(request.method))
                        if !standard { handle.set(CURLOPT_CUSTOMREQUEST, string: method) }
                        return handle.perform()
                    }
                }
            }
        }

        let timings = HTTPTimings(
            dns: handle.seconds(CURLINFO_NAMELOOKUP_TIME_T), connect: handle.seconds(CURLINFO_CONNECT_TIME_T),
            tls: handle.seconds(CURLINFO_APPCONNECT_TIME_T), firstByte: handle.seconds(CURLINFO_STARTTRANSFER_TIME_T),
            total: handle.seconds(CURLINFO_TOTAL_TIME_T))
        let finished = code == Int(CURLE_OK.rawValue)
            || code == Int(CURLE_WRITE_ERROR.rawValue) && state.truncated
            || code == Int(CURLE_ABORTED_BY_CALLBACK.rawValue) && probe && !cancel.isCancelled && state.status != 0
        if finished {
            return HTTPResponse(status: state.status, headers: state.headers, body: state.body, bodyTruncated: state.truncated,
                                continueReceived: state.continueReceived, bodySent: state.bodySent, timings: timings)
        }
        if code == Int(CURLE_ABORTED_BY_CALLBACK.rawValue), probe, !cancel.isCancelled {
            // The probe stopped before any answer: the Expect timeout passed in silence.
            return HTTPResponse(status: 0, headers: [], body: [], continueReceived: false, bodySent: false, timings: timings)
        }
        throw CurlErrors.classify(code: code, handle: handle, request: request, state: state)
    }
}

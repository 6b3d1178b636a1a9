import Foundation
import NIOCore
import NIOHTTP1
import RequestVerification

extension StorageRequestHandler {
    /// Appends a body chunk to the upload; a write error drops the upload at once (its temporary
    /// file removed) and the rest of the body is read and dropped before the 507 or 500.
    func handleBody(_ buffer: ByteBuffer) {
        guard case .uploading(let upload) = state else { return }
        var failure: StoreError?
        buffer.withUnsafeReadableBytes { bytes in
            do throws(StoreError) { try upload.file.write(bytes) } catch { failure = error }
        }
        if let error = failure {
            Self.log(error)
            upload.file.discard()
            state = .discarding(answer: StorageErrors.storeFailed(error, upload.provider))
        }
    }

    func handleEnd(context: ChannelHandlerContext) {
        switch state {
        case .uploading(let upload):
            state = .idle
            respond(context: context, refusal: commit(upload), success: upload)
        case .discarding(let answer?):
            state = .idle
            respond(context: context, refusal: answer)
        default:
            state = .idle
        }
    }

    /// Checks the digests and commits; the refusal when that fails (the upload then discarded).
    private func commit(_ upload: Upload) -> ProviderRefusal? {
        do {
            let digests = try upload.file.finish()
            if let mismatch = StorageRouter.mismatch(upload.conditions, computed: digests, provider: upload.provider) {
                upload.file.discard()
                return mismatch
            }
            try router.store.commit(upload.file, to: upload.target, key: upload.key, replacing: upload.conditions.createOnly == nil)
            return nil
        } catch {
            upload.file.discard()
            if error == .alreadyExists { return StorageErrors.alreadyExists(upload.provider, condition: upload.conditions.createOnly ?? "If-None-Match") }
            Self.log(error)
            return StorageErrors.storeFailed(error, upload.provider)
        }
    }

    private func respond(context: ChannelHandlerContext, refusal: ProviderRefusal?, success upload: Upload) {
        if let refusal { return respond(context: context, refusal: refusal) }
        var headers = ["ETag": "\"\(UUID().uuidString.lowercased())\""]
        if upload.provider == .azure { headers["x-ms-request-server-encrypted"] = "false" }
        respond(context: context, status: upload.status, headers: headers, body: "")
    }

    /// The body stalled past the body timeout: the upload is dropped, the provider's
    /// `RequestTimeout` sent, and the connection closed.
    func bodyTimedOut(context: ChannelHandlerContext) {
        keepAlive = false
        switch state {
        case .uploading(let upload):
            upload.file.discard()
            state = .discarding(answer: nil)
            respond(context: context, refusal: StorageErrors.requestTimeout(upload.provider))
        default:
            state = .discarding(answer: nil)
            context.close(promise: nil)
        }
    }
}

import Foundation
import RequestVerification
import SigningCore

/// Error answers this server writes itself, in each provider's shape: Azure's XML with
/// `x-ms-error-code`, the S3/GCS XML otherwise. No message ever names a storage path.
enum StorageErrors {
    static func refusal(_ provider: StorageRouter.Provider, _ status: Int, _ code: String, _ message: String, _ extra: [(String, String)] = []) -> ProviderRefusal {
        provider == .azure ? AzureRequestVerifier.refusal(status, code, message, extra) : ProviderRefusal.xml(status, code, message, extra)
    }

    static func invalid(_ message: String) -> ProviderRefusal { .xml(400, "InvalidRequest", message) }

    static func notFound(_ provider: StorageRouter.Provider) -> ProviderRefusal {
        provider == .azure ? refusal(.azure, 404, "BlobNotFound", "The specified blob does not exist.")
            : refusal(provider, 404, "NoSuchKey", "The specified key does not exist.")
    }

    static func missingHeader(_ name: String) -> ProviderRefusal {
        refusal(.azure, 400, "MissingRequiredHeader", "An HTTP header that's mandatory for this request is not specified.", [("HeaderName", name)])
    }

    /// 507 when the disk (or a quota, or a file-size limit) is full, else 500.
    static func storeFailed(_ error: StoreError, _ provider: StorageRouter.Provider) -> ProviderRefusal {
        if error.isNoSpace {
            return refusal(provider, 507, "InsufficientStorage", "The server has no space left to store this object; free space on its disk (or raise its file-size limit), then retry.")
        }
        return refusal(provider, 500, "InternalError", "The server could not store the object (\(String(cString: strerror(error.code)))); check the server's folder and log, then retry.")
    }

    static func notImplemented(_ provider: StorageRouter.Provider, _ what: String) -> ProviderRefusal {
        refusal(provider, 501, "NotImplemented", "presign serve does not implement \(what); send a plain GET, HEAD, PUT or DELETE of the object.")
    }

    static func requestTimeout(_ provider: StorageRouter.Provider) -> ProviderRefusal {
        refusal(provider, 400, "RequestTimeout", "Your socket connection to the server was not read from or written to within the timeout period; send the body without pauses, or raise --body-timeout.")
    }

    /// The answer to a create-only upload that found an object (409 on Azure, 412 on S3 and GCS).
    static func alreadyExists(_ provider: StorageRouter.Provider, condition: String) -> ProviderRefusal {
        provider == .azure ? refusal(.azure, 409, "BlobAlreadyExists", "The specified blob already exists.")
            : refusal(provider, 412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold.", [("Condition", condition)])
    }
}

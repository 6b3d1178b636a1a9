import Foundation

/// An endpoint flag's value: the flag if given, else its environment variable if set and not
/// empty, else the provider's default (so endpoints need not be repeated on every call).
enum EndpointVariable {
    /// The flag, else the variable if set and not empty, else `fallback`.
    static func resolve(_ flag: String?, _ variable: String, default fallback: String,
                        environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        value(flag, variable, environment: environment) ?? fallback
    }

    /// The flag, else the variable if set and not empty, else nil (the caller's own default).
    static func value(_ flag: String?, _ variable: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let flag { return flag }
        if let value = environment[variable], !value.isEmpty { return value }
        return nil
    }
}

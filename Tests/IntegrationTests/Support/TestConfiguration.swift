import Configuration

/// Configuration for a test as the services spell its keys (`postgres.port`), for an `InMemoryProvider`.
enum TestConfiguration {
    /// `values` keyed as the provider keys them, `base` first, then `values` over it.
    static func entries(_ values: [String: ConfigValue], over base: [AbsoluteConfigKey: ConfigValue] = [:]) -> [AbsoluteConfigKey: ConfigValue] {
        var entries = base
        for (key, value) in values { entries[AbsoluteConfigKey(key.split(separator: ".").map(String.init))] = value }
        return entries
    }
}

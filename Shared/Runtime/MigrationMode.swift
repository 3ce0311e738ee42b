/// When a service runs its schema's migrations and grants (`AVTAL_MIGRATIONS`).
public enum MigrationMode: String, Sendable, CaseIterable {
    /// When it starts, before the relay and the consumer (the default; `make up`, the tests).
    case atStart
    /// Only them, then it exits with status 0: the job of a Kubernetes init container, which alone holds the owner
    /// role's password (docs/deploy.md).
    case only
    /// None: they were run before it started (by the init container), so it never needs the owner's login.
    case skip
}

/// The partner authenticated for the request being handled, set by ``PartnerAPIMiddleware`` around the generated
/// handler (which has no request context of its own).
enum RequestPartner {
    @TaskLocal static var current: Partner?
}

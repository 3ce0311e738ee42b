public import AvtalRuntime
import AvtalSecrets
import Foundation
public import Hummingbird
public import Logging
import NIOCore
public import PostgresNIO

/// Login, logout and the guard every back-office page goes through: a session cookie (HttpOnly, SameSite=Lax, Secure
/// unless running on plain local HTTP), a role check, and a CSRF token on every form post.
public struct BackOfficeAuth: Sendable {
    public static let sessionCookie = "avtal_session"
    static let loginCSRFCookie = "avtal_login_csrf"

    let users: UserDirectory
    let sessions: SessionStore
    let throttle: LoginThrottle
    let client: PostgresClient
    public let pages: Pages
    let secureCookies: Bool
    let logger: Logger

    public init(client: PostgresClient, pages: Pages, secureCookies: Bool, throttle: LoginThrottle? = nil, logger: Logger) {
        self.users = UserDirectory(logger: logger)
        self.sessions = SessionStore(client: client, logger: logger)
        self.throttle = throttle ?? LoginThrottle(logger: logger)
        self.client = client
        self.pages = pages
        self.secureCookies = secureCookies
        self.logger = logger
    }

    struct LoginForm: Decodable {
        var username: String?
        var password: String?
        var next: String?
        var _csrf: String?
    }

    /// The largest form body a page takes (the edge's limit too): room for a mass contract's 1 000 facility lines typed, or a spreadsheet of them
    /// uploaded (docs/back-office.md).
    public static let maximumFormBytes = 256 * 1024

    // MARK: Routes

    public func addLoginRoutes(to router: Router<AvtalRequestContext>) {
        router.get("login") { request, _ -> Response in
            let next = Self.safeNext(request.uri.queryParameters["next"].map(String.init))
            if let token = request.cookies[Self.sessionCookie]?.value, try await sessions.session(token: token) != nil {
                return Self.redirect(next)
            }
            return loginPage(error: nil, username: "", next: next, status: .ok)
        }
        router.post("login") { request, context -> Response in
            var request = request
            let body = try await request.collectBody(upTo: 16 * 1024)
            let form = (try? URLEncodedFormDecoder().decode(LoginForm.self, from: String(buffer: body))) ?? LoginForm()
            guard let expected = request.cookies[Self.loginCSRFCookie]?.value, let given = form._csrf, SecretTokens.equal(given, expected) else {
                return page(
                    "error", ["title": "Formuläret har gått ut", "message": "Ladda om inloggningssidan och försök igen."], status: .forbidden)
            }
            let username = (form.username ?? "").trimmingCharacters(in: .whitespaces).lowercased()
            let next = Self.safeNext(form.next)
            // The attempt is counted before the password is checked: parallel attempts cannot all slip past the limit.
            guard let reservation = try await throttle.reserve(username: username, address: context.clientAddress, client: client) else {
                logger.warning("login blocked after repeated failures")
                return loginPage(
                    error: "För många misslyckade försök. Vänta en stund och försök igen.", username: username, next: next, status: .tooManyRequests)
            }
            guard let user = try await users.authenticate(username: username, password: form.password ?? "", client: client) else {
                logger.notice("login failed")
                return loginPage(error: "Fel användarnamn eller lösenord.", username: username, next: next, status: .unauthorized)
            }
            try await throttle.release(reservation, client: client)
            let (token, _) = try await sessions.start(for: user)
            logger.debug("login", metadata: ["avtal.user": "\(user.username)", "avtal.role": "\(user.role.rawValue)"])
            var response = Self.redirect(next)
            response.setCookie(cookie(Self.sessionCookie, token, maxAge: Int(SessionStore.lifetime)))
            response.setCookie(cookie(Self.loginCSRFCookie, "", maxAge: 0))
            return response
        }
        router.post("logout") { request, context -> Response in
            try await guarded(request, context, role: nil) { _, session in
                if let token = request.cookies[Self.sessionCookie]?.value { try await sessions.end(token: token) }
                logger.debug("logout", metadata: ["avtal.user": "\(session.user.username)"])
                var response = Self.redirect("/login")
                response.setCookie(cookie(Self.sessionCookie, "", maxAge: 0))
                return response
            }
        }
    }

    // MARK: The guard

    /// Runs `page` for a logged-in user with `role` (nil: any role). See ``guarded(_:_:roles:keepQuery:_:)``.
    public func guarded(
        _ request: Request, _ context: AvtalRequestContext, role: Role?,
        _ page: (_ form: PostedForm, _ session: SessionStore.Session) async throws -> Response
    ) async throws -> Response {
        try await guarded(request, context, roles: role.map { [$0] } ?? Set(Role.allCases), page)
    }

    /// Runs `page` for a logged-in user with one of `roles`. Anonymous → to the login page, which comes back to this
    /// path afterwards (with its query only when `keepQuery`: a query may carry personal data, which must not
    /// travel through the login page); the wrong role → 403; a form post without the session's CSRF token → 403.
    /// `page` gets the posted form (for posts: url-encoded, or multipart with its files) and the session.
    public func guarded(
        _ request: Request, _ context: AvtalRequestContext, roles: Set<Role>, keepQuery: Bool = false,
        _ page: (_ form: PostedForm, _ session: SessionStore.Session) async throws -> Response
    ) async throws -> Response {
        guard let token = request.cookies[Self.sessionCookie]?.value, let session = try await sessions.session(token: token) else {
            guard request.method == .get, request.uri.path != "/" else { return Self.redirect("/login") }
            var next = request.uri.path
            if keepQuery, let query = request.uri.query { next += "?" + query }
            return Self.redirect("/login?next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"))
        }
        if !roles.contains(session.user.role) {
            return self.page("error", ["title": "Ingen behörighet", "message": "Den här sidan är inte för din roll."], status: .forbidden)
        }
        var form = PostedForm()
        if request.method == .post {
            var request = request
            let body = try await request.collectBody(upTo: Self.maximumFormBytes)
            guard let posted = PostedForm(body, contentType: request.headers[.contentType]) else {
                // Not a form any page of ours sends (broken escapes, `a[` names, another content type): say so,
                // change nothing.
                return self.page(
                    "error", ["title": "Formuläret kunde inte läsas", "message": "Ladda om sidan och försök igen."], status: .badRequest)
            }
            form = posted
            guard SecretTokens.equal(posted.fields["_csrf"] ?? "", session.csrfToken) else {
                logger.warning("form post without a valid CSRF token", metadata: ["avtal.user": "\(session.user.username)"])
                return self.page("error", ["title": "Formuläret har gått ut", "message": "Ladda om sidan och försök igen."], status: .forbidden)
            }
        }
        return try await page(form, session)
    }

    /// The values every signed-in page's banner needs.
    public static func banner(_ session: SessionStore.Session) -> [String: Any] {
        [
            "user": ["displayName": session.user.displayName, "username": session.user.username],
            "roleName": roleName(session.user.role), "csrf": session.csrfToken, "mayApprove": session.user.role.mayApprove,
            "maySell": session.user.role.maySell, "mayWatchFlow": session.user.role.mayWatchFlow,
        ]
    }

    public static func roleName(_ role: Role) -> String {
        switch role {
        case .seller: "säljare"
        case .businessSeller: "företagssäljare"
        case .mka: "MKA"
        case .ops: "drift"
        }
    }

    // MARK: Helpers

    public func page(_ template: String, _ context: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store", .init("X-Frame-Options")!: "DENY"],
            body: .init(byteBuffer: ByteBuffer(string: pages.render(template, context))))
    }

    private func loginPage(error: String?, username: String, next: String, status: HTTPResponse.Status) -> Response {
        let csrf = SecretTokens.random()
        var context: [String: Any] = ["csrf": csrf, "username": username, "next": next]
        if let error { context["error"] = error }
        var response = page("login", context, status: status)
        response.setCookie(cookie(Self.loginCSRFCookie, csrf, maxAge: 3600))
        return response
    }

    private func cookie(_ name: String, _ value: String, maxAge: Int) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: secureCookies, httpOnly: true, sameSite: .lax)
    }

    /// Where to go after logging in: a path on this site, never another site (`//host`, `/\\host`, `https:`).
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"), next.count <= 512,
            !next.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7f })
        else { return "/" }
        return next
    }

    public static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }
}

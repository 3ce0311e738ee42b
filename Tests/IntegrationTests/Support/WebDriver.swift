import Foundation
import NIOCore
import NIOHTTP1

/// Headless Chromium from Debian's packages, driven over the W3C WebDriver protocol that `chromedriver` speaks: just
/// what the browser tests need (go, find, type, click, read, screenshot).
final class WebDriver: Sendable {
    static let elementKey = "element-6066-11e4-a52e-4f735466cecf"

    let driver: ServiceProcess
    let session: String
    var base: String { "http://127.0.0.1:\(driver.port)/session/\(session)" }

    private init(driver: ServiceProcess, session: String) {
        self.driver = driver
        self.session = session
    }

    /// Starts chromedriver and a headless browser session with a laptop-sized window.
    static func start() async throws -> WebDriver {
        // The free port can be taken by another test between `freePort()` and chromedriver's bind ("IPv4 port not
        // available", seen once in CI): then chromedriver exits, and a new port is tried.
        var attempt = 0
        var port = 0
        var driver: ServiceProcess
        while true {
            attempt += 1
            port = try freePort()
            driver = try ServiceProcess(name: "chromedriver", path: "/usr/bin/chromedriver", arguments: ["--port=\(port)"], port: port)
            let (candidate, candidatePort) = (driver, port)
            let ready = await eventually(timeout: .seconds(30), every: .milliseconds(100)) {
                guard candidate.isRunning else { return true }
                return (try? await HTTPCall.send(.GET, "http://127.0.0.1:\(candidatePort)/status").json["value"] as? [String: Any])?["ready"]
                    as? Bool == true
            }
            if ready && driver.isRunning { break }
            guard attempt < 3, !driver.isRunning else { throw SetupError("chromedriver did not start:\n\(driver.output)") }
        }
        let capabilities: [String: Any] = [
            "capabilities": [
                "alwaysMatch": [
                    "browserName": "chrome",
                    "goog:chromeOptions": [
                        "binary": "/usr/bin/chromium",
                        "args": ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000", "--lang=sv-SE"],
                    ],
                ]
            ]
        ]
        let answer = try await call(.POST, "http://127.0.0.1:\(port)/session", capabilities)
        guard let session = (answer["value"] as? [String: Any])?["sessionId"] as? String else {
            throw SetupError("no browser session: \(answer)\n\(driver.output)")
        }
        let browser = WebDriver(driver: driver, session: session)
        // Finding an element waits up to 5 s for it: a click that submits a form returns before the next page is in.
        try await browser.send(.POST, "/timeouts", ["implicit": 5000])
        return browser
    }

    func quit() async {
        _ = try? await Self.call(.DELETE, base, nil)
        _ = await driver.terminate(timeout: .seconds(5))
    }

    func go(_ url: String) async throws {
        try await send(.POST, "/url", ["url": url])
    }

    var currentURL: String {
        get async throws { try await send(.GET, "/url") as? String ?? "" }
    }

    var source: String {
        get async throws { try await send(.GET, "/source") as? String ?? "" }
    }

    /// The element `css` selects; throws when there is none.
    func element(_ css: String) async throws -> String {
        let value = try await send(.POST, "/element", ["using": "css selector", "value": css])
        guard let id = (value as? [String: Any])?[Self.elementKey] as? String else { throw SetupError("no element \(css): \(value ?? "")") }
        return id
    }

    func type(_ text: String, into css: String, replacing: Bool = true) async throws {
        let id = try await element(css)
        if replacing { try await send(.POST, "/element/\(id)/clear", [:]) }
        try await send(.POST, "/element/\(id)/value", ["text": text])
    }

    func click(_ css: String) async throws {
        let id = try await element(css)
        try await send(.POST, "/element/\(id)/click", [:])
    }

    func text(_ css: String) async throws -> String {
        let id = try await element(css)
        return try await send(.GET, "/element/\(id)/text") as? String ?? ""
    }

    func value(_ css: String) async throws -> String {
        let id = try await element(css)
        return try await send(.GET, "/element/\(id)/property/value") as? String ?? ""
    }

    /// Scrolls the page until the element `css` selects is at the top of the window.
    func scroll(to css: String) async throws {
        let id = try await element(css)
        try await send(.POST, "/execute/sync", ["script": "arguments[0].scrollIntoView()", "args": [[Self.elementKey: id]]])
    }

    /// Saves what the window shows as a PNG.
    func screenshot(to file: URL) async throws {
        guard let base64 = try await send(.GET, "/screenshot") as? String, let png = Data(base64Encoded: base64) else {
            throw SetupError("no screenshot")
        }
        try png.write(to: file)
    }

    @discardableResult
    private func send(_ method: HTTPMethod, _ path: String, _ body: [String: Any]? = nil) async throws -> Any? {
        let answer = try await Self.call(method, base + path, body)
        if let error = answer["value"] as? [String: Any], let kind = error["error"] as? String {
            throw SetupError("WebDriver \(method) \(path): \(kind): \(error["message"] ?? "")")
        }
        return answer["value"]
    }

    private static func call(_ method: HTTPMethod, _ url: String, _ body: [String: Any]?) async throws -> [String: Any] {
        let text = try body.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }
        let answer = try await HTTPCall.send(method, url, headers: [("Content-Type", "application/json")], body: text, timeout: .seconds(60))
        return answer.json
    }
}

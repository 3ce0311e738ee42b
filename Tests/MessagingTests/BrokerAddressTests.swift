import AvtalMessaging
import Testing

@Suite("Broker addresses")
struct BrokerAddressTests {
    @Test(
        "amqp URLs are parsed into host, port, credentials and virtual host",
        arguments: [
            ("amqp://guest:guest@127.0.0.1:5672", BrokerAddress(host: "127.0.0.1", port: 5672)),
            ("amqp://localhost", BrokerAddress(host: "localhost")),
            (
                "amqp://app:s3cret@rabbit-1:5673/avtal",
                BrokerAddress(host: "rabbit-1", port: 5673, user: "app", password: "s3cret", virtualHost: "avtal")
            ),
            ("amqp://u:p%40ss@h/%2F", BrokerAddress(host: "h", user: "u", password: "p%40ss", virtualHost: "/")),
        ]
    )
    func parses(url: String, expected: BrokerAddress) {
        #expect(BrokerAddress(url: url) == expected)
    }

    @Test("malformed URLs are refused", arguments: ["http://host", "amqp://", "amqp://host:99999", "amqp://host:port", "host:5672"])
    func refuses(url: String) {
        #expect(BrokerAddress(url: url) == nil)
    }

    @Test("a list is split on commas and refused whole if any entry is malformed")
    func lists() {
        #expect(BrokerAddress.list("amqp://a:1, amqp://b:2 ,amqp://c:3")?.map(\.host) == ["a", "b", "c"])
        #expect(BrokerAddress.list("amqp://a:1,http://b") == nil)
        #expect(BrokerAddress.list("") == nil)
    }

    @Test("the description never shows the password")
    func noPasswordInLogs() {
        #expect(BrokerAddress(url: "amqp://app:s3cret@rabbit:5672")?.description.contains("s3cret") == false)
    }
}

import CRabbitMQ
import Glibc

/// One AMQP connection with one channel, driven by rabbitmq-c's blocking calls.
///
/// Not thread-safe, like the C connection under it: an instance is created, used and closed on one dedicated
/// thread (see ``ConfinedConnection``). Any server exception or library error marks it broken; its owner then
/// discards it and connects again, re-declaring its topology.
final class AMQPConnection {
    enum ConfirmEvent {
        case ack(tag: UInt64, multiple: Bool)
        case nack(tag: UInt64, multiple: Bool)
        case returned(messageId: String?, replyText: String)
    }

    enum ConsumeEvent {
        case delivery(InboundMessage)
        case timeout
        /// The broker cancelled our consumer (for example, its queue was deleted).
        case cancelledByServer
    }

    enum Readiness {
        /// The broker sent something, or rabbitmq-c holds a frame or bytes it has not handed out yet.
        case input
        /// The other descriptor became readable first.
        case woken
        case timeout
    }

    let address: BrokerAddress
    private let state: amqp_connection_state_t
    private let channel: amqp_channel_t = 1
    private(set) var isBroken = false
    private var isClosed = false
    /// The delivery tag the next publish gets once confirms are on (the broker numbers them from 1 per channel).
    private(set) var nextPublishTag: UInt64 = 1

    /// Connects, logs in and opens channel 1.
    init(address: BrokerAddress, heartbeatSeconds: Int, timeout: Duration) throws(AMQPError) {
        guard let state = amqp_new_connection() else {
            throw AMQPError(.connectionFailed, "could not allocate a connection")
        }
        guard let socket = amqp_tcp_socket_new(state) else {
            amqp_destroy_connection(state)
            throw AMQPError(.connectionFailed, "could not create a socket")
        }
        var limit = timeval(duration: timeout)
        // The login too waits at most `timeout` (rabbitmq-c's own default is 12 s): a broker that accepts the
        // connection and never answers must not hold a connecting thread, or a stop, for longer.
        amqp_set_handshake_timeout(state, &limit)
        let status = amqp_socket_open_noblock(socket, address.host, Int32(address.port), &limit)
        guard status == AMQP_STATUS_OK.rawValue else {
            amqp_destroy_connection(state)
            throw AMQPError(.connectionFailed, "\(address): \(Self.statusText(status))")
        }
        amqp_set_rpc_timeout(state, &limit)
        self.address = address
        self.state = state
        let reply = avtal_amqp_login_plain(
            state, address.virtualHost, 0, 131_072, Int32(heartbeatSeconds), address.user, address.password
        )
        do {
            try check(reply, "log in to \(address)")
            amqp_channel_open(state, channel)
            try check(amqp_get_rpc_reply(state), "open channel")
        } catch {
            destroy()
            throw AMQPError(.connectionFailed, error.message, replyCode: error.replyCode)
        }
    }

    deinit {
        destroy()
    }

    // MARK: Topology

    func declareExchange(_ name: String, type: String) throws(AMQPError) {
        let storage = FieldTableStorage()
        amqp_exchange_declare(state, channel, storage.bytes(name), storage.bytes(type), 0, 1, 0, 0, storage.table([:]))
        try check(amqp_get_rpc_reply(state), "declare exchange '\(name)'")
    }

    /// Declares a durable queue with `arguments`; with `passive`, only checks that it exists. Returns its message count.
    @discardableResult
    func declareQueue(_ name: String, arguments: FieldTable, passive: Bool = false) throws(AMQPError) -> UInt32 {
        let storage = FieldTableStorage()
        let ok = amqp_queue_declare(state, channel, storage.bytes(name), passive ? 1 : 0, 1, 0, 0, storage.table(arguments))
        try check(amqp_get_rpc_reply(state), "declare queue '\(name)'")
        return ok?.pointee.message_count ?? 0
    }

    /// How many messages wait in queue `name` and how many consumers it has; throws when there is no such queue (and
    /// the channel is then closed: use a new connection).
    func queueFigures(_ name: String) throws(AMQPError) -> (messages: UInt32, consumers: UInt32) {
        let storage = FieldTableStorage()
        let ok = amqp_queue_declare(state, channel, storage.bytes(name), 1, 1, 0, 0, storage.table([:]))
        try check(amqp_get_rpc_reply(state), "look at queue '\(name)'")
        return (ok?.pointee.message_count ?? 0, ok?.pointee.consumer_count ?? 0)
    }

    func bindQueue(_ queue: String, exchange: String, routingKey: String) throws(AMQPError) {
        let storage = FieldTableStorage()
        amqp_queue_bind(state, channel, storage.bytes(queue), storage.bytes(exchange), storage.bytes(routingKey), storage.table([:]))
        try check(amqp_get_rpc_reply(state), "bind queue '\(queue)' to '\(routingKey)'")
    }

    func deleteQueue(_ name: String) throws(AMQPError) {
        let storage = FieldTableStorage()
        amqp_queue_delete(state, channel, storage.bytes(name), 0, 0)
        try check(amqp_get_rpc_reply(state), "delete queue '\(name)'")
    }

    func deleteExchange(_ name: String) throws(AMQPError) {
        let storage = FieldTableStorage()
        amqp_exchange_delete(state, channel, storage.bytes(name), 0)
        try check(amqp_get_rpc_reply(state), "delete exchange '\(name)'")
    }

    // MARK: Publishing

    func enableConfirms() throws(AMQPError) {
        amqp_confirm_select(state, channel)
        try check(amqp_get_rpc_reply(state), "enable publisher confirms")
        nextPublishTag = 1
    }

    /// Sends one persistent, mandatory message and returns the delivery tag its confirm will carry.
    @discardableResult
    func publish(_ message: OutboundMessage) throws(AMQPError) -> UInt64 {
        let storage = FieldTableStorage()
        var properties = amqp_basic_properties_t()
        properties._flags =
            AVTAL_AMQP_FLAG_CONTENT_TYPE | AVTAL_AMQP_FLAG_DELIVERY_MODE | AVTAL_AMQP_FLAG_MESSAGE_ID
            | AVTAL_AMQP_FLAG_HEADERS
        properties.content_type = storage.bytes(message.contentType)
        properties.delivery_mode = AVTAL_AMQP_DELIVERY_PERSISTENT
        properties.message_id = storage.bytes(message.messageId)
        properties.headers = storage.table(message.headers)
        if let type = message.type {
            properties._flags |= AVTAL_AMQP_FLAG_TYPE
            properties.type = storage.bytes(type)
        }
        let status = amqp_basic_publish(
            state, channel, storage.bytes(message.exchange), storage.bytes(message.routingKey), 1, 0, &properties,
            storage.bytes(message.body)
        )
        guard status == AMQP_STATUS_OK.rawValue else {
            isBroken = true
            throw AMQPError(.connectionLost, "publish: \(Self.statusText(status))")
        }
        defer { nextPublishTag += 1 }
        return nextPublishTag
    }

    /// Waits up to `timeout` for the next confirm or return; nil when none came. Also services heartbeats.
    func nextConfirmEvent(timeout: Duration) throws(AMQPError) -> ConfirmEvent? {
        while true {
            guard let frame = try waitFrame(timeout: timeout) else { return nil }
            guard frame.frame_type == AVTAL_AMQP_FRAME_METHOD else { continue }
            switch frame.payload.method.id {
            case AVTAL_AMQP_BASIC_ACK:
                let ack = frame.payload.method.decoded.assumingMemoryBound(to: amqp_basic_ack_t.self).pointee
                return .ack(tag: ack.delivery_tag, multiple: ack.multiple != 0)
            case AVTAL_AMQP_BASIC_NACK:
                let nack = frame.payload.method.decoded.assumingMemoryBound(to: amqp_basic_nack_t.self).pointee
                return .nack(tag: nack.delivery_tag, multiple: nack.multiple != 0)
            case AVTAL_AMQP_BASIC_RETURN:
                let returned = frame.payload.method.decoded.assumingMemoryBound(to: amqp_basic_return_t.self).pointee
                let replyText = FieldTableDecoding.string(returned.reply_text)
                var message = amqp_message_t()
                try check(amqp_read_message(state, channel, &message, 0), "read a returned message")
                defer { amqp_destroy_message(&message) }
                let hasId = message.properties._flags & AVTAL_AMQP_FLAG_MESSAGE_ID != 0
                return .returned(
                    messageId: hasId ? FieldTableDecoding.string(message.properties.message_id) : nil,
                    replyText: replyText
                )
            default:
                try failOnClose(frame)
            }
        }
    }

    /// Lets rabbitmq-c send and receive heartbeats on an otherwise idle connection.
    func serviceHeartbeats() throws(AMQPError) {
        while try nextConfirmEvent(timeout: .zero) != nil {}
    }

    // MARK: Consuming

    func setPrefetch(_ count: UInt16) throws(AMQPError) {
        amqp_basic_qos(state, channel, 0, count, 0)
        try check(amqp_get_rpc_reply(state), "set prefetch")
    }

    /// Starts a consumer with manual acknowledgements and returns its tag.
    func consume(queue: String) throws(AMQPError) -> String {
        let storage = FieldTableStorage()
        let ok = amqp_basic_consume(state, channel, storage.bytes(queue), storage.bytes(""), 0, 0, 0, storage.table([:]))
        try check(amqp_get_rpc_reply(state), "consume from '\(queue)'")
        return ok.map { FieldTableDecoding.string($0.pointee.consumer_tag) } ?? ""
    }

    func cancel(consumerTag: String) throws(AMQPError) {
        let storage = FieldTableStorage()
        amqp_basic_cancel(state, channel, storage.bytes(consumerTag))
        try check(amqp_get_rpc_reply(state), "cancel consumer")
    }

    /// Gives the memory of frames already handled back to rabbitmq-c, which otherwise keeps every frame a connection
    /// decoded (a publisher's confirms included) until asked; a no-op while a frame is still being read.
    func releaseBuffers() {
        amqp_maybe_release_buffers(state)
    }

    /// Blocks until the broker sends something, `other` becomes readable, or `timeout` passes — without reading:
    /// ``nextDelivery(timeout:)`` reads what came. A negative `other` is ignored (poll(2) skips it). An error on the
    /// socket counts as input, so that the read reports it.
    func waitForInput(orReadable other: Int32, timeout: Duration) -> Readiness {
        if amqp_frames_enqueued(state) != 0 || amqp_data_in_buffer(state) != 0 { return .input }
        var descriptors = (
            pollfd(fd: amqp_get_sockfd(state), events: Int16(POLLIN), revents: 0),
            pollfd(fd: other, events: Int16(POLLIN), revents: 0)
        )
        let (seconds, attoseconds) = timeout.components
        let milliseconds = Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000)
        let ready = withUnsafeMutableBytes(of: &descriptors) { poll($0.baseAddress!.assumingMemoryBound(to: pollfd.self), 2, milliseconds) }
        guard ready > 0 else { return .timeout }  // EINTR too: the caller comes back
        return descriptors.0.revents != 0 ? .input : .woken
    }

    func nextDelivery(timeout: Duration) throws(AMQPError) -> ConsumeEvent {
        amqp_maybe_release_buffers(state)
        var envelope = amqp_envelope_t()
        var limit = timeval(duration: timeout)
        let reply = amqp_consume_message(state, &envelope, &limit, 0)
        if reply.reply_type.rawValue == AMQP_RESPONSE_NORMAL.rawValue {
            defer { amqp_destroy_envelope(&envelope) }
            return .delivery(
                Self.inbound(
                    tag: envelope.delivery_tag, redelivered: envelope.redelivered != 0, exchange: envelope.exchange,
                    routingKey: envelope.routing_key, message: envelope.message
                )
            )
        }
        if reply.reply_type.rawValue == AMQP_RESPONSE_LIBRARY_EXCEPTION.rawValue {
            if reply.library_error == AMQP_STATUS_TIMEOUT.rawValue { return .timeout }
            if reply.library_error == AMQP_STATUS_UNEXPECTED_STATE.rawValue {
                // Another frame than a delivery arrived: read it, and see whether it ends the consumer.
                guard let frame = try waitFrame(timeout: .seconds(5)) else { return .timeout }
                if frame.frame_type == AVTAL_AMQP_FRAME_METHOD, frame.payload.method.id == AVTAL_AMQP_BASIC_CANCEL {
                    return .cancelledByServer
                }
                try failOnClose(frame)
                return .timeout
            }
        }
        try check(reply, "consume")
        return .timeout
    }

    func ack(_ deliveryTag: UInt64) throws(AMQPError) {
        try checkStatus(amqp_basic_ack(state, channel, deliveryTag, 0), "ack")
    }

    func reject(_ deliveryTag: UInt64, requeue: Bool) throws(AMQPError) {
        try checkStatus(amqp_basic_reject(state, channel, deliveryTag, requeue ? 1 : 0), "reject")
    }

    /// Takes the next message from `queue` without a consumer (`basic.get`), unacknowledged; nil when it is empty.
    func get(queue: String) throws(AMQPError) -> InboundMessage? {
        let storage = FieldTableStorage()
        let reply = amqp_basic_get(state, channel, storage.bytes(queue), 0)
        try check(reply, "get from '\(queue)'")
        guard reply.reply.id == AVTAL_AMQP_BASIC_GET_OK else { return nil }
        let ok = reply.reply.decoded.assumingMemoryBound(to: amqp_basic_get_ok_t.self).pointee
        var message = amqp_message_t()
        try check(amqp_read_message(state, channel, &message, 0), "read a message from '\(queue)'")
        defer { amqp_destroy_message(&message) }
        return Self.inbound(
            tag: ok.delivery_tag, redelivered: ok.redelivered != 0, exchange: ok.exchange, routingKey: ok.routing_key,
            message: message
        )
    }

    // MARK: Closing

    /// Closes the channel and the connection politely, then frees it. Safe to call more than once.
    func close() {
        guard !isClosed else { return }
        if !isBroken {
            amqp_channel_close(state, channel, 200)
            amqp_connection_close(state, 200)
        }
        destroy()
    }

    private func destroy() {
        guard !isClosed else { return }
        isClosed = true
        isBroken = true
        amqp_destroy_connection(state)
    }

    // MARK: Helpers

    private func waitFrame(timeout: Duration) throws(AMQPError) -> amqp_frame_t? {
        var frame = amqp_frame_t()
        var limit = timeval(duration: timeout)
        let status = amqp_simple_wait_frame_noblock(state, &frame, &limit)
        if status == AMQP_STATUS_TIMEOUT.rawValue { return nil }
        try checkStatus(status, "wait for a frame")
        return frame
    }

    /// Throws when `frame` is the server closing the channel or the connection; otherwise ignores it.
    private func failOnClose(_ frame: amqp_frame_t) throws(AMQPError) {
        guard frame.frame_type == AVTAL_AMQP_FRAME_METHOD else { return }
        try failOnClose(methodId: frame.payload.method.id, decoded: frame.payload.method.decoded, context: "broker")
    }

    private func failOnClose(methodId: amqp_method_number_t, decoded: UnsafeMutableRawPointer?, context: String) throws(AMQPError) {
        switch methodId {
        case AVTAL_AMQP_CHANNEL_CLOSE:
            let close = decoded?.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
            var ok = amqp_channel_close_ok_t(dummy: 0)
            amqp_send_method(state, channel, AVTAL_AMQP_CHANNEL_CLOSE_OK, &ok)
            isBroken = true
            throw AMQPError(
                .serverClosedChannel, "\(context): \(close.map { FieldTableDecoding.string($0.reply_text) } ?? "channel closed")",
                replyCode: close?.reply_code
            )
        case AVTAL_AMQP_CONNECTION_CLOSE:
            let close = decoded?.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
            var ok = amqp_connection_close_ok_t(dummy: 0)
            amqp_send_method(state, 0, AVTAL_AMQP_CONNECTION_CLOSE_OK, &ok)
            isBroken = true
            throw AMQPError(
                .serverClosedConnection,
                "\(context): \(close.map { FieldTableDecoding.string($0.reply_text) } ?? "connection closed")",
                replyCode: close?.reply_code
            )
        default:
            return
        }
    }

    private func check(_ reply: amqp_rpc_reply_t, _ context: String) throws(AMQPError) {
        switch reply.reply_type.rawValue {
        case AMQP_RESPONSE_NORMAL.rawValue:
            return
        case AMQP_RESPONSE_SERVER_EXCEPTION.rawValue:
            try failOnClose(methodId: reply.reply.id, decoded: reply.reply.decoded, context: context)
            isBroken = true
            throw AMQPError(.protocolError, "\(context): unexpected method \(reply.reply.id)")
        case AMQP_RESPONSE_LIBRARY_EXCEPTION.rawValue:
            isBroken = true
            throw AMQPError(.connectionLost, "\(context): \(Self.statusText(reply.library_error))")
        default:
            isBroken = true
            throw AMQPError(.protocolError, "\(context): no reply")
        }
    }

    private func checkStatus(_ status: Int32, _ context: String) throws(AMQPError) {
        guard status != AMQP_STATUS_OK.rawValue else { return }
        isBroken = true
        throw AMQPError(.connectionLost, "\(context): \(Self.statusText(status))")
    }

    private static func statusText(_ status: Int32) -> String {
        amqp_error_string2(status).map { String(cString: $0) } ?? "status \(status)"
    }

    private static func inbound(
        tag: UInt64,
        redelivered: Bool,
        exchange: amqp_bytes_t,
        routingKey: amqp_bytes_t,
        message: amqp_message_t
    ) -> InboundMessage {
        let properties = message.properties
        func optional(_ flag: amqp_flags_t, _ bytes: amqp_bytes_t) -> String? {
            properties._flags & flag != 0 ? FieldTableDecoding.string(bytes) : nil
        }
        return InboundMessage(
            deliveryTag: tag,
            redelivered: redelivered,
            exchange: FieldTableDecoding.string(exchange),
            routingKey: FieldTableDecoding.string(routingKey),
            body: FieldTableDecoding.data(message.body),
            messageId: optional(AVTAL_AMQP_FLAG_MESSAGE_ID, properties.message_id),
            type: optional(AVTAL_AMQP_FLAG_TYPE, properties.type),
            contentType: optional(AVTAL_AMQP_FLAG_CONTENT_TYPE, properties.content_type),
            headers: properties._flags & AVTAL_AMQP_FLAG_HEADERS != 0 ? FieldTableDecoding.table(properties.headers) : [:]
        )
    }
}

extension timeval {
    init(duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self.init(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
    }
}

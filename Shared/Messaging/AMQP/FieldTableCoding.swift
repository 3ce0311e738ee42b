import CRabbitMQ

/// Builds rabbitmq-c field tables from Swift values and reads them back.
///
/// rabbitmq-c keeps pointers, never copies, so every string handed to it must outlive the call. A
/// `FieldTableStorage` owns all the memory of the tables it builds and frees it when the scope that used them ends.
final class FieldTableStorage {
    private var allocations: [UnsafeMutableRawPointer] = []

    deinit {
        for pointer in allocations { pointer.deallocate() }
    }

    /// Bytes that stay valid while this storage lives.
    func bytes(_ text: String) -> amqp_bytes_t {
        bytes(Array(text.utf8))
    }

    func bytes(_ data: [UInt8]) -> amqp_bytes_t {
        guard !data.isEmpty else { return amqp_bytes_t(len: 0, bytes: nil) }
        let pointer = UnsafeMutableRawPointer.allocate(byteCount: data.count, alignment: 1)
        data.withUnsafeBytes { pointer.copyMemory(from: $0.baseAddress!, byteCount: data.count) }
        allocations.append(pointer)
        return amqp_bytes_t(len: data.count, bytes: pointer)
    }

    func table(_ fields: FieldTable) -> amqp_table_t {
        guard !fields.isEmpty else { return amqp_table_t(num_entries: 0, entries: nil) }
        let entries = UnsafeMutablePointer<amqp_table_entry_t>.allocate(capacity: fields.count)
        allocations.append(UnsafeMutableRawPointer(entries))
        for (index, (key, value)) in fields.sorted(by: { $0.key < $1.key }).enumerated() {
            entries.advanced(by: index).initialize(to: amqp_table_entry_t(key: bytes(key), value: fieldValue(value)))
        }
        return amqp_table_t(num_entries: Int32(fields.count), entries: entries)
    }

    private func fieldValue(_ value: HeaderValue) -> amqp_field_value_t {
        var field = amqp_field_value_t()
        switch value {
        case .string(let text):
            field.kind = UInt8(AMQP_FIELD_KIND_UTF8.rawValue)
            field.value.bytes = bytes(text)
        case .int(let number):
            field.kind = UInt8(AMQP_FIELD_KIND_I64.rawValue)
            field.value.i64 = number
        case .bool(let flag):
            field.kind = UInt8(AMQP_FIELD_KIND_BOOLEAN.rawValue)
            field.value.boolean = flag ? 1 : 0
        case .array(let values):
            field.kind = UInt8(AMQP_FIELD_KIND_ARRAY.rawValue)
            let entries = UnsafeMutablePointer<amqp_field_value_t>.allocate(capacity: max(values.count, 1))
            allocations.append(UnsafeMutableRawPointer(entries))
            for (index, element) in values.enumerated() {
                entries.advanced(by: index).initialize(to: fieldValue(element))
            }
            field.value.array = amqp_array_t(num_entries: Int32(values.count), entries: entries)
        case .table(let nested):
            field.kind = UInt8(AMQP_FIELD_KIND_TABLE.rawValue)
            field.value.table = table(nested)
        case .unsupported:
            field.kind = UInt8(AMQP_FIELD_KIND_VOID.rawValue)
        }
        return field
    }
}

enum FieldTableDecoding {
    static func string(_ bytes: amqp_bytes_t) -> String {
        guard bytes.len > 0, let pointer = bytes.bytes else { return "" }
        let buffer = UnsafeRawBufferPointer(start: pointer, count: bytes.len)
        return String(decoding: buffer, as: UTF8.self)
    }

    static func data(_ bytes: amqp_bytes_t) -> [UInt8] {
        guard bytes.len > 0, let pointer = bytes.bytes else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: bytes.len))
    }

    static func table(_ table: amqp_table_t) -> FieldTable {
        guard table.num_entries > 0, let entries = table.entries else { return [:] }
        var result: FieldTable = [:]
        for index in 0..<Int(table.num_entries) {
            let entry = entries[index]
            result[string(entry.key)] = value(entry.value)
        }
        return result
    }

    static func value(_ field: amqp_field_value_t) -> HeaderValue {
        switch UInt32(field.kind) {
        case AMQP_FIELD_KIND_UTF8.rawValue, AMQP_FIELD_KIND_BYTES.rawValue: .string(string(field.value.bytes))
        case AMQP_FIELD_KIND_BOOLEAN.rawValue: .bool(field.value.boolean != 0)
        case AMQP_FIELD_KIND_I8.rawValue: .int(Int64(field.value.i8))
        case AMQP_FIELD_KIND_U8.rawValue: .int(Int64(field.value.u8))
        case AMQP_FIELD_KIND_I16.rawValue: .int(Int64(field.value.i16))
        case AMQP_FIELD_KIND_U16.rawValue: .int(Int64(field.value.u16))
        case AMQP_FIELD_KIND_I32.rawValue: .int(Int64(field.value.i32))
        case AMQP_FIELD_KIND_U32.rawValue: .int(Int64(field.value.u32))
        case AMQP_FIELD_KIND_I64.rawValue: .int(field.value.i64)
        case AMQP_FIELD_KIND_U64.rawValue, AMQP_FIELD_KIND_TIMESTAMP.rawValue: .int(Int64(truncatingIfNeeded: field.value.u64))
        case AMQP_FIELD_KIND_TABLE.rawValue: .table(table(field.value.table))
        case AMQP_FIELD_KIND_ARRAY.rawValue:
            .array(
                (0..<Int(max(field.value.array.num_entries, 0))).compactMap { index in
                    field.value.array.entries.map { value($0[index]) }
                }
            )
        default: .unsupported
        }
    }
}

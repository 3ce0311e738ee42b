import Synchronization

/// Prepared statements for the tables every service has in a schema of its own (the inbox, the outbox).
///
/// PostgresNIO prepares a statement once per connection and knows it by its type: its name and SQL are static. The
/// inbox's and outbox's statements differ only in their schema, which a service chooses at run time; so each schema a
/// process uses takes a slot — one of a fixed set of types — whose static ``schema`` is the schema it was given.
/// A statement generic over the slot (`InboxInsert<Slot2>`) then has a static SQL text naming that schema, and a name
/// that names it too: one name never stands for two texts.
public protocol SchemaSlot: Sendable {
    static var index: Int { get }
}

extension SchemaSlot {
    /// The schema this slot was given.
    public static var schema: SchemaName { SchemaSlots.schema(at: index) }
}

public enum SchemaSlots {
    private static let given = Mutex<[SchemaName]>([])

    /// The slot of `schema`, the same one every time. A process has one or two schemas (its own, the contract store's);
    /// the tests' process a dozen; more than 32 is a programming error.
    public static func slot(for schema: SchemaName) -> any SchemaSlot.Type {
        let index = given.withLock { given in
            if let index = given.firstIndex(of: schema) { return index }
            precondition(given.count < all.count, "more than \(all.count) schemas with prepared statements in one process")
            given.append(schema)
            return given.count - 1
        }
        return all[index]
    }

    static func schema(at index: Int) -> SchemaName {
        given.withLock { $0[index] }
    }

    private static let all: [any SchemaSlot.Type] = [
        Slot0.self, Slot1.self, Slot2.self, Slot3.self, Slot4.self, Slot5.self, Slot6.self, Slot7.self, Slot8.self, Slot9.self,
        Slot10.self, Slot11.self, Slot12.self, Slot13.self, Slot14.self, Slot15.self, Slot16.self, Slot17.self, Slot18.self,
        Slot19.self, Slot20.self, Slot21.self, Slot22.self, Slot23.self, Slot24.self, Slot25.self, Slot26.self, Slot27.self,
        Slot28.self, Slot29.self, Slot30.self, Slot31.self,
    ]
}

enum Slot0: SchemaSlot { static let index = 0 }
enum Slot1: SchemaSlot { static let index = 1 }
enum Slot2: SchemaSlot { static let index = 2 }
enum Slot3: SchemaSlot { static let index = 3 }
enum Slot4: SchemaSlot { static let index = 4 }
enum Slot5: SchemaSlot { static let index = 5 }
enum Slot6: SchemaSlot { static let index = 6 }
enum Slot7: SchemaSlot { static let index = 7 }
enum Slot8: SchemaSlot { static let index = 8 }
enum Slot9: SchemaSlot { static let index = 9 }
enum Slot10: SchemaSlot { static let index = 10 }
enum Slot11: SchemaSlot { static let index = 11 }
enum Slot12: SchemaSlot { static let index = 12 }
enum Slot13: SchemaSlot { static let index = 13 }
enum Slot14: SchemaSlot { static let index = 14 }
enum Slot15: SchemaSlot { static let index = 15 }
enum Slot16: SchemaSlot { static let index = 16 }
enum Slot17: SchemaSlot { static let index = 17 }
enum Slot18: SchemaSlot { static let index = 18 }
enum Slot19: SchemaSlot { static let index = 19 }
enum Slot20: SchemaSlot { static let index = 20 }
enum Slot21: SchemaSlot { static let index = 21 }
enum Slot22: SchemaSlot { static let index = 22 }
enum Slot23: SchemaSlot { static let index = 23 }
enum Slot24: SchemaSlot { static let index = 24 }
enum Slot25: SchemaSlot { static let index = 25 }
enum Slot26: SchemaSlot { static let index = 26 }
enum Slot27: SchemaSlot { static let index = 27 }
enum Slot28: SchemaSlot { static let index = 28 }
enum Slot29: SchemaSlot { static let index = 29 }
enum Slot30: SchemaSlot { static let index = 30 }
enum Slot31: SchemaSlot { static let index = 31 }

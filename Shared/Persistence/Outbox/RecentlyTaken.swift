/// The ids of the outbox rows a relay's latest rounds took, at most `capacity` of them: the oldest is forgotten first.
struct RecentlyTaken: Sendable {
    let capacity: Int
    private var members: Set<Int64> = []
    private var order: [Int64] = []
    /// Where the next id goes in `order` once it is full.
    private var next = 0

    init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    func contains(_ id: Int64) -> Bool { members.contains(id) }

    mutating func insert(_ ids: some Sequence<Int64>) {
        for id in ids where members.insert(id).inserted {
            if order.count < capacity {
                order.append(id)
            } else {
                members.remove(order[next])
                order[next] = id
                next = (next + 1) % capacity
            }
        }
    }
}
